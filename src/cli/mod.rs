//! The command line: from flags to per-stage options, the commands, and the exit code. This is the only
//! module that prints (through `report`) and the only one that touches the process: signals, standard
//! input and output.

mod args;
mod build;
mod report;
mod site;

pub use args::{
    BookArgs, BuildArgs, CatalogArgs, CheckArgs, Cli, ColorArg, Command, ConvertArgs, GroupArg, ReportArgs, SiteArgs,
    SortArg, StyleArgs, SubtitleArgs, WorkArgs,
};

use crate::archive::Archive;
use crate::batch::{self, FileReport, InputOptions, OutputRoot, Plan, Workers};
use crate::diag::Diagnostic;
use crate::emit::book::{BookSpec, GroupBy, SortBy};
use crate::emit::pdf::{FontRequest, FontSet, PdfOptions};
use crate::emit::subtitles::{read_captions, Captions, SubtitleOptions};
use crate::emit::{self, Uses, WriteOptions, Writer};
use crate::parse;
use crate::select::View;
use crate::theme::{Layout, Theme};
use anyhow::Context;
use report::{line_of, Messages};
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// Exit codes, as ripgrep uses them; a run ended by a signal exits 128 + the signal's number.
pub const EXIT_OK: i32 = 0;
pub const EXIT_SOME_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Run a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match &cli.command {
        // A build stops between transcripts on the first signal, so that its manifest stays true.
        Command::Convert(args) if !args.inputs.iter().any(|p| p.as_os_str() == "-") => on_signals(true),
        Command::Site(args) if args.serve.is_some() => on_signals(true),
        Command::Convert(_) | Command::Book(_) | Command::Catalog(_) | Command::Site(_) => on_signals(false),
        _ => {}
    }
    let styled = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let result = match cli.command {
        Command::Convert(args) => convert(args, styled),
        Command::Book(args) => book(args, styled),
        Command::Check(args) => check(args, styled),
        Command::Catalog(args) => build::catalog(&args.out, &mut Messages::new(args.report.quiet, styled)),
        Command::Site(args) => site::site(args, styled),
        Command::Formats => formats(),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "bitext", &mut script);
            Ok(to_stdout(&script))
        }
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page) {
                Ok(()) => Ok(to_stdout(&page)),
                Err(e) => Err(anyhow::anyhow!("cannot make the manual page: {e}")),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            Messages::new(false, styled).say(&format!("error: {err:#}"));
            EXIT_USAGE
        }
    }
}

/// On SIGINT or SIGTERM, exit 130 or 143 leaving outputs whole or untouched. With `graceful` (an archive
/// build) the first signal stops the build between transcripts: those under way finish, the manifest is
/// written, and the run exits then; a second signal, or any signal otherwise, removes the temporary
/// files being written and exits at once. Without a thread to watch for signals (the system would not
/// start one), the default actions stay in place.
fn on_signals(graceful: bool) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else { return };
    let watcher = move || {
        for signal in signals.forever() {
            if graceful && build::stop_on(signal) {
                continue;
            }
            batch::remove_in_flight();
            std::process::exit(128 + signal);
        }
    };
    // When the thread cannot start, the closure (and with it the signal registration) is dropped.
    let _ = std::thread::Builder::new().name("signals".into()).spawn(watcher);
}

/// Bytes to standard output. A closed pipe (`| head`) is not an error; any other failure is exit 1.
fn to_stdout(bytes: &[u8]) -> i32 {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            Messages::new(false, false).say(&format!("error: cannot write to standard output: {e}"));
            EXIT_SOME_FAILED
        }
    }
}

/// A problem that stops a whole run before it starts, as an error for `run` to report.
fn fatal(d: Diagnostic) -> anyhow::Error {
    match d.hint {
        Some(hint) => anyhow::anyhow!("{}; {hint}", d.message),
        None => anyhow::anyhow!("{}", d.message),
    }
}

fn formats() -> anyhow::Result<i32> {
    let mut list = String::new();
    for w in emit::writers() {
        let f = w.format();
        list.push_str(&format!("{:<6} .{:<5} {}\n", f.name, f.extension, f.description));
    }
    Ok(to_stdout(list.as_bytes()))
}

/// Edits (insertions, deletions, substitutions) between two short words.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The known name nearest to a mistyped one, when it is near enough to be what was meant.
fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known.map(|k| (distance(name, k), k)).filter(|&(d, _)| d <= 2).min().map(|(_, k)| k)
}

fn writers_for(names: &[String]) -> anyhow::Result<Vec<&'static dyn Writer>> {
    let mut out: Vec<&'static dyn Writer> = Vec::new();
    for name in names {
        let name = name.trim();
        let writer = emit::find(name).ok_or_else(|| {
            let known: Vec<_> = emit::writers().iter().map(|w| w.name()).collect();
            match nearest(name, known.iter().copied()) {
                Some(guess) => anyhow::anyhow!("unknown format `{name}`; did you mean `{guess}`?"),
                None => anyhow::anyhow!("unknown format `{name}`; choose from {}", known.join(", ")),
            }
        })?;
        if !out.iter().any(|w| w.name() == writer.name()) {
            out.push(writer);
        }
    }
    Ok(out)
}

/// The worker threads for `-j` (else `per_core` a core), with a word when there are fewer than asked for.
fn workers(jobs: Option<u32>, per_core: usize, messages: &mut Messages) -> Workers {
    let cap = batch::MAX_JOBS_PER_CORE * batch::cores();
    if let Some(j) = jobs.filter(|&j| j as usize > cap) {
        let why = format!("-j {j} is more than {} threads per core; using {cap}", batch::MAX_JOBS_PER_CORE);
        messages.diagnostic("bitext", None, &Diagnostic::warning(0, why));
    }
    let workers = Workers::new(jobs.map(|j| j as usize), per_core);
    if let Some(why) = &workers.warning {
        messages.diagnostic("bitext", None, why);
    }
    workers
}

fn convert(args: ConvertArgs, styled: bool) -> anyhow::Result<i32> {
    let formats = writers_for(&args.formats)?;
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    // Standard input makes one output on standard output: one language, both unless asked.
    let default_views = if stdin { vec![View::Bi] } else { View::ALL.to_vec() };
    let mut views = args.lang.clone().unwrap_or(default_views);
    views.sort();
    views.dedup();
    if stdin {
        return convert_stdin(&args, &formats, &views, styled);
    }
    let uses = uses_of(&formats);
    let mut options = write_options(&args.style, uses)?;
    options.subtitles = subtitle_options(&args.subtitles, uses)?;
    let root = OutputRoot::open(&args.out).map_err(fatal)?;
    let mut messages = Messages::new(args.report.quiet, styled);
    let workers = workers(args.work.jobs, 2, &mut messages);
    let plan = Plan { formats, views, options };
    let run = build::Run {
        inputs: &args.inputs,
        follow: args.work.follow,
        quiet: args.report.quiet,
        force: args.build.force,
        shard: args.build.shard,
        watch: args.build.watch,
    };
    build::convert_archive(&run, &plan, &root, &workers, &mut messages)
}

fn exit_code(failed: usize) -> i32 {
    if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    }
}

/// Standard input to standard output: one format, one language.
fn convert_stdin(
    args: &ConvertArgs,
    formats: &[&'static dyn Writer],
    views: &[View],
    styled: bool,
) -> anyhow::Result<i32> {
    if args.inputs.len() != 1 || formats.len() != 1 || views.len() != 1 {
        anyhow::bail!("with - as input, give exactly one input, one --to format and one --lang");
    }
    if formats[0].format().binary && io::stdout().is_terminal() {
        anyhow::bail!(
            "{} is binary and standard output is a terminal; write it to a file with `-o DIR` or pipe it",
            formats[0].name()
        );
    }
    let uses = uses_of(formats);
    let mut options = write_options(&args.style, uses)?;
    options.subtitles = subtitle_options(&args.subtitles, uses)?;
    let mut messages = Messages::new(args.report.quiet, styled);
    let name = "<stdin>";
    let Some(parsed) = read_stdin(name, &mut messages)? else { return Ok(EXIT_SOME_FAILED) };
    for d in &parsed.diagnostics {
        messages.diagnostic(name, line_of(&parsed.text, d.line), d);
    }
    let Some(written) = emit::render(formats[0], &parsed.doc, views[0], &options)? else {
        let what = if views[0] == View::En { "no English text" } else { "no Chinese text" };
        messages.diagnostic(name, None, &Diagnostic::warning(0, format!("{what}; nothing written")));
        return Ok(EXIT_OK);
    };
    for note in &written.diagnostics {
        messages.diagnostic(name, line_of(&parsed.text, note.line), note);
    }
    Ok(to_stdout(&written.bytes))
}

/// Read and parse standard input; `None` (the error reported) when it is not a transcript.
fn read_stdin(name: &str, messages: &mut Messages) -> anyhow::Result<Option<parse::Parsed>> {
    let mut bytes = Vec::new();
    let limit = parse::MAX_INPUT_BYTES as u64 + 1;
    io::stdin().lock().take(limit).read_to_end(&mut bytes).context("cannot read standard input")?;
    match parse::parse(&bytes, name) {
        Ok(parsed) => Ok(Some(parsed)),
        Err(err) => {
            let source = String::from_utf8(bytes).ok();
            let diag = err.to_diagnostic();
            messages.diagnostic(name, source.as_deref().and_then(|s| line_of(s, diag.line)), &diag);
            Ok(None)
        }
    }
}

/// What the chosen formats use, together.
fn uses_of(formats: &[&'static dyn Writer]) -> Uses {
    formats.iter().map(|w| w.format().uses).fold(Uses::default(), |a, b| Uses {
        pdf: a.pdf || b.pdf,
        subtitles: a.subtitles || b.subtitles,
        theme: a.theme || b.theme,
        archive: a.archive || b.archive,
    })
}

/// The subtitle settings; the caption track is read only when a subtitle format was asked for.
fn subtitle_options(args: &SubtitleArgs, uses: Uses) -> anyhow::Result<SubtitleOptions> {
    if !uses.subtitles {
        return Ok(SubtitleOptions::default());
    }
    let captions = match &args.align {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read caption track {}", path.display()))?;
            let words = read_captions(&text).with_context(|| format!("cannot use caption track {}", path.display()))?;
            Some(Arc::new(Captions { name: path.display().to_string(), words }))
        }
        None => None,
    };
    Ok(SubtitleOptions {
        wpm: args.wpm,
        duration: args.duration,
        captions,
        crlf: args.crlf,
        bom: args.bom,
        zh_line: usize::from(args.max_zh),
        en_line: usize::from(args.max_en),
    })
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

fn book(args: BookArgs, styled: bool) -> anyhow::Result<i32> {
    let known: Vec<&str> = emit::book_formats().collect();
    let extension = args.out.extension().map(|e| e.to_string_lossy().to_lowercase());
    // The format: as asked, else the one whose extension the output file has.
    let name = match (&args.format, &extension) {
        (Some(f), _) => f.trim().to_string(),
        (None, Some(ext)) if known.contains(&ext.as_str()) => ext.clone(),
        (None, _) => anyhow::bail!(
            "cannot tell the book's format from {}; name it FILE.{} or give -t",
            args.out.display(),
            known.join(" or FILE.")
        ),
    };
    let (writer, book_writer) = emit::find(&name)
        .and_then(|w| Some((w, w.book()?)))
        .ok_or_else(|| anyhow::anyhow!("a book is {}, not `{name}`", known.join(" or ")))?;
    if extension.as_deref() != Some(writer.extension()) {
        anyhow::bail!(
            "the book is {} but {} does not end in .{}; name the file FILE.{} or change -t",
            writer.name(),
            args.out.display(),
            writer.extension(),
            writer.extension()
        );
    }
    let options = write_options(&args.style, writer.format().uses)?;
    let (inputs, mut reports) =
        batch::collect_inputs(&args.inputs, &InputOptions { follow: args.work.follow, exclude: None });
    let mut messages = Messages::new(args.report.quiet, styled);
    if inputs.is_empty() {
        if reports.is_empty() {
            anyhow::bail!("no *.md files found in the given folders");
        }
        return Ok(exit_code(messages.reports(&reports, "read")));
    }
    // The archive's root is the first folder given; its `bitext.toml`, when there is one, names the book.
    let root = args.inputs.iter().find(|p| p.is_dir()).and_then(|p| std::fs::canonicalize(p).ok());
    let archive = match &root {
        Some(root) => Archive::load(root)?.unwrap_or_default(),
        None => Archive::default(),
    };
    let lang = args.lang.main_lang();
    let title = args.title.clone().unwrap_or_else(|| build::archive_title(&archive, root.as_deref(), lang));
    let workers = workers(args.work.jobs, 1, &mut messages);
    let creators = archive.author.iter().chain(&archive.publisher).take(1).cloned().collect();
    let spec =
        BookSpec { title, view: args.lang, group_by: group(args.group_by), sort: sort(args.sort), creators, archive };
    let made = batch::make_book(&inputs, &args.out, book_writer, &spec, &options, &workers);
    reports.extend(made.inputs);
    let code = exit_code(messages.reports(&reports, "read"));
    let book_name = args.out.display().to_string();
    match made.failure {
        Some(why) => {
            let why = Diagnostic { message: format!("cannot write the book: {}", why.message), ..why };
            messages.diagnostic(&book_name, None, &why);
            Ok(EXIT_SOME_FAILED)
        }
        None => {
            for d in &made.diagnostics {
                messages.diagnostic(&book_name, None, d);
            }
            messages.say(&format!("wrote {book_name} ({} transcripts)", made.chapters));
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

fn check(args: CheckArgs, styled: bool) -> anyhow::Result<i32> {
    let mut messages = Messages::new(args.report.quiet, styled);
    if args.inputs.iter().any(|p| p.as_os_str() == "-") {
        if args.inputs.len() != 1 {
            anyhow::bail!("with - as input, give no other input");
        }
        let name = "<stdin>";
        let Some(parsed) = read_stdin(name, &mut messages)? else {
            messages.say("checked 0 files, 1 failed, 0 warnings");
            return Ok(EXIT_SOME_FAILED);
        };
        let mut report = FileReport::new(&PathBuf::from(name));
        report.diagnostics = parsed.diagnostics;
        report.keep_lines(&parsed.text);
        return Ok(exit_code(messages.reports(&[report], "checked")));
    }
    let (inputs, reports) = batch::collect_inputs(&args.inputs, &InputOptions { follow: args.follow, exclude: None });
    if inputs.is_empty() && reports.is_empty() {
        anyhow::bail!("no *.md files found in the given folders");
    }
    let workers = workers(None, 1, &mut messages);
    for report in &reports {
        messages.report(report);
    }
    batch::check_all(&inputs, &workers, |report| messages.report(&report));
    Ok(exit_code(messages.summary("checked")))
}
