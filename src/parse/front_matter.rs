//! Front matter: split off by hand, size-capped, then read as YAML into typed `Metadata`.
//!
//! The raw YAML text is kept in the IR so that writers carrying front matter reproduce it exactly
//! (comments, quoting, key order); the typed fields serve writers that need meaning (titles, dates, tags).

use super::ParseError;
use crate::diag::Diagnostic;
use crate::ir::{ExtraField, Metadata};
use serde_yaml::Value;

/// Front matter larger than this is refused before YAML parsing.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// Flow collections (`[`, `{`) nested deeper than this are refused before YAML parsing: the YAML reader
/// refuses them too (its recursion limit is 128), but only after a scan that is quadratic in the depth.
pub const MAX_FRONT_MATTER_NESTING: usize = 64;

#[derive(Debug)]
pub(super) struct Split<'a> {
    /// YAML between the fences, ending with a newline (or empty).
    pub yaml: Option<&'a str>,
    /// 1-based line of the first YAML line.
    pub yaml_first_line: u32,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

/// Find the front matter: a `---` line at the very top, up to the next `---` (or `...`) line.
pub(super) fn split(text: &str) -> Result<Split<'_>, ParseError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split { yaml: None, yaml_first_line: 0, body_start: 0 });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let yaml = &text[yaml_start..pos];
            if yaml.len() > MAX_FRONT_MATTER_BYTES {
                return Err(ParseError::FrontMatterTooLarge { size: yaml.len(), limit: MAX_FRONT_MATTER_BYTES });
            }
            return Ok(Split { yaml: Some(yaml), yaml_first_line: 2, body_start: (end + 1).min(text.len()) });
        }
        if pos - yaml_start > MAX_FRONT_MATTER_BYTES {
            return Err(ParseError::FrontMatterTooLarge { size: pos - yaml_start, limit: MAX_FRONT_MATTER_BYTES });
        }
        pos = end + 1;
    }
    Err(ParseError::UnclosedFrontMatter)
}

/// Read the YAML into metadata. Unknown keys are kept in order; odd values produce warnings, not errors.
pub(super) fn read(yaml: &str, first_line: u32, diagnostics: &mut Vec<Diagnostic>) -> Result<Metadata, ParseError> {
    let mut meta = Metadata { front_matter: Some(yaml.to_string()), ..Default::default() };
    if yaml.trim().is_empty() {
        return Ok(meta);
    }
    if let Some(line) = too_deep(yaml, MAX_FRONT_MATTER_NESTING) {
        return Err(ParseError::FrontMatterTooDeep { line: first_line + line - 1, limit: MAX_FRONT_MATTER_NESTING });
    }
    let value: Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (line, column) =
            e.location().map_or((first_line, 0), |l| (first_line + l.line() as u32 - 1, l.column() as u32));
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        ParseError::Yaml { line, column, message }
    })?;
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => return Ok(meta),
        _ => return Err(ParseError::NotAMapping { line: first_line }),
    };
    for (key, value) in map {
        let key = match scalar_string(&key) {
            Some(k) => k,
            None => continue,
        };
        let line = key_line(yaml, &key).map_or(first_line, |l| first_line + l);
        let mut warn = |what: &str| {
            diagnostics
                .push(Diagnostic::warning(line, format!("front matter key `{key}` {what}; it is kept as written")))
        };
        match key.as_str() {
            "title" => meta.title = text(&value).unwrap_or_default(),
            "summary" => meta.summary = text(&value),
            "title_en" => meta.title_en = text(&value),
            "summary_en" => meta.summary_en = text(&value),
            "date" => meta.date = text(&value),
            "source" => meta.source = text(&value),
            "speaker" => meta.speaker = text(&value),
            "author" => meta.author = text(&value),
            "guest" => meta.guest = text(&value),
            "category" => meta.category = text(&value),
            "area" => meta.area = text(&value),
            "series" => meta.series = text(&value),
            "id" => meta.id = text(&value),
            "status" => meta.status = text(&value),
            "insight" => meta.insight = text(&value),
            "channel" => meta.channel = text(&value),
            "duration" => meta.duration = text(&value),
            "tags" | "people" | "companies_orgs" | "products_models" | "media_books" | "project" => {
                let list = match list(&value) {
                    Some(list) => list,
                    None => {
                        warn("is not a list of names");
                        Vec::new()
                    }
                };
                *list_field(&mut meta, &key) = list;
            }
            "draft" | "Exclude" => {
                let flag = match value {
                    Value::Bool(b) => Some(b),
                    Value::Null => None,
                    _ => {
                        warn("is not true or false");
                        None
                    }
                };
                if key == "draft" {
                    meta.draft = flag;
                } else {
                    meta.exclude = flag;
                }
            }
            _ => meta.extra.push(ExtraField { key, value: to_json(&value) }),
        }
    }
    Ok(meta)
}

/// The 1-based line where flow collections (`[`, `{`) first nest deeper than `limit`, outside quoted
/// scalars and comments; `None` when they never do. One pass over the text.
fn too_deep(yaml: &str, limit: usize) -> Option<u32> {
    let mut depth = 0usize;
    let mut line = 1u32;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            comment = false;
        } else if comment {
        } else if let Some(q) = quote {
            if c == '\\' && q == '"' {
                chars.next();
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                '"' | '\'' if !prev.is_alphanumeric() => quote = Some(c),
                '#' if prev.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(line);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    None
}

fn list_field<'m>(meta: &'m mut Metadata, key: &str) -> &'m mut Vec<String> {
    match key {
        "tags" => &mut meta.tags,
        "people" => &mut meta.people,
        "companies_orgs" => &mut meta.companies_orgs,
        "products_models" => &mut meta.products_models,
        "media_books" => &mut meta.media_books,
        _ => &mut meta.project,
    }
}

/// 0-based line of `key:` at the start of a line in the YAML, for warnings.
fn key_line(yaml: &str, key: &str) -> Option<u32> {
    yaml.lines()
        .position(|l| l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        .map(|p| p as u32)
}

fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_string(&t.value),
        _ => None,
    }
}

/// A scalar as text; empty strings and null are "not given".
fn text(value: &Value) -> Option<String> {
    scalar_string(value).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A list of names: a sequence of scalars, a single scalar, or null/empty.
fn list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Null => Some(Vec::new()),
        Value::Sequence(items) => Some(items.iter().filter_map(text).collect()),
        other => scalar_string(other).map(|s| if s.trim().is_empty() { vec![] } else { vec![s.trim().to_string()] }),
    }
}

fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::to_value(n).unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Mapping(map) => {
            serde_json::Value::Object(map.iter().filter_map(|(k, v)| Some((scalar_string(k)?, to_json(v)))).collect())
        }
        Value::Tagged(t) => to_json(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_found_in_one_pass_outside_quotes_and_comments() {
        assert_eq!(too_deep("a: [[[x]]]\n", 3), None);
        assert_eq!(too_deep("a: 1\nb: [[[[x]]]]\n", 3), Some(2));
        assert_eq!(too_deep("a: \"[[[[[\"\nb: '{{{{'\nc: 1 # [[[[[\n", 3), None);
        let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(too_deep(&deep, MAX_FRONT_MATTER_NESTING), Some(1));
    }

    fn read_ok(yaml: &str) -> (Metadata, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let meta = read(yaml, 2, &mut diags).unwrap();
        (meta, diags)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, Some("title: a\n"));
        assert_eq!(s.body_start, 17);
        let s = split("no front matter\n---\n").unwrap();
        assert!(s.yaml.is_none());
        assert_eq!(split("---\ntitle: a\n").unwrap_err(), ParseError::UnclosedFrontMatter);
    }

    #[test]
    fn oversized_front_matter_is_refused_before_yaml() {
        let text = format!("---\n{}", "a: b\n".repeat(100_000));
        assert!(matches!(split(&text).unwrap_err(), ParseError::FrontMatterTooLarge { .. }));
    }

    #[test]
    fn typed_fields_and_unknown_keys_in_order() {
        let (meta, diags) = read_ok(
            "layout: post.njk\ntitle: \"标题\"\ndate: 2025-08-17 # a comment\ntags:\n- a\n-  b\npeople: []\n\
             source: null\nguest: ''\nExclude: true\nfile_name: x.md\n",
        );
        assert!(diags.is_empty());
        assert_eq!(meta.title, "标题");
        assert_eq!(meta.date.as_deref(), Some("2025-08-17"));
        assert_eq!(meta.tags, ["a", "b"]);
        assert_eq!(meta.source, None);
        assert_eq!(meta.guest, None);
        assert_eq!(meta.exclude, Some(true));
        let keys: Vec<_> = meta.extra.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["layout", "file_name"]);
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let mut diags = Vec::new();
        let err = read("title: a\ntags: [a, b\nsummary: x\n", 2, &mut diags).unwrap_err();
        match err {
            ParseError::Yaml { line, .. } => assert!((3..=5).contains(&line), "line {line}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn odd_values_warn_instead_of_failing() {
        let (meta, diags) = read_ok("title: a\ntags: {x: 1}\ndraft: maybe\n");
        assert!(meta.tags.is_empty());
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].line, 3);
    }
}
