//! Setting a paragraph into lines: each character measured in the face that draws it (looked up once
//! per setter), the gaps that may stretch or shrink and by how much, full-width punctuation compressed,
//! lines broken by `linebreak`, then each line justified into runs of text ready to place. Footnotes
//! anchored in a line are set with it.

use super::fonts::Role;
use super::layout::{Footnote, Justify, Run, SetLine, Setter, Style, Target};
use super::linebreak::{break_lines, Glyph, Line, Measure};
use crate::ir::Lang;
use crate::script::is_han;
use crate::theme::Punctuation;

/// How far the gap between two Chinese characters opens at a stretch ratio of 1, in ems. Lines are
/// refused past a ratio of 4 (0.24 em) while any other way to break the paragraph exists.
const HAN_STRETCH: f32 = 0.06;
const HAN_SHRINK: f32 = 0.02;

impl Setter<'_> {
    /// The face that draws `c` in text asking for `role`, and its advance in ems (half an em when no face
    /// has it; nothing for a line break). Looked up in the fonts once per setter: a transcript asks for a
    /// few hundred distinct characters tens of thousands of times.
    fn metric(&mut self, role: Role, c: char) -> (Role, f32) {
        if let Some(&known) = self.metrics.get(&(role, c)) {
            return known;
        }
        let face = self.resolve(role, c);
        let em = if c == '\n' { 0.0 } else { self.fonts.face(face).advance(c).unwrap_or(0.5) };
        self.metrics.insert((role, c), (face, em));
        (face, em)
    }

    /// The face for `c` in text that asks for `role`: Latin letters, digits and ASCII punctuation inside
    /// Chinese text use the Latin face, so they are never the CJK font's full-width forms.
    fn resolve(&mut self, role: Role, c: char) -> Role {
        let wanted = match role {
            Role::ZhBody if is_latin(c) => Role::EnBody,
            Role::ZhHeading if is_latin(c) => Role::EnBold,
            r => r,
        };
        match self.fonts.resolve(wanted, c) {
            Some(r) => r,
            None => {
                if !c.is_whitespace() && !c.is_control() {
                    self.missing.insert(c);
                }
                wanted
            }
        }
    }

    /// Measure a paragraph's characters: for each its advance, the stretch and shrink of the gap after
    /// it, and what adjacent punctuation gives up (`Punctuation::Compressed`). Returns the text, the
    /// glyphs, each glyph's full advance (for drawing) and the styles the glyphs index.
    fn measure(&mut self, spans: &[(String, Style)]) -> (String, Vec<Glyph>, Vec<f32>, Vec<Style>) {
        let compress = self.style.punctuation == Punctuation::Compressed;
        let mut styles: Vec<Style> = Vec::new();
        let mut glyphs: Vec<Glyph> = Vec::new();
        let mut advances: Vec<f32> = Vec::new();
        let mut text = String::new();
        let mut prev: Option<(char, Option<Blank>)> = None;
        for (span, style) in spans {
            for c in span.chars() {
                let c = if c == '\t' { ' ' } else { c };
                let (role, em) = self.metric(style.role, c);
                let resolved = Style { role, ..*style };
                let idx = match styles.iter().position(|s| *s == resolved) {
                    Some(i) => i,
                    None => {
                        styles.push(resolved);
                        styles.len() - 1
                    }
                };
                let width = em * style.size;
                let chinese = matches!(role, Role::ZhBody | Role::ZhHeading) && c != ' ';
                // A mark's blank half counts only where the mark is full width in the face that draws it.
                let blank = if chinese && em > 0.9 { blank_side(c) } else { None };
                let mut g = Glyph { c, width, style: idx as u16, ..Glyph::default() };
                if c.is_ascii_alphabetic() && style.rise == 0.0 {
                    g.hyphen = self.metric(role, '-').1 * style.size;
                }
                if c == ' ' {
                    g.stretch = width * 0.5;
                    g.shrink = width / 3.0;
                } else if chinese && style.rise == 0.0 {
                    g.stretch = style.size * HAN_STRETCH;
                    g.shrink = style.size * HAN_SHRINK;
                }
                if compress {
                    match blank {
                        Some(Blank::Right) => g.shrink = width * 0.5,
                        Some(Blank::Left) => g.start_trim = width * 0.5,
                        None => {}
                    }
                }
                let p = prev.map(|(p, _)| p);
                if style.rise == 0.0
                    && matches!(p, Some(p) if (is_han(p) && is_latin_word(c)) || (is_latin_word(p) && is_han(c)))
                {
                    // A quarter em between Han and Latin. Lines are adjusted there first (jlreq 3.8): it
                    // stretches four times as readily as the gap between two Han characters.
                    g.space_before = style.size * 0.25;
                    if let Some(before) = glyphs.last_mut() {
                        before.stretch += style.size * HAN_STRETCH * 4.0;
                        before.shrink += style.size * 0.1;
                    }
                }
                if let (true, Some((_, Some(before))), Some(this)) = (compress, prev, blank) {
                    compress_pair(glyphs.last_mut().expect("a previous glyph"), before, &mut g, this);
                }
                glyphs.push(g);
                advances.push(width);
                text.push(c);
                prev = Some((c, blank));
            }
        }
        (text, glyphs, advances, styles)
    }

    /// Set a paragraph made of styled spans into lines `width` wide, the first indented by `indent`.
    pub(super) fn set(
        &mut self,
        spans: &[(String, Style)],
        notes: &[Footnote],
        indent: f32,
        width: f32,
        justify: Justify,
    ) -> Vec<SetLine> {
        let element = self.tagging;
        let (text, glyphs, advances, styles) = self.measure(spans);
        if glyphs.is_empty() {
            return Vec::new();
        }
        let base_size = spans.iter().map(|(_, s)| s.size).fold(0.0, f32::max);
        let ragged = (justify != Justify::Full).then_some(width * 0.25);
        let lines = break_lines(&text, &glyphs, Measure { first: width - indent, rest: width, ragged });
        let line_height = base_size * self.style.leading;
        let baseline = (line_height - base_size) / 2.0 + base_size * 0.88;
        let mut set = Vec::with_capacity(lines.len());
        let mut note_iter = notes.iter().peekable();
        for (n, line) in lines.iter().enumerate() {
            let x0 = match justify {
                Justify::Center => ((width - line.width) / 2.0).max(0.0),
                _ if n == 0 => indent,
                _ => 0.0,
            };
            // A line that would need its Chinese gaps opened past half an em is left unjustified.
            let ratio = if justify == Justify::Full && line.ratio * HAN_STRETCH <= 0.5 { line.ratio } else { 0.0 };
            let mut runs = line_runs((&glyphs, &advances, &styles), line, x0, ratio, element);
            runs.retain(|r| !r.text.trim().is_empty());
            let mut line_notes = Vec::new();
            while let Some(note) = note_iter.peek() {
                if note.at < line.end || n + 1 == lines.len() {
                    line_notes.push(note_iter.next().expect("peeked"));
                } else {
                    break;
                }
            }
            let notes = line_notes.iter().flat_map(|t| self.set_note(t)).collect();
            let mut line_text: String =
                glyphs[line.start..line.end].iter().map(|g| g.c).filter(|&c| c != '\n').collect();
            if line.hyphen {
                line_text.push('-');
            }
            set.push(SetLine {
                runs,
                height: line_height,
                leading: line_height,
                baseline,
                notes,
                text: line_text,
                first: n == 0,
                last: n + 1 == lines.len(),
                han_gap: if ratio >= 0.0 { ratio * HAN_STRETCH } else { ratio * HAN_SHRINK },
                justified: justify == Justify::Full && !line.last,
            });
        }
        set
    }

    /// A footnote's lines, tagged as a note inside the paragraph being set, its number linking back to
    /// the reference.
    pub(super) fn set_note(&mut self, note: &Footnote) -> Vec<SetLine> {
        let size = self.style.small;
        let lang = if note.text.chars().any(is_han) { Lang::Zh } else { Lang::En };
        let role = if lang == Lang::Zh { Role::ZhBody } else { Role::EnBody };
        let style = Style { role, size, color: self.text, rise: 0.0, link: 0 };
        let back = self.link(Target::NoteRef(note.serial));
        let number = Style { role: Role::EnBold, link: back, ..style };
        let (tagging, container) = (self.tagging, self.container);
        self.container = tagging;
        self.tag("Note", Some(lang));
        let width = self.measure_width();
        let spans = [(note.number.clone(), number), (format!("  {}", note.text), style)];
        let mut lines = self.set(&spans, &[], 0.0, width, Justify::Ragged);
        (self.tagging, self.container) = (tagging, container);
        for l in &mut lines {
            l.height = size * 1.45;
            l.leading = l.height;
            l.baseline = size * 1.1;
        }
        lines
    }

    /// The width of `text` in `style`, in points (no justification).
    pub(super) fn text_width(&mut self, text: &str, style: Style) -> f32 {
        text.chars().map(|c| self.metric(style.role, c).1 * style.size).sum()
    }
}

/// The runs of one line: each glyph at its place (`x0` the line's left edge, gaps opened or closed by
/// `ratio`), glyphs joining a run as long as its character spacing puts them where they belong, and the
/// hyphen of a word broken at the line's end.
fn line_runs(
    (glyphs, advances, styles): (&[Glyph], &[f32], &[Style]),
    line: &Line,
    x0: f32,
    ratio: f32,
    element: Option<u32>,
) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut x = x0 - line.start_trim;
    // Where the current run's last glyph ends (before spacing), and how many glyphs it has: a
    // glyph joins the run when the run's character spacing puts it where it belongs.
    let mut pen: Option<(f32, usize)> = None;
    for k in line.start..line.end {
        let g = &glyphs[k];
        if k > line.start {
            x += g.space_before;
        }
        let gap = match (k + 1 == line.end, ratio >= 0.0) {
            (true, _) => 0.0,
            (false, true) => ratio * g.stretch,
            (false, false) => ratio * g.shrink,
        };
        if g.c != '\n' {
            let style = styles[g.style as usize];
            let at = x + g.offset;
            let joined = match (runs.last_mut(), pen) {
                (Some(run), Some((end, count))) if run.style == style => {
                    let spacing = at - end;
                    if count == 1 && spacing.abs() < style.size {
                        run.char_spacing = spacing;
                    }
                    let fits = (spacing - run.char_spacing).abs() < 0.01;
                    if fits {
                        run.text.push(g.c);
                    }
                    fits
                }
                _ => false,
            };
            if joined {
                pen = pen.map(|(_, count)| (at + advances[k], count + 1));
            } else {
                runs.push(Run { x: at, y: 0.0, style, char_spacing: 0.0, text: g.c.to_string(), element });
                pen = Some((at + advances[k], 1));
            }
        }
        x += g.width + gap;
    }
    if line.hyphen {
        // The hyphen of a word broken across lines is furniture, not text: an artifact.
        let last = &glyphs[line.end - 1];
        let style = styles[last.style as usize];
        runs.push(Run { x, y: 0.0, style, char_spacing: 0.0, text: "-".to_string(), element: None });
    }
    runs
}

/// Which half of a full-width punctuation mark is blank in Simplified Chinese faces.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Blank {
    /// Opening quotes and brackets.
    Left,
    /// Closing quotes and brackets, and the pause and stop marks (set to the left in zh-Hans).
    Right,
}

/// Two full-width marks side by side give up a blank half between them (clreq 3.1.6): after a closing
/// mark (`。”`, `，“`, `）。`) its own right half goes; between two opening marks (`“《`) the second's left
/// half goes, and the second is drawn that much to the left. The pair takes one and a half ems.
fn compress_pair(before: &mut Glyph, before_blank: Blank, this: &mut Glyph, this_blank: Blank) {
    match (before_blank, this_blank) {
        (Blank::Right, _) => {
            before.width *= 0.5;
            // Its blank is spent: it has nothing left to give at the end of a line.
            before.shrink = 0.0;
        }
        (Blank::Left, Blank::Left) => {
            this.offset = -this.width * 0.5;
            this.width *= 0.5;
            this.start_trim = 0.0;
        }
        (Blank::Left, Blank::Right) => {}
    }
}

fn blank_side(c: char) -> Option<Blank> {
    match c {
        '（' | '［' | '｛' | '「' | '『' | '【' | '〔' | '〖' | '〘' | '《' | '〈' | '“' | '‘' => {
            Some(Blank::Left)
        }
        '、' | '。' | '，' | '．' | '：' | '；' | '！' | '？' | '）' | '］' | '｝' | '」' | '』' | '】' | '〕'
        | '〗' | '〙' | '》' | '〉' | '”' | '’' => Some(Blank::Right),
        _ => None,
    }
}

/// Characters set in the Latin face even inside Chinese text.
fn is_latin(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_control()) || ('\u{a0}'..='\u{24f}').contains(&c)
}

/// Letters and digits that get a quarter em from neighbouring Han characters.
fn is_latin_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphabetic() && ('\u{c0}'..='\u{24f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(c: char) -> (Glyph, Blank) {
        let blank = blank_side(c).expect("a full-width mark");
        (Glyph { c, width: 10.0, shrink: if blank == Blank::Right { 5.0 } else { 0.0 }, ..Glyph::default() }, blank)
    }

    fn pair(a: char, b: char) -> (Glyph, Glyph) {
        let ((mut first, x), (mut second, y)) = (mark(a), mark(b));
        compress_pair(&mut first, x, &mut second, y);
        (first, second)
    }

    #[test]
    fn adjacent_full_width_marks_take_one_and_a_half_ems() {
        for (a, b) in [('。', '”'), ('，', '“'), ('）', '。'), ('”', '，'), ('“', '《'), ('（', '「')] {
            let (first, second) = pair(a, b);
            assert_eq!(first.width + second.width, 15.0, "{a}{b}");
        }
        // A closing mark gives up its right half and is drawn where it stands.
        let (stop, quote) = pair('。', '”');
        assert_eq!((stop.width, stop.offset, stop.shrink, quote.width), (5.0, 0.0, 0.0, 10.0));
        // The second of two opening marks gives up its left half: drawn half an em to the left.
        let (_, title) = pair('“', '《');
        assert_eq!((title.width, title.offset), (5.0, -5.0));
        // An opening mark then a closing one (an empty pair of brackets) keeps both blanks.
        let (open, close) = pair('（', '）');
        assert_eq!(open.width + close.width, 20.0);
    }

    #[test]
    fn marks_are_placed_as_simplified_chinese_faces_draw_them() {
        for c in ['“', '‘', '（', '《', '「', '【'] {
            assert_eq!(blank_side(c), Some(Blank::Left), "{c}");
        }
        for c in ['”', '’', '）', '》', '」', '】', '。', '，', '、', '：', '；', '！', '？'] {
            assert_eq!(blank_side(c), Some(Blank::Right), "{c}");
        }
        for c in ['中', 'a', '—', '…', '·'] {
            assert_eq!(blank_side(c), None, "{c}");
        }
    }
}
