//! The HTML a transcript uses, read by hand: `<details>`, `<summary>` (closed properly or by `</p>`),
//! `<p class="english-text">` and whatever text sits between them. A CommonMark parser splits these blocks
//! at blank lines; the front end joins the pieces back into regions and reads them here. Nothing here
//! interprets markdown or builds IR.

use std::ops::Range;

pub(super) fn contains_ci(haystack: &str, needle: &str) -> bool {
    find_ci(haystack, needle, 0).is_some()
}

/// Byte offset of `needle` (ASCII, lowercase) in `haystack` at or after `from`, ignoring ASCII case.
/// Candidates are found by the needle's first byte, which `str::find` locates with a fast byte search.
pub(super) fn find_ci(haystack: &str, needle: &str, from: usize) -> Option<usize> {
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

pub(super) fn count_ci(haystack: &str, needle: &str) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(i) = find_ci(haystack, needle, from) {
        count += 1;
        from = i + needle.len();
    }
    count
}

/// The next place of one needle in one haystack, for positions that only move forward: each search
/// resumes where the last one ended, so finding every occurrence costs one pass over the text.
struct Ahead<'n> {
    needle: &'n str,
    /// The last answer, and the position it was searched from.
    last: Option<(usize, Option<usize>)>,
}

impl<'n> Ahead<'n> {
    fn new(needle: &'n str) -> Self {
        Ahead { needle, last: None }
    }

    /// The first occurrence at or after `from` (ASCII case ignored), with `from` never smaller than in the
    /// previous call.
    fn find(&mut self, haystack: &str, from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.last {
            debug_assert!(from >= searched_from, "positions only move forward");
            match found {
                Some(at) if at >= from => return Some(at),
                None => return None,
                Some(_) => {}
            }
        }
        let found = find_ci(haystack, self.needle, from);
        self.last = Some((from, found));
        found
    }
}

/// Whether a `<p>` is still open after `text`, given whether one was open before it.
pub(super) fn p_left_open(text: &str, open_before: bool) -> bool {
    match (rfind_p_open(text), text.rfind("</p>")) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => open_before,
    }
}

pub(super) fn rfind_p_open(text: &str) -> Option<usize> {
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
pub(super) enum PieceKind {
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
pub(super) struct Piece {
    pub kind: PieceKind,
    pub range: Range<usize>,
}

/// Split an HTML region into tags of interest and the text between them. Linear in the region: every
/// search for what comes next resumes where the previous one stopped.
pub(super) fn html_pieces(region: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    let bytes = region.as_bytes();
    let (mut next_gt, mut next_newline) = (Ahead::new(">"), Ahead::new("\n"));
    let (mut next_p_close, mut next_details_close) = (Ahead::new("</p>"), Ahead::new("</details>"));
    let mut next_summary_close = Ahead::new("</summary>");
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
        let line_end = next_newline.find(region, pos).unwrap_or(region.len());
        let tag_end = match next_gt.find(region, pos) {
            Some(e) if e < line_end || region[pos..].starts_with("<details") => e + 1,
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
                let line_end = next_newline.find(region, tag_end).unwrap_or(region.len());
                let summary_close = next_summary_close.find(region, tag_end);
                let p_close = next_p_close.find(region, tag_end);
                let on_line = |at: Option<usize>| at.filter(|&i| i < line_end);
                let (end, closed_by_p) = match (on_line(summary_close), on_line(p_close)) {
                    (Some(i), _) => (i + "</summary>".len(), false),
                    (None, Some(i)) => (i + "</p>".len(), true),
                    (None, None) => match summary_close {
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
                let close = next_p_close.find(region, tag_end);
                let details_close = next_details_close.find(region, tag_end);
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

pub(super) fn pieces_can_start_tag(s: &str) -> bool {
    s[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
}

pub(super) fn tag_name(tag: &str) -> String {
    let inner = tag.strip_prefix('<').unwrap_or(tag);
    let closing = inner.starts_with('/');
    let name: String = inner
        .strip_prefix('/')
        .unwrap_or(inner)
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
