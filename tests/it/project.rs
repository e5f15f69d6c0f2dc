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
