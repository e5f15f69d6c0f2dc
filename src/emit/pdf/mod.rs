//! PDF: embedded, subset Chinese and Latin fonts, total-fit line breaking for Chinese and English,
//! page breaks without widows or orphans, interleaved or parallel bilingual layouts, running headers,
//! page numbers, footnotes, links, a nested outline, and a structure tree with a language on every
//! paragraph.
//!
//! `linebreak` breaks paragraphs, `layout` sets lines and places them on pages, `content` decides what
//! goes on the pages; `file` writes the pages as a tagged PDF (and `outline` its bookmarks), with a `/ID`
//! derived from the content, so the same input gives the same bytes whatever else the process is doing.
//! Fonts come in through `WriteOptions`; this module never looks for them.

mod content;
mod file;
mod fonts;
mod layout;
mod linebreak;
mod lines;
pub mod options;
mod outline;

pub use fonts::{FontError, FontRequest, FontSet, FontSpec, Role};
pub use options::{Paper, PdfOptions};

use super::book::{chapters, BookReport, BookSpec, Members, Part};
use super::stamp::modified_stamp;
use super::{BookWriter, EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::emit::identity::{anthology_key, edition_key, identity};
use crate::select::{Selected, View};
pub use layout::PlacedLine;
use layout::Setter;
use lopdf::{Object, StringFormat};

/// The `pdf` writer.
pub struct Pdf;

static FORMAT: Format = Format {
    name: "pdf",
    extension: "pdf",
    description:
        "PDF with embedded subset fonts: bilingual (--layout interleaved|parallel), Chinese-only or English-only",
    languages: Languages::PerView,
    uses: Uses { pdf: true, subtitles: false, theme: true, archive: true },
    binary: true,
};

impl Writer for Pdf {
    fn format(&self) -> &'static Format {
        &FORMAT
    }
    fn write(
        &self,
        selected: &Selected<'_>,
        options: &WriteOptions,
        out: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError> {
        let mut setter = setter(selected.view, options)?;
        setter.document(selected, 0);
        setter.finish();
        let info = Info::of(selected, options.source_date_epoch);
        file::write(&setter, &info, out)?;
        Ok(missing_report(&setter))
    }
    fn book(&self) -> Option<&dyn BookWriter> {
        Some(self)
    }
}

/// A setter for `view` with the run's fonts, theme, paper and layout.
fn setter<'o>(view: View, options: &'o WriteOptions) -> Result<Setter<'o>, EmitError> {
    let fonts = options.pdf.fonts.as_deref().ok_or(EmitError::NoFonts)?;
    let style = &options.theme.pdf;
    Ok(Setter::new(fonts, style, view, options.pdf.layout.unwrap_or(style.layout), options.pdf.paper))
}

/// Every body line one view of a document is set into, in order, with its page and paragraph position:
/// for checking the line and page breakers on real text.
pub fn set_lines(selected: &Selected<'_>, options: &WriteOptions) -> Result<Vec<PlacedLine>, EmitError> {
    let mut setter = setter(selected.view, options)?;
    setter.recorded = Some(Vec::new());
    setter.document(selected, 0);
    Ok(setter.recorded.unwrap_or_default())
}

fn missing_report(setter: &Setter<'_>) -> Vec<Diagnostic> {
    if setter.missing.is_empty() {
        return Vec::new();
    }
    let chars: String = setter.missing.iter().take(20).collect();
    vec![Diagnostic::warning(
        0,
        format!("no font has {} character(s) ({chars}); they show as empty boxes, pass --font-zh or --font-en with a font that has them", setter.missing.len()),
    )]
}

/// Document information.
struct Info {
    title: String,
    author: String,
    subject: String,
    keywords: String,
    lang: &'static str,
    /// `D:YYYYMMDDHHmmSSZ`
    date: String,
    /// The first half of the file identifier, which lasts across edits (`emit::identity`).
    key: [u8; 16],
}

impl Info {
    /// What the file says about itself: what the source records (date, tags as keywords) and what a
    /// reader of the view is shown (title, author, summary).
    fn of(shown: &Selected<'_>, epoch: Option<i64>) -> Info {
        let meta = &shown.source().meta;
        let stamp = modified_stamp(epoch, meta.date.as_deref());
        let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
        Info {
            title: shown.reader.title.clone(),
            author: {
                // A name given as both speaker and author is one author.
                let mut names: Vec<&str> = Vec::new();
                for name in &shown.reader.creators {
                    if !names.contains(&name.as_str()) {
                        names.push(name);
                    }
                }
                names.join(", ")
            },
            subject: shown.reader.summary.clone().unwrap_or_default(),
            keywords: if shown.view == View::En { shown.reader.tags.join(", ") } else { meta.tags.join(", ") },
            lang: shown.view.main_lang().bcp47(),
            date: format!("D:{digits}Z"),
            key: edition_key(shown.source(), shown.view, "pdf"),
        }
    }

    /// The information of a book of many transcripts.
    fn of_book(spec: &BookSpec, members: &[Vec<u8>], latest: Option<&str>, epoch: Option<i64>) -> Info {
        let (title, view) = (spec.title.as_str(), spec.view);
        let stamp = modified_stamp(epoch, latest);
        let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
        Info {
            title: title.to_string(),
            author: spec.creators.join(", "),
            subject: String::new(),
            keywords: String::new(),
            lang: view.main_lang().bcp47(),
            date: format!("D:{digits}Z"),
            key: anthology_key(title, members, view, "pdf"),
        }
    }
}

/// An anthology as one PDF: a part page per group, then each transcript (title page and sections).
/// Members are loaded a few at a time as they are set, but the set pages of the whole book stay in memory
/// until the file is written.
impl BookWriter for Pdf {
    fn write_book(
        &self,
        out: &mut dyn Sink,
        spec: &BookSpec,
        parts: &[Part],
        members: &dyn Members,
        options: &WriteOptions,
    ) -> Result<BookReport, EmitError> {
        let mut setter = setter(spec.view, options)?;
        let mut report = BookReport::default();
        let mut latest: Option<String> = None;
        let mut identities: Vec<Vec<u8>> = Vec::new();
        for part in parts {
            let mut opened = false;
            let level = usize::from(part.name.is_some());
            let prepare = |_: usize, selected: Selected<'static>| {
                selected.document();
                selected
            };
            chapters(&part.members, members, spec, &mut report, prepare, |_, selected| {
                if let (Some(name), false) = (&part.name, opened) {
                    setter.part(name);
                    opened = true;
                }
                setter.document(&selected, level);
                latest = latest.clone().max(selected.source().meta.date.clone());
                identities.push(identity(selected.source()));
                Ok::<(), EmitError>(())
            })?;
        }
        setter.finish_page();
        // The front: a title page and the printed contents, whose page numbers count the front's own
        // pages; set again until the count it assumed is the count it took.
        let chapter_level = usize::from(parts.iter().any(|p| p.name.is_some()));
        let entries: Vec<(usize, String, usize)> = setter
            .outline
            .iter()
            .filter(|e| e.level <= chapter_level)
            .map(|e| (e.level, e.title.clone(), e.page))
            .collect();
        let mut front_pages = 2;
        let front = loop {
            let mut front = self::setter(spec.view, options)?;
            front.anthology_front(spec, report.chapters, &entries, front_pages);
            front.finish_page();
            if front.pages.len() == front_pages || front_pages > entries.len() + 2 {
                break front;
            }
            front_pages = front.pages.len();
        };
        setter.prepend(front);
        setter.finish();
        let info = Info::of_book(spec, &identities, latest.as_deref(), options.source_date_epoch);
        file::write(&setter, &info, out)?;
        report.diagnostics = missing_report(&setter);
        Ok(report)
    }
}

/// A text string: UTF-16BE with a byte-order mark, as PDF wants for anything beyond Latin-1.
fn text_string(s: &str) -> Object {
    let mut out = vec![0xfe, 0xff];
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(out, StringFormat::Hexadecimal)
}
