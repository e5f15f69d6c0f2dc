//! What goes on the pages: a transcript's title page, its sections and headings, each segment interleaved
//! or in parallel columns, paragraphs with speakers shown once per turn, glossary terms inline or as
//! footnotes. The mechanics of measuring, breaking and placing lines live in `layout`.

use super::fonts::Role;
use super::layout::{Footnote, Justify, OutlineEntry, SetLine, Setter, Style, Target};
use super::options::MM;
use crate::emit::book::BookSpec;
use crate::emit::clock::hms;
use crate::emit::contents::{is_short_opening, section_label};
use crate::emit::turns::{label_colon, TurnMark};
use crate::ir::{plain_text, Block, GlossaryTerm, Inline, Lang, Paragraph, Section};
use crate::script::lang_of;
use crate::select::{Selected, View};
use crate::theme::{Align, GlossaryStyle, Layout};

impl Setter<'_> {
    fn body_style(&self, lang: Lang) -> Style {
        match lang {
            Lang::Zh => Style { role: Role::ZhBody, size: self.style.body_zh, color: self.text, rise: 0.0, link: 0 },
            Lang::En => {
                let color = if self.view == View::Bi { self.english } else { self.text };
                let size = if self.view == View::Bi { self.style.body_en } else { self.style.body_zh };
                Style { role: Role::EnBody, size, color, rise: 0.0, link: 0 }
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
    pub(crate) fn document(&mut self, selected: &Selected<'_>, level: usize) {
        let doc = selected.document();
        self.current_header = selected.reader.title.clone();
        self.turns.reset();
        self.note_number = 0;
        let title_page = self.pages.len();
        self.open_container("Sect", self.part);
        self.title_page(selected, level);
        // A title page too full for one page (a long summary and lists on A5) has spilled a few lines
        // onto the next: the text starts there, after them, not on a page of its own.
        let spilled = self.pages.len() > title_page + 1;
        let top = doc.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| h.level).min().unwrap_or(1);
        let mut first = true;
        // Sections numbered as the EPUB numbers its pages: a heading with nothing under it shares the
        // number of the section after it.
        let mut number = 0;
        let mut bare_heading_before = false;
        for (k, section) in doc.sections.iter().enumerate() {
            if section.blocks.is_empty() && section.heading.is_none() {
                continue;
            }
            if first {
                if spilled {
                    self.gap(2.0 * self.style.body_zh);
                } else {
                    self.start_page(false);
                }
                first = false;
            }
            if !bare_heading_before {
                number += 1;
            }
            bare_heading_before = section.blocks.is_empty();
            let opening = number == 1 && is_short_opening(section, &doc.sections[k + 1..]);
            if section.heading.is_none() && !opening {
                // No heading to carry the outline entry: the section is listed as the book's contents
                // list it, by its first words (a short opening is not listed: the title leads to it).
                let title = section_label(section, number, self.view);
                let entry = OutlineEntry { level: level + 1, title, page: self.pages.len() - 1, y: self.y };
                self.outline.push(entry);
            }
            self.section(section, top, level + 1);
        }
        self.finish_page();
    }

    /// The front of an anthology: a title page (title, creators, how many transcripts), then the printed
    /// contents: each entry (`level`, title, index of its page among the book's pages after the front)
    /// with its page number on the right, counting `front_pages` pages before the book's.
    pub(crate) fn anthology_front(
        &mut self,
        spec: &BookSpec,
        count: usize,
        entries: &[(usize, String, usize)],
        front_pages: usize,
    ) {
        let english = self.view == View::En;
        self.current_header = spec.title.clone();
        self.start_page(true);
        self.y = self.top + (self.bottom - self.top) * 0.3;
        let width = self.measure_width();
        let title_style =
            Style { role: Role::ZhHeading, size: self.style.title * 1.2, color: self.heading, rise: 0.0, link: 0 };
        self.tag("H1", Some(lang_of(&spec.title)));
        let lines = self.set(&[(spec.title.clone(), title_style)], &[], 0.0, width, Justify::Center);
        self.place_lines(lines, 0.0);
        self.gap(self.style.title);
        let info = Style { role: Role::ZhBody, size: self.style.body_zh, color: self.text, rise: 0.0, link: 0 };
        let muted = Style { color: self.muted, ..info };
        let count_line = if english { format!("{count} transcripts") } else { format!("共 {count} 篇") };
        let mut about = Vec::new();
        if !spec.creators.is_empty() {
            about.push((spec.creators.join(" · "), Self::bold(info)));
        }
        about.push((count_line, muted));
        about.push((spec.archive.label(spec.view.lang()).to_string(), muted));
        for (text, style) in about {
            self.tag("P", Some(lang_of(&text)));
            let lines = self.set(&[(text, style)], &[], 0.0, width, Justify::Center);
            self.place_lines(lines, 0.0);
        }
        // The contents.
        let heading = if english { "Contents" } else { "目录" };
        self.start_page(false);
        let y = self.y;
        self.outline.push(OutlineEntry { level: 0, title: heading.to_string(), page: self.pages.len() - 1, y });
        let heading_style =
            Style { role: Role::ZhHeading, size: self.style.heading, color: self.heading, rise: 0.0, link: 0 };
        self.tag("H1", Some(if english { Lang::En } else { Lang::Zh }));
        let lines = self.set(&[(heading.to_string(), heading_style)], &[], 0.0, width, Justify::Ragged);
        self.place_lines(lines, 0.0);
        self.gap(self.style.heading * 0.8);
        let top_level = entries.iter().map(|e| e.0).min().unwrap_or(0);
        self.open_container("TOC", None);
        for (level, title, page) in entries {
            let depth = level - top_level;
            // Each entry, title and page number alike, links to its page.
            let link = self.link(Target::Page(page + front_pages));
            let info = Style { link, ..info };
            let style = if depth == 0 && entries.iter().any(|e| e.0 > top_level) { Self::bold(info) } else { info };
            let number = (page + front_pages + 1).to_string();
            let number_style = Style { role: Role::EnBody, ..info };
            self.tag("TOCI", Some(lang_of(title)));
            let number_width = self.text_width(&number, number_style);
            let indent = depth as f32 * 2.0 * info.size;
            let column = width - indent - 4.0 * info.size;
            let mut lines = self.set(&[(title.clone(), style)], &[], 0.0, column, Justify::Ragged);
            let numeral = self.set(&[(number, number_style)], &[], 0.0, width, Justify::Ragged);
            if depth == 0 {
                self.gap(info.size * 0.4);
            }
            let last = lines.pop();
            self.place_lines(lines, indent);
            if let (Some(last), Some(numeral)) = (last, numeral.into_iter().next()) {
                self.place_row(&[(indent, last), (width - number_width, numeral)]);
            }
        }
    }

    /// A part page of an anthology.
    pub(crate) fn part(&mut self, name: &str) {
        self.current_header = name.to_string();
        self.start_page(true);
        self.y = self.top + (self.bottom - self.top) * 0.35;
        let style = Style { role: Role::ZhHeading, size: self.style.title, color: self.heading, rise: 0.0, link: 0 };
        let width = self.measure_width();
        self.part = Some(self.open_container("Part", None));
        self.tag("H1", Some(lang_of(name)));
        let lines = self.set(&[(name.to_string(), style)], &[], 0.0, width, Justify::Center);
        let y = self.y;
        self.outline.push(OutlineEntry { level: 0, title: name.to_string(), page: self.pages.len() - 1, y });
        self.place_lines(lines, 0.0);
    }

    fn title_page(&mut self, selected: &Selected<'_>, level: usize) {
        self.start_page(true);
        let m = &selected.source().meta;
        let reader = &selected.reader;
        let title = reader.title.as_str();
        let width = self.measure_width();
        self.y = self.top + (self.bottom - self.top) * 0.12;
        self.outline.push(OutlineEntry { level, title: title.to_string(), page: self.pages.len() - 1, y: self.y });
        let title_style =
            Style { role: Role::ZhHeading, size: self.style.title, color: self.heading, rise: 0.0, link: 0 };
        self.tag(heading_kind(level), Some(lang_of(title)));
        let lines = self.set(&[(title.to_string(), title_style)], &[], 0.0, width, Justify::Ragged);
        self.place_lines(lines, 0.0);
        self.gap(self.style.title * 0.6);
        let info = Style { role: Role::ZhBody, size: self.style.body_zh, color: self.text, rise: 0.0, link: 0 };
        let muted = Style { color: self.muted, size: self.style.body_en, ..info };
        let mut info_lines: Vec<(String, Style)> = Vec::new();
        if !reader.people.is_empty() {
            info_lines.push((reader.people.join(" · "), Self::bold(info)));
        }
        if let Some(d) = &m.date {
            info_lines.push((d.clone(), muted));
        }
        info_lines.push((reader.edition.clone(), muted));
        if let Some(src) = m.source.as_deref().filter(|s| s.starts_with("http")) {
            let link = self.link(Target::Uri(src.to_string()));
            info_lines.push((src.to_string(), Style { link, ..muted }));
        }
        for (text, style) in info_lines {
            self.tag("P", Some(lang_of(&text)));
            let lines = self.set(&[(text, style)], &[], 0.0, width, Justify::Ragged);
            self.place_lines(lines, 0.0);
        }
        if let Some(summary) = reader.summary.as_deref() {
            self.gap(self.style.body_zh);
            let lang = lang_of(summary);
            let style = Style { color: self.text, ..self.body_style(lang) };
            let indent = if lang == Lang::Zh { 2.0 * style.size } else { 0.0 };
            self.tag("P", Some(lang));
            let lines = self.set(&[(summary.to_string(), style)], &[], indent, width, Justify::Full);
            self.place_lines(lines, 0.0);
        }
        let labels: [(&str, &str, &Vec<String>); 4] = [
            ("标签", "Tags", &reader.tags),
            ("人物", "People", &reader.people_named),
            ("公司与机构", "Organisations", &reader.companies),
            ("产品与模型", "Products and models", &reader.products),
        ];
        let small = Style { role: Role::ZhBody, size: self.style.body_en, color: self.text, rise: 0.0, link: 0 };
        let mut gap_done = false;
        for (zh, en, items) in labels {
            if items.is_empty() {
                continue;
            }
            if !gap_done {
                self.gap(self.style.body_zh);
                gap_done = true;
            }
            let label = if self.view == View::En { format!("{en}: ") } else { format!("{zh}：") };
            let comma = if self.view == View::En { ", " } else { "、" };
            let spans = [(label, Self::bold(small)), (items.join(comma), small)];
            self.tag("P", Some(self.view.main_lang()));
            let lines = self.set(&spans, &[], 0.0, width, Justify::Ragged);
            self.place_lines(lines, 0.0);
        }
    }

    fn section(&mut self, section: &Section, top_level: u8, level: usize) {
        if let Some(h) = &section.heading {
            let depth = h.level.saturating_sub(top_level).min(2);
            let size = self.style.heading - f32::from(depth) * 1.5;
            let role = if h.lang == Lang::Zh { Role::ZhHeading } else { Role::EnBold };
            let style = Style { role, size, color: self.heading, rise: 0.0, link: 0 };
            let title = plain_text(&h.content, h.lang);
            let width = self.measure_width();
            self.tag(heading_kind(level + usize::from(depth)), Some(h.lang));
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
                let style = Style { color: self.muted, ..self.body_style(lang_of(text)) };
                self.tag("P", Some(lang_of(text)));
                let lines = self.set(&[(text.clone(), style)], &[], 0.0, width, Justify::Center);
                self.place_lines(lines, 0.0);
                self.gap(self.style.segment_gap);
            }
            Block::Quote { paragraphs, .. } => {
                let inset = 2.0 * self.style.body_zh;
                for p in paragraphs {
                    let lang = lang_of(&plain_text(&p.content, Lang::Zh));
                    let lines = self.paragraph(p, lang, width - 2.0 * inset, None);
                    self.place_lines(lines, inset);
                }
                self.gap(self.style.segment_gap);
            }
            Block::Code { text, .. } => {
                let style =
                    Style { role: Role::EnBody, size: self.style.small + 1.0, color: self.text, rise: 0.0, link: 0 };
                self.tag("Code", Some(Lang::En));
                for line in text.lines() {
                    let lines = self.set(&[(line.to_string(), style)], &[], 0.0, width - 12.0, Justify::Ragged);
                    self.place_lines(lines, 12.0);
                }
                self.gap(self.style.segment_gap);
            }
            Block::ThematicBreak { .. } => {
                self.tagging = None;
                let style =
                    Style { role: Role::EnBody, size: self.style.body_zh, color: self.muted, rise: 0.0, link: 0 };
                let lines = self.set(&[("*   *   *".to_string(), style)], &[], 0.0, width, Justify::Center);
                self.place_lines(lines, 0.0);
            }
            Block::Raw { .. } => {}
        }
    }

    /// Tag the paragraph about to be set as a list item: the body of an item of the list open in this
    /// side of the segment, or of a new one.
    fn tag_list_item(&mut self, lang: Lang) {
        let container = self.container;
        let list = match self.list {
            Some(list) => list,
            None => {
                let list = self.tag("L", None);
                self.list = Some(list);
                list
            }
        };
        self.container = Some(list);
        let item = self.tag("LI", None);
        self.container = Some(item);
        self.tag("LBody", Some(lang));
        self.container = container;
    }

    /// One language of a segment, set `width` wide.
    fn side(&mut self, side: &[Paragraph], lang: Lang, width: f32, timestamp: Option<u32>) -> Vec<SetLine> {
        self.list = None;
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
        let mut notes: Vec<Footnote> = Vec::new();
        match p.list {
            Some(_) => self.tag_list_item(lang),
            None => {
                self.list = None;
                self.tag("P", Some(lang));
            }
        }
        if let Some(item) = p.list {
            let marker = match item.number {
                Some(n) => format!("{n}. "),
                None => "• ".to_string(),
            };
            spans.push((marker, base));
        }
        match self.turns.mark(p.speaker.as_ref(), lang) {
            TurnMark::Name(name) => {
                let style = Style { color: self.speaker, ..Self::bold(base) };
                spans.push((format!("{name}{}", label_colon(lang)), style));
            }
            TurnMark::Change => spans.push(("— ".to_string(), Style { color: self.muted, ..base })),
            TurnMark::Nothing => {}
        }
        self.inline_spans(&p.content, lang, base, &mut spans, &mut notes);
        if let Some(t) = timestamp {
            let style = Style { role: Role::EnBody, size: self.style.small, color: self.muted, rise: 0.0, link: 0 };
            spans.push((format!(" [{}]", hms(t)), style));
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
        notes: &mut Vec<Footnote>,
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
        notes: &mut Vec<Footnote>,
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
                self.note_serial += 1;
                let (n, serial) = (self.note_number, self.note_serial);
                let at: usize = spans.iter().map(|(t, _)| t.chars().count()).sum();
                let link = self.link(Target::Note(serial));
                let mark = Style { size: base.size * 0.6, rise: base.size * 0.35, link, ..base };
                spans.push((n.to_string(), mark));
                let body = g.footnote(lang).unwrap_or_default();
                let term = g.term.as_deref().unwrap_or_default();
                notes.push(Footnote { at, serial, number: n.to_string(), text: format!("{term}{body}") });
            }
        }
    }

    /// Chinese and English side by side: each segment starts on the same line in both columns. A segment
    /// that runs over a page is split in both columns at the same point of its text, so a page holds the
    /// translation of what stands beside it and both columns end together; each column's split keeps two
    /// lines of a paragraph at the foot and at the head.
    fn parallel(&mut self, zh: &[Paragraph], en: &[Paragraph], timestamp: Option<u32>) {
        let gutter = 6.0 * MM;
        let col = (self.measure_width() - gutter) / 2.0;
        let mut zh = self.side(zh, Lang::Zh, col, None);
        let mut en = self.side(en, Lang::En, col, timestamp);
        if self.pages.is_empty() {
            self.start_page(false);
        }
        loop {
            let rows = zh.len().max(en.len());
            let fit = self.fitting_rows(&zh, &en);
            if fit >= rows {
                break;
            }
            let (long, short) = if zh.len() >= en.len() { (&zh, &en) } else { (&en, &zh) };
            let long_here = (0..=fit.min(long.len())).rev().find(|&k| splits_well(long, k) && k >= 2).unwrap_or(0);
            let at_top = self.y <= self.top + 0.01;
            if long_here == 0 && !at_top {
                self.start_page(false);
                continue;
            }
            let long_here = if long_here == 0 { fit.max(1) } else { long_here };
            // The shorter column goes as far into its text as the longer one has.
            let target = (long_here * short.len()).div_ceil(long.len().max(1));
            let short_here = (0..=target.min(fit).min(short.len())).rev().find(|&k| splits_well(short, k)).unwrap_or(0);
            let (zh_here, en_here) =
                if zh.len() >= en.len() { (long_here, short_here) } else { (short_here, long_here) };
            let zh_rest = zh.split_off(zh_here.min(zh.len()));
            let en_rest = en.split_off(en_here.min(en.len()));
            self.place_columns(std::mem::replace(&mut zh, zh_rest), std::mem::replace(&mut en, en_rest), col + gutter);
            self.start_page(false);
        }
        self.place_columns(zh, en, col + gutter);
    }

    /// Lay two columns row by row.
    fn place_columns(&mut self, zh: Vec<SetLine>, en: Vec<SetLine>, second: f32) {
        let rows = zh.len().max(en.len());
        let mut zh = zh.into_iter();
        let mut en = en.into_iter();
        for _ in 0..rows {
            let mut row = Vec::with_capacity(2);
            if let Some(l) = zh.next() {
                row.push((0.0, l));
            }
            if let Some(l) = en.next() {
                row.push((second, l));
            }
            self.place_row(&row);
        }
    }

    /// How many rows of two columns fit on the current page (each row as tall as its taller line).
    fn fitting_rows(&self, zh: &[SetLine], en: &[SetLine]) -> usize {
        let taller = |k: usize| match (zh.get(k), en.get(k)) {
            (Some(a), Some(b)) if b.height > a.height => Some(b),
            (Some(a), _) => Some(a),
            (None, b) => b,
        };
        self.fitting((0..zh.len().max(en.len())).filter_map(taller))
    }
}

/// The heading element of an outline level (0: a book's title).
fn heading_kind(level: usize) -> &'static str {
    ["H1", "H2", "H3", "H4", "H5", "H6"][level.min(5)]
}

/// Whether a column may end a page after its first `k` lines: not after a paragraph's first line when
/// more follow (an orphan), not before a paragraph's last line when it began earlier (a widow).
fn splits_well(lines: &[SetLine], k: usize) -> bool {
    if k == 0 || k >= lines.len() {
        return true;
    }
    let orphan = lines[k - 1].first && !lines[k - 1].last;
    let widow = lines[k].last && !lines[k].first;
    !orphan && !widow
}
