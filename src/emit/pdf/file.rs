//! The PDF file, written with lopdf from set pages: content streams, embedded font subsets, a structure
//! tree (tagged PDF, a language on every paragraph), link annotations, the outline, document
//! information and a file identifier derived from the content.
//!
//! printpdf, named in the design card, is set aside here. It parses every face it embeds in full before
//! a page is written (about 120 ms for the two CJK collections of a bilingual book, more than setting
//! the book), and it has no structure tree, no marked-content identifiers tied to one and no links to
//! places in the document. What bitext needs of PDF is small: Type 0 fonts with Identity-H encoding
//! (CIDFontType0 for CFF outlines, CIDFontType2 for TrueType), subset by `subsetter` (typst's), text
//! shown glyph by glyph, lines for rules, and the objects of a tagged document. That is this module.

use super::fonts::{Face, FontSet, Role};
use super::layout::{Anchor, Element, Page, Run, Setter, Target};
use super::{text_string, Info};
use crate::emit::{EmitError, Sink};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;
use subsetter::GlyphRemapper;

/// A face as embedded: the glyphs used, renumbered from 1, and the text each stands for.
struct Embedded<'f> {
    face: &'f Face,
    /// The PDF resource name (`/BTZHBD`), fixed so that output depends on the input alone.
    resource: &'static str,
    glyphs: GlyphRemapper,
    unicode: BTreeMap<u16, char>,
    /// The code of each character drawn so far.
    codes: rustc_hash::FxHashMap<char, u16>,
}

/// One piece of a structure element's content: marked content on a page, a child element, or a link
/// annotation.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Content { page: usize, mcid: i64 },
    Element(u32),
    Annotation { page: usize, annotation: ObjectId },
}

/// A link annotation written: the element its text belongs to, its id and its page.
struct Annotation {
    parent: Option<u32>,
    id: ObjectId,
    page: usize,
}

/// What a page's marked-content sequence belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Element(u32),
    Artifact,
}

/// Write the setter's pages as a PDF file.
pub(super) fn write(setter: &Setter<'_>, info: &Info, mut out: &mut dyn Sink) -> Result<(), EmitError> {
    let fonts = setter.fonts;
    let (width, height) = setter.page_size();
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let page_ids: Vec<ObjectId> = setter.pages.iter().map(|_| doc.new_object_id()).collect();
    let mut embedded: Vec<Embedded<'_>> = Vec::new();
    // The kids of every structure element, and for every page the element of each marked-content id.
    let mut kids: Vec<Vec<Kid>> = vec![Vec::new(); setter.elements.len()];
    let mut parent_tree: Vec<Vec<u32>> = Vec::with_capacity(setter.pages.len());
    let mut contents: Vec<ObjectId> = Vec::with_capacity(setter.pages.len());
    for (index, page) in setter.pages.iter().enumerate() {
        let mut marked = Vec::new();
        let ops = page_ops(page, height, fonts, &setter.elements, &mut embedded, &mut |element| {
            kids[element as usize].push(Kid::Content { page: index, mcid: marked.len() as i64 });
            marked.push(element);
            marked.len() as i64 - 1
        });
        parent_tree.push(marked);
        let content = Content { operations: ops }.encode().map_err(|e| EmitError::failed("pdf", e))?;
        contents.push(doc.add_object(deflated(Dictionary::new(), content)));
    }
    let mut font_dict = Dictionary::new();
    for font in &embedded {
        let id = font_objects(&mut doc, font)?;
        font_dict.set(font.resource, Object::Reference(id));
    }
    let resources = doc.add_object(Dictionary::from_iter([("Font", Object::Dictionary(font_dict))]));

    let (page_annotations, link_elements) = annotations(&mut doc, setter, &page_ids, height);

    for (index, &id) in page_ids.iter().enumerate() {
        let mut page = Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            ("MediaBox", Object::Array(vec![0.into(), 0.into(), Object::Real(width), Object::Real(height)])),
            ("Resources", Object::Reference(resources)),
            ("Contents", Object::Reference(contents[index])),
            ("StructParents", Object::Integer(index as i64)),
        ]);
        if !page_annotations[index].is_empty() {
            page.set("Annots", Object::Array(page_annotations[index].iter().map(|&a| Object::Reference(a)).collect()));
            page.set("Tabs", Object::Name(b"S".to_vec()));
        }
        doc.objects.insert(id, Object::Dictionary(page));
    }
    let pages = Dictionary::from_iter([
        ("Type", Object::Name(b"Pages".to_vec())),
        ("Kids", Object::Array(page_ids.iter().map(|&p| Object::Reference(p)).collect())),
        ("Count", Object::Integer(page_ids.len() as i64)),
    ]);
    doc.objects.insert(pages_id, Object::Dictionary(pages));

    let tree_root = structure_tree(&mut doc, &setter.elements, kids, &parent_tree, &link_elements, &page_ids, info);
    let mut catalog = Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("Lang", Object::string_literal(info.lang)),
        ("MarkInfo", Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))]))),
        ("StructTreeRoot", Object::Reference(tree_root)),
        ("ViewerPreferences", Object::Dictionary(Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]))),
    ]);
    if !setter.outline.is_empty() {
        let outline = super::outline::write(&mut doc, &setter.outline, &page_ids, height);
        catalog.set("Outlines", Object::Reference(outline));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    let info_id = doc.add_object(info_dictionary(info));
    doc.trailer.set("Info", Object::Reference(info_id));
    doc.trailer.set("ID", identifier(setter, info));
    doc.save_modern(&mut out).map_err(|e| EmitError::failed("pdf", e))?;
    Ok(())
}

/// The link annotations: one per stretch of linked text on a line. Returns each page's annotations, and
/// for each annotation the element its text belongs to and its page, for its Link element.
fn annotations(
    doc: &mut Document,
    setter: &Setter<'_>,
    page_ids: &[ObjectId],
    height: f32,
) -> (Vec<Vec<ObjectId>>, Vec<Annotation>) {
    let links = link_annotations(setter, height);
    let mut page_annotations: Vec<Vec<ObjectId>> = vec![Vec::new(); setter.pages.len()];
    let mut link_elements: Vec<Annotation> = Vec::new();
    for link in &links {
        let Some(action) = destination(&link.target, &setter.anchors, page_ids, height) else {
            continue;
        };
        let key = (setter.pages.len() + link_elements.len()) as i64;
        let mut annotation = Dictionary::from_iter([
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Subtype", Object::Name(b"Link".to_vec())),
            ("Rect", Object::Array(link.rect.iter().map(|&v| Object::Real(v)).collect())),
            ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
            ("StructParent", Object::Integer(key)),
            ("Contents", text_string(&describe(&link.target, &setter.anchors))),
        ]);
        match action {
            Action::Uri(uri) => annotation.set(
                "A",
                Object::Dictionary(Dictionary::from_iter([
                    ("S", Object::Name(b"URI".to_vec())),
                    ("URI", Object::String(uri.into_bytes(), StringFormat::Literal)),
                ])),
            ),
            Action::Dest(dest) => annotation.set("Dest", dest),
        }
        let id = doc.add_object(annotation);
        page_annotations[link.page].push(id);
        link_elements.push(Annotation { parent: link.element, id, page: link.page });
    }
    (page_annotations, link_elements)
}

/// Content operators of one page. Text is marked as the content of its structure element (`mark`
/// hands out the page's next marked-content id), page furniture and rules as artifacts.
fn page_ops<'f>(
    page: &Page,
    height: f32,
    fonts: &'f FontSet,
    elements: &[Element],
    embedded: &mut Vec<Embedded<'f>>,
    mark: &mut dyn FnMut(u32) -> i64,
) -> Vec<Operation> {
    let mut ops = Vec::with_capacity(page.runs.len() * 5 + 8);
    let mut open: Option<Mark> = None;
    let mut font: Option<(usize, f32)> = None;
    let mut colour: Option<[f32; 3]> = None;
    let mut spacing = 0.0f32;
    for run in &page.runs {
        let wanted = run.element.map_or(Mark::Artifact, Mark::Element);
        if open != Some(wanted) {
            if open.is_some() {
                ops.push(Operation::new("ET", vec![]));
                ops.push(Operation::new("EMC", vec![]));
            }
            ops.push(begin_marked(wanted, elements, mark));
            ops.push(Operation::new("BT", vec![]));
            open = Some(wanted);
        }
        let face_index = embed(embedded, fonts, run.style.role);
        if font != Some((face_index, run.style.size)) {
            let name = Object::Name(embedded[face_index].resource.as_bytes().to_vec());
            ops.push(Operation::new("Tf", vec![name, Object::Real(run.style.size)]));
            font = Some((face_index, run.style.size));
        }
        if colour != Some(run.style.color) {
            ops.push(Operation::new("rg", run.style.color.iter().map(|&c| Object::Real(c)).collect()));
            colour = Some(run.style.color);
        }
        if spacing != run.char_spacing {
            ops.push(Operation::new("Tc", vec![Object::Real(run.char_spacing)]));
            spacing = run.char_spacing;
        }
        let matrix = [1.0, 0.0, 0.0, 1.0, run.x, height - run.y];
        ops.push(Operation::new("Tm", matrix.iter().map(|&v| Object::Real(v)).collect()));
        let font = &mut embedded[face_index];
        let mut codes = Vec::with_capacity(run.text.len() * 2);
        for c in run.text.chars() {
            let glyph = *font.codes.entry(c).or_insert_with(|| {
                let glyph = font.glyphs.remap(font.face.glyph_id(c));
                font.unicode.entry(glyph).or_insert(c);
                glyph
            });
            codes.extend_from_slice(&glyph.to_be_bytes());
        }
        ops.push(Operation::new("Tj", vec![Object::String(codes, StringFormat::Hexadecimal)]));
    }
    if open.is_some() {
        ops.push(Operation::new("ET", vec![]));
        ops.push(Operation::new("EMC", vec![]));
    }
    if !page.rules.is_empty() {
        ops.push(begin_marked(Mark::Artifact, elements, mark));
        for rule in &page.rules {
            ops.push(Operation::new("RG", rule.color.iter().map(|&c| Object::Real(c)).collect()));
            ops.push(Operation::new("w", vec![Object::Real(rule.width)]));
            ops.push(Operation::new("m", vec![Object::Real(rule.x1), Object::Real(height - rule.y)]));
            ops.push(Operation::new("l", vec![Object::Real(rule.x2), Object::Real(height - rule.y)]));
            ops.push(Operation::new("S", vec![]));
        }
        ops.push(Operation::new("EMC", vec![]));
    }
    ops
}

fn begin_marked(wanted: Mark, elements: &[Element], mark: &mut dyn FnMut(u32) -> i64) -> Operation {
    match wanted {
        Mark::Artifact => Operation::new("BMC", vec![Object::Name(b"Artifact".to_vec())]),
        Mark::Element(element) => {
            let mcid = mark(element);
            let properties = Dictionary::from_iter([("MCID", Object::Integer(mcid))]);
            // The tag repeats the element's type, for readers that look at the content alone.
            let tag = elements[element as usize].kind.as_bytes().to_vec();
            Operation::new("BDC", vec![Object::Name(tag), Object::Dictionary(properties)])
        }
    }
}

/// The index in `embedded` of the face drawing `role`, added on first use. Roles that share a face
/// share its embedding, named by the first role.
fn embed<'f>(embedded: &mut Vec<Embedded<'f>>, fonts: &'f FontSet, role: Role) -> usize {
    let face = fonts.face(role);
    if let Some(k) = embedded.iter().position(|e| std::ptr::eq(e.face, Arc::as_ptr(face))) {
        return k;
    }
    let first = Role::ALL.iter().copied().find(|&r| Arc::ptr_eq(fonts.face(r), face)).unwrap_or(role);
    embedded.push(Embedded {
        face,
        resource: first.resource_name(),
        glyphs: GlyphRemapper::new(),
        unicode: BTreeMap::new(),
        codes: Default::default(),
    });
    embedded.len() - 1
}

/// A subset font as a Type 0 font with its descendant, descriptor, font program and ToUnicode map;
/// returns the Type 0 font's id.
fn font_objects(doc: &mut Document, font: &Embedded<'_>) -> Result<ObjectId, EmitError> {
    let face = font.face;
    let ttf = face.ttf();
    let failed = |e: String| EmitError::failed("pdf", format!("cannot subset {}: {e}", face.source));
    let subset = subsetter::subset(face.file_data(), face.index, &font.glyphs).map_err(|e| failed(e.to_string()))?;
    let cff = ttf.tables().cff.is_some();
    let program = if cff {
        // A CFF face is embedded as its bare (CID-keyed) CFF table.
        let raw = ttf_parser::RawFace::parse(&subset, 0).map_err(|e| failed(e.to_string()))?;
        let table = raw.table(ttf_parser::Tag::from_bytes(b"CFF ")).ok_or_else(|| failed("no CFF table".into()))?;
        deflated(Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]), table.to_vec())
    } else {
        let length = subset.len() as i64;
        deflated(Dictionary::from_iter([("Length1", Object::Integer(length))]), subset)
    };
    let program = doc.add_object(program);
    let old: Vec<u16> = font.glyphs.remapped_gids().collect();
    let name = base_font_name(face, font.resource, &old);
    let scale = 1000.0 / face.units_per_em();
    let em = |v: i16| Object::Real((f32::from(v) * scale).round());
    let bbox = ttf.global_bounding_box();
    let descriptor = Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(name.clone().into_bytes())),
        ("Flags", Object::Integer(4)),
        ("FontBBox", Object::Array(vec![em(bbox.x_min), em(bbox.y_min), em(bbox.x_max), em(bbox.y_max)])),
        ("ItalicAngle", Object::Real(ttf.italic_angle())),
        ("Ascent", em(ttf.ascender())),
        ("Descent", em(ttf.descender())),
        ("CapHeight", em(ttf.capital_height().unwrap_or(ttf.ascender()))),
        ("StemV", Object::Integer(80)),
        (if cff { "FontFile3" } else { "FontFile2" }, Object::Reference(program)),
    ]);
    let descriptor = doc.add_object(descriptor);
    let widths: Vec<Object> =
        old.iter().map(|&g| Object::Real((f32::from(face.glyph_advance(g)) * scale).round())).collect();
    let mut cid_font = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(if cff { b"CIDFontType0".to_vec() } else { b"CIDFontType2".to_vec() })),
        ("BaseFont", Object::Name(name.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", Object::Array(vec![Object::Integer(0), Object::Array(widths)])),
    ]);
    if !cff {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let cid_font = doc.add_object(cid_font);
    let to_unicode = doc.add_object(deflated(Dictionary::new(), to_unicode(&font.unicode).into_bytes()));
    Ok(doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(name.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        ("DescendantFonts", Object::Array(vec![Object::Reference(cid_font)])),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}

/// A stream compressed with Flate at zlib level 3. lopdf's own `compress` takes the best level, which
/// was a quarter of the time of writing a PDF; level 3 writes the corpus's PDFs 2-3% larger than level
/// 6 in two thirds of the time (font programs are most of the bytes and compress little either way).
fn deflated(mut dict: Dictionary, content: Vec<u8>) -> Stream {
    use std::io::Write;
    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(content.len() / 2), flate2::Compression::new(3));
    let packed = encoder.write_all(&content).and_then(|()| encoder.finish()).ok().filter(|p| p.len() < content.len());
    match packed {
        Some(packed) => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            Stream::new(dict, packed)
        }
        None => Stream::new(dict, content),
    }
}

/// `ABCDEF+PostScriptName`: the subset tag from the glyphs kept, so the same text names the same subset.
fn base_font_name(face: &Face, resource: &str, glyphs: &[u16]) -> String {
    let postscript = face
        .ttf()
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b)))
        .unwrap_or_else(|| resource.to_string());
    let mut hasher = Sha256::new();
    for g in glyphs {
        hasher.update(g.to_be_bytes());
    }
    hasher.update(resource.as_bytes());
    let tag: String = hasher.finalize()[..6].iter().map(|b| char::from(b'A' + b % 26)).collect();
    format!("{tag}+{postscript}")
}

/// The ToUnicode CMap: what text each glyph code stands for, so copying and searching give the text.
fn to_unicode(map: &BTreeMap<u16, char>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = map.iter().filter(|(&g, _)| g != 0).collect();
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (glyph, c) in chunk {
            let units: String = c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("{u:04X}")).collect();
            out.push_str(&format!("<{glyph:04X}> <{units}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// A stretch of linked text: its page, rectangle (PDF coordinates), target, and the element it is in.
struct Link {
    page: usize,
    rect: [f32; 4],
    target: Target,
    element: Option<u32>,
}

/// The links of the pages: runs with a link, those on one line with the same target joined.
fn link_annotations(setter: &Setter<'_>, height: f32) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    for (index, page) in setter.pages.iter().enumerate() {
        for run in &page.runs {
            let Some(k) = run.style.link.checked_sub(1) else { continue };
            let target = &setter.links[k as usize];
            let base = height - run.y;
            let size = run.style.size;
            let (x1, x2) = (run.x, run.x + run_width(setter.fonts, run));
            let rect = [x1, base - size * 0.25, x2, base + size * 0.9];
            match links.last_mut() {
                Some(last) if last.page == index && &last.target == target && (last.rect[1] - rect[1]).abs() < 1.0 => {
                    last.rect[0] = last.rect[0].min(rect[0]);
                    last.rect[2] = last.rect[2].max(rect[2]);
                    last.rect[3] = last.rect[3].max(rect[3]);
                }
                _ => links.push(Link { page: index, rect, target: target.clone(), element: run.element }),
            }
        }
    }
    links
}

fn run_width(fonts: &FontSet, run: &Run) -> f32 {
    let face = fonts.face(run.style.role);
    let count = run.text.chars().count() as f32;
    let advances: f32 = run.text.chars().map(|c| face.advance(c).unwrap_or(0.5)).sum();
    advances * run.style.size + run.char_spacing * (count - 1.0).max(0.0)
}

enum Action {
    Uri(String),
    Dest(Object),
}

/// Where a link takes the reader, when its target was placed.
fn destination(
    target: &Target,
    anchors: &BTreeMap<(u32, bool), Anchor>,
    pages: &[ObjectId],
    height: f32,
) -> Option<Action> {
    let at = |page: usize, y: f32| {
        let page = *pages.get(page)?;
        let top = (height - y + 4.0).min(height);
        Some(Action::Dest(Object::Array(vec![
            Object::Reference(page),
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            Object::Real(top),
            Object::Null,
        ])))
    };
    match target {
        Target::Uri(uri) => Some(Action::Uri(uri.clone())),
        Target::Page(page) => at(*page, 0.0),
        Target::Note(n) => anchors.get(&(*n, true)).and_then(|a| at(a.page, a.y)),
        Target::NoteRef(n) => anchors.get(&(*n, false)).and_then(|a| at(a.page, a.y)),
    }
}

/// What a link does, in words, for assistive technology (`/Contents`).
fn describe(target: &Target, anchors: &BTreeMap<(u32, bool), Anchor>) -> String {
    match target {
        Target::Uri(uri) => uri.clone(),
        Target::Page(page) => format!("Page {}", page + 1),
        Target::Note(n) => format!("Note, page {}", anchors.get(&(*n, true)).map_or(0, |a| a.page + 1)),
        Target::NoteRef(_) => "Back to the text".to_string(),
    }
}

/// The structure tree: a Document element over the setter's elements (those with content), link
/// elements for the annotations, and the parent tree that maps marked content back to elements.
fn structure_tree(
    doc: &mut Document,
    elements: &[Element],
    mut kids: Vec<Vec<Kid>>,
    parent_tree: &[Vec<u32>],
    links: &[Annotation],
    pages: &[ObjectId],
    info: &Info,
) -> ObjectId {
    let root = doc.new_object_id();
    let document = doc.new_object_id();
    // Link elements come after the setter's, each under the element its text belongs to.
    let mut all: Vec<Element> = elements.to_vec();
    for link in links {
        all.push(Element { kind: "Link", lang: None, parent: link.parent });
        kids.push(vec![Kid::Annotation { page: link.page, annotation: link.id }]);
    }
    // An element lives when it has content or a living child; parents come before their children.
    let mut alive: Vec<bool> = kids.iter().map(|k| !k.is_empty()).collect();
    for e in (0..all.len()).rev() {
        if alive[e] {
            if let Some(p) = all[e].parent {
                alive[p as usize] = true;
            }
        }
    }
    let ids: Vec<ObjectId> = all.iter().map(|_| doc.new_object_id()).collect();
    let mut top: Vec<Object> = Vec::new();
    for (e, element) in all.iter().enumerate() {
        if !alive[e] {
            continue;
        }
        match element.parent {
            Some(p) => kids[p as usize].push(Kid::Element(e as u32)),
            None => top.push(Object::Reference(ids[e])),
        }
    }
    for (e, element) in all.iter().enumerate() {
        if !alive[e] {
            continue;
        }
        let k: Vec<Object> = kids[e]
            .iter()
            .filter(|kid| !matches!(kid, Kid::Element(c) if !alive[*c as usize]))
            .map(|kid| match *kid {
                Kid::Content { page, mcid } => Object::Dictionary(Dictionary::from_iter([
                    ("Type", Object::Name(b"MCR".to_vec())),
                    ("Pg", Object::Reference(pages[page])),
                    ("MCID", Object::Integer(mcid)),
                ])),
                Kid::Element(c) => Object::Reference(ids[c as usize]),
                Kid::Annotation { page, annotation } => Object::Dictionary(Dictionary::from_iter([
                    ("Type", Object::Name(b"OBJR".to_vec())),
                    ("Pg", Object::Reference(pages[page])),
                    ("Obj", Object::Reference(annotation)),
                ])),
            })
            .collect();
        let mut dict = Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(element.kind.as_bytes().to_vec())),
            ("P", Object::Reference(element.parent.map_or(document, |p| ids[p as usize]))),
            ("K", Object::Array(k)),
        ]);
        if let Some(lang) = element.lang {
            dict.set("Lang", Object::string_literal(lang.bcp47()));
        }
        doc.objects.insert(ids[e], Object::Dictionary(dict));
    }
    doc.objects.insert(
        document,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(b"Document".to_vec())),
            ("P", Object::Reference(root)),
            ("K", Object::Array(top)),
            ("Lang", Object::string_literal(info.lang)),
        ])),
    );
    let mut nums: Vec<Object> = Vec::new();
    for (page, marked) in parent_tree.iter().enumerate() {
        nums.push(Object::Integer(page as i64));
        nums.push(Object::Array(marked.iter().map(|&e| Object::Reference(ids[e as usize])).collect()));
    }
    for (k, _) in links.iter().enumerate() {
        nums.push(Object::Integer((parent_tree.len() + k) as i64));
        nums.push(Object::Reference(ids[elements.len() + k]));
    }
    doc.objects.insert(
        root,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Reference(document)),
            ("ParentTree", Object::Dictionary(Dictionary::from_iter([("Nums", Object::Array(nums))]))),
            ("ParentTreeNextKey", Object::Integer((parent_tree.len() + links.len()) as i64)),
        ])),
    );
    root
}

fn info_dictionary(info: &Info) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Title", text_string(&info.title));
    if !info.author.is_empty() {
        dict.set("Author", text_string(&info.author));
    }
    if !info.subject.is_empty() {
        dict.set("Subject", text_string(&info.subject));
    }
    if !info.keywords.is_empty() {
        dict.set("Keywords", text_string(&info.keywords));
    }
    dict.set("Creator", text_string("bitext"));
    dict.set("Producer", text_string("bitext (lopdf, subsetter)"));
    dict.set("CreationDate", Object::string_literal(info.date.clone()));
    dict.set("ModDate", Object::string_literal(info.date.clone()));
    dict
}

/// The file identifier: the edition's lasting key, then a digest of what the file says (PDF 14.4: the
/// first string stays across revisions, the second changes with them).
fn identifier(setter: &Setter<'_>, info: &Info) -> Object {
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
    Object::Array(vec![
        Object::String(info.key.to_vec(), StringFormat::Hexadecimal),
        Object::String(revision, StringFormat::Hexadecimal),
    ])
}
