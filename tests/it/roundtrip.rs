//! `parse(write_bi(doc)) == doc`, up to source positions: on every corpus file, every fixture, and on
//! generated documents.

use crate::support::{corpus_dir, fixtures_dir, md_files};
use bitext::emit::{self, WriteOptions};
use bitext::ir::Document;
use bitext::parse;
use bitext::select::View;

fn write_bi(doc: &Document) -> String {
    let md = emit::find("md").unwrap();
    let rendered = emit::render(md, doc, View::Bi, &WriteOptions::default()).unwrap();
    String::from_utf8(rendered.expect("bilingual markdown always has content").bytes).unwrap()
}

/// Source HTML the front end did not understand (`<div>`, `<style>`): bilingual markdown writes it as
/// text, never as live markup, so it comes back as text (an English paragraph, which the next writing
/// pairs with the Chinese before it), not as raw source.
fn holds_raw_html(doc: &Document) -> bool {
    doc.blocks().any(|b| matches!(b, bitext::ir::Block::Raw { text, .. } if text.contains('<')))
}

fn assert_round_trip(name: &str, text: &str) {
    let mut first = parse::parse_str(text, name).unwrap().doc;
    if holds_raw_html(&first) {
        for _ in 0..2 {
            first = parse::parse_str(&write_bi(&first), name).unwrap().doc;
        }
        assert!(!holds_raw_html(&first), "{name}: raw html written as live markup");
    }
    let written = write_bi(&first);
    let second = parse::parse_str(&written, name).unwrap().doc;
    let (a, b) = (first.without_positions(), second.without_positions());
    if a != b {
        let ja = serde_json::to_string_pretty(&a).unwrap();
        let jb = serde_json::to_string_pretty(&b).unwrap();
        let line = ja.lines().zip(jb.lines()).position(|(x, y)| x != y).unwrap_or(0);
        let show = |j: &str| j.lines().skip(line.saturating_sub(8)).take(16).collect::<Vec<_>>().join("\n");
        panic!(
            "{name}: round trip differs at IR JSON line {line}\n--- first\n{}\n--- second\n{}",
            show(&ja),
            show(&jb)
        );
    }
    // Writing is a fixed point: the canonical form of the canonical form is itself.
    assert_eq!(write_bi(&second), written, "{name}: canonical form is not stable");
}

#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn every_corpus_file_round_trips() {
    for path in md_files(&corpus_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_round_trip(&path.display().to_string(), &text);
    }
}

#[test]
fn every_fixture_round_trips() {
    for path in md_files(&fixtures_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_round_trip(&path.display().to_string(), &text);
    }
}
