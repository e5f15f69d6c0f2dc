//! Building the website of an archive into an output folder: the downloads through an archive build
//! (into `files/`, with its own manifest and catalog), every transcript's page, the pages that lead to
//! them, the assets and the search index. Every file is written only when its bytes change, and the
//! files an earlier build wrote that this one does not (`bitext-site.json` lists them) are removed: a
//! rebuild with one transcript changed rewrites its page, the listings it shows in and the search index.

use super::build::{build, BuildOptions};
use super::manifest::Shard;
use super::{output_name, parse_input, read_bytes, stem_of, FileReport, Input, OutputRoot, Plan, Workers};
use crate::diag::Diagnostic;
use crate::emit::site::{self, Download, Listing, SiteFile, SiteOptions};
use crate::emit::{WriteOptions, Writer};
use crate::select::{select, View};
use std::collections::BTreeSet;
use std::path::Path;

/// The list of files a site build wrote, at the site's root.
const FILE_LIST: &str = "bitext-site.json";
/// Where the downloads go, below the site's root.
const FILES: &str = "files";

/// What to build.
pub struct SitePlan {
    pub site: SiteOptions,
    /// Formats offered for download on every transcript's page, in every language.
    pub downloads: Vec<&'static dyn Writer>,
    pub options: WriteOptions,
    /// The names of the input folders (for the downloads' manifest).
    pub roots: Vec<String>,
}

/// What a site build did.
#[derive(Debug, Default)]
pub struct SiteSummary {
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Build the site of `inputs` into `root`; each input's report goes to `done`, in input order.
pub fn build_site(
    inputs: &[Input],
    plan: &SitePlan,
    root: &OutputRoot,
    workers: &Workers,
    mut done: impl FnMut(FileReport),
) -> Result<SiteSummary, Diagnostic> {
    root.sweep_stale_temporaries();
    // The downloads first, through the archive build, so that the pages can link them with their sizes.
    let mut download_reports: Vec<FileReport> = Vec::new();
    if !plan.downloads.is_empty() {
        let files = OutputRoot::open(&root.path().join(FILES))?;
        let build_plan =
            Plan { formats: plan.downloads.clone(), views: View::ALL.to_vec(), options: plan.options.clone() };
        let options =
            BuildOptions { force: false, shard: Shard::ALL, roots: plan.roots.clone(), title: plan.site.title.clone() };
        build(inputs, &build_plan, &files, &options, workers, |_| {}, |r| download_reports.push(r))?;
    }
    let pages: Vec<(FileReport, Option<(SiteFile, Listing)>)> =
        workers.map(inputs, |input| page_of(input, plan, root.path()));
    let mut reports = download_reports.into_iter();
    let mut transcript_pages: Vec<SiteFile> = Vec::new();
    let mut listings: Vec<Listing> = Vec::new();
    for (mut report, made) in pages {
        if let Some(downloads) = reports.next() {
            for d in downloads.diagnostics {
                if !report.diagnostics.iter().any(|seen| seen.line == d.line && seen.message == d.message) {
                    report.diagnostics.push(d);
                }
            }
            report.outputs.extend(downloads.outputs);
        }
        if let Some((page, listing)) = made {
            report.outputs.push(root.path().join(&page.path));
            transcript_pages.push(page);
            listings.push(listing);
        }
        done(report);
    }
    let (index, bundles) = site::search_index(&transcript_pages).map_err(|e| Diagnostic::error_chain(&e))?;
    let mut files: Vec<SiteFile> = transcript_pages;
    files.extend(site::index_pages(&listings, bundles, &plan.site));
    files.extend(site::assets(&plan.site));
    files.extend(index);
    let mut summary = SiteSummary { pages: listings.len(), ..SiteSummary::default() };
    for file in &files {
        let rel = Path::new(&file.path);
        match std::fs::read(root.path().join(rel)) {
            Ok(old) if old == file.bytes => summary.unchanged += 1,
            _ => {
                root.write(rel, &file.bytes)?;
                summary.written += 1;
            }
        }
    }
    // What the last build wrote and this one did not is stale: a page of a transcript that is gone, an
    // index fragment that was replaced.
    let now: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let before: BTreeSet<String> = std::fs::read(root.path().join(FILE_LIST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    for stale in before.difference(&now) {
        let rel = Path::new(stale);
        if root.size_of(rel).is_some() {
            root.remove(rel);
            summary.removed += 1;
        }
        root.remove_empty_folders(rel);
    }
    let mut list = serde_json::to_vec_pretty(&now).expect("a list of names");
    list.push(b'\n');
    if std::fs::read(root.path().join(FILE_LIST)).ok().as_deref() != Some(list.as_slice()) {
        root.write(Path::new(FILE_LIST), &list)?;
    }
    Ok(summary)
}

/// One transcript's page and listing, or its report of why there is none.
fn page_of(input: &Input, plan: &SitePlan, site_root: &Path) -> (FileReport, Option<(SiteFile, Listing)>) {
    let mut report = FileReport::new(&input.path);
    let parsed = match read_bytes(input).map_err(|why| (why, None)).and_then(|bytes| parse_input(input, bytes)) {
        Ok(parsed) => parsed,
        Err((why, text)) => {
            report.diagnostics.push(why);
            if let Some(text) = text {
                report.keep_lines(&text);
            }
            return (report, None);
        }
    };
    report.diagnostics = parsed.diagnostics.clone();
    report.keep_lines(&parsed.text);
    let Some(selected) = select(&parsed.doc, View::Bi, &input.archive) else {
        return (report, None);
    };
    let folders: Vec<String> = input
        .rel_dir
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let stem = stem_of(&input.path);
    let mut below = folders.clone();
    below.push(stem.clone());
    let path = format!("t/{}.html", below.join("/"));
    // The downloads that exist for this transcript, in format then language order.
    let mut downloads = Vec::new();
    for writer in &plan.downloads {
        for view in View::ALL {
            let mut parts = folders.clone();
            parts.push(output_name(&stem, *writer, view));
            let rel = format!("{FILES}/{}", parts.join("/"));
            let Ok(meta) = std::fs::metadata(site_root.join(&rel)) else { continue };
            if !downloads.iter().any(|d: &Download| d.path == rel) {
                downloads.push(Download { format: writer.name().to_string(), view, path: rel, bytes: meta.len() });
            }
        }
    }
    let (page, listing) = site::transcript_page(&selected, &path, &downloads, &plan.site);
    (report, Some((page, listing)))
}
