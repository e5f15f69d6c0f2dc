//! The top-level blocks of a piece of markdown, each with the parser's events inside it: the first step
//! of reading a body. Kept apart from `body`, which decides what each block means.

use super::inline;
use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// A top-level markdown block with its source range and inner events.
pub(super) struct Top<'s> {
    pub kind: TopKind,
    pub range: Range<usize>,
    pub events: Vec<(Event<'s>, Range<usize>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum TopKind {
    Heading(u8),
    Paragraph,
    Html,
    List,
    Code(String),
    Quote,
    Rule,
    Other,
}

/// The top-level blocks of `src` with the events inside each. A block quote keeps no events: its
/// text is read again, one level down, so holding them would only cost memory at every level. Adjacent
/// pieces of text, which the parser hands over one bracket or one escape at a time, are joined as they
/// come, so a line of ten thousand `[` costs one string, not ten thousand events.
pub(super) fn tops(src: &str) -> Vec<Top<'_>> {
    let mut out: Vec<Top<'_>> = Vec::new();
    let mut joined: Option<(String, Range<usize>)> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(src, inline::options()).into_offset_iter() {
        let in_quote = depth > 0 && out.last().is_some_and(|t| t.kind == TopKind::Quote);
        if in_quote && !matches!(event, Event::Start(_) | Event::End(_)) {
            continue;
        }
        if depth == 0 {
            flush_text(&mut out, &mut joined);
        }
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
                } else if !in_quote {
                    push_event(&mut out, &mut joined, event.clone(), range);
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth > 0 && !in_quote {
                    push_event(&mut out, &mut joined, event, range);
                }
            }
            Event::Rule if depth == 0 => out.push(Top { kind: TopKind::Rule, range, events: Vec::new() }),
            _ if depth == 0 => {
                out.push(Top { kind: TopKind::Other, range: range.clone(), events: vec![(event, range)] })
            }
            _ => push_event(&mut out, &mut joined, event, range),
        }
    }
    flush_text(&mut out, &mut joined);
    out
}

/// Add an event to the last top, joining text that follows text without a gap.
fn push_event<'s>(
    out: &mut [Top<'s>],
    joined: &mut Option<(String, Range<usize>)>,
    event: Event<'s>,
    range: Range<usize>,
) {
    if let Event::Text(text) = &event {
        if let Some((so_far, span)) = joined.as_mut().filter(|(_, span)| span.end == range.start) {
            so_far.push_str(text);
            span.end = range.end;
            return;
        }
        flush_text(out, joined);
        *joined = Some((text.to_string(), range));
        return;
    }
    flush_text(out, joined);
    if let Some(top) = out.last_mut() {
        top.events.push((event, range));
    }
}

/// Hand the text being joined to the last top.
fn flush_text(out: &mut [Top<'_>], joined: &mut Option<(String, Range<usize>)>) {
    if let (Some((text, span)), Some(top)) = (joined.take(), out.last_mut()) {
        top.events.push((Event::Text(text.into()), span));
    }
}
