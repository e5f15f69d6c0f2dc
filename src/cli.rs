//! The command line: clap definitions, the step from flags to per-stage options, and the reporting of
//! what the library returned. This is the only module that prints.

use crate::batch::{self, FileReport, Plan};
use crate::diag::{Diagnostic, Severity};
use crate::emit::book::{BookSpec, GroupBy, SortBy};
use crate::emit::pdf::{FontRequest, FontSet, FontSpec, Paper, PdfOptions};
use crate::emit::subtitles::{parse_duration, read_captions, SubtitleOptions};
use crate::emit::{self, Uses, WriteOptions, Writer};
use crate::parse;
use crate::select::View;
use crate::theme::{Layout, Theme};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// Exit codes, as ripgrep uses them.
pub const EXIT_OK: i32 = 0;
pub const EXIT_SOME_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "bitext",
    version,
    about = "Convert bilingual Chinese/English transcripts into markdown, text and more",
    long_about = "bitext reads transcripts written as markdown with YAML front matter, where each Chinese \
paragraph is followed by its English original in a <details> block, and writes them out as bilingual or \
single-language documents.",
    after_help = "Examples:\n  bitext convert talks/ -o out                 every talk in every language as markdown\n  \
bitext convert talk.md -t md,txt -l en -o out English-only markdown and text\n  \
bitext convert - -t md -l zh < talk.md        Chinese-only markdown on standard output\n  \
bitext check talks/                           report problems with file and line"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert transcripts (files, folders walked for *.md, or - for standard input)
    #[command(after_help = "Outputs mirror the input folders under --out: <stem>.<ext> for bilingual, \
<stem>.zh.<ext> and <stem>.en.<ext> for one language, <stem>.json for the IR.\n\nExamples:\n  \
bitext convert corpus/ -o out\n  bitext convert a.md b.md -t md,txt,json -l zh,en -o out -j 4\n  \
cat a.md | bitext convert - -t txt -l en")]
    Convert(ConvertArgs),
    /// Make one EPUB anthology of many transcripts: a part per group, a chapter per transcript
    #[command(after_help = "Examples:\n  bitext book corpus/ -o archive.epub\n  \
bitext book corpus/ -o archive.en.epub --lang en --group-by speaker --sort title --title \"Talks\"")]
    Book(BookArgs),
    /// Report problems in transcripts without writing anything; exits 1 if any input has an error
    #[command(after_help = "Example:\n  bitext check corpus/ --quiet")]
    Check(CheckArgs),
    /// List the output formats
    Formats,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Transcript files, folders (walked for *.md), or - for standard input (output then goes to standard output)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output folder
    #[arg(short, long, value_name = "DIR", default_value = "bitext-out")]
    pub out: PathBuf,
    /// Output formats, comma-separated (see `bitext formats`)
    #[arg(short = 't', long = "to", value_name = "FORMATS", value_delimiter = ',', default_value = "md")]
    pub formats: Vec<String>,
    /// Languages: bi (both), zh, en; comma-separated
    #[arg(short, long, value_name = "LANGS", value_delimiter = ',', default_value = "bi,zh,en")]
    pub lang: Vec<View>,
    /// Worker threads (default: one per core)
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub style: StyleArgs,
    #[command(flatten)]
    pub subtitles: SubtitleArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct SubtitleArgs {
    /// Subtitles: speaking rate for estimated timing, in English words per minute
    #[arg(long, value_name = "N", default_value_t = 160.0)]
    pub wpm: f32,
    /// Subtitles: length of the video (HH:MM:SS or seconds); scales the timing to it
    #[arg(long, value_name = "HH:MM:SS")]
    pub duration: Option<String>,
    /// Subtitles: a timed English caption track (SRT or WebVTT) of the same video to align to
    #[arg(long, value_name = "CAPTIONS")]
    pub align: Option<PathBuf>,
    /// Subtitles: CRLF line endings
    #[arg(long)]
    pub crlf: bool,
    /// Subtitles: start files with a UTF-8 byte-order mark
    #[arg(long)]
    pub bom: bool,
    /// Subtitles: characters per Chinese line
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub max_zh: usize,
    /// Subtitles: characters per English line
    #[arg(long, value_name = "N", default_value_t = 42)]
    pub max_en: usize,
}

impl SubtitleArgs {
    /// The subtitle settings; the caption track is read only when a subtitle format was asked for.
    fn options(&self, uses: Uses) -> anyhow::Result<SubtitleOptions> {
        if !uses.subtitles {
            return Ok(SubtitleOptions::default());
        }
        let duration = match &self.duration {
            Some(d) => {
                Some(parse_duration(d).ok_or_else(|| anyhow::anyhow!("--duration `{d}` is not HH:MM:SS or seconds"))?)
            }
            None => None,
        };
        let captions = match &self.align {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read caption track {}", path.display()))?;
                let words =
                    read_captions(&text).with_context(|| format!("cannot use caption track {}", path.display()))?;
                Some(Arc::new(words))
            }
            None => None,
        };
        Ok(SubtitleOptions {
            wpm: self.wpm,
            duration,
            captions,
            crlf: self.crlf,
            bom: self.bom,
            zh_line: self.max_zh,
            en_line: self.max_en,
        })
    }
}

#[derive(Debug, Args)]
pub struct StyleArgs {
    /// Theme of books and PDFs: a built-in name (classic, modern) or a folder holding epub.css and pdf.yaml
    #[arg(long, value_name = "NAME|DIR", default_value = "classic")]
    pub theme: String,
    /// PDF: how a bilingual page is laid out (default: the theme's)
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
    /// PDF: paper size
    #[arg(long, value_enum, default_value = "a4")]
    pub paper: PaperArg,
    /// PDF: the Chinese font file, with a face index for collections (.ttc)
    #[arg(long, value_name = "PATH[:INDEX]")]
    pub font_zh: Option<FontSpec>,
    /// PDF: the Latin font file, with a face index for collections
    #[arg(long, value_name = "PATH[:INDEX]")]
    pub font_en: Option<FontSpec>,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    /// Transcript files or folders (walked for *.md)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The book to write
    #[arg(short, long, value_name = "FILE.epub|FILE.pdf")]
    pub out: PathBuf,
    /// Format of the book: epub or pdf (default: from the output's extension, else epub)
    #[arg(short = 't', long = "to", value_name = "FORMAT")]
    pub format: Option<String>,
    /// Language of the book: bi (both), zh or en
    #[arg(short, long, value_name = "LANG", default_value = "bi")]
    pub lang: View,
    /// Title of the book (default: the input folder's name)
    #[arg(long)]
    pub title: Option<String>,
    /// One part per value of this front-matter key
    #[arg(long, value_enum, default_value = "category")]
    pub group_by: GroupArg,
    /// Order of transcripts inside a part
    #[arg(long, value_enum, default_value = "date")]
    pub sort: SortArg,
    /// Worker threads (default: one per core)
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub style: StyleArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `--layout`: the command line's names for `theme::Layout`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LayoutArg {
    /// Each Chinese passage, then its English below
    Interleaved,
    /// Chinese and English side by side
    Parallel,
}

impl From<LayoutArg> for Layout {
    fn from(arg: LayoutArg) -> Layout {
        match arg {
            LayoutArg::Interleaved => Layout::Interleaved,
            LayoutArg::Parallel => Layout::Parallel,
        }
    }
}

/// `--paper`: the command line's names for `emit::pdf::Paper`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PaperArg {
    A4,
    A5,
    Letter,
}

impl From<PaperArg> for Paper {
    fn from(arg: PaperArg) -> Paper {
        match arg {
            PaperArg::A4 => Paper::A4,
            PaperArg::A5 => Paper::A5,
            PaperArg::Letter => Paper::Letter,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GroupArg {
    Category,
    Area,
    Speaker,
    None,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Date,
    Title,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Transcript files or folders (walked for *.md)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Print errors and the summary only, no warnings
    #[arg(short, long)]
    pub quiet: bool,
}

/// Run a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Convert(args) => convert(args),
        Command::Book(args) => book(args),
        Command::Check(args) => check(args),
        Command::Formats => formats(),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => EXIT_OK,
        Err(err) => {
            eprintln!("error: {err:#}");
            EXIT_USAGE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

fn formats() -> anyhow::Result<i32> {
    let mut out = io::stdout().lock();
    for w in emit::writers() {
        let f = w.format();
        writeln!(out, "{:<6} .{:<5} {}", f.name, f.extension, f.description)?;
    }
    Ok(EXIT_OK)
}

fn writers_for(names: &[String]) -> anyhow::Result<Vec<&'static dyn Writer>> {
    let mut out: Vec<&'static dyn Writer> = Vec::new();
    for name in names {
        let name = name.trim();
        let writer = emit::find(name).ok_or_else(|| {
            let known: Vec<_> = emit::writers().iter().map(|w| w.name()).collect();
            anyhow::anyhow!("unknown format `{name}`; choose from {}", known.join(", "))
        })?;
        if !out.iter().any(|w| w.name() == writer.name()) {
            out.push(writer);
        }
    }
    Ok(out)
}

fn convert(args: ConvertArgs) -> anyhow::Result<i32> {
    let formats = writers_for(&args.formats)?;
    let mut views = args.lang.clone();
    views.sort();
    views.dedup();
    if args.inputs.iter().any(|p| p.as_os_str() == "-") {
        return convert_stdin(&args, &formats, &views);
    }
    let uses = uses_of(&formats);
    let mut options = write_options(&args.style, uses)?;
    options.subtitles = args.subtitles.options(uses)?;
    let plan = Plan { formats, views, out_dir: args.out.clone(), options };
    let (inputs, mut reports) = batch::collect_inputs(&args.inputs);
    if inputs.is_empty() && reports.is_empty() {
        anyhow::bail!("no *.md files found in the given folders");
    }
    let converted = batch::convert_all(&inputs, &plan, args.jobs);
    reports.extend(converted);
    Ok(finish(&reports, &args.report, "converted"))
}

fn convert_stdin(args: &ConvertArgs, formats: &[&'static dyn Writer], views: &[View]) -> anyhow::Result<i32> {
    if args.inputs.len() != 1 || formats.len() != 1 || views.len() != 1 {
        anyhow::bail!("with - as input, give exactly one input, one --to format and one --lang");
    }
    let uses = uses_of(formats);
    let mut options = write_options(&args.style, uses)?;
    options.subtitles = args.subtitles.options(uses)?;
    let mut bytes = Vec::new();
    io::stdin().lock().read_to_end(&mut bytes)?;
    let name = "<stdin>";
    let parsed = match parse::parse(&bytes, name) {
        Ok(p) => p,
        Err(err) => {
            let source = String::from_utf8(bytes).ok();
            let diag = err.to_diagnostic();
            print_diagnostic(name, source.as_deref().and_then(|s| line_of(s, diag.line)), &diag);
            return Ok(EXIT_SOME_FAILED);
        }
    };
    if !args.report.quiet {
        for d in &parsed.diagnostics {
            print_diagnostic(name, line_of(&parsed.text, d.line), d);
        }
    }
    let Some(written) = emit::render(formats[0], &parsed.doc, views[0], &options)? else {
        let what = if views[0] == View::En { "no English text" } else { "no Chinese text" };
        print_diagnostic(name, None, &Diagnostic::warning(0, format!("{what}; nothing written")));
        return Ok(EXIT_OK);
    };
    for note in &written.diagnostics {
        print_diagnostic(name, line_of(&parsed.text, note.line), note);
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(&written.bytes)?;
    stdout.flush()?;
    Ok(EXIT_OK)
}

/// What the chosen formats use, together.
fn uses_of(formats: &[&'static dyn Writer]) -> Uses {
    formats
        .iter()
        .map(|w| w.format().uses)
        .fold(Uses::default(), |a, b| Uses { pdf: a.pdf || b.pdf, subtitles: a.subtitles || b.subtitles })
}

/// Per-stage options from the flags and the environment (`SOURCE_DATE_EPOCH`). Fonts are found and
/// parsed only when a chosen format uses them, once for the whole run.
fn write_options(style: &StyleArgs, uses: Uses) -> anyhow::Result<WriteOptions> {
    let theme = Theme::load(&style.theme)?;
    let fonts = if uses.pdf {
        let request =
            FontRequest { families: theme.pdf.fonts.clone(), zh: style.font_zh.clone(), en: style.font_en.clone() };
        Some(Arc::new(FontSet::load(&request)?))
    } else {
        None
    };
    let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => Some(
            v.trim()
                .parse::<i64>()
                .map_err(|_| anyhow::anyhow!("SOURCE_DATE_EPOCH must be whole seconds since 1970, not `{v}`"))?,
        ),
        _ => None,
    };
    Ok(WriteOptions {
        theme,
        source_date_epoch,
        pdf: PdfOptions { fonts, paper: style.paper.into(), layout: style.layout.map(Layout::from) },
        subtitles: Default::default(),
    })
}

fn book(args: BookArgs) -> anyhow::Result<i32> {
    let name = match args.format.as_deref() {
        Some(f) => f.to_string(),
        None if args.out.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) => "pdf".to_string(),
        None => "epub".to_string(),
    };
    let (writer, book_writer) = emit::find(&name).and_then(|w| Some((w, w.book()?))).ok_or_else(|| {
        let known: Vec<&str> = emit::book_formats().collect();
        anyhow::anyhow!("a book is {}, not `{name}`", known.join(" or "))
    })?;
    let options = write_options(&args.style, writer.format().uses)?;
    let (inputs, mut reports) = batch::collect_inputs(&args.inputs);
    if inputs.is_empty() {
        if reports.is_empty() {
            anyhow::bail!("no *.md files found in the given folders");
        }
        return Ok(finish(&reports, &args.report, "converted"));
    }
    let title = args.title.clone().unwrap_or_else(|| {
        let folder = args.inputs.iter().find(|p| p.is_dir()).and_then(|p| std::fs::canonicalize(p).ok());
        folder
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Anthology".into())
    });
    let spec = BookSpec { title, view: args.lang, group_by: group(args.group_by), sort: sort(args.sort) };
    let made = batch::make_book(&inputs, &args.out, book_writer, &spec, &options, args.jobs);
    reports.extend(made.inputs);
    let code = finish(&reports, &args.report, "read");
    let book_name = args.out.display().to_string();
    match made.failure {
        Some(why) => {
            let why = Diagnostic { message: format!("cannot write the book: {}", why.message), ..why };
            print_diagnostic(&book_name, None, &why);
            Ok(EXIT_SOME_FAILED)
        }
        None => {
            for d in &made.diagnostics {
                print_diagnostic(&book_name, None, d);
            }
            eprintln!("wrote {book_name} ({} transcripts)", made.chapters);
            Ok(code)
        }
    }
}

fn group(g: GroupArg) -> GroupBy {
    match g {
        GroupArg::Category => GroupBy::Category,
        GroupArg::Area => GroupBy::Area,
        GroupArg::Speaker => GroupBy::Speaker,
        GroupArg::None => GroupBy::None,
    }
}

fn sort(s: SortArg) -> SortBy {
    match s {
        SortArg::Date => SortBy::Date,
        SortArg::Title => SortBy::Title,
    }
}

fn check(args: CheckArgs) -> anyhow::Result<i32> {
    let plan =
        Plan { formats: Vec::new(), views: Vec::new(), out_dir: PathBuf::new(), options: WriteOptions::default() };
    let (inputs, mut reports) = batch::collect_inputs(&args.inputs);
    if inputs.is_empty() && reports.is_empty() {
        anyhow::bail!("no *.md files found in the given folders");
    }
    reports.extend(batch::convert_all(&inputs, &plan, None));
    Ok(finish(&reports, &args.report, "checked"))
}

/// Print every report in input order, then the one-line summary; return the exit code.
fn finish(reports: &[FileReport], args: &ReportArgs, verb: &str) -> i32 {
    let mut failed = 0;
    let mut warnings = 0;
    let mut outputs = 0;
    for report in reports {
        let name = report.input.display().to_string();
        let errors_first = report.diagnostics.iter().filter(|d| d.is_error());
        for d in errors_first.chain(report.diagnostics.iter().filter(|d| !d.is_error())) {
            if d.severity == Severity::Error || !args.quiet {
                print_diagnostic(&name, report.line(d.line), d);
            }
        }
        warnings += report.warnings();
        outputs += report.outputs.len();
        if report.failed() {
            failed += 1;
        }
    }
    let ok = reports.len() - failed;
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let made = if verb == "converted" { format!(" ({outputs} outputs)") } else { String::new() };
    eprintln!("{verb} {ok} {}{made}, {failed} failed, {warnings} warnings", files(ok));
    if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    }
}

/// Line `n` (1-based) of `text`.
fn line_of(text: &str, n: u32) -> Option<&str> {
    n.checked_sub(1).and_then(|i| text.split('\n').nth(i as usize))
}

/// One diagnostic, rustc-style, with its source line when there is one.
fn print_diagnostic(path: &str, line_text: Option<&str>, d: &Diagnostic) {
    let renderer = if io::stderr().is_terminal() { Renderer::styled() } else { Renderer::plain() };
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let line_text = line_text.filter(|_| d.line > 0);
    let hint = d.hint.as_deref().map(|h| Level::HELP.message(h));
    let rendered = match line_text {
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
            if let Some(hint) = hint {
                group = group.element(hint);
            }
            renderer.render(&[group]).to_string()
        }
        None => match &d.hint {
            Some(hint) => format!("{}: {}: {}\n  = help: {hint}", d.severity, path, d.message),
            None => format!("{}: {}: {}", d.severity, path, d.message),
        },
    };
    eprintln!("{rendered}");
}
