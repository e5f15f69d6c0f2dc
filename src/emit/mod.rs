//! Back ends: one `Writer` trait (in `writer`) and one registry (here).
//!
//! Adding a format is one module that implements `Writer` (and `BookWriter` if it makes books), one row in
//! `WRITERS`, and its tests; the README's layout section walks through it. What the registry row says
//! (`Format`: name, extension, languages, the options it uses) is all the driver and the CLI know of a
//! format.

pub mod book;
mod clock;
mod contents;
pub mod epub;
pub(crate) mod html;
mod identity;
mod json;
mod markdown;
pub mod pdf;
pub mod site;
mod stamp;
pub mod subtitles;
mod text;
mod trailing;
mod turns;
mod writer;

use crate::ir::Document;
use crate::select::{select, View};

pub use identity::transcript_urn;
pub use markdown::escape_inline_text;
pub use writer::{BookWriter, EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer, Written};

static WRITERS: &[&dyn Writer] = &[
    &markdown::Markdown,
    &text::PlainText,
    &json::Json,
    &epub::Epub,
    &pdf::Pdf,
    &subtitles::SRT,
    &subtitles::VTT,
    &subtitles::ASS,
];

/// Every registered writer, in the order `bitext formats` lists them.
pub fn writers() -> &'static [&'static dyn Writer] {
    WRITERS
}

/// The writer called `name`.
pub fn find(name: &str) -> Option<&'static dyn Writer> {
    WRITERS.iter().copied().find(|w| w.name() == name)
}

/// The writers that make books, by name.
pub fn book_formats() -> impl Iterator<Item = &'static str> {
    WRITERS.iter().filter(|w| w.book().is_some()).map(|w| w.name())
}

/// Select one view of `doc` and render it with `writer`: `None` when the document has nothing in that
/// view's language. For several writers of one view, `select` once and call `Writer::write` for each, as
/// the batch driver does, so the selection and the work the writers share are done once. A lone document
/// belongs to no archive: its slugs are shown as words and its edition by the default labels.
pub fn render(
    writer: &dyn Writer,
    doc: &Document,
    view: View,
    options: &WriteOptions,
) -> Result<Option<Written>, EmitError> {
    let view = if writer.format().languages == Languages::WholeDocument { View::Bi } else { view };
    let Some(selected) = select(doc, view, &crate::archive::Archive::default()) else { return Ok(None) };
    let mut out = std::io::Cursor::new(Vec::new());
    let diagnostics = writer.write(&selected, options, &mut out)?;
    Ok(Some(Written { bytes: out.into_inner(), diagnostics }))
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
    fn books_are_made_by_epub_and_pdf() {
        assert_eq!(book_formats().collect::<Vec<_>>(), ["epub", "pdf"]);
    }

    #[test]
    fn english_of_a_chinese_only_document_is_nothing() {
        let doc = crate::parse::parse_str("---\ntitle: 标题\n---\n只有中文。\n", "a.md").unwrap().doc;
        let md = find("md").unwrap();
        assert!(render(md, &doc, View::En, &WriteOptions::default()).unwrap().is_none());
        assert!(render(md, &doc, View::Zh, &WriteOptions::default()).unwrap().is_some());
    }
}
