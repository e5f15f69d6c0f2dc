//! Fonts for PDF: found on the system (fontdb) or named by path, parsed once per process and shared by
//! every thread, measured through ttf-parser.
//!
//! Finding and reading fonts is I/O: the CLI does it once, through `FontSet::load`, and hands the set to
//! the writer inside `WriteOptions`. A character missing from a face falls back to the other faces of the
//! set before it would ever show as an empty box; what no face has is reported.

use crate::theme::FontFamilies;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// Which face a piece of text asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Chinese body text (a serif, Song/Ming style, where one is installed).
    ZhBody,
    /// Chinese headings and bold (a sans, Hei style, where one is installed).
    ZhHeading,
    /// English body text (a real Latin face).
    EnBody,
    /// English bold: speakers, headings.
    EnBold,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::ZhBody, Role::ZhHeading, Role::EnBody, Role::EnBold];

    /// The PDF resource name, fixed so that output does not depend on anything but the input. Its first
    /// six letters are the subset tag.
    pub fn resource_name(self) -> &'static str {
        match self {
            Role::ZhBody => "BTZHBD",
            Role::ZhHeading => "BTZHHD",
            Role::EnBody => "BTENBD",
            Role::EnBold => "BTENBL",
        }
    }
}

/// A font file and face index: `PATH[:INDEX]` on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontSpec {
    pub path: PathBuf,
    pub index: u32,
}

/// A `PATH:INDEX` whose index does not fit a face index.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("face index `{0}` is too large; a collection numbers its faces from 0")]
pub struct FaceIndexTooLarge(pub String);

impl std::str::FromStr for FontSpec {
    type Err = FaceIndexTooLarge;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.rsplit_once(':') {
            Some((path, index))
                if !path.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) && !index.is_empty() =>
            {
                let index = index.parse().map_err(|_| FaceIndexTooLarge(index.to_string()))?;
                Ok(FontSpec { path: PathBuf::from(path), index })
            }
            _ => Ok(FontSpec { path: PathBuf::from(s), index: 0 }),
        }
    }
}

#[derive(Debug, Error)]
pub enum FontError {
    #[error(
        "no Chinese font found (tried {tried}); install one (Debian: apt-get install fonts-noto-cjk) or pass --font-zh PATH[:INDEX]"
    )]
    NoChinese { tried: String },
    #[error("no Latin font found (tried {tried}); install one (Debian: apt-get install fonts-dejavu-core) or pass --font-en PATH[:INDEX]")]
    NoLatin { tried: String },
    #[error("cannot read font {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("{path} has no face {index} (it has {count}); give PATH:INDEX with a smaller index")]
    NoSuchFace { path: String, index: u32, count: u32 },
    #[error("{path}:{index} is not a font bitext can use: {message}")]
    Unusable { path: String, index: u32, message: String },
}

// The file is mapped, not read: a CJK collection is 20-30 MB, of which a document needs the table
// directory, `cmap`, `hmtx` and the outlines of a few hundred glyphs. ttf-parser reads tables where
// they lie, on demand; the subsetter reads outlines only when the file is written.
self_cell::self_cell!(
    struct Mapped {
        owner: memmap2::Mmap,
        #[covariant]
        dependent: TtfFace,
    }
);

type TtfFace<'a> = ttf_parser::Face<'a>;

/// One face: a font file mapped into memory and its table directory, measured through ttf-parser and
/// subset for embedding (`file`). Shared by every document and thread of a run through `Arc`, and
/// unmapped with the `FontSet`.
pub struct Face {
    /// Where it came from, `path:index`, for reports.
    pub source: String,
    /// The face's index in its collection.
    pub(crate) index: u32,
    mapped: Mapped,
    units_per_em: f32,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("source", &self.source).finish()
    }
}

impl Face {
    fn load(path: &Path, index: u32) -> Result<Face, FontError> {
        let display = path.display().to_string();
        let unreadable = |e: std::io::Error| FontError::Unreadable { path: display.clone(), message: e.to_string() };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        // SAFETY: the map is read-only and lives as long as the face. Should another process truncate
        // the font file while bitext runs, reading it could fault; every program that maps fonts
        // (fontdb, typst, browsers) takes the same risk for the same gain.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(unreadable)?;
        let count = ttf_parser::fonts_in_collection(&map).unwrap_or(1);
        if index >= count {
            return Err(FontError::NoSuchFace { path: display, index, count });
        }
        let mapped = Mapped::try_new(map, |data| ttf_parser::Face::parse(data, index))
            .map_err(|e| FontError::Unusable { path: display.clone(), index, message: e.to_string() })?;
        let units_per_em = f32::from(mapped.borrow_dependent().units_per_em().max(1));
        Ok(Face { source: format!("{display}:{index}"), index, mapped, units_per_em })
    }

    /// The parsed face, for the PDF file's font dictionaries.
    pub(crate) fn ttf(&self) -> &ttf_parser::Face<'_> {
        self.mapped.borrow_dependent()
    }

    /// The whole font file (a collection holds several faces), for subsetting.
    pub(crate) fn file_data(&self) -> &[u8] {
        self.mapped.borrow_owner()
    }

    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    pub fn has(&self, c: char) -> bool {
        self.ttf().glyph_index(c).is_some()
    }

    /// The glyph that draws `c`, 0 (`.notdef`) when the face has none.
    pub fn glyph_id(&self, c: char) -> u16 {
        self.ttf().glyph_index(c).map_or(0, |g| g.0)
    }

    /// Advance width of glyph `gid` in font units.
    pub(crate) fn glyph_advance(&self, gid: u16) -> u16 {
        self.ttf().glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0)
    }

    /// Advance width of `c` in em, when the face has it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let face = self.ttf();
        let gid = face.glyph_index(c)?;
        Some(f32::from(face.glyph_hor_advance(gid).unwrap_or(0)) / self.units_per_em)
    }
}

/// The faces of one PDF job.
#[derive(Debug, Clone)]
pub struct FontSet {
    faces: [Arc<Face>; 4],
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct FontRequest {
    pub families: FontFamilies,
    pub zh: Option<FontSpec>,
    pub en: Option<FontSpec>,
}

impl FontSet {
    /// Find and parse the faces: explicit paths first, else the first installed family of each list.
    pub fn load(request: &FontRequest) -> Result<FontSet, FontError> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let families = &request.families;
        let find = |names: &[String], weight: fontdb::Weight| -> Option<(PathBuf, u32)> {
            names.iter().find_map(|name| {
                let query = fontdb::Query { families: &[fontdb::Family::Name(name)], weight, ..Default::default() };
                let id = db.query(&query)?;
                let (source, index) = db.face_source(id)?;
                match source {
                    fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some((path, index)),
                    fontdb::Source::Binary(_) => None,
                }
            })
        };
        let mut cache: HashMap<(PathBuf, u32), Arc<Face>> = HashMap::new();
        let mut open = |path: PathBuf, index: u32| -> Result<Arc<Face>, FontError> {
            if let Some(face) = cache.get(&(path.clone(), index)) {
                return Ok(face.clone());
            }
            let face = Arc::new(Face::load(&path, index)?);
            cache.insert((path, index), face.clone());
            Ok(face)
        };
        let tried = |names: &[String]| names.join(", ");
        // A role's face: the file given on the command line, else the first installed family of its list.
        let mut body = |spec: &Option<FontSpec>, names: &[String], missing: fn(String) -> FontError| match spec {
            Some(spec) => open(spec.path.clone(), spec.index),
            None => {
                let (p, i) = find(names, fontdb::Weight::NORMAL).ok_or_else(|| missing(tried(names)))?;
                open(p, i)
            }
        };
        let zh_body = body(&request.zh, &families.zh_body, |tried| FontError::NoChinese { tried })?;
        let en_body = body(&request.en, &families.en_body, |tried| FontError::NoLatin { tried })?;
        // Bold faces only when the regular one was found by family, not given as a file.
        let zh_heading = match (&request.zh, find(&families.zh_heading, fontdb::Weight::BOLD)) {
            (None, Some((p, i))) => open(p, i)?,
            _ => zh_body.clone(),
        };
        let en_bold = match (&request.en, find(&families.en_body, fontdb::Weight::BOLD)) {
            (None, Some((p, i))) => open(p, i)?,
            _ => en_body.clone(),
        };
        for (face, what) in [(&zh_body, '中'), (&en_body, 'a')] {
            if !face.has(what) {
                return Err(if what == 'a' {
                    FontError::NoLatin { tried: face.source.clone() }
                } else {
                    FontError::NoChinese { tried: face.source.clone() }
                });
            }
        }
        Ok(FontSet { faces: [zh_body, zh_heading, en_body, en_bold] })
    }

    pub fn face(&self, role: Role) -> &Arc<Face> {
        &self.faces[role as usize]
    }

    /// The face that draws `c` for `role`: the role's own face when it has the character, else the first
    /// other face that does, else `None`.
    pub fn resolve(&self, role: Role, c: char) -> Option<Role> {
        if self.face(role).has(c) {
            return Some(role);
        }
        let order: &[Role] = match role {
            Role::ZhBody | Role::ZhHeading => &[Role::ZhBody, Role::ZhHeading, Role::EnBody, Role::EnBold],
            Role::EnBody | Role::EnBold => &[Role::EnBody, Role::EnBold, Role::ZhBody, Role::ZhHeading],
        };
        order.iter().copied().find(|&r| self.face(r).has(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_specs_take_an_optional_index() {
        assert_eq!("/a/b.ttc:2".parse::<FontSpec>().unwrap(), FontSpec { path: "/a/b.ttc".into(), index: 2 });
        assert_eq!("/a/b.ttf".parse::<FontSpec>().unwrap(), FontSpec { path: "/a/b.ttf".into(), index: 0 });
    }
}
