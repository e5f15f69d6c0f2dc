//! The batch driver: inputs in, files out, one report per input.
//!
//! This is the one place that knows both the front end and the back ends, and the only library code that
//! touches the file system. It finds the inputs (`inputs`), parses each once, selects each requested view
//! once and hands it to every writer of that view, writes every output atomically inside the output
//! folder only (`output`), and keeps going when a file fails. It never prints: the CLI reports what it
//! returns, in input order.

mod build;
pub mod catalog;
mod inputs;
pub mod manifest;
mod output;
mod site;

pub use build::{build, catalog, request_stop, stop_requested, BuildOptions, BuildSummary};
pub use inputs::{collect_inputs, root_name, InputOptions};
pub use output::{remove_in_flight, OutputRoot};
pub use site::{build_site, SitePlan, SiteSummary};

use crate::archive::{Archive, SlugKind};
use crate::diag::{Diagnostic, Severity};
use crate::emit::book::{plan_parts, BookSpec, GroupBy, Members};
use crate::emit::{BookWriter, Languages, WriteOptions, Writer};
use crate::ir::{Document, Metadata};
use crate::parse;
use crate::select::View;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
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
    /// The name of the folder it was found in (`corpus`), empty for a file named on its own.
    pub root: String,
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
    /// True when every output was already up to date: nothing was parsed or written.
    pub unchanged: bool,
    /// The source lines that diagnostics point at (line number, text), so they can be shown without
    /// keeping whole files in memory.
    pub lines: Vec<(u32, String)>,
}

impl FileReport {
    pub fn new(input: &Path) -> Self {
        FileReport {
            input: input.to_path_buf(),
            outputs: Vec::new(),
            diagnostics: Vec::new(),
            unchanged: false,
            lines: Vec::new(),
        }
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

/// Read and parse one input. On failure: the error, and the text when it was readable, so the report can
/// show the line it points at.
fn read(input: &Input) -> Result<parse::Parsed, (Diagnostic, Option<String>)> {
    let bytes = read_bytes(input).map_err(|why| (why, None))?;
    parse_input(input, bytes)
}

/// The bytes of one input, refused when it is larger than a transcript can be.
fn read_bytes(input: &Input) -> Result<Vec<u8>, Diagnostic> {
    let path = input.path.as_path();
    let cannot = |err: std::io::Error| Diagnostic::error(0, format!("cannot read file: {err}"));
    let size = fs::metadata(path).map_err(cannot)?.len();
    if size > parse::MAX_INPUT_BYTES as u64 {
        let too_large = parse::ParseError::TooLarge { size: size as usize, limit: parse::MAX_INPUT_BYTES };
        return Err(too_large.to_diagnostic());
    }
    fs::read(path).map_err(cannot)
}

/// Parse the bytes of one input, and give the transcript its identity when the front matter names none.
fn parse_input(input: &Input, bytes: Vec<u8>) -> Result<parse::Parsed, (Diagnostic, Option<String>)> {
    let path = input.path.as_path();
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
