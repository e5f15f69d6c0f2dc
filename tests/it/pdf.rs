//! PDF output: text coverage and order through pdftotext, fonts through pdffonts, validity through qpdf,
//! page sizes, the outline, line-breaking rules on the real layout, byte-identical rebuilds.
//!
//! These need poppler-utils, qpdf and a Chinese font (Debian: fonts-noto-cjk). Without them the tests
//! say so and pass, except under CI, which installs them.

use crate::corpus::oracle;
use crate::support::{bitext, corpus_dir, find_seq, fixtures_dir, han, md_files, stderr, words};
use bitext::emit::pdf::{FontRequest, FontSet};
use bitext::emit::WriteOptions;
use bitext::select::View;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

/// Whether the PDF tools and fonts are here; under CI their absence is a failure.
fn ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        let tools = ["pdftotext", "pdffonts", "pdfinfo", "qpdf"]
            .iter()
            .all(|t| Command::new(t).arg("-v").output().is_ok() || Command::new(t).arg("--version").output().is_ok());
        let fonts = FontSet::load(&FontRequest::default()).is_ok();
        if !(tools && fonts) {
            assert!(std::env::var_os("CI").is_none(), "CI must install poppler-utils, qpdf and fonts-noto-cjk");
            eprintln!("PDF tools or a Chinese font missing (poppler-utils, qpdf, fonts-noto-cjk): skipping");
        }
        tools && fonts
    })
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Convert to PDF; the run must succeed.
fn convert(inputs: &[&Path], out: &Path, extra: &[&str]) {
    let mut args = vec!["-t", "pdf", "-q"];
    args.extend(extra);
    let result = crate::support::convert(inputs, out, &args);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
}

/// The text of a PDF without its running headers and page numbers.
fn body_text(pdf: &Path) -> String {
    let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let mut out = String::new();
    for page in text.split('\u{c}') {
        let lines: Vec<&str> = page.lines().collect();
        let header = lines.first().copied().unwrap_or("");
        for line in &lines {
            let trimmed = line.trim();
            if trimmed.is_empty()
                || trimmed.chars().all(|c| c.is_ascii_digit())
                || (*line == header && page.len() > header.len() + 40)
            {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_pdf_tools)),
    ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus) and poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn corpus_pdfs_carry_all_text_in_order() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let corpus = corpus_dir();
    convert(&[&corpus], out.path(), &["-l", "bi,en"]);
    for path in md_files(&corpus) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".md");
        let oracle = oracle(&fs::read_to_string(&path).unwrap());
        let pdf = out.path().join(format!("{stem}.pdf"));
        let names: Vec<String> = oracle
            .chinese
            .iter()
            .chain(&oracle.english)
            .flat_map(|p| p.split('\n').filter_map(label_of).collect::<Vec<_>>())
            .collect();
        // A plain `名字：` counts as a label only when several paragraphs use it, as in the source's convention.
        let counts = |n: &String| names.iter().filter(|m| *m == n).count();
        let mut names: Vec<String> = names.iter().filter(|n| counts(n) >= 2).cloned().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.dedup();
        let text = without_labels(&body_text(&pdf), &names);
        let pdf_han: Vec<char> = han(&text).chars().collect();
        // Every Chinese paragraph and every English original, in order; speaker labels aside (they are
        // shown once per turn), and the order checked per language.
        let mut at = 0;
        for para in &oracle.chinese {
            let want: Vec<char> = han(&strip_label(para)).chars().collect();
            at = find_seq(&pdf_han, &want, at)
                .unwrap_or_else(|| panic!("{name}: Chinese paragraph missing or out of order:\n{para}"));
        }
        // pdftotext joins a word hyphenated across lines ("well-" + "being") within a page but not across
        // pages: join both, then compare without hyphens.
        let pdf_words = words(&text.replace("-\n", "").replace('-', ""));
        let mut at = 0;
        for eng in &oracle.english {
            let want = words(&strip_labels(eng).replace('-', ""));
            at = find_seq(&pdf_words, &want, at)
                .unwrap_or_else(|| panic!("{name}: English original missing or out of order:\n{eng}"));
        }
        if !oracle.english.is_empty() {
            let en = body_text(&out.path().join(format!("{stem}.en.pdf")));
            // Chinese glosses inside English sentences are not part of an English edition.
            let mut allowed: Vec<char> = oracle
                .english
                .iter()
                .flat_map(|e| han(&crate::corpus::without_parentheses(e)).chars().collect::<Vec<_>>())
                .collect();
            let mut got: Vec<char> = han(&en).chars().collect();
            allowed.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, allowed, "{name}: Chinese outside the English originals in the en PDF");
        }
    }
}

/// The speaker label a source paragraph starts with.
fn label_of(para: &str) -> Option<String> {
    let t = para.trim_start();
    let t = t.strip_prefix(">>").unwrap_or(t).trim_start();
    if let Some(rest) = t.strip_prefix("**") {
        let end = rest.find("**")?;
        let (label, after) = (&rest[..end], &rest[end + 2..]);
        if label.ends_with([':', '：']) || after.starts_with([':', '：']) {
            return Some(label.trim_end_matches([':', '：']).trim().to_string());
        }
    }
    let (label, _) = t.split_once('：')?;
    (label.chars().count() <= 20 && !label.contains(['，', '。'])).then(|| label.trim().to_string())
}

/// Text without any of the speaker labels `names` (the PDF shows a label once per turn, the source on
/// every paragraph).
fn without_labels(text: &str, names: &[String]) -> String {
    let strip = |line: &str| -> String {
        let t = line.trim_start().trim_start_matches("— ");
        for name in names {
            for colon in [": ", "：", ":"] {
                if let Some(rest) = t.strip_prefix(&format!("{name}{colon}")) {
                    return rest.to_string();
                }
            }
        }
        line.to_string()
    };
    text.split('\n').map(strip).collect::<Vec<_>>().join("\n")
}

/// A source paragraph without a leading speaker label.
fn strip_label(para: &str) -> String {
    let t = para.trim_start();
    let t = t.strip_prefix(">>").unwrap_or(t).trim_start();
    if let Some(rest) = t.strip_prefix("**") {
        if let Some(end) = rest.find("**") {
            let (label, after) = (&rest[..end], &rest[end + 2..]);
            if label.ends_with([':', '：']) || after.starts_with([':', '：']) {
                return after.trim_start_matches([':', '：']).to_string();
            }
        }
    }
    if let Some((label, rest)) = t.split_once('：') {
        if label.chars().count() <= 20 && !label.contains(['，', '。']) {
            return rest.to_string();
        }
    }
    t.to_string()
}

pub(crate) fn strip_labels(text: &str) -> String {
    text.split('\n').map(strip_label).collect::<Vec<_>>().join("\n")
}

#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_pdf_tools)),
    ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus) and poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn fonts_are_embedded_subset_and_mapped_and_files_are_valid() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let files = md_files(&corpus_dir());
    let sample: Vec<&Path> = files.iter().step_by(5).map(|p| p.as_path()).collect();
    convert(&sample, out.path(), &["--paper", "a5"]);
    let mut checked = 0;
    for entry in fs::read_dir(out.path()).unwrap() {
        let pdf = entry.unwrap().path();
        if pdf.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{}: no fonts", pdf.display());
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{}: {row}", pdf.display());
        }
        let check = Command::new("qpdf").args(["--check", pdf.to_str().unwrap()]).output().unwrap();
        assert!(check.status.success(), "qpdf --check {}: {}", pdf.display(), String::from_utf8_lossy(&check.stdout));
        let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains("Page size:       419.528 x 595.276 pts"), "{info}");
        checked += 1;
    }
    assert!(checked >= 15);
    // The seed transcript as a bilingual A5 PDF stays small.
    let seed = out.path().join(format!("{}.pdf", files[0].file_stem().unwrap().to_string_lossy()));
    assert!(fs::metadata(&seed).unwrap().len() < 1_000_000);
}

#[test]
#[cfg_attr(
    not(bitext_pdf_tools),
    ignore = "needs poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn the_outline_nests_sections_under_the_title() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    convert(&[&crate::support::manifest_dir().join("examples/bee-colonies.md")], out.path(), &["-l", "bi"]);
    let json = run("qpdf", &["--json", "--json-key=outlines", out.path().join("bee-colonies.pdf").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outlines = v["outlines"].as_array().unwrap();
    assert_eq!(outlines.len(), 1, "{json}");
    assert!(outlines[0]["title"].as_str().unwrap().starts_with("蜂群如何做出决定"));
    let kids: Vec<&str> =
        outlines[0]["kids"].as_array().unwrap().iter().map(|k| k["title"].as_str().unwrap()).collect();
    assert_eq!(kids, ["蜂巢里的秩序", "分蜂：一场蜜蜂的民主投票", "给新手的建议"]);
}

/// The lines every corpus transcript is set into in `view` with `theme`, on `paper` in `layout`, by
/// file.
fn set_corpus(
    view: View,
    theme: bitext::theme::Theme,
    paper: bitext::emit::pdf::Paper,
    layout: bitext::theme::Layout,
) -> Vec<(std::path::PathBuf, Vec<bitext::emit::pdf::PlacedLine>)> {
    static FONTS: OnceLock<Arc<FontSet>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| Arc::new(FontSet::load(&FontRequest::default()).unwrap()));
    let mut options = WriteOptions { theme, ..WriteOptions::default() };
    options.pdf.fonts = Some(fonts.clone());
    options.pdf.paper = paper;
    options.pdf.layout = Some(layout);
    md_files(&corpus_dir())
        .into_iter()
        .map(|path| {
            let doc = bitext::parse::parse(&fs::read(&path).unwrap(), "x.md").unwrap().doc;
            let selected = bitext::select::select(&doc, view, &Default::default()).unwrap();
            let lines = bitext::emit::pdf::set_lines(&selected, &options).unwrap();
            (path, lines)
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_pdf_tools)),
    ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus) and poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn no_line_breaks_chinese_punctuation_rules_on_real_text() {
    if !ready() {
        return;
    }
    let no_start = ['、', '，', '。', '：', '；', '！', '？', '）', '」', '』', '】', '》', '”', '’'];
    let no_end = ['（', '「', '『', '【', '《', '“', '‘'];
    let mut lines_checked = 0;
    for (paper, layout) in [
        (bitext::emit::pdf::Paper::A5, bitext::theme::Layout::Interleaved),
        (bitext::emit::pdf::Paper::A4, bitext::theme::Layout::Parallel),
    ] {
        for (path, placed) in set_corpus(View::Bi, Default::default(), paper, layout) {
            let lines: Vec<&str> = placed.iter().map(|l| l.text.as_str()).collect();
            for (i, line) in lines.iter().enumerate() {
                let first = line.chars().next().unwrap_or(' ');
                let last = line.chars().last().unwrap_or(' ');
                assert!(!no_start.contains(&first), "{}: line {i} starts with {first}: {line}", path.display());
                assert!(!no_end.contains(&last), "{}: line {i} ends with {last}: {line}", path.display());
                // Inside a paragraph: a paragraph may well end with a dash and the next begin with one.
                if i > 0 && !placed[i].first {
                    let prev = lines[i - 1];
                    for pair in ['—', '…'] {
                        assert!(
                            !(prev.ends_with(pair) && line.starts_with(pair)),
                            "{}: split {pair}{pair}: {prev} / {line}",
                            path.display()
                        );
                    }
                }
            }
            lines_checked += lines.len();
        }
    }
    assert!(lines_checked > 10_000, "{lines_checked}");
}

/// The measures of issue 15 over the corpus, read from the setter itself: runts (a paragraph's last line
/// of fewer than three letters), widows and orphans (one line of a paragraph alone at the head or foot of
/// a page, in either column), and letter-spaced Chinese lines (a justified line whose gaps between Han
/// characters were opened by more than 0.12 em).
#[derive(Debug, Default)]
struct Measures {
    lines: usize,
    chinese_justified: usize,
    spaced: Vec<String>,
    runts: Vec<String>,
    widows: Vec<String>,
    orphans: Vec<String>,
}

impl Measures {
    fn add(&mut self, name: &str, lines: &[bitext::emit::pdf::PlacedLine]) {
        self.lines += lines.len();
        for line in lines {
            let letters = line.text.chars().filter(|c| c.is_alphanumeric()).count();
            if line.last && !line.first && letters < 3 {
                self.runts.push(format!("{name}: {}", line.text));
            }
            let han = line.text.chars().filter(|&c| bitext::script::is_han(c)).count();
            if line.justified && han * 10 >= letters * 6 && han > 0 {
                self.chinese_justified += 1;
                if line.han_gap > 0.12 {
                    self.spaced.push(format!("{name}: {} ({:.2} em)", line.text, line.han_gap));
                }
            }
        }
        // Page breaks, column by column.
        let mut columns: Vec<f32> = lines.iter().map(|l| l.column).collect();
        columns.sort_by(f32::total_cmp);
        columns.dedup();
        for column in columns {
            let mine: Vec<_> = lines.iter().filter(|l| l.column == column).collect();
            for pair in mine.windows(2) {
                let (before, after) = (pair[0], pair[1]);
                if before.page == after.page {
                    continue;
                }
                if after.last && !after.first {
                    self.widows.push(format!("{name} p{}: {}", after.page + 1, after.text));
                }
                if before.first && !before.last {
                    self.orphans.push(format!("{name} p{}: {}", before.page + 1, before.text));
                }
            }
        }
    }
}

#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_pdf_tools)),
    ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus) and poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn the_corpus_is_set_without_runts_widows_or_orphans_and_few_loose_lines() {
    if !ready() {
        return;
    }
    use bitext::emit::pdf::Paper;
    use bitext::theme::{Layout, Theme};
    let modern = Theme::builtin("modern").unwrap();
    let mut total = Measures::default();
    for (view, paper, layout, theme) in [
        (View::Bi, Paper::A5, Layout::Interleaved, Theme::default()),
        (View::Bi, Paper::A4, Layout::Parallel, Theme::default()),
        (View::Zh, Paper::A4, Layout::Interleaved, modern),
    ] {
        for (path, lines) in set_corpus(view, theme, paper, layout) {
            let name = format!("{} ({view:?}, {paper:?}, {layout:?})", path.file_name().unwrap().to_string_lossy());
            total.add(&name, &lines);
        }
    }
    eprintln!(
        "{} lines, {} justified Chinese lines, {} spaced, {} runts, {} widows, {} orphans",
        total.lines,
        total.chinese_justified,
        total.spaced.len(),
        total.runts.len(),
        total.widows.len(),
        total.orphans.len()
    );
    assert!(total.chinese_justified > 10_000, "{total:?}");
    assert!(total.runts.is_empty(), "runts: {:#?}", total.runts);
    assert!(total.widows.is_empty(), "widows: {:#?}", total.widows);
    assert!(total.orphans.is_empty(), "orphans: {:#?}", total.orphans);
    // At most 0.3% of full Chinese lines letter-spaced.
    assert!(total.spaced.len() * 1000 <= total.chinese_justified * 3, "spaced: {:#?}", total.spaced);
}

#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_pdf_tools)),
    ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus) and poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn pdfs_are_byte_identical_across_runs_and_threads() {
    if !ready() {
        return;
    }
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let corpus = corpus_dir();
    convert(&[&corpus], a.path(), &["-l", "bi", "-j", "1"]);
    convert(&[&corpus], b.path(), &["-l", "bi", "-j", "2", "--layout", "interleaved"]);
    for entry in fs::read_dir(a.path()).unwrap() {
        let name = entry.unwrap().file_name();
        // The manifests differ, rightly: one run named the layout and the other took the theme's.
        if name == "bitext-manifest.json" {
            continue;
        }
        assert_eq!(fs::read(a.path().join(&name)).unwrap(), fs::read(b.path().join(&name)).unwrap(), "{name:?}");
    }
}

#[test]
#[cfg_attr(
    not(bitext_pdf_tools),
    ignore = "needs poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn anthology_pdf_and_parallel_layout() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let book = out.path().join("examples.pdf");
    let examples = crate::support::manifest_dir().join("examples");
    let result = bitext(&[
        "book",
        examples.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
        "--layout",
        "parallel",
        "--paper",
        "a4",
    ]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let json = run("qpdf", &["--json", "--json-key=outlines", book.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The printed contents first, then part > transcript > section.
    let entries = v["outlines"].as_array().unwrap();
    assert_eq!(entries[0]["title"], "目录", "{json}");
    let parts = &entries[1..];
    assert!(!parts.is_empty());
    let transcripts = parts[0]["kids"].as_array().unwrap();
    assert!(!transcripts.is_empty() && !transcripts[0]["kids"].as_array().unwrap().is_empty(), "{json}");
    let text = body_text(&book);
    assert!(text.contains("Marianne"));
}

#[test]
#[cfg_attr(
    not(bitext_pdf_tools),
    ignore = "needs poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn a_character_no_font_has_is_reported() {
    if !ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("odd.md");
    let text =
        fs::read_to_string(fixtures_dir().join("timestamps.md")).unwrap().replace("流星雨", "流星雨\u{1D11E}\u{10380}");
    fs::write(&src, text).unwrap();
    let result = bitext(&[
        "convert",
        src.to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
        "-t",
        "pdf",
        "-l",
        "zh",
    ]);
    assert_eq!(result.status.code(), Some(0));
    assert!(stderr(&result).contains("no font has"), "{}", stderr(&result));
}

/// The PDF anthology opens with a title page and a printed table of contents whose page numbers are
/// right: each transcript's title is on the page its entry names.
#[test]
#[cfg_attr(
    not(bitext_pdf_tools),
    ignore = "needs poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn the_pdf_anthology_has_a_title_page_and_printed_contents() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let book = out.path().join("examples.pdf");
    let examples = crate::support::manifest_dir().join("examples");
    let made = bitext(&["book", examples.to_str().unwrap(), "-o", book.to_str().unwrap(), "--title", "示例文集", "-q"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let page = |n: usize| run("pdftotext", &["-f", &n.to_string(), "-l", &n.to_string(), book.to_str().unwrap(), "-"]);
    assert!(page(1).contains("示例文集") && page(1).replace(' ', "").contains("共5篇"), "{}", page(1));
    let contents = page(2);
    assert!(contents.contains("目录"), "{contents}");
    // Entries come as a title line and its number (pdftotext keeps the right-hand number apart).
    let lines: Vec<&str> = contents.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut checked = 0;
    for pair in lines.windows(2) {
        let (title, number) = (pair[0], pair[1]);
        let Ok(n) = number.parse::<usize>() else { continue };
        if title.parse::<usize>().is_ok() || title == "目录" || n <= 2 {
            continue;
        }
        let first_words: String = title.chars().take(6).collect();
        assert!(page(n).replace('\n', "").contains(&first_words), "{title} is not on page {n}:\n{}", page(n));
        checked += 1;
    }
    assert!(checked >= 5, "{checked} entries checked:\n{contents}");
}

/// A title page too full for an A5 page in the parallel layout spills its last lines onto the next page;
/// the text then starts on that page, never leaving it nearly empty (14 left four lines alone).
#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_pdf_tools)),
    ignore = "needs the corpus and poppler-utils, qpdf and a Chinese font (apt-get install poppler-utils qpdf fonts-noto-cjk)"
)]
fn a_spilled_title_page_is_not_followed_by_an_empty_page() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    convert(&[&corpus_dir()], out.path(), &["-l", "bi", "--layout", "parallel", "--paper", "a5"]);
    for entry in fs::read_dir(out.path()).unwrap() {
        let pdf = entry.unwrap().path();
        if pdf.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let second = run("pdftotext", &["-f", "2", "-l", "2", pdf.to_str().unwrap(), "-"]);
        let lines = second.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(lines >= 8, "{}: page 2 holds {lines} lines:\n{second}", pdf.display());
    }
}

/// What `tests/pdf/structure.py` (pikepdf) reads back from a PDF: the structure tree, marked content,
/// links and outline.
fn structure(pdf: &Path) -> serde_json::Value {
    let script = crate::support::manifest_dir().join("tests/pdf/structure.py");
    let said = run("python3", &[script.to_str().unwrap(), pdf.to_str().unwrap()]);
    serde_json::from_str(&said).unwrap_or_else(|e| panic!("{}: {e}\n{said}", pdf.display()))
}

#[test]
#[cfg_attr(
    not(all(bitext_pdf_tools, bitext_pikepdf)),
    ignore = "needs poppler-utils, qpdf, a Chinese font and PyPI pikepdf (pip install pikepdf)"
)]
fn pdfs_are_tagged_with_a_language_on_every_paragraph_and_links_that_lead_somewhere() {
    if !ready() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let examples = crate::support::manifest_dir().join("examples");
    // The modern theme sets glossary notes as footnotes, which link to their notes and back.
    convert(&[&examples], out.path(), &["-l", "bi,zh,en", "--theme", "modern"]);
    let mut checked = 0;
    for md in md_files(&examples) {
        let stem = md.file_stem().unwrap().to_string_lossy().to_string();
        let source = fs::read_to_string(&md).unwrap();
        let url =
            source.lines().find_map(|l| l.strip_prefix("source:")).map(|u| u.trim().trim_matches('"').to_string());
        for (suffix, langs) in [("", &["zh-Hans", "en"][..]), (".zh", &["zh-Hans"][..]), (".en", &["en"][..])] {
            let pdf = out.path().join(format!("{stem}{suffix}.pdf"));
            if !pdf.exists() {
                continue;
            }
            let s = structure(&pdf);
            let name = pdf.file_name().unwrap().to_string_lossy().to_string();
            assert_eq!(s["tagged"], true, "{name}");
            assert!(s["mcids"].as_u64().unwrap() > 0, "{name}: {s}");
            assert_eq!(s["unmapped"], 0, "{name}: marked content the parent tree does not lead back to: {s}");
            assert_eq!(s["unlabelled_paragraphs"], 0, "{name}: paragraphs without /Lang: {s}");
            assert!(s["artifacts"].as_u64().unwrap() > 0, "{name}: page furniture is not marked as artifacts");
            for lang in langs {
                assert!(s["languages"][format!("P {lang}")].as_u64().unwrap_or(0) > 0, "{name}: no P in {lang}: {s}");
            }
            let links = s["links"].as_array().unwrap();
            let pages = s["outline"].as_array().unwrap().iter().filter_map(|e| e["page"].as_u64()).max();
            for link in links {
                assert_eq!(link["tagged"], true, "{name}: a link outside the structure tree: {link}");
                assert!(link["uri"].is_string() || link["dest"].is_u64(), "{name}: a link that goes nowhere: {link}");
            }
            if let Some(url) = url.as_deref().filter(|u| u.starts_with("http")) {
                assert!(
                    links.iter().any(|l| l["uri"] == url && l["page"] == 0),
                    "{name}: the source URL is not a link on the title page: {s}"
                );
            }
            // Lists are L > LI > LBody, the body carrying the language.
            let listed = source.lines().any(|l| l.starts_with("- ") || l.starts_with("1. "));
            if listed && suffix != ".en" {
                let count = |kind: &str| s["elements"][kind].as_u64().unwrap_or(0);
                assert!(count("L") > 0 && count("LI") > 0 && count("LI") == count("LBody"), "{name}: {s}");
            }
            // Every footnote: its reference leads to it and it leads back.
            let notes = s["elements"]["Note"].as_u64().unwrap_or(0);
            let internal = links.iter().filter(|l| l["dest"].is_u64()).count() as u64;
            assert_eq!(internal, 2 * notes, "{name}: {s}");
            assert!(pages.is_some(), "{name}: no outline");
            checked += 1;
        }
    }
    assert!(checked >= 9, "{checked}");
    let book = out.path().join("book.pdf");
    let result = crate::support::bitext(&["book", examples.to_str().unwrap(), "-o", book.to_str().unwrap(), "-q"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let s = structure(&book);
    assert_eq!(s["unmapped"], 0, "{s}");
    assert!(s["elements"]["TOCI"].as_u64().unwrap_or(0) >= 5, "{s}");
    // The printed contents: each entry a link to the page the outline gives for the same title.
    let outline: Vec<u64> = s["outline"].as_array().unwrap().iter().filter_map(|e| e["page"].as_u64()).collect();
    let contents: Vec<u64> =
        s["links"].as_array().unwrap().iter().filter(|l| l["page"] == 1).filter_map(|l| l["dest"].as_u64()).collect();
    assert!(contents.len() >= 5, "{s}");
    for dest in contents {
        assert!(outline.contains(&dest), "a contents entry leads to page {dest}, where no outline entry is: {s}");
    }
}
