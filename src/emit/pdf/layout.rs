//! Page layout: the mechanics of setting text on pages.
//!
//! Paragraphs are measured with the real fonts, broken into lines (`linebreak`), justified (Chinese
//! between characters, English between words when the theme asks), and placed on pages with running
//! headers, page numbers, footnotes at the page foot and an outline entry per heading. What goes on the
//! pages (title pages, sections, segments) is `content`'s; nothing here knows about PDF syntax: `mod.rs`
//! turns pages into PDF.

use super::fonts::{FontSet, Role};
use super::linebreak::{break_lines, Glyph, Measure};
use super::options::{Paper, MM};
use crate::emit::turns::Turns;
use crate::ir::Lang;
use crate::script::is_han;
use crate::select::View;
use crate::theme::{parse_colour, Layout, PdfStyle, Punctuation};
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
    metrics: rustc_hash::FxHashMap<(Role, char), (Role, f32)>,
    pub(super) note_number: usize,
    pub(super) turns: Turns,
    /// Structure elements, in reading order; runs point into it.
    pub elements: Vec<Element>,
    /// The element lines being set now belong to, and the section elements open go under.
    pub(super) tagging: Option<u32>,
    pub(super) container: Option<u32>,
    /// The part of an anthology being set: its transcripts go under it.
    pub(super) part: Option<u32>,
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
/// How far the gap between two Chinese characters opens at a stretch ratio of 1, in ems. Lines are
/// refused past a ratio of 4 (0.24 em) while any other way to break the paragraph exists.
const HAN_STRETCH: f32 = 0.06;
const HAN_SHRINK: f32 = 0.02;

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

    // ---- measuring and breaking ---------------------------------------------------------------------

    /// The face that draws `c` in text asking for `role`, and its advance in ems (half an em when no face
    /// has it; nothing for a line break). Looked up in the fonts once per setter: a transcript asks for a
    /// few hundred distinct characters tens of thousands of times.
    fn metric(&mut self, role: Role, c: char) -> (Role, f32) {
        if let Some(&known) = self.metrics.get(&(role, c)) {
            return known;
        }
        let face = self.resolve(role, c);
        let em = if c == '\n' { 0.0 } else { self.fonts.face(face).advance(c).unwrap_or(0.5) };
        self.metrics.insert((role, c), (face, em));
        (face, em)
    }

    /// The face for `c` in text that asks for `role`: Latin letters, digits and ASCII punctuation inside
    /// Chinese text use the Latin face, so they are never the CJK font's full-width forms.
    fn resolve(&mut self, role: Role, c: char) -> Role {
        let wanted = match role {
            Role::ZhBody if is_latin(c) => Role::EnBody,
            Role::ZhHeading if is_latin(c) => Role::EnBold,
            r => r,
        };
        match self.fonts.resolve(wanted, c) {
            Some(r) => r,
            None => {
                if !c.is_whitespace() && !c.is_control() {
                    self.missing.insert(c);
                }
                wanted
            }
        }
    }

    /// Measure a paragraph's characters: for each its advance, the stretch and shrink of the gap after
    /// it, and what adjacent punctuation gives up (`Punctuation::Compressed`). Returns the text, the
    /// glyphs, each glyph's full advance (for drawing) and the styles the glyphs index.
    fn measure(&mut self, spans: &[(String, Style)]) -> (String, Vec<Glyph>, Vec<f32>, Vec<Style>) {
        let compress = self.style.punctuation == Punctuation::Compressed;
        let mut styles: Vec<Style> = Vec::new();
        let mut glyphs: Vec<Glyph> = Vec::new();
        let mut advances: Vec<f32> = Vec::new();
        let mut text = String::new();
        let mut prev: Option<(char, Option<Blank>)> = None;
        for (span, style) in spans {
            for c in span.chars() {
                let c = if c == '\t' { ' ' } else { c };
                let (role, em) = self.metric(style.role, c);
                let resolved = Style { role, ..*style };
                let idx = match styles.iter().position(|s| *s == resolved) {
                    Some(i) => i,
                    None => {
                        styles.push(resolved);
                        styles.len() - 1
                    }
                };
                let width = em * style.size;
                let chinese = matches!(role, Role::ZhBody | Role::ZhHeading) && c != ' ';
                // A mark's blank half counts only where the mark is full width in the face that draws it.
                let blank = if chinese && em > 0.9 { blank_side(c) } else { None };
                let mut g = Glyph { c, width, style: idx as u16, ..Glyph::default() };
                if c.is_ascii_alphabetic() && style.rise == 0.0 {
                    g.hyphen = self.metric(role, '-').1 * style.size;
                }
                if c == ' ' {
                    g.stretch = width * 0.5;
                    g.shrink = width / 3.0;
                } else if chinese && style.rise == 0.0 {
                    g.stretch = style.size * HAN_STRETCH;
                    g.shrink = style.size * HAN_SHRINK;
                }
                if compress {
                    match blank {
                        Some(Blank::Right) => g.shrink = width * 0.5,
                        Some(Blank::Left) => g.start_trim = width * 0.5,
                        None => {}
                    }
                }
                let p = prev.map(|(p, _)| p);
                if style.rise == 0.0
                    && matches!(p, Some(p) if (is_han(p) && is_latin_word(c)) || (is_latin_word(p) && is_han(c)))
                {
                    // A quarter em between Han and Latin. Lines are adjusted there first (jlreq 3.8): it
                    // stretches four times as readily as the gap between two Han characters.
                    g.space_before = style.size * 0.25;
                    if let Some(before) = glyphs.last_mut() {
                        before.stretch += style.size * HAN_STRETCH * 4.0;
                        before.shrink += style.size * 0.1;
                    }
                }
                if let (true, Some((_, Some(before))), Some(this)) = (compress, prev, blank) {
                    compress_pair(glyphs.last_mut().expect("a previous glyph"), before, &mut g, this);
                }
                glyphs.push(g);
                advances.push(width);
                text.push(c);
                prev = Some((c, blank));
            }
        }
        (text, glyphs, advances, styles)
    }

    /// Set a paragraph made of styled spans into lines `width` wide, the first indented by `indent`.
    pub(super) fn set(
        &mut self,
        spans: &[(String, Style)],
        notes: &[Footnote],
        indent: f32,
        width: f32,
        justify: Justify,
    ) -> Vec<SetLine> {
        let element = self.tagging;
        let (text, glyphs, advances, styles) = self.measure(spans);
        if glyphs.is_empty() {
            return Vec::new();
        }
        let base_size = spans.iter().map(|(_, s)| s.size).fold(0.0, f32::max);
        let ragged = (justify != Justify::Full).then_some(width * 0.25);
        let lines = break_lines(&text, &glyphs, Measure { first: width - indent, rest: width, ragged });
        let line_height = base_size * self.style.leading;
        let baseline = (line_height - base_size) / 2.0 + base_size * 0.88;
        let mut set = Vec::with_capacity(lines.len());
        let mut note_iter = notes.iter().peekable();
        for (n, line) in lines.iter().enumerate() {
            let x0 = match justify {
                Justify::Center => ((width - line.width) / 2.0).max(0.0),
                _ if n == 0 => indent,
                _ => 0.0,
            };
            // A line that would need its Chinese gaps opened past half an em is left unjustified.
            let ratio = if justify == Justify::Full && line.ratio * HAN_STRETCH <= 0.5 { line.ratio } else { 0.0 };
            let mut runs: Vec<Run> = Vec::new();
            let mut x = x0 - line.start_trim;
            // Where the current run's last glyph ends (before spacing), and how many glyphs it has: a
            // glyph joins the run when the run's character spacing puts it where it belongs.
            let mut pen: Option<(f32, usize)> = None;
            for k in line.start..line.end {
                let g = &glyphs[k];
                if k > line.start {
                    x += g.space_before;
                }
                let gap = match (k + 1 == line.end, ratio >= 0.0) {
                    (true, _) => 0.0,
                    (false, true) => ratio * g.stretch,
                    (false, false) => ratio * g.shrink,
                };
                if g.c != '\n' {
                    let style = styles[g.style as usize];
                    let at = x + g.offset;
                    let joined = match (runs.last_mut(), pen) {
                        (Some(run), Some((end, count))) if run.style == style => {
                            let spacing = at - end;
                            if count == 1 && spacing.abs() < style.size {
                                run.char_spacing = spacing;
                            }
                            let fits = (spacing - run.char_spacing).abs() < 0.01;
                            if fits {
                                run.text.push(g.c);
                            }
                            fits
                        }
                        _ => false,
                    };
                    if joined {
                        pen = pen.map(|(_, count)| (at + advances[k], count + 1));
                    } else {
                        runs.push(Run { x: at, y: 0.0, style, char_spacing: 0.0, text: g.c.to_string(), element });
                        pen = Some((at + advances[k], 1));
                    }
                }
                x += g.width + gap;
            }
            if line.hyphen {
                // The hyphen of a word broken across lines is furniture, not text: an artifact.
                let last = &glyphs[line.end - 1];
                let style = styles[last.style as usize];
                runs.push(Run { x, y: 0.0, style, char_spacing: 0.0, text: "-".to_string(), element: None });
            }
            runs.retain(|r| !r.text.trim().is_empty());
            let mut line_notes = Vec::new();
            while let Some(note) = note_iter.peek() {
                if note.at < line.end || n + 1 == lines.len() {
                    line_notes.push(note_iter.next().expect("peeked"));
                } else {
                    break;
                }
            }
            let notes = line_notes.iter().flat_map(|t| self.set_note(t)).collect();
            let mut line_text: String =
                glyphs[line.start..line.end].iter().map(|g| g.c).filter(|&c| c != '\n').collect();
            if line.hyphen {
                line_text.push('-');
            }
            set.push(SetLine {
                runs,
                height: line_height,
                leading: line_height,
                baseline,
                notes,
                text: line_text,
                first: n == 0,
                last: n + 1 == lines.len(),
                han_gap: if ratio >= 0.0 { ratio * HAN_STRETCH } else { ratio * HAN_SHRINK },
                justified: justify == Justify::Full && !line.last,
            });
        }
        set
    }

    /// A footnote's lines, tagged as a note inside the paragraph being set, its number linking back to
    /// the reference.
    pub(super) fn set_note(&mut self, note: &Footnote) -> Vec<SetLine> {
        let size = self.style.small;
        let lang = if note.text.chars().any(is_han) { Lang::Zh } else { Lang::En };
        let role = if lang == Lang::Zh { Role::ZhBody } else { Role::EnBody };
        let style = Style { role, size, color: self.text, rise: 0.0, link: 0 };
        let back = self.link(Target::NoteRef(note.serial));
        let number = Style { role: Role::EnBold, link: back, ..style };
        let (tagging, container) = (self.tagging, self.container);
        self.container = tagging;
        self.tag("Note", Some(lang));
        let width = self.measure_width();
        let spans = [(note.number.clone(), number), (format!("  {}", note.text), style)];
        let mut lines = self.set(&spans, &[], 0.0, width, Justify::Ragged);
        (self.tagging, self.container) = (tagging, container);
        for l in &mut lines {
            l.height = size * 1.45;
            l.leading = l.height;
            l.baseline = size * 1.1;
        }
        lines
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

    /// The width of `text` in `style`, in points (no justification).
    pub(super) fn text_width(&mut self, text: &str, style: Style) -> f32 {
        text.chars().map(|c| self.metric(style.role, c).1 * style.size).sum()
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

/// Which half of a full-width punctuation mark is blank in Simplified Chinese faces.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Blank {
    /// Opening quotes and brackets.
    Left,
    /// Closing quotes and brackets, and the pause and stop marks (set to the left in zh-Hans).
    Right,
}

/// Two full-width marks side by side give up a blank half between them (clreq 3.1.6): after a closing
/// mark (`。”`, `，“`, `）。`) its own right half goes; between two opening marks (`“《`) the second's left
/// half goes, and the second is drawn that much to the left. The pair takes one and a half ems.
fn compress_pair(before: &mut Glyph, before_blank: Blank, this: &mut Glyph, this_blank: Blank) {
    match (before_blank, this_blank) {
        (Blank::Right, _) => {
            before.width *= 0.5;
            // Its blank is spent: it has nothing left to give at the end of a line.
            before.shrink = 0.0;
        }
        (Blank::Left, Blank::Left) => {
            this.offset = -this.width * 0.5;
            this.width *= 0.5;
            this.start_trim = 0.0;
        }
        (Blank::Left, Blank::Right) => {}
    }
}

fn blank_side(c: char) -> Option<Blank> {
    match c {
        '（' | '［' | '｛' | '「' | '『' | '【' | '〔' | '〖' | '〘' | '《' | '〈' | '“' | '‘' => {
            Some(Blank::Left)
        }
        '、' | '。' | '，' | '．' | '：' | '；' | '！' | '？' | '）' | '］' | '｝' | '」' | '』' | '】' | '〕'
        | '〗' | '〙' | '》' | '〉' | '”' | '’' => Some(Blank::Right),
        _ => None,
    }
}

/// Characters set in the Latin face even inside Chinese text.
fn is_latin(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_control()) || ('\u{a0}'..='\u{24f}').contains(&c)
}

/// Letters and digits that get a quarter em from neighbouring Han characters.
fn is_latin_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphabetic() && ('\u{c0}'..='\u{24f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(c: char) -> (Glyph, Blank) {
        let blank = blank_side(c).expect("a full-width mark");
        (Glyph { c, width: 10.0, shrink: if blank == Blank::Right { 5.0 } else { 0.0 }, ..Glyph::default() }, blank)
    }

    fn pair(a: char, b: char) -> (Glyph, Glyph) {
        let ((mut first, x), (mut second, y)) = (mark(a), mark(b));
        compress_pair(&mut first, x, &mut second, y);
        (first, second)
    }

    #[test]
    fn adjacent_full_width_marks_take_one_and_a_half_ems() {
        for (a, b) in [('。', '”'), ('，', '“'), ('）', '。'), ('”', '，'), ('“', '《'), ('（', '「')] {
            let (first, second) = pair(a, b);
            assert_eq!(first.width + second.width, 15.0, "{a}{b}");
        }
        // A closing mark gives up its right half and is drawn where it stands.
        let (stop, quote) = pair('。', '”');
        assert_eq!((stop.width, stop.offset, stop.shrink, quote.width), (5.0, 0.0, 0.0, 10.0));
        // The second of two opening marks gives up its left half: drawn half an em to the left.
        let (_, title) = pair('“', '《');
        assert_eq!((title.width, title.offset), (5.0, -5.0));
        // An opening mark then a closing one (an empty pair of brackets) keeps both blanks.
        let (open, close) = pair('（', '）');
        assert_eq!(open.width + close.width, 20.0);
    }

    #[test]
    fn marks_are_placed_as_simplified_chinese_faces_draw_them() {
        for c in ['“', '‘', '（', '《', '「', '【'] {
            assert_eq!(blank_side(c), Some(Blank::Left), "{c}");
        }
        for c in ['”', '’', '）', '》', '」', '】', '。', '，', '、', '：', '；', '！', '？'] {
            assert_eq!(blank_side(c), Some(Blank::Right), "{c}");
        }
        for c in ['中', 'a', '—', '…', '·'] {
            assert_eq!(blank_side(c), None, "{c}");
        }
    }
}
