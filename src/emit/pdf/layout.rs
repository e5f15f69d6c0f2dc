//! Page layout: the mechanics of setting text on pages.
//!
//! Paragraphs are measured with the real fonts, broken into lines (`linebreak`), justified (Chinese
//! between characters, English between words when the theme asks), and placed on pages with running
//! headers, page numbers, footnotes at the page foot and an outline entry per heading. What goes on the
//! pages (title pages, sections, segments) is `content`'s; nothing here knows about PDF syntax: `mod.rs`
//! turns pages into PDF.

use super::fonts::{FontSet, Role};
use super::linebreak::{break_lines, Glyph};
use super::options::{Paper, MM};
use crate::emit::turns::Turns;
use crate::script::is_han;
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
    /// Baseline below the line's top.
    pub(super) baseline: f32,
    /// Footnotes anchored in this line, already set.
    pub(super) notes: Vec<SetLine>,
    /// The line's characters, for checks.
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
    pub(super) note_number: usize,
    pub(super) turns: Turns,
    /// When set, the text of every line placed, in order: for checking the line breaker's rules on real
    /// text (`set_lines`). `None` when making a PDF, so nothing is kept that the file does not need.
    pub recorded: Option<Vec<String>>,
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
            note_number: 0,
            turns: Turns::default(),
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
        let page = self.pages.last_mut().expect("a page is open");
        page.rules.push(rule);
        for note in notes {
            place_line(page, &note, self.left, y);
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
        let notes: Vec<SetLine> = row.iter().flat_map(|(_, l)| l.notes.iter().cloned()).collect();
        let notes_h: f32 = notes.iter().map(|n| n.height).sum::<f32>()
            + if self.notes.is_empty() && !notes.is_empty() { NOTE_GAP } else { 0.0 };
        if self.pages.is_empty() || (height + notes_h > self.room() + 0.01 && self.y > self.top + 0.01) {
            self.start_page(false);
        }
        let y = self.y;
        let left = self.left;
        let page = self.pages.last_mut().expect("a page is open");
        for (x, line) in row {
            place_line(page, line, left + x, y);
            if let Some(recorded) = &mut self.recorded {
                recorded.push(line.text.clone());
            }
        }
        self.y += height;
        if !notes.is_empty() {
            self.notes_height += notes_h;
            self.notes.extend(notes);
        }
    }

    pub(super) fn place_lines(&mut self, lines: Vec<SetLine>, x: f32) {
        for line in lines {
            self.place_row(&[(x, line)]);
        }
    }

    pub(super) fn gap(&mut self, h: f32) {
        if self.y > self.top + 0.01 {
            self.y = (self.y + h).min(self.bottom);
        }
    }

    // ---- measuring and breaking ---------------------------------------------------------------------

    /// The face for `c` in text that asks for `role`: Latin letters, digits and ASCII punctuation inside
    /// Chinese text use the Latin face, so they are never the CJK font's full-width forms.
    pub(super) fn face_for(&mut self, role: Role, c: char) -> Role {
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

    /// Set a paragraph made of styled spans into lines `width` wide, the first indented by `indent`.
    pub(super) fn set(
        &mut self,
        spans: &[(String, Style)],
        notes: &[(usize, String)],
        indent: f32,
        width: f32,
        justify: Justify,
    ) -> Vec<SetLine> {
        let mut styles: Vec<Style> = Vec::new();
        let mut glyphs: Vec<Glyph> = Vec::new();
        let mut text = String::new();
        let mut prev: Option<char> = None;
        let base_size = spans.iter().map(|(_, s)| s.size).fold(0.0, f32::max);
        for (span, style) in spans {
            for c in span.chars() {
                let c = if c == '\t' { ' ' } else { c };
                let role = self.face_for(style.role, c);
                let resolved = Style { role, ..*style };
                let idx = match styles.iter().position(|s| *s == resolved) {
                    Some(i) => i,
                    None => {
                        styles.push(resolved);
                        styles.len() - 1
                    }
                };
                let advance = if c == '\n' { 0.0 } else { self.fonts.face(role).advance(c).unwrap_or(0.5) };
                let space_before = match prev {
                    _ if style.rise != 0.0 => 0.0,
                    Some(p) if (is_han(p) && is_latin_word(c)) || (is_latin_word(p) && is_han(c)) => style.size * 0.25,
                    _ => 0.0,
                };
                glyphs.push(Glyph { c, width: advance * style.size, space_before, style: idx as u16 });
                text.push(c);
                prev = Some(c);
            }
        }
        if glyphs.is_empty() {
            return Vec::new();
        }
        let lines = break_lines(&text, &glyphs, width - indent, width);
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
            let avail = width - if n == 0 { indent } else { 0.0 };
            let slack = avail - line.width;
            let count = line.end.saturating_sub(line.start);
            let latin_line =
                glyphs[line.start..line.end].iter().filter(|g| g.c.is_ascii_alphabetic()).count() * 2 > count;
            // Chinese lines stretch between Chinese characters (and at spaces), never inside Latin words;
            // English lines stretch at spaces only.
            let is_cjk_glyph =
                |g: &Glyph| matches!(styles[g.style as usize].role, Role::ZhBody | Role::ZhHeading) && g.c != ' ';
            let stretchable = |k: usize, g: &Glyph| -> bool {
                let last = line.start + k + 1 == line.end;
                !last && (g.c == ' ' || (!latin_line && is_cjk_glyph(g)))
            };
            let gaps = glyphs[line.start..line.end].iter().enumerate().filter(|(k, g)| stretchable(*k, g)).count();
            let per_gap = if justify != Justify::Full || line.last || slack <= 0.0 || gaps == 0 {
                0.0
            } else {
                let s = slack / gaps as f32;
                let limit = if latin_line { base_size * 1.5 } else { base_size * 0.6 };
                if s > limit {
                    0.0
                } else {
                    s
                }
            };
            let mut runs: Vec<Run> = Vec::new();
            let mut x = x0;
            for (k, g) in glyphs[line.start..line.end].iter().enumerate() {
                if k > 0 {
                    x += g.space_before;
                }
                if g.c == '\n' {
                    continue;
                }
                let style = styles[g.style as usize];
                let spacing = if per_gap > 0.0 && !latin_line && is_cjk_glyph(g) { per_gap } else { 0.0 };
                let extends = match runs.last() {
                    Some(r) => {
                        r.style == style
                            && g.space_before == 0.0
                            && r.char_spacing == spacing
                            && g.c != ' '
                            && !r.text.ends_with(' ')
                    }
                    None => false,
                };
                if extends {
                    runs.last_mut().expect("checked").text.push(g.c);
                } else {
                    runs.push(Run { x, y: 0.0, style, char_spacing: spacing, text: g.c.to_string() });
                }
                x += g.width + if stretchable(k, g) { per_gap } else { 0.0 };
            }
            runs.retain(|r| !r.text.trim().is_empty());
            let mut line_notes = Vec::new();
            while let Some((at, _)) = note_iter.peek() {
                if *at < line.end || n + 1 == lines.len() {
                    let (_, note) = note_iter.next().expect("peeked");
                    line_notes.push(note.clone());
                } else {
                    break;
                }
            }
            let notes = line_notes.iter().flat_map(|t| self.set_note(t)).collect();
            let line_text: String = glyphs[line.start..line.end].iter().map(|g| g.c).filter(|&c| c != '\n').collect();
            set.push(SetLine { runs, height: line_height, baseline, notes, text: line_text });
        }
        set
    }

    pub(super) fn set_note(&mut self, text: &str) -> Vec<SetLine> {
        let size = self.style.small;
        let role = if text.chars().any(is_han) { Role::ZhBody } else { Role::EnBody };
        let style = Style { role, size, color: self.text, rise: 0.0 };
        let width = self.measure_width();
        let mut lines = self.set(&[(text.to_string(), style)], &[], 0.0, width, Justify::Ragged);
        for l in &mut lines {
            l.height = size * 1.45;
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
    }

    /// The width of `text` in `style`, in points (no justification).
    pub(super) fn text_width(&mut self, text: &str, style: Style) -> f32 {
        text.chars().map(|c| self.fonts.face(self.face_for(style.role, c)).advance(c).unwrap_or(0.5) * style.size).sum()
    }

    /// Close the last page and add running headers and page numbers.
    pub fn finish(&mut self) {
        self.finish_page();
        let small = Style { role: Role::ZhBody, size: self.style.small, color: self.muted, rise: 0.0 };
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

/// Characters set in the Latin face even inside Chinese text.
fn is_latin(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_control()) || ('\u{a0}'..='\u{24f}').contains(&c)
}

/// Letters and digits that get a quarter em from neighbouring Han characters.
fn is_latin_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphabetic() && ('\u{c0}'..='\u{24f}').contains(&c))
}
