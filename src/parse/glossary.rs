//! Glossary annotations: a term explained on first use, in every form the archive writes it —
//! `**比特**（Bit: 计算机信息的基本单位）`, `**术语（English）**`, `**term (中文：def)**`, and in Chinese text the
//! unbolded `人工智能（Artificial Intelligence: …）` and `（CLI - Command Line Interface）`. A plain
//! translation such as `沙尔贝克（Schaerbeek）` is not an annotation and stays text.

use super::stage::is_stage_word;
use super::text::push_text;
use crate::ir::{GlossaryTerm, Inline};
use crate::script::is_han;

/// Bold glossary annotations: `**术语**（English: def）`, `**术语** (English)`, `**术语（English）**`.
pub(super) fn bold(inlines: &mut Vec<Inline>) {
    let old = std::mem::take(inlines);
    let mut iter = old.into_iter().peekable();
    while let Some(inline) = iter.next() {
        let Inline::Strong { content } = inline else {
            inlines.push(inline);
            continue;
        };
        let term = match content.as_slice() {
            [Inline::Text { text }] => text.clone(),
            _ => {
                inlines.push(Inline::Strong { content });
                continue;
            }
        };
        if let Some(g) = bold_with_parenthetical(&term) {
            inlines.push(Inline::Glossary(g));
            continue;
        }
        let following = match iter.peek() {
            Some(Inline::Text { text }) => parenthetical_at_start(text),
            _ => None,
        };
        match following {
            Some((inner, consumed)) if !is_stage_word(&inner, false) => {
                let (name, gloss) = split_annotation(&inner);
                inlines.push(Inline::Glossary(GlossaryTerm { term: Some(term.trim().to_string()), name, gloss }));
                if let Some(Inline::Text { text }) = iter.next() {
                    push_text(inlines, &text[consumed..]);
                }
            }
            _ => inlines.push(Inline::Strong { content }),
        }
    }
}

/// `术语（English）` or `term (中文：def)` entirely inside bold.
fn bold_with_parenthetical(text: &str) -> Option<GlossaryTerm> {
    let text = text.trim();
    let close = text.chars().last()?;
    let open_char = match close {
        '）' => '（',
        ')' => '(',
        _ => return None,
    };
    let open = text.rfind(open_char).or_else(|| text.rfind(['(', '（']))?;
    let term = text[..open].trim();
    let inner = text[open + open_char.len_utf8()..text.len() - close.len_utf8()].trim();
    if term.is_empty() || inner.is_empty() || inner.contains(['(', '（', ')', '）']) {
        return None;
    }
    let (name, gloss) = split_annotation(inner);
    Some(GlossaryTerm { term: Some(term.to_string()), name, gloss })
}

/// A parenthetical right at the start of `text` (after at most one space): its inside and the bytes it spans.
fn parenthetical_at_start(text: &str) -> Option<(String, usize)> {
    let skip = if text.starts_with(' ') { 1 } else { 0 };
    let rest = &text[skip..];
    let open = rest.chars().next()?;
    if open != '（' && open != '(' {
        return None;
    }
    let body = &rest[open.len_utf8()..];
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth > 0 => depth -= 1,
            '）' | ')' => {
                let inner = body[..i].trim();
                if inner.is_empty() || inner.chars().count() > 400 {
                    return None;
                }
                return Some((inner.to_string(), skip + open.len_utf8() + i + c.len_utf8()));
            }
            _ => {}
        }
    }
    None
}

/// Split an annotation into the other-language name and the explanation.
fn split_annotation(inner: &str) -> (Option<String>, Option<String>) {
    let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let colon =
        inner.char_indices().find(|&(i, c)| (c == ':' || c == '：') && !inner[i + c.len_utf8()..].starts_with("//"));
    if let Some((i, c)) = colon {
        let (name, gloss) = (nonempty(&inner[..i]), nonempty(&inner[i + c.len_utf8()..]));
        return if name.is_none() { (None, gloss) } else { (name, gloss) };
    }
    if let Some((name, gloss)) = inner.split_once(" - ") {
        return (nonempty(name), nonempty(gloss));
    }
    if inner.chars().any(is_han) && inner.chars().count() > 16 {
        (None, nonempty(inner))
    } else {
        (nonempty(inner), None)
    }
}

/// In Chinese text, `（Name: gloss）` with a Latin name, or `（ABC - Expansion）`, is an annotation of the
/// words before it. Plain translations like `沙尔贝克（Schaerbeek）` stay text.
pub(super) fn unbolded(text: &str, out: &mut Vec<Inline>) {
    if !text.contains(['（', '(']) {
        return push_text(out, text);
    }
    let mut rest = text;
    loop {
        let found = rest.char_indices().filter(|&(_, c)| c == '（' || c == '(').find_map(|(i, _)| {
            let (inner, len) = parenthetical_at_start(&rest[i..])?;
            is_unbolded_annotation(&inner).then_some((i, inner, len))
        });
        let Some((start, inner, len)) = found else { break };
        push_text(out, &rest[..start]);
        let (name, gloss) = split_annotation(&inner);
        out.push(Inline::Glossary(GlossaryTerm { term: None, name, gloss }));
        rest = &rest[start + len..];
    }
    push_text(out, rest);
}

fn is_unbolded_annotation(inner: &str) -> bool {
    let name_is_latin = |name: &str| {
        let name = name.trim();
        !name.is_empty()
            && name.chars().count() <= 60
            && !name.chars().any(is_han)
            && name.chars().any(|c| c.is_ascii_alphabetic())
    };
    if let Some(i) = inner.find([':', '：']) {
        let after = &inner[i..];
        let after = after.trim_start_matches([':', '：']);
        return name_is_latin(&inner[..i]) && !after.trim().is_empty() && !after.starts_with("//");
    }
    if let Some((name, gloss)) = inner.split_once(" - ") {
        let abbreviation = name.len() >= 2 && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        return abbreviation && gloss.chars().any(|c| c.is_ascii_alphabetic());
    }
    false
}
