//! Markdown: the canonical bilingual form (convention A) and the Chinese-only and English-only exports.
//!
//! The bilingual form is what the front end reads back to the same document: `parse(write_bi(doc)) ==
//! doc` up to source positions. Single-language outputs keep the front matter as written and carry
//! nothing of the other language.

use super::clock::hms;
use super::trailing::TrailingNewlines;
use super::{EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::ir::{Block, Document, Inline, Lang, Paragraph, Section, Segment, Speaker};
use crate::select::{Selected, View};

/// The `md` writer.
pub struct Markdown;

static FORMAT: Format = Format {
    name: "md",
    extension: "md",
    description: "markdown: bilingual (canonical <details> form), Chinese-only or English-only",
    languages: Languages::PerView,
    uses: Uses { pdf: false, subtitles: false, theme: false, archive: false },
    binary: false,
};

impl Writer for Markdown {
    fn format(&self) -> &'static Format {
        &FORMAT
    }
    fn write(
        &self,
        selected: &Selected<'_>,
        _: &WriteOptions,
        out: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError> {
        write_markdown(selected.document(), selected.view, out)?;
        Ok(Vec::new())
    }
}

/// `doc` as markdown for `view`: the canonical bilingual form, or one language's export; a section at a
/// time.
fn write_markdown(doc: &Document, view: View, out: &mut dyn Sink) -> std::io::Result<()> {
    let mut out = TrailingNewlines::new(out);
    let mut chunk = String::with_capacity(8 * 1024);
    front_matter(doc, &mut chunk);
    let mut first = true;
    for section in &doc.sections {
        write_section(section, view, first, &mut chunk);
        first = false;
        out.push(&chunk)?;
        chunk.clear();
    }
    out.push(&chunk)?;
    out.finish()
}

fn front_matter(doc: &Document, out: &mut String) {
    if let Some(yaml) = &doc.meta.front_matter {
        out.push_str("---\n");
        out.push_str(yaml);
        if !yaml.is_empty() && !yaml.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("---\n\n");
    }
}

fn write_section(section: &Section, view: View, first: bool, out: &mut String) {
    match &section.heading {
        Some(h) => {
            out.push_str(&"#".repeat(h.level.clamp(1, 6) as usize));
            out.push(' ');
            inlines(&h.content, h.lang, true, out);
            out.push_str("\n\n");
        }
        None if !first && view != View::Bi => out.push_str("* * *\n\n"),
        None => {}
    }
    for block in &section.blocks {
        match block {
            Block::Segment(s) => segment(s, view, out),
            Block::StageDirection { text, .. } => {
                let (turn, rest) = match text.strip_prefix(">>") {
                    Some(rest) => (TURN_AT_LINE_START, rest.trim_start()),
                    None => ("", text.as_str()),
                };
                out.push_str(turn);
                out.push_str(&escape_inline_text(rest, turn.is_empty()));
                out.push_str("\n\n");
            }
            Block::Quote { paragraphs, .. } => {
                for p in paragraphs {
                    out.push_str("> ");
                    paragraph_line(p, Lang::Zh, out);
                    out.push_str("\n>\n");
                }
                out.truncate(out.len() - 2);
                out.push('\n');
            }
            Block::Code { info, text, .. } => {
                let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
                out.push_str(&format!("{fence}{info}\n{text}"));
                if !text.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&fence);
                out.push_str("\n\n");
            }
            Block::ThematicBreak { .. } => out.push_str("* * *\n\n"),
            Block::Raw { text, .. } => {
                // Source the front end did not understand is shown, never run: markup in it is text.
                for line in text.lines() {
                    out.push_str(&escape_inline_text(line, true));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
}

fn segment(s: &Segment, view: View, out: &mut String) {
    paragraphs(&s.zh, Lang::Zh, out);
    if view == View::Bi {
        if !s.en.is_empty() {
            details(s, out);
        }
    } else {
        paragraphs(&s.en, Lang::En, out);
        if let (Some(t), View::En) = (s.timestamp, view) {
            // Keep the timing anchor with the English, where the source put it.
            out.truncate(out.trim_end().len());
            out.push_str(&format!(" [{}]\n\n", hms(t)));
        }
    }
}

/// Paragraphs as markdown blocks; consecutive list items form one tight list.
fn paragraphs(side: &[Paragraph], lang: Lang, out: &mut String) {
    for (i, p) in side.iter().enumerate() {
        if let Some(item) = p.list {
            out.push_str(&"   ".repeat(item.depth as usize));
            match item.number {
                Some(n) => out.push_str(&format!("{n}. ")),
                None => out.push_str("- "),
            }
        }
        paragraph_line(p, lang, out);
        let next_is_item = side.get(i + 1).is_some_and(|n| n.list.is_some());
        out.push_str(if p.list.is_some() && next_is_item { "\n" } else { "\n\n" });
    }
}

/// The English of a segment: `<p>` per paragraph, or markdown inside `<details>` when it holds a list.
fn details(s: &Segment, out: &mut String) {
    let as_markdown = s.en.iter().any(|p| p.list.is_some());
    out.push_str("<details>\n<summary>View/Hide Original English</summary>\n");
    if as_markdown {
        out.push('\n');
        paragraphs(&s.en, Lang::En, out);
    }
    for (i, p) in s.en.iter().enumerate() {
        if as_markdown {
            break;
        }
        out.push_str("<p class=\"english-text\">");
        paragraph_in(p, Lang::En, Context::Html, out);
        if i == 0 {
            if let Some(t) = s.timestamp {
                out.push_str(&format!(" [{}]", hms(t)));
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("</details>\n\n");
}

/// A change of speaker opening a paragraph: escaped, so that markdown shows `>>` instead of a quotation.
const TURN_AT_LINE_START: &str = "\\>> ";

/// Where inline text is written: markdown, or the HTML of a `<p class="english-text">`. Markdown never
/// removes backslash escapes inside raw HTML (GitHub, pandoc and browsers show them), so there text is
/// written as HTML: `&`, `<` and `>` as entities, and the few characters the front end would read as
/// markdown (it reads `<p>` content as inline markdown) as numeric references, which every renderer
/// shows as the character itself. Block syntax at a line start needs nothing there: the front end
/// escapes it before reading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Markdown,
    Html,
}

impl Context {
    fn text(self, text: &str, line_start: bool) -> String {
        match self {
            Context::Markdown => escape_inline_text(text, line_start),
            Context::Html => escape_html_text(text),
        }
    }

    fn turn_at_line_start(self) -> &'static str {
        match self {
            Context::Markdown => TURN_AT_LINE_START,
            Context::Html => "&gt;&gt; ",
        }
    }
}

fn paragraph_line(p: &Paragraph, lang: Lang, out: &mut String) {
    paragraph_in(p, lang, Context::Markdown, out)
}

fn paragraph_in(p: &Paragraph, lang: Lang, ctx: Context, out: &mut String) {
    match &p.speaker {
        Some(Speaker::Named(name)) => {
            out.push_str("**");
            out.push_str(&ctx.text(name, false));
            out.push_str("**: ");
            inlines_in(&p.content, lang, false, ctx, out);
        }
        Some(Speaker::Turn) => {
            out.push_str(ctx.turn_at_line_start());
            inlines_in(&p.content, lang, false, ctx, out);
        }
        None => inlines_in(&p.content, lang, true, ctx, out),
    }
    while out.ends_with(' ') {
        out.pop();
    }
}

fn inlines(content: &[Inline], lang: Lang, line_start: bool, out: &mut String) {
    inlines_in(content, lang, line_start, Context::Markdown, out)
}

fn inlines_in(content: &[Inline], lang: Lang, mut line_start: bool, ctx: Context, out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text { text } => out.push_str(&ctx.text(text, line_start)),
            Inline::Strong { content } => {
                out.push_str("**");
                inlines_in(content, lang, false, ctx, out);
                out.push_str("**");
            }
            Inline::Emphasis { content } => {
                out.push('*');
                inlines_in(content, lang, false, ctx, out);
                out.push('*');
            }
            Inline::Code { code } => code_span(code, out),
            Inline::Link { url, content } => {
                out.push('[');
                inlines_in(content, lang, false, ctx, out);
                out.push_str("](");
                if url.contains([' ', '(', ')', '<', '>']) {
                    out.push('<');
                    out.push_str(&url.replace('<', "%3C").replace('>', "%3E"));
                    out.push('>');
                } else {
                    out.push_str(url);
                }
                out.push(')');
            }
            Inline::LineBreak => out.push_str("<br>"),
            Inline::Turn if ctx == Context::Html => out.push_str("&gt;&gt;"),
            Inline::Turn => out.push_str(">>"),
            Inline::Stage { text } if ctx == Context::Html => out.push_str(&escape_html_text(text)),
            Inline::Stage { text } => out.push_str(text),
            Inline::Glossary(g) => {
                if let Some(term) = &g.term {
                    out.push_str("**");
                    out.push_str(&ctx.text(term, false));
                    out.push_str("**");
                }
                if let Some(paren) = g.parenthetical(lang) {
                    out.push_str(&ctx.text(&paren, false));
                }
            }
        }
        line_start = false;
    }
}

fn code_span(code: &str, out: &mut String) {
    let fence = "`".repeat(longest_run(code, '`') + 1);
    let pad = code.starts_with('`') || code.ends_with('`') || (code.starts_with(' ') && code.ends_with(' '));
    out.push_str(&fence);
    if pad {
        out.push(' ');
    }
    out.push_str(code);
    if pad {
        out.push(' ');
    }
    out.push_str(&fence);
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Escape text so that markdown (and the HTML `<p>` content the front end reads as markdown) gives it back
/// unchanged, while leaving ordinary prose readable: `Q&A`, `snake_case` and `[Name]` stay as they are.
pub fn escape_inline_text(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let link_openers = brackets_closing_into_links(&chars);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)) => {
                out.push_str("\\_");
            }
            '<' if next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) => {
                out.push_str("&lt;")
            }
            '&' if looks_like_entity(&chars[i + 1..]) => out.push_str("&amp;"),
            '[' if link_openers.contains(&i) => out.push_str("\\["),
            '!' if next == Some('[') => out.push_str("\\!"),
            _ => out.push(c),
        }
    }
    if line_start {
        escape_line_start(&mut out);
    }
    out
}

/// Text as the HTML of a `<p>` the front end reads as inline markdown: `&`, `<` and `>` as entities; `\`,
/// `` ` ``, `*`, a `_` that could open or close emphasis, a `[` that would open a link and a `!` before
/// `[` as numeric character references, which renderers show as the characters and the front end reads
/// as text. Prose is written as it is: `1.0`, `- item`, `Q&A` (as `Q&amp;A`).
fn escape_html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let link_openers = brackets_closing_into_links(&chars);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' => out.push_str(&format!("&#{};", c as u32)),
            '*' | '_' => {
                let run = chars[i..].iter().take_while(|&&x| x == c).count();
                let before = i.checked_sub(1).map(|b| chars[b]);
                let after = chars.get(i + run).copied();
                let literal = !may_delimit(c, before, after);
                for _ in 0..run {
                    if literal {
                        out.push(c);
                    } else {
                        out.push_str(&format!("&#{};", c as u32));
                    }
                }
                i += run;
                continue;
            }
            '[' if link_openers.contains(&i) => out.push_str("&#91;"),
            '!' if next == Some('[') => out.push_str("&#33;"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Whether a run of `*` or `_` between `before` and `after` could open or close emphasis (CommonMark's
/// flanking rules; `_` also not inside a word). A run with space on both sides, `****` alone or `[ __ ]`,
/// is text.
fn may_delimit(c: char, before: Option<char>, after: Option<char>) -> bool {
    let space = |x: Option<char>| x.is_none_or(char::is_whitespace);
    let punct =
        |x: Option<char>| x.is_some_and(|x| x.is_ascii_punctuation() || (!x.is_alphanumeric() && !x.is_whitespace()));
    let left = !space(after) && (!punct(after) || space(before) || punct(before));
    let right = !space(before) && (!punct(before) || space(after) || punct(after));
    match c {
        '_' => (left && (!right || punct(before))) || (right && (!left || punct(after))),
        _ => left || right,
    }
}

/// `&` followed by what a parser would take for a character reference (`&amp;`, `&#38;`).
fn looks_like_entity(rest: &[char]) -> bool {
    let name_len = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    name_len > 0 && rest.get(name_len) == Some(&';')
}

/// The positions of every `[` whose matching `]` is followed by `(`, `[` or `:`, which markdown would
/// read as a link: one pass with a stack of open brackets, so a long run of brackets costs linear time.
fn brackets_closing_into_links(chars: &[char]) -> std::collections::BTreeSet<usize> {
    let mut open: Vec<usize> = Vec::new();
    let mut found = std::collections::BTreeSet::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '[' => open.push(i),
            ']' => {
                if let Some(at) = open.pop() {
                    if matches!(chars.get(i + 1), Some('(') | Some('[') | Some(':')) {
                        found.insert(at);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Text at the start of a line must not read as block syntax.
fn escape_line_start(out: &mut String) {
    let trimmed = out.trim_start();
    let lead = out.len() - trimmed.len();
    let first = trimmed.chars().next();
    let second = trimmed.chars().nth(1);
    let escape_at = match first {
        Some('#' | '>' | '=' | '|' | '~') => Some(lead),
        Some('-' | '+') if second.is_none_or(|c| c == ' ' || c == '-' || c == '\t') => Some(lead),
        Some('0'..='9') => {
            let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
            let after = &trimmed[digits..];
            (digits <= 9 && (after.starts_with(['.', ')']))).then_some(lead + digits)
        }
        _ => None,
    };
    if let Some(at) = escape_at {
        out.insert(at, '\\');
    }
    if lead > 0 {
        out.replace_range(..lead, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_markdown_would_misread() {
        assert_eq!(escape_inline_text("Q&A and R&D", false), "Q&A and R&D");
        assert_eq!(escape_inline_text("&amp; is an entity", false), "&amp;amp; is an entity");
        assert_eq!(escape_inline_text("file_name and _x_", false), "file_name and \\_x\\_");
        assert_eq!(escape_inline_text("[Narrator] speaks", false), "[Narrator] speaks");
        assert_eq!(escape_inline_text("[a](b)", false), "\\[a](b)");
        assert_eq!(escape_inline_text("<script> x < y", false), "&lt;script> x < y");
        assert_eq!(escape_inline_text("****", false), "\\*\\*\\*\\*");
        assert_eq!(escape_inline_text("- item", true), "\\- item");
        assert_eq!(escape_inline_text("1. item", true), "1\\. item");
        assert_eq!(escape_inline_text("1. item", false), "1. item");
    }

    #[test]
    fn english_in_html_is_html_text_without_backslashes() {
        assert_eq!(escape_html_text("Version 1.0 - or 2.0"), "Version 1.0 - or 2.0");
        assert_eq!(escape_html_text("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(escape_html_text("**** and [ __ ] and snake_case"), "**** and [ __ ] and snake_case");
        assert_eq!(escape_html_text("*really* and _x_"), "&#42;really&#42; and &#95;x&#95;");
        assert_eq!(escape_html_text("[a](b) and [Narrator]"), "&#91;a](b) and [Narrator]");
        assert!(!escape_html_text("C:\\path `x`").contains('\\'));
    }

    #[test]
    fn clock_format() {
        assert_eq!(hms(3723), "01:02:03");
    }
}
