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
