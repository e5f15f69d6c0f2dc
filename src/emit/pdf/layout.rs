//! Page layout: the mechanics of placing text on pages.
//!
//! Set lines (`lines` sets paragraphs into them) are placed on pages paragraph by paragraph, with page
//! breaks that leave no widow or orphan, running headers, page numbers, footnotes at the page foot and
//! an outline entry per heading; the setter also keeps the document's structure elements, link targets
//! and where footnotes and their references landed. What goes on the pages (title pages, sections,
//! segments) is `content`'s; nothing here knows about PDF syntax: `file` turns pages into PDF.

use super::fonts::{FontSet, Role};
use super::options::{Paper, MM};
use crate::emit::turns::Turns;
use crate::ir::Lang;
use crate::select::View;
use crate::theme::{parse_colour, Layout, PdfStyle};
use std::collections::BTreeSet;

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub role: Role,
    pub size: f32,
    pub color: [f32; 3],
    /// Baseline shift upwards (superscript note numbers), in points.
    pub rise: f32,
    /// Where the text links to: an index into `Setter::links` plus one, 0 for no link.
    pub link: u32,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// A web address.
    Uri(String),
    /// The top of a page, by index.
    Page(usize),
    /// A footnote, by its serial number in the file.
    Note(u32),
    /// The reference to a footnote, back from the note.
    NoteRef(u32),
}

/// A structure element of the tagged PDF: its standard type, language, and parent (`None`: the
/// document).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    pub kind: &'static str,
    pub lang: Option<Lang>,
    pub parent: Option<u32>,
}

/// Text at a position: `x` from the left edge, `y` the baseline from the top edge, in points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub x: f32,
    pub y: f32,
    pub style: Style,
    /// Extra space after each character (Chinese justification), in points.
    pub char_spacing: f32,
    pub text: String,
    /// The structure element the text belongs to; `None` for page furniture (an artifact).
    pub element: Option<u32>,
}

/// A horizontal rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub x1: f32,
    pub x2: f32,
    pub y: f32,
    pub width: f32,
    pub color: [f32; 3],
}

#[derive(Debug, Default)]
pub(crate) struct Page {
    pub runs: Vec<Run>,
    pub rules: Vec<Rule>,
}

/// Where a footnote or its reference was placed: page index and top of its line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Anchor {
    pub page: usize,
    pub y: f32,
}

/// An outline (bookmark) entry: `level` 0 is the top.
#[derive(Debug, Clone)]
pub(crate) struct OutlineEntry {
    pub level: usize,
    pub title: String,
    pub page: usize,
    /// Top of the entry on its page, from the top edge, in points.
    pub y: f32,
}

/// A set line: runs relative to the line's left edge and baseline.
#[derive(Debug, Clone)]
pub(crate) struct SetLine {
    pub(super) runs: Vec<Run>,
    pub(super) height: f32,
    /// The line height it was set with (`height` may add a gap after it).
    pub(super) leading: f32,
    /// Baseline below the line's top.
    pub(super) baseline: f32,
    /// Footnotes anchored in this line, already set.
    pub(super) notes: Vec<SetLine>,
    /// The line's characters, for checks.
    pub text: String,
    /// The first and the last line of its paragraph: page breaks keep two lines together at each end.
    pub(super) first: bool,
    pub(super) last: bool,
    /// How far the gaps between its Chinese characters were opened (negative: closed), in ems.
    pub(super) han_gap: f32,
    /// Whether it was set to the full measure (a justified line that does not end its paragraph).
    pub(super) justified: bool,
}

/// A line as placed on a page, for checks (`set_lines`).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLine {
    pub text: String,
    /// Index of its page.
    pub page: usize,
    /// Offset from the left margin: which column of a parallel layout it is in.
    pub column: f32,
    /// The first and the last line of its paragraph.
    pub first: bool,
    pub last: bool,
    /// How far the gaps between its Chinese characters were opened (negative: closed), in ems.
    pub han_gap: f32,
    /// Whether it was set to the full measure.
    pub justified: bool,
}

impl SetLine {
    /// The line's own height, without the gap a paragraph's last line carries after it.
    fn natural_height(&self) -> f32 {
        self.height.min(self.leading)
    }
}

/// A footnote of a paragraph: where its reference stands (a character index into the paragraph's text),
/// its serial number in the file, the number printed, and its text.
#[derive(Debug, Clone)]
pub(crate) struct Footnote {
    pub at: usize,
    pub serial: u32,
    pub number: String,
    pub text: String,
}

/// Paragraph alignment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Justify {
    Ragged,
    Full,
    Center,
}

/// Everything a document is set with.
pub(crate) struct Setter<'a> {
    pub(super) fonts: &'a FontSet,
    pub(super) style: &'a PdfStyle,
    pub(super) view: View,
    pub(super) layout: Layout,
    pub(super) width: f32,
    pub(super) height: f32,
    pub(super) top: f32,
    pub(super) bottom: f32,
    pub(super) left: f32,
    pub(super) right: f32,
    pub(super) text: [f32; 3],
    pub(super) english: [f32; 3],
    pub(super) heading: [f32; 3],
    pub(super) speaker: [f32; 3],
    pub(super) muted: [f32; 3],
    pub pages: Vec<Page>,
    /// Pages that carry no running header (title and part pages).
    pub(super) bare: BTreeSet<usize>,
    /// Running header of each page.
    pub(super) headers: Vec<String>,
    pub(super) current_header: String,
    pub(super) y: f32,
    pub(super) notes: Vec<SetLine>,
    pub(super) notes_height: f32,
    pub outline: Vec<OutlineEntry>,
    /// Characters no font of the set could draw.
    pub missing: BTreeSet<char>,
    /// The face and advance of each character asked for in each role (`metric`).
    pub(super) metrics: rustc_hash::FxHashMap<(Role, char), (Role, f32)>,
    pub(super) note_number: usize,
    pub(super) turns: Turns,
    /// Structure elements, in reading order; runs point into it.
    pub elements: Vec<Element>,
    /// The structure element the lines being set belong to (`None`: an artifact), and the grouping
    /// element (a transcript's Sect, a list, the contents) that elements opened now go under.
    pub(super) tagging: Option<u32>,
    pub(super) container: Option<u32>,
    /// The part of an anthology being set: its transcripts go under it.
    pub(super) part: Option<u32>,
    /// The list the paragraphs being set belong to, while they are list items.
    pub(super) list: Option<u32>,
    /// Link targets; `Style::link` points into it.
    pub links: Vec<Target>,
    /// Where each footnote (`true`) and reference (`false`) of the file was placed, by serial number.
    pub anchors: std::collections::BTreeMap<(u32, bool), Anchor>,
    /// Footnotes numbered across the whole file (their printed numbers restart with each transcript).
    pub(super) note_serial: u32,
    /// When set, every body line placed, in order: for checking the line and page breakers on real text
    /// (`set_lines`). `None` when making a PDF, so nothing is kept that the file does not need.
    pub recorded: Option<Vec<PlacedLine>>,
}

const NOTE_GAP: f32 = 8.0;

impl<'a> Setter<'a> {
    pub fn new(fonts: &'a FontSet, style: &'a PdfStyle, view: View, layout: Layout, paper: Paper) -> Self {
        let (width, height) = paper.size();
        let m = &style.margins_mm;
        let colour = |c: &str| parse_colour(c).unwrap_or([0.0, 0.0, 0.0]);
        Setter {
            fonts,
            style,
            view,
            layout: if view == View::Bi { layout } else { Layout::Interleaved },
            width,
            height,
            top: m.top * MM,
            bottom: height - m.bottom * MM,
            left: m.inner * MM,
            right: width - m.outer * MM,
            text: colour(&style.colours.text),
            english: colour(&style.colours.english),
            heading: colour(&style.colours.heading),
            speaker: colour(&style.colours.speaker),
            muted: colour(&style.colours.muted),
            pages: Vec::new(),
            bare: BTreeSet::new(),
            headers: Vec::new(),
            current_header: String::new(),
            y: 0.0,
            notes: Vec::new(),
            notes_height: 0.0,
            outline: Vec::new(),
            missing: BTreeSet::new(),
            metrics: Default::default(),
            note_number: 0,
            turns: Turns::default(),
            elements: Vec::new(),
            tagging: None,
            container: None,
            part: None,
            list: None,
            links: Vec::new(),
            anchors: Default::default(),
            note_serial: 0,
            recorded: None,
        }
    }

    pub fn page_size(&self) -> (f32, f32) {
        (self.width, self.height)
    }

    pub(super) fn measure_width(&self) -> f32 {
        self.right - self.left
    }

    // ---- pages ------------------------------------------------------------------------------------

    pub(super) fn start_page(&mut self, bare: bool) {
        self.finish_page();
        self.pages.push(Page::default());
        self.headers.push(self.current_header.clone());
        if bare {
            self.bare.insert(self.pages.len() - 1);
        }
        self.y = self.top;
    }

    /// Draw the pending footnotes at the foot of the current page.
    pub(super) fn finish_page(&mut self) {
        if self.pages.is_empty() || self.notes.is_empty() {
            return;
        }
        let mut y = self.bottom - self.notes_height + NOTE_GAP;
        let rule =
            Rule { x1: self.left, x2: self.left + 40.0 * MM, y: y - NOTE_GAP / 2.0, width: 0.4, color: self.muted };
        let notes = std::mem::take(&mut self.notes);
        self.pages.last_mut().expect("a page is open").rules.push(rule);
        for note in notes {
            self.put(&note, self.left, y);
            y += note.height;
        }
        self.notes_height = 0.0;
    }

    /// Room left for body text on this page.
    pub(super) fn room(&self) -> f32 {
        self.bottom - self.notes_height - self.y
    }

    /// Place one row of lines side by side (`x` offsets from the left margin), breaking the page first if
    /// it does not fit with its footnotes.
    pub(super) fn place_row(&mut self, row: &[(f32, SetLine)]) {
        let height = row.iter().map(|(_, l)| l.height).fold(0.0, f32::max);
        // The gap after a paragraph's last line may fall past the foot of the page.
        let need = row.iter().map(|(_, l)| if l.last { l.natural_height() } else { l.height }).fold(0.0, f32::max);
        let notes: Vec<SetLine> = row.iter().flat_map(|(_, l)| l.notes.iter().cloned()).collect();
        let notes_h: f32 = notes.iter().map(|n| n.height).sum::<f32>()
            + if self.notes.is_empty() && !notes.is_empty() { NOTE_GAP } else { 0.0 };
        if self.pages.is_empty() || (need + notes_h > self.room() + 0.01 && self.y > self.top + 0.01) {
            self.start_page(false);
        }
        let y = self.y;
        for (x, line) in row {
            self.put(line, self.left + x, y);
            if let Some(recorded) = &mut self.recorded {
                recorded.push(PlacedLine {
                    text: line.text.clone(),
                    page: self.pages.len() - 1,
                    column: *x,
                    first: line.first,
                    last: line.last,
                    han_gap: line.han_gap,
                    justified: line.justified,
                });
            }
        }
        self.y += height;
        if !notes.is_empty() {
            self.notes_height += notes_h;
            self.notes.extend(notes);
        }
    }

    /// Copy a set line onto the current page with its top at `y`, noting where footnotes and their
    /// references land.
    fn put(&mut self, line: &SetLine, x: f32, y: f32) {
        let page = self.pages.len() - 1;
        for run in &line.runs {
            let anchor = match run.style.link.checked_sub(1).map(|k| &self.links[k as usize]) {
                Some(Target::Note(n)) => Some((*n, false)),
                Some(Target::NoteRef(n)) => Some((*n, true)),
                _ => None,
            };
            if let Some(key) = anchor {
                self.anchors.entry(key).or_insert(Anchor { page, y });
            }
        }
        place_line(&mut self.pages[page], line, x, y);
    }

    // ---- structure and links ----------------------------------------------------------------------

    /// Open a structure element under the current container: lines set from now on belong to it.
    pub(super) fn tag(&mut self, kind: &'static str, lang: Option<Lang>) -> u32 {
        self.elements.push(Element { kind, lang, parent: self.container });
        let id = self.elements.len() as u32 - 1;
        self.tagging = Some(id);
        id
    }

    /// Open a grouping element (a transcript, a part, the contents): elements opened after it go under
    /// it until another is opened at its level (`parent`).
    pub(super) fn open_container(&mut self, kind: &'static str, parent: Option<u32>) -> u32 {
        self.container = parent;
        let id = self.tag(kind, None);
        self.container = Some(id);
        self.tagging = None;
        id
    }

    /// A link to `target`, for `Style::link`.
    pub(super) fn link(&mut self, target: Target) -> u32 {
        self.links.push(target);
        self.links.len() as u32
    }

    /// Place lines `x` from the left margin, paragraph by paragraph, breaking pages so that at least two
    /// lines of a paragraph stand at the foot of a page and two at the head of the next (no orphans, no
    /// widows). A paragraph of two or three lines that does not fit moves to the next page whole.
    pub(super) fn place_lines(&mut self, lines: Vec<SetLine>, x: f32) {
        let mut lines = lines.into_iter().peekable();
        let mut paragraph: Vec<SetLine> = Vec::new();
        while let Some(line) = lines.next() {
            let ends = line.last || lines.peek().is_none_or(|next| next.first);
            paragraph.push(line);
            if ends {
                self.place_paragraph(std::mem::take(&mut paragraph), x);
            }
        }
    }

    fn place_paragraph(&mut self, mut lines: Vec<SetLine>, x: f32) {
        if self.pages.is_empty() {
            self.start_page(false);
        }
        while !lines.is_empty() {
            let fit = self.fitting(lines.iter());
            if fit >= lines.len() {
                break;
            }
            let here = fit.min(lines.len().saturating_sub(2));
            let at_top = self.y <= self.top + 0.01;
            if here < 2 && !at_top {
                self.start_page(false);
                continue;
            }
            // At the top of a page there is nowhere better to go: take what fits (at least a line).
            let here = if here < 2 { fit.max(1) } else { here };
            let rest = lines.split_off(here.min(lines.len()));
            for line in lines {
                self.place_row(&[(x, line)]);
            }
            self.start_page(false);
            lines = rest;
        }
        for line in lines {
            self.place_row(&[(x, line)]);
        }
    }

    /// How many of `lines`, one under another, fit on the current page with their footnotes.
    pub(super) fn fitting<'l>(&self, lines: impl Iterator<Item = &'l SetLine>) -> usize {
        let mut room = self.room();
        let mut notes_open = !self.notes.is_empty();
        let mut count = 0;
        for line in lines {
            let notes: f32 = line.notes.iter().map(|n| n.height).sum::<f32>()
                + if !notes_open && !line.notes.is_empty() { NOTE_GAP } else { 0.0 };
            // A paragraph's last line need not find room for the gap after it.
            let gap = if line.last { line.height - line.natural_height() } else { 0.0 };
            if line.height - gap + notes > room + 0.01 {
                break;
            }
            room -= line.height + notes;
            notes_open |= !line.notes.is_empty();
            count += 1;
        }
        count
    }

    pub(super) fn gap(&mut self, h: f32) {
        if self.y > self.top + 0.01 {
            self.y = (self.y + h).min(self.bottom);
        }
    }

    /// Put `front`'s pages (finished) before this setter's: outline entries, running headers and bare
    /// pages move along with their pages.
    pub(crate) fn prepend(&mut self, front: Setter<'_>) {
        let shift = front.pages.len();
        let pages = std::mem::take(&mut self.pages);
        self.pages = front.pages.into_iter().chain(pages).collect();
        let headers = std::mem::take(&mut self.headers);
        self.headers = front.headers.into_iter().chain(headers).collect();
        self.bare = front.bare.into_iter().chain(self.bare.iter().map(|i| i + shift)).collect();
        let outline = std::mem::take(&mut self.outline);
        self.outline = front
            .outline
            .into_iter()
            .chain(outline.into_iter().map(|e| OutlineEntry { page: e.page + shift, ..e }))
            .collect();
        self.missing.extend(front.missing);
        // The front's elements, links and anchors come first; this setter's are renumbered after them.
        let (elements, links) = (front.elements.len() as u32, front.links.len() as u32);
        for page in &mut self.pages[shift..] {
            for run in &mut page.runs {
                run.element = run.element.map(|e| e + elements);
                if run.style.link > 0 {
                    run.style.link += links;
                }
            }
        }
        let mine = std::mem::take(&mut self.elements)
            .into_iter()
            .map(|e| Element { parent: e.parent.map(|p| p + elements), ..e });
        self.elements = front.elements.into_iter().chain(mine).collect();
        let mine = std::mem::take(&mut self.links).into_iter().map(|t| match t {
            Target::Page(p) => Target::Page(p + shift),
            t => t,
        });
        self.links = front.links.into_iter().chain(mine).collect();
        let anchors = std::mem::take(&mut self.anchors);
        self.anchors = front.anchors;
        self.anchors.extend(anchors.into_iter().map(|(k, a)| (k, Anchor { page: a.page + shift, ..a })));
    }

    /// Close the last page and add running headers and page numbers.
    pub fn finish(&mut self) {
        self.finish_page();
        // Running headers and page numbers are artifacts: outside the structure tree.
        self.tagging = None;
        let small = Style { role: Role::ZhBody, size: self.style.small, color: self.muted, rise: 0.0, link: 0 };
        let width = self.measure_width();
        for i in 0..self.pages.len() {
            let number = Style { role: Role::EnBody, ..small };
            let furniture = self.set(&[((i + 1).to_string(), number)], &[], 0.0, width, Justify::Center);
            let footer_y = self.bottom + (self.height - self.bottom) * 0.45;
            if !self.bare.contains(&i) {
                let header = self.headers[i].clone();
                let head = self.set(&[(header, small)], &[], 0.0, width, Justify::Center);
                if let Some(line) = head.into_iter().next() {
                    let y = self.top * 0.5;
                    place_line(&mut self.pages[i], &line, self.left, y);
                    self.pages[i].rules.push(Rule {
                        x1: self.left,
                        x2: self.right,
                        y: y + line.height + 1.0,
                        width: 0.3,
                        color: self.muted,
                    });
                }
            }
            if let Some(line) = furniture.into_iter().next() {
                place_line(&mut self.pages[i], &line, self.left, footer_y);
            }
        }
    }
}

/// Copy a set line's runs onto a page with its top at `y`.
fn place_line(page: &mut Page, line: &SetLine, x: f32, y: f32) {
    for run in &line.runs {
        page.runs.push(Run { x: run.x + x, y: y + line.baseline - run.style.rise, ..run.clone() });
    }
}
