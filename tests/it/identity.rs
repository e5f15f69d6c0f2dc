//! Identifiers that last: an edition keeps its identifier when its transcript is edited (so a reader's
//! library sees the same book), editions of one transcript differ, a transcript's front matter `id` wins
//! over its place in the archive, and a series becomes an EPUB collection.

use crate::support::{bitext, fixtures_dir, stderr};
use std::fs;
use std::io::Read;
use std::path::Path;

/// The OPF of an EPUB.
fn opf(epub: &Path) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name("OEBPS/content.opf").unwrap().read_to_string(&mut text).unwrap();
    text
}

fn identifier(epub: &Path) -> String {
    let opf = opf(epub);
    let start = opf.find("<dc:identifier id=\"uid\">").unwrap() + "<dc:identifier id=\"uid\">".len();
    opf[start..start + opf[start..].find('<').unwrap()].to_string()
}

fn convert(archive: &Path, out: &Path, formats: &str) {
    let result = bitext(&["convert", archive.to_str().unwrap(), "-o", out.to_str().unwrap(), "-t", formats, "-q"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
}

/// A one-file archive with `text` at `talks/rain.md`.
fn archive(dir: &Path, text: &str) -> std::path::PathBuf {
    let root = dir.join("archive");
    fs::create_dir_all(root.join("talks")).unwrap();
    fs::write(root.join("talks/rain.md"), text).unwrap();
    root
}

#[test]
fn an_edit_keeps_the_identifier_and_editions_differ() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixtures_dir().join("speaker_labels.md")).unwrap();
    let root = archive(dir.path(), &text);
    convert(&root, &dir.path().join("before"), "epub");
    let ids = |out: &str| -> Vec<String> {
        ["rain.epub", "rain.zh.epub", "rain.en.epub"]
            .iter()
            .map(|name| identifier(&dir.path().join(out).join("talks").join(name)))
            .collect()
    };
    let before = ids("before");
    assert!(before.iter().all(|id| id.starts_with("urn:uuid:")), "{before:?}");
    assert_eq!(before.len(), before.iter().collect::<std::collections::HashSet<_>>().len(), "{before:?}");
    // A typo fixed: same identifiers, though the book changed.
    let edited = text.replace("rain gardens", "rain-gardens");
    assert_ne!(edited, text);
    fs::write(root.join("talks/rain.md"), &edited).unwrap();
    convert(&root, &dir.path().join("after"), "epub");
    assert_ne!(
        fs::read(dir.path().join("before/talks/rain.epub")).unwrap(),
        fs::read(dir.path().join("after/talks/rain.epub")).unwrap()
    );
    assert_eq!(ids("after"), before);
    // The same text at another place in the archive is another transcript.
    fs::rename(root.join("talks"), root.join("older")).unwrap();
    convert(&root, &dir.path().join("moved"), "epub");
    assert_ne!(identifier(&dir.path().join("moved/older/rain.epub")), before[0]);
}

#[test]
fn front_matter_id_wins_and_a_series_is_a_collection() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixtures_dir().join("speaker_labels.md")).unwrap();
    let with_id = text.replacen("---\n", "---\nid: rain-gardens-2026\nseries: 城市与水\n", 1);
    let root = archive(dir.path(), &with_id);
    convert(&root, &dir.path().join("a"), "epub");
    fs::rename(root.join("talks"), root.join("elsewhere")).unwrap();
    convert(&root, &dir.path().join("b"), "epub");
    let a = dir.path().join("a/talks/rain.epub");
    assert_eq!(identifier(&a), identifier(&dir.path().join("b/elsewhere/rain.epub")));
    let opf = opf(&a);
    assert!(opf.contains("<meta property=\"belongs-to-collection\" id=\"collection\">城市与水</meta>"), "{opf}");
    assert!(opf.contains("<meta refines=\"#collection\" property=\"collection-type\">series</meta>"), "{opf}");
}

/// The PDF's file identifier: its first string lasts across edits, its second follows the content.
#[test]
#[cfg_attr(
    not(bitext_pdf_tools),
    ignore = "needs poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn the_pdf_identifier_lasts_and_its_revision_follows_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixtures_dir().join("speaker_labels.md")).unwrap();
    let root = archive(dir.path(), &text);
    let ids = |out: &str| -> (String, String) {
        convert(&root, &dir.path().join(out), "pdf");
        let pdf = dir.path().join(out).join("talks/rain.pdf");
        let trailer = std::process::Command::new("qpdf").arg("--show-object=trailer").arg(&pdf).output().unwrap();
        let trailer = String::from_utf8_lossy(&trailer.stdout).into_owned();
        let hex: Vec<&str> = trailer.split(['<', '>']).filter(|s| s.len() == 32).collect();
        assert_eq!(hex.len(), 2, "{trailer}");
        (hex[0].to_string(), hex[1].to_string())
    };
    let before = ids("before");
    fs::write(root.join("talks/rain.md"), text.replace("rain gardens", "rain-gardens")).unwrap();
    let after = ids("after");
    assert_eq!(before.0, after.0, "the permanent identifier");
    assert_ne!(before.1, after.1, "the revision");
}
