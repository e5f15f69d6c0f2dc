//! Bad input through the binary: a clear message naming file and line, a non-zero exit, no partial
//! output, and the other files of the batch still converted.

use crate::support::{bitext, fixtures_dir, stderr};
use std::fs;
use std::path::Path;

fn bad(name: &str) -> String {
    fixtures_dir().join("bad").join(name).to_string_lossy().into_owned()
}

/// Convert one file; return (exit code, stderr, files written).
fn convert_one(input: &str) -> (Option<i32>, String, Vec<String>) {
    let out = tempfile::tempdir().unwrap();
    let result = bitext(&["convert", input, "-o", out.path().to_str().unwrap(), "-t", "md,txt,json"]);
    (result.status.code(), stderr(&result), list(out.path()))
}

/// Every file under `dir`, temporary files included.
fn list(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                names.extend(list(&e.path()));
            } else if !crate::support::is_build_record(&e.path()) {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names
}

#[test]
fn each_bad_file_fails_with_its_line_and_writes_nothing() {
    let cases = [
        ("empty.md", "file is empty", None),
        ("malformed_yaml.md", "invalid YAML in front matter", Some(":4:")),
        ("nul_bytes.md", "NUL byte at line 4", Some(":4:")),
        ("binary_junk.md", "binary", None),
        ("unterminated_front_matter.md", "never closed", Some(":1:")),
    ];
    for (name, message, location) in cases {
        let path = bad(name);
        let (code, err, written) = convert_one(&path);
        assert_eq!(code, Some(1), "{name}: {err}");
        assert!(err.contains(message), "{name}: {err}");
        assert!(err.contains(name), "{name}: message must name the file: {err}");
        if let Some(loc) = location {
            assert!(err.contains(&format!("{name}{loc}")), "{name}: message must name the line: {err}");
        }
        assert!(written.is_empty(), "{name}: wrote {written:?}");
        assert!(err.contains("0 files"), "{name}: summary: {err}");
    }
}

#[test]
fn gbk_is_read_with_a_warning() {
    let (code, err, written) = convert_one(&bad("gbk.md"));
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("GB18030/GBK"), "{err}");
    assert!(written.contains(&"gbk.zh.md".to_string()), "{written:?}");
}

#[test]
fn a_batch_with_bad_files_converts_the_good_ones_and_exits_1() {
    let out = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["empty.md", "nul_bytes.md", "malformed_yaml.md"] {
        fs::copy(bad(name), dir.path().join(name)).unwrap();
    }
    fs::copy(fixtures_dir().join("timestamps.md"), dir.path().join("good.md")).unwrap();
    let result = bitext(&["convert", dir.path().to_str().unwrap(), "-o", out.path().to_str().unwrap()]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert_eq!(list(out.path()), ["good.en.md", "good.md", "good.zh.md"]);
    assert!(err.contains("converted 1 file (3 outputs), 3 failed"), "{err}");
    // Messages come in input order, whatever thread finished first.
    let order: Vec<_> =
        ["empty.md", "malformed_yaml.md", "nul_bytes.md"].iter().map(|n| err.find(n).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let result = bitext(&["convert", "x.md", "-t", "docx"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("unknown format `docx`"));
    let result = bitext(&["convert", "x.md", "-l", "fr"]);
    assert_eq!(result.status.code(), Some(2));
    let result = bitext(&["frobnicate"]);
    assert_eq!(result.status.code(), Some(2));
    let result = bitext(&["convert", "x.md", "-t", "epb"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("did you mean `epub`?"), "{}", stderr(&result));
}

#[test]
fn rough_edges_are_one_line_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures_dir().join("timestamps.md");
    let input = input.to_str().unwrap();
    // An output folder that is a file.
    let file = dir.path().join("taken");
    fs::write(&file, "x").unwrap();
    let result = bitext(&["convert", input, "-o", file.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(stderr(&result).lines().count(), 1, "{}", stderr(&result));
    assert!(stderr(&result).contains("is a file, not a folder"), "{}", stderr(&result));
    // A book whose file name and format disagree, or whose format cannot be told.
    let book = |out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec!["book", input, "-o", out.to_str().unwrap()];
        args.extend(extra);
        bitext(&args)
    };
    let result = book("b.txt", &[]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("cannot tell the book's format"), "{}", stderr(&result));
    let result = book("x.pdf", &["-t", "epub"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("does not end in .epub"), "{}", stderr(&result));
    assert!(!dir.path().join("x.pdf").exists() && !dir.path().join("b.txt").exists());
    // Standard input takes one language by default.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", "-", "-t", "txt"])
        .stdin(fs::File::open(input).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Meteor showers") && text.contains("流星雨"), "{text}");
    // The summary in plain English.
    let result = bitext(&["convert", input, "-t", "json", "-o", dir.path().join("o").to_str().unwrap()]);
    assert!(stderr(&result).contains("converted 1 file (1 output), 0 failed, 0 warnings"), "{}", stderr(&result));
}

#[test]
fn a_missing_input_is_reported_and_the_rest_convert() {
    let out = tempfile::tempdir().unwrap();
    let good = fixtures_dir().join("crlf_bom.md");
    let result =
        bitext(&["convert", "no/such/file.md", good.to_str().unwrap(), "-o", out.path().to_str().unwrap(), "-l", "zh"]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("no/such/file.md"));
    assert_eq!(list(out.path()), ["crlf_bom.zh.md"]);
}

#[test]
fn an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("talk.md");
    fs::copy(fixtures_dir().join("timestamps.md"), &input).unwrap();
    let before = fs::read(&input).unwrap();
    let result = bitext(&["convert", input.to_str().unwrap(), "-o", dir.path().to_str().unwrap(), "-l", "bi"]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("inside the output folder"), "{}", stderr(&result));
    assert_eq!(fs::read(&input).unwrap(), before);
}

#[test]
fn check_reports_errors_and_exits_1() {
    let result =
        bitext(&["check", &bad("malformed_yaml.md"), &fixtures_dir().join("truncated_ending.md").to_string_lossy()]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("truncated_ending.md:18"), "{err}");
    assert!(err.contains("checked 1 file, 1 failed"), "{err}");
    let result = bitext(&["check", &fixtures_dir().join("summary_variants.md").to_string_lossy()]);
    assert_eq!(result.status.code(), Some(0));
}

#[test]
fn english_of_a_chinese_only_file_writes_no_empty_file() {
    let (code, err, written) = convert_one(&fixtures_dir().join("chinese_only.md").to_string_lossy());
    assert_eq!(code, Some(0));
    assert!(err.contains("no English text; no `en` md, txt written"), "{err}");
    assert!(!written.iter().any(|n| n.contains(".en.")), "{written:?}");
}

#[test]
fn stdin_to_stdout() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", "-", "-t", "md", "-l", "en"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&fs::read(fixtures_dir().join("timestamps.md")).unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Meteor showers happen"));
    assert!(!text.split("\n---\n").nth(1).unwrap().chars().any(bitext::script::is_han));
}

#[test]
fn nothing_panics_on_arbitrary_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let samples: Vec<Vec<u8>> = vec![
        b"---\n---\n".to_vec(),
        b"---\n".to_vec(),
        b"<details>".to_vec(),
        b"</details></details><p class=\"english-text\">".to_vec(),
        b"<details>\n<summary>".to_vec(),
        "**：**\n\n>>\n\n**a**（\n\n（：）".as_bytes().to_vec(),
        b"\xef\xbb\xbf\r\n\r\n".to_vec(),
        (0..=255u8).cycle().skip(1).take(3000).filter(|&b| b != 0).collect(),
        "- **x**：\n  - **y**：\n1. [a](b) <br> `c`".as_bytes().to_vec(),
    ];
    for (i, bytes) in samples.iter().enumerate() {
        fs::write(dir.path().join(format!("s{i}.md")), bytes).unwrap();
    }
    let result =
        bitext(&["convert", dir.path().to_str().unwrap(), "-o", out.path().to_str().unwrap(), "-t", "md,txt,json"]);
    let err = stderr(&result);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(result.status.code(), Some(0) | Some(1)), "{err}");
}

/// EPUB or PDF bytes are never poured onto a terminal: run under `script`, which gives the command a
/// terminal for its output (util-linux; where it is missing the test says so and checks nothing).
#[test]
fn binary_output_is_refused_on_a_terminal() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: needs `script` (util-linux) to give bitext a terminal");
        return;
    }
    let input = fixtures_dir().join("timestamps.md");
    let line = format!("'{}' convert - -t epub < '{}'", env!("CARGO_BIN_EXE_bitext"), input.display());
    let out = std::process::Command::new("script").args(["-qec", &line, "/dev/null"]).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("is binary and standard output is a terminal"), "{shown}");
    assert!(!shown.contains("mimetype"), "EPUB bytes reached the terminal");
}

/// The README's sample summary is what a run of the corpus prints.
#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn the_readme_summary_is_a_real_run() {
    let out = tempfile::tempdir().unwrap();
    let result = crate::support::convert(&[&crate::support::corpus_dir()], out.path(), &["-q"]);
    let summary = stderr(&result).lines().last().unwrap().to_string();
    let readme = fs::read_to_string(crate::support::manifest_dir().join("README.md")).unwrap();
    assert!(readme.contains(&format!("`{summary}`")), "the README does not show `{summary}`");
}
