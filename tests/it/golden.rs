//! Golden files as `insta` snapshots: source -> IR (JSON) and IR -> each text format (markdown, plain
//! text, SRT, WebVTT) in every language, for a few fixtures; the EPUB's structure lives in `epub.rs`.
//!
//! Snapshots are stored under `tests/golden/<fixture>/`. After a deliberate change, accept the new
//! outputs with `INSTA_UPDATE=always cargo test --test it golden` (or `cargo insta review`) and review the
//! diff; never edit a snapshot by hand. Under CI a missing or different snapshot fails.

use crate::support::{fixtures_dir, manifest_dir};
use bitext::emit::{self, Languages, WriteOptions};
use bitext::parse;
use bitext::select::View;
use std::fs;

const FIXTURES: &[&str] = &[
    "glossary_forms",
    "p_with_blank_lines_inside",
    "stage_directions",
    "timestamps",
    "malformed_summary",
    "speaker_labels",
    "blockquote_speaker_changes",
];

/// The text formats: books and PDFs are checked structurally in their own tests.
const FORMATS: &[&str] = &["md", "txt", "json", "srt", "vtt", "ass"];

/// Check `text` against the snapshot `name` in `tests/golden/<folder>/`.
pub fn assert_golden(folder: &str, name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(manifest_dir().join("tests/golden").join(folder));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn golden_outputs() {
    for name in FIXTURES {
        let bytes = fs::read(fixtures_dir().join(format!("{name}.md"))).unwrap();
        let parsed = parse::parse(&bytes, &format!("{name}.md")).unwrap();
        for writer in FORMATS.iter().map(|f| emit::find(f).unwrap()) {
            let whole = writer.format().languages == Languages::WholeDocument;
            let views: &[View] = if whole { &[View::Bi] } else { &View::ALL };
            for &view in views {
                let file = bitext::batch::output_name("out", writer, view);
                if let Some(w) = emit::render(writer, &parsed.doc, view, &WriteOptions::default()).unwrap() {
                    assert_golden(name, &file, &String::from_utf8(w.bytes).unwrap());
                }
            }
        }
        let diags: String = parsed
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}: {}\n", d.line, d.column, d.severity, d.message))
            .collect();
        assert_golden(name, "diagnostics.txt", &diags);
    }
}
