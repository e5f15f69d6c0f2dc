//! EPUB 3 books: one per transcript (the `epub` writer), or one anthology for a whole archive.
//!
//! Books are bilingual or one language (the other language absent, not hidden), carry the theme's style
//! sheet, glossary terms as EPUB 3 footnotes plus a glossary, a nested table of contents, full Dublin Core
//! and accessibility metadata, and an identifier and timestamps derived from the content, so the same
//! input always gives the same bytes. This module never touches the file system: an anthology's chapters
//! arrive through a loader the caller supplies.

mod package;
mod xhtml;

use super::stamp::{is_w3c_date, modified_stamp};
use super::{EmitError, WriteOptions, Writer, Written};
use crate::ir::{is_han, Document, Metadata};
use crate::select::{self, View};
use package::{BookMeta, Package};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::{Cursor, Seek, Write};
use xhtml::{glossary_page, glossary_title, DocRenderer, GlossaryEntry, NavEntry};

/// The `epub` writer: one book per transcript.
pub struct Epub;

impl Writer for Epub {
    fn name(&self) -> &'static str {
        "epub"
    }
    fn extension(&self) -> &'static str {
        "epub"
    }
    fn description(&self) -> &'static str {
        "EPUB 3 e-book: bilingual, Chinese-only or English-only, themed (--theme)"
    }
    fn write(&self, doc: &Document, view: View, options: &WriteOptions) -> Result<Written, EmitError> {
        let mut out = Cursor::new(Vec::with_capacity(64 * 1024));
        single_book(&mut out, doc, view, options).map_err(zip_error)?;
        Ok(out.into_inner().into())
    }
}

fn zip_error(e: zip::result::ZipError) -> EmitError {
    EmitError::Failed { format: "epub", message: e.to_string() }
}

fn single_book<W: Write + Seek>(
    out: W,
    doc: &Document,
    view: View,
    options: &WriteOptions,
) -> package::PackageResult<()> {
    let modified = modified_stamp(options.source_date_epoch, doc.meta.date.as_deref());
    let mut pkg = Package::new(out, &modified)?;
    pkg.add("style.css", "text/css", options.theme.epub_css.as_bytes(), false)?;
    let rendered = DocRenderer::new(doc, view, "", 0).render();
    for page in &rendered.pages {
        pkg.add_page(&page.href, &page.xhtml)?;
    }
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
    let meta = doc_meta(doc, view, modified);
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

fn doc_meta(doc: &Document, view: View, modified: String) -> BookMeta {
    let m = &doc.meta;
    let keep = |s: &&String| view != View::En || !s.chars().any(is_han);
    let mut creators: Vec<String> = Vec::new();
    for who in [&m.speaker, &m.author].into_iter().flatten() {
        if !creators.contains(who) {
            creators.push(who.clone());
        }
    }
    BookMeta {
        identifier: identifier(&[doc_fingerprint(doc).as_slice(), view.name().as_bytes()]),
        title: select::display_title(doc, view),
        languages: languages(view),
        creators,
        date: m.date.clone().filter(|d| is_w3c_date(d)),
        subjects: m.tags.clone(),
        description: m.summary.as_ref().filter(keep).cloned(),
        source: m.source.clone(),
        modified,
        accessibility_summary: accessibility_summary(view),
    }
}

/// A digest of a document's content, positions left out.
fn doc_fingerprint(doc: &Document) -> Vec<u8> {
    let json = serde_json::to_vec(&doc.without_positions()).unwrap_or_default();
    Sha256::digest(&json).to_vec()
}

/// A name-based UUID (RFC 9562 version 8 layout) from content digests: the same content, the same id.
fn identifier(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let d = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// How an anthology divides its transcripts into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Category,
    Area,
    Speaker,
    None,
}

/// The order of transcripts inside a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Date,
    Title,
}

/// What an anthology is.
#[derive(Debug, Clone)]
pub struct AnthologySpec {
    pub title: String,
    pub view: View,
    pub group_by: GroupBy,
    pub sort: SortBy,
}

/// Parts of an anthology: a group name (none when not grouping) and the indices of its transcripts.
pub type Parts = Vec<(Option<String>, Vec<usize>)>;

/// Group and order transcripts by their metadata. Groups come in name order, with transcripts that have
/// no value for the key last; inside a group, by date (then title) or by title.
pub fn plan_parts(metas: &[&Metadata], group_by: GroupBy, sort: SortBy) -> Parts {
    let key = |m: &Metadata| -> Option<String> {
        match group_by {
            GroupBy::Category => m.category.clone(),
            GroupBy::Area => m.area.clone(),
            GroupBy::Speaker => m.speaker.clone().or_else(|| m.author.clone()),
            GroupBy::None => None,
        }
    };
    let mut order: Vec<usize> = (0..metas.len()).collect();
    order.sort_by(|&a, &b| {
        let (ma, mb) = (metas[a], metas[b]);
        let by_title = ma.title.cmp(&mb.title);
        let primary = match sort {
            SortBy::Date => {
                ma.date.as_deref().unwrap_or("9999").cmp(mb.date.as_deref().unwrap_or("9999")).then(by_title)
            }
            SortBy::Title => by_title,
        };
        primary.then(a.cmp(&b))
    });
    if group_by == GroupBy::None {
        return vec![(None, order)];
    }
    let mut groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    for i in order {
        let k = key(metas[i]);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    groups.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let other = if group_by == GroupBy::Speaker { "Unknown speaker" } else { "Other" };
    groups.into_iter().map(|(k, v)| (Some(k.unwrap_or_else(|| other.to_string())), v)).collect()
}

/// What writing an anthology did.
#[derive(Debug, Default)]
pub struct AnthologyReport {
    /// Transcripts in the book.
    pub chapters: usize,
    /// Indices left out because they have nothing in the book's language.
    pub skipped: Vec<usize>,
    /// Indices the loader could not give, with its message.
    pub failed: Vec<(usize, String)>,
}

/// How many transcripts are loaded and rendered at once: bounds memory, keeps both cores busy.
const CHUNK: usize = 8;

/// Write an anthology. `load(i)` gives transcript `i` (as numbered in `parts`); it is called from several
/// threads, and at most `CHUNK` documents are alive at any time.
pub fn write_anthology<W, L>(
    out: W,
    spec: &AnthologySpec,
    parts: &Parts,
    load: L,
    options: &WriteOptions,
) -> Result<(W, AnthologyReport), EmitError>
where
    W: Write + Seek,
    L: Fn(usize) -> Result<Document, String> + Sync,
{
    let view = spec.view;
    let modified = modified_stamp(options.source_date_epoch, None);
    let mut report = AnthologyReport::default();
    let mut pkg = Package::new(out, &modified).map_err(zip_error)?;
    pkg.add("style.css", "text/css", options.theme.epub_css.as_bytes(), false).map_err(zip_error)?;
    let count: usize = parts.iter().map(|(_, members)| members.len()).sum();
    let title_page = anthology_title_page(spec, count);
    pkg.add_page("text/title.xhtml", &title_page).map_err(zip_error)?;
    let mut nav = vec![NavEntry { level: 0, label: spec.title.clone(), href: "text/title.xhtml".into() }];
    let mut glossary: Vec<(Option<String>, Vec<GlossaryEntry>)> = Vec::new();
    let mut fingerprints = Sha256::new();
    let mut dates: Vec<String> = Vec::new();
    let mut subjects: Vec<String> = Vec::new();
    let chapter_level = if parts.iter().any(|(g, _)| g.is_some()) { 1 } else { 0 };
    for (part_no, (group, members)) in parts.iter().enumerate() {
        if let Some(name) = group {
            let href = format!("text/part{:02}.xhtml", part_no + 1);
            let body = format!(
                "<section class=\"part-title\" epub:type=\"part\" role=\"doc-part\">\n<h1>{}</h1>\n</section>\n",
                xhtml::escaped(name)
            );
            let page = xhtml::page(xhtml::book_lang(view), name, "../style.css", xhtml::body_class(view), &body);
            pkg.add_page(&href, &page).map_err(zip_error)?;
            nav.push(NavEntry { level: 0, label: name.clone(), href });
        }
        for chunk in members.chunks(CHUNK) {
            let rendered: Vec<(usize, Result<Option<Rendered>, String>)> = chunk
                .par_iter()
                .map(|&i| (i, load(i).map(|doc| render_chapter(&doc, view, i, chapter_level))))
                .collect();
            for (i, result) in rendered {
                match result {
                    Err(message) => report.failed.push((i, message)),
                    Ok(None) => report.skipped.push(i),
                    Ok(Some(chapter)) => {
                        report.chapters += 1;
                        fingerprints.update(&chapter.fingerprint);
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
                    }
                }
            }
        }
    }
    if !glossary.is_empty() {
        let href = "text/glossary.xhtml";
        pkg.add_page(href, &glossary_page(&glossary, view)).map_err(zip_error)?;
        nav.push(NavEntry { level: 0, label: glossary_title(view).to_string(), href: href.to_string() });
    }
    subjects.sort();
    let digest = fingerprints.finalize();
    let meta = BookMeta {
        identifier: identifier(&[digest.as_slice(), spec.title.as_bytes(), view.name().as_bytes()]),
        title: spec.title.clone(),
        languages: languages(view),
        creators: Vec::new(),
        date: dates.iter().filter(|d| is_w3c_date(d)).max().cloned(),
        subjects,
        description: Some(format!("{} transcripts", report.chapters)),
        source: None,
        modified: match options.source_date_epoch {
            Some(_) => modified,
            None => modified_stamp(None, dates.iter().filter(|d| is_w3c_date(d)).max().map(String::as_str)),
        },
        accessibility_summary: accessibility_summary(view),
    };
    let out = pkg.finish(&meta, &nav, toc_title(view)).map_err(zip_error)?;
    Ok((out, report))
}

struct Rendered {
    doc: xhtml::RenderedDoc,
    title: String,
    fingerprint: Vec<u8>,
    date: Option<String>,
    tags: Vec<String>,
}

/// One transcript as a chapter of an anthology, or `None` when it has nothing in the book's language.
fn render_chapter(doc: &Document, view: View, index: usize, level: usize) -> Option<Rendered> {
    let selected;
    let doc = match view.lang() {
        Some(lang) if !doc.has_lang(lang) => return None,
        Some(lang) => {
            selected = select::only(doc, lang);
            &selected
        }
        None => doc,
    };
    let prefix = format!("t{:04}-", index + 1);
    Some(Rendered {
        doc: DocRenderer::new(doc, view, &prefix, level).render(),
        title: select::display_title(doc, view),
        fingerprint: doc_fingerprint(doc),
        date: doc.meta.date.clone(),
        tags: doc.meta.tags.clone(),
    })
}

fn anthology_title_page(spec: &AnthologySpec, count: usize) -> String {
    let line = match spec.view {
        View::En => format!("{count} transcripts"),
        _ => format!("共 {count} 篇"),
    };
    let body = format!(
        "<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1>{}</h1>\n<p class=\"byline\">{line}</p>\n</section>\n",
        xhtml::escaped(&spec.title)
    );
    xhtml::page(xhtml::book_lang(spec.view), &spec.title, "../style.css", xhtml::body_class(spec.view), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_uuids() {
        let a = identifier(&[b"x", b"bi"]);
        assert_eq!(a, identifier(&[b"x", b"bi"]));
        assert_ne!(a, identifier(&[b"x", b"zh"]));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a[23..24], "8");
    }

    #[test]
    fn parts_group_and_sort() {
        let m = |title: &str, date: &str, cat: Option<&str>| Metadata {
            title: title.into(),
            date: Some(date.into()),
            category: cat.map(Into::into),
            ..Default::default()
        };
        let metas =
            [m("b", "2024-01-02", Some("tech")), m("a", "2024-01-03", None), m("c", "2024-01-01", Some("tech"))];
        let refs: Vec<&Metadata> = metas.iter().collect();
        let parts = plan_parts(&refs, GroupBy::Category, SortBy::Date);
        assert_eq!(parts, vec![(Some("tech".into()), vec![2, 0]), (Some("Other".into()), vec![1])]);
        let parts = plan_parts(&refs, GroupBy::None, SortBy::Title);
        assert_eq!(parts, vec![(None, vec![1, 0, 2])]);
    }
}
