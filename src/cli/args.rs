//! The command line's words: clap definitions only. What they mean for each stage is `cli`'s job; no
//! library type derives anything of clap.

use crate::emit::pdf::{FontSpec, Paper};
use crate::emit::subtitles::parse_duration;
use crate::select::View;
use crate::theme::Layout;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    /// Colour in messages: auto (when standard error is a terminal), always, never
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorArg,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert transcripts (files, folders walked for *.md, or - for standard input)
    #[command(after_help = "Outputs mirror the input folders under --out: <stem>.<ext> for bilingual, \
<stem>.zh.<ext> and <stem>.en.<ext> for one language, <stem>.json for the IR. The output folder keeps a \
manifest (bitext-manifest.json): a run rewrites only outputs whose input, options or theme changed, \
removes the outputs of transcripts that are gone, and writes catalog.json, catalog.csv and opds.xml.\n\n\
Examples:\n  bitext convert corpus/ -o out\n  bitext convert a.md b.md -t md,txt,json -l zh,en -o out -j 4\n  \
bitext convert corpus/ -t epub,pdf -o /shared/out --shard 2/4   then: bitext catalog /shared/out\n  \
bitext convert corpus/ -t epub -o out --watch\n  cat a.md | bitext convert - -t txt -l en")]
    Convert(ConvertArgs),
    /// Write the catalog (catalog.json, catalog.csv, opds.xml) of an output folder built by sharded runs
    #[command(after_help = "Folds the shards' parts of the manifest into bitext-manifest.json; fails, writing \
nothing, when a shard's part is missing.\n\nExample:\n  bitext catalog /shared/out")]
    Catalog(CatalogArgs),
    /// Make one book of many transcripts, EPUB or PDF: a title page, a part per group, a chapter per
    /// transcript, one table of contents and one glossary
    #[command(after_help = "The format comes from -t, else from the output's extension (.epub or .pdf).\n\n\
Examples:\n  bitext book corpus/ -o archive.epub\n  bitext book corpus/ -o archive.pdf --paper a5\n  \
bitext book corpus/ -o archive.en.epub --lang en --group-by speaker --sort title --title \"Talks\"")]
    Book(BookArgs),
    /// Make a website of an archive: a page per transcript with a language switch, pages by category,
    /// area, speaker, person, tag and year, and search in Chinese and English
    #[command(after_help = "Every link is relative and nothing is loaded from elsewhere: the folder works on any \
static host. A rebuild writes only the files whose bytes change.\n\nExamples:\n  \
bitext site corpus/ -o site\n  bitext site corpus/ -o site --downloads epub,pdf --base-url https://example.org/talks/\n  \
bitext site corpus/ -o site --serve 8000")]
    Site(SiteArgs),
    /// Report problems in transcripts without writing anything; exits 1 if any input has an error
    #[command(after_help = "Example:\n  bitext check corpus/ --quiet")]
    Check(CheckArgs),
    /// List the output formats
    Formats,
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "Example:\n  bitext completions bash > ~/.local/share/bash-completion/completions/bitext")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "Example:\n  bitext man > ~/.local/share/man/man1/bitext.1")]
    Man,
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
    /// Languages: bi (both), zh, en; comma-separated (default: bi,zh,en; with - as input, bi)
    #[arg(short, long, value_name = "LANGS", value_delimiter = ',')]
    pub lang: Option<Vec<View>>,
    #[command(flatten)]
    pub work: WorkArgs,
    #[command(flatten)]
    pub build: BuildArgs,
    #[command(flatten)]
    pub style: StyleArgs,
    #[command(flatten)]
    pub subtitles: SubtitleArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// How an archive build goes: incremental unless forced, whole or one shard, once or watching.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Rebuild every output, even those the manifest says are up to date
    #[arg(long)]
    pub force: bool,
    /// Convert only shard K of N (by each transcript's path under its folder); N runs, on one machine or
    /// many, then `bitext catalog OUT`, build what one run builds
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::batch::manifest::Shard>,
    /// After the build, keep watching the inputs and rebuild what changes, until Ctrl-C
    #[arg(short, long, conflicts_with = "shard")]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Transcript files or folders (walked for *.md)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output folder
    #[arg(short, long, value_name = "DIR", default_value = "bitext-site")]
    pub out: PathBuf,
    /// The site's title (default: the archive's bitext.toml title, else the input folder's name as words)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// Where the site will be served, for canonical links (https://example.org/talks/)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Formats to offer for download on every transcript's page, in every language (epub,pdf,srt,vtt,md,...)
    #[arg(long, value_name = "FORMATS", value_delimiter = ',')]
    pub downloads: Vec<String>,
    /// After building, serve the site on 127.0.0.1 (port 8000 unless given) and rebuild when inputs change
    #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "8000")]
    pub serve: Option<u16>,
    #[command(flatten)]
    pub work: WorkArgs,
    #[command(flatten)]
    pub style: StyleArgs,
    #[command(flatten)]
    pub subtitles: SubtitleArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// The output folder of the sharded runs
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// How a run reads and works: shared by the commands that read many files and write.
#[derive(Debug, Args)]
pub struct WorkArgs {
    /// Worker threads (default: two per core when converting, one per core for a book; at most four per core)
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,
    /// Read what symbolic links in input folders point to, even outside those folders
    #[arg(short = 'L', long)]
    pub follow: bool,
}

#[derive(Debug, Args)]
pub struct SubtitleArgs {
    /// Subtitles: speaking rate for estimated timing, in English words per minute (40 to 400)
    #[arg(long, value_name = "N", default_value_t = 160.0, value_parser = words_per_minute)]
    pub wpm: f32,
    /// Subtitles: length of the video (HH:MM:SS or seconds, at least one); scales the timing to it
    #[arg(long, value_name = "HH:MM:SS", value_parser = video_length)]
    pub duration: Option<f32>,
    /// Subtitles: a timed English caption track (SRT or WebVTT) of the same video to align to
    #[arg(long, value_name = "CAPTIONS")]
    pub align: Option<PathBuf>,
    /// Subtitles: CRLF line endings
    #[arg(long)]
    pub crlf: bool,
    /// Subtitles: start files with a UTF-8 byte-order mark
    #[arg(long)]
    pub bom: bool,
    /// Subtitles: characters per Chinese line (4 to 60)
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(4..=60))]
    pub max_zh: u16,
    /// Subtitles: characters per English line (10 to 120)
    #[arg(long, value_name = "N", default_value_t = 42, value_parser = clap::value_parser!(u16).range(10..=120))]
    pub max_en: u16,
}

#[derive(Debug, Args)]
pub struct StyleArgs {
    /// Theme of books, PDFs and ASS subtitles: a built-in name (classic, modern) or a folder holding any
    /// of epub.css, pdf.yaml, subtitles.yaml and theme.yaml (`base: NAME`, the built-in theme for the rest)
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
    /// Format of the book: epub or pdf (default: from the output's extension)
    #[arg(short = 't', long = "to", value_name = "FORMAT")]
    pub format: Option<String>,
    /// Language of the book: bi (both), zh or en
    #[arg(short, long, value_name = "LANG", default_value = "bi")]
    pub lang: View,
    /// Title of the book (default: the archive's bitext.toml title, else the input folder's name as words)
    #[arg(long)]
    pub title: Option<String>,
    /// One part per value of this front-matter key
    #[arg(long, value_enum, default_value = "category")]
    pub group_by: GroupArg,
    /// Order of transcripts inside a part
    #[arg(long, value_enum, default_value = "date")]
    pub sort: SortArg,
    #[command(flatten)]
    pub work: WorkArgs,
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
    /// Transcript files, folders (walked for *.md), or - for standard input
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Read what symbolic links in input folders point to, even outside those folders
    #[arg(short = 'L', long)]
    pub follow: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Print errors and the summary only: no warnings, no progress bar
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--wpm`: a speaking rate people actually speak at.
fn words_per_minute(s: &str) -> Result<f32, String> {
    let wpm: f32 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if wpm.is_finite() && (40.0..=400.0).contains(&wpm) {
        Ok(wpm)
    } else {
        Err(format!("{s} words per minute is not a speaking rate; give 40 to 400"))
    }
}

/// `--duration`: `HH:MM:SS`, `MM:SS` or seconds, at least one second.
fn video_length(s: &str) -> Result<f32, String> {
    parse_duration(s).ok_or_else(|| format!("`{s}` is not a video length; give HH:MM:SS or seconds, at least 1"))
}
