//! Themes: how books look. A theme is a folder `themes/<name>/` holding `epub.css`; the built-in themes
//! are compiled into the binary, and `--theme DIR` loads a folder of the same shape.
//!
//! Loading a theme from disk is I/O and happens only at the CLI's edge; back ends receive a `Theme` value.

use std::fmt;
use std::path::Path;
use thiserror::Error;

/// A theme, ready to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// The style sheet of EPUB books.
    pub epub_css: String,
}

/// The built-in themes: name, style sheet.
const BUILTIN: &[(&str, &str)] =
    &[("classic", include_str!("../themes/classic/epub.css")), ("modern", include_str!("../themes/modern/epub.css"))];

#[derive(Debug, Error)]
pub enum ThemeError {
    #[error("no theme `{name}`; use one of {known} or a folder holding epub.css")]
    Unknown { name: String, known: String },
    #[error("cannot read theme {path}: {message}")]
    Unreadable { path: String, message: String },
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("classic").expect("the classic theme is built in")
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Theme {
    /// Names of the built-in themes.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(name, _)| *name)
    }

    pub fn builtin(name: &str) -> Option<Theme> {
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, css)| Theme { name: n.to_string(), epub_css: css.to_string() })
    }

    /// A built-in theme by name, or a theme folder (anything containing a path separator or that exists
    /// as a folder).
    pub fn load(name_or_dir: &str) -> Result<Theme, ThemeError> {
        if let Some(theme) = Theme::builtin(name_or_dir) {
            return Ok(theme);
        }
        let dir = Path::new(name_or_dir);
        if !dir.is_dir() {
            let known = Theme::builtin_names().collect::<Vec<_>>().join(", ");
            return Err(ThemeError::Unknown { name: name_or_dir.to_string(), known });
        }
        let css_path = dir.join("epub.css");
        let epub_css = std::fs::read_to_string(&css_path)
            .map_err(|e| ThemeError::Unreadable { path: css_path.display().to_string(), message: e.to_string() })?;
        let name = dir.file_name().map_or_else(|| name_or_dir.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Theme { name, epub_css })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_load_by_name() {
        assert!(Theme::builtin_names().count() >= 2);
        for name in Theme::builtin_names() {
            let theme = Theme::load(name).unwrap();
            assert!(theme.epub_css.contains("line-break: strict"), "{name}");
            assert!(theme.epub_css.contains("text-indent: 2em"), "{name}");
        }
    }

    #[test]
    fn a_folder_is_a_theme() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("epub.css"), "body { color: red; }").unwrap();
        let theme = Theme::load(dir.path().to_str().unwrap()).unwrap();
        assert_eq!(theme.epub_css, "body { color: red; }");
        assert!(matches!(Theme::load("no-such-theme"), Err(ThemeError::Unknown { .. })));
    }
}
