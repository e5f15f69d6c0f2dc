//! A deterministic mutation runner: the project's own fixtures and examples, damaged the ways real
//! archives and attackers damage files (flipped bytes, cut endings, duplicated and deleted lines, stray
//! tags, deep nesting, invalid UTF-8, huge lines, YAML aliases), each read and written to every text
//! format and e-book in every language, in process. Per input it checks: no panic, an output or a clean
//! error, and an allocation budget measured by a counting allocator (peak live bytes, and all bytes ever
//! allocated as a proxy for work): never a wall clock.
//!
//! CI runs a short campaign (`mutants_never_panic_and_stay_within_budget`). A long one, which also reports
//! the slowest inputs, runs with
//! `BITEXT_MUTANTS=3200 cargo test --release --test it campaign -- --ignored --nocapture`.

use crate::support::{fixtures_dir, manifest_dir, md_files};
use bitext::emit::{self, WriteOptions};
use bitext::select::View;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Counts what the current thread allocates. Other threads' counts are their own, so tests running
/// side by side do not disturb each other's figures.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static TOTAL: Cell<u64> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        if delta > 0 {
            let _ = TOTAL.try_with(|total| total.set(total.get() + delta as u64));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            note(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        note(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() {
            note(new_size as isize - layout.size() as isize);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What reading and writing one input cost this thread.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Most bytes alive at once, above what was alive before.
    pub peak: usize,
    /// All bytes allocated, freed or not.
    pub total: u64,
    pub elapsed: Duration,
}

/// Run `work` and measure what it allocates on this thread.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Cost) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let total_before = TOTAL.with(Cell::get);
    let start = Instant::now();
    let value = work();
    let elapsed = start.elapsed();
    let peak = (PEAK.with(Cell::get) - base).max(0) as usize;
    let total = TOTAL.with(Cell::get) - total_before;
    (value, Cost { peak, total, elapsed })
}

/// The budget for an input of `len` bytes read once and written to six formats in three languages: linear
/// in the input, with room for what hostile input costs per byte (the markdown parser keeps a node per
/// bracket of a run of ten thousand), so that only superlinear growth goes over it. A realistic
/// transcript stays within ten times its size per format (see the README's limits).
pub fn within_budget(len: usize, cost: &Cost) -> bool {
    cost.peak <= 128 * len + (32 << 20) && cost.total <= 1024 * len as u64 + (512 << 20)
}

/// What happened to one input: `Ok` with how many files were written, or the error it was refused with.
pub fn convert_everything(name: &str, bytes: &[u8]) -> Result<usize, String> {
    let parsed = bitext::parse::parse(bytes, name).map_err(|e| e.to_string())?;
    let options = WriteOptions::default();
    let mut written = 0;
    for format in ["md", "txt", "json", "epub", "srt", "vtt"] {
        let writer = emit::find(format).expect("a registered format");
        for view in View::ALL {
            if let Some(out) = emit::render(writer, &parsed.doc, view, &options).map_err(|e| e.to_string())? {
                written += usize::from(!out.bytes.is_empty());
            }
        }
    }
    Ok(written)
}

/// A small, fast, deterministic generator (xorshift64*): the same seed, the same campaign.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The ways a file gets damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    FlipBytes,
    Truncate,
    DuplicateLines,
    DeleteLines,
    InsertTag,
    DeepNesting,
    InvalidUtf8,
    HugeLine,
    YamlTrouble,
}

impl Mutation {
    pub const ALL: [Mutation; 9] = [
        Mutation::FlipBytes,
        Mutation::Truncate,
        Mutation::DuplicateLines,
        Mutation::DeleteLines,
        Mutation::InsertTag,
        Mutation::DeepNesting,
        Mutation::InvalidUtf8,
        Mutation::HugeLine,
        Mutation::YamlTrouble,
    ];

    pub fn apply(self, input: &[u8], rng: &mut Rng) -> Vec<u8> {
        let mut out = input.to_vec();
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(input.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i + 1))
            .collect();
        let line = |rng: &mut Rng| {
            let k = rng.below(line_starts.len());
            let start = line_starts[k];
            let end = line_starts.get(k + 1).copied().unwrap_or(input.len());
            start..end
        };
        match self {
            Mutation::FlipBytes => {
                for _ in 0..1 + rng.below(16) {
                    let i = rng.below(out.len());
                    if let Some(b) = out.get_mut(i) {
                        *b ^= 1 << rng.below(8);
                    }
                }
            }
            Mutation::Truncate => out.truncate(rng.below(out.len())),
            Mutation::DuplicateLines => {
                let r = line(rng);
                let copies = [2, 10, 1000, 20_000][rng.below(4)];
                let piece = input[r.clone()].repeat(copies);
                out.splice(r.end..r.end, piece);
            }
            Mutation::DeleteLines => {
                let r = line(rng);
                let more = rng.below(20);
                let end = line_starts.get(line_starts.partition_point(|&s| s < r.end) + more).copied();
                out.drain(r.start..end.unwrap_or(input.len()).max(r.end).min(out.len()));
            }
            Mutation::InsertTag => {
                const TAGS: &[&str] = &[
                    "<details>",
                    "</details>",
                    "<summary>x</summary>",
                    "<summary>View/Hide Original English</p>",
                    "<p class=\"english-text\">",
                    "</p>",
                    "<script>alert(1)</script>",
                    "<style>",
                    "<!--",
                    "-->",
                    "]]>",
                    "[链接](javascript:alert(1))",
                    "<img src=x onerror=alert(1)>",
                ];
                for _ in 0..1 + rng.below(50) {
                    let at = line_starts[rng.below(line_starts.len())].min(out.len());
                    let tag = TAGS[rng.below(TAGS.len())];
                    out.splice(at..at, format!("{tag}\n").into_bytes());
                }
            }
            Mutation::DeepNesting => {
                let n = [100, 2_000, 10_000][rng.below(3)];
                let unit = ["> ", "- ", "  - ", "[", "*", "**", "<details>", "(", "（", "_"][rng.below(10)];
                let at = line_starts[rng.below(line_starts.len())].min(out.len());
                out.splice(at..at, format!("{}x\n\n", unit.repeat(n)).into_bytes());
            }
            Mutation::InvalidUtf8 => {
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(out.len());
                    let junk: &[u8] = [&[0xff][..], &[0xc3], &[0xe4, 0xb8], &[0xed, 0xa0, 0x80], &[0]][rng.below(5)];
                    out.splice(at..at, junk.iter().copied());
                }
            }
            Mutation::HugeLine => {
                let unit = ["中", "a", "a ", "\u{200b}", "#", "<", "`", "&", "http://x.y/"][rng.below(9)];
                let n = [10_000, 100_000][rng.below(2)];
                let at = line_starts[rng.below(line_starts.len())].min(out.len());
                out.splice(at..at, format!("{}\n\n", unit.repeat(n)).into_bytes());
            }
            Mutation::YamlTrouble => {
                let trouble = match rng.below(4) {
                    0 => {
                        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
                        for i in 1..10 {
                            y.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 9].join(", ")));
                        }
                        y
                    }
                    1 => format!("deep: {}{}\n", "[".repeat(5_000), "]".repeat(5_000)),
                    2 => format!("deep: {}x\n", "{a: ".repeat(1_000)),
                    _ => "title: &t [*t]\n".to_string(),
                };
                let at = line_starts.get(1).copied().unwrap_or(0).min(out.len());
                out.splice(at..at, trouble.into_bytes());
            }
        }
        out
    }
}

/// The project's own transcripts: fixtures (good and bad) and examples.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut files = md_files(&fixtures_dir());
    files.extend(md_files(&fixtures_dir().join("bad")));
    files.extend(md_files(&manifest_dir().join("examples")));
    files.iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(p).unwrap())).collect()
}

/// One mutant's outcome.
#[derive(Debug)]
pub struct Finding {
    pub name: String,
    pub len: usize,
    pub cost: Cost,
    pub panicked: bool,
    pub outcome: Result<usize, String>,
}

/// `count` mutants from `seed`, each converted in process.
pub fn campaign(seed: u64, count: usize) -> Vec<Finding> {
    let seeds = seeds();
    let mut rng = Rng::new(seed);
    let mut findings = Vec::with_capacity(count);
    for i in 0..count {
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let mutation = Mutation::ALL[rng.below(Mutation::ALL.len())];
        let mutant = mutation.apply(bytes, &mut rng);
        let label = format!("#{i} {name} {mutation:?}");
        let (result, cost) = measure(|| catch_unwind(AssertUnwindSafe(|| convert_everything(&label, &mutant))));
        let panicked = result.is_err();
        let outcome = result.unwrap_or_else(|_| Err("panic".into()));
        findings.push(Finding { name: label, len: mutant.len(), cost, panicked, outcome });
    }
    findings
}

fn assert_clean(findings: &[Finding]) {
    let panics: Vec<&str> = findings.iter().filter(|f| f.panicked).map(|f| f.name.as_str()).collect();
    assert!(panics.is_empty(), "panics: {panics:?}");
    let over: Vec<String> = findings
        .iter()
        .filter(|f| !within_budget(f.len, &f.cost))
        .map(|f| format!("{} ({} bytes: peak {} bytes, {} allocated)", f.name, f.len, f.cost.peak, f.cost.total))
        .collect();
    assert!(over.is_empty(), "over the allocation budget: {over:?}");
    // Every input gives an output or a clean error; an error names what to do (a `;` or `,` clause).
    for f in findings {
        if let Err(e) = &f.outcome {
            assert!(!e.is_empty() && e != "panic", "{}: {e}", f.name);
        }
    }
}

#[test]
fn mutants_never_panic_and_stay_within_budget() {
    let findings = campaign(0x5eed_0009, 120);
    assert_eq!(findings.len(), 120);
    assert!(findings.iter().any(|f| f.outcome.is_ok()), "some mutants still convert");
    assert_clean(&findings);
}

#[test]
fn the_counting_allocator_sees_a_quadratic_blow_up() {
    // The budget must be able to fail: a deliberately quadratic piece of work goes over it.
    let len = 40_000;
    let (_, cost) = measure(|| (0..len).map(|i| vec![0u8; i]).map(|v| v.len()).sum::<usize>());
    assert!(!within_budget(len, &cost), "{cost:?}");
    let (_, cost) = measure(|| vec![0u8; len].len());
    assert!(within_budget(len, &cost), "{cost:?}");
}

/// The long campaign: thousands of mutants, the slowest reported.
#[test]
#[ignore]
fn campaign_long() {
    let count = std::env::var("BITEXT_MUTANTS").ok().and_then(|n| n.parse().ok()).unwrap_or(3200);
    let seed = std::env::var("BITEXT_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x5eed_2026);
    let mut findings = campaign(seed, count);
    findings.sort_by_key(|f| std::cmp::Reverse(f.cost.elapsed));
    for f in findings.iter().take(15) {
        eprintln!(
            "{:>8.3} s {:>9} bytes peak {:>6} KiB allocated {:>8} KiB {}",
            f.cost.elapsed.as_secs_f64(),
            f.len,
            f.cost.peak >> 10,
            f.cost.total >> 10,
            f.name
        );
    }
    let errors = findings.iter().filter(|f| f.outcome.is_err()).count();
    eprintln!("{count} mutants (seed {seed}): {errors} refused with an error, none panicked");
    assert_clean(&findings);
}
