//! The manifest of an output folder (`bitext-manifest.json`): for every transcript built into it, the
//! digest of the input's bytes, what the catalog says of it, and every output with the key it was built
//! under, its size and its digest. A run compares each output's key (see [`output_key`]) with the
//! record and rewrites only what changed; it removes the recorded outputs of transcripts that are gone;
//! the catalog is made from the manifest alone.
//!
//! A sharded run (`--shard K/N`) reads the manifest but never writes it: it writes its own part,
//! `bitext-manifest.shard-K-of-N.json`, with the records of the transcripts that fall to its shard.
//! Whoever reads the manifest next (`bitext catalog`, or any run) folds the parts in, each part telling
//! the truth about its own shard, and removes them; so N sharded runs and a catalog leave exactly the
//! folder one run leaves. The file has no times in it and its records are in order, so that the same
//! build gives the same bytes.

use crate::emit::transcript_urn;
use crate::ir::{Document, Lang};
use crate::select::{display_title, View};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest's name at the output folder's root.
pub const MANIFEST: &str = "bitext-manifest.json";
const PART_PREFIX: &str = "bitext-manifest.shard-";
const PART_SUFFIX: &str = ".json";

/// What an output folder holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The archive's title, as the catalog names it.
    pub title: String,
    /// Transcripts by their place in the output folder, the output stem (`talks/ai/20-chris-lattner`).
    pub transcripts: BTreeMap<String, Entry>,
}

/// One transcript in the output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The name of the folder it was found in (empty for a file named on its own) and its path below
    /// that folder, with `/` between folders.
    pub root: String,
    pub input: String,
    /// SHA-256 of the input's bytes, in hex.
    pub sha256: String,
    pub meta: CatalogMeta,
    /// In the order of their paths.
    pub outputs: Vec<OutputRecord>,
    /// Languages asked for in which it has no text, so nothing was written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_text: Vec<View>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputRecord {
    /// Below the output folder, with `/` between folders.
    pub path: String,
    pub format: String,
    pub lang: View,
    /// What it was built from (see [`output_key`]).
    pub key: String,
    pub bytes: u64,
    /// SHA-256 of the file, in hex.
    pub sha256: String,
}

/// What the catalog says of one transcript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogMeta {
    /// The transcript's lasting identity (front matter `id`, its source URL or its path) and the URN
    /// made from it.
    pub id: String,
    pub urn: String,
    pub title: String,
    /// The English edition's title, when there is English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The languages it has text in (`zh`, `en`).
    pub languages: Vec<String>,
}

impl CatalogMeta {
    pub fn of(doc: &Document) -> CatalogMeta {
        let m = &doc.meta;
        let languages: Vec<String> =
            [Lang::Zh, Lang::En].into_iter().filter(|&l| doc.has_lang(l)).map(|l| l.bcp47().to_string()).collect();
        CatalogMeta {
            id: m.id.clone().unwrap_or_default(),
            urn: transcript_urn(doc),
            title: m.title.clone(),
            title_en: doc.has_lang(Lang::En).then(|| display_title(doc, View::En)),
            speaker: m.speaker.clone(),
            guest: m.guest.clone(),
            author: m.author.clone(),
            date: m.date.clone(),
            source: m.source.clone(),
            category: m.category.clone(),
            area: m.area.clone(),
            series: m.series.clone(),
            tags: m.tags.clone(),
            summary: m.summary.clone(),
            languages,
        }
    }
}

/// A part of the inputs: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Everything: the shard of a run that is not sharded.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// True when the transcript whose output stem is `stem` falls to this shard. The digest of the stem
    /// decides, the same on every machine; inputs that would collide on an output share a stem, so one
    /// shard sees both and refuses the later one as a single run does.
    pub fn contains(self, stem: &str) -> bool {
        let digest = Sha256::digest(stem.as_bytes());
        let n = u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"));
        n % u64::from(self.count) == u64::from(self.index - 1)
    }

    fn part_name(self) -> String {
        format!("{PART_PREFIX}{}-of-{}{PART_SUFFIX}", self.index, self.count)
    }

    /// `bitext-manifest.shard-2-of-4.json` as shard 2 of 4.
    fn of_part_name(name: &str) -> Option<Shard> {
        let inner = name.strip_prefix(PART_PREFIX)?.strip_suffix(PART_SUFFIX)?;
        let (index, count) = inner.split_once("-of-")?;
        let shard = Shard { index: index.parse().ok()?, count: count.parse().ok()? };
        (shard.count >= 1 && (1..=shard.count).contains(&shard.index)).then_some(shard)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wrong = || format!("`{s}` is not a shard; write K/N with 1 <= K <= N, as 2/4");
        let (k, n) = s.split_once('/').ok_or_else(wrong)?;
        let (index, count): (u32, u32) =
            (k.trim().parse().map_err(|_| wrong())?, n.trim().parse().map_err(|_| wrong())?);
        if count == 0 || index == 0 || index > count {
            return Err(wrong());
        }
        Ok(Shard { index, count })
    }
}

/// What one output is built from: bitext's version, the format and language, the input's bytes and the
/// options the format depends on (`WriteOptions::fingerprint`, and the archive file when the format shows
/// its names). Equal keys mean equal bytes.
pub fn output_key(format: &str, view: View, input_sha256: &str, options: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [env!("CARGO_PKG_VERSION"), format, view.name(), input_sha256, options] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A manifest or part that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {why}")]
pub struct ManifestError {
    pub path: String,
    pub why: String,
}

/// The manifest of `folder` with every part found there folded in (an absent manifest is empty), and the
/// parts that were folded in, to be removed once the manifest is written.
pub fn load(folder: &Path) -> Result<(Manifest, Vec<(Shard, String)>), ManifestError> {
    let mut manifest: Manifest = read_json(&folder.join(MANIFEST))?.unwrap_or_default();
    let parts = parts_in(folder)?;
    for (shard, name) in &parts {
        if let Some(part) = read_json::<Manifest>(&folder.join(name))? {
            fold(&mut manifest, *shard, part);
        }
    }
    Ok((manifest, parts))
}

/// The parts in `folder`, in order of their names.
pub fn parts_in(folder: &Path) -> Result<Vec<(Shard, String)>, ManifestError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ManifestError { path: folder.display().to_string(), why: e.to_string() }),
    };
    let mut parts: Vec<(Shard, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Shard::of_part_name(&name).map(|shard| (shard, name))
        })
        .collect();
    parts.sort_by_key(|(shard, _)| (shard.count, shard.index));
    Ok(parts)
}

/// A part tells the truth about its shard: what the manifest says of the shard's transcripts is
/// replaced by what the part says.
pub fn fold(manifest: &mut Manifest, shard: Shard, part: Manifest) {
    manifest.transcripts.retain(|stem, _| !shard.contains(stem));
    manifest.transcripts.extend(part.transcripts);
    if !part.title.is_empty() {
        manifest.title = part.title;
    }
}

/// The manifest (or a shard's part) as the bytes of its file.
pub fn to_bytes(manifest: &Manifest) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(manifest).expect("a manifest is plain data");
    bytes.push(b'\n');
    bytes
}

/// The name of the file a run writes its records to: the manifest, or a shard's part.
pub fn file_name(shard: Shard) -> String {
    if shard == Shard::ALL {
        MANIFEST.to_string()
    } else {
        shard.part_name()
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, ManifestError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ManifestError { path: path.display().to_string(), why: e.to_string() }),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| ManifestError { path: path.display().to_string(), why: format!("line {}: {e}", e.line()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_divide_the_stems_between_them() {
        let stems: Vec<String> = (0..400).map(|i| format!("talks/{i:03}-a-talk")).collect();
        let shards: Vec<Shard> = (1..=4).map(|index| Shard { index, count: 4 }).collect();
        for stem in &stems {
            assert_eq!(shards.iter().filter(|s| s.contains(stem)).count(), 1, "{stem}");
            assert!(Shard::ALL.contains(stem));
        }
        for shard in &shards {
            let n = stems.iter().filter(|s| shard.contains(s)).count();
            assert!((60..=140).contains(&n), "{shard:?} has {n} of 400");
        }
    }

    #[test]
    fn shards_are_read_from_the_command_line_and_from_part_names() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for wrong in ["0/4", "5/4", "1/0", "2", "a/b", "-1/3"] {
            assert!(wrong.parse::<Shard>().is_err(), "{wrong}");
        }
        let shard = Shard { index: 3, count: 8 };
        assert_eq!(Shard::of_part_name(&shard.part_name()), Some(shard));
        assert_eq!(Shard::of_part_name("bitext-manifest.shard-9-of-8.json"), None);
        assert_eq!(file_name(Shard::ALL), MANIFEST);
    }

    #[test]
    fn a_part_replaces_what_the_manifest_says_of_its_shard_only() {
        let entry = |sha: &str| Entry {
            root: "a".into(),
            input: "x.md".into(),
            sha256: sha.into(),
            meta: CatalogMeta::default(),
            outputs: Vec::new(),
            no_text: Vec::new(),
        };
        let stems: Vec<String> = (0..40).map(|i| format!("t{i}")).collect();
        let mut manifest = Manifest::default();
        for stem in &stems {
            manifest.transcripts.insert(stem.clone(), entry("old"));
        }
        let shard = Shard { index: 1, count: 2 };
        let mut part = Manifest { title: "T".into(), ..Manifest::default() };
        for stem in stems.iter().filter(|s| shard.contains(s)).skip(1) {
            part.transcripts.insert(stem.clone(), entry("new"));
        }
        fold(&mut manifest, shard, part);
        for stem in &stems {
            let sha = manifest.transcripts.get(stem).map(|e| e.sha256.as_str());
            if shard.contains(stem) {
                assert!(sha.is_none() || sha == Some("new"), "{stem}");
            } else {
                assert_eq!(sha, Some("old"), "{stem}");
            }
        }
        assert_eq!(manifest.title, "T");
    }

    #[test]
    fn keys_change_with_every_part() {
        let base = output_key("epub", View::Bi, "abc", "theme=1");
        assert_eq!(base, output_key("epub", View::Bi, "abc", "theme=1"));
        assert_ne!(base, output_key("pdf", View::Bi, "abc", "theme=1"));
        assert_ne!(base, output_key("epub", View::Zh, "abc", "theme=1"));
        assert_ne!(base, output_key("epub", View::Bi, "abd", "theme=1"));
        assert_ne!(base, output_key("epub", View::Bi, "abc", "theme=2"));
    }
}
