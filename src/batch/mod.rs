//! The batch driver: inputs in, files out, one report per input.
//!
//! This is the one place that knows both the front end and the back ends, and the only library code that
//! touches the file system. It finds the inputs (`inputs`), parses each once, selects each requested view
//! once and hands it to every writer of that view, writes every output atomically inside the output
//! folder only (`output`), and keeps going when a file fails. It never prints: the CLI reports what it
//! returns, in input order.

mod inputs;
mod output;

pub use inputs::{collect_inputs, InputOptions};
pub use output::{remove_in_flight, OutputRoot};

use crate::archive::{Archive, SlugKind};
use crate::diag::{Diagnostic, Severity};
use crate::emit::book::{plan_parts, BookSpec, GroupBy, Members};
use crate::emit::{BookWriter, Languages, WriteOptions, Writer};
use crate::ir::{Document, Lang, Metadata};
use crate::parse;
use crate::select::{select, View};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// What to make of every input.
#[derive(Clone)]
pub struct Plan {
    pub formats: Vec<&'static dyn Writer>,
    pub views: Vec<View>,
    pub options: WriteOptions,
}

/// One transcript to convert, and where its outputs go relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Folder under the output folder that mirrors the input's place under the folder it was found in.
    pub rel_dir: PathBuf,
    /// The archive file of the folder it was found in (the default for a file named on its own).
    pub archive: Arc<Archive>,
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
    pub fn new(input: &Path) -> Self {
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
    pub fn keep_lines(&mut self, text: &str) {
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

/// At most this many worker threads per core: more only costs memory and start-up time.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// The cores of this machine (1 when the system does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The worker threads of a run: `jobs` of them, fewer when the system will not start that many, none
/// when it will not start any; then everything runs on the calling thread.
pub struct Workers {
    pool: Option<rayon::ThreadPool>,
    /// Why there are fewer threads than asked for, when there are.
    pub warning: Option<Diagnostic>,
}

impl Workers {
    /// `jobs` threads, or `per_core` for each core when not given: runs that write use two per core,
    /// so that while one thread waits for its file to reach the disk another converts.
    pub fn new(jobs: Option<usize>, per_core: usize) -> Workers {
        let wanted = jobs.unwrap_or_else(|| per_core * cores()).clamp(1, MAX_JOBS_PER_CORE * cores());
        Workers::start(wanted, |threads| rayon::ThreadPoolBuilder::new().num_threads(threads).build())
    }

    /// Start `wanted` threads with `build`, halving the number on each failure down to one, then none.
    fn start<E: std::fmt::Display>(wanted: usize, build: impl Fn(usize) -> Result<rayon::ThreadPool, E>) -> Workers {
        let mut threads = wanted;
        loop {
            match build(threads) {
                Ok(pool) => {
                    let warning = (threads < wanted).then(|| {
                        Diagnostic::warning(0, format!("the system would not start {wanted} threads; using {threads}"))
                    });
                    return Workers { pool: Some(pool), warning };
                }
                Err(err) if threads == 1 => {
                    let why = format!("the system would not start a worker thread ({err}); working on one thread");
                    return Workers { pool: None, warning: Some(Diagnostic::warning(0, why)) };
                }
                Err(_) => threads /= 2,
            }
        }
    }

    /// `f` over every item, results in the items' order: on the pool, or one by one without one.
    fn map<I: Sync, T: Send>(&self, items: &[I], f: impl Fn(&I) -> T + Sync + Send) -> Vec<T> {
        match &self.pool {
            Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
            None => items.iter().map(f).collect(),
        }
    }

    /// `f` over every item, each result handed to `done` as soon as it and every result before it are
    /// ready, in the items' order: a long batch reports as it goes. `done` runs on the calling thread.
    fn map_in_order<I: Sync, T: Send>(&self, items: &[I], f: impl Fn(&I) -> T + Sync + Send, mut done: impl FnMut(T)) {
        let Some(pool) = &self.pool else {
            items.iter().map(f).for_each(done);
            return;
        };
        std::thread::scope(|scope| {
            let (sender, results) = std::sync::mpsc::channel::<(usize, T)>();
            let f = &f;
            let work = move || {
                pool.install(|| {
                    items.par_iter().enumerate().for_each_with(sender, |sender, (i, item)| {
                        let _ = sender.send((i, f(item)));
                    })
                })
            };
            if let Err(e) = std::thread::Builder::new().spawn_scoped(scope, work) {
                // No thread to wait on: do the work here, then report it all, still in order.
                drop(e);
                return items.iter().map(f).for_each(&mut done);
            }
            let mut waiting: std::collections::BTreeMap<usize, T> = std::collections::BTreeMap::new();
            let mut next = 0;
            for (i, result) in results {
                waiting.insert(i, result);
                while let Some(result) = waiting.remove(&next) {
                    done(result);
                    next += 1;
                }
            }
        })
    }

    /// Run `work` on the pool (so that parallel work inside it uses these threads), or here.
    fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

/// Convert every input into `root`, handing each report to `done` as soon as it and every earlier one
/// are ready, in input order. Temporary files that killed runs left in `root` are swept first.
pub fn convert_all(inputs: &[Input], plan: &Plan, root: &OutputRoot, workers: &Workers, done: impl FnMut(FileReport)) {
    root.sweep_stale_temporaries();
    let claims = claim_outputs(inputs, plan, root);
    let work: Vec<(&Input, &Claim)> = inputs.iter().zip(claims.iter()).collect();
    workers.map_in_order(&work, |(input, claim)| convert_one(input, claim, plan, root), done);
}

/// One output an input may write.
struct Target {
    /// Below the output folder.
    rel: PathBuf,
    writer: &'static dyn Writer,
}

/// The outputs one input may write, by view, or why it may write none.
type Claim = Result<Vec<(View, Vec<Target>)>, Diagnostic>;

/// The outputs each input may write, decided before any work starts: an output that another input already
/// claims is refused for the later input.
fn claim_outputs(inputs: &[Input], plan: &Plan, root: &OutputRoot) -> Vec<Claim> {
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
                    let rel = dir.join(output_name(&stem, writer, *view));
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

fn convert_one(input: &Input, claim: &Claim, plan: &Plan, root: &OutputRoot) -> FileReport {
    let targets = match claim {
        Ok(t) => t,
        Err(why) => return FileReport::failing(&input.path, why.clone()),
    };
    let mut report = FileReport::new(&input.path);
    let parsed = match read(input) {
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
    // What the writers noticed, with the formats that noticed it: SRT and VTT of one view say the same.
    let mut notes: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    let mut noted: HashMap<(u32, String), usize> = HashMap::new();
    for (view, outputs) in targets {
        let Some(selected) = select(&parsed.doc, *view, &input.archive) else {
            let what = match view.lang() {
                Some(Lang::Zh) => "no Chinese text",
                _ => "no English text",
            };
            let formats: Vec<&str> = outputs.iter().map(|t| t.writer.name()).collect();
            let message = format!("{what}; no `{view}` {} written", formats.join(", "));
            report.diagnostics.push(Diagnostic::warning(0, message));
            for target in outputs {
                // A stale output from an earlier run would now be wrong: remove it.
                root.remove(&target.rel);
            }
            continue;
        };
        for target in outputs {
            // The writer writes straight into the output's temporary file; on any failure the file is
            // thrown away and the writer's own error, with its causes, is what the report says.
            let mut writer_failure = None;
            let written = root.write_with(&target.rel, |file| {
                let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, file);
                let notes = target.writer.write(&selected, &plan.options, &mut buffered).map_err(|e| {
                    let why = Diagnostic::error_chain(&e);
                    let message = why.message.clone();
                    writer_failure = Some(why);
                    std::io::Error::other(message)
                })?;
                buffered.flush()?;
                Ok(notes)
            });
            match written {
                Ok(found) => {
                    for d in found {
                        let name = target.writer.name();
                        match noted.get(&(d.line, d.message.clone())) {
                            Some(&k) if notes[k].1.contains(&name) => {}
                            Some(&k) => notes[k].1.push(name),
                            None => {
                                noted.insert((d.line, d.message.clone()), notes.len());
                                notes.push((d, vec![name]));
                            }
                        }
                    }
                    report.outputs.push(root.path().join(&target.rel));
                }
                Err(why) => report.diagnostics.push(writer_failure.unwrap_or(why)),
            }
        }
    }
    for (d, formats) in notes {
        let message = format!("{}: {}", formats.join(", "), d.message);
        report.diagnostics.push(Diagnostic { message, ..d });
    }
    // Problems in the order of the lines they are about; what concerns the whole file first.
    report.diagnostics.sort_by_key(|d| d.line);
    report.keep_lines(&parsed.text);
    report
}

/// Read and parse one input. On failure: the error, and the text when it was readable, so the report can
/// show the line it points at.
fn read(input: &Input) -> Result<parse::Parsed, (Diagnostic, Option<String>)> {
    let path = input.path.as_path();
    let cannot = |err: std::io::Error| (Diagnostic::error(0, format!("cannot read file: {err}")), None);
    let size = fs::metadata(path).map_err(cannot)?.len();
    if size > parse::MAX_INPUT_BYTES as u64 {
        let too_large = parse::ParseError::TooLarge { size: size as usize, limit: parse::MAX_INPUT_BYTES };
        return Err((too_large.to_diagnostic(), None));
    }
    let bytes = fs::read(path).map_err(cannot)?;
    let mut parsed = parse::parse(&bytes, &path.to_string_lossy())
        .map_err(|err| (err.to_diagnostic(), String::from_utf8(bytes).ok()))?;
    let meta = &mut parsed.doc.meta;
    if meta.id.is_none() {
        meta.id = Some(default_id(meta.source.as_deref(), input));
    }
    Ok(parsed)
}

/// A transcript's identity when its front matter names none: its `source` URL, else its path under the
/// archive root with `/` between folders (the same on every system).
fn default_id(source: Option<&str>, input: &Input) -> String {
    if let Some(url) = source.map(str::trim).filter(|s| s.starts_with("http://") || s.starts_with("https://")) {
        return url.to_string();
    }
    let name = input.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut parts: Vec<String> =
        input.rel_dir.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.push(name);
    parts.join("/")
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
    inputs: Vec<&'a Input>,
}

impl Members for MemberFiles<'_> {
    fn load(&self, index: usize) -> Result<Document, Diagnostic> {
        read(self.inputs[index]).map(|parsed| parsed.doc).map_err(|(why, _)| why)
    }
}

/// Make one book of every input with `writer`, written to `out`. Inputs are read twice: once for their
/// metadata (to group and order them), then again, a few at a time, while the book is written, so memory
/// does not grow with the size of the archive.
pub fn make_book(
    inputs: &[Input],
    out: &Path,
    writer: &dyn BookWriter,
    spec: &BookSpec,
    options: &WriteOptions,
    workers: &Workers,
) -> BookReport {
    let scanned: Vec<(FileReport, Option<Metadata>)> = workers.map(inputs, scan);
    let mut reports: Vec<FileReport> = Vec::with_capacity(scanned.len());
    let mut members: Vec<(usize, Metadata)> = Vec::new();
    for (i, (report, meta)) in scanned.into_iter().enumerate() {
        if let Some(meta) = meta {
            members.push((i, meta));
        }
        reports.push(report);
    }
    let failed = |reports: Vec<FileReport>, why: Diagnostic| BookReport {
        inputs: reports,
        chapters: 0,
        failure: Some(why),
        diagnostics: Vec::new(),
    };
    let overwrites_input = fs::canonicalize(out)
        .ok()
        .is_some_and(|o| inputs.iter().any(|i| fs::canonicalize(&i.path).ok().as_ref() == Some(&o)));
    if overwrites_input {
        let why =
            Diagnostic::error(0, format!("{} is an input", out.display())).with_hint("choose another output file");
        return failed(reports, why);
    }
    let Some(name) = out.file_name() else {
        return failed(reports, Diagnostic::error(0, format!("{} is not a file name", out.display())));
    };
    let folder = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let root = match OutputRoot::open(folder) {
        Ok(root) => root,
        Err(why) => return failed(reports, why),
    };
    let metas: Vec<&Metadata> = members.iter().map(|(_, m)| m).collect();
    let mut parts = plan_parts(&metas, spec.group_by, spec.sort);
    // Parts are named as the archive file names their slugs, else humanized (`ai-application` as "AI
    // Application"); a speaker's name is shown as it is.
    let kind = match spec.group_by {
        GroupBy::Category => Some(SlugKind::Category),
        GroupBy::Area => Some(SlugKind::Area),
        GroupBy::Speaker | GroupBy::None => None,
    };
    for part in &mut parts {
        if let (Some(kind), Some(name)) = (kind, part.name.as_mut()) {
            *name = spec.archive.display(kind, name, spec.view.main_lang());
        }
    }
    let spec = &spec.clone().with_member_creators(&metas);
    let files = MemberFiles { inputs: members.iter().map(|(i, _)| &inputs[*i]).collect() };
    let mut writer_failure = None;
    let written = workers.run(|| {
        root.write_with(Path::new(name), |file| {
            writer.write_book(file, spec, &parts, &files, options).map_err(|e| {
                let why = Diagnostic::error_chain(&e);
                let message = why.message.clone();
                writer_failure = Some(why);
                std::io::Error::other(message)
            })
        })
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
        Err(why) => failed(reports, writer_failure.unwrap_or(why)),
    }
}

/// Read every input and report what the front end finds, writing nothing; reports in input order.
pub fn check_all(inputs: &[Input], workers: &Workers, done: impl FnMut(FileReport)) {
    workers.map_in_order(inputs, |input| scan(input).0, done);
}

/// Parse one input for its metadata and diagnostics.
fn scan(input: &Input) -> (FileReport, Option<Metadata>) {
    let mut report = FileReport::new(&input.path);
    match read(input) {
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
    fn colliding_outputs_are_refused_for_the_later_input() {
        let dir = tempfile::tempdir().unwrap();
        let plan =
            Plan { formats: vec![emit::find("md").unwrap()], views: vec![View::Bi], options: WriteOptions::default() };
        let root = OutputRoot::open(dir.path()).unwrap();
        let inputs = [
            Input { path: PathBuf::from("x/a.md"), rel_dir: PathBuf::new(), archive: Arc::default() },
            Input { path: PathBuf::from("y/a.md"), rel_dir: PathBuf::new(), archive: Arc::default() },
        ];
        let claims = claim_outputs(&inputs, &plan, &root);
        assert!(claims[0].is_ok());
        match &claims[1] {
            Err(why) => assert!(why.message.contains("also the output of x/a.md") && why.hint.is_some()),
            Ok(_) => panic!("second input must not claim the same output"),
        }
    }

    #[test]
    fn workers_fall_back_to_fewer_threads_then_to_none() {
        let only_two = Workers::start(8, |n| {
            if n <= 2 {
                rayon::ThreadPoolBuilder::new().num_threads(n).build().map_err(|e| e.to_string())
            } else {
                Err("no more threads".to_string())
            }
        });
        assert_eq!(only_two.pool.as_ref().map(|p| p.current_num_threads()), Some(2));
        assert!(only_two.warning.as_ref().is_some_and(|w| w.message.contains("using 2")));
        let none = Workers::start(4, |_| Err::<rayon::ThreadPool, _>("no threads at all"));
        assert!(none.pool.is_none());
        assert!(none.warning.as_ref().is_some_and(|w| w.message.contains("one thread")));
        assert_eq!(none.map(&[1, 2, 3], |x| x * 10), [10, 20, 30]);
        assert_eq!(none.run(|| 7), 7);
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
        let (inputs, problems) = collect_inputs(&[root.to_path_buf()], &InputOptions::default());
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
