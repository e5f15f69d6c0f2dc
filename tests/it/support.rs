//! Helpers shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bitext(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bitext")).args(args).output().expect("run bitext")
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures_dir() -> PathBuf {
    manifest_dir().join("tests/fixtures")
}

/// The shared corpus. Its absence is a failure, not a skip: CI has it beside the checkout.
pub fn corpus_dir() -> PathBuf {
    let dir =
        std::env::var_os("BITEXT_CORPUS").map(PathBuf::from).unwrap_or_else(|| manifest_dir().join("../shared/corpus"));
    assert!(dir.is_dir(), "corpus not found at {}; set BITEXT_CORPUS", dir.display());
    dir
}

/// Every `*.md` file in a folder, sorted.
pub fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// The files an archive build keeps beside its outputs: the manifest, its shards' parts and the catalog.
pub fn is_build_record(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.starts_with("bitext-manifest") || matches!(name.as_str(), "catalog.json" | "catalog.csv" | "opds.xml")
}

/// Every file below `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `%XX` in a relative URL back to the text it stands for.
pub fn percent_decoded(href: &str) -> String {
    let bytes = href.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], href.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A child process that is killed and reaped when dropped, so that a failing test leaves no server or
/// watcher running (std knows whether the child was already reaped, so no other process is touched).
pub struct Reaped(pub std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The text after the front matter.
pub fn body(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

pub fn is_han(c: char) -> bool {
    bitext::script::is_han(c)
}

/// Latin words (letters and digits) in order, lowercased.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect()
}

pub fn han(text: &str) -> String {
    text.chars().filter(|&c| is_han(c)).collect()
}

/// Position just after `needle` found contiguously in `hay` at or after `from`.
pub fn find_seq<T: PartialEq>(hay: &[T], needle: &[T], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from);
    }
    (from..hay.len().saturating_sub(needle.len() - 1))
        .find(|&i| hay[i..i + needle.len()] == *needle)
        .map(|i| i + needle.len())
}

/// `bitext convert INPUTS... -o OUT ARGS...`.
pub fn convert(inputs: &[&Path], out: &Path, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec!["convert".into()];
    all.extend(inputs.iter().map(|p| p.to_string_lossy().into_owned()));
    all.extend(["-o".to_string(), out.to_string_lossy().into_owned()]);
    all.extend(args.iter().map(|a| a.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    bitext(&all)
}
