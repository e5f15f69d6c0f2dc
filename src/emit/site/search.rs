//! The search index of the site, built in-process by Pagefind from the transcript pages (their `main`,
//! marked `data-pagefind-body`), with its own script and WebAssembly under `pagefind/`. Every page is
//! indexed as Chinese (`zh`): Pagefind keeps one index per language and the search page uses one, and
//! its Chinese segmentation (ICU, the `extended` feature) splits Chinese into words and keeps English
//! words whole, so both languages are found from one box.

use super::SiteFile;
use crate::emit::EmitError;

/// Whether the site needs a file of Pagefind's bundle: its search library, worker, entry, metadata,
/// WebAssembly, index and fragments; not its ready-made interfaces (`pagefind-ui.js` and the like), which
/// the site does not use: its own search page shows the results in its own markup.
fn used(name: &str) -> bool {
    !name.starts_with("pagefind-") || matches!(name, "pagefind-worker.js" | "pagefind-entry.json")
}

/// Pages per search bundle. Pagefind holds every page's words while it builds an index (about 3 MB a
/// transcript), so a large archive is indexed in bundles, one after another, and the search page merges
/// them (`mergeIndex`): memory stays near one bundle's whatever the archive's size.
pub const BUNDLE: usize = 200;

/// Where bundle `k` of the index lives below the site's root: `pagefind/`, then `pagefind/more/2/`...
pub fn bundle_dir(k: usize) -> String {
    if k == 0 {
        "pagefind/".to_string()
    } else {
        format!("pagefind/more/{}/", k + 1)
    }
}

/// The search index of `pages` (transcript pages only), as files under `pagefind/`, in bundles of
/// [`BUNDLE`] pages; and how many bundles there are.
pub fn search_index(pages: &[SiteFile]) -> Result<(Vec<SiteFile>, usize), EmitError> {
    // Pagefind's interface is asynchronous; one thread of its own runs it, with a pool for its blocking
    // work, and nothing else of bitext needs a runtime.
    let runtime =
        tokio::runtime::Builder::new_current_thread().build().map_err(|e| EmitError::failed("search index", e))?;
    let mut files = Vec::new();
    let chunks: Vec<&[SiteFile]> = if pages.is_empty() { vec![pages] } else { pages.chunks(BUNDLE).collect() };
    for (k, chunk) in chunks.iter().enumerate() {
        let dir = bundle_dir(k);
        files.extend(runtime.block_on(bundle(chunk))?.into_iter().map(|mut f| {
            f.path = format!("{dir}{}", f.path);
            f
        }));
    }
    Ok((files, chunks.len()))
}

/// One bundle of the index, its files' paths relative to the bundle's folder.
async fn bundle(pages: &[SiteFile]) -> Result<Vec<SiteFile>, EmitError> {
    let failed = |e: anyhow::Error| EmitError::failed("search index", e.into_boxed_dyn_error());
    let config = pagefind::options::PagefindServiceConfig::builder()
        .force_language("zh".to_string())
        .keep_index_url(true)
        .build();
    let mut index = pagefind::api::PagefindIndex::new(Some(config)).map_err(failed)?;
    for page in pages {
        let html = String::from_utf8_lossy(&page.bytes).into_owned();
        index.add_html_file(Some(page.path.clone()), Some(format!("/{}", page.path)), html).await.map_err(failed)?;
    }
    let files = index.get_files().await.map_err(failed)?;
    Ok(files
        .into_iter()
        .filter(|f| used(&f.filename.to_string_lossy()))
        .map(|f| SiteFile { path: f.filename.to_string_lossy().replace('\\', "/"), bytes: f.contents })
        .collect())
}
