//! The binary over every corpus file, checked against an independent reading of the source: a small
//! scanner here finds the English originals and the Chinese paragraphs by string search alone, so a
//! mistake in the real front end cannot hide itself.

use crate::support::{bitext, body, corpus_dir, find_seq, han, is_han, md_files, stderr, words};
use std::fs;
use std::path::Path;

/// What the source holds, by the scanner's reading.
pub struct Oracle {
    /// English originals in order (inside `<details>` or a stray `<p class="english-text">`, or the
    /// English paragraphs of a file without `<details>`).
    pub english: Vec<String>,
    /// Chinese paragraphs in order (outside `<details>`).
    pub chinese: Vec<String>,
}

pub fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&gt;", ">").replace("&lt;", "<").replace("&quot;", "\"").replace("&amp;", "&")
}

pub fn oracle(text: &str) -> Oracle {
    let body = body(text);
    let has_details = body.contains("<details>");
    let mut english = Vec::new();
    let mut chinese_zone = String::new();
    let mut rest = body;
    const STRAY_P: &str = "<p class=\"english-text\">";
    loop {
        let details = rest.find("<details>");
        let stray = rest.find(STRAY_P);
        let (open, is_details) = match (details, stray) {
            (Some(d), Some(p)) if p < d => (p, false),
            (Some(d), _) => (d, true),
            (None, Some(p)) => (p, false),
            (None, None) => break,
        };
        chinese_zone.push_str(&rest[..open]);
        chinese_zone.push_str("\n\n");
        let after = &rest[open..];
        let closer = if is_details { "</details>" } else { "</p>" };
        let close = after.find(closer).map_or(after.len(), |c| c + closer.len());
        let mut inner = &after[..close];
        if let Some(s) = inner.find("<summary>") {
            let line_end = inner[s..].find('\n').map_or(inner.len(), |e| s + e);
            inner = &inner[line_end..];
        }
        let eng = strip_tags(inner);
        if !eng.trim().is_empty() {
            english.push(eng);
        }
        rest = &after[close..];
    }
    chinese_zone.push_str(rest);
    let mut chinese = Vec::new();
    for para in chinese_zone.split("\n\n") {
        for line_group in split_mixed(para, has_details) {
            let unglossed = without_parentheses(&line_group);
            let h = unglossed.chars().filter(|&c| is_han(c)).count();
            let latin = unglossed.chars().filter(|c| c.is_ascii_alphabetic()).count();
            let heading = line_group.trim_start().starts_with('#');
            if h > 0 && (h * 4 >= latin || unglossed.contains('。') || unglossed.contains('，')) {
                if !heading {
                    chinese.push(line_group);
                }
            } else if !has_details && latin > 20 && !heading {
                english.push(line_group);
            }
        }
    }
    Oracle { english, chinese }
}

/// Text with everything in parentheses removed: glosses in the other language do not decide a paragraph's language.
pub fn without_parentheses(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect()
}

/// In files without `<details>`, a paragraph may hold an English line and then a Chinese line.
fn split_mixed(para: &str, has_details: bool) -> Vec<String> {
    if has_details {
        return vec![para.to_string()];
    }
    let lines: Vec<&str> = para.lines().collect();
    let chinese = |l: &&str| {
        let l = without_parentheses(l);
        l.chars().any(is_han) && l.contains(['。', '，', '？', '！'])
    };
    match lines.iter().position(chinese) {
        Some(i) if i > 0 && !lines[..i].iter().any(|l| without_parentheses(l).chars().any(is_han)) => {
            vec![lines[..i].join("\n"), lines[i..].join("\n")]
        }
        _ => vec![para.to_string()],
    }
}

fn convert_corpus(out: &Path) {
    let corpus = corpus_dir();
    let result = bitext(&["convert", corpus.to_str().unwrap(), "-o", out.to_str().unwrap(), "-t", "md,txt,json", "-q"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
}

#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn every_corpus_file_converts_completely_and_purely() {
    let dir = tempfile::tempdir().unwrap();
    convert_corpus(dir.path());
    let mut checked_en = 0;
    for path in md_files(&corpus_dir()) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".md");
        let source = fs::read_to_string(&path).unwrap();
        let oracle = oracle(&source);

        let zh = fs::read_to_string(dir.path().join(format!("{stem}.zh.md"))).unwrap();
        let zh_body = body(&zh);
        // Every Chinese paragraph, in order, as its sequence of Han characters.
        let zh_han: Vec<char> = han(zh_body).chars().collect();
        let mut at = 0;
        for para in &oracle.chinese {
            let want: Vec<char> = han(para).chars().collect();
            at = find_seq(&zh_han, &want, at)
                .unwrap_or_else(|| panic!("{name}: chinese paragraph missing or out of order in zh output:\n{para}"));
        }
        // No English original in the Chinese output.
        let zh_words = words(&strip_tags(zh_body));
        for eng in &oracle.english {
            let w = words(eng);
            if w.len() >= 8 {
                assert!(find_seq(&zh_words, &w, 0).is_none(), "{name}: english original found in zh output:\n{eng}");
            }
        }

        let en_path = dir.path().join(format!("{stem}.en.md"));
        if oracle.english.is_empty() {
            assert!(!en_path.exists(), "{name}: a Chinese-only file must not get an English output");
            continue;
        }
        let en = fs::read_to_string(&en_path).unwrap();
        let en_body = body(&en);
        // Every English original, in order, as its word sequence (parenthetical annotations aside: the
        // English edition drops the Chinese ones).
        let en_words = words(&without_parentheses(&strip_tags(en_body)));
        let mut at = 0;
        for eng in &oracle.english {
            let want = words(&without_parentheses(eng));
            at = find_seq(&en_words, &want, at)
                .unwrap_or_else(|| panic!("{name}: english original missing or out of order in en output:\n{eng}"));
        }
        // The only Han characters in the English output are those the English originals say outside
        // annotations: Chinese glosses in English sentences are not part of an English edition.
        let allowed: String = oracle.english.iter().map(|e| han(&without_parentheses(e))).collect();
        assert_eq!(han(en_body), allowed, "{name}: Chinese text leaked into the en output");
        checked_en += 1;

        // The plain-text outputs carry the same text.
        let en_txt = fs::read_to_string(dir.path().join(format!("{stem}.en.txt"))).unwrap();
        assert_eq!(han(&en_txt).len(), allowed.len(), "{name}: en txt");
        let json = fs::read_to_string(dir.path().join(format!("{stem}.json"))).unwrap();
        assert!(json.starts_with("{\n  \"ir_version\": 1,"), "{name}: json");
    }
    assert!(checked_en >= 25, "only {checked_en} corpus files had English");
}

/// The English inside `<p class="english-text">` in one markdown text, paragraph by paragraph.
fn english_paragraphs(markdown: &str) -> Vec<&str> {
    markdown
        .split("<p class=\"english-text\">")
        .skip(1)
        .filter_map(|rest| rest.split_once("</p>").map(|(p, _)| p))
        .collect()
}

/// Markdown renderers never remove backslash escapes inside raw HTML, so the bilingual markdown adds none
/// to the English in `<p class="english-text">` (178 across the corpus before it wrote that English as
/// HTML text): an output paragraph has no more backslashes than the source's paragraphs had in all.
#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn bilingual_markdown_adds_no_escapes_to_the_english() {
    let dir = tempfile::tempdir().unwrap();
    convert_corpus(dir.path());
    let mut paragraphs = 0;
    for path in md_files(&corpus_dir()) {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = fs::read_to_string(&path).unwrap();
        let written = fs::read_to_string(dir.path().join(format!("{stem}.md"))).unwrap();
        let backslashes = |ps: Vec<&str>| ps.iter().map(|p| p.matches('\\').count()).sum::<usize>();
        let added = backslashes(english_paragraphs(&written)).saturating_sub(backslashes(english_paragraphs(&source)));
        assert_eq!(added, 0, "{stem}: backslashes added to the English in <p class=\"english-text\">");
        paragraphs += english_paragraphs(&written).len();
    }
    assert!(paragraphs > 1000, "{paragraphs}");
}

#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn conversion_is_byte_identical_across_runs_and_thread_counts() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let corpus = corpus_dir();
    for (dir, jobs) in [(a.path(), "1"), (b.path(), "2")] {
        let out = bitext(&[
            "convert",
            corpus.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
            "-t",
            "md,txt,json",
            "-j",
            jobs,
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(0));
    }
    let mut names: Vec<_> = fs::read_dir(a.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert!(names.len() > 150);
    for name in names {
        assert_eq!(fs::read(a.path().join(&name)).unwrap(), fs::read(b.path().join(&name)).unwrap(), "{name:?}");
    }
}

#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn corpus_speakers_and_timestamps_are_structure_not_text() {
    let corpus = corpus_dir();
    let files = md_files(&corpus);
    let read = |prefix: &str| {
        let path = files.iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix)).unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bitext"))
            .args(["convert", "-", "-t", "json", "-l", "bi", "-q"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&fs::read(path).unwrap()).unwrap();
        let out = child.wait_with_output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // File 05 anchors English paragraphs with [hh:mm:ss]: they become segment timestamps.
    let doc = read("05-");
    let json = doc.to_string();
    assert!(json.contains("\"timestamp\":35"), "05 timestamps");
    assert!(!json.contains("[00:00:35]"), "05 timestamp left in text");
    // File 29 transliterates speaker names on the Chinese side.
    let json = read("29-").to_string();
    assert!(json.contains("\"name\":\"David Ulevitch\""));
    assert!(json.contains("\"name\":\"戴维·乌列维奇\""));
    // File 23's Chinese paragraphs that start with ">> " are speaker changes, not quotes.
    let json = read("23-").to_string();
    assert!(!json.contains("\"type\":\"quote\""));
    assert!(json.contains("\"kind\":\"turn\""));
}
