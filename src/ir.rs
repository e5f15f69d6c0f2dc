//! The intermediate representation: one transcript as plain data.
//!
//! This is the only contract between the front end (`parse`) and the back ends (`emit`). It holds no I/O,
//! no source text beyond what a writer needs, and imports nothing else of the crate. Source positions are
//! kept (1-based lines) so back ends can point at the source in their own warnings, but two documents that
//! differ only in positions are the same document (`Document::without_positions`).

use serde::{Deserialize, Serialize};

/// Version of the JSON form of the IR. Bumped on any change that an older reader would misread.
pub const IR_VERSION: u32 = 1;

/// One transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub ir_version: u32,
    pub meta: Metadata,
    pub sections: Vec<Section>,
}

/// A language of the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// BCP 47 tag for markup (`zh-Hans`, `en`).
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }
}

/// First and last source line (1-based, inclusive) a piece of the IR came from. `0..0` when made in memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lines {
    pub start: u32,
    pub end: u32,
}

/// Front matter: the keys FORMAT.md names, typed, plus every other key in source order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Always set: from the front matter, else the first heading, else the file name.
    pub title: String,
    /// Where `title` came from.
    pub title_from: TitleSource,
    /// The title in English (`title_en`), for English editions of a transcript titled in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    pub summary: Option<String>,
    /// The summary in English (`summary_en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_en: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub speaker: Option<String>,
    pub author: Option<String>,
    pub guest: Option<String>,
    pub tags: Vec<String>,
    pub people: Vec<String>,
    pub companies_orgs: Vec<String>,
    pub products_models: Vec<String>,
    pub media_books: Vec<String>,
    pub project: Vec<String>,
    pub category: Option<String>,
    pub area: Option<String>,
    pub series: Option<String>,
    pub status: Option<String>,
    pub insight: Option<String>,
    pub channel: Option<String>,
    pub draft: Option<bool>,
    pub exclude: Option<bool>,
    /// Length of the video, as written (`HH:MM:SS` or seconds), when the front matter gives one.
    pub duration: Option<String>,
    /// The transcript's lasting identity, which edits do not change: front matter `id`; when it has none,
    /// the batch driver sets it from the `source` URL or else the file's path under the archive root.
    /// The identifiers of its editions derive from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The file's name without `.md` (`20-chris-lattner-llvm-swift-mojo`), as the archive names the
    /// transcript; an English edition may take its title from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_stem: Option<String>,
    /// Keys not named above, in source order, with their values as JSON.
    pub extra: Vec<ExtraField>,
    /// The front matter exactly as written between the `---` lines (LF line endings, no BOM), so that
    /// writers that carry front matter keep comments, order and quoting. `None` when the file had none.
    pub front_matter: Option<String>,
}

/// Where the document title came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleSource {
    #[default]
    FrontMatter,
    Heading,
    FileName,
}

/// A front-matter key that has no typed field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtraField {
    pub key: String,
    pub value: serde_json::Value,
}

/// A heading and the blocks up to the next heading. The first section has no heading when the body
/// starts with text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: Option<Heading>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 to 6, as in markdown.
    pub level: u8,
    pub content: Vec<Inline>,
    /// The language the heading is written in.
    pub lang: Lang,
    pub lines: Lines,
}

/// A body block. Nothing of the source is dropped: what the front end does not understand becomes `Raw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A Chinese passage and its English original.
    Segment(Segment),
    /// A paragraph that is only a stage direction or noise (`[music]`, `(Applause)`), outside any pair.
    StageDirection {
        text: String,
        lines: Lines,
    },
    /// A markdown block quote that is not a speaker change.
    Quote {
        paragraphs: Vec<Paragraph>,
        lines: Lines,
    },
    /// A fenced or indented code block.
    Code {
        info: String,
        text: String,
        lines: Lines,
    },
    ThematicBreak {
        lines: Lines,
    },
    /// Source the front end kept but did not interpret (unknown HTML, `[BODY_END]`); shown only where the
    /// source language of the text does not matter (bilingual markdown).
    Raw {
        text: String,
        lines: Lines,
    },
}

/// The central block: what was said, in Chinese and in the English original. Either side may be empty
/// (Chinese-only articles, a truncated ending, an English block with no translation before it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub zh: Vec<Paragraph>,
    pub en: Vec<Paragraph>,
    /// Seconds from the start of the video, when the source gives a `[hh:mm:ss]` anchor.
    pub timestamp: Option<u32>,
    pub lines: Lines,
}

impl Segment {
    /// The speaker who opens this segment, by language.
    pub fn speaker(&self) -> SegmentSpeaker<'_> {
        fn first(side: &[Paragraph]) -> Option<&Speaker> {
            side.first().and_then(|p| p.speaker.as_ref())
        }
        SegmentSpeaker { zh: first(&self.zh), en: first(&self.en) }
    }

    pub fn side(&self, lang: Lang) -> &[Paragraph] {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The speaker of a segment as each language writes it (`戴维·乌列维奇` / `David Ulevitch`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentSpeaker<'a> {
    pub zh: Option<&'a Speaker>,
    pub en: Option<&'a Speaker>,
}

/// Who speaks at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Speaker {
    /// A labelled speaker: `**Name**:`, `主持人：`, `问：`.
    Named(String),
    /// An unnamed change of speaker (`>>`).
    Turn,
}

/// One paragraph (or one list item) of one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub speaker: Option<Speaker>,
    /// Set when the paragraph is an item of a list.
    pub list: Option<ListItem>,
    pub content: Vec<Inline>,
}

/// The list marker of a paragraph that is a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    /// `Some(n)` for the n-th item of an ordered list, `None` for a bullet.
    pub number: Option<u64>,
    /// 0 for a top-level list.
    pub depth: u8,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        content: Vec<Inline>,
    },
    Emphasis {
        content: Vec<Inline>,
    },
    Code {
        code: String,
    },
    Link {
        url: String,
        content: Vec<Inline>,
    },
    LineBreak,
    /// A change of speaker inside a paragraph (`>>` mid-text).
    Turn,
    /// A stage direction or sound cue inside text: `[laughter]`, `(Applause)`, `（笑）`. `text` keeps the brackets.
    Stage {
        text: String,
    },
    Glossary(GlossaryTerm),
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text { text: s.into() }
    }
}

/// A term explained on first use: `**比特**（Bit: 计算机信息的基本单位）`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    /// The marked (bold) term. `None` when the annotation follows plain text and the term is whatever
    /// precedes it (`人工智能（Artificial Intelligence: …）`).
    pub term: Option<String>,
    /// The term's name in the other language (usually English), when given.
    pub name: Option<String>,
    /// The explanation, when given.
    pub gloss: Option<String>,
}

impl Document {
    /// Every block of every section, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.sections.iter().flat_map(|s| s.blocks.iter())
    }

    /// Every segment, in order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.blocks().filter_map(|b| match b {
            Block::Segment(s) => Some(s),
            _ => None,
        })
    }

    /// True when some segment has text in `lang`.
    pub fn has_lang(&self, lang: Lang) -> bool {
        self.segments().any(|s| !s.side(lang).is_empty())
    }

    /// The same document with every source position zeroed: what stays equal across a round trip.
    pub fn without_positions(&self) -> Document {
        let mut doc = self.clone();
        for section in &mut doc.sections {
            if let Some(h) = &mut section.heading {
                h.lines = Lines::default();
            }
            for block in &mut section.blocks {
                match block {
                    Block::Segment(s) => s.lines = Lines::default(),
                    Block::StageDirection { lines, .. }
                    | Block::Quote { lines, .. }
                    | Block::Code { lines, .. }
                    | Block::ThematicBreak { lines }
                    | Block::Raw { lines, .. } => *lines = Lines::default(),
                }
            }
        }
        doc
    }
}

/// The plain text of inline content in `lang`, as a reader would see it with annotations shown as written.
pub fn plain_text(inlines: &[Inline], lang: Lang) -> String {
    let mut out = String::new();
    push_plain(inlines, lang, &mut out);
    out
}

fn push_plain(inlines: &[Inline], lang: Lang, out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { code: text } | Inline::Stage { text } => {
                // A speaker change already ends with a space.
                let text = if out.ends_with(">> ") { text.trim_start() } else { text };
                out.push_str(text)
            }
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                push_plain(content, lang, out)
            }
            Inline::LineBreak => out.push('\n'),
            Inline::Turn => out.push_str(">> "),
            Inline::Glossary(g) => {
                if let Some(term) = &g.term {
                    out.push_str(term);
                }
                if let Some(paren) = g.parenthetical(lang) {
                    out.push_str(&paren);
                }
            }
        }
    }
}

impl GlossaryTerm {
    /// What the annotation says, as one line: `Bit: 计算机信息的基本单位`, or the name or the gloss alone.
    /// `None` when it has neither.
    pub fn note(&self) -> Option<String> {
        match (&self.name, &self.gloss) {
            (Some(n), Some(g)) => Some(format!("{n}: {g}")),
            (Some(n), None) => Some(n.clone()),
            (None, Some(g)) => Some(g.clone()),
            (None, None) => None,
        }
    }

    /// What follows the term in a footnote or glossary entry, punctuated for the language of the text the
    /// term is in: `（Bit）：计算机信息的基本单位` in Chinese, ` (预填充): the first stage` in English; one colon,
    /// between the term (with its other-language name) and the gloss. A name the same as the term is not
    /// repeated. `None` when the annotation has neither name nor gloss.
    pub fn footnote(&self, lang: Lang) -> Option<String> {
        // A gloss written in Chinese is punctuated as Chinese, whatever the text around the term.
        let lang = if self.gloss.as_deref().is_some_and(|g| g.chars().any(is_han_char)) { Lang::Zh } else { lang };
        let name = self.name.as_deref().filter(|n| Some(*n) != self.term.as_deref());
        let (open, close, colon) = match lang {
            Lang::Zh => ("（", "）", "："),
            Lang::En => (" (", ")", ": "),
        };
        let named = |n: &str| if self.term.is_some() { format!("{open}{n}{close}") } else { n.to_string() };
        let gloss = self.gloss.as_deref().map(|g| if lang == Lang::Zh { full_width_colons(g) } else { g.to_string() });
        match (name, gloss.as_deref()) {
            (Some(n), Some(g)) => Some(format!("{}{colon}{g}", named(n))),
            (Some(n), None) => Some(named(n)),
            (None, Some(g)) if self.term.is_some() => Some(format!("{}{g}", colon.trim_start())),
            (None, Some(g)) => Some(g.to_string()),
            (None, None) => None,
        }
    }

    /// The annotation as a reader sees it: `（Bit: 计算机信息的基本单位）` full-width in Chinese text,
    /// ` (预填充)` half-width in English. `None` when the annotation has neither name nor gloss.
    pub fn parenthetical(&self, lang: Lang) -> Option<String> {
        let body = self.note()?;
        Some(if lang == Lang::Zh { format!("（{body}）") } else { format!(" ({body})") })
    }
}

/// A Han character (the front end's `script::is_han` lives above this module; the two basic blocks are
/// enough for punctuation choices).
fn is_han_char(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// ASCII colons and semicolons that touch Chinese (`Indicator: 关键`) as the full-width marks Chinese
/// text uses (`Indicator：关键`), the space after them dropped.
pub fn full_width_colons(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let han = |c: Option<&char>| c.is_some_and(|&c| is_han_char(c));
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let after = if chars.get(i + 1) == Some(&' ') { i + 2 } else { i + 1 };
        if matches!(c, ':' | ';') && (han(i.checked_sub(1).and_then(|b| chars.get(b))) || han(chars.get(after))) {
            out.push(if c == ':' { '：' } else { '；' });
            i = after;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parenthetical_width_follows_the_language() {
        let g = GlossaryTerm { term: Some("比特".into()), name: Some("Bit".into()), gloss: Some("单位".into()) };
        assert_eq!(g.parenthetical(Lang::Zh).unwrap(), "（Bit: 单位）");
        let g = GlossaryTerm { term: Some("prefill".into()), name: Some("预填充".into()), gloss: None };
        assert_eq!(g.parenthetical(Lang::En).unwrap(), " (预填充)");
    }

    #[test]
    fn footnotes_have_one_colon_in_the_text_s_own_punctuation() {
        let g = GlossaryTerm {
            term: Some("可解释性".into()),
            name: Some("Interpretability of models".into()),
            gloss: Some("指理解模型内部如何运作".into()),
        };
        assert_eq!(g.footnote(Lang::Zh).unwrap(), "（Interpretability of models）：指理解模型内部如何运作");
        assert_eq!(g.footnote(Lang::En).unwrap(), "（Interpretability of models）：指理解模型内部如何运作");
        let en = GlossaryTerm { term: Some("prefill".into()), name: None, gloss: Some("the first pass".into()) };
        assert_eq!(en.footnote(Lang::En).unwrap(), ": the first pass");
        let same =
            GlossaryTerm { term: Some("GPU".into()), name: Some("GPU".into()), gloss: Some("图形处理器".into()) };
        assert_eq!(same.footnote(Lang::Zh).unwrap(), "：图形处理器");
        let named = GlossaryTerm { term: Some("比特".into()), name: Some("Bit".into()), gloss: None };
        assert_eq!(named.footnote(Lang::Zh).unwrap(), "（Bit）");
        let kpi = GlossaryTerm {
            term: Some("绩效指标".into()),
            name: Some("KPI".into()),
            gloss: Some("Key Performance Indicator: 关键绩效指标".into()),
        };
        assert_eq!(kpi.footnote(Lang::Zh).unwrap(), "（KPI）：Key Performance Indicator：关键绩效指标");
    }

    #[test]
    fn ir_serialises_with_version() {
        let doc = Document { ir_version: IR_VERSION, meta: Metadata::default(), sections: vec![] };
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.starts_with("{\"ir_version\":1"));
    }
}
