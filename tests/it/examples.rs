//! The examples do what the README says they show: every convention reads, the quick start runs, a
//! caption track aligns, a custom theme loads.

use crate::support::{bitext, convert, manifest_dir, stderr};
use bitext::ir::Block;
use std::fs;
use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    manifest_dir().join("examples").join(name)
}

fn parse(name: &str) -> bitext::ir::Document {
    bitext::parse::parse(&fs::read(example(name)).unwrap(), name).unwrap().doc
}

#[test]
fn the_quick_start_runs_on_the_examples() {
    let out = tempfile::tempdir().unwrap();
    let result = convert(&[&manifest_dir().join("examples")], out.path(), &["-t", "epub,md"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stderr(&result).contains("converted 5 files"), "{}", stderr(&result));
    // The Chinese-only essay has no English edition, and says so once.
    assert!(!out.path().join("reading-notes.en.md").exists());
    assert_eq!(stderr(&result).matches("no English text; no `en` epub, md written").count(), 1, "{}", stderr(&result));
}

#[test]
fn every_convention_has_an_example() {
    let segments = |name: &str| -> Vec<bitext::ir::Segment> { parse(name).segments().cloned().collect() };
    // A: <p class="english-text"> after the Chinese; B: markdown inside <details>.
    let raw = |name: &str| fs::read_to_string(example(name)).unwrap();
    assert!(raw("bee-colonies.md").contains("<p class=\"english-text\">"));
    assert!(
        raw("bridge-design.md").contains("<details>\n<summary>") && !raw("bridge-design.md").contains("english-text")
    );
    for name in ["bee-colonies.md", "bridge-design.md"] {
        assert!(segments(name).iter().all(|s| !s.zh.is_empty() && !s.en.is_empty()), "{name}");
    }
    // C: an English paragraph, then its Chinese, with [hh:mm:ss] anchors.
    let c = segments("tide-pools.md");
    assert!(c.len() >= 4 && c.iter().all(|s| !s.zh.is_empty() && !s.en.is_empty()));
    let times: Vec<u32> = c.iter().filter_map(|s| s.timestamp).collect();
    assert_eq!(times, [4, 15, 31, 62]);
    assert!(parse("tide-pools.md").blocks().any(|b| matches!(b, Block::StageDirection { .. })));
    // D: Chinese only.
    let d = segments("reading-notes.md");
    assert!(!d.is_empty() && d.iter().all(|s| s.en.is_empty()));
}

#[test]
fn the_caption_track_gives_the_subtitles_real_times() {
    let out = tempfile::tempdir().unwrap();
    let track = example("tide-pools.vtt");
    let result = convert(
        &[&example("tide-pools.md")],
        out.path(),
        &["-t", "vtt", "-l", "en", "--align", track.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let vtt = fs::read_to_string(out.path().join("tide-pools.en.vtt")).unwrap();
    assert!(vtt.contains("aligned word by word to a caption track"), "{vtt}");
    // The first words were said half a second in, and the last paragraph starts at 1:02.
    assert!(vtt.contains("00:00:00.500 --> "), "{vtt}");
    assert!(vtt.contains("00:01:02.000 --> "), "{vtt}");
}

#[test]
fn the_custom_theme_fills_in_from_its_base() {
    let theme = bitext::theme::Theme::load(example("themes/night").to_str().unwrap()).unwrap();
    let modern = bitext::theme::Theme::builtin("modern").unwrap();
    assert!(theme.epub_css.contains("Night"));
    assert_eq!(theme.pdf.leading, 1.9);
    assert_eq!(theme.pdf.glossary, modern.pdf.glossary);
    let out = tempfile::tempdir().unwrap();
    let dir = example("themes/night");
    let result = bitext(&[
        "book",
        example("bee-colonies.md").to_str().unwrap(),
        example("tide-pools.md").to_str().unwrap(),
        "-o",
        out.path().join("night.epub").to_str().unwrap(),
        "--theme",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let mut zip = zip::ZipArchive::new(fs::File::open(out.path().join("night.epub")).unwrap()).unwrap();
    let mut css = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("OEBPS/style.css").unwrap(), &mut css).unwrap();
    assert_eq!(css, theme.epub_css);
}

#[test]
fn a_caption_track_of_another_talk_is_not_used() {
    let out = tempfile::tempdir().unwrap();
    let track = example("tide-pools.vtt");
    let result = convert(
        &[&example("bee-colonies.md")],
        out.path(),
        &["-t", "vtt", "-l", "en", "--align", track.to_str().unwrap()],
    );
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    assert!(
        err.contains("caption track")
            && err.contains("tide-pools.vtt")
            && err.contains("does not look like this talk's captions"),
        "{err}"
    );
    let vtt = fs::read_to_string(out.path().join("bee-colonies.en.vtt")).unwrap();
    assert!(vtt.contains("times are estimated"), "{vtt}");
    // Its own track matches nearly every word, and says how many.
    let result = convert(
        &[&example("tide-pools.md")],
        out.path(),
        &["-t", "vtt", "-l", "en", "--align", track.to_str().unwrap()],
    );
    assert!(!stderr(&result).contains("does not look like"), "{}", stderr(&result));
    let vtt = fs::read_to_string(out.path().join("tide-pools.en.vtt")).unwrap();
    assert!(vtt.contains("% of the spoken words matched"), "{vtt}");
}
