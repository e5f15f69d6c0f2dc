//! The catalog of an output folder, made from its manifest alone: `catalog.json` (every transcript with
//! its metadata and outputs), `catalog.csv` (a row per transcript, for a spreadsheet) and `opds.xml`, an
//! OPDS 1.2 acquisition feed, so that reading apps (KOReader, Thorium, calibre-web) can browse the
//! archive and download its books. Links are relative: the folder can be served from anywhere.
//!
//! Nothing here depends on when or on how many machines the folder was built: the same manifest gives
//! the same bytes.

use super::manifest::{CatalogMeta, Entry, Manifest};
use crate::emit::html::escaped as xml;
use crate::emit::site::url_path as href;
use crate::select::View;
use serde::Serialize;
use std::fmt::Write as _;

pub const CATALOG_JSON: &str = "catalog.json";
pub const CATALOG_CSV: &str = "catalog.csv";
pub const OPDS: &str = "opds.xml";

/// The catalog files of `manifest`, by name.
pub fn files(manifest: &Manifest) -> [(&'static str, Vec<u8>); 3] {
    [(CATALOG_JSON, json(manifest)), (CATALOG_CSV, csv(manifest)), (OPDS, opds(manifest).into_bytes())]
}

/// `catalog.json`: what the manifest says, less the build keys.
fn json(manifest: &Manifest) -> Vec<u8> {
    #[derive(Serialize)]
    struct Catalog<'a> {
        title: &'a str,
        transcripts: Vec<Transcript<'a>>,
    }
    #[derive(Serialize)]
    struct Transcript<'a> {
        input: String,
        #[serde(flatten)]
        meta: &'a CatalogMeta,
        outputs: Vec<Output<'a>>,
    }
    #[derive(Serialize)]
    struct Output<'a> {
        path: &'a str,
        format: &'a str,
        lang: View,
        bytes: u64,
        sha256: &'a str,
    }
    let transcripts = manifest
        .transcripts
        .values()
        .map(|e| Transcript {
            input: input_of(e),
            meta: &e.meta,
            outputs: e
                .outputs
                .iter()
                .map(|o| Output { path: &o.path, format: &o.format, lang: o.lang, bytes: o.bytes, sha256: &o.sha256 })
                .collect(),
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&Catalog { title: &manifest.title, transcripts }).expect("plain data");
    bytes.push(b'\n');
    bytes
}

fn input_of(e: &Entry) -> String {
    if e.root.is_empty() {
        e.input.clone()
    } else {
        format!("{}/{}", e.root, e.input)
    }
}

/// `catalog.csv`: a header row, then a row per transcript; lists are joined with `; `.
fn csv(manifest: &Manifest) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let header = [
        "id",
        "title",
        "title_en",
        "speaker",
        "date",
        "category",
        "area",
        "series",
        "tags",
        "languages",
        "source",
        "input",
        "outputs",
        "bytes",
    ];
    out.write_record(header).expect("writing to memory");
    for e in manifest.transcripts.values() {
        let m = &e.meta;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let outputs: Vec<&str> = e.outputs.iter().map(|o| o.path.as_str()).collect();
        let bytes: u64 = e.outputs.iter().map(|o| o.bytes).sum();
        let row = [
            m.id.clone(),
            m.title.clone(),
            opt(&m.title_en),
            opt(&m.speaker),
            opt(&m.date),
            opt(&m.category),
            opt(&m.area),
            opt(&m.series),
            m.tags.join("; "),
            m.languages.join("; "),
            opt(&m.source),
            input_of(e),
            outputs.join("; "),
            bytes.to_string(),
        ];
        out.write_record(&row).expect("writing to memory");
    }
    out.into_inner().expect("writing to memory")
}

/// What a reading app downloads: the media type of each acquirable format.
fn media_type(format: &str) -> Option<&'static str> {
    match format {
        "epub" => Some("application/epub+zip"),
        "pdf" => Some("application/pdf"),
        _ => None,
    }
}

/// A front matter date as an Atom date (`2025-03-14T00:00:00Z`), when it starts with a year, month and
/// day.
fn atom_date(date: &str) -> Option<String> {
    let d = date.trim();
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let dashed = b.len() >= 10 && matches!(b[4], b'-' | b'/') && b[7] == b[4];
    (dashed && digits(0..4) && digits(5..7) && digits(8..10))
        .then(|| format!("{}-{}-{}T00:00:00Z", &d[0..4], &d[5..7], &d[8..10]))
}

/// An Atom date for a transcript with none: the start of the epoch, so the feed stays the same.
const NO_DATE: &str = "1970-01-01T00:00:00Z";

const FEED_TYPE: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";

/// `opds.xml`: an OPDS 1.2 acquisition feed with an entry per transcript that has an EPUB or a PDF.
fn opds(manifest: &Manifest) -> String {
    let entries: Vec<&Entry> =
        manifest.transcripts.values().filter(|e| e.outputs.iter().any(|o| media_type(&o.format).is_some())).collect();
    let updated =
        entries.iter().filter_map(|e| e.meta.date.as_deref().and_then(atom_date)).max().unwrap_or(NO_DATE.to_string());
    let title = if manifest.title.is_empty() { "bitext archive" } else { manifest.title.as_str() };
    let mut feed = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    feed.push_str(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/terms/\" \
         xmlns:opds=\"http://opds-spec.org/2010/catalog\">\n",
    );
    let ids: Vec<&str> = entries.iter().map(|e| e.meta.urn.as_str()).collect();
    let feed_id = super::manifest::hex(&<sha2::Sha256 as sha2::Digest>::digest(
        format!("bitext catalog\n{title}\n{}", ids.join("\n")).as_bytes(),
    ));
    let _ = writeln!(feed, "  <id>urn:bitext:catalog:{}</id>", &feed_id[..32]);
    let _ = writeln!(feed, "  <title>{}</title>", xml(title));
    let _ = writeln!(feed, "  <updated>{updated}</updated>");
    let _ = writeln!(feed, "  <author><name>{}</name></author>", xml(title));
    let _ = writeln!(feed, "  <link rel=\"self\" href=\"opds.xml\" type=\"{FEED_TYPE}\"/>");
    let _ = writeln!(feed, "  <link rel=\"start\" href=\"opds.xml\" type=\"{FEED_TYPE}\"/>");
    for e in entries {
        let m = &e.meta;
        feed.push_str("  <entry>\n");
        let _ = writeln!(feed, "    <title>{}</title>", xml(&m.title));
        let _ = writeln!(feed, "    <id>{}</id>", xml(&m.urn));
        let date = m.date.as_deref().and_then(atom_date);
        let _ = writeln!(feed, "    <updated>{}</updated>", date.as_deref().unwrap_or(NO_DATE));
        let mut named: Vec<&String> = Vec::new();
        for who in [&m.speaker, &m.guest, &m.author].into_iter().flatten() {
            if !named.contains(&who) {
                named.push(who);
                let _ = writeln!(feed, "    <author><name>{}</name></author>", xml(who));
            }
        }
        for lang in &m.languages {
            let _ = writeln!(feed, "    <dc:language>{}</dc:language>", xml(lang));
        }
        if let Some(date) = &date {
            let _ = writeln!(feed, "    <dc:issued>{}</dc:issued>", &date[..10]);
        }
        for tag in &m.tags {
            let _ = writeln!(feed, "    <category term=\"{}\"/>", xml(tag));
        }
        if let Some(summary) = &m.summary {
            let _ = writeln!(feed, "    <summary type=\"text\">{}</summary>", xml(summary));
        }
        if let Some(source) = m.source.as_deref().filter(|s| s.starts_with("http://") || s.starts_with("https://")) {
            let _ = writeln!(feed, "    <link rel=\"alternate\" href=\"{}\" type=\"text/html\"/>", xml(source));
        }
        for o in &e.outputs {
            if let Some(kind) = media_type(&o.format) {
                let label = match o.lang {
                    View::Bi => "中英对照 (Chinese and English)",
                    View::Zh => "中文 (Chinese)",
                    View::En => "English",
                };
                let _ = writeln!(
                    feed,
                    "    <link rel=\"http://opds-spec.org/acquisition\" href=\"{}\" type=\"{kind}\" title=\"{} {label}\" length=\"{}\"/>",
                    xml(&href(&o.path)),
                    o.format.to_uppercase(),
                    o.bytes
                );
            }
        }
        feed.push_str("  </entry>\n");
    }
    feed.push_str("</feed>\n");
    feed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::manifest::OutputRecord;

    fn manifest() -> Manifest {
        let record = |path: &str, format: &str, lang: View| OutputRecord {
            path: path.into(),
            format: format.into(),
            lang,
            key: "k".into(),
            bytes: 10,
            sha256: "s".into(),
        };
        let entry = Entry {
            root: "talks".into(),
            input: "a & b/rain, wind.md".into(),
            sha256: "x".into(),
            meta: CatalogMeta {
                id: "talks/rain.md".into(),
                urn: "urn:uuid:1".into(),
                title: "雨 <与> 风".into(),
                date: Some("2025-03-14".into()),
                tags: vec!["weather".into()],
                languages: vec!["zh".into(), "en".into()],
                ..CatalogMeta::default()
            },
            outputs: vec![
                record("a & b/rain, wind.epub", "epub", View::Bi),
                record("a & b/rain, wind.en.pdf", "pdf", View::En),
                record("a & b/rain, wind.md", "md", View::Bi),
            ],
            no_text: Vec::new(),
        };
        let mut m = Manifest { title: "Weather Talks".into(), ..Manifest::default() };
        m.transcripts.insert("a & b/rain, wind".into(), entry);
        m
    }

    #[test]
    fn dates_become_atom_dates_or_nothing() {
        assert_eq!(atom_date("2025-03-14").as_deref(), Some("2025-03-14T00:00:00Z"));
        assert_eq!(atom_date("2025/03/14 10:00").as_deref(), Some("2025-03-14T00:00:00Z"));
        assert_eq!(atom_date("March 2025"), None);
        assert_eq!(atom_date("2025-3-14"), None);
    }

    #[test]
    fn the_feed_links_books_by_relative_escaped_paths() {
        let feed = opds(&manifest());
        let doc = roxmltree::Document::parse(&feed).unwrap();
        let links: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("link") && n.attribute("rel") == Some("http://opds-spec.org/acquisition"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(links, ["a%20%26%20b/rain%2C%20wind.epub", "a%20%26%20b/rain%2C%20wind.en.pdf"]);
        let title = doc.descendants().find(|n| n.has_tag_name("entry")).unwrap();
        assert!(title.descendants().any(|n| n.text() == Some("雨 <与> 风")));
        assert!(feed.contains("<updated>2025-03-14T00:00:00Z</updated>"));
    }

    #[test]
    fn the_table_quotes_what_needs_quoting() {
        let table = String::from_utf8(csv(&manifest())).unwrap();
        let mut rows = csv::Reader::from_reader(table.as_bytes());
        let row = rows.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "雨 <与> 风");
        assert_eq!(&row[11], "talks/a & b/rain, wind.md");
        assert_eq!(&row[12], "a & b/rain, wind.epub; a & b/rain, wind.en.pdf; a & b/rain, wind.md");
        assert_eq!(&row[13], "30");
    }
}
