//! The settings of subtitle output: timing and line lengths, and a caption track to align to. Plain
//! data, owned by the subtitle back end.

use std::sync::Arc;

/// Subtitle settings.
#[derive(Debug, Clone)]
pub struct SubtitleOptions {
    /// Speaking rate for estimated timing, in English words per minute.
    pub wpm: f32,
    /// Length of the video in seconds; overrides a `duration` key in the front matter.
    pub duration: Option<f32>,
    /// A timed English caption track of the same video to align to.
    pub captions: Option<Arc<Captions>>,
    pub crlf: bool,
    pub bom: bool,
    /// Characters per line.
    pub zh_line: usize,
    pub en_line: usize,
}

impl Default for SubtitleOptions {
    fn default() -> Self {
        SubtitleOptions {
            wpm: 160.0,
            duration: None,
            captions: None,
            crlf: false,
            bom: false,
            zh_line: 16,
            en_line: 42,
        }
    }
}

/// A caption track, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Captions {
    /// Where it came from, for messages (`captions.vtt`).
    pub name: String,
    pub words: Vec<CaptionWord>,
}

/// A timed word of a caption track.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptionWord {
    pub word: String,
    pub start: f32,
    pub end: f32,
}
