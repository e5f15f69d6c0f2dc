//! An archive's own description, `bitext.toml` at its root: the title and author of the archive as a book,
//! display names for the category, area and tag slugs its front matter uses, in both languages, and the
//! labels its editions go by (a title page says which edition it opens).
//! Without the file a book still reads as finished: a title made from the folder's name, creators from
//! its members, and slugs shown humanized (`ai-application` as "AI Application").
//!
//! ```toml
//! title = "AI 访谈录"
//! title_en = "Conversations on AI"
//! author = "Archive keepers"
//!
//! [category.ai-application]
//! zh = "AI 应用"
//! en = "AI in Practice"
//!
//! [tag.ai-coding]
//! zh = "AI 编程"
//!
//! [labels]
//! bi = "中英对照版"
//! ```
//!
//! This module imports nothing else of the crate but the language tag and the script test.

use crate::ir::Lang;
use crate::script::has_han;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for at an archive's root.
pub const FILE_NAME: &str = "bitext.toml";

/// What `bitext.toml` says. Every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    pub title: Option<String>,
    pub title_en: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    #[serde(default)]
    pub category: BTreeMap<String, Names>,
    #[serde(default)]
    pub area: BTreeMap<String, Names>,
    #[serde(default)]
    pub tag: BTreeMap<String, Names>,
    #[serde(default)]
    pub labels: Labels,
}

/// What each edition is called where a reader sees which one they hold: both languages, Chinese,
/// English. Unset labels read `中英对照`, `中文` and `English`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub bi: Option<String>,
    pub zh: Option<String>,
    pub en: Option<String>,
}

/// A slug's display names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub zh: Option<String>,
    pub en: Option<String>,
}

/// `bitext.toml` that cannot be used: which file, which line, what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}; see the README's \"Archive file\" for the keys")]
    Invalid { path: PathBuf, line: usize, message: String },
}

/// Which slugs a name is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugKind {
    Category,
    Area,
    Tag,
}

impl Archive {
    /// The archive file of `root`, when it has one.
    pub fn load(root: &Path) -> Result<Option<Archive>, ArchiveError> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ArchiveError::Read { path, source }),
        };
        Archive::parse(&text).map(Some).map_err(|(line, message)| ArchiveError::Invalid { path, line, message })
    }

    /// Parse the text of an archive file; on error the 1-based line and what is wrong.
    pub fn parse(text: &str) -> Result<Archive, (usize, String)> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e.span().map_or(1, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            (line, e.message().to_string())
        })
    }

    /// The book's title in `lang`, when the file gives one (English falls back to the main title when it
    /// has no Chinese in it).
    pub fn title(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Zh => self.title.as_deref(),
            Lang::En => self.title_en.as_deref().or(self.title.as_deref().filter(|t| !has_han(t))),
        }
    }

    /// How a slug is shown in `lang`: the file's name for it, else the slug humanized.
    pub fn display(&self, kind: SlugKind, slug: &str, lang: Lang) -> String {
        let table = match kind {
            SlugKind::Category => &self.category,
            SlugKind::Area => &self.area,
            SlugKind::Tag => &self.tag,
        };
        let named = table.get(slug).and_then(|n| match lang {
            Lang::Zh => n.zh.as_deref(),
            Lang::En => n.en.as_deref(),
        });
        named.map_or_else(|| humanized(slug), str::to_string)
    }
}

impl Archive {
    /// What the edition in `lang` is called; `None` is the bilingual edition.
    pub fn label(&self, lang: Option<Lang>) -> &str {
        let l = &self.labels;
        match lang {
            None => l.bi.as_deref().unwrap_or("中英对照"),
            Some(Lang::Zh) => l.zh.as_deref().unwrap_or("中文"),
            Some(Lang::En) => l.en.as_deref().unwrap_or("English"),
        }
    }
}

/// A slug or folder name as words: `ai-application` gives "AI Application", `tech_trends` "Tech Trends";
/// a word of one or two letters is taken for an initialism. Text that is not a slug (Chinese, spaces,
/// capitals already) is returned as it is.
pub fn humanized(slug: &str) -> String {
    let is_slug = slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'));
    if !is_slug || slug.is_empty() {
        return slug.to_string();
    }
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.len() <= 2 && w.chars().all(|c| c.is_ascii_alphabetic()) {
                w.to_ascii_uppercase()
            } else {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_read_as_words() {
        assert_eq!(humanized("ai-application"), "AI Application");
        assert_eq!(humanized("tech_trends"), "Tech Trends");
        assert_eq!(humanized("corpus"), "Corpus");
        assert_eq!(humanized("人工智能"), "人工智能");
        assert_eq!(humanized("Already Named"), "Already Named");
    }

    #[test]
    fn the_file_names_the_book_and_its_slugs() {
        let text = "title = \"AI 访谈录\"\ntitle_en = \"Conversations on AI\"\n\n[category.ai-application]\nzh = \"AI 应用\"\nen = \"AI in Practice\"\n";
        let a = Archive::parse(text).unwrap();
        assert_eq!(a.title(Lang::Zh), Some("AI 访谈录"));
        assert_eq!(a.title(Lang::En), Some("Conversations on AI"));
        assert_eq!(a.display(SlugKind::Category, "ai-application", Lang::Zh), "AI 应用");
        assert_eq!(a.display(SlugKind::Category, "ai-application", Lang::En), "AI in Practice");
        assert_eq!(a.display(SlugKind::Category, "tech-trends", Lang::En), "Tech Trends");
        assert_eq!(a.display(SlugKind::Area, "ml", Lang::Zh), "ML");
    }

    #[test]
    fn tags_and_labels_are_named_where_the_file_names_them() {
        let text = "[tag.ai-coding]\nzh = \"AI 编程\"\n\n[labels]\nbi = \"双语版\"\n";
        let a = Archive::parse(text).unwrap();
        assert_eq!(a.display(SlugKind::Tag, "ai-coding", Lang::Zh), "AI 编程");
        assert_eq!(a.display(SlugKind::Tag, "ai-coding", Lang::En), "AI Coding");
        assert_eq!(a.label(None), "双语版");
        assert_eq!(a.label(Some(Lang::Zh)), "中文");
        assert_eq!(Archive::default().label(Some(Lang::En)), "English");
        let (line, message) = Archive::parse("[labels]\nfr = \"Français\"\n").unwrap_err();
        assert_eq!(line, 2, "{message}");
    }

    #[test]
    fn a_wrong_key_names_its_line() {
        let (line, message) = Archive::parse("title = \"A\"\n\n[category.x]\nzh = \"甲\"\nfr = \"A\"\n").unwrap_err();
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("fr"), "{message}");
        let (line, _) = Archive::parse("title = \n").unwrap_err();
        assert_eq!(line, 1);
    }
}
