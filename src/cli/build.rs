//! `bitext convert` of files and folders (an archive build), its progress bar and `--watch`, and
//! `bitext catalog`. What is built and how is `batch`'s; this module runs it, shows it and waits.

use super::report::Messages;
use super::{exit_code, fatal, EXIT_SOME_FAILED};
use crate::archive::{humanized, Archive};
use crate::batch::manifest::Shard;
use crate::batch::{self, BuildOptions, InputOptions, OutputRoot, Plan, Workers};
use crate::diag::Diagnostic;
use crate::ir::Lang;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// The signal that asked the run to stop, 0 while none has.
static STOPPED_BY: AtomicI32 = AtomicI32::new(0);

/// Note that `signal` asked the run to stop; true when it is the first to.
pub(super) fn stop_on(signal: i32) -> bool {
    let first = STOPPED_BY.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst).is_ok();
    batch::request_stop();
    first
}

/// The exit code of a run a signal stopped (128 + its number), if one did.
pub(super) fn stopped() -> Option<i32> {
    match STOPPED_BY.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(128 + signal),
    }
}

/// What `convert` asked for, beyond the plan.
pub(super) struct Run<'a> {
    pub inputs: &'a [PathBuf],
    pub follow: bool,
    pub quiet: bool,
    pub force: bool,
    pub shard: Option<Shard>,
    pub watch: bool,
}

/// Build the inputs into `root` (once, or again on every change with `--watch`); returns the exit code.
pub(super) fn convert_archive(
    run: &Run<'_>,
    plan: &Plan,
    root: &OutputRoot,
    workers: &Workers,
    messages: &mut Messages,
) -> anyhow::Result<i32> {
    let folders: Vec<&PathBuf> = run.inputs.iter().filter(|p| p.is_dir()).collect();
    // Only transcripts found in these folders can be gone; files named one by one are never taken for
    // gone when a later run names others.
    let roots: Vec<String> = folders.iter().map(|f| batch::root_name(f)).collect();
    let archive = match folders.first() {
        Some(first) => Archive::load(first).ok().flatten().unwrap_or_default(),
        None => Archive::default(),
    };
    let title = archive_title(&archive, folders.first().map(|f| f.as_path()), Lang::Zh);
    let options = BuildOptions { force: run.force, shard: run.shard.unwrap_or(Shard::ALL), roots, title };
    let code = build_once(run, plan, root, &options, workers, messages, true)?;
    if !run.watch || stopped().is_some() {
        return Ok(stopped().unwrap_or(code));
    }
    // Watching: later builds are never forced.
    let options = BuildOptions { force: false, ..options };
    watch(run.inputs, root.canonical(), messages, |messages| {
        build_once(run, plan, root, &options, workers, messages, false)
    })
}

/// The archive's title: the archive file's in `lang`, else the folder's name read as a title.
pub(crate) fn archive_title(archive: &Archive, folder: Option<&Path>, lang: Lang) -> String {
    if let Some(title) = archive.title(lang) {
        return title.to_string();
    }
    let named = folder
        .and_then(|f| std::fs::canonicalize(f).ok())
        .and_then(|p| p.file_name().map(|n| humanized(&n.to_string_lossy())));
    named.unwrap_or_else(|| if lang == Lang::En { "Anthology".into() } else { "文集".into() })
}

/// One build: find the inputs, convert what changed, report, summarise.
fn build_once(
    run: &Run<'_>,
    plan: &Plan,
    root: &OutputRoot,
    options: &BuildOptions,
    workers: &Workers,
    messages: &mut Messages,
    first: bool,
) -> anyhow::Result<i32> {
    let found = InputOptions { follow: run.follow, exclude: Some(root.canonical().to_path_buf()) };
    let (inputs, reports) = batch::collect_inputs(run.inputs, &found);
    if first && inputs.is_empty() && reports.is_empty() {
        anyhow::bail!("no *.md files found in the given folders");
    }
    for report in &reports {
        messages.report(report);
    }
    let progress = Progress::new(!run.quiet && io::stderr().is_terminal());
    let built = batch::build(
        &inputs,
        plan,
        root,
        options,
        workers,
        |total| progress.start(total),
        |report| {
            progress.suspend(|| messages.report(&report));
            progress.advance(report.failed());
        },
    );
    progress.finish();
    let summary = match built {
        Ok(summary) => summary,
        Err(why) if first => return Err(fatal(why)),
        Err(why) => {
            messages.diagnostic(&root.path().display().to_string(), None, &why);
            return Ok(EXIT_SOME_FAILED);
        }
    };
    let failed = messages.build_summary(summary.removed);
    if summary.not_reached > 0 {
        let n = summary.not_reached;
        messages.say(&format!("stopped: {n} transcript{} left for the next run", if n == 1 { "" } else { "s" }));
    }
    if let Some(why) = &summary.failure {
        messages.diagnostic(&root.path().display().to_string(), None, why);
        return Ok(EXIT_SOME_FAILED);
    }
    Ok(exit_code(failed))
}

/// The progress bar of a build on a terminal: files done of all, rate, time left, failures so far.
/// Where standard error is not a terminal (or with `-q`) there is none, and nothing of it is written.
struct Progress {
    bar: Option<ProgressBar>,
    failed: std::cell::Cell<usize>,
}

impl Progress {
    fn new(shown: bool) -> Progress {
        let bar = shown.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr_with_hz(10));
            let style = ProgressStyle::with_template(
                "{bar:32.cyan/blue} {pos}/{len} files  {rate:.dim}  {eta} left  {msg:.red}",
            )
            .expect("a valid template")
            .with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} files/s", state.per_sec());
            })
            .progress_chars("━╸─");
            bar.set_style(style);
            bar
        });
        Progress { bar, failed: std::cell::Cell::new(0) }
    }

    fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.reset_eta();
        }
    }

    /// Run `f` (which prints) with the bar taken off the screen.
    fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn advance(&self, failed: bool) {
        if let Some(bar) = &self.bar {
            if failed {
                self.failed.set(self.failed.get() + 1);
                bar.set_message(format!("{} failed", self.failed.get()));
            }
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// After a build, watch the inputs and build again when they change, until a signal stops the run.
/// Changes inside the output folder are not changes to the inputs.
pub(super) fn watch(
    inputs: &[PathBuf],
    out: &Path,
    messages: &mut Messages,
    mut rebuild: impl FnMut(&mut Messages) -> anyhow::Result<i32>,
) -> anyhow::Result<i32> {
    use notify::{RecursiveMode, Watcher};
    let (sender, events) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher =
        notify::recommended_watcher(sender).map_err(|e| anyhow::anyhow!("cannot watch the inputs: {e}"))?;
    for input in inputs {
        let mode = if input.is_dir() { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        watcher.watch(input, mode).map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", input.display()))?;
    }
    messages.say("watching the inputs for changes; press Ctrl-C to stop");
    let relevant = |event: &notify::Event| {
        !event.kind.is_access()
            && event.paths.iter().any(|p| {
                let inside_out = std::fs::canonicalize(p.parent().unwrap_or(p)).is_ok_and(|dir| dir.starts_with(out));
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let kind = name.ends_with(".md") || name.ends_with(".markdown") || name == crate::archive::FILE_NAME;
                !inside_out && (kind || p.is_dir() || !p.exists())
            })
    };
    let tick = Duration::from_millis(100);
    let quiet = Duration::from_millis(300);
    let mut code = 0;
    loop {
        if let Some(code) = stopped() {
            return Ok(code);
        }
        match events.recv_timeout(tick) {
            Ok(Ok(event)) if relevant(&event) => {
                // Let a burst of changes (an editor saving, a folder copied in) settle, then build once.
                while let Ok(more) = events.recv_timeout(quiet) {
                    drop(more);
                }
                if stopped().is_none() {
                    code = rebuild(messages)?;
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => messages.diagnostic("bitext", None, &Diagnostic::warning(0, format!("watching: {e}"))),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(code),
        }
    }
}

/// `bitext catalog OUT`: fold the shards' parts into the manifest and write the catalog.
pub(super) fn catalog(out: &Path, messages: &mut Messages) -> anyhow::Result<i32> {
    if !out.is_dir() {
        anyhow::bail!("{} is not a folder; give the output folder of the sharded runs", out.display());
    }
    let root = OutputRoot::open(out).map_err(fatal)?;
    match batch::catalog(&root) {
        Ok(n) => {
            let s = if n == 1 { "" } else { "s" };
            messages.say(&format!("wrote catalog.json, catalog.csv and opds.xml for {n} transcript{s}"));
            Ok(super::EXIT_OK)
        }
        Err(why) => {
            messages.diagnostic(&out.display().to_string(), None, &why);
            Ok(EXIT_SOME_FAILED)
        }
    }
}
