//! The contract of a back end: the `Writer` trait, the row of data each writer puts in the registry, the
//! options it is given and the errors it may return; and `BookWriter`, for formats that also make one
//! book of many transcripts.
//!
//! A writer turns one selected view of a document into bytes, written to the sink it is given as they
//! are made (a long transcript is never whole in memory as output). It never reads source text, never
//! filters content by language (the selection pass did), never chooses file paths and never touches the
//! file system: naming, temporary files and parallelism belong to the batch driver.

use super::book::{BookReport, BookSpec, Members, Part};
use super::pdf::options::PdfOptions;
use super::subtitles::options::SubtitleOptions;
use crate::diag::Diagnostic;
use crate::select::Selected;
use crate::theme::Theme;
use std::io::{Seek, Write};
use thiserror::Error;

/// What a writer is and needs: its row in the registry. Everything that differs between formats and
/// that the driver or the CLI acts on is here, so nothing compares a writer's name to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// The name used with `--to` (`md`, `epub`).
    pub name: &'static str,
    /// File extension, without the dot.
    pub extension: &'static str,
    /// One line for `bitext formats` and `--help`.
    pub description: &'static str,
    pub languages: Languages,
    pub uses: Uses,
    /// True for formats a terminal cannot show (EPUB, PDF): never written to one.
    pub binary: bool,
}

/// Which views a writer renders, and from what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Languages {
    /// One output per requested view (`talk.md`, `talk.zh.md`, `talk.en.md`), each rendered from the
    /// document reduced to that view (`Selected::document`).
    PerView,
    /// One output per requested view, rendered from both languages side by side (`Selected::paired`):
    /// subtitles cut and time a Chinese track from the English that was spoken.
    Paired,
    /// One output per input whatever the views (`talk.json`), rendered from the whole document
    /// (`Selected::source`).
    WholeDocument,
}

/// What a writer's output depends on beyond the transcript and the clock: the CLI prepares the costly
/// options (finds and parses fonts, reads a caption track) only when a chosen format needs them, and an
/// archive build rebuilds an output only when something it depends on changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Uses {
    /// Fonts, paper size and layout (`WriteOptions::pdf`).
    pub pdf: bool,
    /// Subtitle timing and line lengths (`WriteOptions::subtitles`).
    pub subtitles: bool,
    /// The theme (`WriteOptions::theme`): style sheet, PDF style, subtitle styles.
    pub theme: bool,
    /// The archive file's names for tags and editions (`ReaderMeta::tags`, `ReaderMeta::edition`).
    pub archive: bool,
}

/// Options for every writer of a run: what comes from outside (the clock, the theme, fonts, a caption
/// track) comes in here, prepared once. Each back end owns the struct of its own settings.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// How books look.
    pub theme: Theme,
    /// `SOURCE_DATE_EPOCH`: the time stamped into formats that record one, when set.
    pub source_date_epoch: Option<i64>,
    /// Fonts, paper and layout of PDF output.
    pub pdf: PdfOptions,
    /// Timing and line limits of subtitles.
    pub subtitles: SubtitleOptions,
}

impl WriteOptions {
    /// Everything in these options that an output of a format with `uses` depends on, as text: two runs
    /// whose fingerprints agree write the same bytes from the same transcript. The clock is always in it.
    pub fn fingerprint(&self, uses: Uses) -> String {
        let mut print = format!("epoch={:?}", self.source_date_epoch);
        if uses.theme {
            print.push_str(&format!("\ntheme={:?}", self.theme));
        }
        if uses.pdf {
            print.push_str(&format!("\npdf={:?}", self.pdf));
        }
        if uses.subtitles {
            print.push_str(&format!("\nsubtitles={:?}", self.subtitles));
        }
        print
    }
}

/// Why a writer produced nothing. The source error is kept for the report's chain of causes.
#[derive(Debug, Error)]
pub enum EmitError {
    #[error("no fonts were loaded for PDF output")]
    NoFonts,
    #[error("the {format} writer failed")]
    Failed {
        format: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("cannot write the output")]
    Io(#[from] std::io::Error),
}

impl EmitError {
    /// A writer's own error, with its cause.
    pub fn failed(format: &'static str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        EmitError::Failed { format, source: source.into() }
    }
}

/// A writer's output gathered in memory (`emit::render`): the file, and what the writer noticed while
/// making it (a character no font has, a cue too fast to read) and rendered less than faithfully.
#[derive(Debug)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One output format.
pub trait Writer: Sync + Send {
    /// The writer's row in the registry.
    fn format(&self) -> &'static Format;

    /// Render one view into `out`, and say what could not be rendered faithfully. What the writer reads
    /// of `view` follows its `Format::languages`. On an error, what was written to `out` is to be thrown
    /// away.
    fn write(
        &self,
        view: &Selected<'_>,
        options: &WriteOptions,
        out: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError>;

    /// The book writer of formats that also make one book of many transcripts.
    fn book(&self) -> Option<&dyn BookWriter> {
        None
    }

    /// The name used with `--to`.
    fn name(&self) -> &'static str {
        self.format().name
    }

    /// File extension, without the dot.
    fn extension(&self) -> &'static str {
        self.format().extension
    }
}

/// Where a writer's bytes go: an output's temporary file, or a buffer. Seekable, for the formats that
/// are archives (EPUB).
pub trait Sink: Write + Seek {}

impl<T: Write + Seek> Sink for T {}

/// A format that makes one book (an anthology) of many transcripts.
pub trait BookWriter: Sync {
    /// Write the book of `parts` to `out`. Members are loaded through `members` a few at a time, so memory
    /// does not grow with the archive; the report says which were left out and why.
    fn write_book(
        &self,
        out: &mut dyn Sink,
        spec: &BookSpec,
        parts: &[Part],
        members: &dyn Members,
        options: &WriteOptions,
    ) -> Result<BookReport, EmitError>;
}
