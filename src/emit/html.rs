//! The HTML renderer every HTML output shares: one document's title page, sections, segments in their
//! languages, speakers once per turn, glossary terms as footnotes and timestamps into the video. EPUB
//! chapters (XHTML, one page per section, `epub:type` semantics) and website pages (HTML5, one page per
//! transcript with a language switch) are thin wrappers around it, as pandoc's EPUB writer is around its
//! HTML writer; the only differences are the `Flavor`'s.
//!
//! Every piece of text goes through `escape`, which also drops the characters XML 1.0 forbids; no HTML
//! from the source is ever copied through (raw blocks are left out, inline HTML was already text).

use crate::emit::clock::hms;
use crate::emit::contents::{excerpt, is_short_opening, section_label};
use crate::emit::turns::{label_colon, TurnMark, Turns};
use crate::ir::{full_width_colons, plain_text, Block, Document, GlossaryTerm, Inline, Lang, Paragraph, Section};
use crate::script::{has_han, lang_of};
use crate::select::{display_title, Selected, View};
use std::fmt::Write as _;

/// Which markup the renderer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// XHTML content documents of an EPUB: `epub:type` beside the ARIA roles, `xml:lang` beside `lang`,
    /// labels in the book's language.
    Epub,
    /// HTML5 pages of a website: ARIA roles only, and labels and headings in both languages, each marked
    /// with its language (`ui-zh`, `ui-en`) so that the page's language switch can show one.
    Web,
}

/// An XHTML content document of the book.
pub(crate) struct Page {
    /// Path inside `OEBPS/`, e.g. `text/s001.xhtml`.
    pub href: String,
    pub xhtml: String,
}

/// A table-of-contents entry; `level` 0 is the top.
#[derive(Debug, Clone)]
pub(crate) struct NavEntry {
    pub level: usize,
    pub label: String,
    pub href: String,
}

/// A glossary term as the book's glossary lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GlossaryEntry {
    pub term: String,
    pub name: Option<String>,
    pub gloss: Option<String>,
    pub lang: Lang,
}

/// One document as the content of one web page.
pub(crate) struct WebDoc {
    /// The title section, the contents, then every section (with its id and its footnotes).
    pub body: String,
    /// The title as the page's `<title>`.
    pub title: String,
}

/// What rendering one document gives the book.
pub(crate) struct RenderedDoc {
    pub pages: Vec<Page>,
    pub nav: Vec<NavEntry>,
    pub glossary: Vec<GlossaryEntry>,
}

/// Escape text for XHTML, dropping characters XML 1.0 does not allow.
pub(crate) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' || c == '\u{7f}' => {}
            c => out.push(c),
        }
    }
}

pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape(text, &mut out);
    out
}

/// A whole XHTML page around `body`.
pub(crate) fn page(lang: &str, title: &str, css_href: &str, body_class: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    let _ = write!(
        out,
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
         <head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"{css_href}\"/>\n</head>\n\
         <body class=\"{body_class}\">\n",
        escaped(title)
    );
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// The language tag of a book made for `view`.
pub(crate) fn book_lang(view: View) -> &'static str {
    view.main_lang().bcp47()
}

/// The body class that themes key on.
pub(crate) fn body_class(view: View) -> &'static str {
    match view {
        View::Bi => "book-bi",
        View::Zh => "book-zh",
        View::En => "book-en",
    }
}

/// Labels of the title page, in the book's language.
struct Labels {
    tags: &'static str,
    people: &'static str,
    companies: &'static str,
    products: &'static str,
    media: &'static str,
    source: &'static str,
    glossary: &'static str,
}

fn labels(view: View) -> Labels {
    match view {
        View::En => Labels {
            tags: "Tags",
            people: "People",
            companies: "Organisations",
            products: "Products and models",
            media: "Books and media",
            source: "Source",
            glossary: "Glossary",
        },
        _ => Labels {
            tags: "标签",
            people: "人物",
            companies: "公司与机构",
            products: "产品与模型",
            media: "书籍与媒体",
            source: "来源",
            glossary: "术语表",
        },
    }
}

pub(crate) fn glossary_title(view: View) -> &'static str {
    labels(view).glossary
}

/// Renders one document. `prefix` keeps file names and ids unique inside an anthology; `level` is the nav
/// level of the document's title page.
pub(crate) struct DocRenderer<'d> {
    selected: &'d Selected<'d>,
    doc: &'d Document,
    view: View,
    prefix: String,
    level: usize,
    css_href: &'static str,
    notes: Vec<String>,
    note_count: usize,
    glossary: Vec<GlossaryEntry>,
    turns: Turns,
    /// The highest (smallest) heading level of the document: it becomes `<h2>`, under the title's `<h1>`.
    top_heading: u8,
    flavor: Flavor,
}

impl<'d> DocRenderer<'d> {
    pub fn new(selected: &'d Selected<'d>, prefix: &str, level: usize, flavor: Flavor) -> Self {
        let doc = selected.document();
        let top_heading = doc.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| h.level).min().unwrap_or(1);
        DocRenderer {
            top_heading,
            selected,
            doc,
            view: selected.view,
            prefix: prefix.to_string(),
            level,
            css_href: "../style.css",
            notes: Vec::new(),
            note_count: 0,
            glossary: Vec::new(),
            turns: Turns::default(),
            flavor,
        }
    }

    /// ` lang="…"` (and in XHTML ` xml:lang="…"`) where a block's language differs from the book's, and
    /// on every block of a bilingual one.
    fn lang_attr(&self, lang: Lang) -> String {
        match self.flavor {
            Flavor::Epub => lang_attr(lang, self.view),
            Flavor::Web => format!(" lang=\"{}\"", lang.bcp47()),
        }
    }

    /// ` epub:type="…"` in XHTML, nothing on the web.
    fn epub_type(&self, kind: &str) -> String {
        match self.flavor {
            Flavor::Epub => format!(" epub:type=\"{kind}\""),
            Flavor::Web => String::new(),
        }
    }

    /// A label of the title page: in XHTML in the book's language; on the web in both, marked.
    fn label(&self, zh: &str, en: &str) -> String {
        match (self.flavor, self.view) {
            (Flavor::Web, View::Bi) => {
                format!(
                    "<span class=\"ui-zh\" lang=\"zh-Hans\">{zh}</span><span class=\"ui-en\" lang=\"en\">{en}</span>"
                )
            }
            (_, View::En) => en.to_string(),
            _ => zh.to_string(),
        }
    }

    fn line_break(&self) -> &'static str {
        match self.flavor {
            Flavor::Epub => "<br/>",
            Flavor::Web => "<br>",
        }
    }

    /// Render every page, collected: for a chapter of an anthology, rendered on one thread and added to
    /// the book on another.
    pub fn render(self) -> RenderedDoc {
        let mut pages = Vec::new();
        let Ok(mut rendered) = self.render_into(|page| {
            pages.push(page);
            Ok::<(), std::convert::Infallible>(())
        });
        rendered.pages = pages;
        rendered
    }

    /// Render every page and hand each to `add` as soon as it is made, so that a long transcript is never
    /// whole in memory as XHTML; the table of contents and glossary come back (with no pages).
    pub fn render_into<E>(mut self, mut add: impl FnMut(Page) -> Result<(), E>) -> Result<RenderedDoc, E> {
        let mut nav = Vec::new();
        let title = self.selected.reader.title.clone();
        let title_href = format!("text/{}title.xhtml", self.prefix);
        add(Page { href: title_href.clone(), xhtml: self.title_page(&title) })?;
        nav.push(NavEntry { level: self.level, label: title.clone(), href: title_href });
        // One page per section, except that a section with nothing under its heading shares the page of
        // the section after it: no page holds a lone heading, and a file of bare headings makes few pages.
        // A short opening before the first heading (a sentence of thanks) shares it too, and has no
        // contents entry of its own: it is not a chapter to name.
        let mut number = 0;
        // The page being filled: its file, its title (`None` while only an opening is on it), its body.
        let mut open: Option<(String, Option<String>, String)> = None;
        for (k, section) in self.doc.sections.iter().enumerate() {
            if section.blocks.is_empty() && section.heading.is_none() {
                continue;
            }
            let depth = section.heading.as_ref().map_or(0, |h| self.depth(h.level));
            let opening = number == 0 && open.is_none() && is_short_opening(section, &self.doc.sections[k + 1..]);
            let (href, label, body) = match open.take() {
                None => {
                    number += 1;
                    let href = format!("text/{}s{number:03}.xhtml", self.prefix);
                    let label = section_label(section, number, self.view);
                    let body = self.section(section, &label, None);
                    if !opening {
                        nav.push(NavEntry { level: self.level + 1 + depth, label: label.clone(), href: href.clone() });
                    }
                    (href, (!opening).then_some(label), body)
                }
                Some((href, first_label, mut body)) => {
                    let id = format!("{}h{k}", self.prefix);
                    let label = section_label(section, number, self.view);
                    body.push_str(&self.section(section, &label, Some(&id)));
                    let target = if first_label.is_some() { format!("{href}#{id}") } else { href.clone() };
                    nav.push(NavEntry { level: self.level + 1 + depth, label: label.clone(), href: target });
                    (href, first_label.or(Some(label)), body)
                }
            };
            if section.blocks.is_empty() || opening {
                open = Some((href, label, body));
            } else {
                let label = label.unwrap_or_else(|| section_label(section, number, self.view));
                add(self.section_page(href, &label, &body))?;
            }
        }
        if let Some((href, label, body)) = open {
            let label = label.unwrap_or_else(|| title.clone());
            if !nav.iter().any(|n| n.href == href) {
                nav.push(NavEntry { level: self.level + 1, label: label.clone(), href: href.clone() });
            }
            add(self.section_page(href, &label, &body))?;
        }
        Ok(RenderedDoc { pages: Vec::new(), nav, glossary: self.glossary })
    }

    /// The whole document as one web page's content: the title section, a list of contents linking to
    /// the sections with headings, and every section with an id (`s1`, `s2`…), its footnotes after it.
    pub fn render_web(mut self) -> WebDoc {
        let title = self.selected.reader.title.clone();
        let mut b = self.title_section(&title);
        let mut contents = String::new();
        let mut sections = String::new();
        let mut number = 0;
        for section in &self.doc.sections {
            if section.blocks.is_empty() && section.heading.is_none() {
                continue;
            }
            number += 1;
            let id = format!("s{number}");
            let label = section_label(section, number, self.view);
            if let Some(h) = &section.heading {
                let depth = self.depth(h.level);
                let english = (h.lang == Lang::Zh && self.view == View::Bi)
                    .then(|| english_label(section).unwrap_or_else(|| format!("Section {number}")));
                let shown = match english {
                    Some(en) => self.label(&escaped(&label), &escaped(&en)),
                    None => escaped(&label),
                };
                let _ = writeln!(contents, "<li class=\"depth{depth}\"><a href=\"#{id}\">{shown}</a></li>");
            }
            sections.push_str(&self.section(section, &label, Some(&id)));
        }
        if !contents.is_empty() {
            let heading = self.label("目录", "Contents");
            let _ = write!(b, "<nav class=\"contents\" aria-labelledby=\"contents-h\">\n<h2 id=\"contents-h\">{heading}</h2>\n<ol>\n{contents}</ol>\n</nav>\n");
        }
        b.push_str(&sections);
        WebDoc { body: b, title }
    }

    fn section_page(&self, href: String, label: &str, body: &str) -> Page {
        Page { href, xhtml: page(book_lang(self.view), label, self.css_href, body_class(self.view), body) }
    }

    /// How far below the document's top heading level a heading is (0, 1 or 2).
    fn depth(&self, level: u8) -> usize {
        level.saturating_sub(self.top_heading).min(2) as usize
    }

    fn title_page(&mut self, title: &str) -> String {
        let body = self.title_section(title);
        page(book_lang(self.view), title, self.css_href, body_class(self.view), &body)
    }

    /// The title page's content: title, people, date, edition, source, summary and the lists.
    fn title_section(&self, title: &str) -> String {
        let meta = &self.selected.source().meta;
        let reader = &self.selected.reader;
        let view = self.view;
        let (zh, en) = (labels(View::Zh), labels(View::En));
        let mut b = String::new();
        let _ = writeln!(b, "<section class=\"titlepage\"{}>", self.epub_type("titlepage"));
        let english_title = display_title(self.selected.source(), View::En);
        if self.flavor == Flavor::Web && view == View::Bi && english_title != title {
            let _ = writeln!(
                b,
                "<h1><span class=\"ui-zh\" lang=\"{}\">{}</span><span class=\"ui-en\" lang=\"en\">{}</span></h1>",
                lang_of(title).bcp47(),
                escaped(title),
                escaped(&english_title)
            );
        } else {
            let _ = writeln!(b, "<h1>{}</h1>", escaped(title));
        }
        if !reader.people.is_empty() {
            let names: Vec<String> = reader.people.iter().map(|p| escaped(p)).collect();
            let _ = writeln!(b, "<p class=\"byline\">{}</p>", names.join(" · "));
        }
        if let Some(date) = &meta.date {
            let _ = writeln!(b, "<p class=\"date\">{}</p>", escaped(date));
        }
        if self.flavor == Flavor::Epub {
            let _ = writeln!(b, "<p class=\"edition\">{}</p>", escaped(&reader.edition));
        }
        if let Some(src) = meta.source.as_deref().filter(|s| is_web_link(s)) {
            let label = match (self.flavor, view) {
                (Flavor::Web, View::Bi) => self.label("来源：", "Source: "),
                (_, View::En) => format!("{}{}", en.source, label_colon(Lang::En)),
                _ => format!("{}{}", zh.source, label_colon(Lang::Zh)),
            };
            let _ = writeln!(b, "<p class=\"source\">{label}<a href=\"{}\">{}</a></p>", escaped(src), escaped(src));
        }
        if let Some(summary) = reader.summary.as_deref() {
            let lang = lang_of(summary);
            let class =
                if self.flavor == Flavor::Web { format!("summary {}", lang_class(lang)) } else { "summary".into() };
            let _ = writeln!(b, "<div class=\"{class}\"{}>\n<p>{}</p>\n</div>", self.lang_attr(lang), escaped(summary));
        }
        if let Some(english) = meta.summary_en.as_deref().filter(|_| self.flavor == Flavor::Web && view == View::Bi) {
            let _ = writeln!(b, "<div class=\"summary en\" lang=\"en\">\n<p>{}</p>\n</div>", escaped(english));
        }
        let lists = [
            ((zh.tags, en.tags), &reader.tags),
            ((zh.people, en.people), &reader.people_named),
            ((zh.companies, en.companies), &reader.companies),
            ((zh.products, en.products), &reader.products),
            ((zh.media, en.media), &reader.media),
        ];
        let mut facts = String::new();
        for ((zh_label, en_label), items) in lists {
            if !items.is_empty() {
                let items: Vec<String> = items.iter().map(|i| escaped(i)).collect();
                let comma = if view == View::En { ", " } else { "、" };
                let _ = writeln!(facts, "<dt>{}</dt>\n<dd>{}</dd>", self.label(zh_label, en_label), items.join(comma));
            }
        }
        if !facts.is_empty() {
            let _ = writeln!(b, "<dl class=\"facts\">\n{facts}</dl>");
        }
        b.push_str("</section>\n");
        b
    }

    /// A section as XHTML; `id` when it does not start its page, so the table of contents can point at it.
    fn section(&mut self, section: &Section, label: &str, id: Option<&str>) -> String {
        let mut b = String::new();
        b.push_str("<section");
        if let Some(id) = id {
            let _ = write!(b, " id=\"{id}\"");
        }
        let _ = write!(b, "{} role=\"doc-chapter\"", self.epub_type("chapter"));
        match &section.heading {
            Some(h) if self.flavor == Flavor::Web && h.lang == Lang::Zh && self.view == View::Bi => {
                // On the web a Chinese heading has an English one beside it, for the English reading.
                let level = 2 + self.depth(h.level);
                let _ = write!(b, ">\n<h{level}><span class=\"ui-zh\" lang=\"zh-Hans\">");
                self.inlines(&h.content, h.lang, &mut b);
                let english = english_label(section).unwrap_or_else(|| label.to_string());
                let _ = writeln!(b, "</span><span class=\"ui-en\" lang=\"en\">{}</span></h{level}>", escaped(&english));
            }
            Some(h) => {
                let level = 2 + self.depth(h.level);
                let _ = write!(b, ">\n<h{level}{}>", self.lang_attr(h.lang));
                self.inlines(&h.content, h.lang, &mut b);
                let _ = writeln!(b, "</h{level}>");
            }
            None => {
                let _ = writeln!(b, " aria-label=\"{}\">", escaped(label));
            }
        }
        for block in &section.blocks {
            self.block(block, &mut b);
        }
        for note in std::mem::take(&mut self.notes) {
            b.push_str(&note);
        }
        b.push_str("</section>\n");
        b
    }

    fn block(&mut self, block: &Block, b: &mut String) {
        match block {
            Block::Segment(s) => {
                b.push_str("<div class=\"segment\">\n");
                // The timing anchor goes with the English, where the source put it, or with the Chinese
                // when the English is absent.
                let zh_time = if s.en.is_empty() { s.timestamp } else { None };
                if !s.zh.is_empty() {
                    self.side(&s.zh, Lang::Zh, zh_time, b);
                }
                if !s.en.is_empty() {
                    self.side(&s.en, Lang::En, s.timestamp, b);
                }
                b.push_str("</div>\n");
            }
            Block::StageDirection { text, .. } => {
                let lang = lang_of(text);
                let class = match self.flavor {
                    Flavor::Epub => "stage",
                    Flavor::Web if lang == Lang::Zh => "stage zh",
                    Flavor::Web => "stage en",
                };
                let _ = writeln!(b, "<p class=\"{class}\"{}>{}</p>", self.lang_attr(lang), escaped(text));
            }
            Block::Quote { paragraphs, .. } => {
                b.push_str("<blockquote>\n");
                for p in paragraphs {
                    let lang = lang_of(&plain_text(&p.content, Lang::Zh));
                    let _ = write!(b, "<p{}>", self.lang_attr(lang));
                    self.inlines(&p.content, lang, b);
                    b.push_str("</p>\n");
                }
                b.push_str("</blockquote>\n");
            }
            Block::Code { text, .. } => {
                let _ = writeln!(b, "<pre><code>{}</code></pre>", escaped(text.trim_end_matches('\n')));
            }
            Block::ThematicBreak { .. } => b.push_str(match self.flavor {
                Flavor::Epub => "<hr class=\"section-break\"/>\n",
                Flavor::Web => "<hr class=\"section-break\">\n",
            }),
            Block::Raw { .. } => {}
        }
    }

    /// One language of a segment: a block with its language, paragraphs and list items inside.
    fn side(&mut self, side: &[Paragraph], lang: Lang, timestamp: Option<u32>, b: &mut String) {
        let class = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        let _ = writeln!(b, "<div class=\"{class}\"{}>", self.lang_attr(lang));
        let mut open_list: Option<&'static str> = None;
        for p in side {
            let wants = p.list.map(|l| if l.number.is_some() { "ol" } else { "ul" });
            if open_list != wants {
                if let Some(tag) = open_list {
                    let _ = writeln!(b, "</{tag}>");
                }
                if let Some(tag) = wants {
                    match p.list.and_then(|l| l.number) {
                        Some(n) if n != 1 => {
                            let _ = writeln!(b, "<{tag} start=\"{n}\">");
                        }
                        _ => {
                            let _ = writeln!(b, "<{tag}>");
                        }
                    }
                }
                open_list = wants;
            }
            b.push_str(if open_list.is_some() { "<li>" } else { "<p>" });
            self.speaker(p, lang, b);
            self.inlines(&p.content, lang, b);
            if let Some(t) = timestamp.filter(|_| std::ptr::eq(p, &side[0])) {
                self.timestamp(t, b);
            }
            b.push_str(if open_list.is_some() { "</li>\n" } else { "</p>\n" });
        }
        if let Some(tag) = open_list {
            let _ = writeln!(b, "</{tag}>");
        }
        b.push_str("</div>\n");
    }

    /// `[hh:mm:ss]`, a link into the video when the source is a YouTube page.
    fn timestamp(&self, seconds: u32, b: &mut String) {
        let clock = format!("[{}]", hms(seconds));
        let video = self.doc.meta.source.as_deref().filter(|s| {
            is_web_link(s) && (s.contains("youtube.com/watch?") || s.contains("youtu.be/")) && !s.contains('#')
        });
        match video {
            Some(url) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                let href = escaped(&format!("{url}{sep}t={seconds}s"));
                let _ = write!(b, " <a class=\"timestamp\" href=\"{href}\">{clock}</a>");
            }
            None => {
                let _ = write!(b, " <span class=\"timestamp\">{clock}</span>");
            }
        }
    }

    /// The speaker label, shown once per turn.
    fn speaker(&mut self, p: &Paragraph, lang: Lang, b: &mut String) {
        match self.turns.mark(p.speaker.as_ref(), lang) {
            TurnMark::Name(name) => {
                let _ = write!(b, "<span class=\"speaker\">{}{}</span>", escaped(name), label_colon(lang));
            }
            TurnMark::Change => b.push_str("<span class=\"turn\">— </span>"),
            TurnMark::Nothing => {}
        }
    }

    fn inlines(&mut self, content: &[Inline], lang: Lang, b: &mut String) {
        for inline in content {
            match inline {
                Inline::Text { text } => escape(text, b),
                Inline::Strong { content } => {
                    b.push_str("<strong>");
                    self.inlines(content, lang, b);
                    b.push_str("</strong>");
                }
                Inline::Emphasis { content } => {
                    b.push_str("<em>");
                    self.inlines(content, lang, b);
                    b.push_str("</em>");
                }
                Inline::Code { code } => {
                    b.push_str("<code>");
                    escape(code, b);
                    b.push_str("</code>");
                }
                Inline::Link { url, content } if is_web_link(url) => {
                    let _ = write!(b, "<a href=\"{}\">", escaped(url));
                    self.inlines(content, lang, b);
                    b.push_str("</a>");
                }
                Inline::Link { content, .. } => self.inlines(content, lang, b),
                Inline::LineBreak => b.push_str(self.line_break()),
                Inline::Turn => b.push_str("<span class=\"turn\">—</span>"),
                Inline::Stage { text } => {
                    b.push_str("<span class=\"stage\">");
                    escape(text, b);
                    b.push_str("</span>");
                }
                Inline::Glossary(g) => self.glossary_term(g, lang, b),
            }
        }
    }

    /// The term in bold, then a note reference to a footnote at the end of the page.
    fn glossary_term(&mut self, g: &GlossaryTerm, lang: Lang, b: &mut String) {
        if let Some(term) = &g.term {
            b.push_str("<span class=\"term\">");
            escape(term, b);
            b.push_str("</span>");
        }
        let Some(note) = g.footnote(lang) else { return };
        self.note_count += 1;
        let n = self.note_count;
        let id = format!("{}fn{n}", self.prefix);
        let _ = write!(
            b,
            "<a class=\"noteref\"{} role=\"doc-noteref\" href=\"#{id}\" id=\"{id}-ref\">{n}</a>",
            self.epub_type("noteref")
        );
        let class = match self.flavor {
            Flavor::Epub => "footnote".to_string(),
            Flavor::Web => format!("footnote {}", lang_class(lang)),
        };
        let mut aside =
            format!("<aside class=\"{class}\"{} role=\"doc-footnote\" id=\"{id}\"", self.epub_type("footnote"));
        aside.push_str(&self.lang_attr(lang));
        aside.push_str("><p>");
        let _ = write!(aside, "<a href=\"#{id}-ref\">{n}</a> ");
        if let Some(term) = &g.term {
            let _ = write!(aside, "<strong>{}</strong>", escaped(term));
        }
        escape(&note, &mut aside);
        aside.push_str("</p></aside>\n");
        self.notes.push(aside);
        let term = g.term.clone().or_else(|| g.name.clone()).unwrap_or_default();
        let entry = GlossaryEntry { term, name: g.name.clone(), gloss: g.gloss.clone(), lang };
        if !self.glossary.iter().any(|e| e.term == entry.term) {
            self.glossary.push(entry);
        }
    }
}

/// ` lang="en" xml:lang="en"` where a block's language differs from the book's, and on every block of a
/// bilingual book.
pub(crate) fn lang_attr(lang: Lang, view: View) -> String {
    if view == View::Bi || lang != view.main_lang() {
        format!(" lang=\"{0}\" xml:lang=\"{0}\"", lang.bcp47())
    } else {
        String::new()
    }
}

/// The class of a block in `lang`, which a website's language switch shows or hides.
fn lang_class(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// What a section without an English heading is called in English: its first English words.
fn english_label(section: &Section) -> Option<String> {
    section.blocks.iter().find_map(|b| match b {
        Block::Segment(s) => s.en.first().map(|p| excerpt(&plain_text(&p.content, Lang::En), Lang::En)),
        _ => None,
    })
}

pub(crate) fn is_web_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:"))
        && !url.contains(char::is_whitespace)
}

/// The glossary page of a book.
/// A term with its other-language name in the term's punctuation: `可解释性（Interpretability）`,
/// `prefill (预填充)`.
fn with_name(term: &str, name: &str) -> String {
    if has_han(term) {
        format!("{term}（{name}）")
    } else {
        format!("{term} ({name})")
    }
}

pub(crate) fn glossary_page(entries: &[(Option<String>, Vec<GlossaryEntry>)], view: View) -> String {
    let title = glossary_title(view);
    let mut b = String::new();
    let _ = writeln!(b, "<section epub:type=\"glossary\" role=\"doc-glossary\">\n<h1>{title}</h1>");
    for (group, items) in entries {
        if items.is_empty() {
            continue;
        }
        if let Some(g) = group {
            let _ = writeln!(b, "<h2>{}</h2>", escaped(g));
        }
        b.push_str("<dl class=\"glossary\">\n");
        for e in items {
            // The term with its other-language name, then the gloss: `可解释性（Interpretability）` / `指…`.
            let (dt, dd) = match (e.name.as_deref().filter(|n| *n != e.term), &e.gloss) {
                (Some(name), Some(gloss)) => (with_name(&e.term, name), gloss.clone()),
                (None, Some(gloss)) => (e.term.clone(), gloss.clone()),
                (Some(name), None) => (e.term.clone(), name.to_string()),
                (None, None) => continue,
            };
            let _ = writeln!(b, "<dt{}>{}</dt>", lang_attr(lang_of(&e.term), view), escaped(&dt));
            let dd = if has_han(&dd) { full_width_colons(&dd) } else { dd };
            let _ = writeln!(b, "<dd{}>{}</dd>", lang_attr(lang_of(&dd), view), escaped(&dd));
        }
        b.push_str("</dl>\n");
    }
    b.push_str("</section>\n");
    page(book_lang(view), title, "../style.css", body_class(view), &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_drops_characters_xml_forbids() {
        assert_eq!(escaped("a<b>&\"c\u{1}\u{b}d]]>"), "a&lt;b&gt;&amp;&quot;cd]]&gt;");
    }
}
