//! Page layout: documents to pages of positioned text runs.
//!
//! Paragraphs are measured with the real fonts, broken into lines (`linebreak`), justified (Chinese
//! between characters, English between words when the theme asks), and placed on pages with running
//! headers, page numbers, footnotes at the page foot and an outline. Bilingual documents are set
//! interleaved (English under its Chinese) or in parallel columns that start each segment on the same
//! line. Nothing here knows about PDF syntax: `mod.rs` turns pages into PDF.

use super::fonts::{FontSet, Role};
use super::linebreak::{break_lines, Glyph};
use crate::ir::{is_han, plain_text, Block, Document, GlossaryTerm, Inline, Lang, Paragraph, Section, Speaker};
use crate::select::View;
use crate::theme::{parse_colour, Align, GlossaryStyle, Layout, PdfStyle};
use std::collections::BTreeSet;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Paper {
    #[default]
    A4,
    A5,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0 * MM, 297.0 * MM),
            Paper::A5 => (148.0 * MM, 210.0 * MM),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

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
    runs: Vec<Run>,
    height: f32,
    /// Baseline below the line's top.
    baseline: f32,
    /// Footnotes anchored in this line, already set.
    notes: Vec<SetLine>,
    /// The line's characters, for checks.
    pub text: String,
}

/// Paragraph alignment.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Justify {
    Ragged,
    Full,
    Center,
}

/// Everything a document is set with.
pub(crate) struct Setter<'a> {
    fonts: &'a FontSet,
    style: &'a PdfStyle,
    view: View,
    layout: Layout,
    width: f32,
    height: f32,
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
    text: [f32; 3],
    english: [f32; 3],
    heading: [f32; 3],
    speaker: [f32; 3],
    muted: [f32; 3],
    pub pages: Vec<Page>,
    /// Pages that carry no running header (title and part pages).
    bare: BTreeSet<usize>,
    /// Running header of each page.
    headers: Vec<String>,
    current_header: String,
    y: f32,
    notes: Vec<SetLine>,
    notes_height: f32,
    pub outline: Vec<OutlineEntry>,
    /// Characters no font of the set could draw.
    pub missing: BTreeSet<char>,
    note_number: usize,
    last_speaker: [Option<String>; 2],
    /// Text of every body line set, in order (for tests of the line breaker's rules).
    pub lines: Vec<String>,
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
            last_speaker: [None, None],
            lines: Vec::new(),
        }
    }

    pub fn page_size(&self) -> (f32, f32) {
        (self.width, self.height)
    }

    fn measure_width(&self) -> f32 {
        self.right - self.left
    }

    // ---- pages ------------------------------------------------------------------------------------

    fn start_page(&mut self, bare: bool) {
        self.finish_page();
        self.pages.push(Page::default());
        self.headers.push(self.current_header.clone());
        if bare {
            self.bare.insert(self.pages.len() - 1);
        }
        self.y = self.top;
    }

    /// Draw the pending footnotes at the foot of the current page.
    fn finish_page(&mut self) {
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
    fn room(&self) -> f32 {
        self.bottom - self.notes_height - self.y
    }

    /// Place one row of lines side by side (`x` offsets from the left margin), breaking the page first if
    /// it does not fit with its footnotes.
    fn place_row(&mut self, row: &[(f32, SetLine)]) {
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
            self.lines.push(line.text.clone());
        }
        self.y += height;
        if !notes.is_empty() {
            self.notes_height += notes_h;
            self.notes.extend(notes);
        }
    }

    fn place_lines(&mut self, lines: Vec<SetLine>, x: f32) {
        for line in lines {
            self.place_row(&[(x, line)]);
        }
    }

    fn gap(&mut self, h: f32) {
        if self.y > self.top + 0.01 {
            self.y = (self.y + h).min(self.bottom);
        }
    }

    // ---- measuring and breaking ---------------------------------------------------------------------

    /// The face for `c` in text that asks for `role`: Latin letters, digits and ASCII punctuation inside
    /// Chinese text use the Latin face, so they are never the CJK font's full-width forms.
    fn face_for(&mut self, role: Role, c: char) -> Role {
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
    fn set(
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

    fn set_note(&mut self, text: &str) -> Vec<SetLine> {
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

    // ---- content ----------------------------------------------------------------------------------

    fn body_style(&self, lang: Lang) -> Style {
        match lang {
            Lang::Zh => Style { role: Role::ZhBody, size: self.style.body_zh, color: self.text, rise: 0.0 },
            Lang::En => {
                let color = if self.view == View::Bi { self.english } else { self.text };
                let size = if self.view == View::Bi { self.style.body_en } else { self.style.body_zh };
                Style { role: Role::EnBody, size, color, rise: 0.0 }
            }
        }
    }

    fn bold(style: Style) -> Style {
        let role = match style.role {
            Role::ZhBody | Role::ZhHeading => Role::ZhHeading,
            Role::EnBody | Role::EnBold => Role::EnBold,
        };
        Style { role, ..style }
    }

    /// A document: its title page, then its sections. `level` is the outline level of its title.
    pub fn document(&mut self, doc: &Document, title: &str, level: usize) {
        self.current_header = title.to_string();
        self.last_speaker = [None, None];
        self.note_number = 0;
        self.title_page(doc, title, level);
        let top = doc.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| h.level).min().unwrap_or(1);
        let mut first = true;
        for section in &doc.sections {
            if section.blocks.is_empty() && section.heading.is_none() {
                continue;
            }
            if first {
                self.start_page(false);
                first = false;
            }
            self.section(section, top, level + 1);
        }
        self.finish_page();
    }

    /// A part page of an anthology.
    pub fn part(&mut self, name: &str) {
        self.current_header = name.to_string();
        self.start_page(true);
        self.y = self.top + (self.bottom - self.top) * 0.35;
        let style = Style { role: Role::ZhHeading, size: self.style.title, color: self.heading, rise: 0.0 };
        let width = self.measure_width();
        let lines = self.set(&[(name.to_string(), style)], &[], 0.0, width, Justify::Center);
        let y = self.y;
        self.outline.push(OutlineEntry { level: 0, title: name.to_string(), page: self.pages.len() - 1, y });
        self.place_lines(lines, 0.0);
    }

    fn title_page(&mut self, doc: &Document, title: &str, level: usize) {
        self.start_page(true);
        let m = &doc.meta;
        let width = self.measure_width();
        self.y = self.top + (self.bottom - self.top) * 0.12;
        self.outline.push(OutlineEntry { level, title: title.to_string(), page: self.pages.len() - 1, y: self.y });
        let title_style = Style { role: Role::ZhHeading, size: self.style.title, color: self.heading, rise: 0.0 };
        let lines = self.set(&[(title.to_string(), title_style)], &[], 0.0, width, Justify::Ragged);
        self.place_lines(lines, 0.0);
        self.gap(self.style.title * 0.6);
        let view = self.view;
        let keep = move |s: &str| view != View::En || !s.chars().any(is_han);
        let info = Style { role: Role::ZhBody, size: self.style.body_zh, color: self.text, rise: 0.0 };
        let muted = Style { color: self.muted, size: self.style.body_en, ..info };
        let mut people: Vec<&str> = Vec::new();
        for who in [&m.speaker, &m.guest, &m.author].into_iter().flatten() {
            if keep(who) && !people.contains(&who.as_str()) {
                people.push(who);
            }
        }
        let mut info_lines: Vec<(String, Style)> = Vec::new();
        if !people.is_empty() {
            info_lines.push((people.join(" · "), Self::bold(info)));
        }
        if let Some(d) = &m.date {
            info_lines.push((d.clone(), muted));
        }
        if let Some(src) = m.source.as_deref().filter(|s| s.starts_with("http")) {
            info_lines.push((src.to_string(), muted));
        }
        for (text, style) in info_lines {
            let lines = self.set(&[(text, style)], &[], 0.0, width, Justify::Ragged);
            self.place_lines(lines, 0.0);
        }
        if let Some(summary) = m.summary.as_deref().filter(|s| keep(s)) {
            self.gap(self.style.body_zh);
            let lang = if summary.chars().any(is_han) { Lang::Zh } else { Lang::En };
            let style = Style { color: self.text, ..self.body_style(lang) };
            let indent = if lang == Lang::Zh { 2.0 * style.size } else { 0.0 };
            let lines = self.set(&[(summary.to_string(), style)], &[], indent, width, Justify::Full);
            self.place_lines(lines, 0.0);
        }
        let labels: [(&str, &str, &Vec<String>); 4] = [
            ("标签", "Tags", &m.tags),
            ("人物", "People", &m.people),
            ("公司与机构", "Organisations", &m.companies_orgs),
            ("产品与模型", "Products and models", &m.products_models),
        ];
        let small = Style { role: Role::ZhBody, size: self.style.body_en, color: self.text, rise: 0.0 };
        let mut gap_done = false;
        for (zh, en, items) in labels {
            let items: Vec<&str> = items.iter().map(String::as_str).filter(|i| keep(i)).collect();
            if items.is_empty() {
                continue;
            }
            if !gap_done {
                self.gap(self.style.body_zh);
                gap_done = true;
            }
            let label = if self.view == View::En { format!("{en}: ") } else { format!("{zh}：") };
            let spans = [(label, Self::bold(small)), (items.join(", "), small)];
            let lines = self.set(&spans, &[], 0.0, width, Justify::Ragged);
            self.place_lines(lines, 0.0);
        }
    }

    fn section(&mut self, section: &Section, top_level: u8, level: usize) {
        if let Some(h) = &section.heading {
            let depth = h.level.saturating_sub(top_level).min(2);
            let size = self.style.heading - f32::from(depth) * 1.5;
            let role = if h.lang == Lang::Zh { Role::ZhHeading } else { Role::EnBold };
            let style = Style { role, size, color: self.heading, rise: 0.0 };
            let title = plain_text(&h.content, h.lang);
            let width = self.measure_width();
            let lines = self.set(&[(title.clone(), style)], &[], 0.0, width, Justify::Ragged);
            // A heading never stands alone at the foot of a page: it needs room for two lines after it.
            let need: f32 = lines.iter().map(|l| l.height).sum::<f32>()
                + size * 0.8
                + 2.0 * self.style.body_zh * self.style.leading;
            if self.pages.is_empty() || need > self.room() {
                self.start_page(false);
            } else {
                self.gap(size * 0.9);
            }
            let y = self.y;
            self.outline.push(OutlineEntry { level: level + usize::from(depth), title, page: self.pages.len() - 1, y });
            self.place_lines(lines, 0.0);
            self.gap(size * 0.4);
        }
        for block in &section.blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        let width = self.measure_width();
        match block {
            Block::Segment(s) => {
                if self.layout == Layout::Parallel && !s.zh.is_empty() && !s.en.is_empty() {
                    self.parallel(&s.zh, &s.en, s.timestamp);
                } else {
                    let zh_time = if s.en.is_empty() { s.timestamp } else { None };
                    let zh = self.side(&s.zh, Lang::Zh, width, zh_time);
                    self.place_lines(zh, 0.0);
                    if !s.zh.is_empty() && !s.en.is_empty() {
                        self.gap(self.style.paragraph_gap * 0.5);
                    }
                    let en = self.side(&s.en, Lang::En, width, s.timestamp);
                    self.place_lines(en, 0.0);
                }
                self.gap(self.style.segment_gap);
            }
            Block::StageDirection { text, .. } => {
                let lang = if text.chars().any(is_han) { Lang::Zh } else { Lang::En };
                let style = Style { color: self.muted, ..self.body_style(lang) };
                let lines = self.set(&[(text.clone(), style)], &[], 0.0, width, Justify::Center);
                self.place_lines(lines, 0.0);
                self.gap(self.style.segment_gap);
            }
            Block::Quote { paragraphs, .. } => {
                let inset = 2.0 * self.style.body_zh;
                for p in paragraphs {
                    let lang = if plain_text(&p.content, Lang::Zh).chars().any(is_han) { Lang::Zh } else { Lang::En };
                    let lines = self.paragraph(p, lang, width - 2.0 * inset, None);
                    self.place_lines(lines, inset);
                }
                self.gap(self.style.segment_gap);
            }
            Block::Code { text, .. } => {
                let style = Style { role: Role::EnBody, size: self.style.small + 1.0, color: self.text, rise: 0.0 };
                for line in text.lines() {
                    let lines = self.set(&[(line.to_string(), style)], &[], 0.0, width - 12.0, Justify::Ragged);
                    self.place_lines(lines, 12.0);
                }
                self.gap(self.style.segment_gap);
            }
            Block::ThematicBreak { .. } => {
                let style = Style { role: Role::EnBody, size: self.style.body_zh, color: self.muted, rise: 0.0 };
                let lines = self.set(&[("*   *   *".to_string(), style)], &[], 0.0, width, Justify::Center);
                self.place_lines(lines, 0.0);
            }
            Block::Raw { .. } => {}
        }
    }

    /// One language of a segment, set `width` wide.
    fn side(&mut self, side: &[Paragraph], lang: Lang, width: f32, timestamp: Option<u32>) -> Vec<SetLine> {
        let mut out = Vec::new();
        for (i, p) in side.iter().enumerate() {
            if i > 0 && p.list.is_none() {
                if let Some(last) = out.last_mut() {
                    let last: &mut SetLine = last;
                    last.height += self.style.paragraph_gap;
                }
            }
            let with_time = if i == 0 { timestamp } else { None };
            let mut lines = self.paragraph(p, lang, width, with_time);
            out.append(&mut lines);
        }
        out
    }

    fn paragraph(&mut self, p: &Paragraph, lang: Lang, width: f32, timestamp: Option<u32>) -> Vec<SetLine> {
        let base = self.body_style(lang);
        let mut spans: Vec<(String, Style)> = Vec::new();
        let mut notes: Vec<(usize, String)> = Vec::new();
        let slot = lang as usize;
        if let Some(item) = p.list {
            let marker = match item.number {
                Some(n) => format!("{n}. "),
                None => "• ".to_string(),
            };
            spans.push((marker, base));
        }
        match &p.speaker {
            Some(Speaker::Named(name)) if self.last_speaker[slot].as_deref() != Some(name.as_str()) => {
                let colon = if lang == Lang::Zh { "：" } else { ": " };
                let style = Style { color: self.speaker, ..Self::bold(base) };
                spans.push((format!("{name}{colon}"), style));
                self.last_speaker[slot] = Some(name.clone());
            }
            Some(Speaker::Named(_)) => {}
            Some(Speaker::Turn) => {
                spans.push(("— ".to_string(), Style { color: self.muted, ..base }));
                self.last_speaker[slot] = None;
            }
            None => {}
        }
        self.inline_spans(&p.content, lang, base, &mut spans, &mut notes);
        if let Some(t) = timestamp {
            let style = Style { role: Role::EnBody, size: self.style.small, color: self.muted, rise: 0.0 };
            spans.push((format!(" [{:02}:{:02}:{:02}]", t / 3600, t / 60 % 60, t % 60), style));
        }
        let (indent, justify, inset) = match (lang, p.list) {
            (_, Some(item)) => (0.0, Justify::Ragged, (f32::from(item.depth) + 1.0) * base.size),
            (Lang::Zh, None) => (2.0 * base.size, Justify::Full, 0.0),
            (Lang::En, None) => {
                let j = if self.style.english_align == Align::Justified { Justify::Full } else { Justify::Ragged };
                (0.0, j, 0.0)
            }
        };
        let mut lines = self.set(&spans, &notes, indent, width - inset, justify);
        if inset > 0.0 {
            for l in &mut lines {
                for r in &mut l.runs {
                    r.x += inset;
                }
            }
        }
        lines
    }

    fn inline_spans(
        &mut self,
        content: &[Inline],
        lang: Lang,
        base: Style,
        spans: &mut Vec<(String, Style)>,
        notes: &mut Vec<(usize, String)>,
    ) {
        for inline in content {
            match inline {
                Inline::Text { text } => spans.push((text.clone(), base)),
                Inline::Strong { content } => self.inline_spans(content, lang, Self::bold(base), spans, notes),
                Inline::Emphasis { content } | Inline::Link { content, .. } => {
                    self.inline_spans(content, lang, base, spans, notes)
                }
                Inline::Code { code } => spans.push((code.clone(), Style { role: Role::EnBody, ..base })),
                Inline::LineBreak => spans.push(("\n".to_string(), base)),
                Inline::Turn => spans.push((" — ".to_string(), Style { color: self.muted, ..base })),
                Inline::Stage { text } => spans.push((text.clone(), Style { color: self.muted, ..base })),
                Inline::Glossary(g) => self.glossary(g, lang, base, spans, notes),
            }
        }
    }

    fn glossary(
        &mut self,
        g: &GlossaryTerm,
        lang: Lang,
        base: Style,
        spans: &mut Vec<(String, Style)>,
        notes: &mut Vec<(usize, String)>,
    ) {
        if let Some(term) = &g.term {
            spans.push((term.clone(), Self::bold(base)));
        }
        let paren = g.parenthetical(lang);
        match (self.style.glossary, paren) {
            (_, None) => {}
            (GlossaryStyle::Inline, Some(p)) => spans.push((p, base)),
            (GlossaryStyle::Footnotes, Some(_)) => {
                self.note_number += 1;
                let n = self.note_number;
                let at: usize = spans.iter().map(|(t, _)| t.chars().count()).sum();
                let mark = Style { size: base.size * 0.6, rise: base.size * 0.35, ..base };
                spans.push((n.to_string(), mark));
                let body = match (&g.name, &g.gloss) {
                    (Some(nm), Some(gl)) => format!("{nm}: {gl}"),
                    (Some(nm), None) => nm.clone(),
                    (None, Some(gl)) => gl.clone(),
                    (None, None) => String::new(),
                };
                let term = g.term.as_deref().map(|t| format!("{t}: ")).unwrap_or_default();
                notes.push((at, format!("{n}  {term}{body}")));
            }
        }
    }

    /// Chinese and English side by side: each segment starts on the same line in both columns, and runs
    /// on across pages row by row.
    fn parallel(&mut self, zh: &[Paragraph], en: &[Paragraph], timestamp: Option<u32>) {
        let gutter = 6.0 * MM;
        let col = (self.measure_width() - gutter) / 2.0;
        let zh_lines = self.side(zh, Lang::Zh, col, None);
        let en_lines = self.side(en, Lang::En, col, timestamp);
        let rows = zh_lines.len().max(en_lines.len());
        let mut zh_iter = zh_lines.into_iter();
        let mut en_iter = en_lines.into_iter();
        for _ in 0..rows {
            let mut row = Vec::with_capacity(2);
            if let Some(l) = zh_iter.next() {
                row.push((0.0, l));
            }
            if let Some(l) = en_iter.next() {
                row.push((col + gutter, l));
            }
            self.place_row(&row);
        }
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
