//! Passes over the IR that pick what a reader of one language sees.
//!
//! Writers never decide which language to show: they render the document they are given. Picking a
//! language is this module's job, once, as a function from document to document.

use crate::ir::{is_han, plain_text, Block, Document, Lang, Paragraph, Section, Segment};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a reader asked for: both languages, or one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    Bi,
    Zh,
    En,
}

impl View {
    pub const ALL: [View; 3] = [View::Bi, View::Zh, View::En];

    pub fn lang(self) -> Option<Lang> {
        match self {
            View::Bi => None,
            View::Zh => Some(Lang::Zh),
            View::En => Some(Lang::En),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            View::Bi => "bi",
            View::Zh => "zh",
            View::En => "en",
        }
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for View {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "bi" => Ok(View::Bi),
            "zh" => Ok(View::Zh),
            "en" => Ok(View::En),
            other => Err(format!("unknown language `{other}`; use bi, zh or en")),
        }
    }
}

/// The document as a reader of `lang` alone sees it: the other language's paragraphs removed, not hidden.
///
/// Chinese keeps every heading (a heading is structure, not an original); English drops headings written
/// in Chinese (the writer marks the section break) and stage directions written in Chinese; raw source the
/// front end did not understand is left out of both.
pub fn only(doc: &Document, lang: Lang) -> Document {
    let mut sections = Vec::new();
    for section in &doc.sections {
        let heading = section.heading.clone().filter(|h| lang == Lang::Zh || h.lang == Lang::En);
        let blocks: Vec<Block> = section.blocks.iter().filter_map(|b| block_in(b, lang)).collect();
        if blocks.is_empty() && (heading.is_none() || lang == Lang::En) {
            continue;
        }
        sections.push(Section { heading, blocks });
    }
    Document { ir_version: doc.ir_version, meta: doc.meta.clone(), sections }
}

fn block_in(block: &Block, lang: Lang) -> Option<Block> {
    match block {
        Block::Segment(s) => {
            let side = s.side(lang);
            if side.is_empty() {
                return None;
            }
            let (zh, en) = match lang {
                Lang::Zh => (side.to_vec(), Vec::new()),
                Lang::En => (Vec::new(), side.to_vec()),
            };
            Some(Block::Segment(Segment { zh, en, timestamp: s.timestamp, lines: s.lines }))
        }
        Block::StageDirection { text, .. } => (text_lang(text) == lang).then(|| block.clone()),
        Block::Quote { paragraphs, lines } => {
            let kept: Vec<Paragraph> =
                paragraphs.iter().filter(|p| text_lang(&plain_text(&p.content, lang)) == lang).cloned().collect();
            (!kept.is_empty()).then_some(Block::Quote { paragraphs: kept, lines: *lines })
        }
        Block::Code { .. } | Block::ThematicBreak { .. } => Some(block.clone()),
        Block::Raw { .. } => None,
    }
}

/// Chinese when the text has any Han character, English otherwise.
fn text_lang(text: &str) -> Lang {
    if text.chars().any(is_han) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The title a reader of `view` sees: in an English book, a title written only in Chinese gives way to the
/// first English heading, then to the speaker.
pub fn display_title(doc: &Document, view: View) -> String {
    let title = &doc.meta.title;
    if view != View::En || !title.chars().any(is_han) {
        return title.clone();
    }
    let heading = doc
        .sections
        .iter()
        .filter_map(|s| s.heading.as_ref())
        .find(|h| h.lang == Lang::En)
        .map(|h| plain_text(&h.content, Lang::En));
    let who = [&doc.meta.speaker, &doc.meta.author].into_iter().flatten().find(|s| !s.chars().any(is_han)).cloned();
    heading.or_else(|| who.map(|w| format!("{w}: a transcript"))).unwrap_or_else(|| "Transcript".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    const SRC: &str = "---\ntitle: 标题\n---\n### 中文标题\n\n你好。\n\n<details>\n<summary>Original English</summary>\n<p class=\"english-text\">Hello.</p>\n</details>\n\n（笑）\n\n[music]\n";

    #[test]
    fn english_view_drops_chinese_headings_and_text() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let en = only(&doc, Lang::En);
        assert!(en.sections.iter().all(|s| s.heading.is_none()));
        let json = serde_json::to_string(&en.sections).unwrap();
        assert!(!json.chars().any(is_han), "{json}");
        assert!(json.contains("Hello."));
        assert!(json.contains("[music]"));
    }

    #[test]
    fn chinese_view_keeps_headings_and_drops_originals() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let zh = only(&doc, Lang::Zh);
        assert!(zh.sections[0].heading.is_some());
        let json = serde_json::to_string(&zh.sections).unwrap();
        assert!(!json.contains("Hello."));
        assert!(json.contains("你好。"));
        assert!(json.contains("（笑）"));
    }

    #[test]
    fn english_title_of_a_chinese_titled_document() {
        let doc = parse_str("---\ntitle: 标题\nspeaker: Ada\n---\n你好。\n", "a.md").unwrap().doc;
        assert_eq!(display_title(&doc, View::Zh), "标题");
        assert_eq!(display_title(&doc, View::En), "Ada: a transcript");
    }
}
