//! Back ends: one `Writer` trait and one registry.
//!
//! A writer turns a `Document` into bytes. It never reads source text, never chooses file paths and never
//! touches the file system: naming, temporary files and parallelism belong to the batch driver. Adding a
//! format is one module, one row in `WRITERS` and its tests.

pub mod epub;
mod json;
mod markdown;
pub mod pdf;
mod stamp;
pub mod subtitles;
mod text;

use crate::diag::Diagnostic;
use crate::ir::{Document, Lang};
use crate::select::{self, View};
use thiserror::Error;

pub use markdown::{escape_inline_text, Markdown};

/// Options shared by every writer: what comes from outside (the clock, the theme) comes in here.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// How books look.
    pub theme: crate::theme::Theme,
    /// `SOURCE_DATE_EPOCH`: the time stamped into formats that record one, when set.
    pub source_date_epoch: Option<i64>,
    /// Fonts, paper and layout of PDF output.
    pub pdf: pdf::PdfOptions,
    /// Timing and line limits of subtitles.
    pub subtitles: subtitles::SubtitleOptions,
}

#[derive(Debug, Error)]
pub enum EmitError {
    #[error("the {format} writer failed: {message}")]
    Failed { format: &'static str, message: String },
}

/// One output format.
pub trait Writer: Sync + Send {
    /// The name used with `--to` (`md`, `txt`, `json`).
    fn name(&self) -> &'static str;
    /// File extension, without the dot.
    fn extension(&self) -> &'static str;
    /// One line for `--help` and the README.
    fn description(&self) -> &'static str;
    /// False for formats that carry the whole document whatever the language (the IR as JSON): they are
    /// written once per input, as `<stem>.<ext>`.
    fn per_view(&self) -> bool {
        true
    }
    /// True for writers that need both languages even for a one-language view (subtitles time Chinese
    /// cues from the English that was spoken); they pick the language themselves.
    fn needs_both_languages(&self) -> bool {
        false
    }
    /// Render `doc`. For `View::Zh`/`View::En` the document has already been reduced to that language,
    /// unless `needs_both_languages`. What could not be rendered faithfully (a character no font has, a
    /// cue too fast to read) comes back as diagnostics beside the bytes.
    fn write(&self, doc: &Document, view: View, options: &WriteOptions) -> Result<Written, EmitError>;
}

/// A writer's output: the file, and what it noticed while making it.
#[derive(Debug)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Vec<u8>> for Written {
    fn from(bytes: Vec<u8>) -> Self {
        Written { bytes, diagnostics: Vec::new() }
    }
}

static WRITERS: &[&dyn Writer] =
    &[&Markdown, &text::PlainText, &json::Json, &epub::Epub, &pdf::Pdf, &subtitles::SRT, &subtitles::VTT];

/// Every registered writer, in the order `--help` lists them.
pub fn writers() -> &'static [&'static dyn Writer] {
    WRITERS
}

/// The writer called `name`.
pub fn find(name: &str) -> Option<&'static dyn Writer> {
    WRITERS.iter().copied().find(|w| w.name() == name)
}

/// What rendering one view of one document gave.
#[derive(Debug)]
pub struct Rendered {
    /// The file, or `None` when there is nothing to write (English asked of a Chinese-only document).
    pub bytes: Option<Vec<u8>>,
    /// Why nothing was written, or what was rendered less than faithfully.
    pub diagnostics: Vec<Diagnostic>,
}

/// Render one view of a document: pick the language, then hand the result to the writer.
pub fn render(writer: &dyn Writer, doc: &Document, view: View, options: &WriteOptions) -> Result<Rendered, EmitError> {
    let bytes = match view.lang() {
        Some(lang) if writer.per_view() => {
            if !doc.has_lang(lang) {
                let what = match lang {
                    Lang::En => "no English text",
                    Lang::Zh => "no Chinese text",
                };
                let message = format!("{what}; no `{view}` {} written", writer.name());
                return Ok(Rendered { bytes: None, diagnostics: vec![Diagnostic::warning(0, message)] });
            }
            if writer.needs_both_languages() {
                writer.write(doc, view, options)?
            } else {
                writer.write(&select::only(doc, lang), view, options)?
            }
        }
        _ => writer.write(doc, view, options)?,
    };
    Ok(Rendered { bytes: Some(bytes.bytes), diagnostics: bytes.diagnostics })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names_are_unique_and_findable() {
        let mut names: Vec<_> = writers().iter().map(|w| w.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), writers().len());
        assert!(find("md").is_some());
        assert!(find("epub").is_some());
        assert!(find("pdf").is_some());
        assert!(find("docx").is_none());
    }

    #[test]
    fn english_of_a_chinese_only_document_is_nothing() {
        let doc = crate::parse::parse_str("---\ntitle: 标题\n---\n只有中文。\n", "a.md").unwrap().doc;
        let out = render(&Markdown, &doc, View::En, &WriteOptions::default()).unwrap();
        assert!(out.bytes.is_none());
        assert!(out.diagnostics[0].message.contains("no English text"));
    }
}
