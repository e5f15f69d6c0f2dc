//! The archive as a website (`bitext site`): a page per transcript, rendered by the HTML renderer the
//! EPUB chapters use (`emit::html`, web flavour), a home page, a page per group (category, area,
//! speaker, person, tag, year), a search page, the theme's `site.css`, one small script (the language
//! switch, glossary notes on hover or tap, search) and a Pagefind search index built in-process.
//!
//! Every link is relative, so the site works from any folder of any static host; nothing is loaded from
//! elsewhere. This module makes pages as bytes; the batch driver reads the transcripts and writes files.

mod pages;
mod search;

pub use pages::{index_pages, transcript_page, Download, Listing};
pub use search::{bundle_dir, search_index};

use crate::archive::Archive;

/// The script every page loads.
pub const SITE_JS: &str = include_str!("site.js");

/// The layout every theme shares, loaded before the theme's `site.css`.
pub const BASE_CSS: &str = include_str!("base.css");

/// What a site is.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The site's title (the archive file's, else the folder's name as words).
    pub title: String,
    /// Where the site will be served (`https://example.org/talks/`): canonical links, and the feed's.
    pub base_url: Option<String>,
    /// The theme's style sheet.
    pub css: String,
    /// How category, area and tag slugs are named.
    pub archive: Archive,
}

/// One file of the site: its path below the site's root (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The style sheets and the script, at `assets/`.
pub fn assets(options: &SiteOptions) -> Vec<SiteFile> {
    vec![
        SiteFile { path: "assets/base.css".into(), bytes: BASE_CSS.as_bytes().to_vec() },
        SiteFile { path: "assets/site.css".into(), bytes: options.css.clone().into_bytes() },
        SiteFile { path: "assets/site.js".into(), bytes: SITE_JS.as_bytes().to_vec() },
    ]
}

/// `../` once for each folder `path` is below the root: how a page reaches the root.
pub(crate) fn up(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A path below the root as a relative URL: each segment percent-encoded where it must be.
pub fn url_path(path: &str) -> String {
    let mut out = String::new();
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A name as a file name: its ASCII letters and digits in lowercase words (`Dario Amodei` gives
/// `dario-amodei`); a name without any (`王小明`) stays as it is, less what a file name cannot hold.
pub(crate) fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if !words.is_empty() && name.chars().filter(|c| !c.is_ascii()).count() == 0 {
        return words.join("-");
    }
    let kept: String = name.trim().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    let kept = kept.trim_matches('-').to_string();
    if kept.is_empty() {
        "unnamed".to_string()
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_links_and_names() {
        assert_eq!(up("index.html"), "");
        assert_eq!(up("t/ocean/a.html"), "../../");
        assert_eq!(url_path("t/雨 & 风.html"), "t/%E9%9B%A8%20%26%20%E9%A3%8E.html");
        assert_eq!(slug("Dario Amodei"), "dario-amodei");
        assert_eq!(slug("王小明"), "王小明");
        assert_eq!(slug("a16z 播客"), "a16z-播客");
        assert_eq!(slug("/"), "unnamed");
    }
}
