//! Line breaking for mixed Chinese and English text: total fit, in the manner of Knuth and Plass.
//!
//! Break opportunities come from UAX #14 (unicode-linebreak), adjusted to the rules of Chinese layout
//! (W3C clreq): no line starts with 、，。：；！？ or a closing quote or bracket, no line ends with an
//! opening one, `——` and `……` never split; a line may break before an opening quote or bracket and
//! after a closing one when Chinese text stands on the other side (UAX #14 glues quotation marks to
//! their neighbours, which in Chinese leaves lines short by a character or two).
//!
//! Every way of breaking the paragraph is weighed at once (dynamic programming over the opportunities):
//! each line's badness grows with the cube of how far its gaps must stretch or shrink, so the stretch a
//! paragraph needs is spread over its lines instead of piling into one. A last line of fewer than three
//! characters (a runt) costs more than any loose line. English words, in English paragraphs and inside
//! Chinese ones, may be hyphenated (Liang's patterns for US English, the `hyphenation` crate) at a cost,
//! and two hyphenated lines in a row cost more. A piece wider than the line with no opportunity inside
//! (a URL) gets costly emergency opportunities, so nothing runs past the margin.
//!
//! This module only measures and decides; what may stretch, by how much, and drawing are the layout's.

use crate::script::{inseparable, no_line_end, no_line_start};
use hyphenation::{Hyphenator, Language, Load, Standard};
use std::sync::OnceLock;
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// One character, measured.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Glyph {
    pub c: char,
    /// Advance in points (after any compression of adjacent punctuation).
    pub width: f32,
    /// Where the glyph is drawn relative to its position, in points: negative for an opening mark whose
    /// blank half was taken away.
    pub offset: f32,
    /// Extra space before this character when it does not start a line (Han–Latin spacing), in points.
    pub space_before: f32,
    /// How much the gap after this character may grow at a stretch ratio of 1, in points.
    pub stretch: f32,
    /// How much the gap after this character may shrink at a ratio of -1 (the blank half of a closing
    /// mark, a third of a space), in points.
    pub shrink: f32,
    /// Width given up when this character starts a line other than the paragraph's first (the blank
    /// half of an opening mark), in points.
    pub start_trim: f32,
    /// Width of the hyphen drawn when a line breaks inside a word after this character, in points.
    pub hyphen: f32,
    /// Index of the style run this character belongs to.
    pub style: u16,
}

/// A line: glyphs `start..end` (trailing spaces excluded), its natural width, how far its gaps stretch
/// (positive) or shrink (negative, at most -1), whether it ends its paragraph or a forced line, and how
/// much of its first glyph is trimmed away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub width: f32,
    pub ratio: f32,
    pub last: bool,
    pub start_trim: f32,
    /// The line ends inside a word: a hyphen is drawn after it (`width` counts it).
    pub hyphen: bool,
}

/// The widths lines are set to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measure {
    /// The paragraph's first line (after any indent).
    pub first: f32,
    /// Every other line.
    pub rest: f32,
    /// Lines are set ragged: their gaps keep their natural widths, and the breaker only evens out the
    /// lines' lengths, as if each line could stretch this much at its end.
    pub ragged: Option<f32>,
}

/// A place a line may end: before glyph `pos`, at a cost.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Opportunity {
    pos: usize,
    penalty: f32,
    mandatory: bool,
    hyphen: bool,
}

/// Kinds of break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Break {
    Normal,
    /// A line break in the text.
    Mandatory,
    /// Inside a word, with a hyphen.
    Hyphen,
}

/// Penalties of the cuts made only because a piece is wider than the line.
const EMERGENCY: f32 = 3000.0;
const EMERGENCY_AGAINST_RULES: f32 = 9000.0;
/// Penalty of a hyphenated break, and the extra demerits of two hyphenated lines in a row (TeX's
/// \hyphenpenalty and \doublehyphendemerits).
const HYPHEN: f32 = 50.0;
const DOUBLE_HYPHEN: f64 = 10_000.0;
/// Demerits of a runt: more than the worst line, so a paragraph ends on a runt only when it cannot be
/// broken any other way (it is one or two characters long, or a mandatory break leaves no choice).
const RUNT: f64 = 1.0e9;
/// Ratio beyond which the first pass refuses a line; a second pass takes whatever it must.
const TOLERANCE: f32 = 4.0;

/// Where lines may break: for each glyph index `i` in `1..=n` where a line may end before glyph `i`,
/// the kind of break.
pub(crate) fn opportunities(text: &str, glyphs: &[Glyph]) -> Vec<(usize, Break)> {
    let n = glyphs.len();
    let mut char_index = vec![0usize; text.len() + 1];
    for (i, (b, _)) in text.char_indices().enumerate() {
        char_index[b] = i;
    }
    char_index[text.len()] = n;
    let mut at: Vec<Option<Break>> = vec![None; n + 1];
    for (byte, kind) in linebreaks(text) {
        let i = char_index[byte];
        let mandatory = kind == BreakOpportunity::Mandatory;
        if i > 0 && (i == n || mandatory || allowed(glyphs[i - 1].c, glyphs[i].c)) {
            at[i] = Some(if mandatory { Break::Mandatory } else { Break::Normal });
        }
    }
    // The quotation marks and brackets UAX #14 keeps with their neighbours, which clreq lets go.
    for i in 1..n {
        if at[i].is_none() && chinese_quote_break(glyphs[i - 1].c, glyphs[i].c) {
            at[i] = Some(Break::Normal);
        }
    }
    for (start, end) in hyphenatable_words(glyphs) {
        let word: String = glyphs[start..end].iter().map(|g| g.c).collect();
        for b in hyphenator().map(|h| h.hyphenate(&word).breaks).unwrap_or_default() {
            if at[start + b].is_none() && glyphs[start + b - 1].hyphen > 0.0 {
                at[start + b] = Some(Break::Hyphen);
            }
        }
    }
    at.iter().enumerate().filter_map(|(i, b)| b.map(|kind| (i, kind))).collect()
}

/// US English hyphenation patterns, loaded once.
fn hyphenator() -> Option<&'static Standard> {
    static PATTERNS: OnceLock<Option<Standard>> = OnceLock::new();
    PATTERNS.get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok()).as_ref()
}

/// Words that may be hyphenated, as glyph ranges: runs of at least five ASCII letters, not an acronym
/// or a name in inner capitals (`OpenSpec`), not part of an address, a path or a number.
fn hyphenatable_words(glyphs: &[Glyph]) -> Vec<(usize, usize)> {
    let joins = |c: char| c.is_ascii_digit() || "/\\._@:#=&?~%+".contains(c);
    let mut words = Vec::new();
    let mut k = 0;
    while k < glyphs.len() {
        if !glyphs[k].c.is_ascii_alphabetic() {
            k += 1;
            continue;
        }
        let start = k;
        while k < glyphs.len() && glyphs[k].c.is_ascii_alphabetic() {
            k += 1;
        }
        let capitals = glyphs[start + 1..k].iter().filter(|g| g.c.is_ascii_uppercase()).count();
        let joined = (start > 0 && joins(glyphs[start - 1].c)) || glyphs.get(k).is_some_and(|g| joins(g.c));
        if k - start >= 5 && capitals == 0 && !joined {
            words.push((start, k));
        }
    }
    words
}

/// Whether a line may end between `before` and `after` as far as the punctuation rules go.
fn allowed(before: char, after: char) -> bool {
    !(no_line_start(after) || no_line_end(before) || inseparable(before, after))
}

/// A break next to a quotation mark or bracket inside Chinese text: before an opening mark that follows
/// Chinese, or after a closing one that Chinese follows.
fn chinese_quote_break(before: char, after: char) -> bool {
    use crate::script::is_cjk;
    if !allowed(before, after) {
        return false;
    }
    let opening_mark = no_line_end(after) && !after.is_ascii();
    let closing_mark = no_line_start(before) && !before.is_ascii();
    (opening_mark && is_cjk(before)) || (closing_mark && is_cjk(after))
}

/// Prefix sums over the glyphs, so that any line's width, stretch and shrink are three subtractions.
struct Sums {
    /// Advance plus space before, up to glyph `k`.
    width: Vec<f32>,
    stretch: Vec<f32>,
    shrink: Vec<f32>,
}

impl Sums {
    fn of(glyphs: &[Glyph]) -> Sums {
        let n = glyphs.len();
        let (mut width, mut stretch, mut shrink) = (vec![0.0; n + 1], vec![0.0; n + 1], vec![0.0; n + 1]);
        for (k, g) in glyphs.iter().enumerate() {
            width[k + 1] = width[k] + g.width + g.space_before;
            stretch[k + 1] = stretch[k] + g.stretch;
            shrink[k + 1] = shrink[k] + g.shrink;
        }
        Sums { width, stretch, shrink }
    }
}

/// The first glyph of a line that begins after a break before glyph `pos`: spaces and line breaks at a
/// break are dropped.
fn line_start(glyphs: &[Glyph], mut pos: usize) -> usize {
    while pos < glyphs.len() && matches!(glyphs[pos].c, ' ' | '\n') {
        pos += 1;
    }
    pos
}

/// The end of a line that breaks before `pos`, trailing spaces and line breaks left out.
fn line_end(glyphs: &[Glyph], start: usize, mut pos: usize) -> usize {
    while pos > start && matches!(glyphs[pos - 1].c, ' ' | '\n' | '\u{3000}') {
        pos -= 1;
    }
    pos
}

/// Natural width, stretch and shrink of glyphs `start..end` set as one line, and the trim of its first
/// glyph (`opening`: the paragraph's first line, whose first glyph keeps its full width).
fn measure(
    glyphs: &[Glyph],
    sums: &Sums,
    (start, end): (usize, usize),
    opening: bool,
    hyphen: bool,
) -> (f32, f32, f32, f32) {
    if end <= start {
        return (0.0, 0.0, 0.0, 0.0);
    }
    let trim = if opening { 0.0 } else { glyphs[start].start_trim };
    let hyphen = if hyphen { glyphs[end - 1].hyphen } else { 0.0 };
    let width = sums.width[end] - sums.width[start] - glyphs[start].space_before - trim + hyphen;
    // The gap after the last glyph is the margin: it does not stretch, but a closing mark's blank half
    // may still be given up there.
    let stretch = sums.stretch[end - 1] - sums.stretch[start];
    let shrink = sums.shrink[end] - sums.shrink[start];
    (width, stretch, shrink, trim)
}

/// Letters, digits and Han characters in `glyphs`: what a runt is counted in.
fn letters(glyphs: &[Glyph]) -> usize {
    glyphs.iter().filter(|g| g.c.is_alphanumeric()).count()
}

/// Break a paragraph into lines.
pub(crate) fn break_lines(text: &str, glyphs: &[Glyph], measure: Measure) -> Vec<Line> {
    let n = glyphs.len();
    let sums = Sums::of(glyphs);
    let ops = with_emergency_cuts(glyphs, &sums, opportunities(text, glyphs), measure.first.min(measure.rest));
    let breaks = total_fit(glyphs, &sums, &ops, measure, Some(TOLERANCE))
        .or_else(|| total_fit(glyphs, &sums, &ops, measure, None))
        .unwrap_or_else(|| vec![Opportunity { pos: n, penalty: 0.0, mandatory: true, hyphen: false }]);
    let mut lines = Vec::with_capacity(breaks.len());
    let mut from = 0;
    for (k, op) in breaks.iter().enumerate() {
        let to = op.pos;
        let start = line_start(glyphs, from).min(to);
        let start = if from == 0 { 0 } else { start };
        let end = line_end(glyphs, start, to);
        let last = k + 1 == breaks.len() || op.mandatory;
        let hyphen = op.hyphen && !last;
        let (width, stretch, shrink, start_trim) = self::measure(glyphs, &sums, (start, end), from == 0, hyphen);
        let avail = if from == 0 { measure.first } else { measure.rest };
        let ratio =
            if last || measure.ragged.is_some() { 0.0 } else { adjustment(width, stretch, shrink, avail).max(-1.0) };
        lines.push(Line { start, end, width, ratio, last, start_trim, hyphen });
        from = to;
    }
    lines
}

/// The ratio that brings a line of natural `width` to `avail`: positive when it must stretch, negative
/// when it must shrink; infinite when it must stretch and cannot.
fn adjustment(width: f32, stretch: f32, shrink: f32, avail: f32) -> f32 {
    if width <= avail {
        if width + 0.01 >= avail {
            0.0
        } else if stretch > 0.0 {
            (avail - width) / stretch
        } else {
            f32::INFINITY
        }
    } else if shrink > 0.0 {
        (avail - width) / shrink
    } else {
        f32::NEG_INFINITY
    }
}

/// The opportunities of `ops` with a mandatory one at the end, and emergency cuts inside every piece
/// wider than `narrowest` that has none: at characters the rules allow where there are any, else at
/// every character.
fn with_emergency_cuts(glyphs: &[Glyph], sums: &Sums, ops: Vec<(usize, Break)>, narrowest: f32) -> Vec<Opportunity> {
    let n = glyphs.len();
    let mut out = Vec::with_capacity(ops.len() + 1);
    let mut previous = 0;
    let cut = |pos: usize, penalty: f32| Opportunity { pos, penalty, mandatory: false, hyphen: false };
    for (pos, kind) in ops {
        let start = line_start(glyphs, previous);
        if pos > start + 1 && sums.width[pos] - sums.width[start] > narrowest {
            let ruled: Vec<usize> = (start + 1..pos).filter(|&k| allowed(glyphs[k - 1].c, glyphs[k].c)).collect();
            if ruled.is_empty() {
                out.extend((start + 1..pos).map(|k| cut(k, EMERGENCY_AGAINST_RULES)));
            } else {
                out.extend(ruled.into_iter().map(|k| cut(k, EMERGENCY)));
            }
        }
        let hyphen = kind == Break::Hyphen;
        let mandatory = kind == Break::Mandatory || pos == n;
        out.push(Opportunity { pos, penalty: if hyphen { HYPHEN } else { 0.0 }, mandatory, hyphen });
        previous = pos;
    }
    if out.last().is_none_or(|o| o.pos != n) {
        out.push(Opportunity { pos: n, penalty: 0.0, mandatory: true, hyphen: false });
    }
    out
}

/// One way of ending a line: where, at what total cost, and the break before it.
#[derive(Debug, Clone, Copy)]
struct Node {
    op: Opportunity,
    demerits: f64,
    previous: usize,
}

impl Node {
    /// The line before this break ends in a hyphen.
    fn hyphenated(&self) -> bool {
        self.op.hyphen && !self.op.mandatory
    }
}

/// The best breaks (the opportunities each line ends at, the last being the end) under `tolerance` (a
/// ratio no line may pass; `None`: anything goes, the last resort), or `None` when none exist.
fn total_fit(
    glyphs: &[Glyph],
    sums: &Sums,
    ops: &[Opportunity],
    measure: Measure,
    tolerance: Option<f32>,
) -> Option<Vec<Opportunity>> {
    let start = Opportunity { pos: 0, penalty: 0.0, mandatory: false, hyphen: false };
    let mut nodes = vec![Node { op: start, demerits: 0.0, previous: usize::MAX }];
    let mut active: Vec<usize> = vec![0];
    for op in ops {
        let mut best: Option<Node> = None;
        let mut keep = Vec::with_capacity(active.len() + 1);
        for &a in &active {
            let from = nodes[a].op.pos;
            let opening = from == 0;
            let start = if opening { 0 } else { line_start(glyphs, from) };
            if op.pos <= start && !op.mandatory {
                // Nothing but spaces since that break: no line to end here.
                keep.push(a);
                continue;
            }
            let start = start.min(op.pos);
            let end = line_end(glyphs, start, op.pos);
            let hyphen = op.hyphen && !op.mandatory;
            let (width, stretch, shrink, _) = self::measure(glyphs, sums, (start, end), opening, hyphen);
            let avail = if opening { measure.first } else { measure.rest };
            let (stretch, shrink) = match measure.ragged {
                Some(room) => (room, 0.0),
                None => (stretch, shrink),
            };
            let last = op.mandatory;
            let ratio = adjustment(width, stretch, shrink, avail);
            let overfull = ratio < -1.0;
            if !overfull {
                keep.push(a);
            }
            let badness = if last && ratio >= 0.0 {
                0.0
            } else if overfull {
                if tolerance.is_some() {
                    continue;
                }
                1.0e7
            } else {
                match tolerance {
                    Some(limit) if ratio > limit => continue,
                    _ => (100.0 * f64::from(ratio.abs()).powi(3)).min(1.0e4),
                }
            };
            let penalty = f64::from(op.penalty);
            let mut demerits = (10.0 + badness).powi(2) + penalty * penalty;
            if last && !opening && letters(&glyphs[start..end]) < 3 {
                demerits += RUNT;
            }
            if hyphen && nodes[a].hyphenated() {
                demerits += DOUBLE_HYPHEN;
            }
            let total = nodes[a].demerits + demerits;
            if best.is_none_or(|b| total < b.demerits) {
                best = Some(Node { op: *op, demerits: total, previous: a });
            }
        }
        // An overfull line only gets longer: its start is done with. In the last resort, the most recent
        // start is kept even then, so that some way through always remains.
        if keep.is_empty() && tolerance.is_none() {
            if let Some(&a) = active.last() {
                keep.push(a);
            }
        }
        active = keep;
        if let Some(node) = best {
            if op.mandatory {
                active.clear();
            }
            nodes.push(node);
            active.push(nodes.len() - 1);
        } else if op.mandatory {
            return None;
        }
    }
    let mut at = *active.last()?;
    if nodes[at].op.pos != glyphs.len() {
        return None;
    }
    let mut breaks = Vec::new();
    while at != 0 {
        breaks.push(nodes[at].op);
        at = nodes[at].previous;
    }
    breaks.reverse();
    Some(breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Han and full-width marks one em (10 pt), ASCII half; Han gaps stretch a tenth of an em, spaces
    /// half their width; closing marks may give up their blank half.
    fn glyphs_of(text: &str) -> Vec<Glyph> {
        text.chars()
            .map(|c| {
                let width = if c.is_ascii() { 5.0 } else { 10.0 };
                let stretch = if c == ' ' {
                    2.5
                } else if c.is_ascii() {
                    0.0
                } else {
                    1.0
                };
                let shrink = if c == ' ' {
                    1.5
                } else if no_line_start(c) && !c.is_ascii() {
                    5.0
                } else {
                    0.0
                };
                Glyph { c, width, stretch, shrink, ..Glyph::default() }
            })
            .collect()
    }

    fn lines_of(text: &str, width: f32) -> Vec<String> {
        lines_with(text, Measure { first: width, rest: width, ragged: None })
    }

    fn lines_with(text: &str, measure: Measure) -> Vec<String> {
        let glyphs = glyphs_of(text);
        break_lines(text, &glyphs, measure)
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
    fn a_line_may_break_before_an_opening_quote_in_chinese() {
        // Ten characters fit and the tenth is an opening quote: the line ends before it (UAX #14 alone
        // would have ended it a character earlier, before 题, leaving it loose).
        let lines = lines_of("我们说这是个好问题“为什么会这样”然后他停了下来", 100.0);
        assert_eq!(lines[0], "我们说这是个好问题", "{lines:?}");
        assert!(lines[1].starts_with('“'), "{lines:?}");
        // Never after one.
        assert!(lines.iter().all(|l| !l.ends_with('“')), "{lines:?}");
        // In English text quotes stay with their words.
        assert!(!chinese_quote_break('d', '“'));
    }

    #[test]
    fn stretch_is_spread_over_the_paragraph_and_runts_are_avoided() {
        // 23 characters in lines of 10: greedy gives 10, 10, 3 or leaves a runt of one or two; total fit
        // never ends on fewer than three letters.
        let text = "一二三四五六七八九十一二三四五六七八九十一二。";
        for width in [100.0, 105.0, 110.0] {
            let lines = lines_of(text, width);
            let last = lines.last().unwrap();
            assert!(last.chars().filter(|c| c.is_alphanumeric()).count() >= 3, "width {width}: {lines:?}");
            assert_eq!(lines.concat(), text);
        }
    }

    #[test]
    fn loose_lines_are_evened_out() {
        // "xxxxxxxx" cannot split: greedy would leave one line very loose; total fit shares the slack.
        let text = "这是第一句话里面的内容abcdefghijkl然后继续说下去一直到结束为止好的";
        let glyphs = glyphs_of(text);
        let lines = break_lines(text, &glyphs, Measure { first: 120.0, rest: 120.0, ragged: None });
        let worst = lines.iter().filter(|l| !l.last).map(|l| l.ratio).fold(0.0, f32::max);
        assert!(worst <= TOLERANCE, "{lines:?}");
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
    fn ragged_lines_are_evened_out_without_stretching() {
        let text = "aa bb cc dd ee ff gg hh ii jj kk";
        let glyphs = glyphs_of(text);
        let lines = break_lines(text, &glyphs, Measure { first: 60.0, rest: 60.0, ragged: Some(20.0) });
        assert!(lines.iter().all(|l| l.ratio == 0.0 && l.width <= 60.0), "{lines:?}");
    }

    #[test]
    fn english_words_are_hyphenated_when_that_sets_the_paragraph_better() {
        let text = "international collaboration demonstrates extraordinary responsibilities everywhere";
        let mut glyphs = glyphs_of(text);
        for g in &mut glyphs {
            g.hyphen = if g.c.is_ascii_alphabetic() { 3.0 } else { 0.0 };
        }
        let lines = break_lines(text, &glyphs, Measure { first: 90.0, rest: 90.0, ragged: None });
        assert!(lines.iter().any(|l| l.hyphen), "{lines:?}");
        let mut joined = String::new();
        for l in &lines {
            joined.extend(glyphs[l.start..l.end].iter().map(|g| g.c));
            assert!(l.width <= 90.0 + 0.01 || l.ratio >= -1.0, "{l:?}");
            if !l.hyphen && !l.last {
                joined.push(' ');
            }
        }
        assert_eq!(joined, text);
    }

    #[test]
    fn names_addresses_and_short_words_are_never_hyphenated() {
        let glyphs = |text: &str| {
            let mut g = glyphs_of(text);
            g.iter_mut().for_each(|g| g.hyphen = 3.0);
            g
        };
        for text in ["see OpenSpec", "https://example.com/documentation", "foo.configuration", "the cat sat"] {
            assert_eq!(hyphenatable_words(&glyphs(text)), [], "{text}");
        }
        assert_eq!(hyphenatable_words(&glyphs("a responsibility")), [(2, 16)]);
    }

    #[test]
    fn line_breaks_in_text_are_mandatory() {
        assert_eq!(lines_of("one\ntwo", 500.0), ["one", "two"]);
    }
}
