//! Promises the project makes about itself.

use crate::support::manifest_dir;
use std::process::Command;

/// A version as numbers, for comparing (`1.89` < `1.89.1` < `1.90`).
fn version(v: &str) -> Vec<u32> {
    v.split('.').map(|n| n.parse().unwrap_or(0)).collect()
}

/// The stated minimum Rust is the highest minimum of every locked dependency: cargo refuses any older
/// toolchain anyway.
#[test]
fn the_stated_minimum_rust_is_the_locked_dependencies_minimum() {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(manifest_dir())
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages.iter().find(|p| p["name"] == "bitext").unwrap()["rust_version"].as_str().unwrap().to_string();
    let (needed, by) = packages
        .iter()
        .filter(|p| p["name"] != "bitext")
        .filter_map(|p| Some((p["rust_version"].as_str()?.to_string(), p["name"].as_str()?.to_string())))
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    assert_eq!(version(&ours), version(&needed), "rust-version is {ours}, but {by} needs {needed}");
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    assert!(readme.contains(&format!("Rust toolchain ({ours} or newer")), "the README states another minimum");
}

#[test]
fn completions_manual_and_colour_are_there() {
    use crate::support::{bitext, fixtures_dir, stderr};
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = bitext(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("convert"), "{shell}");
    }
    let man = bitext(&["man"]);
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH bitext 1"));
    let help = bitext(&["book", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("EPUB or PDF") && help.contains(".pdf"), "{help}");
    let input = fixtures_dir().join("truncated_ending.md");
    let coloured = bitext(&["check", input.to_str().unwrap(), "--color", "always"]);
    assert!(stderr(&coloured).contains("\u{1b}["), "{}", stderr(&coloured));
    let plain = bitext(&["check", input.to_str().unwrap(), "--color", "never"]);
    assert!(!stderr(&plain).contains("\u{1b}["), "{}", stderr(&plain));
}

/// WCAG relative luminance of `#rgb` or `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let full: String = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_string() };
    let channel = |i: usize| {
        let c = u8::from_str_radix(&full[i..i + 2], 16).unwrap() as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

/// Every text colour of every built-in theme's EPUB style sheet reads at least 4.5:1 (WCAG AA for body
/// text) on white and on every background the sheet sets: Ace by DAISY found `.timestamp` at 2.84:1 and
/// `.stage` at 4.47:1 before.
#[test]
fn theme_text_colours_have_enough_contrast() {
    let hex_after = |css: &str, property: &str| -> Vec<String> {
        css.split(property)
            .skip(1)
            .filter_map(|rest| rest.trim_start().strip_prefix('#'))
            .map(|rest| format!("#{}", rest.chars().take_while(char::is_ascii_hexdigit).collect::<String>()))
            .collect()
    };
    let mut checked = 0;
    for theme in ["classic", "modern"] {
        let css = std::fs::read_to_string(manifest_dir().join("themes").join(theme).join("epub.css")).unwrap();
        let css: String = css.split("/*").map(|part| part.split_once("*/").map_or(part, |(_, after)| after)).collect();
        let mut grounds = vec!["#ffffff".to_string()];
        grounds.extend(hex_after(&css, "background:"));
        for colour in hex_after(&css, "\n  color:").into_iter().chain(hex_after(&css, " color:")) {
            for ground in &grounds {
                let (a, b) = (luminance(&colour), luminance(ground));
                let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
                assert!(ratio >= 4.5, "{theme}: {colour} on {ground} is {ratio:.2}:1");
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "{checked}");
}
