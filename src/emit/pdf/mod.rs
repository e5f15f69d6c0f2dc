//! PDF: embedded, subset Chinese and Latin fonts, Chinese line breaking and justification, interleaved or
//! parallel bilingual layouts, running headers, page numbers, footnotes, a nested outline.
//!
//! `layout` sets pages; this module turns them into PDF through printpdf, then finishes the file with
//! lopdf: document information, `/Lang`, the outline, and a `/ID` derived from the content, so the same
//! input gives the same bytes whatever else the process is doing. Fonts come in through `WriteOptions`;
//! this module never looks for them.

mod content;
mod fonts;
mod layout;
mod linebreak;
pub mod options;

pub use fonts::{FontError, FontRequest, FontSet, FontSpec, Role};
pub use options::{Paper, PdfOptions};

use super::book::{chapters, BookReport, BookSpec, Members, Part};
use super::stamp::modified_stamp;
use super::{BookWriter, EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::emit::identity::{anthology_key, edition_key, identity};
use crate::select::{Selected, View};
use layout::{OutlineEntry, Page, Setter};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Codepoint, Color, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    Rgb, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};
use std::sync::Arc;

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
        assemble(&setter, &info, out)?;
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

/// The text of every line one view of a document is set into, in order, for checking the line
/// breaker's rules on real text.
pub fn set_lines(selected: &Selected<'_>, options: &WriteOptions) -> Result<Vec<String>, EmitError> {
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

/// Pages to PDF bytes: printpdf for fonts and content, lopdf for the finishing touches.
fn assemble(setter: &Setter<'_>, info: &Info, mut out: &mut dyn Sink) -> Result<(), EmitError> {
    let fonts = setter.fonts;
    let (width, height) = setter.page_size();
    let mut pdf = PdfDocument::new(&info.title);
    // One embedded font per distinct face, named by its first role.
    let mut used: Vec<Role> = Vec::new();
    let canonical = |role: Role| -> Role {
        Role::ALL.iter().copied().find(|&r| Arc::ptr_eq(fonts.face(r), fonts.face(role))).unwrap_or(role)
    };
    for page in &setter.pages {
        for run in &page.runs {
            let r = canonical(run.style.role);
            if !used.contains(&r) {
                used.push(r);
            }
        }
    }
    for &role in &used {
        let font = printpdf::PdfFont::new(fonts.face(role).parsed.clone());
        pdf.resources.fonts.map.insert(FontId(role.resource_name().to_string()), font);
    }
    let pages: Vec<PdfPage> = setter
        .pages
        .iter()
        .map(|p| {
            PdfPage::new(Mm(width / options::MM), Mm(height / options::MM), page_ops(p, height, fonts, &canonical))
        })
        .collect();
    pdf.pages = pages;
    let mut warnings = Vec::new();
    let mut doc = pdf.to_lopdf_document(
        &PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None },
        &mut warnings,
    );
    finish(&mut doc, setter, info)?;
    doc.compress();
    doc.save_to(&mut out).map_err(|e| EmitError::failed("pdf", e))?;
    Ok(())
}

/// Content operators of one page. Text goes in as glyph ids with the characters they stand for, so the
/// PDF's ToUnicode map (and so copying and searching) comes from the text itself.
fn page_ops(page: &Page, height: f32, fonts: &FontSet, canonical: &dyn Fn(Role) -> Role) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.runs.len() * 4 + 8);
    if !page.runs.is_empty() {
        ops.push(Op::StartTextSection);
        let mut font: Option<(Role, f32)> = None;
        let mut color: Option<[f32; 3]> = None;
        let mut spacing = 0.0f32;
        let mut rise = 0.0f32;
        for run in &page.runs {
            let role = canonical(run.style.role);
            if font != Some((role, run.style.size)) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(FontId(role.resource_name().to_string())),
                    size: Pt(run.style.size),
                });
                font = Some((role, run.style.size));
            }
            if color != Some(run.style.color) {
                let [r, g, b] = run.style.color;
                ops.push(Op::SetFillColor { col: Color::Rgb(Rgb { r, g, b, icc_profile: None }) });
                color = Some(run.style.color);
            }
            if spacing != run.char_spacing {
                ops.push(Op::SetCharacterSpacing { multiplier: run.char_spacing });
                spacing = run.char_spacing;
            }
            if rise != 0.0 {
                ops.push(Op::SetLineOffset { multiplier: 0.0 });
                rise = 0.0;
            }
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(run.x), Pt(height - run.y)) });
            let face = fonts.face(role);
            let glyphs = run
                .text
                .chars()
                .map(|c| Codepoint { gid: face.glyph_id(c), offset: 0.0, cid: Some(c.to_string()) })
                .collect();
            ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(glyphs)] });
        }
        ops.push(Op::EndTextSection);
    }
    for rule in &page.rules {
        let [r, g, b] = rule.color;
        ops.push(Op::SetOutlineColor { col: Color::Rgb(Rgb { r, g, b, icc_profile: None }) });
        ops.push(Op::SetOutlineThickness { pt: Pt(rule.width) });
        let point = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(height - rule.y) }, bezier: false };
        ops.push(Op::DrawLine { line: Line { points: vec![point(rule.x1), point(rule.x2)], is_closed: false } });
    }
    ops
}

/// Information dictionary, `/Lang`, outline and `/ID`.
fn finish(doc: &mut lopdf::Document, setter: &Setter<'_>, info: &Info) -> Result<(), EmitError> {
    let text = |s: &str| Object::String(pdf_text(s), StringFormat::Hexadecimal);
    let mut dict = Dictionary::new();
    dict.set("Title", text(&info.title));
    if !info.author.is_empty() {
        dict.set("Author", text(&info.author));
    }
    if !info.subject.is_empty() {
        dict.set("Subject", text(&info.subject));
    }
    if !info.keywords.is_empty() {
        dict.set("Keywords", text(&info.keywords));
    }
    dict.set("Creator", text("bitext"));
    dict.set("Producer", text("bitext (printpdf, lopdf)"));
    dict.set("CreationDate", Object::string_literal(info.date.clone()));
    dict.set("ModDate", Object::string_literal(info.date.clone()));
    let info_id = doc.add_object(dict);
    doc.trailer.set("Info", Object::Reference(info_id));

    let catalog_id =
        doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| EmitError::failed("pdf", e))?;
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let outline_id = if setter.outline.is_empty() {
        None
    } else {
        Some(outline(doc, &setter.outline, &pages, setter.page_size().1))
    };
    let catalog =
        doc.get_object_mut(catalog_id).and_then(Object::as_dict_mut).map_err(|e| EmitError::failed("pdf", e))?;
    catalog.set("Lang", Object::string_literal(info.lang));
    catalog.remove(b"Metadata");
    if let Some(id) = outline_id {
        catalog.set("Outlines", Object::Reference(id));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    // The file identifier: the edition's lasting key, then a digest of what the file says (PDF 14.4: the
    // first string stays across revisions, the second changes with them).
    let mut hasher = Sha256::new();
    for page in &setter.pages {
        for run in &page.runs {
            hasher.update(run.text.as_bytes());
            hasher.update(run.x.to_le_bytes());
            hasher.update(run.y.to_le_bytes());
        }
    }
    hasher.update(info.title.as_bytes());
    hasher.update(info.date.as_bytes());
    let revision = hasher.finalize()[..16].to_vec();
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(info.key.to_vec(), StringFormat::Hexadecimal),
            Object::String(revision, StringFormat::Hexadecimal),
        ]),
    );
    Ok(())
}

/// Text strings in UTF-16BE with a byte-order mark, as PDF wants for anything beyond Latin-1.
fn pdf_text(s: &str) -> Vec<u8> {
    let mut out = vec![0xfe, 0xff];
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}

/// Build the nested outline; returns the outline dictionary's id.
fn outline(doc: &mut lopdf::Document, entries: &[OutlineEntry], pages: &[ObjectId], page_height: f32) -> ObjectId {
    // Tree by level: each entry's parent is the nearest earlier entry with a lower level.
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    let mut parent: Vec<Option<usize>> = vec![None; entries.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent[i] = stack.last().copied();
        stack.push(i);
    }
    // Children of each entry, and the top level, computed once.
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top: Vec<usize> = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    // Top-level entries open (their children shown), everything deeper closed.
    let visible = top.len() + top.iter().map(|&t| kids[t].len()).sum::<usize>();
    for (i, e) in entries.iter().enumerate() {
        let siblings = parent[i].map_or(&top, |p| &kids[p]);
        let pos = siblings.iter().position(|&s| s == i).expect("an entry is its parent's child");
        let mut d = Dictionary::new();
        d.set("Title", Object::String(pdf_text(&e.title), StringFormat::Hexadecimal));
        d.set("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p])));
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if pos + 1 < siblings.len() {
            d.set("Next", Object::Reference(ids[siblings[pos + 1]]));
        }
        if let (Some(&first), Some(&last)) = (kids[i].first(), kids[i].last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            let n = kids[i].len() as i64;
            d.set("Count", Object::Integer(if parent[i].is_none() { n } else { -n }));
        }
        if let Some(&page) = pages.get(e.page) {
            let top = (page_height - e.y + 4.0).max(0.0);
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(top),
                    Object::Null,
                ]),
            );
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        d.set("First", Object::Reference(ids[first]));
        d.set("Last", Object::Reference(ids[last]));
        d.set("Count", Object::Integer(visible as i64));
    }
    doc.objects.insert(root, Object::Dictionary(d));
    root
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
        assemble(&setter, &info, out)?;
        report.diagnostics = missing_report(&setter);
        Ok(report)
    }
}
