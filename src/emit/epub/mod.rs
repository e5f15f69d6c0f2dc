//! EPUB 3 books: one per transcript (the `epub` writer), or one anthology for a whole archive.
//!
//! Books are bilingual or one language (the other language absent, not hidden), carry the theme's style
//! sheet, glossary terms as EPUB 3 footnotes plus a glossary, a nested table of contents, full Dublin Core
//! and accessibility metadata, and an identifier and timestamps derived from the content, so the same
//! input always gives the same bytes. This module never touches the file system: an anthology's chapters
//! arrive through a loader the caller supplies.

mod package;

use super::book::{chapters, BookReport, BookSpec, Members, Part};
use super::html::{self, glossary_page, glossary_title, DocRenderer, Flavor, GlossaryEntry, NavEntry};
use super::stamp::{is_w3c_date, modified_stamp};
use super::{BookWriter, EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::emit::identity::{anthology_key, edition_key, identity, urn_uuid};
use crate::select::{Selected, View};
use package::{BookMeta, Package};
use std::io::{Seek, Write};

/// The `epub` writer: one book per transcript, and the anthology (`bitext book`).
pub struct Epub;

static FORMAT: Format = Format {
    name: "epub",
    extension: "epub",
    description: "EPUB 3 e-book: bilingual, Chinese-only or English-only, themed (--theme)",
    languages: Languages::PerView,
    uses: Uses { pdf: false, subtitles: false, theme: true, archive: true },
    binary: true,
};

impl Writer for Epub {
    fn format(&self) -> &'static Format {
        &FORMAT
    }
    fn write(
        &self,
        selected: &Selected<'_>,
        options: &WriteOptions,
        out: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError> {
        single_book(out, selected, options).map_err(zip_error)?;
        Ok(Vec::new())
    }
    fn book(&self) -> Option<&dyn BookWriter> {
        Some(self)
    }
}

fn zip_error(e: zip::result::ZipError) -> EmitError {
    EmitError::failed("epub", e)
}

fn single_book<W: Write + Seek>(out: W, selected: &Selected<'_>, options: &WriteOptions) -> package::PackageResult<()> {
    let view = selected.view;
    let modified = modified_stamp(options.source_date_epoch, selected.source().meta.date.as_deref());
    let mut pkg = Package::new(out, &modified)?;
    pkg.add("style.css", "text/css", options.theme.epub_css.as_bytes(), false)?;
    let rendered =
        DocRenderer::new(selected, "", 0, Flavor::Epub).render_into(|page| pkg.add_page(&page.href, &page.xhtml))?;
    // In a book of one transcript the sections are the top of the table of contents.
    let mut nav: Vec<NavEntry> = rendered
        .nav
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            if i > 0 {
                e.level -= 1;
            }
            e
        })
        .collect();
    if !rendered.glossary.is_empty() {
        let href = "text/glossary.xhtml";
        pkg.add_page(href, &glossary_page(&[(None, rendered.glossary)], view))?;
        nav.push(NavEntry { level: 0, label: glossary_title(view).to_string(), href: href.to_string() });
    }
    let meta = doc_meta(selected, modified);
    pkg.finish(&meta, &nav, toc_title(view))?;
    Ok(())
}

fn toc_title(view: View) -> &'static str {
    match view {
        View::En => "Contents",
        _ => "目录",
    }
}

fn languages(view: View) -> Vec<&'static str> {
    match view {
        View::Bi => vec!["zh-Hans", "en"],
        View::Zh => vec!["zh-Hans"],
        View::En => vec!["en"],
    }
}

fn accessibility_summary(view: View) -> String {
    let what = match view {
        View::Bi => "Each Chinese paragraph is followed by its English original, each marked with its language.",
        View::Zh => "Chinese text only.",
        View::En => "English original text only.",
    };
    format!("{what} Headings and a table of contents give structure; glossary terms link to footnotes. No images.")
}

fn doc_meta(selected: &Selected<'_>, modified: String) -> BookMeta {
    let view = selected.view;
    let m = &selected.source().meta;
    let mut creators: Vec<String> = Vec::new();
    for who in &selected.reader.creators {
        if !creators.contains(who) {
            creators.push(who.clone());
        }
    }
    BookMeta {
        identifier: urn_uuid(edition_key(selected.source(), view, "epub")),
        title: selected.reader.title.clone(),
        languages: languages(view),
        creators,
        date: m.date.clone().filter(|d| is_w3c_date(d)),
        // What the edition is about, in its language: Chinese tags are not an English book's subjects.
        subjects: if view == View::En { selected.reader.tags.clone() } else { m.tags.clone() },
        description: selected.reader.summary.clone(),
        source: m.source.clone(),
        collection: m.series.clone(),
        modified,
        accessibility_summary: accessibility_summary(view),
    }
}

/// An anthology: a title page, a part page per group, then each transcript as a chapter (its own title
/// page and sections), one glossary and a nested table of contents. Chapters are rendered a few at a time
/// on several threads and written as they come, so the book is never whole in memory.
impl BookWriter for Epub {
    fn write_book(
        &self,
        out: &mut dyn Sink,
        spec: &BookSpec,
        parts: &[Part],
        members: &dyn Members,
        options: &WriteOptions,
    ) -> Result<BookReport, EmitError> {
        let view = spec.view;
        let modified = modified_stamp(options.source_date_epoch, None);
        let mut report = BookReport::default();
        let mut pkg = Package::new(out, &modified).map_err(zip_error)?;
        pkg.add("style.css", "text/css", options.theme.epub_css.as_bytes(), false).map_err(zip_error)?;
        let count: usize = parts.iter().map(|p| p.members.len()).sum();
        let title_page = anthology_title_page(spec, count);
        pkg.add_page("text/title.xhtml", &title_page).map_err(zip_error)?;
        let mut nav = vec![NavEntry { level: 0, label: spec.title.clone(), href: "text/title.xhtml".into() }];
        let mut glossary: Vec<(Option<String>, Vec<GlossaryEntry>)> = Vec::new();
        let mut identities: Vec<Vec<u8>> = Vec::new();
        let mut dates: Vec<String> = Vec::new();
        let mut subjects: Vec<String> = Vec::new();
        let chapter_level = usize::from(parts.iter().any(|p| p.name.is_some()));
        for (part_no, part) in parts.iter().enumerate() {
            if let Some(name) = &part.name {
                let href = format!("text/part{:02}.xhtml", part_no + 1);
                let body = format!(
                    "<section class=\"part-title\" epub:type=\"part\" role=\"doc-part\">\n<h1>{}</h1>\n</section>\n",
                    html::escaped(name)
                );
                let page = html::page(html::book_lang(view), name, "../style.css", html::body_class(view), &body);
                pkg.add_page(&href, &page).map_err(zip_error)?;
                nav.push(NavEntry { level: 0, label: name.clone(), href });
            }
            let render = |k: usize, selected: Selected<'static>| Chapter::render(&selected, k, chapter_level);
            chapters(&part.members, members, spec, &mut report, render, |_, chapter| {
                identities.push(chapter.identity);
                dates.extend(chapter.date);
                for tag in chapter.tags {
                    if !subjects.contains(&tag) {
                        subjects.push(tag);
                    }
                }
                for page in &chapter.doc.pages {
                    pkg.add_page(&page.href, &page.xhtml).map_err(zip_error)?;
                }
                nav.extend(chapter.doc.nav);
                if !chapter.doc.glossary.is_empty() {
                    glossary.push((Some(chapter.title), chapter.doc.glossary));
                }
                Ok::<(), EmitError>(())
            })?;
        }
        if !glossary.is_empty() {
            let href = "text/glossary.xhtml";
            pkg.add_page(href, &glossary_page(&glossary, view)).map_err(zip_error)?;
            nav.push(NavEntry { level: 0, label: glossary_title(view).to_string(), href: href.to_string() });
        }
        subjects.sort();

        let latest = dates.iter().filter(|d| is_w3c_date(d)).max();
        let meta = BookMeta {
            identifier: urn_uuid(anthology_key(&spec.title, &identities, view, "epub")),
            title: spec.title.clone(),
            languages: languages(view),
            creators: spec.creators.clone(),
            date: latest.cloned(),
            subjects,
            description: Some(format!("{} transcripts", report.chapters)),
            source: None,
            collection: None,
            modified: match options.source_date_epoch {
                Some(_) => modified,
                None => modified_stamp(None, latest.map(String::as_str)),
            },
            accessibility_summary: accessibility_summary(view),
        };
        pkg.finish(&meta, &nav, toc_title(view)).map_err(zip_error)?;
        Ok(report)
    }
}

/// One transcript rendered as a chapter of an anthology.
struct Chapter {
    doc: html::RenderedDoc,
    title: String,
    /// The transcript's identity (or its content's digest when it has none): an anthology's identifier
    /// derives from its members'.
    identity: Vec<u8>,
    date: Option<String>,
    tags: Vec<String>,
}

impl Chapter {
    fn render(selected: &Selected<'_>, index: usize, level: usize) -> Chapter {
        let prefix = format!("t{:04}-", index + 1);
        let meta = &selected.source().meta;
        Chapter {
            doc: DocRenderer::new(selected, &prefix, level, Flavor::Epub).render(),
            title: selected.reader.title.clone(),
            identity: identity(selected.source()),
            date: meta.date.clone(),
            tags: meta.tags.clone(),
        }
    }
}

fn anthology_title_page(spec: &BookSpec, count: usize) -> String {
    let line = match spec.view {
        View::En => format!("{count} transcripts"),
        _ => format!("共 {count} 篇"),
    };
    let mut body =
        format!("<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1>{}</h1>\n", html::escaped(&spec.title));
    if !spec.creators.is_empty() {
        let names: Vec<String> = spec.creators.iter().map(|c| html::escaped(c)).collect();
        body.push_str(&format!("<p class=\"byline\">{}</p>\n", names.join(" · ")));
    }
    let edition = html::escaped(spec.archive.label(spec.view.lang()));
    body.push_str(&format!("<p class=\"date\">{line}</p>\n<p class=\"edition\">{edition}</p>\n</section>\n"));
    html::page(html::book_lang(spec.view), &spec.title, "../style.css", html::body_class(spec.view), &body)
}
