//! The body: markdown blocks through pulldown-cmark, `<details>` regions reassembled across the events a
//! CommonMark parser splits them into, then Chinese and English paired into segments.
//!
//! Reading happens in two steps. `units` turns source into a flat list of units (a heading, a paragraph
//! with its language, the English of one `<details>`, another block); `pair` walks the units once and
//! builds sections and segments according to the file's convention (A/B: `<details>`, C: English then
//! Chinese by script, D: Chinese only). Nothing is dropped: unknown HTML becomes a `Raw` block.

use super::inline::{self, conventions, convert, fragment_events, Origin};
use super::script::{join_separator, ScriptCounts};
use crate::diag::{Diagnostic, LineIndex};
use crate::ir::{Block, Heading, Inline, Lang, Lines, ListItem, Paragraph, Section, Segment, Speaker};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// Read the body. `offset` is where `body` starts in `full`, which `index` was built on.
pub(super) fn read(
    body: &str,
    offset: usize,
    full: &str,
    index: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut ctx = Ctx { index, full, diagnostics, interleaved_lines: !contains_ci(body, "<details"), depth: 0 };
    let mut units = ctx.units(body, offset);
    apply_plain_labels(&mut units);
    pair(units, &mut ctx)
}

struct Ctx<'a> {
    index: &'a LineIndex,
    full: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The file has no `<details>`: a paragraph may hold an English line and its Chinese line.
    interleaved_lines: bool,
    depth: usize,
}

/// One step of the body, before pairing.
#[derive(Debug)]
enum Unit {
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
struct Para {
    paragraph: Paragraph,
    lang: Option<Lang>,
    timestamp: Option<u32>,
    /// Only stage directions and speaker changes: `[music]`, `>> [music]`.
    stage_only: bool,
    lines: Lines,
}

/// A top-level markdown block with its source range and inner events.
struct Top<'s> {
    kind: TopKind,
    range: Range<usize>,
    events: Vec<(Event<'s>, Range<usize>)>,
}

#[derive(Debug, Clone, PartialEq)]
enum TopKind {
    Heading(u8),
    Paragraph,
    Html,
    List,
    Code(String),
    Quote,
    Rule,
    Other,
}

fn tops(src: &str) -> Vec<Top<'_>> {
    let mut out: Vec<Top<'_>> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(src, inline::options()).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match tag {
                        Tag::Heading { level, .. } => TopKind::Heading(*level as u8),
                        Tag::Paragraph => TopKind::Paragraph,
                        Tag::HtmlBlock => TopKind::Html,
                        Tag::List(_) => TopKind::List,
                        Tag::CodeBlock(kind) => TopKind::Code(match kind {
                            pulldown_cmark::CodeBlockKind::Fenced(info) => info.to_string(),
                            pulldown_cmark::CodeBlockKind::Indented => String::new(),
                        }),
                        Tag::BlockQuote(_) => TopKind::Quote,
                        _ => TopKind::Other,
                    };
                    out.push(Top { kind, range: range.clone(), events: Vec::new() });
                } else if let Some(top) = out.last_mut() {
                    top.events.push((event.clone(), range));
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth > 0 {
                    if let Some(top) = out.last_mut() {
                        top.events.push((event, range));
                    }
                }
            }
            Event::Rule if depth == 0 => out.push(Top { kind: TopKind::Rule, range, events: Vec::new() }),
            _ if depth == 0 => {
                out.push(Top { kind: TopKind::Other, range: range.clone(), events: vec![(event, range)] })
            }
            _ => {
                if let Some(top) = out.last_mut() {
                    top.events.push((event, range));
                }
            }
        }
    }
    out
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    find_ci(haystack, needle, 0).is_some()
}

/// Byte offset of `needle` (ASCII, lowercase) in `haystack` at or after `from`, ignoring ASCII case.
/// Candidates are found by the needle's first byte, which `str::find` locates with a fast byte search.
fn find_ci(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    let first = *n.first()?;
    debug_assert!(!first.is_ascii_alphabetic(), "needles start with punctuation");
    let mut at = from;
    while at + n.len() <= h.len() {
        let i = at + haystack.get(at..)?.find(first as char)?;
        if h.len() >= i + n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            return Some(i);
        }
        at = i + 1;
    }
    None
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
        let tops = tops(src);
        let mut units = Vec::new();
        let mut i = 0;
        while i < tops.len() {
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
                    let paragraphs = self.units(&inner, abs.start).into_iter().flat_map(unit_paragraphs).collect();
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
        let lang =
            if crate::ir::plain_text(&content, Lang::Zh).chars().any(crate::ir::is_han) { Lang::Zh } else { Lang::En };
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
            para.paragraph.list = Some(ListItem {
                number: lists.last().copied().flatten(),
                depth: (lists.len() - 1).min(u8::MAX as usize) as u8,
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
                && super::classify(text) == Some(Lang::Zh);
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

fn count_ci(haystack: &str, needle: &str) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(i) = find_ci(haystack, needle, from) {
        count += 1;
        from = i + needle.len();
    }
    count
}

/// Whether a `<p>` is still open after `text`, given whether one was open before it.
fn p_left_open(text: &str, open_before: bool) -> bool {
    match (rfind_p_open(text), text.rfind("</p>")) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => open_before,
    }
}

fn rfind_p_open(text: &str) -> Option<usize> {
    let mut found = None;
    let mut from = 0;
    while let Some(i) = find_ci(text, "<p", from) {
        let next = text.as_bytes().get(i + 2).copied();
        if matches!(next, Some(b'>') | Some(b' ') | Some(b'\n') | Some(b'\t')) {
            found = Some(i);
        }
        from = i + 2;
    }
    found
}

#[derive(Debug, PartialEq)]
enum PieceKind {
    DetailsOpen,
    Summary {
        closed_by_p: bool,
    },
    /// The content of a `<p>` (range covers the content only).
    P,
    DetailsClose,
    /// Markdown or plain text between tags.
    Text,
    /// A tag that is none of the above.
    OtherTag,
}

#[derive(Debug)]
struct Piece {
    kind: PieceKind,
    range: Range<usize>,
}

/// Split an HTML region into tags of interest and the text between them.
fn html_pieces(region: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    let bytes = region.as_bytes();
    let flush_text = |pieces: &mut Vec<Piece>, from: usize, to: usize| {
        if region[from..to].trim().is_empty() {
            return;
        }
        pieces.push(Piece { kind: PieceKind::Text, range: from..to });
    };
    while pos < bytes.len() {
        if bytes[pos] != b'<' {
            pos += 1;
            continue;
        }
        let rest = &region[pos..];
        let tag_end = match rest.find('>') {
            Some(e) if !rest[..e].contains('\n') || rest.starts_with("<details") => pos + e + 1,
            _ => {
                pos += 1;
                continue;
            }
        };
        let name = tag_name(&region[pos..tag_end]);
        match name.as_str() {
            "details" => {
                flush_text(&mut pieces, text_start, pos);
                pieces.push(Piece { kind: PieceKind::DetailsOpen, range: pos..tag_end });
            }
            "/details" => {
                flush_text(&mut pieces, text_start, pos);
                pieces.push(Piece { kind: PieceKind::DetailsClose, range: pos..tag_end });
            }
            "summary" => {
                flush_text(&mut pieces, text_start, pos);
                let line_end = region[tag_end..].find('\n').map_or(region.len(), |i| tag_end + i);
                let line = &region[tag_end..line_end];
                let (end, closed_by_p) = match (find_ci(line, "</summary>", 0), find_ci(line, "</p>", 0)) {
                    (Some(i), _) => (tag_end + i + "</summary>".len(), false),
                    (None, Some(i)) => (tag_end + i + "</p>".len(), true),
                    (None, None) => match find_ci(region, "</summary>", tag_end) {
                        Some(i) => (i + "</summary>".len(), false),
                        None => (line_end, false),
                    },
                };
                pieces.push(Piece { kind: PieceKind::Summary { closed_by_p }, range: pos..end });
                pos = end;
                text_start = end;
                continue;
            }
            "p" => {
                flush_text(&mut pieces, text_start, pos);
                let close = find_ci(region, "</p>", tag_end);
                let details_close = find_ci(region, "</details>", tag_end);
                let content_end = match (close, details_close) {
                    (Some(c), Some(d)) if d < c => d,
                    (Some(c), _) => c,
                    (None, Some(d)) => d,
                    (None, None) => region.len(),
                };
                pieces.push(Piece { kind: PieceKind::P, range: tag_end..content_end });
                pos = if close == Some(content_end) { content_end + "</p>".len() } else { content_end };
                text_start = pos;
                continue;
            }
            "/p" | "/summary" | "br" => {
                // A lone closing tag or a line break between blocks carries no text.
                if name != "br" {
                    flush_text(&mut pieces, text_start, pos);
                    text_start = tag_end;
                }
                pos = tag_end;
                continue;
            }
            _ if name.starts_with('!') || name.is_empty() || !pieces_can_start_tag(&region[pos..]) => {
                pos += 1;
                continue;
            }
            _ if region[..pos].ends_with('\n') || pos == 0 => {
                flush_text(&mut pieces, text_start, pos);
                pieces.push(Piece { kind: PieceKind::OtherTag, range: pos..tag_end });
            }
            _ => {
                pos = tag_end;
                continue;
            }
        }
        pos = tag_end;
        text_start = tag_end;
    }
    flush_text(&mut pieces, text_start, region.len());
    pieces
}

fn pieces_can_start_tag(s: &str) -> bool {
    s[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
}

fn tag_name(tag: &str) -> String {
    let inner = tag.trim_start_matches('<');
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if closing {
        format!("/{name}")
    } else {
        name
    }
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
                line.1 = line.1.add(ScriptCounts::of(t, true));
                line.2.push_str(t);
            }
            _ => {}
        }
    }
    if lines.len() < 2 {
        return None;
    }
    let total = lines.iter().fold(ScriptCounts::default(), |acc, l| acc.add(l.1));
    let mut before = ScriptCounts::default();
    for window in lines.windows(2) {
        before = before.add(window[0].1);
        let after = total.minus(before);
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

/// The file's pairing convention.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Convention {
    /// A and B: English in `<details>` after its Chinese.
    Details,
    /// C: an English paragraph, then its Chinese.
    Interleaved,
    /// D: Chinese only.
    ChineseOnly,
}

fn convention(units: &[Unit]) -> Convention {
    if units.iter().any(|u| matches!(u, Unit::English { .. })) {
        return Convention::Details;
    }
    let count =
        |lang| units.iter().filter(|u| matches!(u, Unit::Para(p) if p.lang == Some(lang) && !p.stage_only)).count();
    let (en, zh) = (count(Lang::En), count(Lang::Zh));
    if en > 0 && en * 3 >= zh {
        Convention::Interleaved
    } else {
        Convention::ChineseOnly
    }
}

/// Walks units once and builds sections.
struct Pairing<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    sections: Vec<Section>,
    pending_zh: Vec<Para>,
    pending_en: Option<(Vec<Paragraph>, Option<u32>, Lines)>,
    /// The last `<details>` was empty: a stray English `<p>` right after it still belongs to `pending_zh`.
    after_empty_details: bool,
    convention: Convention,
}

fn pair(units: Vec<Unit>, ctx: &mut Ctx<'_>) -> Vec<Section> {
    let convention = convention(&units);
    let mut p = Pairing {
        ctx,
        sections: vec![Section { heading: None, blocks: Vec::new() }],
        pending_zh: Vec::new(),
        pending_en: None,
        after_empty_details: false,
        convention,
    };
    for unit in units {
        p.unit(unit);
    }
    p.flush();
    if p.sections.len() > 1 && p.sections[0].blocks.is_empty() {
        p.sections.remove(0);
    }
    p.sections
}

impl Pairing<'_, '_> {
    fn push(&mut self, block: Block) {
        self.sections.last_mut().expect("at least one section").blocks.push(block);
    }

    fn unit(&mut self, unit: Unit) {
        match unit {
            Unit::Heading(h) => {
                self.flush();
                self.sections.push(Section { heading: Some(h), blocks: Vec::new() });
            }
            Unit::Block(b) => {
                self.flush();
                self.push(b);
            }
            Unit::English { paragraphs, timestamp, lines } => {
                if paragraphs.is_empty() {
                    self.after_empty_details = true;
                    return;
                }
                self.after_empty_details = false;
                let zh = std::mem::take(&mut self.pending_zh);
                if zh.is_empty() {
                    self.ctx.diagnostics.push(Diagnostic::warning(
                        lines.start,
                        "english original has no chinese paragraph before it; add the translation above the <details> block",
                    ));
                }
                self.segment(zh, paragraphs, timestamp, Some(lines));
            }
            Unit::Para(para) => match self.convention {
                Convention::Details => self.details_para(para),
                Convention::Interleaved => self.interleaved_para(para),
                Convention::ChineseOnly => {
                    if para.stage_only {
                        self.stage(para);
                    } else {
                        self.segment(vec![para], Vec::new(), None, None);
                    }
                }
            },
        }
    }

    fn details_para(&mut self, para: Para) {
        if self.after_empty_details {
            self.flush();
        }
        if para.lang == Some(Lang::En) && !para.stage_only && para.paragraph.list.is_none() {
            self.flush();
            self.ctx.diagnostics.push(Diagnostic::warning(
                para.lines.start,
                "english paragraph outside <details>; put it in a <details> block after its chinese translation",
            ));
            let lines = para.lines;
            self.segment(Vec::new(), vec![para.paragraph], para.timestamp, Some(lines));
        } else {
            self.pending_zh.push(para);
        }
    }

    fn interleaved_para(&mut self, para: Para) {
        match para.lang {
            _ if para.stage_only => {
                self.flush();
                self.stage(para);
            }
            Some(Lang::En) => {
                self.flush();
                self.pending_en = Some((vec![para.paragraph], para.timestamp, para.lines));
            }
            _ => match self.pending_en.take() {
                Some((en, timestamp, lines)) => {
                    let lines = Lines { start: lines.start, end: para.lines.end };
                    self.segment(vec![para], en, timestamp, Some(lines));
                }
                None => {
                    self.warn_missing_english(&para);
                    self.segment(vec![para], Vec::new(), None, None);
                }
            },
        }
    }

    fn warn_missing_english(&mut self, para: &Para) {
        self.ctx.diagnostics.push(Diagnostic::warning(
            para.lines.start,
            "chinese paragraph has no english original; add the original after it",
        ));
    }

    fn stage(&mut self, para: Para) {
        let mut text = String::new();
        if para.paragraph.speaker == Some(Speaker::Turn) {
            text.push_str(">> ");
        }
        text.push_str(&crate::ir::plain_text(&para.paragraph.content, Lang::En));
        self.push(Block::StageDirection { text, lines: para.lines });
    }

    fn segment(&mut self, zh: Vec<Para>, en: Vec<Paragraph>, timestamp: Option<u32>, en_lines: Option<Lines>) {
        let start = zh.first().map(|p| p.lines.start).or(en_lines.map(|l| l.start)).unwrap_or(0);
        let end = en_lines.map(|l| l.end).or(zh.last().map(|p| p.lines.end)).unwrap_or(start);
        let timestamp = timestamp.or_else(|| zh.iter().find_map(|p| p.timestamp));
        let zh = zh.into_iter().map(|p| p.paragraph).collect();
        self.push(Block::Segment(Segment { zh, en, timestamp, lines: Lines { start, end } }));
    }

    /// Close whatever is waiting for its other half.
    fn flush(&mut self) {
        self.after_empty_details = false;
        if let Some((en, timestamp, lines)) = self.pending_en.take() {
            self.ctx.diagnostics.push(Diagnostic::warning(
                lines.start,
                "english paragraph has no chinese translation after it; add the translation",
            ));
            self.segment(Vec::new(), en, timestamp, Some(lines));
        }
        let zh = std::mem::take(&mut self.pending_zh);
        if zh.is_empty() {
            return;
        }
        if zh.iter().all(|p| p.stage_only) {
            for para in zh {
                self.stage(para);
            }
            return;
        }
        if self.convention != Convention::ChineseOnly {
            self.warn_missing_english(&zh[0]);
        }
        self.segment(zh, Vec::new(), None, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_a_malformed_details_region() {
        let region = "<details>\n<summary>View/Hide Original English</p>\n</details>\n<p class=\"english-text\">They have courses.</p>\n</details>\n";
        let kinds: Vec<_> = html_pieces(region).into_iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                PieceKind::DetailsOpen,
                PieceKind::Summary { closed_by_p: true },
                PieceKind::DetailsClose,
                PieceKind::P,
                PieceKind::DetailsClose
            ]
        );
    }

    #[test]
    fn pieces_keep_text_after_details() {
        let region = "<details>\n<summary>Original English</summary>\nRaw text.\n</details>\n[BODY_END]";
        let pieces = html_pieces(region);
        let texts: Vec<_> =
            pieces.iter().filter(|p| p.kind == PieceKind::Text).map(|p| region[p.range.clone()].trim()).collect();
        assert_eq!(texts, ["Raw text.", "[BODY_END]"]);
    }

    #[test]
    fn case_insensitive_search() {
        assert_eq!(find_ci("a <DETAILS>", "<details", 0), Some(2));
        assert_eq!(count_ci("</details></Details>", "</details>"), 2);
    }
}
