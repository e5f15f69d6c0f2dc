//! What a table of contents or an outline calls a section: its heading, else the first words of its
//! text, else its number. EPUB and PDF name sections alike, so the two editions of a book list the same
//! entries.

use crate::ir::{plain_text, Block, Lang, Section};
use crate::select::View;

/// A section's name: its heading, else the first words of its text (the first section without a heading
/// is the opening, named so in a Chinese book), else its number. Never empty: readers and EPUBCheck need
/// text in every entry and every page title.
pub(crate) fn section_label(section: &Section, number: usize, view: View) -> String {
    let heading = section.heading.as_ref().map(|h| plain_text(&h.content, h.lang));
    let first_text = section.blocks.iter().find_map(|b| match b {
        Block::Segment(s) => match (s.zh.first(), s.en.first()) {
            (Some(p), _) => Some((plain_text(&p.content, Lang::Zh), Lang::Zh)),
            (None, Some(p)) => Some((plain_text(&p.content, Lang::En), Lang::En)),
            (None, None) => None,
        },
        _ => None,
    });
    let label = match (heading, first_text) {
        (Some(h), _) => h,
        (None, Some((text, lang))) if number > 1 || view == View::En => excerpt(&text, lang),
        (None, _) if view == View::En => "Opening".to_string(),
        (None, _) => "开篇".to_string(),
    };
    if !label.trim().is_empty() {
        return label;
    }
    match view {
        View::En => format!("Section {number}"),
        _ => format!("第 {number} 节"),
    }
}

/// Whether `section`, the first, is a short opening before the first heading: no heading of its own, a
/// heading after it, and at most a few sentences (under 300 characters of its longer language).
pub(crate) fn is_short_opening(section: &Section, rest: &[Section]) -> bool {
    let size = |lang: Lang| -> usize {
        section
            .blocks
            .iter()
            .map(|b| match b {
                Block::Segment(s) => s.side(lang).iter().map(|p| plain_text(&p.content, lang).chars().count()).sum(),
                _ => 0,
            })
            .sum()
    };
    section.heading.is_none() && rest.iter().any(|s| s.heading.is_some()) && size(Lang::Zh).max(size(Lang::En)) < 300
}

/// The first words of a paragraph, for a table-of-contents entry of a section without a heading: about
/// 48 characters of English ending at a word, or 18 of Chinese never ending inside a Latin word; `lang` is
/// the side of the segment the text is from.
pub(crate) fn excerpt(text: &str, lang: Lang) -> String {
    // One line of words: line breaks and speaker-change marks are not for a contents entry.
    let text = text.replace(">> ", " ").split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.as_str();
    let english = lang == Lang::En;
    let limit = if english { 48 } else { 18 };
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let whole: String = text.chars().take(limit).collect();
    let mut cut = whole.clone();
    let next = text[whole.len()..].chars().next();
    if english && next.is_some_and(|c| !c.is_whitespace()) {
        cut.truncate(cut.rfind(' ').unwrap_or(0));
    } else if !english && next.is_some_and(|c| c.is_ascii_alphanumeric()) {
        cut.truncate(cut.trim_end_matches(|c: char| c.is_ascii_alphanumeric()).len());
    }
    let cut = if cut.trim().is_empty() { whole } else { cut };
    let cut = cut.trim_end().trim_end_matches([',', ';', ':', '，', '、', '；', '：']);
    if cut.ends_with(['.', '?', '!', '。', '？', '！']) {
        // Whole sentences: nothing is cut off mid-thought.
        return cut.to_string();
    }
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_excerpts_end_at_a_word() {
        let e =
            excerpt("So I think the interesting thing about this moment is that everything changes at once.", Lang::En);
        assert_eq!(e, "So I think the interesting thing about this…");
        let e = excerpt("So I think 多云 is what the cloud vendors call it when you run everywhere at once.", Lang::En);
        assert!(e.starts_with("So I think 多云 is what") && e.ends_with("…") && !e.contains("ever…"), "{e}");
        assert_eq!(excerpt("我们今天要谈的是如何用 Kubernetes 部署服务", Lang::Zh), "我们今天要谈的是如何用…");
        assert_eq!(excerpt("Short.", Lang::En), "Short.");
        assert_eq!(
            excerpt("Are we in a bubble?\n\n>> Uh, I do not believe so at all, no.", Lang::En),
            "Are we in a bubble? Uh, I do not believe so at…"
        );
        assert_eq!(
            excerpt("Cool. So right now, this is what's happening. And then more.", Lang::En),
            "Cool. So right now, this is what's happening."
        );
    }
}
