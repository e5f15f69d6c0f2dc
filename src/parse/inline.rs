//! Inline content: pulldown-cmark events to `Inline`s, then the transcript conventions on top of
//! markdown: speaker labels, `>>` speaker changes, glossary annotations, stage directions and
//! `[hh:mm:ss]` timestamps.
//!
//! Every pass here works on one paragraph at a time and never drops text: what is not recognised stays
//! `Inline::Text`.

use super::glossary;
use super::stage::{find_stage, parse_clock};
use super::text::push_text;
use crate::diag::Diagnostic;
use crate::ir::{Inline, Lang, Paragraph, Speaker};
use crate::script::is_han;
use crate::script::{classify, join_separator};
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;

/// Events of one block with byte ranges relative to the text they were parsed from.
pub(super) type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

pub(super) fn options() -> Options {
    Options::empty()
}

/// Parse a piece of HTML paragraph content (`<p>…</p>`, no blank lines) as inline markdown only: line
/// starts that markdown would read as block syntax (lists, quotes, headings, rules) are escaped first.
pub(super) fn fragment_events(text: &str) -> (String, Events<'static>) {
    let mut escaped = String::with_capacity(text.len() + 8);
    for line in text.split('\n') {
        let line = line.trim_start();
        if needs_block_escape(line) {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            escaped.push_str(&line[..digits]);
            escaped.push('\\');
            escaped.push_str(&line[digits..]);
        } else {
            escaped.push_str(line);
        }
        escaped.push('\n');
    }
    let events = Parser::new_ext(&escaped, options()).into_offset_iter().map(|(e, r)| (e.into_static(), r)).collect();
    (escaped, events)
}

fn needs_block_escape(line: &str) -> bool {
    let mut chars = line.chars();
    let first = match chars.next() {
        Some(c) => c,
        None => return false,
    };
    let second = chars.next();
    match first {
        '#' | '>' | '=' | '|' => true,
        '-' | '+' | '*' | '_' => {
            second.is_none_or(|c| c == ' ' || c == '\t')
                || line.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '))
        }
        '`' | '~' => line.starts_with("```") || line.starts_with("~~~"),
        '0'..='9' => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let rest = &line[digits..];
            digits <= 9 && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
        }
        _ => false,
    }
}

/// The scheme of a link target, lowercased, as a browser reads it (spaces and control characters
/// before it and inside it ignored): `javascript` for ` Java\tScript:alert(1)`.
fn scheme_of(url: &str) -> String {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    match cleaned.split_once(':') {
        Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) => {
            scheme.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

/// True for link targets that run code or smuggle content instead of pointing somewhere: `javascript:`,
/// `vbscript:` and `data:`. The front end drops such links (keeping their text), so no format carries one.
fn runs_code(url: &str) -> bool {
    matches!(scheme_of(url).as_str(), "javascript" | "vbscript" | "data")
}

/// Where a block's events came from, so inline warnings can name a line.
pub(super) struct Origin<'d> {
    pub line: u32,
    pub diagnostics: &'d mut Vec<Diagnostic>,
}

/// Build inline content from the events of one block (Start/End of the block itself are skipped).
pub(super) fn convert(events: &[(Event<'_>, Range<usize>)], origin: &mut Origin<'_>) -> Vec<Inline> {
    let mut stack: Vec<(Frame, Vec<Inline>)> = vec![(Frame::Root, Vec::new())];
    let mut last_char: Option<char> = None;
    for (i, (event, _)) in events.iter().enumerate() {
        let out = &mut stack.last_mut().expect("root frame").1;
        match event {
            Event::Text(t) => {
                push_text(out, t);
                last_char = t.chars().last().or(last_char);
            }
            Event::Code(c) => {
                out.push(Inline::Code { code: c.to_string() });
                last_char = c.chars().last().or(last_char);
            }
            Event::SoftBreak => {
                let next = events[i + 1..].iter().find_map(|(e, _)| match e {
                    Event::Text(t) | Event::Code(t) => t.chars().next(),
                    Event::SoftBreak | Event::HardBreak => Some('\n'),
                    _ => None,
                });
                push_text(out, join_separator(last_char, next.filter(|&c| c != '\n')));
            }
            Event::HardBreak => out.push(Inline::LineBreak),
            Event::Html(h) | Event::InlineHtml(h) => {
                match html_inline(h) {
                    HtmlInline::LineBreak => out.push(Inline::LineBreak),
                    HtmlInline::Ignore => {}
                    HtmlInline::DropTag(tag) => origin.diagnostics.push(Diagnostic::warning(
                        origin.line,
                        format!("html tag <{tag}> is dropped and its text kept; write markdown instead"),
                    )),
                    HtmlInline::Literal => {
                        origin.diagnostics.push(Diagnostic::warning(
                            origin.line,
                            format!("unknown html `{}` is kept as literal text; remove it or escape it", h.trim()),
                        ));
                        push_text(out, h);
                    }
                }
                last_char = h.chars().last().or(last_char);
            }
            Event::Start(tag) => {
                let frame = match tag {
                    Tag::Strong => Frame::Strong,
                    Tag::Emphasis => Frame::Emphasis,
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => Frame::Link(dest_url.to_string()),
                    _ => continue,
                };
                stack.push((frame, Vec::new()));
            }
            Event::End(end) => {
                use pulldown_cmark::TagEnd;
                if !matches!(end, TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link | TagEnd::Image) || stack.len() == 1
                {
                    continue;
                }
                let (frame, content) = stack.pop().expect("frame pushed at start");
                let out = &mut stack.last_mut().expect("root frame").1;
                match frame {
                    Frame::Strong => out.push(Inline::Strong { content }),
                    Frame::Emphasis => out.push(Inline::Emphasis { content }),
                    Frame::Link(url) if runs_code(&url) => {
                        origin.diagnostics.push(Diagnostic::warning(
                            origin.line,
                            format!("link to `{}` removed, its text kept; such links run code", scheme_of(&url)),
                        ));
                        out.extend(content);
                    }
                    Frame::Link(url) => out.push(Inline::Link { url, content }),
                    Frame::Root => unreachable!("root is never popped"),
                }
            }
            Event::TaskListMarker(done) => push_text(out, if *done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    while stack.len() > 1 {
        let (_, content) = stack.pop().expect("len > 1");
        stack.last_mut().expect("root").1.extend(content);
    }
    let mut inlines = stack.pop().expect("root").1;
    normalise(&mut inlines);
    inlines
}

enum Frame {
    Root,
    Strong,
    Emphasis,
    Link(String),
}

enum HtmlInline {
    LineBreak,
    Ignore,
    DropTag(String),
    Literal,
}

fn html_inline(html: &str) -> HtmlInline {
    let h = html.trim();
    if h.starts_with("<!--") {
        return HtmlInline::Ignore;
    }
    let name: String = h
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "br" => HtmlInline::LineBreak,
        "p" | "summary" | "details" => HtmlInline::Ignore,
        "b" | "strong" | "i" | "em" | "u" | "span" | "sup" | "sub" | "small" | "mark" | "font" | "a" | "div" => {
            HtmlInline::DropTag(name)
        }
        _ => HtmlInline::Literal,
    }
}

/// Merge adjacent text, drop empty text and empty wrappers, trim the ends, recursively.
pub(super) fn normalise(inlines: &mut Vec<Inline>) {
    let old = std::mem::take(inlines);
    for inline in old {
        match inline {
            Inline::Text { text } => push_text(inlines, &text),
            Inline::Strong { mut content } | Inline::Emphasis { mut content } if content.is_empty() => {
                content.clear();
            }
            Inline::Strong { mut content } => {
                normalise(&mut content);
                if !content.is_empty() {
                    inlines.push(Inline::Strong { content });
                }
            }
            Inline::Emphasis { mut content } => {
                normalise(&mut content);
                if !content.is_empty() {
                    inlines.push(Inline::Emphasis { content });
                }
            }
            Inline::Link { url, mut content } => {
                normalise(&mut content);
                inlines.push(Inline::Link { url, content });
            }
            other => inlines.push(other),
        }
    }
    trim_ends(inlines);
}

fn trim_ends(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Text { text }) = inlines.first_mut() {
        let trimmed = text.trim_start();
        if trimmed.len() != text.len() {
            *text = trimmed.to_string();
        }
    }
    if let Some(Inline::Text { text }) = inlines.last_mut() {
        text.truncate(text.trim_end().len());
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    while matches!(inlines.first(), Some(Inline::LineBreak)) {
        inlines.remove(0);
    }
}

/// What the transcript conventions found in one paragraph besides its content.
pub(super) struct Conventions {
    pub paragraph: Paragraph,
    /// The paragraph's language by script, `None` when it has no letters.
    pub lang: Option<Lang>,
    pub timestamp: Option<u32>,
}

/// Apply the transcript conventions to a paragraph's inline content. The paragraph's language is judged
/// after the speaker label and bold annotations are taken out (a `**David George:** 是的。` is Chinese),
/// unless `lang` fixes it; it decides which unbolded annotations count as glossary terms.
///
/// List items never carry speaker labels: `1. **会议分解**：…` is a term and its description.
pub(super) fn conventions(mut inlines: Vec<Inline>, lang: Option<Lang>, list_item: bool) -> Conventions {
    let mut speaker = if list_item { None } else { take_turn(&mut inlines) };
    if let Some(name) = if list_item { None } else { take_bold_label(&mut inlines) } {
        speaker = Some(Speaker::Named(name));
    }
    let timestamp = take_timestamp(&mut inlines);
    map_texts(&mut inlines, recover_strong);
    split_turns(&mut inlines);
    split_stage_directions(&mut inlines);
    glossary::bold(&mut inlines);
    let lang = lang.or_else(|| language_of(&inlines));
    if lang == Some(Lang::Zh) {
        map_texts(&mut inlines, glossary::unbolded);
    }
    normalise(&mut inlines);
    Conventions { paragraph: Paragraph { speaker, list: None, content: inlines }, lang, timestamp }
}

/// A leading `>>` (or `&gt;&gt;`, already decoded) is an unnamed change of speaker.
fn take_turn(inlines: &mut Vec<Inline>) -> Option<Speaker> {
    if let Some(Inline::Text { text }) = inlines.first_mut() {
        if let Some(rest) = text.strip_prefix(">>") {
            *text = rest.trim_start().to_string();
            trim_ends(inlines);
            return Some(Speaker::Turn);
        }
    }
    None
}

/// `**Name:**`, `**Name：**`, `**Name**:` and `**Name**：` at the start of a paragraph.
fn take_bold_label(inlines: &mut Vec<Inline>) -> Option<String> {
    let name = match inlines.first() {
        Some(Inline::Strong { content }) => match content.as_slice() {
            [Inline::Text { text }] => text.clone(),
            _ => return None,
        },
        _ => return None,
    };
    let colon_inside = name.strip_suffix(':').or_else(|| name.strip_suffix('：')).map(str::trim);
    let (name, colon_after) = match colon_inside {
        Some(n) => (n.to_string(), false),
        None => {
            let after = match inlines.get(1) {
                Some(Inline::Text { text }) => text.starts_with(':') || text.starts_with('：'),
                _ => false,
            };
            if !after {
                return None;
            }
            (name.trim().to_string(), true)
        }
    };
    if !is_plausible_name(&name) {
        return None;
    }
    inlines.remove(0);
    if colon_after {
        if let Some(Inline::Text { text }) = inlines.first_mut() {
            let rest = text.trim_start_matches([':', '：']);
            *text = rest.to_string();
        }
    }
    trim_ends(inlines);
    Some(name)
}

/// A speaker name is short and is not a sentence: no sentence punctuation, at most five words, and in
/// Chinese at most ten characters without the function words that only phrases have
/// (`**NASA确定的主要原因包括：**` is a bold lead-in, not a speaker).
pub(super) fn is_plausible_name(name: &str) -> bool {
    const PHRASE_CHARS: &[char] = &[
        '的', '了', '是', '也', '在', '和', '与', '就', '都', '这', '那', '我', '你', '他', '她', '们', '说', '包',
        '括', '如', '何', '什', '么', '为', '有',
    ];
    let count = name.chars().count();
    let han = name.chars().filter(|&c| is_han(c)).count();
    (1..=40).contains(&count)
        && !name.contains(['。', '，', '！', '？', '[', '"', '“', ':', '：', '、', '；'])
        && name.matches(['(', '（']).count() == name.matches([')', '）']).count()
        && name.split_whitespace().count() <= 5
        && (han == 0 || (han <= 10 && !name.contains(PHRASE_CHARS)))
}

/// A candidate plain label at the start of a paragraph: `主持人：`, `Elizabeth Stone：`, `Host:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct PlainLabel {
    pub name: String,
    /// Written with the full-width colon `：`.
    pub full_width: bool,
}

impl PlainLabel {
    /// A capitalised Latin name (`Elizabeth Stone`, `Q`): with a full-width colon in Chinese text it can
    /// only be a label.
    pub fn is_latin_name(&self) -> bool {
        self.name.split(' ').all(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'')
        })
    }
}

/// The plain label a paragraph starts with, if any; the caller decides whether the document uses it as
/// a label rather than as the start of a sentence.
pub(super) fn plain_label(paragraph: &Paragraph) -> Option<PlainLabel> {
    if paragraph.speaker.is_some() {
        return None;
    }
    let Some(Inline::Text { text }) = paragraph.content.first() else { return None };
    let (colon, _) = text.char_indices().take(24).find(|&(_, c)| c == '：' || c == ':')?;
    let full_width = text[colon..].starts_with('：');
    let name = text[..colon].trim();
    if !is_plausible_name(name) || name.chars().count() > 20 || (!full_width && text[colon + 1..].starts_with("//")) {
        return None;
    }
    let label = PlainLabel { name: name.to_string(), full_width };
    (full_width || (label.is_latin_name() && name.split(' ').count() <= 3)).then_some(label)
}

/// Remove a plain label found by `plain_label`.
pub(super) fn apply_plain_label(paragraph: &mut Paragraph, name: &str) {
    if let Some(Inline::Text { text }) = paragraph.content.first_mut() {
        if let Some(colon) = text.find(['：', ':']) {
            let rest = text[colon..].trim_start_matches(['：', ':']);
            *text = rest.trim_start().to_string();
        }
    }
    trim_ends(&mut paragraph.content);
    paragraph.speaker = Some(Speaker::Named(name.to_string()));
}

/// `[hh:mm:ss]` or `[mm:ss]` at the end of a paragraph: the segment's timing anchor.
fn take_timestamp(inlines: &mut Vec<Inline>) -> Option<u32> {
    let Some(Inline::Text { text }) = inlines.last_mut() else { return None };
    let trimmed = text.trim_end();
    let open = trimmed.rfind('[')?;
    let seconds = trimmed[open..].strip_prefix('[').and_then(|s| s.strip_suffix(']')).and_then(parse_clock)?;
    text.truncate(open);
    trim_ends(inlines);
    Some(seconds)
}

/// `**术语（Term）**的` is literal text to CommonMark: a closing `**` after punctuation and before a Han
/// character is not right-flanking. Writers of Chinese mean bold; read it as bold. Runs of three or more
/// asterisks (`****` censoring) and pairs around nothing or around spaces stay text.
fn recover_strong(text: &str, out: &mut Vec<Inline>) {
    if !text.contains("**") {
        return push_text(out, text);
    }
    let mut rest = text;
    while let Some(open) = find_double_star(rest, 0) {
        let Some(close) = find_double_star(rest, open + 2) else { break };
        let inner = &rest[open + 2..close];
        if inner.is_empty() || inner.starts_with(char::is_whitespace) || inner.ends_with(char::is_whitespace) {
            push_text(out, &rest[..close]);
            rest = &rest[close..];
            continue;
        }
        push_text(out, &rest[..open]);
        out.push(Inline::Strong { content: vec![Inline::text(inner)] });
        rest = &rest[close + 2..];
    }
    push_text(out, rest);
}

/// Byte offset of a `**` that is exactly two asterisks, at or after `from`.
fn find_double_star(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes[i] == b'*' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'*').count();
            if run == 2 {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// `>>` inside text marks a change of speaker.
fn split_turns(inlines: &mut Vec<Inline>) {
    map_texts(inlines, |text, out| {
        if !text.contains(">>") {
            return push_text(out, text);
        }
        let mut parts = text.split(">>");
        if let Some(first) = parts.next() {
            push_text(out, first);
        }
        for part in parts {
            out.push(Inline::Turn);
            push_text(out, part);
        }
    });
}

fn map_texts(inlines: &mut Vec<Inline>, mut f: impl FnMut(&str, &mut Vec<Inline>)) {
    if !inlines.iter().any(|i| matches!(i, Inline::Text { .. })) {
        return;
    }
    let old = std::mem::take(inlines);
    for inline in old {
        match inline {
            Inline::Text { text } => {
                let mut pieces = Vec::new();
                f(&text, &mut pieces);
                for piece in pieces {
                    match piece {
                        Inline::Text { text } => push_text(inlines, &text),
                        other => inlines.push(other),
                    }
                }
            }
            other => inlines.push(other),
        }
    }
}

/// `[laughter]`, `[ __ ]`, `(Applause)`, `（笑）`, `[笑]` inside text.
fn split_stage_directions(inlines: &mut Vec<Inline>) {
    map_texts(inlines, |text, out| {
        if !text.contains(['[', '(', '（']) {
            return push_text(out, text);
        }
        let mut rest = text;
        while let Some((start, end)) = find_stage(rest) {
            push_text(out, &rest[..start]);
            out.push(Inline::Stage { text: rest[start..end].to_string() });
            rest = &rest[end..];
        }
        push_text(out, rest);
    });
}

/// The language of inline content, judged on its text without glossary annotations or code.
pub(super) fn language_of(inlines: &[Inline]) -> Option<Lang> {
    let mut text = String::new();
    collect_for_language(inlines, &mut text);
    classify(&text)
}

fn collect_for_language(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                collect_for_language(content, out)
            }
            Inline::Glossary(g) => out.push_str(g.term.as_deref().unwrap_or("")),
            _ => {}
        }
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_that_run_code_are_recognised_however_written() {
        for url in ["javascript:alert(1)", " JavaScript:x", "java\tscript:x", "VBScript:x", "data:text/html,<b>"] {
            assert!(runs_code(url), "{url}");
        }
        for url in ["https://example.com", "mailto:a@b.c", "#top", "notes.md", "javascript-guide.html"] {
            assert!(!runs_code(url), "{url}");
        }
    }
    use crate::ir::GlossaryTerm;

    fn para(md: &str, lang: Lang) -> Conventions {
        let (_, events) = fragment_events(md);
        let mut diags = Vec::new();
        let inlines = convert(&events, &mut Origin { line: 1, diagnostics: &mut diags });
        conventions(inlines, Some(lang), false)
    }

    fn glossary_of(c: &Conventions) -> Vec<GlossaryTerm> {
        c.paragraph
            .content
            .iter()
            .filter_map(|i| match i {
                Inline::Glossary(g) => Some(g.clone()),
                _ => None,
            })
            .collect()
    }

    fn g(term: Option<&str>, name: Option<&str>, gloss: Option<&str>) -> GlossaryTerm {
        GlossaryTerm { term: term.map(Into::into), name: name.map(Into::into), gloss: gloss.map(Into::into) }
    }

    #[test]
    fn speaker_label_forms() {
        for (md, name) in [
            ("**Ada:** hello", "Ada"),
            ("**Ada**: hello", "Ada"),
            ("**主持人：** 你好", "主持人"),
            ("**戴维·乌列维奇**：你好", "戴维·乌列维奇"),
            ("**Speaker (Façade)**: So", "Speaker (Façade)"),
        ] {
            let c = para(md, Lang::En);
            assert_eq!(c.paragraph.speaker, Some(Speaker::Named(name.into())), "{md}");
            assert!(matches!(&c.paragraph.content[0], Inline::Text { text } if !text.starts_with([':', ' '])));
        }
        let c = para(">> So yes. >> No.", Lang::En);
        assert_eq!(c.paragraph.speaker, Some(Speaker::Turn));
        assert!(c.paragraph.content.contains(&Inline::Turn));
        let c = para("&gt;&gt; Right.", Lang::En);
        assert_eq!(c.paragraph.speaker, Some(Speaker::Turn));
    }

    #[test]
    fn glossary_forms() {
        let cases = [
            (
                "**比特**（Bit: 计算机信息的基本单位）。",
                Lang::Zh,
                g(Some("比特"), Some("Bit"), Some("计算机信息的基本单位")),
            ),
            ("**术语**（Term）", Lang::Zh, g(Some("术语"), Some("Term"), None)),
            ("**第一级（Level One）**", Lang::Zh, g(Some("第一级"), Some("Level One"), None)),
            ("**延迟** (Latency: 时间)", Lang::Zh, g(Some("延迟"), Some("Latency"), Some("时间"))),
            ("the **prefill (预填充：处理输入)** step", Lang::En, g(Some("prefill"), Some("预填充"), Some("处理输入"))),
            (
                "**KPI**（KPI: Key Performance Indicator: 关键绩效指标）",
                Lang::Zh,
                g(Some("KPI"), Some("KPI"), Some("Key Performance Indicator: 关键绩效指标")),
            ),
            ("命令行（CLI - Command Line Interface）", Lang::Zh, g(None, Some("CLI"), Some("Command Line Interface"))),
            (
                "人工智能（Artificial Intelligence: 模拟智能）很重要",
                Lang::Zh,
                g(None, Some("Artificial Intelligence"), Some("模拟智能")),
            ),
        ];
        for (md, lang, want) in cases {
            assert_eq!(glossary_of(&para(md, lang)), vec![want], "{md}");
        }
        assert!(glossary_of(&para("沙尔贝克（Schaerbeek）的选举", Lang::Zh)).is_empty());
        assert!(glossary_of(&para("**重要** 的事", Lang::Zh)).is_empty());
    }

    #[test]
    fn stage_directions_and_timestamps() {
        let c = para("So yes [laughter] and (Applause) then [ __ ] done. [00:01:05]", Lang::En);
        assert_eq!(c.timestamp, Some(65));
        let stages: Vec<_> = c.paragraph.content.iter().filter(|i| matches!(i, Inline::Stage { .. })).collect();
        assert_eq!(stages.len(), 3);
        let c = para("好的（笑）[笑]。[Narrator] 不是", Lang::Zh);
        let stages = c.paragraph.content.iter().filter(|i| matches!(i, Inline::Stage { .. })).count();
        assert_eq!(stages, 2);
    }

    #[test]
    fn soft_breaks_join_by_script() {
        let (_, events) = fragment_events("500 个 output\ntoken 的生成\n只需毫秒");
        let mut diags = Vec::new();
        let inlines = convert(&events, &mut Origin { line: 1, diagnostics: &mut diags });
        assert_eq!(inlines, vec![Inline::text("500 个 output token 的生成只需毫秒")]);
    }

    #[test]
    fn fragments_never_become_block_syntax() {
        let (_, events) = fragment_events("- [A] What? - [B] No.\n1. not a list\n# not a heading");
        let mut diags = Vec::new();
        let inlines = convert(&events, &mut Origin { line: 1, diagnostics: &mut diags });
        assert_eq!(inlines, vec![Inline::text("- [A] What? - [B] No. 1. not a list # not a heading")]);
    }

    #[test]
    fn br_is_a_line_break_and_script_is_literal() {
        let (_, events) = fragment_events("a<br><br>b <script>x</script>");
        let mut diags = Vec::new();
        let inlines = convert(&events, &mut Origin { line: 3, diagnostics: &mut diags });
        assert_eq!(inlines[1], Inline::LineBreak);
        assert!(crate::ir::plain_text(&inlines, Lang::En).contains("<script>x</script>"));
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].line, 3);
    }

    #[test]
    fn clock_parsing() {
        assert_eq!(parse_clock("00:00:35"), Some(35));
        assert_eq!(parse_clock("1:02:03"), Some(3723));
        assert_eq!(parse_clock("12:61"), None);
        assert_eq!(parse_clock("laughter"), None);
    }
}
