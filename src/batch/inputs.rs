//! Which files a run reads: files named on the command line, and the transcripts found by walking the
//! folders named there.
//!
//! Folders are walked sorted by name, hidden entries skipped. Symbolic links are followed while they
//! stay inside the folders named (a link loop is reported, never followed forever); a link that leads
//! elsewhere is skipped with a warning unless the user asks to follow it (`follow`). The output folder
//! and everything in it are never read as input, and a file reached twice is read once. What cannot be
//! read is reported against its own path, and everything else is still found.

use super::{FileReport, Input};
use crate::archive::{Archive, ArchiveError};
use crate::diag::Diagnostic;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How to find inputs.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Read what symbolic links point to even outside the folders named (ripgrep's `-L`).
    pub follow: bool,
    /// The output folder, canonical: never read from.
    pub exclude: Option<PathBuf>,
}

/// Expand the command line's inputs into the transcripts to read, and reports for what could not be
/// read or was skipped (a skipped link is a warning, an unreadable entry an error).
pub fn collect_inputs(args: &[PathBuf], options: &InputOptions) -> (Vec<Input>, Vec<FileReport>) {
    let roots: Vec<PathBuf> = args.iter().filter(|a| a.is_dir()).filter_map(|a| fs::canonicalize(a).ok()).collect();
    let mut found = Found { options, roots: &roots, inputs: Vec::new(), reports: Vec::new(), seen: HashMap::new() };
    for arg in args {
        match fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => found.walk(arg),
            Ok(_) => match fs::canonicalize(arg) {
                Ok(real) if found.excluded(&real) => found.reports.push(FileReport::failing(
                    arg,
                    Diagnostic::error(0, "the file is inside the output folder")
                        .with_hint("choose another --out folder"),
                )),
                Ok(real) => {
                    let input = Input {
                        path: arg.clone(),
                        rel_dir: PathBuf::new(),
                        root: String::new(),
                        archive: Arc::default(),
                    };
                    found.add(input, real)
                }
                Err(err) => found.cannot_read(arg, &err),
            },
            Err(err) => found.cannot_read(arg, &err),
        }
    }
    (found.inputs, found.reports)
}

struct Found<'a> {
    options: &'a InputOptions,
    /// The folders named, canonical: links may lead anywhere inside them.
    roots: &'a [PathBuf],
    inputs: Vec<Input>,
    reports: Vec<FileReport>,
    /// Canonical paths of the inputs so far, with their place in `inputs`.
    seen: HashMap<PathBuf, usize>,
}

impl Found<'_> {
    /// Add an input unless its file is already one; a file reached both through a link and directly is
    /// read under its own name.
    fn add(&mut self, input: Input, real: PathBuf) {
        match self.seen.get(&real) {
            None => {
                self.seen.insert(real, self.inputs.len());
                self.inputs.push(input);
            }
            Some(&k) => {
                let linked = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
                if linked(&self.inputs[k].path) && !linked(&input.path) {
                    self.inputs[k] = input;
                }
            }
        }
    }

    /// The archive file at `root`; one that cannot be used is reported against its own path and line, and
    /// the folder's transcripts are still converted, their slugs humanized.
    fn archive_of(&mut self, root: &Path) -> Arc<Archive> {
        match Archive::load(root) {
            Ok(archive) => Arc::new(archive.unwrap_or_default()),
            Err(err) => {
                let (path, why) = match err {
                    ArchiveError::Read { path, source } => {
                        (path, Diagnostic::error(0, format!("cannot read the archive file: {source}")))
                    }
                    ArchiveError::Invalid { path, line, message } => (path, Diagnostic::error(line as u32, message)),
                };
                let why =
                    why.with_hint("fix it (see the README's \"Archive file\"); until then slugs are shown as words");
                let mut report = FileReport::failing(&path, why);
                if let Ok(text) = fs::read_to_string(&path) {
                    report.keep_lines(&text);
                }
                self.reports.push(report);
                Arc::default()
            }
        }
    }

    fn excluded(&self, real: &Path) -> bool {
        excluded(self.options, real)
    }

    fn cannot_read(&mut self, path: &Path, err: &std::io::Error) {
        let why = Diagnostic::error(0, format!("cannot read input: {err}")).with_hint("check the path");
        self.reports.push(FileReport::failing(path, why));
    }

    fn walk(&mut self, root: &Path) {
        let archive = self.archive_of(root);
        let root_name = root_name(root);
        let hidden = |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        let (options, roots) = (self.options, self.roots);
        let mut skipped: Vec<FileReport> = Vec::new();
        let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
        let entries = walker.filter_entry(|e| {
            if hidden(e) {
                return false;
            }
            let Ok(real) = fs::canonicalize(e.path()) else { return true };
            if excluded(options, &real) {
                return false;
            }
            let outside = e.path_is_symlink() && !roots.iter().any(|r| real.starts_with(r));
            if outside && !options.follow {
                let why = Diagnostic::warning(
                    0,
                    format!("symbolic link leads outside the input folders, to {}", real.display()),
                )
                .with_hint("it was skipped; pass --follow to read what links point to");
                skipped.push(FileReport::failing(e.path(), why));
                return false;
            }
            true
        });
        for entry in entries {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    let is_transcript = path.extension().is_some_and(|e| e == "md" || e == "markdown");
                    if entry.file_type().is_file() && is_transcript {
                        let rel_dir = path.parent().and_then(|p| p.strip_prefix(root).ok()).unwrap_or(Path::new(""));
                        match fs::canonicalize(path) {
                            Ok(real) => {
                                let input = Input {
                                    path: path.to_path_buf(),
                                    rel_dir: rel_dir.to_path_buf(),
                                    root: root_name.clone(),
                                    archive: Arc::clone(&archive),
                                };
                                self.add(input, real)
                            }
                            Err(err) => self.cannot_read(path, &err),
                        }
                    }
                }
                Err(err) => self.reports.push(walk_problem(root, &err)),
            }
        }
        self.reports.extend(skipped);
    }
}

/// The name of an input folder as outputs record it: its own name, the same however the folder was named
/// on the command line (`corpus`, `./corpus/`, `.` inside it).
pub fn root_name(folder: &Path) -> String {
    let real = fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// True for what lies in the output folder.
fn excluded(options: &InputOptions, real: &Path) -> bool {
    options.exclude.as_deref().is_some_and(|out| real.starts_with(out))
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
