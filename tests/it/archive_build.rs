//! Archive builds on a generated archive (never the corpus): incremental runs, removals, option changes,
//! shards in separate processes against one run, the catalog and its OPDS feed, Ctrl-C, the progress
//! bar on a terminal and not through a pipe, and `--watch`.

use crate::support::{bitext, convert, percent_decoded, stderr, walk};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// Topics the generated transcripts talk about: (Chinese, English).
const TOPICS: &[(&str, &str)] = &[
    ("潮汐", "tides"),
    ("蜂群", "bee colonies"),
    ("桥梁", "bridges"),
    ("面包", "bread"),
    ("雨水", "rainwater"),
    ("灯塔", "lighthouses"),
];

/// One transcript in the archive's format: `paragraphs` pairs of a Chinese paragraph and its English
/// original, with front matter that names it.
fn transcript(n: usize, paragraphs: usize) -> String {
    let (zh, en) = TOPICS[n % TOPICS.len()];
    let mut text = format!(
        "---\ntitle: 第 {n} 讲：关于{zh}\ndate: '2025-{:02}-{:02}'\nspeaker: Speaker {n}\ntags:\n  - topic-{}\n---\n\n## 开场\n\n",
        1 + n % 12,
        1 + n % 28,
        n % 4
    );
    for p in 0..paragraphs {
        text.push_str(&format!(
            "第 {p} 段：我们继续讨论{zh}，这一点很重要，因为它影响到每个人的日常生活。\n\n<details>\n<summary>View/Hide Original English</summary>\n<p class=\"english-text\">Part {p}: we keep talking about {en}, which matters because it touches everyone's daily life.</p>\n</details>\n\n"
        ));
    }
    text
}

/// An archive of `count` transcripts in three folders, `paragraphs` pairs each.
fn archive(root: &Path, count: usize, paragraphs: usize) {
    for n in 0..count {
        let folder = root.join(["ocean", "land", "city"][n % 3]);
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(format!("{n:04}-talk.md")), transcript(n, paragraphs)).unwrap();
    }
}

/// Every file below `dir` (relative path) with its bytes and modification time.
fn tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walk(dir).into_iter().map(|p| (p.strip_prefix(dir).unwrap().to_path_buf(), read_with_time(&p))).collect()
}

fn read_with_time(p: &Path) -> (Vec<u8>, SystemTime) {
    (fs::read(p).unwrap(), fs::metadata(p).unwrap().modified().unwrap())
}

fn ok(out: &std::process::Output) -> String {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    text
}

/// The files whose bytes or time changed between two trees, and those added or gone.
fn changed(
    before: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>,
    after: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (path, old) in before {
        if after.get(path) != Some(old) {
            names.push(path.display().to_string());
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        names.push(path.display().to_string());
    }
    names.sort();
    names
}

#[test]
fn a_second_run_changes_nothing_and_an_edit_rewrites_only_its_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 12, 6);
    // The output folder inside the archive is never read as input.
    let out = root.join("out");
    let args = ["-t", "md,epub,srt", "-q"];
    let said = ok(&convert(&[&root], &out, &args));
    assert!(said.contains("converted 12 files (108 outputs), 0 failed"), "{said}");
    let first = tree(&out);
    std::thread::sleep(Duration::from_millis(20));
    let said = ok(&convert(&[&root], &out, &args));
    assert!(said.contains("converted 0 files (0 outputs), 12 unchanged, 0 failed"), "{said}");
    assert_eq!(changed(&first, &tree(&out)), Vec::<String>::new(), "a run with nothing changed wrote files");

    let edited = root.join("land/0001-talk.md");
    let text = fs::read_to_string(&edited).unwrap().replace("第 0 段", "第零段");
    fs::write(&edited, text).unwrap();
    let said = ok(&convert(&[&root], &out, &args));
    assert!(said.contains("converted 1 file (9 outputs), 11 unchanged"), "{said}");
    let mut expected: Vec<String> = ["epub", "md", "srt"]
        .iter()
        .flat_map(|ext| ["", ".zh", ".en"].map(|lang| format!("land/0001-talk{lang}.{ext}")))
        .collect();
    expected.extend(["bitext-manifest.json", "catalog.csv", "catalog.json", "opds.xml"].map(String::from));
    expected.sort();
    assert_eq!(changed(&first, &tree(&out)), expected);

    // Touching a file without changing it rebuilds nothing: the bytes decide.
    let before = tree(&out);
    fs::write(&edited, fs::read(&edited).unwrap()).unwrap();
    let said = ok(&convert(&[&root], &out, &args));
    assert!(said.contains("12 unchanged"), "{said}");
    assert_eq!(changed(&before, &tree(&out)), Vec::<String>::new());

    // --force rebuilds everything, to the same bytes.
    let said = ok(&convert(&[&root], &out, &["-t", "md,epub,srt", "-q", "--force"]));
    assert!(said.contains("converted 12 files (108 outputs)"), "{said}");
    let forced = tree(&out);
    for (path, (bytes, _)) in &before {
        assert_eq!(&forced[path].0, bytes, "{} differs after --force", path.display());
    }
}

#[test]
fn gone_transcripts_lose_their_outputs_and_nothing_else_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 6, 3);
    let out = dir.path().join("out");
    ok(&convert(&[&root], &out, &["-t", "md,txt", "-l", "bi,zh", "-q"]));
    fs::write(out.join("ocean/notes-of-mine.txt"), "not bitext's").unwrap();
    fs::remove_file(root.join("ocean/0003-talk.md")).unwrap();
    let said = ok(&convert(&[&root], &out, &["-t", "md,txt", "-l", "bi,zh", "-q"]));
    assert!(said.contains("5 unchanged, 4 outputs removed"), "{said}");
    for name in ["0003-talk.md", "0003-talk.zh.md", "0003-talk.txt", "0003-talk.zh.txt"] {
        assert!(!out.join("ocean").join(name).exists(), "{name} stayed");
    }
    assert!(out.join("ocean/notes-of-mine.txt").exists());
    assert!(out.join("ocean/0000-talk.md").exists());
    let catalog = fs::read_to_string(out.join("catalog.json")).unwrap();
    assert!(!catalog.contains("0003-talk") && catalog.contains("0000-talk"));
    // Files named one by one are never taken for gone when a later run names others.
    let single = dir.path().join("single");
    ok(&convert(&[&root.join("ocean/0000-talk.md")], &single, &["-q"]));
    let said = ok(&convert(&[&root.join("land/0001-talk.md")], &single, &["-q"]));
    assert!(!said.contains("removed") && single.join("0000-talk.md").exists(), "{said}");
    // Converting a single folder of the archive into the same output keeps what other folders built.
    ok(&convert(&[&root.join("land")], &out.join("land-only"), &["-q"]));
    let said = ok(&convert(&[&root], &out, &["-t", "md,txt", "-l", "bi,zh", "-q"]));
    assert!(!said.contains("removed"), "{said}");
}

#[test]
fn a_damaged_manifest_stops_the_run_with_its_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 2, 2);
    let out = dir.path().join("out");
    ok(&convert(&[&root], &out, &["-q"]));
    let manifest = out.join("bitext-manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replacen("\"transcripts\"", "\"transcripts\" oops", 1)).unwrap();
    fs::remove_file(out.join("ocean/0000-talk.md")).unwrap();
    let result = convert(&[&root], &out, &["-q"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(stderr(&result).contains("bitext-manifest.json: line 3"), "{}", stderr(&result));
    assert!(!out.join("ocean/0000-talk.md").exists(), "nothing is written when the manifest cannot be read");
    fs::remove_file(&manifest).unwrap();
    ok(&convert(&[&root], &out, &["-q"]));
    assert!(out.join("ocean/0000-talk.md").exists());
}

#[test]
fn a_theme_change_rebuilds_books_and_not_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 3, 3);
    let out = dir.path().join("out");
    ok(&convert(&[&root], &out, &["-t", "md,epub,srt,ass", "-l", "bi", "-q"]));
    let before = tree(&out);
    let said = ok(&convert(&[&root], &out, &["-t", "md,epub,srt,ass", "-l", "bi", "-q", "--theme", "modern"]));
    assert!(said.contains("converted 3 files (6 outputs)"), "{said}");
    let rewritten = changed(&before, &tree(&out));
    assert!(
        rewritten.iter().all(|p| p.ends_with(".epub") || p.ends_with(".ass") || !p.contains("talk")),
        "{rewritten:?}"
    );
    assert_eq!(rewritten.iter().filter(|p| p.ends_with(".epub")).count(), 3, "{rewritten:?}");
    // Subtitle settings rebuild subtitles only.
    let before = tree(&out);
    let said =
        ok(&convert(&[&root], &out, &["-t", "md,epub,srt,ass", "-l", "bi", "-q", "--theme", "modern", "--wpm", "120"]));
    assert!(said.contains("converted 3 files (6 outputs)"), "{said}");
    let rewritten = changed(&before, &tree(&out));
    assert!(
        rewritten.iter().all(|p| p.ends_with(".srt") || p.ends_with(".ass") || !p.contains("talk")),
        "{rewritten:?}"
    );
}

/// Every writer declares what it depends on (`Format::uses`); an archive build trusts the declaration.
/// A writer whose output changes with the theme or the archive file without saying so would be left
/// stale: render each with other options and check.
#[test]
fn every_writer_declares_what_its_output_depends_on() {
    use bitext::archive::Archive;
    use bitext::emit::{self, WriteOptions};
    use bitext::select::{select, View};
    use bitext::theme::Theme;
    let text = transcript(7, 4);
    let doc = bitext::parse::parse(text.as_bytes(), "t.md").unwrap().doc;
    let plain = WriteOptions::default();
    let themed = WriteOptions { theme: Theme::load("modern").unwrap(), ..WriteOptions::default() };
    let named = Archive::parse(
        "[tag.topic-3]\nzh = \"第三类\"\nen = \"Third\"\n\n[labels]\nbi = \"对照\"\nzh = \"中\"\nen = \"E\"\n",
    )
    .unwrap();
    for writer in emit::writers() {
        let uses = writer.format().uses;
        if uses.pdf {
            continue; // needs fonts; tested where fonts are loaded (tests/it/pdf.rs)
        }
        for view in View::ALL {
            let render = |options: &WriteOptions, names: &Archive| -> Option<Vec<u8>> {
                let selected = select(&doc, view, names)?;
                let mut out = std::io::Cursor::new(Vec::new());
                writer.write(&selected, options, &mut out).unwrap();
                Some(out.into_inner())
            };
            let base = render(&plain, &Archive::default());
            if !uses.theme {
                assert_eq!(
                    base,
                    render(&themed, &Archive::default()),
                    "{} {view} changes with the theme",
                    writer.name()
                );
            }
            if !uses.archive {
                assert_eq!(base, render(&plain, &named), "{} {view} changes with the archive file", writer.name());
            }
        }
    }
}

#[test]
fn shards_in_separate_processes_build_what_one_run_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 20, 3);
    let single = dir.path().join("single");
    let sharded = dir.path().join("sharded");
    let args = ["-t", "md,epub,srt", "-q"];
    ok(&convert(&[&root], &single, &args));
    let children: Vec<std::process::Child> = (1..=4)
        .map(|k| {
            Command::new(env!("CARGO_BIN_EXE_bitext"))
                .args([
                    "convert",
                    root.to_str().unwrap(),
                    "-o",
                    sharded.to_str().unwrap(),
                    "--shard",
                    &format!("{k}/4"),
                ])
                .args(args)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut converted = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let said = ok(&out);
        let n: usize = said.split("converted ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        converted += n;
    }
    assert_eq!(converted, 20, "every transcript in exactly one shard");
    assert!(!sharded.join("catalog.json").exists(), "a shard writes no catalog");
    let said = ok(&bitext(&["catalog", sharded.to_str().unwrap()]));
    assert!(said.contains("for 20 transcripts"), "{said}");
    let a: BTreeMap<PathBuf, Vec<u8>> = tree(&single).into_iter().map(|(p, (b, _))| (p, b)).collect();
    let b: BTreeMap<PathBuf, Vec<u8>> = tree(&sharded).into_iter().map(|(p, (b, _))| (p, b)).collect();
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between one run and four shards", path.display());
    }
    // A first sharded build with a shard missing gets no catalog.
    let partial = dir.path().join("partial");
    ok(&convert(&[&root], &partial, &["-q", "--shard", "2/3"]));
    let out = bitext(&["catalog", partial.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("shards 1/3, 3/3 have not been built"), "{}", stderr(&out));
    assert!(!partial.join("catalog.json").exists() && !partial.join("bitext-manifest.json").exists());
}

#[test]
fn the_catalog_lists_every_transcript_and_every_acquisition_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 5, 2);
    // A file name that must be escaped in a link.
    fs::write(root.join("city/rain & wind, 2025.md"), transcript(40, 2)).unwrap();
    fs::write(root.join("bitext.toml"), "title = \"城市与自然\"\n").unwrap();
    let out = dir.path().join("out");
    ok(&convert(&[&root], &out, &["-t", "epub,md", "-q"]));
    let json: serde_json::Value = serde_json::from_slice(&fs::read(out.join("catalog.json")).unwrap()).unwrap();
    assert_eq!(json["title"], "城市与自然");
    let transcripts = json["transcripts"].as_array().unwrap();
    assert_eq!(transcripts.len(), 6);
    for t in transcripts {
        assert!(t["title"].as_str().unwrap().contains('讲'), "{t}");
        for o in t["outputs"].as_array().unwrap() {
            let file = out.join(o["path"].as_str().unwrap());
            assert_eq!(fs::metadata(&file).unwrap().len(), o["bytes"].as_u64().unwrap(), "{}", file.display());
        }
    }
    let table = fs::read_to_string(out.join("catalog.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(table.as_bytes());
    assert_eq!(rows.headers().unwrap().get(1), Some("title"));
    assert_eq!(rows.records().count(), 6);

    let feed = fs::read_to_string(out.join("opds.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(atom));
    let entries: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name((atom, "entry"))).collect();
    assert_eq!(entries.len(), 6);
    let mut links = 0;
    for entry in &entries {
        for child in ["title", "id", "updated"] {
            assert!(entry.children().any(|n| n.has_tag_name((atom, child))), "an entry without {child}");
        }
        for link in entry.children().filter(|n| n.attribute("rel") == Some("http://opds-spec.org/acquisition")) {
            let href = link.attribute("href").unwrap();
            assert!(!href.contains(' ') && !href.starts_with('/'), "{href}");
            assert!(out.join(percent_decoded(href)).is_file(), "{href} does not resolve");
            assert!(matches!(link.attribute("type"), Some("application/epub+zip")));
            links += 1;
        }
    }
    assert_eq!(links, 18, "three EPUBs for each transcript");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_build_cleanly_and_the_next_run_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 400, 40);
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", root.to_str().unwrap(), "-o", out.to_str().unwrap(), "-t", "epub,md,srt", "-j", "1", "-q"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the build to be under way, then interrupt it.
    let started = Instant::now();
    while !out.join("city").is_dir() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let status = child.wait().unwrap();
    let mut said = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut said).unwrap();
    assert_eq!(status.code(), Some(130), "{said}");
    assert!(said.contains("left for the next run"), "{said}");
    let files = walk(&out);
    assert!(files.iter().all(|p| !p.to_string_lossy().ends_with(".tmp")), "temporary files left behind");
    // The manifest is true to the disk: everything it records is there, as recorded.
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("bitext-manifest.json")).unwrap()).unwrap();
    let recorded = manifest["transcripts"].as_object().unwrap();
    assert!(!recorded.is_empty() && recorded.len() < 400, "{} recorded", recorded.len());
    for entry in recorded.values() {
        for o in entry["outputs"].as_array().unwrap() {
            let file = out.join(o["path"].as_str().unwrap());
            assert_eq!(fs::metadata(&file).unwrap().len(), o["bytes"].as_u64().unwrap(), "{}", file.display());
        }
    }
    let said = ok(&convert(&[&root], &out, &["-t", "epub,md,srt", "-q"]));
    assert!(said.contains(&format!("{} unchanged", recorded.len())), "{said}");
    let said = ok(&convert(&[&root], &out, &["-t", "epub,md,srt", "-q"]));
    assert!(said.contains("400 unchanged"), "{said}");
}

/// Open a pseudo-terminal: (the controlling side, the path of the terminal side).
#[cfg(unix)]
fn pty() -> (std::fs::File, PathBuf) {
    use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    (std::fs::File::from(master), PathBuf::from(name.to_string_lossy().into_owned()))
}

#[cfg(unix)]
#[test]
fn progress_shows_on_a_terminal_and_not_through_a_pipe() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 300, 30);
    let (mut master, terminal) = pty();
    let tty = fs::OpenOptions::new().read(true).write(true).open(&terminal).unwrap();
    let out = dir.path().join("tty-out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", root.to_str().unwrap(), "-o", out.to_str().unwrap(), "-t", "epub,md", "-j", "1"])
        .stderr(tty)
        .spawn()
        .unwrap();
    // Read what the terminal shows while the build runs, so that it never blocks on a full terminal.
    let reader = std::thread::spawn(move || {
        let mut shown = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(n) = master.read(&mut buffer) {
            if n == 0 {
                break;
            }
            shown.extend_from_slice(&buffer[..n]);
            if String::from_utf8_lossy(&shown).contains("failed, ") {
                break;
            }
        }
        String::from_utf8_lossy(&shown).into_owned()
    });
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let shown = reader.join().unwrap();
    assert!(shown.contains("/300 files"), "no progress bar on a terminal: {shown:?}");
    assert!(shown.contains("converted 300 files"), "{shown:?}");

    let piped = convert(&[&root], &dir.path().join("pipe-out"), &["-t", "epub,md", "-j", "1"]);
    let said = ok(&piped);
    assert!(said.contains("converted 300 files"), "{said}");
    assert!(!said.contains('\r') && !said.contains('\u{1b}') && !said.contains("files  "), "{said:?}");
}

#[cfg(unix)]
#[test]
fn watch_rebuilds_what_changes_until_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talks");
    archive(&root, 4, 2);
    let out = dir.path().join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", root.to_str().unwrap(), "-o", out.to_str().unwrap(), "-t", "md", "-l", "bi", "--watch"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Whatever happens below, the watcher does not outlive the test.
    let mut watcher = crate::support::Reaped(child);
    let wait_for = |what: &dyn Fn() -> bool| {
        let started = Instant::now();
        while !what() {
            assert!(started.elapsed() < Duration::from_secs(30), "timed out");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let output = out.join("land/0001-talk.md");
    wait_for(&|| out.join("catalog.json").exists());
    // Give the watcher a moment to be in place after the first build.
    std::thread::sleep(Duration::from_millis(500));
    let input = root.join("land/0001-talk.md");
    fs::write(&input, fs::read_to_string(&input).unwrap().replace("关于", "说说")).unwrap();
    wait_for(&|| fs::read_to_string(&output).is_ok_and(|t| t.contains("说说")));
    // A new transcript is built too.
    fs::write(root.join("city/0099-talk.md"), transcript(99, 2)).unwrap();
    wait_for(&|| out.join("city/0099-talk.md").exists());
    let pid = rustix::process::Pid::from_child(&watcher.0);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let status = watcher.0.wait().unwrap();
    let mut said = String::new();
    std::io::Read::read_to_string(watcher.0.stderr.as_mut().unwrap(), &mut said).unwrap();
    assert_eq!(status.code(), Some(130), "{said}");
    assert!(said.contains("watching the inputs"), "{said}");
}
