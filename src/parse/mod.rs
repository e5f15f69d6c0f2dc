//! The one front end: bytes of a transcript in, one `Document` and its diagnostics out.
//!
//! Decoding (BOM, CRLF, encodings, binary input) happens here, then the front matter and the body are read
//! by their own modules. This module never knows which back ends exist, and never prints: everything it
//! notices is returned as `Diagnostic`s.

mod body;
mod front_matter;
mod glossary;
mod html;
mod inline;
mod limits;
mod pair;
mod stage;
mod text;
mod tops;

use crate::diag::{Diagnostic, LineIndex};
use crate::ir::{Document, TitleSource, IR_VERSION};
use std::borrow::Cow;
use thiserror::Error;

/// Inputs larger than this are refused before any parsing.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// A transcript that could not be read at all. Each variant's message says what to do.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ParseError {
    #[error("file is empty; a transcript needs at least a title or some text")]
    Empty,
    #[error("file is {size} bytes; the limit is {limit} bytes, split the transcript")]
    TooLarge { size: usize, limit: usize },
    #[error("NUL byte at line {line}; the file looks binary or UTF-16, save it as UTF-8 text")]
    NulByte { line: u32 },
    #[error("file is not UTF-8 text (invalid byte at line {line}, column {column}); save it as UTF-8")]
    NotUtf8 { line: u32, column: u32 },
    #[error("file looks binary ({controls} control characters); is this a transcript?")]
    Binary { controls: usize },
    #[error("front matter opened at line 1 is never closed; add a `---` line after the last key")]
    UnclosedFrontMatter,
    #[error("front matter is {size} bytes; the limit is {limit} bytes (is the closing `---` missing?)")]
    FrontMatterTooLarge { size: usize, limit: usize },
    #[error(
        "front matter nests `[` or `{{` more than {limit} levels deep at line {line}; flatten the value or quote it"
    )]
    FrontMatterTooDeep { line: u32, limit: usize },
    #[error("invalid YAML in front matter at line {line}: {message}; fix the YAML or quote the value")]
    Yaml { line: u32, column: u32, message: String },
    #[error("front matter is not a YAML mapping of keys to values (line {line}); write `key: value` lines")]
    NotAMapping { line: u32 },
}

impl ParseError {
    /// 1-based line the error is about, 0 when it concerns the whole file.
    pub fn line(&self) -> u32 {
        match self {
            ParseError::NulByte { line }
            | ParseError::NotUtf8 { line, .. }
            | ParseError::Yaml { line, .. }
            | ParseError::FrontMatterTooDeep { line, .. }
            | ParseError::NotAMapping { line } => *line,
            ParseError::UnclosedFrontMatter => 1,
            _ => 0,
        }
    }

    pub fn column(&self) -> u32 {
        match self {
            ParseError::NotUtf8 { column, .. } | ParseError::Yaml { column, .. } => *column,
            _ => 0,
        }
    }

    /// The error as a diagnostic, pointing at its line and column.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.line(), self.to_string()).at_column(self.column())
    }
}

/// A document and what the front end noticed while reading it.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// The text that was parsed (decoded, LF line endings, no BOM); line numbers in diagnostics refer to it.
    pub text: String,
}

/// Read one transcript. `name` is the file name, used for the title when nothing better exists.
pub fn parse(bytes: &[u8], name: &str) -> Result<Parsed, ParseError> {
    let mut diagnostics = Vec::new();
    let text = decode(bytes, &mut diagnostics)?;
    let parsed = parse_str(&text, name)?;
    drop(text);
    diagnostics.extend(parsed.diagnostics);
    Ok(Parsed { doc: parsed.doc, diagnostics, text: parsed.text })
}

/// Read one transcript that is already text. CRLF and a leading BOM are accepted.
pub fn parse_str(text: &str, name: &str) -> Result<Parsed, ParseError> {
    let text = normalise_newlines(text.strip_prefix('\u{feff}').unwrap_or(text));
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut diagnostics = Vec::new();
    let split = front_matter::split(&text)?;
    let mut meta = match split.yaml {
        Some(yaml) => front_matter::read(yaml, split.yaml_first_line, &mut diagnostics)?,
        None => Default::default(),
    };
    let (body_start, has_front_matter) = (split.body_start, split.yaml.is_some());
    let first_body_line = text[..body_start].matches('\n').count() as u32 + 1;
    let (flattened, warnings) = limits::bounded(&text[body_start..], first_body_line);
    diagnostics.extend(warnings);
    let text: Cow<'_, str> = match flattened {
        Cow::Borrowed(_) => text,
        Cow::Owned(body) => Cow::Owned(format!("{}{body}", &text[..body_start])),
    };
    let index = LineIndex::new(&text);
    let body = &text[body_start..];
    let units = body::units(body, body_start, &text, &index, &mut diagnostics);
    let sections = pair::pair(units, &mut diagnostics);
    meta.file_stem = Some(file_stem(name).to_string()).filter(|s| !s.is_empty() && *s != "-");
    if meta.title.is_empty() {
        let first_heading = sections
            .iter()
            .filter_map(|s| s.heading.as_ref())
            .map(|h| crate::ir::plain_text(&h.content, h.lang))
            .find(|t| !t.trim().is_empty());
        if let Some(h) = first_heading {
            meta.title = h.trim().to_string();
            meta.title_from = TitleSource::Heading;
        } else {
            meta.title = title_from_file_name(name);
            meta.title_from = TitleSource::FileName;
        }
        let why = if has_front_matter { "front matter has no `title`" } else { "file has no front matter" };
        diagnostics.push(Diagnostic::warning(
            1,
            format!("{why}; using \"{}\" as the title, add a `title:` key to choose one", meta.title),
        ));
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Ok(Parsed { doc: Document { ir_version: IR_VERSION, meta, sections }, diagnostics, text: text.into_owned() })
}

/// The file name of `name` (a path) without its `.md` or `.markdown`.
fn file_stem(name: &str) -> &str {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.strip_suffix(".md").or_else(|| file.strip_suffix(".markdown")).unwrap_or(file)
}

fn title_from_file_name(name: &str) -> String {
    let stem = file_stem(name);
    let title = stem.replace(['-', '_'], " ").trim().to_string();
    if title.is_empty() {
        "Untitled".to_string()
    } else {
        title
    }
}

fn normalise_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Bytes to text: UTF-8 (with or without BOM), or GB18030/GBK decoded with a warning. Binary input and
/// anything else that is not text is refused with a message that says what to do.
fn decode<'b>(bytes: &'b [u8], diagnostics: &mut Vec<Diagnostic>) -> Result<Cow<'b, str>, ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge { size: bytes.len(), limit: MAX_INPUT_BYTES });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::Empty);
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        return Err(ParseError::NulByte { line });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(err) => {
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if !had_errors && decoded.chars().any(crate::script::is_han) {
                diagnostics.push(Diagnostic::warning(
                    0,
                    "file is not UTF-8 but decodes as GB18030/GBK; read it as such, \
                     save it as UTF-8 to silence this (iconv -f GB18030 -t UTF-8)",
                ));
                Cow::Owned(decoded.into_owned())
            } else {
                let valid = &bytes[..err.valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
                let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() as u32 + 1;
                return Err(ParseError::NotUtf8 { line, column });
            }
        }
    };
    let controls =
        text.bytes().filter(|&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f).count();
    if controls > 8 && controls * 50 > text.chars().count() {
        return Err(ParseError::Binary { controls });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_files_are_refused() {
        assert_eq!(parse(b"", "a.md").unwrap_err(), ParseError::Empty);
        assert_eq!(parse(b" \n\n", "a.md").unwrap_err(), ParseError::Empty);
    }

    #[test]
    fn nul_bytes_name_their_line() {
        assert_eq!(parse(b"---\ntitle: x\n---\n\0", "a.md").unwrap_err(), ParseError::NulByte { line: 4 });
    }

    #[test]
    fn gbk_is_decoded_with_a_warning() {
        let (bytes, _, _) = encoding_rs::GBK.encode("---\ntitle: 标题\n---\n你好。\n");
        let parsed = parse(&bytes, "a.md").unwrap();
        assert_eq!(parsed.doc.meta.title, "标题");
        assert!(parsed.diagnostics.iter().any(|d| d.message.contains("GB18030")));
    }

    #[test]
    fn invalid_utf8_that_is_not_gbk_names_line_and_column() {
        let err = parse(b"ab\ncd\xff\xfe\xff", "a.md").unwrap_err();
        assert_eq!(err, ParseError::NotUtf8 { line: 2, column: 3 });
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let parsed = parse(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\xe4\xbd\xa0\xe5\xa5\xbd\r\n", "a.md").unwrap();
        assert_eq!(parsed.doc.meta.title, "T");
        assert!(!parsed.text.contains('\r'));
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        let parsed = parse_str("# 标题\n\n正文。\n", "x.md").unwrap();
        assert_eq!(parsed.doc.meta.title, "标题");
        assert_eq!(parsed.doc.meta.title_from, TitleSource::Heading);
        let parsed = parse_str("正文。\n", "dir/my-talk.md").unwrap();
        assert_eq!(parsed.doc.meta.title, "my talk");
        assert!(parsed.diagnostics[0].message.contains("no front matter"));
    }
}
