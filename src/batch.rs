//! The batch driver: inputs in, files out, one report per input.
//!
//! This is the one place that knows both the front end and the back ends, and the only library code that
//! touches the file system. It walks folders, converts files in parallel, writes every output atomically
//! (temporary file, then rename) under the output folder only, never over an input, and keeps going when a
//! file fails. It never prints: the CLI reports what it returns, in input order.

use crate::diag::{Diagnostic, Severity};
use crate::emit::epub::{self, AnthologySpec};
use crate::emit::{self, Rendered, WriteOptions, Writer};
use crate::ir::Metadata;
use crate::parse::{self, ParseError};
use crate::select::View;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// What to make of every input.
#[derive(Clone)]
pub struct Plan {
    pub formats: Vec<&'static dyn Writer>,
    pub views: Vec<View>,
    pub out_dir: PathBuf,
    pub options: WriteOptions,
}

/// One transcript to convert, and where its outputs go relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Folder under the output folder that mirrors the input's place under the folder it was found in.
    pub rel_dir: PathBuf,
}

/// Why one input produced nothing (or not everything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Failure {
    fn whole_file(message: impl Into<String>) -> Self {
        Failure { line: 0, column: 0, message: message.into() }
    }
}

impl From<&ParseError> for Failure {
    fn from(e: &ParseError) -> Self {
        Failure { line: e.line(), column: e.column(), message: e.to_string() }
    }
}

/// What happened to one input.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub input: PathBuf,
    /// Files written, in the order they were made.
    pub outputs: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    pub failures: Vec<Failure>,
    /// The source lines that diagnostics and failures point at (line number, text), so they can be shown
    /// without keeping whole files in memory.
    pub lines: Vec<(u32, String)>,
}

impl FileReport {
    fn new(input: &Path) -> Self {
        FileReport {
            input: input.to_path_buf(),
            outputs: Vec::new(),
            diagnostics: Vec::new(),
            failures: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// The text of source line `n`, when a diagnostic points at it.
    pub fn line(&self, n: u32) -> Option<&str> {
        self.lines.iter().find(|(k, _)| *k == n).map(|(_, t)| t.as_str())
    }

    /// Keep the lines of `text` that this report's diagnostics and failures point at.
    fn keep_lines(&mut self, text: &str) {
        let mut wanted: Vec<u32> = self
            .diagnostics
            .iter()
            .map(|d| d.line)
            .chain(self.failures.iter().map(|f| f.line))
            .filter(|&l| l > 0)
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return;
        }
        let mut wanted = wanted.into_iter().peekable();
        for (i, line) in text.split('\n').enumerate() {
            let n = i as u32 + 1;
            if wanted.peek() == Some(&n) {
                self.lines.push((n, line.to_string()));
                wanted.next();
            }
            if wanted.peek().is_none() {
                break;
            }
        }
    }
}

/// Expand the command line's inputs: files as given, folders walked (sorted) for `*.md`. Paths that do
/// not exist are returned as failed reports so the rest still run.
pub fn collect_inputs(args: &[PathBuf]) -> (Vec<Input>, Vec<FileReport>) {
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    for arg in args {
        match fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => {
                if let Err(err) = walk(arg, Path::new(""), &mut inputs) {
                    let mut report = FileReport::new(arg);
                    report.failures.push(Failure::whole_file(format!("cannot read folder: {err}")));
                    missing.push(report);
                }
            }
            Ok(_) => inputs.push(Input { path: arg.clone(), rel_dir: PathBuf::new() }),
            Err(err) => {
                let mut report = FileReport::new(arg);
                report.failures.push(Failure::whole_file(format!("cannot read input: {err}; check the path")));
                missing.push(report);
            }
        }
    }
    (inputs, missing)
}

fn walk(dir: &Path, rel: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, &rel.join(&name), out)?;
        } else if path.extension().is_some_and(|e| e == "md" || e == "markdown") {
            out.push(Input { path, rel_dir: rel.to_path_buf() });
        }
    }
    Ok(())
}

/// The file name for one view of one input in one format: `<stem>.<ext>` (bilingual, or a format that is
/// the same in every language), `<stem>.zh.<ext>`, `<stem>.en.<ext>`.
pub fn output_name(stem: &str, writer: &dyn Writer, view: View) -> String {
    match view {
        View::Bi => format!("{stem}.{}", writer.extension()),
        _ if !writer.per_view() => format!("{stem}.{}", writer.extension()),
        other => format!("{stem}.{other}.{}", writer.extension()),
    }
}

/// The (writer, view) pairs to make for each input: a format that is the same in every language once.
fn targets(plan: &Plan) -> Vec<(&'static dyn Writer, View)> {
    let mut out = Vec::new();
    for &writer in &plan.formats {
        if writer.per_view() {
            out.extend(plan.views.iter().map(|&v| (writer, v)));
        } else {
            out.push((writer, View::Bi));
        }
    }
    out
}

fn stem_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "untitled".into())
}

/// Convert every input; reports come back in input order. `jobs` caps the worker threads.
pub fn convert_all(inputs: &[Input], plan: &Plan, jobs: Option<usize>) -> Vec<FileReport> {
    let claims = claim_outputs(inputs, plan);
    let work =
        || inputs.par_iter().zip(claims.par_iter()).map(|(input, claim)| convert_one(input, claim, plan)).collect();
    match jobs {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        },
        None => work(),
    }
}

/// The outputs one input may write: (path, writer, view) for each, or why it may write none.
type Claim = Result<Vec<(PathBuf, &'static dyn Writer, View)>, Failure>;

/// The outputs each input may write, decided before any work starts: an output that another input already
/// claims, or that is an input itself, is refused for the later input.
fn claim_outputs(inputs: &[Input], plan: &Plan) -> Vec<Claim> {
    let input_paths: HashSet<PathBuf> = inputs.iter().filter_map(|i| fs::canonicalize(&i.path).ok()).collect();
    let mut owners: HashMap<PathBuf, PathBuf> = HashMap::new();
    let targets = targets(plan);
    inputs
        .iter()
        .map(|input| {
            let dir = plan.out_dir.join(safe_rel(&input.rel_dir));
            let stem = stem_of(&input.path);
            let mut claimed = Vec::new();
            for &(writer, view) in &targets {
                let path = dir.join(output_name(&stem, writer, view));
                if let Some(owner) = owners.get(&path) {
                    return Err(Failure::whole_file(format!(
                        "output {} is also the output of {}; convert one of them separately",
                        path.display(),
                        owner.display()
                    )));
                }
                if fs::canonicalize(&path).is_ok_and(|p| input_paths.contains(&p)) {
                    return Err(Failure::whole_file(format!(
                        "output {} would overwrite an input; choose another --out folder",
                        path.display()
                    )));
                }
                claimed.push((path, writer, view));
            }
            for (path, _, _) in &claimed {
                owners.insert(path.clone(), input.path.clone());
            }
            Ok(claimed)
        })
        .collect()
}

/// Keep only normal components, so nothing is ever written outside the output folder.
fn safe_rel(rel: &Path) -> PathBuf {
    rel.components().filter(|c| matches!(c, Component::Normal(_))).map(|c| c.as_os_str()).collect()
}

fn convert_one(input: &Input, claim: &Claim, plan: &Plan) -> FileReport {
    let mut report = FileReport::new(&input.path);
    let targets = match claim {
        Ok(t) => t,
        Err(failure) => {
            report.failures.push(failure.clone());
            return report;
        }
    };
    let bytes = match fs::read(&input.path) {
        Ok(b) => b,
        Err(err) => {
            report.failures.push(Failure::whole_file(format!("cannot read file: {err}")));
            return report;
        }
    };
    let name = input.path.to_string_lossy();
    let parsed = match parse::parse(&bytes, &name) {
        Ok(p) => p,
        Err(err) => {
            report.failures.push(Failure::from(&err));
            if let Ok(text) = std::str::from_utf8(&bytes) {
                report.keep_lines(text);
            }
            return report;
        }
    };
    report.diagnostics = parsed.diagnostics;
    for (path, writer, view) in targets {
        match emit::render(*writer, &parsed.doc, *view, &plan.options) {
            Ok(Rendered { bytes: Some(bytes), diagnostics }) => {
                report.diagnostics.extend(diagnostics);
                match write_atomic(path, &bytes) {
                    Ok(()) => report.outputs.push(path.clone()),
                    Err(err) => {
                        report.failures.push(Failure::whole_file(format!("cannot write {}: {err}", path.display())))
                    }
                }
            }
            Ok(Rendered { bytes: None, diagnostics }) => {
                // A stale output from an earlier run would now be wrong: remove it.
                let _ = fs::remove_file(path);
                report.diagnostics.extend(diagnostics);
            }
            Err(err) => report.failures.push(Failure::whole_file(err.to_string())),
        }
    }
    report.keep_lines(&parsed.text);
    report
}

/// The format of an anthology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookFormat {
    Epub,
    Pdf,
}

/// What making an anthology did: a report per input (in input order), and the book's own outcome.
#[derive(Debug)]
pub struct BookReport {
    pub inputs: Vec<FileReport>,
    /// Transcripts in the book.
    pub chapters: usize,
    /// The book could not be written (nothing was left at the output path).
    pub failure: Option<String>,
    /// What the book's writer noticed (characters no font has).
    pub diagnostics: Vec<Diagnostic>,
}

/// Make one anthology of every input. Inputs are read twice: once for their metadata (to group and
/// order them), then again, a few at a time, while the book is written, so memory does not grow with the
/// size of the archive.
pub fn make_book(
    inputs: &[Input],
    out: &Path,
    format: BookFormat,
    spec: &AnthologySpec,
    options: &WriteOptions,
    jobs: Option<usize>,
) -> BookReport {
    let run = || make_book_inner(inputs, out, format, spec, options);
    match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().ok()) {
        Some(pool) => pool.install(run),
        None => run(),
    }
}

fn make_book_inner(
    inputs: &[Input],
    out: &Path,
    format: BookFormat,
    spec: &AnthologySpec,
    options: &WriteOptions,
) -> BookReport {
    let scanned: Vec<(FileReport, Option<Metadata>)> = inputs.par_iter().map(scan).collect();
    let mut reports: Vec<FileReport> = Vec::with_capacity(scanned.len());
    let mut members: Vec<(usize, Metadata)> = Vec::new();
    for (i, (report, meta)) in scanned.into_iter().enumerate() {
        if let Some(meta) = meta {
            members.push((i, meta));
        }
        reports.push(report);
    }
    let overwrites_input = fs::canonicalize(out)
        .ok()
        .is_some_and(|o| inputs.iter().any(|i| fs::canonicalize(&i.path).ok().as_ref() == Some(&o)));
    if overwrites_input {
        return BookReport {
            inputs: reports,
            chapters: 0,
            failure: Some(format!("{} is an input; choose another output file", out.display())),
            diagnostics: Vec::new(),
        };
    }
    let metas: Vec<&Metadata> = members.iter().map(|(_, m)| m).collect();
    let parts = epub::plan_parts(&metas, spec.group_by, spec.sort);
    let load = |k: usize| -> Result<crate::ir::Document, String> {
        let path = &inputs[members[k].0].path;
        let bytes = fs::read(path).map_err(|e| format!("cannot read file: {e}"))?;
        parse::parse(&bytes, &path.to_string_lossy()).map(|p| p.doc).map_err(|e| e.to_string())
    };
    let written = match format {
        BookFormat::Epub => write_with_temp(out, |file| {
            epub::write_anthology(file, spec, &parts, load, options)
                .map(|(_, report)| (report, Vec::new()))
                .map_err(|e| e.to_string())
        }),
        BookFormat::Pdf => pdf_book(out, spec, &parts, &load, options),
    };
    match written {
        Ok((book, diagnostics)) => {
            for k in book.skipped {
                let lang = spec.view.name();
                reports[members[k].0]
                    .diagnostics
                    .push(Diagnostic::warning(0, format!("no `{lang}` text; left out of the book")));
            }
            for (k, message) in book.failed {
                reports[members[k].0].failures.push(Failure::whole_file(message));
            }
            BookReport { inputs: reports, chapters: book.chapters, failure: None, diagnostics }
        }
        Err(message) => BookReport { inputs: reports, chapters: 0, failure: Some(message), diagnostics: Vec::new() },
    }
}

/// An anthology as one PDF. Transcripts are read one at a time as they are set, but unlike the EPUB the
/// set pages of the whole book stay in memory until the file is written.
fn pdf_book(
    out: &Path,
    spec: &AnthologySpec,
    parts: &epub::Parts,
    load: &(dyn Fn(usize) -> Result<crate::ir::Document, String> + Sync),
    options: &WriteOptions,
) -> Result<(epub::AnthologyReport, Vec<Diagnostic>), String> {
    let mut report = epub::AnthologyReport::default();
    let mut docs =
        parts.iter().flat_map(|(group, members)| members.iter().map(move |&k| (group, k))).filter_map(|(group, k)| {
            match load(k) {
                Ok(doc) if spec.view.lang().is_some_and(|l| !doc.has_lang(l)) => {
                    report.skipped.push(k);
                    None
                }
                Ok(doc) => {
                    report.chapters += 1;
                    Some((group.clone(), doc))
                }
                Err(message) => {
                    report.failed.push((k, message));
                    None
                }
            }
        });
    let (bytes, notes) =
        crate::emit::pdf::anthology(&mut docs, &spec.title, spec.view, options).map_err(|e| e.to_string())?;
    drop(docs);
    write_atomic(out, &bytes)?;
    Ok((report, notes))
}

/// Parse one input for its metadata and diagnostics.
fn scan(input: &Input) -> (FileReport, Option<Metadata>) {
    let mut report = FileReport::new(&input.path);
    let bytes = match fs::read(&input.path) {
        Ok(b) => b,
        Err(err) => {
            report.failures.push(Failure::whole_file(format!("cannot read file: {err}")));
            return (report, None);
        }
    };
    match parse::parse(&bytes, &input.path.to_string_lossy()) {
        Ok(parsed) => {
            report.diagnostics = parsed.diagnostics;
            report.keep_lines(&parsed.text);
            (report, Some(parsed.doc.meta))
        }
        Err(err) => {
            report.failures.push(Failure::from(&err));
            if let Ok(text) = std::str::from_utf8(&bytes) {
                report.keep_lines(text);
            }
            (report, None)
        }
    }
}

/// Run `write` on a temporary file beside `path`, then rename it into place; on failure nothing is left.
fn write_with_temp<T>(path: &Path, write: impl FnOnce(&mut fs::File) -> Result<T, String>) -> Result<T, String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| format!("cannot create folder {}: {e}", dir.display()))?;
    let mut tmp =
        tempfile::Builder::new().prefix(".bitext-").suffix(".tmp").tempfile_in(dir).map_err(|e| e.to_string())?;
    let value = write(tmp.as_file_mut())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(fs::Permissions::from_mode(0o644)).map_err(|e| e.to_string())?;
    }
    tmp.persist(path).map_err(|e| e.error.to_string())?;
    Ok(value)
}

/// Write `bytes` to `path` so that `path` is either untouched or complete: a temporary file in the same
/// folder, renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_with_temp(path, |file| file.write_all(bytes).map_err(|e| e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_follow_the_language_convention() {
        let md = emit::find("md").unwrap();
        let json = emit::find("json").unwrap();
        assert_eq!(output_name("talk", md, View::Bi), "talk.md");
        assert_eq!(output_name("talk", md, View::Zh), "talk.zh.md");
        assert_eq!(output_name("talk", json, View::En), "talk.json");
    }

    #[test]
    fn relative_dirs_never_climb_out() {
        assert_eq!(safe_rel(Path::new("../a/./b")), PathBuf::from("a/b"));
        assert_eq!(safe_rel(Path::new("/etc")), PathBuf::from("etc"));
    }

    #[test]
    fn atomic_write_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.md");
        write_atomic(&path, b"hello").unwrap();
        write_atomic(&path, b"again").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"again");
        let names: Vec<_> = fs::read_dir(dir.path().join("sub")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["out.md"]);
    }

    #[test]
    fn colliding_outputs_are_refused_for_the_later_input() {
        let dir = tempfile::tempdir().unwrap();
        let plan = Plan {
            formats: vec![emit::find("md").unwrap()],
            views: vec![View::Bi],
            out_dir: dir.path().to_path_buf(),
            options: WriteOptions::default(),
        };
        let inputs = [
            Input { path: PathBuf::from("x/a.md"), rel_dir: PathBuf::new() },
            Input { path: PathBuf::from("y/a.md"), rel_dir: PathBuf::new() },
        ];
        let claims = claim_outputs(&inputs, &plan);
        assert!(claims[0].is_ok());
        match &claims[1] {
            Err(failure) => assert!(failure.message.contains("also the output of x/a.md")),
            Ok(_) => panic!("second input must not claim the same output"),
        }
    }
}
