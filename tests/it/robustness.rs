//! A batch tool trusted with a whole archive: hostile and broken inputs, the file system's tricks, closed
//! streams, signals and absurd options never cost a panic, the machine's memory, a file outside the
//! output folder, or a half-written output.

use crate::mutate::{convert_everything, measure, within_budget};
use crate::support::{bitext, convert, fixtures_dir, manifest_dir, stderr};
use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn example() -> String {
    fs::read_to_string(manifest_dir().join("examples/bee-colonies.md")).unwrap()
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .iter()
        .filter(|p| !crate::support::is_build_record(p))
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Every entry of a zip, as text, one after another.
fn every_entry(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        zip.by_index(i).unwrap().read_to_string(&mut all).unwrap();
    }
    all
}

/// The reproducers of the cases that once exploded in time or memory, each appended to a good file.
fn reproducers() -> Vec<(&'static str, String)> {
    let base = example();
    let with = |extra: String| format!("{base}\n\n{extra}\n");
    let front = |fm: String| base.replacen("---\n", &format!("---\n{fm}\n"), 1);
    vec![
        ("nested quotes", with(format!("{}x", "> ".repeat(10_000)))),
        ("one line of brackets", with("[".repeat(50_000))),
        ("many lines of brackets", with(vec!["[".repeat(100); 2_000].join("\n"))),
        ("closing details then angle brackets", with(format!("</details>\n{}", "<".repeat(320_000)))),
        ("details on one line", with("<details><summary>x</summary>".repeat(8_000))),
        ("nested front matter", front(format!("x: {}{}", "[".repeat(100_000), "]".repeat(100_000)))),
        (
            "zero-width spaces",
            with(format!(
                "中文{}。\n\n<details>\n<summary>Original English</summary>\n<p class=\"english-text\">Hi.</p>\n</details>",
                "\u{200b}".repeat(32_000)
            )),
        ),
        ("hashes then text", with(format!("{}text", "#".repeat(40_000)))),
        ("bare headings", with(vec!["###### h"; 50_000].join("\n"))),
    ]
}

#[test]
fn every_reproducer_stays_within_budget() {
    for (name, text) in reproducers() {
        let (outcome, cost) = measure(|| convert_everything(name, text.as_bytes()));
        assert!(within_budget(text.len(), &cost), "{name}: {} bytes, {cost:?}", text.len());
        match name {
            "nested front matter" => {
                let err = outcome.unwrap_err();
                assert!(err.contains("more than 64 levels deep at line 2"), "{err}");
            }
            _ => assert!(outcome.unwrap() > 0, "{name}"),
        }
    }
}

#[test]
fn deep_quotes_are_reported_with_their_line_and_kept_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("deep.md");
    let lines = example().lines().count();
    fs::write(&input, format!("{}\n{}deepest words\n", example(), "> ".repeat(5_000))).unwrap();
    let out = dir.path().join("out");
    let result = convert(&[&input], &out, &["-t", "md", "-l", "bi"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let err = stderr(&result);
    assert!(err.contains("nested more than 16 deep"), "{err}");
    assert!(err.contains(&format!("deep.md:{}", lines + 2)), "{err}");
    assert!(fs::read_to_string(out.join("deep.md")).unwrap().contains("deepest words"));
}

#[test]
fn closed_or_full_streams_end_the_run_quietly() {
    let full = || Stdio::from(fs::File::create("/dev/full").unwrap());
    let exe = env!("CARGO_BIN_EXE_bitext");
    // Messages that cannot be written: no panic, the exit code the run earned.
    let status = Command::new(exe).args(["check"]).arg(fixtures_dir()).stderr(full()).status().unwrap();
    assert!(matches!(status.code(), Some(0) | Some(1)), "{status:?}");
    let mut child = Command::new(exe).args(["check"]).arg(fixtures_dir()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert!(matches!(status.code(), Some(0) | Some(1)), "{status:?}");
    // Output that cannot be written: a full disk is exit 1, a reader that went away is not an error.
    let input = fs::File::open(fixtures_dir().join("timestamps.md")).unwrap();
    let status = Command::new(exe).args(["convert", "-", "-t", "md", "-l", "zh"]).stdin(input).stdout(full()).status();
    assert_eq!(status.unwrap().code(), Some(1));
    let input = fs::File::open(fixtures_dir().join("timestamps.md")).unwrap();
    let mut child = Command::new(exe)
        .args(["convert", "-", "-t", "md", "-l", "zh"])
        .stdin(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let status = Command::new(exe).arg("formats").stdout(full()).status().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn too_many_threads_are_capped_with_a_word() {
    let out = tempfile::tempdir().unwrap();
    let result = convert(&[&fixtures_dir().join("timestamps.md")], out.path(), &["-j", "5000", "-l", "bi"]);
    assert_eq!(result.status.code(), Some(0));
    assert!(stderr(&result).contains("threads per core"), "{}", stderr(&result));
    let result = bitext(&["convert", "x.md", "-j", "0"]);
    assert_eq!(result.status.code(), Some(2));
}

#[test]
fn no_write_follows_a_link_inside_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out, elsewhere) = (dir.path().join("in"), dir.path().join("out"), dir.path().join("elsewhere"));
    fs::create_dir_all(input.join("a/b/c")).unwrap();
    fs::create_dir_all(input.join("d")).unwrap();
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    fs::copy(fixtures_dir().join("timestamps.md"), input.join("a/b/c/t.md")).unwrap();
    fs::copy(fixtures_dir().join("timestamps.md"), input.join("d/u.md")).unwrap();
    symlink(&elsewhere, out.join("a")).unwrap();
    let result = convert(&[&input], &out, &["-l", "bi"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("symbolic link"), "{}", stderr(&result));
    assert!(tree(&elsewhere).is_empty(), "{:?}", tree(&elsewhere));
    assert!(out.join("d/u.md").is_file(), "the rest still converts");
}

#[test]
fn the_output_folder_is_never_read_as_input() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixtures_dir().join("timestamps.md"), dir.path().join("t.md")).unwrap();
    let out = dir.path().join("out");
    for run in 0..3 {
        let result = convert(&[dir.path()], &out, &["-l", "bi,zh"]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
        let said = if run == 0 { "converted 1 file" } else { "converted 0 files (0 outputs), 1 unchanged" };
        assert!(stderr(&result).contains(said), "{}", stderr(&result));
    }
    assert_eq!(tree(&out), ["t.md", "t.zh.md"]);
}

#[test]
fn links_that_leave_the_input_folders_are_skipped_unless_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (input, outside) = (dir.path().join("in"), dir.path().join("secret"));
    fs::create_dir_all(&input).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::copy(fixtures_dir().join("timestamps.md"), outside.join("private.md")).unwrap();
    fs::copy(fixtures_dir().join("timestamps.md"), input.join("t.md")).unwrap();
    symlink(outside.join("private.md"), input.join("passwd.md")).unwrap();
    symlink(&outside, input.join("more")).unwrap();
    symlink("t.md", input.join("alias.md")).unwrap();
    let out = dir.path().join("out");
    let result = convert(&[&input], &out, &["-l", "bi"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stderr(&result).contains("leads outside the input folders"), "{}", stderr(&result));
    assert!(stderr(&result).contains("--follow"), "{}", stderr(&result));
    // A link inside the folders is the same file: read once.
    assert_eq!(tree(&out), ["t.md"]);
    let result = convert(&[&input], &out, &["-l", "bi", "--follow"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    // Both links lead to the same file: it is read once, under the first name found.
    assert_eq!(tree(&out), ["more/private.md", "t.md"]);
}

#[test]
fn an_input_given_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("t.md");
    fs::copy(fixtures_dir().join("timestamps.md"), &input).unwrap();
    let out = dir.path().join("out");
    let result = convert(&[&input, &input, dir.path()], &out, &["-l", "bi"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stderr(&result).contains("converted 1 file"), "{}", stderr(&result));
}

/// Start a long run, wait for its first output, send `signal`, and return its exit code and whatever
/// temporary files it left.
fn interrupt(signal: rustix::process::Signal) -> (Option<i32>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let big =
        format!("{}\n{}", example(), fs::read_to_string(fixtures_dir().join("timestamps.md")).unwrap().repeat(400));
    for i in 0..40 {
        fs::write(input.join(format!("t{i:02}.md")), &big).unwrap();
    }
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", "-q", "-j", "1", "-t", "md,txt,epub,srt,vtt"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while tree(&out).iter().all(|n| n.starts_with('.')) {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before writing anything");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
    let code = child.wait().unwrap().code();
    let left = tree(&out).into_iter().filter(|n| n.contains(".bitext-")).collect();
    (code, left)
}

#[test]
fn an_interrupted_run_leaves_no_temporary_files() {
    assert_eq!(interrupt(rustix::process::Signal::TERM), (Some(143), Vec::new()));
    assert_eq!(interrupt(rustix::process::Signal::INT), (Some(130), Vec::new()));
}

#[test]
fn outputs_get_what_the_umask_allows_and_keep_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures_dir().join("timestamps.md");
    let out = dir.path().join("out");
    let script = format!(
        "umask 077 && exec '{}' convert '{}' -o '{}' -l bi,zh -q",
        env!("CARGO_BIN_EXE_bitext"),
        input.display(),
        out.display()
    );
    assert!(Command::new("sh").args(["-c", &script]).status().unwrap().success());
    let mode = |name: &str| fs::metadata(out.join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("timestamps.md"), 0o600);
    fs::set_permissions(out.join("timestamps.zh.md"), fs::Permissions::from_mode(0o640)).unwrap();
    let result = convert(&[&input], &out, &["-l", "bi,zh"]);
    assert_eq!(result.status.code(), Some(0));
    assert_eq!(mode("timestamps.zh.md"), 0o640);
}

#[test]
fn absurd_option_values_are_usage_errors() {
    let input = fixtures_dir().join("timestamps.md");
    let input = input.to_str().unwrap();
    for bad in [
        &["--duration", "inf"][..],
        &["--duration", "1e300"],
        &["--duration", "0.5"],
        &["--duration", "NaN"],
        &["--wpm", "0"],
        &["--wpm", "inf"],
        &["--max-zh", "0"],
        &["--max-en", "3"],
    ] {
        let mut args = vec!["convert", input, "-t", "srt", "-o", "/nonexistent/never"];
        args.extend(bad);
        let result = bitext(&args);
        assert_eq!(result.status.code(), Some(2), "{bad:?}: {}", stderr(&result));
    }
}

#[test]
fn a_caption_track_going_backwards_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let track = dir.path().join("captions.vtt");
    fs::write(&track, "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nlater\n\n00:00:01.000 --> 00:00:02.000\nsooner\n")
        .unwrap();
    let out = dir.path().join("out");
    let result =
        convert(&[&fixtures_dir().join("timestamps.md")], &out, &["-t", "srt", "--align", track.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("line 6"), "{}", stderr(&result));
}

#[test]
fn check_reads_standard_input() {
    let exe = env!("CARGO_BIN_EXE_bitext");
    let input = fs::File::open(fixtures_dir().join("truncated_ending.md")).unwrap();
    let result = Command::new(exe).args(["check", "-"]).stdin(input).output().unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(0), "{err}");
    assert!(err.contains("<stdin>:18"), "{err}");
    assert!(err.contains("checked 1 file"), "{err}");
    let input = fs::File::open(fixtures_dir().join("bad/nul_bytes.md")).unwrap();
    let result = Command::new(exe).args(["check", "-"]).stdin(input).output().unwrap();
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
}

#[test]
fn text_outputs_never_carry_live_markup_or_script_links() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inject.md");
    fs::write(
        &input,
        "---\ntitle: 注入\n---\n这是一段中文，用来测试注入。\n\n<details>\n<summary>View/Hide Original English</summary>\n\
         <p class=\"english-text\">A test <script>alert(10)</script> and <img src=x onerror=alert(11)> with \
         [a link](javascript:alert(12)) and [another](<JaVaScRiPt:alert(13)>) and more words to wrap.</p>\n</details>\n\n\
         <style>\nbody { display: none }\n\n[链接](<javascript:alert(14)>) [数据](data:text/html,x)\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let result = convert(&[&input], &out, &["-t", "md,txt,json,epub,srt,vtt"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stderr(&result).contains("link to `javascript` removed"), "{}", stderr(&result));
    for path in walk(&out) {
        let bytes = fs::read(&path).unwrap();
        let text = if path.extension().is_some_and(|e| e == "epub") {
            every_entry(&path)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let lower = text.to_lowercase();
        let name = path.display();
        assert!(!lower.contains("javascript:") && !lower.contains("data:text"), "{name}: {text}");
        if path.extension().is_some_and(|e| e == "md") {
            assert!(!text.contains("<style") && !text.contains("<script"), "{name}: {text}");
        }
        if path.extension().is_some_and(|e| e == "srt" || e == "vtt") {
            assert!(!text.contains("<script") && !text.contains("<img") && !text.contains("onerror"), "{name}: {text}");
        }
    }
}

/// Bytes written and thrown away, with a position for writers that seek (EPUB's zip).
#[derive(Default)]
struct Discard {
    position: u64,
    len: u64,
}

impl std::io::Write for Discard {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.position += buf.len() as u64;
        self.len = self.len.max(self.position);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::io::Seek for Discard {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.position = match to {
            std::io::SeekFrom::Start(n) => n,
            std::io::SeekFrom::End(d) => (self.len as i64 + d) as u64,
            std::io::SeekFrom::Current(d) => (self.position as i64 + d) as u64,
        };
        Ok(self.position)
    }
}

/// A long transcript made of this project's examples and well-formed fixtures, one after another: more
/// glossary terms, speakers and sections to the byte than the archive's transcripts.
fn long_transcript(bytes: usize) -> String {
    let mut body = String::new();
    for name in ["bee-colonies.md", "bridge-design.md", "sourdough-notes.md"] {
        body.push_str(crate::support::body(&fs::read_to_string(manifest_dir().join("examples").join(name)).unwrap()));
        body.push_str("\n\n");
    }
    for name in ["glossary_forms.md", "speaker_labels.md", "timestamps.md", "several_p_in_one_details.md"] {
        body.push_str(crate::support::body(&fs::read_to_string(fixtures_dir().join(name)).unwrap()));
        body.push_str("\n\n");
    }
    format!("---\ntitle: 合集\n---\n{}", body.repeat(bytes / body.len() + 1))
}

#[test]
fn a_long_transcript_costs_a_small_multiple_of_its_size_per_format() {
    let text = long_transcript(4_000_000);
    for format in ["md", "txt", "json", "epub", "srt", "vtt"] {
        let writer = bitext::emit::find(format).unwrap();
        let (written, cost) = measure(|| {
            let parsed = bitext::parse::parse(text.as_bytes(), "long.md").unwrap();
            let selected = bitext::select::select(&parsed.doc, bitext::select::View::Bi, &Default::default()).unwrap();
            let mut out = Discard::default();
            writer.write(&selected, &Default::default(), &mut out).unwrap();
            out.len
        });
        assert!(written > 0);
        // Reading, the document and one format written as it is made: twelve times the input at most
        // (a transcript of the archive's own density stays under ten; see the README's limits).
        assert!(cost.peak <= 12 * text.len(), "{format}: {} bytes in, peak {} bytes", text.len(), cost.peak);
    }
}

/// Under a process limit the worker pool cannot start: the run falls back to one thread and converts.
/// Root is exempt from the limit, so the run is made as `nobody`; where that is not possible (not root,
/// no `su`), the test says so and checks nothing.
#[test]
fn a_process_limit_costs_threads_not_the_run() {
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let has_su = Command::new("su").arg("--help").output().is_ok();
    if !is_root || !has_su {
        eprintln!("skipped: needs root and su to run as nobody under a process limit");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let exe = dir.path().join("bitext");
    fs::copy(env!("CARGO_BIN_EXE_bitext"), &exe).unwrap();
    fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
    fs::copy(fixtures_dir().join("timestamps.md"), dir.path().join("t.md")).unwrap();
    fs::set_permissions(dir.path().join("t.md"), fs::Permissions::from_mode(0o644)).unwrap();
    let script =
        format!("cd '{}' && ulimit -u 3 && exec ./bitext convert t.md -j 8 -o out -l bi", dir.path().display());
    let result = Command::new("su").args(["nobody", "-s", "/bin/bash", "-c", &script]).output().unwrap();
    let err = stderr(&result);
    if err.contains("fork:") || err.contains("Authentication failure") {
        // Other processes of `nobody` already use the limit, or su is not allowed here.
        eprintln!("skipped: could not start bitext as nobody under the limit: {err}");
        return;
    }
    assert_eq!(result.status.code(), Some(0), "{err}");
    assert!(err.contains("would not start"), "{err}");
    assert!(dir.path().join("out/t.md").is_file());
}

#[test]
fn messages_come_as_files_finish_in_input_order() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a-empty.md"), "").unwrap();
    let big =
        format!("{}\n{}", example(), fs::read_to_string(fixtures_dir().join("timestamps.md")).unwrap().repeat(400));
    for i in 0..8 {
        fs::write(input.join(format!("t{i:02}.md")), &big).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", "-j", "1", "-t", "md,epub"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("a-empty.md") && first.contains("file is empty"), "{first}");
    assert!(child.try_wait().unwrap().is_none(), "the first file's message came only at the end");
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(rest.last().unwrap().starts_with("converted 8 files"), "{rest:?}");
    child.wait().unwrap();
}

#[test]
fn one_message_per_problem_naming_the_formats() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures_dir().join("speaker_labels.md");
    let result = convert(&[&input], dir.path(), &["-t", "srt,vtt", "-l", "bi", "--duration", "5"]);
    let err = stderr(&result);
    assert!(err.contains("srt, vtt: subtitle reads faster"), "{err}");
    let lines: Vec<u32> = err
        .lines()
        .filter(|l| l.contains("-->") && l.contains("speaker_labels.md:"))
        .filter_map(|l| l.rsplit("speaker_labels.md:").next()?.split(':').next()?.parse().ok())
        .collect();
    let mut sorted = lines.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(lines, sorted, "in line order, each once");
}
