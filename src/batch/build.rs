//! An archive build: every input converted into the output folder, incrementally.
//!
//! Each output is built under a key (`manifest::output_key`): bitext's version, its format and language,
//! the digest of its input's bytes and the options the format depends on. An output whose key, file and
//! size agree with the manifest is left alone, and an input whose outputs all agree is not even parsed;
//! the outputs the manifest records for inputs that are gone are removed. Then the manifest is written,
//! and, for a run that is not a shard, the catalog. Files are written only when their bytes change.
//!
//! A stop request (`request_stop`, on Ctrl-C) is seen between inputs: the inputs under way finish, no
//! more start, and the manifest records what is on disk, so the next run takes up where this one ended.

use super::catalog::files as catalog_files;
use super::manifest::{self, output_key, CatalogMeta, Entry, Manifest, OutputRecord, Shard};
use super::{parse_input, read_bytes, stem_of, FileReport, Input, OutputRoot, Plan, Workers};
use crate::diag::Diagnostic;
use crate::emit::{Languages, Writer};
use crate::ir::Lang;
use crate::select::{select, Selected, View};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Ask the build under way to stop after the inputs it is converting.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// True once a stop has been asked for.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Rebuild every output, whatever the manifest says.
    pub force: bool,
    /// The part of the inputs this run converts.
    pub shard: Shard,
    /// The names of the input folders of the run (`root_name`): only transcripts found under these can be
    /// gone; what the manifest records of other folders is kept.
    pub roots: Vec<String>,
    /// The archive's title, for the catalog.
    pub title: String,
}

/// What a build did, beyond the reports of its inputs.
#[derive(Debug, Default)]
pub struct BuildSummary {
    /// Outputs removed because their transcripts are gone.
    pub removed: usize,
    /// Inputs left for the next run because a stop was asked for.
    pub not_reached: usize,
    /// The manifest or catalog could not be written.
    pub failure: Option<Diagnostic>,
}

/// One output an input may write.
struct Target {
    /// Below the output folder.
    rel: PathBuf,
    writer: &'static dyn Writer,
}

/// The outputs one input may write, by view, or why it may write none.
type Claim = Result<Vec<(View, Vec<Target>)>, Diagnostic>;

/// Build every input of `shard` into `root`: `start` is told how many inputs that is, then each report
/// goes to `done` as soon as it and every earlier one are ready, in input order. Temporary files that killed runs left in `root` are swept first. Fails
/// before converting anything when the manifest cannot be read.
pub fn build(
    inputs: &[Input],
    plan: &Plan,
    root: &OutputRoot,
    options: &BuildOptions,
    workers: &Workers,
    start: impl FnOnce(usize),
    mut done: impl FnMut(FileReport),
) -> Result<BuildSummary, Diagnostic> {
    root.sweep_stale_temporaries();
    let (mut manifest, parts) = manifest::load(root.path()).map_err(|e| {
        Diagnostic::error(0, format!("cannot read the manifest {e}"))
            .with_hint("remove it to rebuild the folder from scratch (outputs of gone transcripts then stay)")
    })?;
    let inputs: Vec<&Input> = inputs.iter().filter(|i| options.shard.contains(&stem_key(i))).collect();
    start(inputs.len());
    let claims = claim_outputs(&inputs, plan, root);
    let prints: HashMap<&str, String> =
        plan.formats.iter().map(|w| (w.name(), plan.options.fingerprint(w.format().uses))).collect();
    let old = &manifest;
    let work: Vec<(&Input, &Claim)> = inputs.iter().copied().zip(claims.iter()).collect();
    let mut results: Vec<(String, Outcome)> = Vec::with_capacity(work.len());
    workers.map_in_order(
        &work,
        |(input, claim)| {
            let stem = stem_key(input);
            if stop_requested() {
                return (stem, None, Outcome::NotReached);
            }
            let (report, outcome) =
                convert_one(input, claim, plan, root, &prints, old.transcripts.get(&stem), options.force);
            (stem, Some(report), outcome)
        },
        |(stem, report, outcome)| {
            if let Some(report) = report {
                done(report);
            }
            results.push((stem, outcome));
        },
    );
    let mut summary = BuildSummary::default();
    let present: BTreeSet<String> = inputs.iter().map(|i| stem_key(i)).collect();
    for (stem, outcome) in results {
        match outcome {
            Outcome::Built(entry) => {
                manifest.transcripts.insert(stem, *entry);
            }
            Outcome::NotReached => summary.not_reached += 1,
            Outcome::Kept => {}
        }
    }
    if summary.not_reached == 0 {
        summary.removed = remove_gone(&mut manifest, &present, options, root);
    }
    manifest.title = options.title.clone();
    summary.failure = save(&manifest, options.shard, &parts, root).err();
    Ok(summary)
}

/// What converting one input came to, for the manifest.
enum Outcome {
    /// Its entry, new or as it was.
    Built(Box<Entry>),
    /// It could not be read; what the manifest said of it stays.
    Kept,
    /// A stop came first.
    NotReached,
}

/// Where an input's outputs go, without extension, with `/` between folders: its key in the manifest and
/// what decides its shard.
fn stem_key(input: &Input) -> String {
    let mut parts: Vec<String> =
        safe_rel(&input.rel_dir).components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.push(stem_of(&input.path));
    parts.join("/")
}

/// The outputs to make for each input, grouped by view so that each view is selected once: (view,
/// writers). A format that is the same in every language is made once, with the bilingual view.
fn targets(plan: &Plan) -> Vec<(View, Vec<&'static dyn Writer>)> {
    let mut by_view: Vec<(View, Vec<&'static dyn Writer>)> = Vec::new();
    let mut add = |view: View, writer: &'static dyn Writer| match by_view.iter_mut().find(|(v, _)| *v == view) {
        Some((_, writers)) => writers.push(writer),
        None => by_view.push((view, vec![writer])),
    };
    for &writer in &plan.formats {
        if writer.format().languages == Languages::WholeDocument {
            add(View::Bi, writer);
        } else {
            for &view in &plan.views {
                add(view, writer);
            }
        }
    }
    by_view.sort_by_key(|(v, _)| *v);
    by_view
}

/// The outputs each input may write, decided before any work starts: an output that another input already
/// claims is refused for the later input.
fn claim_outputs(inputs: &[&Input], plan: &Plan, root: &OutputRoot) -> Vec<Claim> {
    let mut owners: HashMap<PathBuf, PathBuf> = HashMap::new();
    let targets = targets(plan);
    inputs
        .iter()
        .map(|input| {
            let dir = safe_rel(&input.rel_dir);
            let stem = stem_of(&input.path);
            let mut claimed = Vec::new();
            for (view, writers) in &targets {
                let mut outputs = Vec::new();
                for &writer in writers {
                    let rel = dir.join(super::output_name(&stem, writer, *view));
                    if let Some(owner) = owners.get(&rel) {
                        let path = root.path().join(&rel);
                        return Err(Diagnostic::error(
                            0,
                            format!("output {} is also the output of {}", path.display(), owner.display()),
                        )
                        .with_hint("convert one of them separately"));
                    }
                    outputs.push(Target { rel, writer });
                }
                claimed.push((*view, outputs));
            }
            for (_, outputs) in &claimed {
                for target in outputs {
                    owners.insert(target.rel.clone(), input.path.clone());
                }
            }
            Ok(claimed)
        })
        .collect()
}

/// Keep only normal components, so nothing is ever written outside the output folder.
fn safe_rel(rel: &Path) -> PathBuf {
    rel.components().filter(|c| matches!(c, Component::Normal(_))).map(|c| c.as_os_str()).collect()
}

/// A path below the output folder as the manifest writes it, with `/` between folders.
fn slashed(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Convert one input: the outputs whose keys changed (or that are missing) are written, the rest kept.
fn convert_one(
    input: &Input,
    claim: &Claim,
    plan: &Plan,
    root: &OutputRoot,
    prints: &HashMap<&str, String>,
    old: Option<&Entry>,
    force: bool,
) -> (FileReport, Outcome) {
    let targets = match claim {
        Ok(t) => t,
        Err(why) => return (FileReport::failing(&input.path, why.clone()), Outcome::Kept),
    };
    let mut report = FileReport::new(&input.path);
    let bytes = match read_bytes(input) {
        Ok(bytes) => bytes,
        Err(why) => {
            report.diagnostics.push(why);
            return (report, Outcome::Kept);
        }
    };
    let sha256 = manifest::hex(&Sha256::digest(&bytes));
    // Every output's key, once: what it would be built under now.
    let archive_print = format!("{:?}", input.archive);
    let keys: HashMap<&Path, String> = targets
        .iter()
        .flat_map(|(view, outputs)| outputs.iter().map(move |t| (*view, t)))
        .map(|(view, t)| {
            let options = prints.get(t.writer.name()).map_or("", String::as_str);
            let print =
                if t.writer.format().uses.archive { format!("{options}{archive_print}") } else { options.to_string() };
            (t.rel.as_path(), output_key(t.writer.name(), view, &sha256, &print))
        })
        .collect();
    let recorded = |rel: &Path| -> Option<&OutputRecord> {
        let path = slashed(rel);
        old.and_then(|e| e.outputs.iter().find(|o| o.path == path))
    };
    // Up to date: built under the same key, and still on disk at the size it was written.
    let up_to_date = |target: &Target| -> Option<OutputRecord> {
        let record = recorded(&target.rel).filter(|r| !force && r.key == keys[target.rel.as_path()])?;
        (root.size_of(&target.rel) == Some(record.bytes)).then(|| record.clone())
    };
    let same_input = old.is_some_and(|e| e.sha256 == sha256);
    let no_text = |view: View| same_input && old.is_some_and(|e| e.no_text.contains(&view));
    let all_current = same_input
        && targets.iter().all(|(view, outputs)| no_text(*view) || outputs.iter().all(|t| up_to_date(t).is_some()));
    if all_current {
        report.unchanged = true;
        return (report, Outcome::Built(Box::new(old.cloned().expect("checked above"))));
    }
    let parsed = match parse_input(input, bytes) {
        Ok(parsed) => parsed,
        Err((why, text)) => {
            report.diagnostics.push(why);
            if let Some(text) = text {
                report.keep_lines(&text);
            }
            return (report, Outcome::Kept);
        }
    };
    report.diagnostics = parsed.diagnostics;
    let mut records: Vec<OutputRecord> = Vec::new();
    let mut without_text: Vec<View> = Vec::new();
    let mut notes = Notes::default();
    for (view, outputs) in targets {
        let Some(selected) = select(&parsed.doc, *view, &input.archive) else {
            let what = match view.lang() {
                Some(Lang::Zh) => "no Chinese text",
                _ => "no English text",
            };
            let formats: Vec<&str> = outputs.iter().map(|t| t.writer.name()).collect();
            let message = format!("{what}; no `{view}` {} written", formats.join(", "));
            report.diagnostics.push(Diagnostic::warning(0, message));
            without_text.push(*view);
            for target in outputs {
                // A stale output from an earlier run would now be wrong: remove it.
                root.remove(&target.rel);
            }
            continue;
        };
        for target in outputs {
            if let Some(record) = up_to_date(target) {
                records.push(record);
                continue;
            }
            match write_output(target, &selected, plan, root) {
                Ok((found, bytes, sha256)) => {
                    notes.add(found, target.writer.name());
                    report.outputs.push(root.path().join(&target.rel));
                    let (path, format, key) =
                        (slashed(&target.rel), target.writer.name().into(), keys[target.rel.as_path()].clone());
                    records.push(OutputRecord { path, format, lang: *view, key, bytes, sha256 });
                }
                Err(why) => report.diagnostics.push(why),
            }
        }
    }
    report.diagnostics.extend(notes.into_diagnostics());
    // Problems in the order of the lines they are about; what concerns the whole file first.
    report.diagnostics.sort_by_key(|d| d.line);
    report.keep_lines(&parsed.text);
    records.extend(kept_records(old, targets, root));
    records.sort_by(|a, b| a.path.cmp(&b.path));
    let rel_input = safe_rel(&input.rel_dir).join(input.path.file_name().unwrap_or_default());
    let entry = Entry {
        root: input.root.clone(),
        input: slashed(&rel_input),
        sha256,
        meta: CatalogMeta::of(&parsed.doc),
        outputs: records,
        no_text: without_text,
    };
    (report, Outcome::Built(Box::new(entry)))
}

/// Write one output: the writer writes straight into the output's temporary file; on any failure the
/// file is thrown away and the writer's own error, with its causes, is what comes back. On success, what
/// the writer noticed, and the file's size and SHA-256.
fn write_output(
    target: &Target,
    selected: &Selected<'_>,
    plan: &Plan,
    root: &OutputRoot,
) -> Result<(Vec<Diagnostic>, u64, String), Diagnostic> {
    let mut writer_failure = None;
    let written = root.write_recorded(&target.rel, |file| {
        let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, file);
        let notes = target.writer.write(selected, &plan.options, &mut buffered).map_err(|e| {
            let why = Diagnostic::error_chain(&e);
            let message = why.message.clone();
            writer_failure = Some(why);
            std::io::Error::other(message)
        })?;
        buffered.flush()?;
        Ok(notes)
    });
    written.map_err(|why| writer_failure.unwrap_or(why))
}

/// What the writers of one input noticed, each problem once with the formats that noticed it: SRT and
/// VTT of one view say the same.
#[derive(Default)]
struct Notes {
    notes: Vec<(Diagnostic, Vec<&'static str>)>,
    seen: HashMap<(u32, String), usize>,
}

impl Notes {
    fn add(&mut self, found: Vec<Diagnostic>, format: &'static str) {
        for d in found {
            match self.seen.get(&(d.line, d.message.clone())) {
                Some(&k) if self.notes[k].1.contains(&format) => {}
                Some(&k) => self.notes[k].1.push(format),
                None => {
                    self.seen.insert((d.line, d.message.clone()), self.notes.len());
                    self.notes.push((d, vec![format]));
                }
            }
        }
    }

    /// Each problem with the formats that noticed it named first (`srt, vtt: …`).
    fn into_diagnostics(self) -> impl Iterator<Item = Diagnostic> {
        self.notes
            .into_iter()
            .map(|(d, formats)| Diagnostic { message: format!("{}: {}", formats.join(", "), d.message), ..d })
    }
}

/// The records of outputs an earlier run made in formats or languages this run was not asked for: they
/// stay, as recorded, while they are on disk.
fn kept_records(old: Option<&Entry>, targets: &[(View, Vec<Target>)], root: &OutputRoot) -> Vec<OutputRecord> {
    let claimed: BTreeSet<String> = targets.iter().flat_map(|(_, o)| o.iter().map(|t| slashed(&t.rel))).collect();
    old.map(|old| {
        old.outputs
            .iter()
            .filter(|r| !claimed.contains(&r.path) && root.size_of(Path::new(&r.path)) == Some(r.bytes))
            .cloned()
            .collect()
    })
    .unwrap_or_default()
}

/// Remove the recorded outputs of transcripts that are gone (found under one of this run's input folders
/// and in its shard, but no longer there), and their records; returns how many files were removed.
fn remove_gone(
    manifest: &mut Manifest,
    present: &BTreeSet<String>,
    options: &BuildOptions,
    root: &OutputRoot,
) -> usize {
    let gone: Vec<String> = manifest
        .transcripts
        .iter()
        .filter(|(stem, e)| !present.contains(*stem) && options.shard.contains(stem) && options.roots.contains(&e.root))
        .map(|(stem, _)| stem.clone())
        .collect();
    let mut removed = 0;
    for stem in gone {
        if let Some(entry) = manifest.transcripts.remove(&stem) {
            for record in &entry.outputs {
                let rel = Path::new(&record.path);
                if root.size_of(rel).is_some() {
                    root.remove(rel);
                    removed += 1;
                }
                root.remove_empty_folders(rel);
            }
        }
    }
    removed
}

/// Write the manifest (or this shard's part of it) and, for a whole run, the catalog; remove the parts
/// folded in. Each file is written only when its bytes change.
fn save(manifest: &Manifest, shard: Shard, parts: &[(Shard, String)], root: &OutputRoot) -> Result<(), Diagnostic> {
    let write_if_changed = |name: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        let rel = Path::new(name);
        match std::fs::read(root.path().join(rel)) {
            Ok(old) if old == bytes => Ok(()),
            _ => root.write(rel, bytes),
        }
    };
    if shard == Shard::ALL {
        write_if_changed(manifest::MANIFEST, &manifest::to_bytes(manifest))?;
        for (name, bytes) in catalog_files(manifest) {
            write_if_changed(name, &bytes)?;
        }
        for (_, name) in parts {
            root.remove(Path::new(name));
        }
    } else {
        let mut part = Manifest { title: manifest.title.clone(), ..Manifest::default() };
        part.transcripts = manifest
            .transcripts
            .iter()
            .filter(|(s, _)| shard.contains(s))
            .map(|(s, e)| (s.clone(), e.clone()))
            .collect();
        write_if_changed(&manifest::file_name(shard), &manifest::to_bytes(&part))?;
    }
    Ok(())
}

/// Fold every shard's part into the manifest of `root` and write the manifest and the catalog: what
/// `bitext catalog` does after sharded runs. The first sharded build of a folder must be whole: without a
/// manifest yet, all N parts must be there, else nothing is written. Later, a shard built again alone
/// (its transcripts edited) is folded in by itself.
pub fn catalog(root: &OutputRoot) -> Result<usize, Diagnostic> {
    let parts = manifest::parts_in(root.path()).map_err(|e| Diagnostic::error(0, e.to_string()))?;
    let counts: BTreeSet<u32> = parts.iter().map(|(s, _)| s.count).collect();
    if counts.len() > 1 {
        let counts: Vec<String> = counts.iter().map(u32::to_string).collect();
        return Err(Diagnostic::error(0, format!("parts of builds with {} shards are mixed", counts.join(" and ")))
            .with_hint("remove the parts of the older build, then run its shards again"));
    }
    let first_build = !root.path().join(manifest::MANIFEST).exists();
    if let (Some(&count), true) = (counts.iter().next(), first_build) {
        let missing: Vec<String> =
            (1..=count).filter(|k| !parts.iter().any(|(s, _)| s.index == *k)).map(|k| format!("{k}/{count}")).collect();
        if !missing.is_empty() {
            let (what, verb) = if missing.len() == 1 { ("shard", "has") } else { ("shards", "have") };
            return Err(Diagnostic::error(0, format!("{what} {} {verb} not been built", missing.join(", ")))
                .with_hint("run the missing shards, or one run without --shard"));
        }
    }
    let (manifest, parts) = manifest::load(root.path()).map_err(|e| Diagnostic::error(0, e.to_string()))?;
    if manifest.transcripts.is_empty() && parts.is_empty() {
        return Err(Diagnostic::error(0, format!("{} holds no bitext build", root.path().display()))
            .with_hint("convert into it first"));
    }
    save(&manifest, Shard::ALL, &parts, root)?;
    Ok(manifest.transcripts.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{self, WriteOptions};
    use std::sync::Arc;

    #[test]
    fn relative_dirs_never_climb_out() {
        assert_eq!(safe_rel(Path::new("../a/./b")), PathBuf::from("a/b"));
        assert_eq!(safe_rel(Path::new("/etc")), PathBuf::from("etc"));
    }

    #[test]
    fn colliding_outputs_are_refused_for_the_later_input() {
        let dir = tempfile::tempdir().unwrap();
        let plan =
            Plan { formats: vec![emit::find("md").unwrap()], views: vec![View::Bi], options: WriteOptions::default() };
        let root = OutputRoot::open(dir.path()).unwrap();
        let inputs = [
            Input {
                path: PathBuf::from("x/a.md"),
                rel_dir: PathBuf::new(),
                root: String::new(),
                archive: Arc::default(),
            },
            Input {
                path: PathBuf::from("y/a.md"),
                rel_dir: PathBuf::new(),
                root: String::new(),
                archive: Arc::default(),
            },
        ];
        let inputs: Vec<&Input> = inputs.iter().collect();
        let claims = claim_outputs(&inputs, &plan, &root);
        assert!(claims[0].is_ok());
        match &claims[1] {
            Err(why) => assert!(why.message.contains("also the output of x/a.md") && why.hint.is_some()),
            Ok(_) => panic!("second input must not claim the same output"),
        }
    }
}
