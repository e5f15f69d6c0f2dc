//! Themes: how books look. A built-in theme is a folder `themes/<name>/` holding `epub.css` and
//! `pdf.yaml`, compiled into the binary; `--theme DIR` loads a folder that holds any of those files, and
//! `theme.yaml` to name the built-in theme that fills in the rest.
//!
//! Loading a theme from disk is I/O and happens only at the CLI's edge; back ends receive a `Theme` value.
//! This module depends on nothing else in the crate: a theme is plain settings (style sheet, sizes,
//! colours, font family names), and each back end reads the part it needs.

use std::fmt;
use std::path::Path;
use thiserror::Error;

/// A theme, ready to use.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    /// The style sheet of EPUB books.
    pub epub_css: String,
    /// The style sheet of the archive's website (`bitext site`).
    pub site_css: String,
    /// How PDFs are set.
    pub pdf: PdfStyle,
    /// How ASS subtitles look.
    pub subtitles: SubtitleStyle,
}

/// A built-in theme: its name and files.
struct Builtin {
    name: &'static str,
    epub_css: &'static str,
    site_css: &'static str,
    pdf: &'static str,
    subtitles: &'static str,
}

const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "classic",
        epub_css: include_str!("../themes/classic/epub.css"),
        site_css: include_str!("../themes/classic/site.css"),
        pdf: include_str!("../themes/classic/pdf.yaml"),
        subtitles: include_str!("../themes/classic/subtitles.yaml"),
    },
    Builtin {
        name: "modern",
        epub_css: include_str!("../themes/modern/epub.css"),
        site_css: include_str!("../themes/modern/site.css"),
        pdf: include_str!("../themes/modern/pdf.yaml"),
        subtitles: include_str!("../themes/modern/subtitles.yaml"),
    },
];

/// ASS subtitle styles of a theme (`subtitles.yaml`): sizes and margins in pixels at the play resolution,
/// colours `#rrggbb`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubtitleStyle {
    pub play_res_x: u32,
    pub play_res_y: u32,
    pub zh: SubtitleFont,
    pub en: SubtitleFont,
    pub outline_colour: String,
    pub outline: f32,
    pub shadow: f32,
    /// Distance of the text from the bottom edge.
    pub margin_v: u32,
    /// Distance of the text from the left and right edges.
    pub margin_h: u32,
}

/// The look of one language's subtitle lines.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubtitleFont {
    pub font: String,
    pub size: u32,
    pub colour: String,
    #[serde(default)]
    pub bold: bool,
}

impl SubtitleStyle {
    fn parse(yaml: &str, origin: &str) -> Result<SubtitleStyle, ThemeError> {
        let style: SubtitleStyle = serde_yaml::from_str(yaml)
            .map_err(|e| ThemeError::Unreadable { path: origin.to_string(), message: e.to_string() })?;
        let bad = |message: String| Err(ThemeError::Unreadable { path: origin.into(), message });
        for c in [&style.zh.colour, &style.en.colour, &style.outline_colour] {
            if parse_colour(c).is_none() {
                return bad(format!("colour `{c}` is not #rrggbb"));
            }
        }
        for (key, font) in [("zh", &style.zh), ("en", &style.en)] {
            if font.font.trim().is_empty() || font.font.contains([',', '{', '}', '\\', '\n']) {
                return bad(format!("{key}.font `{}` must be a font family name without , {{ }} or \\", font.font));
            }
            if font.size == 0 || font.size > style.play_res_y {
                return bad(format!("{key}.size {} must be between 1 and play_res_y", font.size));
            }
        }
        if style.play_res_x == 0 || style.play_res_y == 0 {
            return bad("play_res_x and play_res_y must be above 0".into());
        }
        if !(0.0..=64.0).contains(&style.outline) || !(0.0..=64.0).contains(&style.shadow) {
            return bad("outline and shadow must be between 0 and 64 pixels".into());
        }
        Ok(style)
    }
}

/// PDF settings of a theme (`pdf.yaml`): sizes in points, margins in millimetres, colours `#rrggbb`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PdfStyle {
    pub fonts: FontFamilies,
    pub body_zh: f32,
    pub body_en: f32,
    pub heading: f32,
    pub title: f32,
    pub small: f32,
    /// Line height as a multiple of the font size.
    pub leading: f32,
    pub paragraph_gap: f32,
    pub segment_gap: f32,
    pub margins_mm: Margins,
    pub colours: Colours,
    pub layout: Layout,
    pub english_align: Align,
    pub glossary: GlossaryStyle,
    /// Width of full-width punctuation next to other punctuation and at line edges.
    pub punctuation: Punctuation,
}

/// Family names to try, in order, for each role.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FontFamilies {
    pub zh_body: Vec<String>,
    pub zh_heading: Vec<String>,
    pub en_body: Vec<String>,
}

impl Default for FontFamilies {
    fn default() -> Self {
        let v = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        FontFamilies {
            zh_body: v(&[
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "Noto Serif SC",
                "Songti SC",
                "STSong",
                "SimSun",
                "AR PL UMing CN",
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei",
                "Droid Sans Fallback",
                "PingFang SC",
                "Microsoft YaHei",
            ]),
            zh_heading: v(&[
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "PingFang SC",
                "Microsoft YaHei",
                "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei",
                "Droid Sans Fallback",
            ]),
            en_body: v(&[
                "Noto Serif",
                "Source Serif Pro",
                "DejaVu Serif",
                "Liberation Serif",
                "Georgia",
                "Times New Roman",
                "Noto Sans",
                "DejaVu Sans",
                "Liberation Sans",
            ]),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub inner: f32,
    pub outer: f32,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    pub text: String,
    pub english: String,
    pub heading: String,
    pub speaker: String,
    pub muted: String,
}

/// How the two languages of a bilingual PDF sit on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Each Chinese passage, then its English below.
    Interleaved,
    /// Chinese and English side by side, each segment starting on the same line in both columns.
    Parallel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Ragged,
    Justified,
}

/// How full-width Chinese punctuation is set (clreq 3.1.6, "punctuation adjustment").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Punctuation {
    /// Adjacent marks give up their blank halves (`。”` and `，“` take one and a half ems), an opening
    /// mark that starts a line sits flush with the margin, and a closing mark may give up its blank half
    /// when a line is tight.
    Compressed,
    /// Every mark keeps its full em.
    Full,
}

/// How glossary annotations appear in a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlossaryStyle {
    /// As in the source: the term, then its name and gloss in parentheses.
    Inline,
    /// The term with a note number; the name and gloss at the foot of the page.
    Footnotes,
}

impl Default for PdfStyle {
    fn default() -> Self {
        PdfStyle {
            fonts: Default::default(),
            body_zh: 10.5,
            body_en: 9.5,
            heading: 14.0,
            title: 21.0,
            small: 7.5,
            leading: 1.75,
            paragraph_gap: 3.0,
            segment_gap: 7.0,
            margins_mm: Margins { top: 20.0, bottom: 20.0, inner: 18.0, outer: 16.0 },
            colours: Colours {
                text: "#1a1a1a".into(),
                english: "#4a4a4a".into(),
                heading: "#1a1a1a".into(),
                speaker: "#000000".into(),
                muted: "#808080".into(),
            },
            layout: Layout::Interleaved,
            english_align: Align::Ragged,
            glossary: GlossaryStyle::Inline,
            punctuation: Punctuation::Compressed,
        }
    }
}

impl PdfStyle {
    fn parse(yaml: &str, origin: &str) -> Result<PdfStyle, ThemeError> {
        let style: PdfStyle = serde_yaml::from_str(yaml)
            .map_err(|e| ThemeError::Unreadable { path: origin.to_string(), message: e.to_string() })?;
        for c in [
            &style.colours.text,
            &style.colours.english,
            &style.colours.heading,
            &style.colours.speaker,
            &style.colours.muted,
        ] {
            if parse_colour(c).is_none() {
                return Err(ThemeError::Unreadable {
                    path: origin.into(),
                    message: format!("colour `{c}` is not #rrggbb"),
                });
            }
        }
        Ok(style)
    }
}

/// `#rrggbb` to RGB in 0..=1.
pub fn parse_colour(hex: &str) -> Option<[f32; 3]> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok().map(|x| f32::from(x) / 255.0);
    Some([v(0)?, v(2)?, v(4)?])
}

#[derive(Debug, Error)]
pub enum ThemeError {
    #[error("no theme `{name}`; use one of {known} or a folder holding epub.css")]
    Unknown { name: String, known: String },
    #[error("cannot read theme {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error(
        "theme folder {path} holds none of theme.yaml, epub.css, site.css, pdf.yaml, subtitles.yaml; add at least one"
    )]
    Empty { path: String },
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("classic").expect("the classic theme is built in and valid")
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
        BUILTIN.iter().map(|b| b.name)
    }

    pub fn builtin(name: &str) -> Option<Theme> {
        let b = BUILTIN.iter().find(|b| b.name == name)?;
        let origin = format!("built-in theme {name}");
        let pdf = PdfStyle::parse(b.pdf, &origin).ok()?;
        let subtitles = SubtitleStyle::parse(b.subtitles, &origin).ok()?;
        Some(Theme {
            name: b.name.to_string(),
            epub_css: b.epub_css.to_string(),
            site_css: b.site_css.to_string(),
            pdf,
            subtitles,
        })
    }

    /// A built-in theme by name, or a theme folder. A folder holds any of `theme.yaml` (`base: NAME`, the
    /// built-in theme it starts from, `classic` when not said), `epub.css` (replaces the base's style
    /// sheet), `pdf.yaml` and `subtitles.yaml` (any of the PDF or ASS settings; the rest are the base's).
    /// A folder with none of them, or a file that cannot be read, is an error naming the file.
    pub fn load(name_or_dir: &str) -> Result<Theme, ThemeError> {
        if let Some(theme) = Theme::builtin(name_or_dir) {
            return Ok(theme);
        }
        let dir = Path::new(name_or_dir);
        let known = || Theme::builtin_names().collect::<Vec<_>>().join(", ");
        if !dir.is_dir() {
            return Err(ThemeError::Unknown { name: name_or_dir.to_string(), known: known() });
        }
        let read = |file: &str| -> Result<Option<(String, String)>, ThemeError> {
            let path = dir.join(file);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some((text, path.display().to_string()))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(ThemeError::Unreadable { path: path.display().to_string(), message: e.to_string() }),
            }
        };
        let (settings, css, pdf) = (read("theme.yaml")?, read("epub.css")?, read("pdf.yaml")?);
        let (subtitles, site) = (read("subtitles.yaml")?, read("site.css")?);
        if settings.is_none() && css.is_none() && pdf.is_none() && subtitles.is_none() && site.is_none() {
            return Err(ThemeError::Empty { path: dir.display().to_string() });
        }
        let base_name = match &settings {
            Some((yaml, path)) => {
                let settings: ThemeSettings = serde_yaml::from_str(yaml)
                    .map_err(|e| ThemeError::Unreadable { path: path.clone(), message: e.to_string() })?;
                settings.base
            }
            None => "classic".to_string(),
        };
        let base = BUILTIN
            .iter()
            .find(|b| b.name == base_name)
            .ok_or_else(|| ThemeError::Unknown { name: base_name.clone(), known: known() })?;
        let builtin = format!("built-in theme {base_name}");
        let pdf = match pdf {
            Some((yaml, path)) => PdfStyle::parse(&overlay(base.pdf, &yaml, &path)?, &path)?,
            None => PdfStyle::parse(base.pdf, &builtin)?,
        };
        let subtitles = match subtitles {
            Some((yaml, path)) => SubtitleStyle::parse(&overlay(base.subtitles, &yaml, &path)?, &path)?,
            None => SubtitleStyle::parse(base.subtitles, &builtin)?,
        };
        let epub_css = css.map_or_else(|| base.epub_css.to_string(), |(css, _)| css);
        let site_css = site.map_or_else(|| base.site_css.to_string(), |(css, _)| css);
        let name = dir.file_name().map_or_else(|| name_or_dir.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Theme { name, epub_css, site_css, pdf, subtitles })
    }
}

/// `theme.yaml` of a theme folder.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeSettings {
    /// The built-in theme whose files and settings fill in what the folder leaves out.
    #[serde(default = "classic")]
    base: String,
}

fn classic() -> String {
    "classic".to_string()
}

/// `base` YAML with `over`'s keys laid on it, mappings merged key by key, as YAML text.
fn overlay(base: &str, over: &str, origin: &str) -> Result<String, ThemeError> {
    fn merge(base: &mut serde_yaml::Value, over: serde_yaml::Value) {
        match (base, over) {
            (serde_yaml::Value::Mapping(b), serde_yaml::Value::Mapping(o)) => {
                for (k, v) in o {
                    match b.get_mut(&k) {
                        Some(slot) => merge(slot, v),
                        None => {
                            b.insert(k, v);
                        }
                    }
                }
            }
            (slot, v) => *slot = v,
        }
    }
    let unreadable = |e: serde_yaml::Error| ThemeError::Unreadable { path: origin.to_string(), message: e.to_string() };
    let mut merged: serde_yaml::Value = serde_yaml::from_str(base).map_err(unreadable)?;
    let over: serde_yaml::Value = serde_yaml::from_str(over).map_err(unreadable)?;
    if !over.is_null() {
        merge(&mut merged, over);
    }
    serde_yaml::to_string(&merged).map_err(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_load_by_name() {
        assert!(Theme::builtin_names().count() >= 2);
        for name in Theme::builtin_names() {
            let theme = Theme::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(theme.pdf.body_zh > 5.0);
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
        assert_eq!(theme.pdf, Theme::default().pdf);
        std::fs::write(dir.path().join("pdf.yaml"), "leading: 2\ncolours: { text: red }\n").unwrap();
        assert!(Theme::load(dir.path().to_str().unwrap()).is_err());
        assert!(matches!(Theme::load("no-such-theme"), Err(ThemeError::Unknown { .. })));
    }

    #[test]
    fn a_folder_takes_what_it_lacks_from_the_theme_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap();
        assert!(matches!(Theme::load(path), Err(ThemeError::Empty { .. })));
        std::fs::write(dir.path().join("theme.yaml"), "base: modern\n").unwrap();
        std::fs::write(dir.path().join("pdf.yaml"), "leading: 2\ncolours: { heading: '#204060' }\n").unwrap();
        let theme = Theme::load(path).unwrap();
        let modern = Theme::builtin("modern").unwrap();
        assert_eq!(theme.epub_css, modern.epub_css);
        assert_eq!(theme.pdf.leading, 2.0);
        assert_eq!(theme.pdf.colours.heading, "#204060");
        assert_eq!(theme.pdf.colours.text, modern.pdf.colours.text);
        assert_eq!(theme.pdf.glossary, modern.pdf.glossary);
        std::fs::write(dir.path().join("theme.yaml"), "base: gothic\n").unwrap();
        assert!(matches!(Theme::load(path), Err(ThemeError::Unknown { .. })));
    }

    #[test]
    fn subtitle_styles_overlay_the_base_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap();
        std::fs::write(dir.path().join("subtitles.yaml"), "en: { colour: '#ffcc00' }\nmargin_v: 80\n").unwrap();
        let theme = Theme::load(path).unwrap();
        let classic = Theme::builtin("classic").unwrap();
        assert_eq!(theme.subtitles.en.colour, "#ffcc00");
        assert_eq!(theme.subtitles.en.font, classic.subtitles.en.font);
        assert_eq!(theme.subtitles.margin_v, 80);
        assert_eq!(theme.subtitles.zh, classic.subtitles.zh);
        assert_eq!(theme.pdf, classic.pdf);
        for wrong in ["zh: { colour: white }", "en: { font: 'A, B' }", "zh: { size: 0 }", "outline: -1", "extra: 1"] {
            std::fs::write(dir.path().join("subtitles.yaml"), wrong).unwrap();
            let err = Theme::load(path).expect_err(wrong).to_string();
            assert!(err.contains("subtitles.yaml"), "{wrong}: {err}");
        }
    }
}
