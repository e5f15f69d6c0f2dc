//! Diagnostics as data.
//!
//! The front end and the back ends report what they noticed as values of these types; only the CLI
//! prints them. Messages are lowercase, carry no trailing period and say what to do. This module imports
//! nothing else of the crate.

use serde::Serialize;
use std::cell::Cell;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// What the user may like to know, no fault (how much of a caption track was matched).
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing worth telling the user about one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// 1-based line in the input, 0 when the message is about the whole file.
    pub line: u32,
    /// 1-based column in characters, 0 when unknown.
    pub column: u32,
    pub message: String,
    /// What to do about it, when the message alone does not say (`check the folder's permissions`).
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn note(line: u32, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, line, column: 0, message: message.into(), hint: None }
    }

    pub fn warning(line: u32, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, line, column: 0, message: message.into(), hint: None }
    }

    pub fn error(line: u32, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, line, column: 0, message: message.into(), hint: None }
    }

    pub fn at_column(mut self, column: u32) -> Self {
        self.column = column;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// An error about a whole file from an error value: its message, then each cause it carries
    /// (`the epub writer failed: invalid zip archive`).
    pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> Self {
        let mut message = err.to_string();
        let mut cause = err.source();
        while let Some(e) = cause {
            message.push_str(": ");
            message.push_str(&e.to_string());
            cause = e.source();
        }
        Diagnostic::error(0, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Byte offset to (line, column), both 1-based, column counted in characters.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last column computed (byte offset, column): the front end reports in source order, so the
    /// next column on the same line is counted from there, and many reports on one long line cost one
    /// pass over it.
    last: Cell<(usize, u32)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, last: Cell::new((0, 1)) }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        (self.starts.partition_point(|&s| s <= offset)) as u32
    }

    /// 1-based line and character column of a byte offset into `text` (the text this index was built on).
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[line as usize - 1];
        let (last_offset, last_col) = self.last.get();
        let (from, col) =
            if last_offset >= start && last_offset <= offset { (last_offset, last_col) } else { (start, 1) };
        let col = col + text.get(from..offset).map_or(0, |s| s.chars().count()) as u32;
        if text.is_char_boundary(offset) {
            self.last.set((offset, col));
        }
        (line, col)
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets_to_lines_and_char_columns() {
        let text = "ab\n中文x\n\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line_col(text, text.find('x').unwrap()), (2, 3));
        assert_eq!(idx.line(text.len() - 1), 4);
        // Columns asked for out of order are still right.
        assert_eq!(idx.line_col(text, text.find('文').unwrap()), (2, 2));
        assert_eq!(idx.line_col(text, text.find('x').unwrap()), (2, 3));
        assert_eq!(idx.line_col(text, 0), (1, 1));
    }

    #[test]
    fn error_chains_keep_every_cause() {
        #[derive(Debug, thiserror::Error)]
        #[error("the epub writer failed")]
        struct Outer(#[source] std::io::Error);
        let err = Outer(std::io::Error::other("disk full"));
        let d = Diagnostic::error_chain(&err);
        assert_eq!(d.message, "the epub writer failed: disk full");
        assert!(d.is_error() && d.line == 0);
    }
}
