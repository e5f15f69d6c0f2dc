//! The selection pass: what a reader of one view sees of a document.
//!
//! Writers never decide which language to show. For each input and each view the batch driver calls
//! [`select`] once; the [`Selected`] it gets back carries the document reduced to that view's language,
//! the metadata a reader of that language is shown, the reader-facing title, and, for writers that need
//! both languages in one output (subtitles time a Chinese track from the English that was spoken), a
//! [`Paired`] view. All of it is computed at most once per view, however many formats are written from it,
//! and so is any other per-view work that several writers share ([`Selected::shared`]).
//!
//! This module decides by script alone (`crate::script`); it never looks at source text.

use crate::archive::{Archive, SlugKind};
use crate::ir::{plain_text, Block, Document, GlossaryTerm, Inline, Lang, Paragraph, Section, Segment, Speaker};
use crate::script::{has_han, lang_of, readable_in};
use serde::{Deserialize, Serialize};
use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

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

    /// The one language of a one-language view.
    pub fn lang(self) -> Option<Lang> {
        match self {
            View::Bi => None,
            View::Zh => Some(Lang::Zh),
            View::En => Some(Lang::En),
        }
    }

    /// The language an edition of this view is in: English for `en`; Chinese for `zh` and for `bi` (a
    /// Chinese text with its originals beside it).
    pub fn main_lang(self) -> Lang {
        match self {
            View::En => Lang::En,
            View::Zh | View::Bi => Lang::Zh,
        }
    }

    /// True when a reader of this view is shown text in `lang`.
    pub fn shows(self, lang: Lang) -> bool {
        self.lang().is_none_or(|l| l == lang)
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

/// A language name that is not `bi`, `zh` or `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`; use bi, zh or en")]
pub struct UnknownView(pub String);

impl std::str::FromStr for View {
    type Err = UnknownView;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "bi" => Ok(View::Bi),
            "zh" => Ok(View::Zh),
            "en" => Ok(View::En),
            other => Err(UnknownView(other.to_string())),
        }
    }
}

/// The metadata a reader of one view is shown, every piece already in that view's language (a Chinese
/// name or tag is left out of an English edition, never transliterated). What a format records about its
/// source rather than shows (dates, the source link, tags as subjects) stays in `Document::meta`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReaderMeta {
    /// The title this reader sees: the front matter's, or in an English edition of a Chinese-titled
    /// transcript the first English heading, then the speaker (see [`display_title`]). Never empty.
    pub title: String,
    /// The front matter's title, when it is written in the view's language.
    pub written_title: Option<String>,
    /// Speaker, guest and author, each name once, in that order.
    pub people: Vec<String>,
    /// Speaker and author as the front matter gives them (a name given for both comes twice).
    pub creators: Vec<String>,
    pub summary: Option<String>,
    /// Tags as words: named by the archive file in the edition's language, else the slug humanized.
    pub tags: Vec<String>,
    /// What this edition is called (`中英对照`, `中文`, `English`, or as the archive file labels it).
    pub edition: String,
    /// The `people` key: people the transcript talks about.
    pub people_named: Vec<String>,
    pub companies: Vec<String>,
    pub products: Vec<String>,
    pub media: Vec<String>,
}

impl ReaderMeta {
    /// The metadata of `meta` that a reader of `view` is shown, slugs and the edition named as `names`
    /// (the archive file of the transcript's archive) names them.
    pub fn of(doc: &Document, view: View, names: &Archive) -> ReaderMeta {
        let m = &doc.meta;
        let lang = view.lang();
        let keep = |s: &str| lang.is_none_or(|l| readable_in(s, l));
        let list = |items: &[String]| items.iter().filter(|i| keep(i)).cloned().collect::<Vec<_>>();
        let mut people: Vec<String> = Vec::new();
        for who in [&m.speaker, &m.guest, &m.author].into_iter().flatten() {
            if keep(who) && !people.contains(who) {
                people.push(who.clone());
            }
        }
        ReaderMeta {
            title: display_title(doc, view),
            written_title: Some(m.title.clone()).filter(|t| keep(t)),
            people,
            creators: [&m.speaker, &m.author].into_iter().flatten().filter(|s| keep(s)).cloned().collect(),
            summary: match view {
                View::En => m.summary_en.clone().or_else(|| m.summary.clone()).filter(|s| keep(s)),
                _ => m.summary.clone().filter(|s| keep(s)),
            },
            // Tags are slugs (`ai-coding`); a reader sees words ("AI Coding").
            tags: list(&m.tags).iter().map(|t| names.display(SlugKind::Tag, t, view.main_lang())).collect(),
            edition: names.label(lang).to_string(),
            people_named: list(&m.people),
            companies: list(&m.companies_orgs),
            products: list(&m.products_models),
            media: list(&m.media_books),
        }
    }
}

/// One view of one document, as every writer of that view receives it.
pub struct Selected<'d> {
    pub view: View,
    /// What a reader of the view is shown of the metadata.
    pub reader: ReaderMeta,
    source: Cow<'d, Document>,
    document: OnceLock<Document>,
    shared: Mutex<Vec<(TypeId, Arc<dyn Any + Send + Sync>)>>,
}

impl fmt::Debug for Selected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Selected").field("view", &self.view).field("title", &self.reader.title).finish()
    }
}

/// The view `view` of `doc`, or `None` when the document has nothing in that view's language (English
/// asked of a Chinese article): there is nothing to write then, not an empty file. `names` is the
/// archive file of the archive the document belongs to (`Archive::default()` when it has none).
pub fn select<'d>(doc: &'d Document, view: View, names: &Archive) -> Option<Selected<'d>> {
    selected(Cow::Borrowed(doc), view, names)
}

/// [`select`] for a document the selection may keep: a book's member, loaded on one thread and rendered
/// on another.
pub fn select_owned(doc: Document, view: View, names: &Archive) -> Option<Selected<'static>> {
    selected(Cow::Owned(doc), view, names)
}

fn selected<'d>(source: Cow<'d, Document>, view: View, names: &Archive) -> Option<Selected<'d>> {
    if view.lang().is_some_and(|lang| !source.has_lang(lang)) {
        return None;
    }
    Some(Selected {
        view,
        reader: ReaderMeta::of(&source, view, names),
        source,
        document: OnceLock::new(),
        shared: Mutex::new(Vec::new()),
    })
}

impl Selected<'_> {
    /// The whole document, both languages: for formats that carry everything (the IR as JSON) and for
    /// what a format records rather than shows (`meta`: dates, the source link, subjects).
    pub fn source(&self) -> &Document {
        &self.source
    }

    /// The document a reader of the view sees: for one language the other language's paragraphs removed
    /// (see [`only`]), reduced on first use, once; for both languages the document itself.
    pub fn document(&self) -> &Document {
        match self.view.lang() {
            Some(lang) => self.document.get_or_init(|| only(&self.source, lang)),
            None => &self.source,
        }
    }

    /// Both languages side by side, with what the view shows: for writers that must see the spoken
    /// English even when they show only Chinese. Cheap (it borrows the paragraphs); writers that derive
    /// costly work from it share that through [`Selected::shared`].
    pub fn paired(&self) -> Paired<'_> {
        paired(&self.source, self.view)
    }

    /// Per-view work that several writers share, keyed by its type: made by the first writer that asks,
    /// handed to the others of the same view (SRT, VTT and ASS cut and time one subtitle track). The
    /// value must depend on nothing but this view and the run's options.
    pub fn shared<T: Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let key = TypeId::of::<T>();
        let found = {
            let slots = self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            slots.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
        };
        if let Some(value) = found.and_then(|v| v.downcast::<T>().ok()) {
            return value;
        }
        let value = Arc::new(make());
        let mut slots = self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        slots.push((key, value.clone()));
        value
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

/// The parts of a `/`-separated annotation name written without Chinese (`ComfyUI/工作流界面` gives
/// `ComfyUI`), or `None`.
fn english_part(name: &str) -> Option<String> {
    let parts: Vec<&str> = name.split('/').map(str::trim).filter(|p| !p.is_empty() && !has_han(p)).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// An English paragraph as an English reader sees it: glossary annotations written in Chinese inside the
/// English (`**multicloud** (多云：指……)`) lose their Chinese name and gloss; the term stays. Chinese the
/// speaker said is text, not an annotation, and stays.
fn without_chinese_glosses(p: &Paragraph) -> Paragraph {
    fn inlines(content: &[Inline]) -> Vec<Inline> {
        content
            .iter()
            .map(|inline| match inline {
                Inline::Glossary(g) => Inline::Glossary(GlossaryTerm {
                    term: g.term.clone(),
                    name: g.name.as_deref().and_then(english_part),
                    gloss: g.gloss.clone().filter(|n| !has_han(n)),
                }),
                Inline::Strong { content } => Inline::Strong { content: inlines(content) },
                Inline::Emphasis { content } => Inline::Emphasis { content: inlines(content) },
                Inline::Link { url, content } => Inline::Link { url: url.clone(), content: inlines(content) },
                other => other.clone(),
            })
            .collect()
    }
    Paragraph { content: inlines(&p.content), ..p.clone() }
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
                Lang::En => (Vec::new(), side.iter().map(without_chinese_glosses).collect()),
            };
            Some(Block::Segment(Segment { zh, en, timestamp: s.timestamp, lines: s.lines }))
        }
        Block::StageDirection { text, .. } => (lang_of(text) == lang).then(|| block.clone()),
        Block::Quote { paragraphs, lines } => {
            let kept: Vec<Paragraph> =
                paragraphs.iter().filter(|p| lang_of(&plain_text(&p.content, lang)) == lang).cloned().collect();
            (!kept.is_empty()).then_some(Block::Quote { paragraphs: kept, lines: *lines })
        }
        Block::Code { .. } | Block::ThematicBreak { .. } => Some(block.clone()),
        Block::Raw { .. } => None,
    }
}

/// The title a reader of `view` sees. An English edition of a transcript titled in Chinese takes, in
/// order: the front matter's `title_en`; a title made from the file name when its words are English
/// (`20-chris-lattner-llvm-swift-mojo` gives "Chris Lattner: LLVM Swift Mojo", each word spelled as the
/// English text spells it and the speaker's name first); the speaker (or author) and the date. Never
/// empty.
pub fn display_title(doc: &Document, view: View) -> String {
    let m = &doc.meta;
    if view != View::En || !has_han(&m.title) {
        return m.title.clone();
    }
    if let Some(title) = m.title_en.as_deref().map(str::trim).filter(|t| !t.is_empty() && !has_han(t)) {
        return title.to_string();
    }
    let who = [&m.speaker, &m.author].into_iter().flatten().find(|s| !has_han(s)).cloned();
    if let Some(title) = m.file_stem.as_deref().and_then(|stem| title_from_stem(stem, doc, who.as_deref())) {
        return title;
    }
    match (who, m.date.as_deref().filter(|d| !has_han(d))) {
        (Some(w), Some(d)) => format!("{w}, {d}"),
        (Some(w), None) => format!("{w}: a transcript"),
        (None, Some(d)) => format!("Transcript, {d}"),
        (None, None) => "Transcript".to_string(),
    }
}

/// A title from a file name made of English words (at least half of its words found in the English
/// text), without a leading number; `None` otherwise (a name in pinyin, or in Chinese).
fn title_from_stem(stem: &str, doc: &Document, speaker: Option<&str>) -> Option<String> {
    let words: Vec<&str> = stem
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if words.is_empty() || !words.iter().all(|w| w.chars().all(|c| c.is_ascii_alphanumeric())) {
        return None;
    }
    let spellings = english_spellings(doc);
    let lettered: Vec<&&str> = words.iter().filter(|w| w.chars().any(|c| c.is_ascii_alphabetic())).collect();
    let known = lettered.iter().filter(|w| spellings.contains_key(&w.to_ascii_lowercase())).count();
    if lettered.is_empty() || known * 2 < lettered.len() {
        return None;
    }
    let spelled: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_ascii_lowercase();
            match spellings.get(&lower) {
                Some(s) if s.chars().any(char::is_uppercase) => s.clone(),
                _ if i > 0 && SMALL_WORDS.contains(&lower.as_str()) => lower,
                // A word the text never writes and without a vowel is an initialism: `nbim` is NBIM.
                None if !lower.contains(['a', 'e', 'i', 'o', 'u', 'y']) => lower.to_ascii_uppercase(),
                _ => capitalised(w),
            }
        })
        .collect();
    // The speaker's name, when the file name holds it, leads: "Chris Lattner: LLVM Swift Mojo".
    if let Some(name) = speaker {
        let name_words: Vec<String> = name.split_whitespace().map(|w| w.to_lowercase()).collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        let n = name_words.len();
        if n > 0 && n < lower.len() {
            if let Some(at) = (0..=lower.len() - n).find(|&i| lower[i..i + n] == name_words[..]) {
                let rest: Vec<&str> = spelled[..at].iter().chain(&spelled[at + n..]).map(String::as_str).collect();
                return Some(format!("{name}: {}", rest.join(" ")));
            }
        }
    }
    Some(spelled.join(" "))
}

/// Words a title keeps in lower case after its first.
const SMALL_WORDS: [&str; 12] = ["a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to"];

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// How the transcript spells each Latin word (by its lower case): the most frequent form, a capitalised
/// one winning a tie. The English text, headings, speakers' names, the people, organisations and products
/// the front matter lists, and Latin words inside the Chinese text all count.
fn english_spellings(doc: &Document) -> std::collections::HashMap<String, String> {
    use std::collections::HashMap;
    let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut count = |text: &str| {
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
            *counts.entry(word.to_ascii_lowercase()).or_default().entry(word.to_string()).or_default() += 1;
        }
    };
    let m = &doc.meta;
    for name in [&m.speaker, &m.author, &m.guest].into_iter().flatten() {
        count(name);
    }
    for name in m.people.iter().chain(&m.companies_orgs).chain(&m.products_models) {
        count(name);
    }
    for section in &doc.sections {
        if let Some(h) = &section.heading {
            count(&plain_text(&h.content, h.lang));
        }
        for block in &section.blocks {
            if let Block::Segment(s) = block {
                for p in s.zh.iter().chain(&s.en) {
                    if let Some(Speaker::Named(name)) = &p.speaker {
                        count(name);
                    }
                    count(&plain_text(&p.content, Lang::En).replace(|c: char| !c.is_ascii(), " "));
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|(lower, forms)| {
            let best = forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0).reverse()))
                .map(|(form, _)| form)
                .unwrap_or_default();
            (lower, best)
        })
        .collect()
}

/// What was said, both languages side by side, and which of them a reader of the view is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired<'d> {
    pub view: View,
    /// Everything spoken, in order; stage directions only in a language the view shows.
    pub items: Vec<Spoken<'d>>,
}

impl Paired<'_> {
    /// True when the view shows `lang`.
    pub fn shows(&self, lang: Lang) -> bool {
        self.view.shows(lang)
    }
}

/// One piece of what was said.
#[derive(Debug, Clone, PartialEq)]
pub enum Spoken<'d> {
    /// A segment: the Chinese the view shows (empty when it shows none) and the English that was spoken,
    /// shown or not (it times and cuts a Chinese track too).
    Segment { zh: &'d [Paragraph], en: &'d [Paragraph], timestamp: Option<u32>, line: u32 },
    /// A stage direction (`[music]`, `（笑）`) in a language the view shows.
    Stage { text: &'d str, lang: Lang, line: u32 },
}

/// The paired view of `doc` for `view`. The document's metadata is not part of it: it is the same in
/// every view (`Selected::source`).
pub fn paired(doc: &Document, view: View) -> Paired<'_> {
    let mut items = Vec::new();
    for block in doc.blocks() {
        match block {
            Block::Segment(s) => items.push(Spoken::Segment {
                zh: if view.shows(Lang::Zh) { &s.zh } else { &[] },
                en: &s.en,
                timestamp: s.timestamp,
                line: s.lines.start,
            }),
            Block::StageDirection { text, lines } => {
                let lang = lang_of(text);
                if view.shows(lang) {
                    items.push(Spoken::Stage { text, lang, line: lines.start });
                }
            }
            _ => {}
        }
    }
    Paired { view, items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;
    use crate::script::is_han;

    const SRC: &str = "---\ntitle: 标题\nspeaker: Ada\ntags: [人工智能, AI]\n---\n### 中文标题\n\n你好。\n\n<details>\n<summary>Original English</summary>\n<p class=\"english-text\">Hello.</p>\n</details>\n\n（笑）\n\n[music]\n";

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

    #[test]
    fn an_english_title_from_title_en_else_the_file_name_else_speaker_and_date() {
        let english = "<details>\n<summary>Original English</summary>\n<p class=\"english-text\">We built LLVM, then Swift, and now Mojo. Swift was hard.</p>\n</details>\n";
        let src = format!("---\ntitle: 标题\nspeaker: Chris Lattner\ndate: 2025-06-12\n---\n你好。\n\n{english}");
        let doc = parse_str(&src, "talks/20-chris-lattner-llvm-swift-mojo.md").unwrap().doc;
        assert_eq!(display_title(&doc, View::En), "Chris Lattner: LLVM Swift Mojo");
        assert_eq!(display_title(&doc, View::Zh), "标题");
        let with_en = src.replace("title: 标题\n", "title: 标题\ntitle_en: Compilers for Everyone\n");
        let doc = parse_str(&with_en, "x.md").unwrap().doc;
        assert_eq!(display_title(&doc, View::En), "Compilers for Everyone");
        // A file name in pinyin is not English: the speaker and the date.
        let doc = parse_str(&src, "bianyiqi-de-gushi.md").unwrap().doc;
        assert_eq!(display_title(&doc, View::En), "Chris Lattner, 2025-06-12");
        assert_eq!(display_title(&doc, View::En), display_title(&only(&doc, Lang::En), View::En));
    }

    #[test]
    fn reader_metadata_is_in_the_view_language() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let en = ReaderMeta::of(&doc, View::En, &Archive::default());
        assert_eq!(en.written_title, None);
        assert_eq!(en.tags, ["AI"]);
        assert_eq!(en.people, ["Ada"]);
        let bi = ReaderMeta::of(&doc, View::Bi, &Archive::default());
        assert_eq!(bi.written_title.as_deref(), Some("标题"));
        assert_eq!(bi.tags, ["人工智能", "AI"]);
    }

    #[test]
    fn nothing_is_selected_in_a_missing_language() {
        let doc = parse_str("---\ntitle: 标题\n---\n只有中文。\n", "a.md").unwrap().doc;
        assert!(select(&doc, View::En, &Archive::default()).is_none());
        assert!(select(&doc, View::Zh, &Archive::default()).is_some());
    }

    #[test]
    fn paired_view_keeps_the_spoken_english_and_shown_stage_directions() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let zh = paired(&doc, View::Zh);
        let stages: Vec<&str> = zh
            .items
            .iter()
            .filter_map(|i| if let Spoken::Stage { text, .. } = i { Some(*text) } else { None })
            .collect();
        assert_eq!(stages, ["（笑）"]);
        match &zh.items[0] {
            Spoken::Segment { zh, en, .. } => assert!(!zh.is_empty() && !en.is_empty()),
            other => panic!("{other:?}"),
        }
        let en = paired(&doc, View::En);
        match &en.items[0] {
            Spoken::Segment { zh, en, .. } => assert!(zh.is_empty() && !en.is_empty()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn shared_work_is_made_once_per_view() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let sel = select(&doc, View::Bi, &Archive::default()).unwrap();
        let mut made = 0;
        let a = sel.shared(|| {
            made += 1;
            42u32
        });
        let b = sel.shared(|| 7u32);
        assert_eq!((*a, *b, made), (42, 42, 1));
    }
}
