//! The EPUB container: a zip whose first entry is the stored `mimetype`, every entry stamped with the same
//! fixed time, then the package document (OPF), the navigation document and an NCX for older readers.
//!
//! Entries are written as they come, so a book of a thousand transcripts never holds more than one
//! chapter's XHTML in memory; the OPF, nav and NCX go last because they list everything before them.
//!
//! Written by hand on the `zip` crate rather than with `epub-builder`: its zip back end builds the whole
//! archive in a `Cursor<Vec<u8>>` before writing it out (an anthology would sit in memory whole), stamps
//! entries with the clock and makes random (v4) UUIDs, so the same input would not give the same bytes.

use crate::emit::html::{escaped, NavEntry};
use std::fmt::Write as _;
use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// What the package document says about the book.
#[derive(Debug, Clone)]
pub(crate) struct BookMeta {
    pub identifier: String,
    pub title: String,
    /// BCP 47 tags, the main language first.
    pub languages: Vec<&'static str>,
    pub creators: Vec<String>,
    pub date: Option<String>,
    pub subjects: Vec<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    /// The series the transcript belongs to (front matter `series`), an EPUB 3 collection.
    pub collection: Option<String>,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    pub accessibility_summary: String,
}

struct Item {
    id: String,
    href: String,
    media_type: &'static str,
    properties: Option<&'static str>,
    in_spine: bool,
}

pub(crate) struct Package<W: Write + Seek> {
    zip: ZipWriter<W>,
    deflated: SimpleFileOptions,
    items: Vec<Item>,
}

pub(crate) type PackageResult<T> = zip::result::ZipResult<T>;

impl<W: Write + Seek> Package<W> {
    /// Start a book: `mimetype` first and stored, then `META-INF/container.xml`.
    pub fn new(out: W, modified: &str) -> PackageResult<Self> {
        let time = zip_time(modified);
        let stored = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(time)
            .unix_permissions(0o644);
        let deflated = stored.compression_method(CompressionMethod::Deflated).compression_level(Some(6));
        let mut zip = ZipWriter::new(out);
        zip.start_file("mimetype", stored)?;
        zip.write_all(b"application/epub+zip")?;
        zip.start_file("META-INF/container.xml", deflated)?;
        zip.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
  <rootfiles>\n    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n\
</container>\n",
        )?;
        Ok(Package { zip, deflated, items: Vec::new() })
    }

    /// Add a file under `OEBPS/`.
    pub fn add(&mut self, href: &str, media_type: &'static str, bytes: &[u8], in_spine: bool) -> PackageResult<()> {
        self.zip.start_file(format!("OEBPS/{href}"), self.deflated)?;
        self.zip.write_all(bytes)?;
        let id = format!("i{}", self.items.len() + 1);
        self.items.push(Item { id, href: href.to_string(), media_type, properties: None, in_spine });
        Ok(())
    }

    /// Add an XHTML page that readers read in order.
    pub fn add_page(&mut self, href: &str, xhtml: &str) -> PackageResult<()> {
        self.add(href, "application/xhtml+xml", xhtml.as_bytes(), true)
    }

    /// Write the navigation document, the NCX and the package document, and close the zip.
    pub fn finish(mut self, meta: &BookMeta, nav: &[NavEntry], nav_title: &str) -> PackageResult<W> {
        let tree = NavTree::build(nav);
        let bodymatter = self.items.iter().filter(|i| i.in_spine).nth(1).or(self.items.iter().find(|i| i.in_spine));
        let bodymatter = bodymatter.map(|i| i.href.clone());
        let nav_xhtml = nav_document(meta, &tree, nav_title, bodymatter.as_deref());
        self.zip.start_file("OEBPS/nav.xhtml", self.deflated)?;
        self.zip.write_all(nav_xhtml.as_bytes())?;
        self.items.push(Item {
            id: "nav".into(),
            href: "nav.xhtml".into(),
            media_type: "application/xhtml+xml",
            properties: Some("nav"),
            in_spine: false,
        });
        let ncx = ncx_document(meta, &tree);
        self.zip.start_file("OEBPS/toc.ncx", self.deflated)?;
        self.zip.write_all(ncx.as_bytes())?;
        self.items.push(Item {
            id: "ncx".into(),
            href: "toc.ncx".into(),
            media_type: "application/x-dtbncx+xml",
            properties: None,
            in_spine: false,
        });
        let opf = package_document(meta, &self.items);
        self.zip.start_file("OEBPS/content.opf", self.deflated)?;
        self.zip.write_all(opf.as_bytes())?;
        self.zip.finish()
    }
}

/// The zip entry time for a `YYYY-MM-DDThh:mm:ssZ` stamp (zip times cannot go before 1980).
fn zip_time(modified: &str) -> DateTime {
    let num = |range: std::ops::Range<usize>| modified.get(range).and_then(|s| s.parse::<u16>().ok());
    let (y, mo, d) = (num(0..4).unwrap_or(1980), num(5..7).unwrap_or(1), num(8..10).unwrap_or(1));
    let (h, mi, s) = (num(11..13).unwrap_or(0), num(14..16).unwrap_or(0), num(17..19).unwrap_or(0));
    DateTime::from_date_and_time(y.clamp(1980, 2107), mo as u8, d as u8, h as u8, mi as u8, s as u8).unwrap_or_default()
}

/// Table-of-contents entries as a tree: an entry belongs under the nearest earlier entry of a lower level.
struct NavTree<'a> {
    roots: Vec<NavNode<'a>>,
}

struct NavNode<'a> {
    entry: &'a NavEntry,
    children: Vec<NavNode<'a>>,
}

impl<'a> NavTree<'a> {
    fn build(entries: &'a [NavEntry]) -> Self {
        fn insert<'a>(nodes: &mut Vec<NavNode<'a>>, entry: &'a NavEntry) {
            match nodes.last_mut() {
                Some(last) if last.entry.level < entry.level => insert(&mut last.children, entry),
                _ => nodes.push(NavNode { entry, children: Vec::new() }),
            }
        }
        let mut roots = Vec::new();
        for entry in entries {
            insert(&mut roots, entry);
        }
        NavTree { roots }
    }
}

fn nav_document(meta: &BookMeta, tree: &NavTree<'_>, title: &str, bodymatter: Option<&str>) -> String {
    fn list(nodes: &[NavNode<'_>], depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        let _ = writeln!(out, "{pad}<ol>");
        for node in nodes {
            let _ =
                write!(out, "{pad}  <li><a href=\"{}\">{}</a>", escaped(&node.entry.href), escaped(&node.entry.label));
            if node.children.is_empty() {
                out.push_str("</li>\n");
            } else {
                out.push('\n');
                list(&node.children, depth + 2, out);
                let _ = writeln!(out, "{pad}  </li>");
            }
        }
        let _ = writeln!(out, "{pad}</ol>");
    }
    let lang = meta.languages[0];
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n\
<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n<h1>{}</h1>\n",
        escaped(&meta.title),
        escaped(title)
    );
    list(&tree.roots, 0, &mut out);
    out.push_str("</nav>\n");
    if let Some(href) = bodymatter {
        let _ = writeln!(
            out,
            "<nav epub:type=\"landmarks\" hidden=\"hidden\">\n<ol>\n  <li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>\n</ol>\n</nav>",
            escaped(href),
            escaped(&meta.title)
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn ncx_document(meta: &BookMeta, tree: &NavTree<'_>) -> String {
    fn points(nodes: &[NavNode<'_>], depth: usize, order: &mut usize, out: &mut String) {
        for node in nodes {
            *order += 1;
            let pad = "  ".repeat(depth + 2);
            let _ = write!(
                out,
                "{pad}<navPoint id=\"np{order}\" playOrder=\"{order}\">\n{pad}  <navLabel><text>{}</text></navLabel>\n{pad}  <content src=\"{}\"/>\n",
                escaped(&node.entry.label),
                escaped(&node.entry.href),
                order = *order
            );
            points(&node.children, depth + 1, order, out);
            let _ = writeln!(out, "{pad}</navPoint>");
        }
    }
    fn depth(nodes: &[NavNode<'_>]) -> usize {
        nodes.iter().map(|n| 1 + depth(&n.children)).max().unwrap_or(0)
    }
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n\
  <head>\n    <meta name=\"dtb:uid\" content=\"{}\"/>\n    <meta name=\"dtb:depth\" content=\"{}\"/>\n\
    <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n    <meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n  </head>\n\
  <docTitle><text>{}</text></docTitle>\n  <navMap>\n",
        meta.languages[0],
        escaped(&meta.identifier),
        depth(&tree.roots).max(1),
        escaped(&meta.title)
    );
    let mut order = 0;
    points(&tree.roots, 0, &mut order, &mut out);
    out.push_str("  </navMap>\n</ncx>\n");
    out
}

fn package_document(meta: &BookMeta, items: &[Item]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{}\">\n\
  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
    <dc:identifier id=\"uid\">{}</dc:identifier>\n    <dc:title id=\"title\">{}</dc:title>\n",
        meta.languages[0],
        escaped(&meta.identifier),
        escaped(&meta.title)
    );
    for lang in &meta.languages {
        let _ = writeln!(out, "    <dc:language>{lang}</dc:language>");
    }
    for (i, creator) in meta.creators.iter().enumerate() {
        let _ = writeln!(out, "    <dc:creator id=\"creator{}\">{}</dc:creator>", i + 1, escaped(creator));
        let _ = writeln!(
            out,
            "    <meta refines=\"#creator{}\" property=\"role\" scheme=\"marc:relators\">aut</meta>",
            i + 1
        );
    }
    if let Some(date) = &meta.date {
        let _ = writeln!(out, "    <dc:date>{}</dc:date>", escaped(date));
    }
    for subject in &meta.subjects {
        let _ = writeln!(out, "    <dc:subject>{}</dc:subject>", escaped(subject));
    }
    if let Some(d) = &meta.description {
        let _ = writeln!(out, "    <dc:description>{}</dc:description>", escaped(d));
    }
    if let Some(s) = &meta.source {
        let _ = writeln!(out, "    <dc:source>{}</dc:source>", escaped(s));
    }
    if let Some(series) = &meta.collection {
        let _ =
            writeln!(out, "    <meta property=\"belongs-to-collection\" id=\"collection\">{}</meta>", escaped(series));
        let _ = writeln!(out, "    <meta refines=\"#collection\" property=\"collection-type\">series</meta>");
    }
    let _ = writeln!(out, "    <meta property=\"dcterms:modified\">{}</meta>", meta.modified);
    for (property, value) in [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityHazard", "none"),
    ] {
        let _ = writeln!(out, "    <meta property=\"{property}\">{value}</meta>");
    }
    let _ = writeln!(
        out,
        "    <meta property=\"schema:accessibilitySummary\">{}</meta>\n  </metadata>\n  <manifest>",
        escaped(&meta.accessibility_summary)
    );
    for item in items {
        let _ = write!(
            out,
            "    <item id=\"{}\" href=\"{}\" media-type=\"{}\"",
            item.id,
            escaped(&item.href),
            item.media_type
        );
        if let Some(p) = item.properties {
            let _ = write!(out, " properties=\"{p}\"");
        }
        out.push_str("/>\n");
    }
    out.push_str("  </manifest>\n  <spine toc=\"ncx\">\n");
    for item in items.iter().filter(|i| i.in_spine) {
        let _ = writeln!(out, "    <itemref idref=\"{}\"/>", item.id);
    }
    out.push_str("  </spine>\n</package>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_tree_nests_by_level_even_across_gaps() {
        let entries = [
            NavEntry { level: 0, label: "a".into(), href: "a".into() },
            NavEntry { level: 2, label: "b".into(), href: "b".into() },
            NavEntry { level: 1, label: "c".into(), href: "c".into() },
            NavEntry { level: 0, label: "d".into(), href: "d".into() },
        ];
        let tree = NavTree::build(&entries);
        assert_eq!(tree.roots.len(), 2);
        assert_eq!(tree.roots[0].children.len(), 2);
    }

    #[test]
    fn zip_time_reads_the_stamp_and_clamps_to_1980() {
        let t = zip_time("2024-06-26T12:30:00Z");
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2024, 6, 26, 12));
        assert_eq!(zip_time("1970-01-01T00:00:00Z").year(), 1980);
    }
}
