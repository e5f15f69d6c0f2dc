//! Everything the command line says on standard error: diagnostics rustc-style with their source line,
//! and the one-line summary of a run.
//!
//! Writing a message must never stop or crash a run: when standard error is closed or full (`2>&-`,
//! `2>/dev/full`, a pipe into `head` that has exited), the messages stop and the run goes on to the
//! exit code it earned.

use crate::batch::FileReport;
use crate::diag::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::collections::HashMap;
use std::io::{self, Write};

/// A file's diagnostics with the same message are shown this many times, then counted: a damaged file
/// can hold thousands of the same problem.
const SAME_MESSAGE_SHOWN: usize = 5;

/// Where messages go.
pub(super) struct Messages {
    /// Errors and the summary only, no warnings.
    quiet: bool,
    styled: bool,
    /// A write failed: say nothing more.
    closed: bool,
    tally: Tally,
}

impl Messages {
    /// Messages, warnings left out when `quiet`, in colour when `styled`.
    pub fn new(quiet: bool, styled: bool) -> Messages {
        Messages { quiet, styled, closed: false, tally: Tally::default() }
    }

    /// One line (or several) of text, as it is.
    pub fn say(&mut self, text: &str) {
        if self.closed {
            return;
        }
        let mut err = io::stderr().lock();
        if writeln!(err, "{text}").and_then(|()| err.flush()).is_err() {
            self.closed = true;
        }
    }

    /// One diagnostic about `path`, with its source line when there is one; notes and warnings not when
    /// quiet.
    pub fn diagnostic(&mut self, path: &str, line_text: Option<&str>, d: &Diagnostic) {
        if self.quiet && d.severity < Severity::Error {
            return;
        }
        let rendered = render(path, line_text.filter(|_| d.line > 0), d, self.styled);
        self.say(&rendered);
    }

    /// Every report in input order, then the one-line summary; returns how many files failed.
    pub fn reports(&mut self, reports: &[FileReport], verb: &str) -> usize {
        for report in reports {
            self.report(report);
        }
        self.summary(verb)
    }

    /// One input's messages, errors first, each message at most `SAME_MESSAGE_SHOWN` times; and its
    /// outcome counted for the summary.
    pub fn report(&mut self, report: &FileReport) {
        let name = report.input.display().to_string();
        let errors_first = report.diagnostics.iter().filter(|d| d.is_error());
        // How often each message came, and the messages in the order they first came.
        let mut said: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<&Diagnostic> = Vec::new();
        for d in errors_first.chain(report.diagnostics.iter().filter(|d| !d.is_error())) {
            let times = said.entry(d.message.as_str()).or_default();
            *times += 1;
            if *times == 1 {
                order.push(d);
            }
            if *times <= SAME_MESSAGE_SHOWN {
                self.diagnostic(&name, report.line(d.line), d);
            }
        }
        for d in order {
            let more = said[d.message.as_str()].saturating_sub(SAME_MESSAGE_SHOWN);
            if more > 0 && (d.is_error() || !self.quiet) {
                self.say(&format!("note: {name}: {more} more like this: {}", d.message));
            }
        }
        self.tally.files += 1;
        self.tally.unchanged += usize::from(report.unchanged);
        self.tally.warnings += report.warnings();
        self.tally.outputs += report.outputs.len();
        self.tally.failed += usize::from(report.failed());
    }

    /// The one-line summary of the reports so far (`verb` is what happened to the files: converted,
    /// checked, read); returns how many files failed.
    pub fn summary(&mut self, verb: &str) -> usize {
        let Tally { files, failed, warnings, outputs, unchanged } = self.tally;
        let made = if verb == "converted" { format!(" ({})", count(outputs, "output")) } else { String::new() };
        let ok = files - failed - unchanged;
        self.say(&format!("{verb} {}{made}, {failed} failed, {}", count(ok, "file"), count(warnings, "warning")));
        failed
    }

    /// The summary of an archive build: what was converted, what was already up to date, what was
    /// removed (`converted 3 files (27 outputs), 989 unchanged, 9 outputs removed, 0 failed, 0 warnings`);
    /// returns how many files failed. The tally starts again afterwards.
    pub fn build_summary(&mut self, removed: usize) -> usize {
        let Tally { files, failed, warnings, outputs, unchanged } = self.tally;
        let mut line =
            format!("converted {} ({})", count(files - failed - unchanged, "file"), count(outputs, "output"));
        if unchanged > 0 {
            line.push_str(&format!(", {unchanged} unchanged"));
        }
        if removed > 0 {
            line.push_str(&format!(", {} removed", count(removed, "output")));
        }
        line.push_str(&format!(", {failed} failed, {}", count(warnings, "warning")));
        self.say(&line);
        self.tally = Tally::default();
        failed
    }
}

/// What the reports so far came to.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    files: usize,
    failed: usize,
    warnings: usize,
    outputs: usize,
    /// Files whose outputs were all up to date.
    unchanged: usize,
}

/// `1 file`, `2 files`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Line `n` (1-based) of `text`.
pub(super) fn line_of(text: &str, n: u32) -> Option<&str> {
    n.checked_sub(1).and_then(|i| text.split('\n').nth(i as usize))
}

/// One diagnostic, rustc-style, with its source line when there is one, and its hint.
fn render(path: &str, line_text: Option<&str>, d: &Diagnostic, styled: bool) -> String {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    match line_text {
        Some(text) => {
            let shown: String = text.chars().take(160).collect();
            let start = shown.char_indices().nth(d.column.saturating_sub(1) as usize).map_or(0, |(i, _)| i);
            let end = if shown.is_empty() { 0 } else { shown.len() };
            let mut group = level.primary_title(&d.message).element(
                Snippet::source(shown.as_str())
                    .line_start(d.line as usize)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(start.min(end)..end)),
            );
            if let Some(hint) = &d.hint {
                group = group.element(Level::HELP.message(hint));
            }
            renderer.render(&[group]).to_string()
        }
        None => match &d.hint {
            Some(hint) => format!("{}: {}: {}\n  = help: {hint}", d.severity, path, d.message),
            None => format!("{}: {}: {}", d.severity, path, d.message),
        },
    }
}
