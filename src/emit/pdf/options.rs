//! The settings of PDF output beyond the theme: fonts (found and parsed once per run by the caller),
//! paper and layout. Plain data, owned by the PDF back end.

use super::fonts::FontSet;
use crate::theme::Layout;
use std::sync::Arc;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// PDF options beyond the theme.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The fonts, loaded once by the caller. Without them the writer refuses.
    pub fonts: Option<Arc<FontSet>>,
    pub paper: Paper,
    /// Overrides the theme's layout of bilingual documents.
    pub layout: Option<Layout>,
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    A5,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0 * MM, 297.0 * MM),
            Paper::A5 => (148.0 * MM, 210.0 * MM),
            Paper::Letter => (612.0, 792.0),
        }
    }
}
