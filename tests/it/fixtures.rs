//! One fixture per quirk of the format, each with the facts it must produce.

use crate::support::fixtures_dir;
use bitext::diag::Diagnostic;
use bitext::ir::{plain_text, Block, Document, GlossaryTerm, Inline, Lang, Segment, Speaker};
use bitext::parse;

fn read(name: &str) -> (Document, Vec<Diagnostic>) {
    let path = fixtures_dir().join(name);
    let bytes = std::fs::read(&path).unwrap();
    let parsed = parse::parse(&bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    (parsed.doc, parsed.diagnostics)
}

fn segments(doc: &Document) -> Vec<&Segment> {
    doc.segments().collect()
}

fn text(side: &[bitext::ir::Paragraph], lang: Lang) -> String {
    side.iter().map(|p| plain_text(&p.content, lang)).collect::<Vec<_>>().join("\n")
}

fn named(s: &str) -> Option<Speaker> {
    Some(Speaker::Named(s.into()))
}

fn warned(diags: &[Diagnostic], needle: &str) -> Vec<u32> {
    diags.iter().filter(|d| d.message.contains(needle)).map(|d| d.line).collect()
}

/// Every segment has both languages and the file raised no warning.
fn assert_clean_pairs(name: &str, expected_segments: usize) -> Document {
    let (doc, diags) = read(name);
    assert!(diags.is_empty(), "{name}: unexpected diagnostics {diags:#?}");
    let segs = segments(&doc);
    assert_eq!(segs.len(), expected_segments, "{name}");
    for s in segs {
        assert!(!s.zh.is_empty() && !s.en.is_empty(), "{name}: unpaired segment at line {}", s.lines.start);
    }
    doc
}

#[test]
fn details_without_blank_line() {
    let doc = assert_clean_pairs("details_without_blank_line.md", 3);
    assert_eq!(text(&segments(&doc)[0].en, Lang::En), "Tracking is the horizontal space between letters.");
}

#[test]
fn several_zh_paragraphs_per_details() {
    let doc = assert_clean_pairs("several_zh_paragraphs_per_details.md", 3);
    let counts: Vec<_> = segments(&doc).iter().map(|s| (s.zh.len(), s.en.len())).collect();
    assert_eq!(counts, [(3, 1), (2, 1), (1, 1)]);
}

#[test]
fn several_p_in_one_details() {
    let doc = assert_clean_pairs("several_p_in_one_details.md", 3);
    assert_eq!(segments(&doc)[0].en.len(), 2);
    assert_eq!(segments(&doc)[1].en.len(), 2);
}

#[test]
fn p_with_blank_lines_inside() {
    let doc = assert_clean_pairs("p_with_blank_lines_inside.md", 3);
    let first = segments(&doc)[0];
    assert_eq!(first.en.len(), 4);
    let speakers: Vec<_> = first.en.iter().map(|p| p.speaker.clone()).collect();
    assert_eq!(speakers, [named("Host"), named("Rosa Mendes"), named("Host"), named("Rosa Mendes")]);
    assert_eq!(first.zh[1].speaker, named("Rosa Mendes"));
}

#[test]
fn br_and_entities() {
    let doc = assert_clean_pairs("br_and_entities.md", 4);
    let segs = segments(&doc);
    assert!(segs[0].en[0].content.contains(&Inline::LineBreak));
    assert!(segs[1].en[0].content.contains(&Inline::Turn), "&gt;&gt; is a speaker change");
    let en = text(&segs[1].en, Lang::En);
    assert!(en.contains("R&D"), "{en}");
    assert!(text(&segs[3].en, Lang::En).contains("crème brûlée"));
}

#[test]
fn malformed_summary() {
    let (doc, diags) = read("malformed_summary.md");
    let segs = segments(&doc);
    assert_eq!(segs.len(), 4);
    assert!(segs.iter().all(|s| !s.zh.is_empty() && !s.en.is_empty()), "the stray <p> joins its Chinese");
    assert_eq!(warned(&diags, "closed with </p>").len(), 2);
    assert_eq!(warned(&diags, "stray </details>").len(), 1);
    assert_eq!(warned(&diags, "outside <details>").len(), 1);
}

#[test]
fn summary_variants() {
    assert_clean_pairs("summary_variants.md", 4);
}

#[test]
fn markdown_details() {
    let doc = assert_clean_pairs("markdown_details.md", 4);
    let s = segments(&doc)[0];
    assert_eq!(s.en[0].speaker, named("Ingrid Solberg"));
    assert_eq!(s.zh[0].speaker, named("英格丽·索尔贝格"));
}

#[test]
fn raw_text_details() {
    assert_clean_pairs("raw_text_details.md", 3);
}

#[test]
fn english_then_chinese() {
    let doc = assert_clean_pairs("english_then_chinese.md", 5);
    let s = segments(&doc)[0];
    assert_eq!(s.en[0].speaker, named("Sam Whitfield"));
    assert_eq!(s.zh[0].speaker, named("萨姆·惠特菲尔德"));
    assert!(doc.meta.date.is_some(), "unquoted dates are read as text");
}

#[test]
fn same_paragraph_pairs() {
    let doc = assert_clean_pairs("same_paragraph_pairs.md", 5);
    assert!(doc.sections.iter().filter_map(|s| s.heading.as_ref()).all(|h| h.lang == Lang::En));
    let s = segments(&doc)[0];
    assert!(text(&s.en, Lang::En).starts_with("Hi, I'm Nora"));
    assert!(!text(&s.en, Lang::En).chars().any(bitext::script::is_han));
}

#[test]
fn timestamps() {
    let doc = assert_clean_pairs("timestamps.md", 4);
    let times: Vec<_> = segments(&doc).iter().map(|s| s.timestamp).collect();
    assert_eq!(times, [Some(4), Some(12), Some(65), Some(79)]);
    assert!(!text(&segments(&doc)[0].en, Lang::En).contains('['));
}

#[test]
fn chinese_only() {
    let (doc, diags) = read("chinese_only.md");
    assert!(diags.is_empty(), "{diags:#?}");
    assert!(!doc.has_lang(Lang::En));
    let numbers: Vec<_> = doc.segments().filter_map(|s| s.zh[0].list.map(|l| l.number)).collect();
    assert_eq!(numbers, [Some(1), Some(2), Some(3)]);
    assert!(doc.segments().any(|s| s.zh[0].content.iter().any(|i| matches!(i, Inline::Code { .. }))));
}

#[test]
fn speaker_labels() {
    let doc = assert_clean_pairs("speaker_labels.md", 7);
    let zh: Vec<_> = segments(&doc).iter().map(|s| s.zh[0].speaker.clone()).collect();
    assert_eq!(
        zh,
        [
            named("Grace Liu"),
            named("欧文·布莱克"),
            named("主持人"),
            named("Ada Lovelace"),
            named("主持人"),
            named("问"),
            named("答")
        ]
    );
    let en: Vec<_> = segments(&doc).iter().map(|s| s.en[0].speaker.clone()).collect();
    assert_eq!(en[3], named("Ada Lovelace"));
    assert_eq!(en[4], named("Host"));
    assert_eq!(en[5], named("Q"));
}

#[test]
fn blockquote_speaker_changes() {
    let doc = assert_clean_pairs("blockquote_speaker_changes.md", 4);
    assert!(!doc.blocks().any(|b| matches!(b, Block::Quote { .. })));
    let s = segments(&doc)[1];
    assert_eq!(s.zh[0].speaker, Some(Speaker::Turn));
    assert_eq!(s.en[0].speaker, Some(Speaker::Turn));
    assert!(s.en[0].content.contains(&Inline::Turn));
}

#[test]
fn glossary_forms() {
    let doc = assert_clean_pairs("glossary_forms.md", 8);
    let terms: Vec<GlossaryTerm> = doc
        .segments()
        .flat_map(|s| s.zh.iter().chain(s.en.iter()))
        .flat_map(|p| p.content.iter())
        .filter_map(|i| match i {
            Inline::Glossary(g) => Some(g.clone()),
            _ => None,
        })
        .collect();
    let shown: Vec<_> = terms.iter().map(|g| (g.term.as_deref(), g.name.as_deref(), g.gloss.is_some())).collect();
    assert_eq!(
        shown,
        [
            (Some("先进先出"), Some("First In, First Out"), true),
            (Some("条形码"), Some("Barcode"), false),
            (Some("波次拣选"), Some("Wave Picking"), false),
            (Some("库存周转率"), Some("Inventory Turnover"), true),
            (Some("dwell time"), Some("停留时间"), true),
            (Some("绩效指标"), Some("KPI"), true),
            (Some("命令行界面"), Some("CLI"), true),
            (None, Some("Safety Stock"), true),
        ]
    );
    let last = text(&segments(&doc)[7].zh, Lang::Zh);
    assert!(last.contains("沙尔贝克（Schaerbeek）"), "a plain name translation stays text: {last}");
}

#[test]
fn stage_directions() {
    let (doc, diags) = read("stage_directions.md");
    assert!(diags.is_empty(), "{diags:#?}");
    let stages = |s: &Segment, lang| -> Vec<String> {
        s.side(lang)
            .iter()
            .flat_map(|p| p.content.iter())
            .filter_map(|i| match i {
                Inline::Stage { text } => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let segs = segments(&doc);
    assert_eq!(stages(segs[0], Lang::Zh), ["（掌声）"]);
    assert_eq!(stages(segs[0], Lang::En), ["(Applause)"]);
    assert_eq!(stages(segs[2], Lang::En), ["[laughter]"]);
    assert_eq!(stages(segs[4], Lang::En), ["[ __ ]"]);
    assert!(text(&segs[4].zh, Lang::Zh).contains("****"), "censoring stays text");
    let tail: Vec<_> = doc
        .blocks()
        .filter_map(|b| match b {
            Block::StageDirection { text, .. } | Block::Raw { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(tail, ["[BODY_END]", "[music]", "[music]", ">> [music]"]);
}

#[test]
fn wrapped_headings() {
    let (doc, diags) = read("wrapped_headings.md");
    assert!(diags.is_empty(), "{diags:#?}");
    let headings: Vec<_> =
        doc.sections.iter().filter_map(|s| s.heading.as_ref()).map(|h| plain_text(&h.content, h.lang)).collect();
    assert_eq!(headings, ["为什么连接数不是越多越好", "一个估算 pool size 的简单公式"]);
    let first = text(&segments(&doc)[0].zh, Lang::Zh);
    assert!(first.contains("pool调大"), "no space where a line break met Chinese: {first}");
    assert!(!first.contains('\n'));
}

#[test]
fn headings_without_blank_line() {
    let doc = assert_clean_pairs("headings_without_blank_line.md", 3);
    assert_eq!(doc.sections.iter().filter(|s| s.heading.is_some()).count(), 2);
}

#[test]
fn front_matter_quirks() {
    let doc = assert_clean_pairs("front_matter_quirks.md", 3);
    let m = &doc.meta;
    assert_eq!(m.title, "气象气球：每天两次的高空观测");
    assert!(m.summary.as_deref().unwrap().contains(" UTC"), "folded summary joins with a space");
    assert_eq!(m.draft, Some(true));
    assert_eq!(m.exclude, Some(true));
    assert!(m.extra.iter().any(|f| f.key == "layout"));
    assert!(m.extra.iter().any(|f| f.key == "file_name"));
    assert!(m.front_matter.as_deref().unwrap().contains('#'), "comments survive in the raw front matter");
}

#[test]
fn no_front_matter() {
    let (doc, diags) = read("no_front_matter.md");
    assert_eq!(doc.meta.title, "折纸与工程：从纸鹤到太空望远镜");
    assert!(doc.meta.front_matter.is_none());
    assert_eq!(warned(&diags, "no front matter"), [1]);
}

#[test]
fn truncated_ending() {
    let (doc, diags) = read("truncated_ending.md");
    let last = segments(&doc).pop().unwrap();
    assert!(last.en.is_empty() && !last.zh.is_empty());
    assert_eq!(warned(&diags, "no english original"), [last.lines.start]);
}

#[test]
fn english_only_gap() {
    let (doc, diags) = read("english_only_gap.md");
    let segs = segments(&doc);
    assert!(segs[1].zh.is_empty() && !segs[1].en.is_empty());
    assert_eq!(warned(&diags, "no chinese paragraph before it").len(), 1);
}

#[test]
fn crlf_bom() {
    let doc = assert_clean_pairs("crlf_bom.md", 3);
    assert_eq!(doc.meta.title, "放风筝的小窍门");
    assert!(!doc.meta.front_matter.unwrap().contains('\r'));
}

#[test]
fn unclosed_details() {
    let (doc, diags) = read("unclosed_details.md");
    assert_eq!(segments(&doc).len(), 3);
    assert!(segments(&doc).iter().all(|s| !s.en.is_empty()));
    let lines = warned(&diags, "unclosed <details>");
    assert_eq!(lines.len(), 1);
    assert!(lines[0] > 1);
}

#[test]
fn hostile_html() {
    let (doc, diags) = read("hostile_html.md");
    let en: String = doc.segments().map(|s| text(&s.en, Lang::En)).collect();
    assert!(en.contains("<script>alert(1)</script>"), "kept as visible text");
    assert!(en.contains("-->") && en.contains("]]>"));
    assert!(!warned(&diags, "unknown html").is_empty());
    assert!(doc.segments().any(|s| text(&s.zh, Lang::Zh).contains("编者注")), "text inside <div> is kept");
}
