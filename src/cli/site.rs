//! `bitext site`: build the archive's website, and with `--serve` preview it on 127.0.0.1, building
//! again when the inputs change.

use super::build::{archive_title, stopped, watch};
use super::report::Messages;
use super::{exit_code, fatal, subtitle_options, uses_of, workers, write_options, writers_for, SiteArgs};
use crate::archive::Archive;
use crate::batch::{self, InputOptions, OutputRoot, SitePlan, Workers};
use crate::emit::site::SiteOptions;
use crate::ir::Lang;
use std::path::{Component, Path, PathBuf};

pub(super) fn site(args: SiteArgs, styled: bool) -> anyhow::Result<i32> {
    let downloads = writers_for(&args.downloads)?;
    let uses = uses_of(&downloads);
    let mut options = write_options(&args.style, uses)?;
    options.subtitles = subtitle_options(&args.subtitles, uses)?;
    let root = OutputRoot::open(&args.out).map_err(fatal)?;
    let folders: Vec<&PathBuf> = args.inputs.iter().filter(|p| p.is_dir()).collect();
    let archive = match folders.first() {
        Some(first) => Archive::load(first)?.unwrap_or_default(),
        None => Archive::default(),
    };
    let title =
        args.title.clone().unwrap_or_else(|| archive_title(&archive, folders.first().map(|f| f.as_path()), Lang::Zh));
    // Only transcripts found in these folders can be gone; files named one by one are never taken for
    // gone when a later run names others.
    let roots: Vec<String> = folders.iter().map(|f| batch::root_name(f)).collect();
    let plan = SitePlan {
        site: SiteOptions { title, base_url: args.base_url.clone(), css: options.theme.site_css.clone(), archive },
        downloads,
        options,
        roots,
    };
    let mut messages = Messages::new(args.report.quiet, styled);
    let workers = workers(args.work.jobs, 2, &mut messages);
    let code = build_once(&args, &plan, &root, &workers, &mut messages, true)?;
    let Some(port) = args.serve else { return Ok(code) };
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| anyhow::anyhow!("cannot serve on 127.0.0.1:{port}: {e}; choose another port with --serve PORT"))?;
    messages.say(&format!("serving {} at http://127.0.0.1:{port}/ (Ctrl-C to stop)", args.out.display()));
    let folder = root.canonical().to_path_buf();
    std::thread::Builder::new().name("server".into()).spawn(move || serve(&server, &folder))?;
    watch(&args.inputs, root.canonical(), &mut messages, |messages| {
        build_once(&args, &plan, &root, &workers, messages, false)
    })
    .map(|code| stopped().unwrap_or(code))
}

/// One build: find the inputs, build the site, report, summarise.
fn build_once(
    args: &SiteArgs,
    plan: &SitePlan,
    root: &OutputRoot,
    workers: &Workers,
    messages: &mut Messages,
    first: bool,
) -> anyhow::Result<i32> {
    let found = InputOptions { follow: args.work.follow, exclude: Some(root.canonical().to_path_buf()) };
    let (inputs, reports) = batch::collect_inputs(&args.inputs, &found);
    if first && inputs.is_empty() && reports.is_empty() {
        anyhow::bail!("no *.md files found in the given folders");
    }
    for report in &reports {
        messages.report(report);
    }
    let built = batch::build_site(&inputs, plan, root, workers, |report| messages.report(&report));
    let failed = messages.summary("read");
    match built {
        Ok(s) => {
            messages.say(&format!(
                "site {}: {} transcript pages; {} files written, {} unchanged, {} removed",
                args.out.display(),
                s.pages,
                s.written,
                s.unchanged,
                s.removed
            ));
            Ok(exit_code(failed))
        }
        Err(why) if first => Err(fatal(why)),
        Err(why) => {
            messages.diagnostic(&args.out.display().to_string(), None, &why);
            Ok(super::EXIT_SOME_FAILED)
        }
    }
}

/// Serve the files of `folder` to this machine only: GET and HEAD, a folder's `index.html`, nothing
/// outside the folder.
fn serve(server: &tiny_http::Server, folder: &Path) {
    for request in server.incoming_requests() {
        let path = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
        let file = local_path(folder, &path);
        let response = match file.and_then(|f| std::fs::read(&f).ok().map(|bytes| (f, bytes))) {
            Some((file, bytes)) => {
                let kind = content_type(&file);
                let header =
                    tiny_http::Header::from_bytes(&b"Content-Type"[..], kind.as_bytes()).expect("a valid header");
                tiny_http::Response::from_data(bytes).with_header(header).boxed()
            }
            None => tiny_http::Response::from_string("not found").with_status_code(404).boxed(),
        };
        let _ = request.respond(response);
    }
}

/// The file a URL path names below `folder`, percent-decoded; `None` for anything that climbs out.
fn local_path(folder: &Path, url: &str) -> Option<PathBuf> {
    let mut bytes = Vec::new();
    let raw = url.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).ok()?, 16).ok()?);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(bytes).ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = folder.join(rel);
    if file.is_dir() {
        file.push("index.html");
    }
    std::fs::canonicalize(&file).ok().filter(|real| real.starts_with(folder) && real.is_file())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        "epub" => "application/epub+zip",
        "pdf" => "application/pdf",
        "vtt" => "text/vtt; charset=utf-8",
        "srt" | "ass" | "md" | "txt" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_serves_nothing_outside_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("site");
        std::fs::create_dir_all(folder.join("t")).unwrap();
        std::fs::write(folder.join("index.html"), "home").unwrap();
        std::fs::write(folder.join("t/雨.html"), "rain").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let folder = std::fs::canonicalize(folder).unwrap();
        assert_eq!(local_path(&folder, "/"), Some(folder.join("index.html")));
        assert_eq!(local_path(&folder, "/t/%E9%9B%A8.html"), Some(folder.join("t/雨.html")));
        assert_eq!(local_path(&folder, "/../secret.txt"), None);
        assert_eq!(local_path(&folder, "/%2e%2e/secret.txt"), None);
        assert_eq!(local_path(&folder, "/missing.html"), None);
    }
}
