//! The batch driver: inputs in, files out, one report per input.
//!
//! This is the one place that knows both the front end and the back ends, and the only library code that
//! touches the file system. It walks folders, parses each input once, selects each requested view once
//! and hands it to every writer of that view, writes every output atomically (temporary file, then
//! rename) under the output folder only, never over an input, and keeps going when a file fails. It never
//! prints: the CLI reports what it returns, in input order.

use crate::diag::{Diagnostic, Severity};
use crate::emit::book::{plan_parts, BookSpec, Members};
use crate::emit::{BookWriter, Languages, WriteOptions, Writer};
use crate::ir::{Document, Metadata};
use crate::parse;
use crate::select::{select, View};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
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

/// What happened to one input. It failed when any diagnostic is an error.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub input: PathBuf,
    /// Files written, in the order they were made.
    pub outputs: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    /// The source lines that diagnostics point at (line number, text), so they can be shown without
    /// keeping whole files in memory.
    pub lines: Vec<(u32, String)>,
}

impl FileReport {
    fn new(input: &Path) -> Self {
        FileReport { input: input.to_path_buf(), outputs: Vec::new(), diagnostics: Vec::new(), lines: Vec::new() }
    }

    fn failing(input: &Path, why: Diagnostic) -> Self {
        let mut report = FileReport::new(input);
        report.diagnostics.push(why);
        report
    }

    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// The text of source line `n`, when a diagnostic points at it.
    pub fn line(&self, n: u32) -> Option<&str> {
        self.lines.iter().find(|(k, _)| *k == n).map(|(_, t)| t.as_str())
    }

    /// Keep the lines of `text` that this report's diagnostics point at.
    fn keep_lines(&mut self, text: &str) {
        let mut wanted: Vec<u32> = self.diagnostics.iter().map(|d| d.line).filter(|&l| l > 0).collect();
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

/// Expand the command line's inputs: files as given, folders walked (sorted by name, hidden entries
/// skipped, symbolic links followed) for `*.md` and `*.markdown`. What cannot be read (a path that does
/// not exist, an unreadable folder, a broken link, a link loop) comes back as a failed report naming its
/// path, and everything else is still found.
pub fn collect_inputs(args: &[PathBuf]) -> (Vec<Input>, Vec<FileReport>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for arg in args {
        match fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => walk(arg, &mut inputs, &mut problems),
            Ok(_) => inputs.push(Input { path: arg.clone(), rel_dir: PathBuf::new() }),
            Err(err) => problems.push(FileReport::failing(
                arg,
                Diagnostic::error(0, format!("cannot read input: {err}")).with_hint("check the path"),
            )),
        }
    }
    (inputs, problems)
}

fn walk(root: &Path, inputs: &mut Vec<Input>, problems: &mut Vec<FileReport>) {
    let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let entries = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    for entry in entries.filter_entry(|e| !hidden(e)) {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let is_transcript = path.extension().is_some_and(|e| e == "md" || e == "markdown");
                if entry.file_type().is_file() && is_transcript {
                    let rel_dir = path.parent().and_then(|p| p.strip_prefix(root).ok()).unwrap_or(Path::new(""));
                    inputs.push(Input { path: path.to_path_buf(), rel_dir: rel_dir.to_path_buf() });
                }
            }
            Err(err) => problems.push(walk_problem(root, &err)),
        }
    }
}

/// A folder entry that could not be walked, reported against its own path.
fn walk_problem(root: &Path, err: &walkdir::Error) -> FileReport {
    let path = err.path().unwrap_or(root);
    let why = match (err.loop_ancestor(), err.io_error()) {
        (Some(ancestor), _) => Diagnostic::error(0, format!("symbolic link loop back to {}", ancestor.display()))
            .with_hint("the link was not followed; remove it or point it elsewhere"),
        (None, Some(io)) if io.kind() == std::io::ErrorKind::NotFound => {
            Diagnostic::error(0, "broken symbolic link").with_hint("remove the link or restore what it points to")
        }
        (None, Some(io)) => Diagnostic::error(0, format!("cannot read: {io}")).with_hint("check its permissions"),
        (None, None) => Diagnostic::error(0, err.to_string()),
    };
    FileReport::failing(path, why)
}

/// The file name for one view of one input in one format: `<stem>.<ext>` (bilingual, or a format that is
/// the same in every language), `<stem>.zh.<ext>`, `<stem>.en.<ext>`.
pub fn output_name(stem: &str, writer: &dyn Writer, view: View) -> String {
    match view {
        View::Bi => format!("{stem}.{}", writer.extension()),
        _ if writer.format().languages == Languages::WholeDocument => format!("{stem}.{}", writer.extension()),
        other => format!("{stem}.{other}.{}", writer.extension()),
    }
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

fn stem_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "untitled".into())
}

/// Run `work` on a pool of `jobs` threads, or on the global pool.
fn with_threads<T: Send>(jobs: Option<usize>, work: impl FnOnce() -> T + Send) -> T {
    match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().ok()) {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Convert every input; reports come back in input order. `jobs` caps the worker threads.
pub fn convert_all(inputs: &[Input], plan: &Plan, jobs: Option<usize>) -> Vec<FileReport> {
    let claims = claim_outputs(inputs, plan);
    with_threads(jobs, || {
        inputs.par_iter().zip(claims.par_iter()).map(|(input, claim)| convert_one(input, claim, plan)).collect()
    })
}

/// One output an input may write.
struct Target {
    path: PathBuf,
    writer: &'static dyn Writer,
}

/// The outputs one input may write, by view, or why it may write none.
type Claim = Result<Vec<(View, Vec<Target>)>, Diagnostic>;

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
            for (view, writers) in &targets {
                let mut paths = Vec::new();
                for &writer in writers {
                    let path = dir.join(output_name(&stem, writer, *view));
                    if let Some(owner) = owners.get(&path) {
                        return Err(Diagnostic::error(
                            0,
                            format!("output {} is also the output of {}", path.display(), owner.display()),
                        )
                        .with_hint("convert one of them separately"));
                    }
                    if fs::canonicalize(&path).is_ok_and(|p| input_paths.contains(&p)) {
                        return Err(Diagnostic::error(
                            0,
                            format!("output {} would overwrite an input", path.display()),
                        )
                        .with_hint("choose another --out folder"));
                    }
                    paths.push(Target { path, writer });
                }
                claimed.push((*view, paths));
            }
            for (_, paths) in &claimed {
                for target in paths {
                    owners.insert(target.path.clone(), input.path.clone());
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

fn convert_one(input: &Input, claim: &Claim, plan: &Plan) -> FileReport {
    let targets = match claim {
        Ok(t) => t,
        Err(why) => return FileReport::failing(&input.path, why.clone()),
    };
    let mut report = FileReport::new(&input.path);
    let parsed = match read(&input.path) {
        Ok(parsed) => parsed,
        Err((why, text)) => {
            report.diagnostics.push(why);
            if let Some(text) = text {
                report.keep_lines(&text);
            }
            return report;
        }
    };
    report.diagnostics = parsed.diagnostics;
    for (view, outputs) in targets {
        let Some(selected) = select(&parsed.doc, *view) else {
            let what = match view.lang() {
                Some(crate::ir::Lang::Zh) => "no Chinese text",
                _ => "no English text",
            };
            let formats: Vec<&str> = outputs.iter().map(|t| t.writer.name()).collect();
            let message = format!("{what}; no `{view}` {} written", formats.join(", "));
            report.diagnostics.push(Diagnostic::warning(0, message));
            for target in outputs {
                // A stale output from an earlier run would now be wrong: remove it.
                let _ = fs::remove_file(&target.path);
            }
            continue;
        };
        for target in outputs {
            match target.writer.write(&selected, &plan.options) {
                Ok(written) => {
                    report.diagnostics.extend(written.diagnostics);
                    match write_atomic(&target.path, &written.bytes) {
                        Ok(()) => report.outputs.push(target.path.clone()),
                        Err(why) => report.diagnostics.push(why),
                    }
                }
                Err(err) => report.diagnostics.push(Diagnostic::error_chain(&err)),
            }
        }
    }
    report.keep_lines(&parsed.text);
    report
}

/// Read and parse one input. On failure: the error, and the text when it was readable, so the report can
/// show the line it points at.
fn read(path: &Path) -> Result<parse::Parsed, (Diagnostic, Option<String>)> {
    let bytes = fs::read(path).map_err(|err| (Diagnostic::error(0, format!("cannot read file: {err}")), None))?;
    parse::parse(&bytes, &path.to_string_lossy()).map_err(|err| (err.to_diagnostic(), String::from_utf8(bytes).ok()))
}

/// What making a book did: a report per input (in input order), and the book's own outcome.
#[derive(Debug)]
pub struct BookReport {
    pub inputs: Vec<FileReport>,
    /// Transcripts in the book.
    pub chapters: usize,
    /// The book could not be written (nothing was left at the output path).
    pub failure: Option<Diagnostic>,
    /// What the book's writer noticed (characters no font has).
    pub diagnostics: Vec<Diagnostic>,
}

/// The inputs of a book that parsed, read again from their files when the book writer asks.
struct MemberFiles<'a> {
    paths: Vec<&'a Path>,
}

impl Members for MemberFiles<'_> {
    fn load(&self, index: usize) -> Result<Document, Diagnostic> {
        read(self.paths[index]).map(|parsed| parsed.doc).map_err(|(why, _)| why)
    }
}

/// Make one book of every input with `writer`. Inputs are read twice: once for their metadata (to group
/// and order them), then again, a few at a time, while the book is written, so memory does not grow with
/// the size of the archive.
pub fn make_book(
    inputs: &[Input],
    out: &Path,
    writer: &dyn BookWriter,
    spec: &BookSpec,
    options: &WriteOptions,
    jobs: Option<usize>,
) -> BookReport {
    with_threads(jobs, || make_book_inner(inputs, out, writer, spec, options))
}

fn make_book_inner(
    inputs: &[Input],
    out: &Path,
    writer: &dyn BookWriter,
    spec: &BookSpec,
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
        let why =
            Diagnostic::error(0, format!("{} is an input", out.display())).with_hint("choose another output file");
        return BookReport { inputs: reports, chapters: 0, failure: Some(why), diagnostics: Vec::new() };
    }
    let metas: Vec<&Metadata> = members.iter().map(|(_, m)| m).collect();
    let parts = plan_parts(&metas, spec.group_by, spec.sort);
    let files = MemberFiles { paths: members.iter().map(|(i, _)| inputs[*i].path.as_path()).collect() };
    let written = write_with_temp(out, |file| {
        writer.write_book(file, spec, &parts, &files, options).map_err(|e| Diagnostic::error_chain(&e))
    });
    match written {
        Ok(book) => {
            for k in book.skipped {
                let lang = spec.view.name();
                reports[members[k].0]
                    .diagnostics
                    .push(Diagnostic::warning(0, format!("no `{lang}` text; left out of the book")));
            }
            for (k, why) in book.failed {
                reports[members[k].0].diagnostics.push(why);
            }
            BookReport { inputs: reports, chapters: book.chapters, failure: None, diagnostics: book.diagnostics }
        }
        Err(why) => BookReport { inputs: reports, chapters: 0, failure: Some(why), diagnostics: Vec::new() },
    }
}

/// Parse one input for its metadata and diagnostics.
fn scan(input: &Input) -> (FileReport, Option<Metadata>) {
    let mut report = FileReport::new(&input.path);
    match read(&input.path) {
        Ok(parsed) => {
            report.diagnostics = parsed.diagnostics;
            report.keep_lines(&parsed.text);
            (report, Some(parsed.doc.meta))
        }
        Err((why, text)) => {
            report.diagnostics.push(why);
            if let Some(text) = text {
                report.keep_lines(&text);
            }
            (report, None)
        }
    }
}

/// Run `write` on a temporary file beside `path`, then rename it into place; on failure nothing is left.
fn write_with_temp<T>(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    let io_error = |what: String| move |e: std::io::Error| Diagnostic::error(0, format!("{what}: {e}"));
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_error(format!("cannot create folder {}", dir.display())))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".bitext-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_error(format!("cannot create a file in {}", dir.display())))?;
    let value = write(tmp.as_file_mut())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))
            .map_err(io_error(format!("cannot set the permissions of {}", path.display())))?;
    }
    tmp.persist(path).map_err(|e| io_error(format!("cannot write {}", path.display()))(e.error))?;
    Ok(value)
}

/// Write `bytes` to `path` so that `path` is either untouched or complete: a temporary file in the same
/// folder, renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_with_temp(path, |file| {
        file.write_all(bytes).map_err(|e| Diagnostic::error(0, format!("cannot write {}: {e}", path.display())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit;

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
            Err(why) => assert!(why.message.contains("also the output of x/a.md") && why.hint.is_some()),
            Ok(_) => panic!("second input must not claim the same output"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn walking_reports_broken_links_and_loops_and_finds_the_rest() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::create_dir_all(root.join(".hidden")).unwrap();
        fs::write(root.join("a.md"), "x").unwrap();
        fs::write(root.join("sub/b.md"), "x").unwrap();
        fs::write(root.join(".hidden/c.md"), "x").unwrap();
        fs::write(root.join("notes.txt"), "x").unwrap();
        symlink(root.join("missing.md"), root.join("broken.md")).unwrap();
        symlink(root, root.join("sub/loop")).unwrap();
        let (inputs, problems) = collect_inputs(&[root.to_path_buf()]);
        let found: Vec<_> = inputs.iter().map(|i| i.path.strip_prefix(root).unwrap().to_path_buf()).collect();
        assert_eq!(found, [PathBuf::from("a.md"), PathBuf::from("sub/b.md")]);
        assert_eq!(inputs[1].rel_dir, PathBuf::from("sub"));
        let said: Vec<(String, String)> = problems
            .iter()
            .map(|p| (p.input.strip_prefix(root).unwrap().display().to_string(), p.diagnostics[0].message.clone()))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said.iter().any(|(path, m)| path == "broken.md" && m.contains("broken symbolic link")), "{said:?}");
        assert!(said.iter().any(|(path, m)| path == "sub/loop" && m.contains("loop")), "{said:?}");
        assert!(problems.iter().all(FileReport::failed));
    }
}
