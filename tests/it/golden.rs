//! Golden files: source -> IR (JSON) and IR -> each text format, for a few fixtures.
//!
//! `UPDATE_GOLDEN=1 cargo test --test it golden` rewrites `tests/golden/`; review the diff, never edit
//! the files by hand.

use crate::support::{fixtures_dir, manifest_dir};
use bitext::emit::{self, WriteOptions};
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

#[test]
fn golden_outputs() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for name in FIXTURES {
        let bytes = fs::read(fixtures_dir().join(format!("{name}.md"))).unwrap();
        let parsed = parse::parse(&bytes, &format!("{name}.md")).unwrap();
        let dir = manifest_dir().join("tests/golden").join(name);
        let mut outputs = Vec::new();
        // Text formats only: books and PDFs are checked structurally in their own tests.
        for writer in emit::writers().iter().filter(|w| matches!(w.name(), "md" | "txt" | "json")) {
            let whole = writer.format().languages == emit::Languages::WholeDocument;
            let views: &[View] = if whole { &[View::Bi] } else { &View::ALL };
            for &view in views {
                let file = bitext::batch::output_name("out", *writer, view);
                if let Some(w) = emit::render(*writer, &parsed.doc, view, &WriteOptions::default()).unwrap() {
                    outputs.push((file, w.bytes));
                }
            }
        }
        let diags: String = parsed
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}: {}\n", d.line, d.column, d.severity, d.message))
            .collect();
        outputs.push(("diagnostics.txt".to_string(), diags.into_bytes()));
        for (file, bytes) in outputs {
            let path = dir.join(&file);
            if update {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, &bytes).unwrap();
            } else if fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                stale.push(format!("{name}/{file}"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "golden files differ (run UPDATE_GOLDEN=1 cargo test --test it golden and review the diff): {stale:?}"
    );
}
