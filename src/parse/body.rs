//! The body: markdown blocks through pulldown-cmark, `<details>` regions reassembled across the events a
//! CommonMark parser splits them into, then Chinese and English paired into segments.
//!
//! Reading happens in two steps. `units` turns source into a flat list of units (a heading, a paragraph
//! with its language, the English of one `<details>`, another block); `pair` walks the units once and
//! builds sections and segments according to the file's convention (A/B: `<details>`, C: English then
//! Chinese by script, D: Chinese only). Nothing is dropped: unknown HTML becomes a `Raw` block.

use super::html::{contains_ci, count_ci, html_pieces, p_left_open, PieceKind};
use super::inline::{self, conventions, convert, fragment_events, Origin};
use super::limits::{MAX_LIST_DEPTH, MAX_QUOTE_DEPTH};
use super::tops::{tops, Top, TopKind};
use crate::diag::{Diagnostic, LineIndex};
use crate::ir::{Block, Heading, Inline, Lang, Lines, ListItem, Paragraph, Speaker};
use crate::script::{join_separator, ScriptCounts};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// Read the body into units, ready for pairing. `offset` is where `body` starts in `full`, which `index`
/// was built on.
pub(super) fn units(
    body: &str,
    offset: usize,
    full: &str,
    index: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Unit> {
    let mut ctx =
        Ctx { index, full, diagnostics, interleaved_lines: !contains_ci(body, "<details"), depth: 0, quote_depth: 0 };
    let mut units = ctx.units(body, offset);
    apply_plain_labels(&mut units);
    units
}

struct Ctx<'a> {
    index: &'a LineIndex,
    full: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The file has no `<details>`: a paragraph may hold an English line and its Chinese line.
    interleaved_lines: bool,
    depth: usize,
    /// Block quotes open around the text being read.
    quote_depth: usize,
}

/// One step of the body, before pairing.
#[derive(Debug)]
pub(super) enum Unit {
    Heading(Heading),
    Para(Para),
    /// The English of one `<details>` block (or of a stray `<p class="english-text">`).
    English {
        paragraphs: Vec<Paragraph>,
        timestamp: Option<u32>,
        lines: Lines,
    },
    Block(Block),
}

#[derive(Debug)]
pub(super) struct Para {
    pub paragraph: Paragraph,
    pub lang: Option<Lang>,
    pub timestamp: Option<u32>,
    /// Only stage directions and speaker changes: `[music]`, `>> [music]`.
    pub stage_only: bool,
    pub lines: Lines,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> u32 {
        self.index.line(offset)
    }

    fn lines(&self, range: Range<usize>) -> Lines {
        Lines { start: self.line(range.start), end: self.line(range.end.saturating_sub(1).max(range.start)) }
    }

    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = self.index.line_col(self.full, offset);
        self.diagnostics.push(Diagnostic::warning(line, message).at_column(column));
    }

    /// Units of a piece of markdown that starts at byte `base` of the full text.
    fn units(&mut self, src: &str, base: usize) -> Vec<Unit> {
        self.depth += 1;
        let mut tops = tops(src);
        let mut units = Vec::new();
        let mut i = 0;
        let mut done = 0;
        while i < tops.len() {
            // The events of blocks already read are not needed again: free them as reading goes on, so a
            // long file never holds all its events and all its units at once.
            for top in &mut tops[done..i] {
                top.events = Vec::new();
            }
            done = i;
            let top = &tops[i];
            let abs = base + top.range.start..base + top.range.end;
            let text = &src[top.range.clone()];
            match &top.kind {
                TopKind::Heading(level) => {
                    let (heading, used) = self.heading(*level, &tops, i, src, base);
                    units.push(Unit::Heading(heading));
                    i += used;
                    continue;
                }
                TopKind::Paragraph => self.paragraph(&top.events, abs, base, &mut units),
                TopKind::Html if self.depth < 4 => {
                    let end = self.html_region_end(&tops, i, src);
                    let region = tops[i].range.start..tops[end].range.end;
                    self.html_region(&src[region.clone()], base + region.start, &mut units);
                    i = end + 1;
                    continue;
                }
                TopKind::List => self.list(&top.events, abs, &mut units),
                TopKind::Quote if text.trim_start().starts_with(">>") => {
                    let stripped: String = text
                        .lines()
                        .map(|l| l.trim_start().trim_start_matches('>').trim_start())
                        .collect::<Vec<_>>()
                        .join("\n");
                    let lines = self.lines(abs.clone());
                    let mut para = self.fragment_para(&stripped, abs.start, None);
                    para.paragraph.speaker = Some(Speaker::Turn);
                    para.lines = lines;
                    para.stage_only = is_stage_only(&para.paragraph);
                    units.push(Unit::Para(para));
                }
                TopKind::Quote => {
                    let inner: String = text
                        .lines()
                        .map(|l| {
                            let l = l.trim_start();
                            l.strip_prefix("> ").or_else(|| l.strip_prefix('>')).unwrap_or(l)
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    let paragraphs = if self.quote_depth >= MAX_QUOTE_DEPTH {
                        // Each level is read again from its own text: past a sane depth, keep the rest as
                        // it stands, so nesting costs linear time and memory.
                        self.warn(
                            abs.start,
                            format!(
                                "block quotes nested more than {MAX_QUOTE_DEPTH} deep; the rest is kept as plain text"
                            ),
                        );
                        vec![Paragraph { speaker: None, list: None, content: vec![Inline::text(inner.trim())] }]
                    } else {
                        self.quote_depth += 1;
                        let units = self.units(&inner, abs.start);
                        self.quote_depth -= 1;
                        units.into_iter().flat_map(unit_paragraphs).collect()
                    };
                    units.push(Unit::Block(Block::Quote { paragraphs, lines: self.lines(abs) }));
                }
                TopKind::Code(info) => {
                    let code: String = top
                        .events
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    units.push(Unit::Block(Block::Code { info: info.clone(), text: code, lines: self.lines(abs) }));
                }
                TopKind::Rule => units.push(Unit::Block(Block::ThematicBreak { lines: self.lines(abs) })),
                TopKind::Html | TopKind::Other => {
                    self.warn(
                        abs.start,
                        "unrecognised markup is kept only in bilingual markdown; remove it or write plain text",
                    );
                    units.push(Unit::Block(Block::Raw { text: text.trim_end().to_string(), lines: self.lines(abs) }));
                }
            }
            i += 1;
        }
        self.depth -= 1;
        units
    }

    /// A heading, joined with the next line when the heading was hard-wrapped onto it.
    fn heading(&mut self, level: u8, tops: &[Top<'_>], i: usize, src: &str, base: usize) -> (Heading, usize) {
        let top = &tops[i];
        let line = self.line(base + top.range.start);
        let mut content = convert(&top.events, &mut Origin { line, diagnostics: self.diagnostics });
        let mut used = 1;
        let mut end = top.range.end;
        if let Some(next) = tops.get(i + 1) {
            let next_text = src[next.range.clone()].trim_end();
            let next_line = self.line(base + next.range.start);
            let heading_text = crate::ir::plain_text(&content, Lang::Zh);
            let wrapped = next.kind == TopKind::Paragraph
                && next_line == self.line(base + top.range.end.saturating_sub(1)) + 1
                && !next_text.contains('\n')
                && next_text.chars().count() <= 30
                && !next_text.ends_with(['。', '！', '？', '.', '!', '?', '：', ':', '；', '，'])
                && !next_text.starts_with(['*', '>', '['])
                && !heading_text.ends_with(['。', '！', '？', '.', '!', '?', '：', ':']);
            if wrapped {
                let more = convert(&next.events, &mut Origin { line: next_line, diagnostics: self.diagnostics });
                let sep = join_separator(heading_text.chars().last(), next_text.chars().next());
                content.push(Inline::text(sep));
                content.extend(more);
                inline::normalise(&mut content);
                used = 2;
                end = next.range.end;
            }
        }
        let lang = if crate::ir::plain_text(&content, Lang::Zh).chars().any(crate::script::is_han) {
            Lang::Zh
        } else {
            Lang::En
        };
        let heading = Heading { level, content, lang, lines: self.lines(base + top.range.start..base + end) };
        (heading, used)
    }

    /// A paragraph; in files without `<details>`, one that holds an English line followed by its Chinese
    /// line becomes two.
    fn paragraph(
        &mut self,
        events: &[(Event<'_>, Range<usize>)],
        abs: Range<usize>,
        base: usize,
        units: &mut Vec<Unit>,
    ) {
        if self.interleaved_lines {
            if let Some(split) = english_then_chinese_split(events) {
                let (en, zh) = events.split_at(split);
                let en_end = en.last().map_or(abs.start, |(_, r)| base + r.end);
                let zh_start = zh.get(1).map_or(abs.end, |(_, r)| base + r.start);
                let first = self.para_from_events(en, abs.start..en_end);
                let second = self.para_from_events(&zh[1..], zh_start..abs.end);
                units.push(Unit::Para(first));
                units.push(Unit::Para(second));
                return;
            }
        }
        let para = self.para_from_events(events, abs);
        if is_marker(&para.paragraph) {
            let text = crate::ir::plain_text(&para.paragraph.content, Lang::En);
            units.push(Unit::Block(Block::Raw { text, lines: para.lines }));
        } else {
            units.push(Unit::Para(para));
        }
    }

    fn para_from_events(&mut self, events: &[(Event<'_>, Range<usize>)], abs: Range<usize>) -> Para {
        let line = self.line(abs.start);
        let inlines = convert(events, &mut Origin { line, diagnostics: self.diagnostics });
        self.para_from_inlines(inlines, abs, None, false)
    }

    fn para_from_inlines(
        &mut self,
        inlines: Vec<Inline>,
        abs: Range<usize>,
        lang: Option<Lang>,
        list_item: bool,
    ) -> Para {
        let found = conventions(inlines, lang, list_item);
        let stage_only = is_stage_only(&found.paragraph);
        Para {
            paragraph: found.paragraph,
            lang: found.lang,
            timestamp: found.timestamp,
            stage_only,
            lines: self.lines(abs),
        }
    }

    /// Inline-only text (inside `<p>`, or a `>>` paragraph) at byte `start` of the full text.
    fn fragment_para(&mut self, text: &str, start: usize, lang: Option<Lang>) -> Para {
        let (_, events) = fragment_events(text);
        let line = self.line(start);
        let inlines = convert(&events, &mut Origin { line, diagnostics: self.diagnostics });
        self.para_from_inlines(inlines, start..start + text.len(), lang, false)
    }

    fn list(&mut self, events: &[(Event<'_>, Range<usize>)], abs: Range<usize>, units: &mut Vec<Unit>) {
        // Stack of (next number for ordered lists); the outer list's own Start is not in `events`.
        let first_number = first_list_number(self.full, abs.start);
        let mut lists: Vec<Option<u64>> = vec![first_number];
        let mut item: Vec<(Event<'_>, Range<usize>)> = Vec::new();
        let mut item_start = abs.start;
        let mut flush = |ctx: &mut Self,
                         item: &mut Vec<(Event<'_>, Range<usize>)>,
                         lists: &[Option<u64>],
                         start: usize,
                         end: usize| {
            if item.iter().all(|(e, _)| !matches!(e, Event::Text(_) | Event::Code(_))) {
                item.clear();
                return;
            }
            let line = ctx.line(start);
            let inlines = convert(item, &mut Origin { line, diagnostics: ctx.diagnostics });
            let mut para = ctx.para_from_inlines(inlines, start..end.max(start + 1), None, true);
            if lists.len() - 1 > MAX_LIST_DEPTH {
                ctx.warn(
                    start,
                    format!("lists nested more than {MAX_LIST_DEPTH} deep; this item is kept at that depth"),
                );
            }
            para.paragraph.list = Some(ListItem {
                number: lists.last().copied().flatten(),
                depth: (lists.len() - 1).min(MAX_LIST_DEPTH) as u8,
            });
            units.push(Unit::Para(para));
            item.clear();
        };
        for (event, range) in events {
            match event {
                Event::Start(Tag::Item) => item_start = abs.start.max(range.start),
                Event::Start(Tag::List(start)) => {
                    flush(self, &mut item, &lists, item_start, range.start);
                    lists.push(*start);
                }
                Event::End(TagEnd::List(_)) => {
                    flush(self, &mut item, &lists, item_start, range.end);
                    lists.pop();
                }
                Event::End(TagEnd::Item) => {
                    flush(self, &mut item, &lists, item_start, range.end);
                    if let Some(Some(n)) = lists.last_mut() {
                        *n += 1;
                    }
                }
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {
                    if !item.is_empty() {
                        item.push((Event::SoftBreak, range.clone()));
                    }
                }
                other => item.push((other.clone(), range.clone())),
            }
        }
        flush(self, &mut item, &lists, item_start, abs.end);
    }

    /// The last top block of an HTML region that starts at `tops[i]`: up to the block that balances every
    /// `<details>` opened, or, for an unclosed one, up to just before a heading, a new `<details>` or a
    /// Chinese paragraph.
    fn html_region_end(&mut self, tops: &[Top<'_>], i: usize, src: &str) -> usize {
        let open_count = |t: &str| count_ci(t, "<details");
        let close_count = |t: &str| count_ci(t, "</details>");
        let first = &src[tops[i].range.clone()];
        let mut balance = open_count(first) as isize - close_count(first) as isize;
        let mut p_open = p_left_open(first, false);
        let mut end = i;
        while balance > 0 && end + 1 < tops.len() {
            let next = &tops[end + 1];
            let text = &src[next.range.clone()];
            let chinese_paragraph = next.kind == TopKind::Paragraph
                && !p_open
                && !contains_ci(text, "</details>")
                && !contains_ci(text, "<p")
                && crate::script::classify(text) == Some(Lang::Zh);
            if matches!(next.kind, TopKind::Heading(_)) || open_count(text) > 0 || chinese_paragraph {
                break;
            }
            balance -= close_count(text) as isize;
            p_open = p_left_open(text, p_open);
            end += 1;
        }
        end
    }

    /// Read an HTML region: `<details>` blocks (with `<summary>`, `<p>` or markdown inside), stray `<p>` and
    /// `</details>`, and whatever text sits between them.
    fn html_region(&mut self, region: &str, base: usize, units: &mut Vec<Unit>) {
        let mut open: Option<(usize, Vec<Paragraph>, Option<u32>)> = None;
        for piece in html_pieces(region) {
            let at = base + piece.range.start;
            match piece.kind {
                PieceKind::DetailsOpen => {
                    if let Some((start, paragraphs, timestamp)) = open.take() {
                        self.unclosed(start);
                        units.push(self.english_unit(paragraphs, timestamp, start..at));
                    }
                    open = Some((at, Vec::new(), None));
                }
                PieceKind::Summary { closed_by_p } => {
                    if closed_by_p {
                        self.warn(at, "<summary> is closed with </p>; write </summary>");
                    }
                }
                PieceKind::P => {
                    let text = &region[piece.range.clone()];
                    let paras = self.p_content(text, at);
                    match &mut open {
                        Some((_, paragraphs, timestamp)) => {
                            for (p, ts) in paras {
                                *timestamp = timestamp.or(ts);
                                paragraphs.push(p);
                            }
                        }
                        None => {
                            self.warn(at, "english <p> outside <details>; move it inside the <details> block");
                            let timestamp = paras.iter().find_map(|(_, ts)| *ts);
                            let paragraphs = paras.into_iter().map(|(p, _)| p).collect();
                            units.push(self.english_unit(paragraphs, timestamp, at..base + piece.range.end));
                        }
                    }
                }
                PieceKind::Text => {
                    let text = &region[piece.range.clone()];
                    let inner = self.units(text, at);
                    match &mut open {
                        Some((_, paragraphs, timestamp)) => {
                            for unit in inner {
                                if let Unit::Para(p) = &unit {
                                    *timestamp = timestamp.or(p.timestamp);
                                }
                                paragraphs.extend(unit_paragraphs(unit));
                            }
                        }
                        None => units.extend(inner),
                    }
                }
                PieceKind::DetailsClose => match open.take() {
                    Some((start, paragraphs, timestamp)) => {
                        units.push(self.english_unit(paragraphs, timestamp, start..base + piece.range.end));
                    }
                    None => self.warn(at, "stray </details> with no <details> open; remove it"),
                },
                PieceKind::OtherTag => {
                    let text = region[piece.range.clone()].trim();
                    self.warn(at, format!("unknown html `{text}` is kept only in bilingual markdown; remove it"));
                    let lines = self.lines(at..base + piece.range.end);
                    units.push(Unit::Block(Block::Raw { text: text.to_string(), lines }));
                }
            }
        }
        if let Some((start, paragraphs, timestamp)) = open {
            self.unclosed(start);
            units.push(self.english_unit(paragraphs, timestamp, start..base + region.len()));
        }
    }

    fn unclosed(&mut self, at: usize) {
        self.warn(at, "unclosed <details> block; add </details> after the English text");
    }

    fn english_unit(&mut self, paragraphs: Vec<Paragraph>, timestamp: Option<u32>, range: Range<usize>) -> Unit {
        let lines = self.lines(range.clone());
        if paragraphs.is_empty() {
            self.warn(range.start, "<details> block holds no English text; add the original or remove the block");
        }
        Unit::English { paragraphs, timestamp, lines }
    }

    /// The content of one `<p>`: English paragraphs separated by blank lines.
    fn p_content(&mut self, text: &str, at: usize) -> Vec<(Paragraph, Option<u32>)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for chunk in text.split("\n\n") {
            let start = offset + (chunk.len() - chunk.trim_start().len());
            offset += chunk.len() + 2;
            if chunk.trim().is_empty() {
                continue;
            }
            let para = self.fragment_para(chunk.trim(), at + start, Some(Lang::En));
            if !para.paragraph.content.is_empty() || para.paragraph.speaker.is_some() {
                out.push((para.paragraph, para.timestamp));
            }
        }
        out
    }
}

/// The number an ordered list starts with, read from its first line.
fn first_list_number(full: &str, start: usize) -> Option<u64> {
    let line = full[start..].lines().next().unwrap_or("").trim_start();
    let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || !line[digits.len()..].starts_with(['.', ')']) {
        return None;
    }
    digits.parse().ok()
}

/// Where a paragraph splits into English lines followed by Chinese lines: the index of the soft break.
/// Each line is counted once, so a long hard-wrapped paragraph costs linear time.
fn english_then_chinese_split(events: &[(Event<'_>, Range<usize>)]) -> Option<usize> {
    let mut lines: Vec<(Option<usize>, ScriptCounts, String)> = vec![(None, ScriptCounts::default(), String::new())];
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::SoftBreak => lines.push((Some(i), ScriptCounts::default(), String::new())),
            Event::Text(t) => {
                let line = lines.last_mut().expect("one line at least");
                line.1 = line.1 + ScriptCounts::of(t, true);
                line.2.push_str(t);
            }
            _ => {}
        }
    }
    if lines.len() < 2 {
        return None;
    }
    let total = lines.iter().fold(ScriptCounts::default(), |acc, l| acc + l.1);
    let mut before = ScriptCounts::default();
    for window in lines.windows(2) {
        before = before + window[0].1;
        let after = total - before;
        let ends_sentence = window[0].2.trim_end().ends_with(['.', '?', '!', '"', '\'', ')', ']', '”', '’', ':', ';']);
        if ends_sentence && before.lang() == Some(Lang::En) && after.lang() == Some(Lang::Zh) {
            return window[1].0;
        }
    }
    None
}

fn is_stage_only(p: &Paragraph) -> bool {
    !p.content.is_empty()
        && p.content.iter().all(|i| match i {
            Inline::Stage { .. } | Inline::Turn | Inline::LineBreak => true,
            Inline::Text { text } => text.trim().is_empty(),
            _ => false,
        })
        && !matches!(p.speaker, Some(Speaker::Named(_)))
}

/// `[BODY_END]`-style markers left by site generators: kept raw, never read as English.
fn is_marker(p: &Paragraph) -> bool {
    match p.content.as_slice() {
        [Inline::Text { text }] if p.speaker.is_none() => {
            let t = text.trim();
            t.len() > 2
                && t.starts_with('[')
                && t.ends_with(']')
                && t[1..t.len() - 1].chars().all(|c| c.is_ascii_uppercase() || c == '_')
        }
        _ => false,
    }
}

fn unit_paragraphs(unit: Unit) -> Vec<Paragraph> {
    match unit {
        Unit::Para(p) => vec![p.paragraph],
        Unit::English { paragraphs, .. } => paragraphs,
        Unit::Heading(h) => vec![Paragraph { speaker: None, list: None, content: h.content }],
        Unit::Block(Block::Quote { paragraphs, .. }) => paragraphs,
        Unit::Block(Block::StageDirection { text, .. }) => {
            vec![Paragraph { speaker: None, list: None, content: vec![Inline::Stage { text }] }]
        }
        Unit::Block(Block::Raw { text, .. }) | Unit::Block(Block::Code { text, .. }) => {
            vec![Paragraph { speaker: None, list: None, content: vec![Inline::text(text)] }]
        }
        Unit::Block(_) => Vec::new(),
    }
}

/// Labels that are labels wherever they stand at the start of a paragraph.
const USUAL_LABELS: &[&str] = &["问", "答", "主持人", "Q", "A", "Host", "Interviewer"];

/// Plain labels (`主持人：`, `Elizabeth Stone：`, `Host:`) count as labels when the file uses the same
/// one at least twice, when the name is already a bold speaker label, when it is a usual Q&A label, or
/// when a capitalised Latin name stands before a full-width colon. A one-off `他说：` or `Note:` stays text.
fn apply_plain_labels(units: &mut [Unit]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for_each_paragraph(units, |p| {
        if let Some(label) = inline::plain_label(p) {
            *counts.entry(label.name).or_default() += 1;
        }
        if let Some(Speaker::Named(name)) = &p.speaker {
            *counts.entry(name.clone()).or_default() += 2;
        }
    });
    for_each_paragraph(units, |p| {
        if let Some(label) = inline::plain_label(p) {
            let accepted = counts.get(&label.name).copied().unwrap_or(0) >= 2
                || USUAL_LABELS.contains(&label.name.as_str())
                || (label.full_width && label.is_latin_name());
            if accepted {
                inline::apply_plain_label(p, &label.name);
            }
        }
    });
}

fn for_each_paragraph(units: &mut [Unit], mut f: impl FnMut(&mut Paragraph)) {
    for unit in units {
        match unit {
            Unit::Para(p) => f(&mut p.paragraph),
            Unit::English { paragraphs, .. } => paragraphs.iter_mut().for_each(&mut f),
            _ => {}
        }
    }
}
