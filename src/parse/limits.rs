//! Bounds on nesting, so that reading stays linear in the input whatever it holds, and reports of the
//! markup runs that only hostile or broken files hold.
//!
//! Each level of block quote is read again from its own text; a line that opens thousands of them at
//! once would cost the square of its length. Quote markers past `MAX_QUOTE_DEPTH` on a line are
//! escaped here, before any parsing, so the text after them is kept as plain text, and the line is
//! reported. A line holding a long run of one markup character (`[[[[…`, `****…`) is read as plain
//! text by the markdown reader anyway; it is reported, since it costs memory for every character.
//! Nothing is dropped and no line moves.

use crate::diag::Diagnostic;
use std::borrow::Cow;

/// Block quotes nested deeper than this are kept as plain text.
pub(super) const MAX_QUOTE_DEPTH: usize = 16;

/// List items nested deeper than this are kept at this depth.
pub(super) const MAX_LIST_DEPTH: usize = 16;

/// A run of one markup character this long is reported.
const LONG_RUN: usize = 256;

/// The characters markdown reads as markup when they come in runs.
const MARKUP: &[u8] = b"[]()*_`~<>!#\\";

/// `body` within the bounds: every quote marker past the limit escaped (`\>`), with a warning for each
/// line touched and for each line holding a long markup run. `first_line` is the 1-based line `body`
/// starts at.
pub(super) fn bounded(body: &str, first_line: u32) -> (Cow<'_, str>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut out = String::new();
    let mut copied = 0;
    let mut offset = 0;
    for (k, line) in body.split_inclusive('\n').enumerate() {
        if let Some((c, n)) = longest_markup_run(line).filter(|&(_, n)| n >= LONG_RUN) {
            warnings.push(Diagnostic::warning(
                first_line + k as u32,
                format!("a run of {n} `{c}` is read as plain text; is this line damaged?"),
            ));
        }
        if let Some(cut) = past_limit(line) {
            out.push_str(&body[copied..offset + cut]);
            for c in line[cut..].chars() {
                if c == '>' {
                    out.push('\\');
                }
                out.push(c);
            }
            copied = offset + line.len();
            warnings.push(Diagnostic::warning(
                first_line + k as u32,
                format!(
                    "block quotes nested more than {MAX_QUOTE_DEPTH} deep; the rest of the line is kept as plain text"
                ),
            ));
        }
        offset += line.len();
    }
    if warnings.is_empty() {
        return (Cow::Borrowed(body), warnings);
    }
    out.push_str(&body[copied..]);
    (Cow::Owned(out), warnings)
}

/// The longest run of one markup character in `line`, and its length.
fn longest_markup_run(line: &str) -> Option<(char, usize)> {
    let mut best: Option<(u8, usize)> = None;
    let mut run: Option<(u8, usize)> = None;
    for &b in line.as_bytes() {
        run = match run {
            Some((c, n)) if c == b => Some((c, n + 1)),
            _ if MARKUP.contains(&b) => Some((b, 1)),
            _ => None,
        };
        if let Some((c, n)) = run {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((c, n));
            }
        }
    }
    best.map(|(c, n)| (c as char, n))
}

/// Where the quote markers of `line` pass the limit (the byte after the last marker allowed), when
/// they do. Markers are `>` with optional spaces between, after at most three spaces of indentation.
fn past_limit(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = bytes.iter().take(3).take_while(|&&b| b == b' ').count();
    let mut depth = 0;
    while i < bytes.len() && bytes[i] == b'>' {
        depth += 1;
        i += 1;
        if depth == MAX_QUOTE_DEPTH {
            let rest = &line[i..];
            return rest.trim_start_matches([' ', '\t']).starts_with('>').then_some(i);
        }
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_quotes_are_escaped_past_the_limit_and_nothing_moves() {
        let body = format!("a\n{}x\nb\n", "> ".repeat(40));
        let (out, warnings) = bounded(&body, 5);
        assert_eq!(out.lines().count(), body.lines().count());
        let deep = out.lines().nth(1).unwrap();
        assert!(deep.starts_with(&"> ".repeat(MAX_QUOTE_DEPTH)), "{deep}");
        assert_eq!(deep.matches("\\>").count(), 40 - MAX_QUOTE_DEPTH);
        assert!(deep.ends_with('x'));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 6);
        let shallow = format!("{}x\n", "> ".repeat(MAX_QUOTE_DEPTH));
        assert!(matches!(bounded(&shallow, 1).0, Cow::Borrowed(_)));
    }

    #[test]
    fn long_markup_runs_are_reported_and_kept() {
        let body = format!("fine **bold** and ****\n{}\n", "[".repeat(300));
        let (out, warnings) = bounded(&body, 1);
        assert_eq!(out, body);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 2);
        assert!(warnings[0].message.contains("a run of 300 `[`"), "{}", warnings[0].message);
    }
}
