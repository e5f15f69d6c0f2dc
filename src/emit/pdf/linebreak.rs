//! Line breaking for mixed Chinese and English text.
//!
//! Break opportunities come from UAX #14 (unicode-linebreak); on top of them the basic rules of Chinese
//! layout (W3C clreq) are enforced: no line starts with 、，。：；！？ or a closing quote or bracket, no line
//! ends with an opening one, `——` and `……` never split. Lines are filled greedily; a word longer than the
//! line (a URL) is broken between characters rather than allowed to overflow. This module only measures and
//! decides; drawing is the layout's job.

use crate::script::{inseparable, no_line_end, no_line_start};
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// One character, measured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    pub c: char,
    /// Advance in points.
    pub width: f32,
    /// Extra space before this character when it does not start a line (Han–Latin spacing), in points.
    pub space_before: f32,
    /// Index of the style run this character belongs to.
    pub style: u16,
}

/// A line: glyphs `start..end` (trailing spaces excluded), its natural width, whether a paragraph's last.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub width: f32,
    pub last: bool,
}

/// Where lines may break: for each glyph index `i` in `1..=n`, whether a break before glyph `i` is allowed,
/// and whether it is mandatory (a line break in the text).
pub(crate) fn opportunities(text: &str, glyphs: &[Glyph]) -> Vec<(usize, bool)> {
    // Byte offsets to glyph indices.
    let mut char_index = vec![0usize; text.len() + 1];
    for (i, (b, _)) in text.char_indices().enumerate() {
        char_index[b] = i;
    }
    char_index[text.len()] = glyphs.len();
    linebreaks(text)
        .filter_map(|(byte, kind)| {
            let i = char_index[byte];
            if i == 0 {
                return None;
            }
            let mandatory = kind == BreakOpportunity::Mandatory;
            if i < glyphs.len() && !mandatory {
                let (before, after) = (glyphs[i - 1].c, glyphs[i].c);
                if no_line_start(after) || no_line_end(before) || inseparable(before, after) {
                    return None;
                }
            }
            Some((i, mandatory))
        })
        .collect()
}

/// Width of glyphs `start..end`, trailing spaces and line breaks left out.
pub(crate) fn width(glyphs: &[Glyph], start: usize, end: usize) -> (f32, usize) {
    let mut end = end;
    while end > start && matches!(glyphs[end - 1].c, ' ' | '\n' | '\u{3000}') {
        end -= 1;
    }
    let mut w = 0.0;
    for (k, g) in glyphs[start..end].iter().enumerate() {
        w += g.width;
        if k > 0 {
            w += g.space_before;
        }
    }
    (w, end)
}

/// Break a paragraph into lines: the first `first_width` points wide, the rest `width`.
pub(crate) fn break_lines(text: &str, glyphs: &[Glyph], first_width: f32, rest_width: f32) -> Vec<Line> {
    let n = glyphs.len();
    let ops = opportunities(text, glyphs);
    let mut lines = Vec::new();
    let mut start = 0;
    let avail = |lines: &Vec<Line>| if lines.is_empty() { first_width } else { rest_width };
    let mut last_fit: Option<usize> = None;
    let mut k = 0;
    while k < ops.len() {
        let (pos, mandatory) = ops[k];
        if pos <= start {
            k += 1;
            continue;
        }
        let (w, _) = width(glyphs, start, pos);
        if w <= avail(&lines) + 0.01 {
            last_fit = Some(pos);
            if mandatory && pos < n {
                push_line(&mut lines, glyphs, start, pos, false);
                start = skip_spaces(glyphs, pos);
                last_fit = None;
            }
            k += 1;
            continue;
        }
        match last_fit.take() {
            Some(b) => {
                push_line(&mut lines, glyphs, start, b, false);
                start = skip_spaces(glyphs, b);
            }
            None => {
                let cut = emergency_cut(glyphs, start, pos, avail(&lines));
                push_line(&mut lines, glyphs, start, cut, false);
                start = skip_spaces(glyphs, cut);
            }
        }
    }
    if start < n || lines.is_empty() {
        push_line(&mut lines, glyphs, start, n, true);
    } else if let Some(l) = lines.last_mut() {
        l.last = true;
    }
    lines
}

/// Where to cut a piece with no break opportunity that is wider than the line (a URL, a long run of
/// Chinese glued together by quotes): the latest cut that fits and keeps the punctuation rules, else the
/// latest that fits at all, so nothing runs past the margin.
fn emergency_cut(glyphs: &[Glyph], start: usize, end: usize, limit: f32) -> usize {
    let allowed = |k: usize| {
        k >= glyphs.len()
            || !(no_line_start(glyphs[k].c)
                || no_line_end(glyphs[k - 1].c)
                || inseparable(glyphs[k - 1].c, glyphs[k].c))
    };
    let fits = |k: usize| width(glyphs, start, k).0 <= limit + 0.01;
    let mut best_any = start + 1;
    let mut best_ruled = None;
    for k in start + 1..end {
        if !fits(k) {
            break;
        }
        best_any = k;
        if allowed(k) {
            best_ruled = Some(k);
        }
    }
    best_ruled.unwrap_or(best_any)
}

fn skip_spaces(glyphs: &[Glyph], mut i: usize) -> usize {
    while i < glyphs.len() && matches!(glyphs[i].c, ' ' | '\n') {
        i += 1;
    }
    i
}

fn push_line(lines: &mut Vec<Line>, glyphs: &[Glyph], start: usize, end: usize, last: bool) {
    let (w, end) = width(glyphs, start, end);
    lines.push(Line { start, end, width: w, last });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(text: &str) -> Vec<Glyph> {
        text.chars()
            .map(|c| Glyph { c, width: if c.is_ascii() { 5.0 } else { 10.0 }, space_before: 0.0, style: 0 })
            .collect()
    }

    fn lines_of(text: &str, width: f32) -> Vec<String> {
        let glyphs = measure(text);
        break_lines(text, &glyphs, width, width)
            .iter()
            .map(|l| glyphs[l.start..l.end].iter().map(|g| g.c).collect())
            .collect()
    }

    #[test]
    fn chinese_breaks_anywhere_but_never_before_closing_punctuation() {
        let text = "我们今天讨论人工智能，以及它的未来。“好的。”他说。";
        for width in [30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0] {
            let lines = lines_of(text, width);
            assert_eq!(lines.concat(), text, "width {width}");
            for line in &lines[1..] {
                let first = line.chars().next().unwrap();
                assert!(!no_line_start(first), "width {width}: line starts with {first}: {lines:?}");
            }
            for line in &lines {
                let last = line.chars().last().unwrap();
                assert!(!no_line_end(last), "width {width}: line ends with {last}: {lines:?}");
            }
        }
    }

    #[test]
    fn dashes_and_ellipses_stay_together() {
        let text = "他说——这很重要……然后离开了";
        for width in [20.0, 30.0, 40.0, 50.0, 60.0] {
            for line in lines_of(text, width) {
                assert!(!line.starts_with('—') || line.starts_with("——"), "{line}");
                assert!(!line.ends_with('—') || line.ends_with("——"), "{line}");
                assert!(!line.starts_with('…') || line.starts_with("……"), "{line}");
            }
        }
    }

    #[test]
    fn english_breaks_at_spaces_and_long_words_are_cut() {
        let lines = lines_of("the quick brown fox", 50.0);
        assert_eq!(lines, ["the quick", "brown fox"]);
        let url = "see https://example.com/a/very/long/path/that/never/ends";
        let lines = lines_of(url, 60.0);
        assert_eq!(lines.concat().replace(' ', ""), url.replace(' ', ""));
        assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
    }

    #[test]
    fn line_breaks_in_text_are_mandatory() {
        assert_eq!(lines_of("one\ntwo", 500.0), ["one", "two"]);
    }
}
