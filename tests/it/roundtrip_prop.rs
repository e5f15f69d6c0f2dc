//! Property test: any document the grammar below can make survives `write_bi` then `parse` unchanged.
//!
//! The grammar makes documents the way the front end would read them (merged text, trimmed ends), with
//! the characters markdown treats specially (`* _ [ ] < & \ # ` and line-start digits) mixed into the text.

use bitext::emit::{self, WriteOptions};
use bitext::ir::{
    Block, Document, GlossaryTerm, Heading, Inline, Lang, Lines, ListItem, Paragraph, Section, Segment, Speaker,
};
use bitext::parse;
use bitext::select::View;
use proptest::prelude::*;

const ZH: &[&str] =
    &["蜂群在春天分家", "老蜂王带走一半工蜂", "这一步很关键", "温度决定一切", "我们每周检查一次", "结果出乎意料"];
const ZH_PUNCT: &[&str] =
    &["，", "。", "、", "！", "？", "；", "……", "——", "“引号”", " 3.5 倍 ", " R&D ", " a_b ", " [注] ", " 50% "];
const EN: &[&str] =
    &["the colony splits", "in spring", "an old queen leaves", "half the workers", "we check weekly", "results vary"];
const EN_PUNCT: &[&str] = &[
    ", ",
    ". ",
    "; ",
    " & ",
    " Q&A ",
    " snake_case ",
    " [Narrator] ",
    " 2 * 3 ",
    " a < b ",
    " \\o/ ",
    " #1 ",
    " &amp; ",
    " x_ ",
];
const NAMES: &[&str] = &["Ada", "Grace Liu", "主持人", "戴维·乌列维奇"];
const STAGES_ZH: &[&str] = &["（笑）", "（掌声）", "[笑]"];
const STAGES_EN: &[&str] = &["[laughter]", "(Applause)", "[music]"];

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(pool).prop_map(str::to_string)
}

/// Prose: words joined by punctuation, never empty, never starting or ending with a space.
fn prose(lang: Lang) -> impl Strategy<Value = String> {
    let (words, punct) = match lang {
        Lang::Zh => (ZH, ZH_PUNCT),
        Lang::En => (EN, EN_PUNCT),
    };
    proptest::collection::vec((pick(words), pick(punct)), 1..4).prop_map(move |parts| {
        let mut s = String::new();
        for (i, (w, p)) in parts.iter().enumerate() {
            if i > 0 {
                s.push_str(p);
            }
            s.push_str(w);
        }
        s
    })
}

/// Something set apart inside prose.
fn marked(lang: Lang) -> impl Strategy<Value = Inline> {
    let term = match lang {
        Lang::Zh => pick(&["分蜂", "蜂王", "信息素"]).boxed(),
        Lang::En => pick(&["swarming", "queen cell", "brood"]).boxed(),
    };
    let stage = match lang {
        Lang::Zh => pick(STAGES_ZH),
        Lang::En => pick(STAGES_EN),
    };
    prop_oneof![
        term.clone().prop_map(|t| Inline::Strong { content: vec![Inline::text(t)] }),
        term.clone().prop_map(|t| Inline::Emphasis { content: vec![Inline::text(t)] }),
        pick(&["x = 1", "cargo test", "a`b", "<br>"]).prop_map(|c| Inline::Code { code: c }),
        (
            term,
            pick(&["Swarming", "Queen", "Brood Comb"]),
            proptest::option::of(pick(&["蜂群分裂的过程", "the whole colony"]))
        )
            .prop_map(|(t, n, g)| Inline::Glossary(GlossaryTerm { term: Some(t), name: Some(n), gloss: g })),
        stage.prop_map(|s| Inline::Stage { text: s }),
        Just(Inline::LineBreak),
        Just(Inline::Turn),
    ]
}

/// What markdown would read as block syntax at the start of a line.
const LINE_STARTS: &[&str] = &["1. ", "- ", "# ", "+ ", "> ", "= ", "2) ", "* ", "--- "];

/// Paragraph content: prose (maybe opening with block syntax), then pairs of (marked, prose).
fn content(lang: Lang) -> impl Strategy<Value = Vec<Inline>> {
    let opening = proptest::option::weighted(0.2, pick(LINE_STARTS));
    (opening, prose(lang), proptest::collection::vec((marked(lang), prose(lang)), 0..3)).prop_map(
        move |(start, first, rest)| {
            let mut out = vec![Inline::text(format!("{}{first}", start.unwrap_or_default()))];
            for (m, p) in rest {
                // Spaces around marks in English, as writers of English put them.
                let (before, after) = match (&m, lang) {
                    (Inline::Turn, _) => (" ", " "),
                    (_, Lang::En) => (" ", " "),
                    _ => ("", ""),
                };
                if let Some(Inline::Text { text }) = out.last_mut() {
                    text.push_str(before);
                }
                out.push(m);
                out.push(Inline::text(format!("{after}{p}")));
            }
            out
        },
    )
}

fn speaker() -> impl Strategy<Value = Option<Speaker>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(Speaker::Turn)),
        2 => pick(NAMES).prop_map(|n| Some(Speaker::Named(n))),
    ]
}

fn paragraph(lang: Lang) -> impl Strategy<Value = Paragraph> {
    (speaker(), content(lang)).prop_map(|(speaker, content)| Paragraph { speaker, list: None, content })
}

/// The Chinese side: paragraphs, or one list.
fn zh_side() -> impl Strategy<Value = Vec<Paragraph>> {
    prop_oneof![
        3 => proptest::collection::vec(paragraph(Lang::Zh), 1..3),
        1 => (proptest::collection::vec(content(Lang::Zh), 1..4), proptest::option::of(1u64..4)).prop_map(|(items, start)| {
            items
                .into_iter()
                .enumerate()
                .map(|(i, content)| Paragraph {
                    speaker: None,
                    list: Some(ListItem { number: start.map(|s| s + i as u64), depth: 0 }),
                    content,
                })
                .collect()
        }),
    ]
}

fn segment() -> impl Strategy<Value = Block> {
    (zh_side(), proptest::collection::vec(paragraph(Lang::En), 1..3), proptest::option::of(0u32..20_000))
        .prop_map(|(zh, en, timestamp)| Block::Segment(Segment { zh, en, timestamp, lines: Lines::default() }))
}

fn section(first: bool) -> impl Strategy<Value = Section> {
    let heading =
        (1u8..4, prop_oneof![prose(Lang::Zh).prop_map(|t| (t, Lang::Zh)), pick(EN).prop_map(|t| (t, Lang::En))])
            .prop_map(|(level, (text, lang))| Heading {
                level,
                content: vec![Inline::text(text)],
                lang,
                lines: Lines::default(),
            });
    let heading = if first { proptest::option::of(heading).boxed() } else { heading.prop_map(Some).boxed() };
    (heading, proptest::collection::vec(segment(), 1..4), proptest::option::of(pick(STAGES_EN))).prop_map(
        |(heading, mut blocks, stage)| {
            if let Some(text) = stage {
                blocks.push(Block::StageDirection { text, lines: Lines::default() });
            }
            Section { heading, blocks }
        },
    )
}

fn document() -> impl Strategy<Value = Document> {
    (section(true), proptest::collection::vec(section(false), 0..3)).prop_map(|(first, rest)| {
        let mut doc = parse::parse_str("---\ntitle: 生成的文档\n---\n", "gen.md").unwrap().doc;
        doc.sections = std::iter::once(first).chain(rest).collect();
        doc
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_of_write_bi_is_identity(doc in document()) {
        let md = emit::find("md").unwrap();
        let rendered = emit::render(md, &doc, View::Bi, &WriteOptions::default()).unwrap();
        let written = String::from_utf8(rendered.expect("bilingual output always has content").bytes).unwrap();
        let parsed = parse::parse_str(&written, "gen.md").unwrap();
        prop_assert_eq!(parsed.doc.without_positions(), doc, "written:\n{}", written);
    }
}
