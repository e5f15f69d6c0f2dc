//! Subtitles: SRT and WebVTT in Chinese, English or both, cut where a subtitler would cut and timed to the
//! usual rules (5/6 s to 7 s on screen, two frames between cues, at most 20 characters a second of English
//! and 9 of Chinese).
//!
//! Times come from the English that was spoken (estimated at a speaking rate), from the transcript's
//! `[hh:mm:ss]` anchors, from the video's length, or from a real caption track aligned word by word; the
//! file's NOTE (VTT) says which. Cues that cannot meet the reading-speed rule are reported with their line.

mod cues;
mod timing;

pub use timing::{read_captions, CaptionWord};

use super::{EmitError, WriteOptions, Writer, Written};
use crate::diag::Diagnostic;
use crate::ir::{is_han, Block, Document, Lang};
use crate::select::View;
use cues::{cue_texts, len, lines, CueText, Limits, Voice};
use std::fmt::Write as _;
use std::sync::Arc;
use timing::{apply_rules, estimate, normalised_words, pin, scale, Unit};

/// Subtitle settings.
#[derive(Debug, Clone)]
pub struct SubtitleOptions {
    /// Speaking rate for estimated timing, in English words per minute.
    pub wpm: f32,
    /// Length of the video in seconds; overrides a `duration` key in the front matter.
    pub duration: Option<f32>,
    /// A timed English caption track of the same video to align to.
    pub captions: Option<Arc<Vec<CaptionWord>>>,
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

const MIN_DURATION: f32 = 5.0 / 6.0;
const MAX_DURATION: f32 = 7.0;
/// Two frames at 24 frames a second.
const GAP: f32 = 0.084;
const MAX_CPS_EN: f32 = 20.0;
const MAX_CPS_ZH: f32 = 9.0;
const CHINESE_CHARS_PER_SECOND: f32 = 4.5;

/// A subtitle writer: one type, one instance per file format.
pub struct Subtitles {
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Srt,
    Vtt,
}

/// The `srt` writer.
pub static SRT: Subtitles = Subtitles { format: Format::Srt };
/// The `vtt` writer.
pub static VTT: Subtitles = Subtitles { format: Format::Vtt };

impl Writer for Subtitles {
    fn name(&self) -> &'static str {
        match self.format {
            Format::Srt => "srt",
            Format::Vtt => "vtt",
        }
    }
    fn extension(&self) -> &'static str {
        self.name()
    }
    fn description(&self) -> &'static str {
        match self.format {
            Format::Srt => "SubRip subtitles: Chinese, English, or both in one cue (--wpm, --duration, --align)",
            Format::Vtt => "WebVTT subtitles: Chinese, English, or both in one cue (--wpm, --duration, --align)",
        }
    }
    fn needs_both_languages(&self) -> bool {
        true
    }
    fn write(&self, doc: &Document, view: View, options: &WriteOptions) -> Result<Written, EmitError> {
        let track = build(doc, view, &options.subtitles);
        let text = match self.format {
            Format::Srt => srt(&track),
            Format::Vtt => vtt(&track),
        };
        Ok(Written { bytes: finish(text, &options.subtitles), diagnostics: track.diagnostics })
    }
}

fn finish(text: String, options: &SubtitleOptions) -> Vec<u8> {
    let text = if options.crlf { text.replace('\n', "\r\n") } else { text };
    let mut out = Vec::with_capacity(text.len() + 3);
    if options.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    out.extend_from_slice(text.as_bytes());
    out
}

/// How the times were found.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Timing {
    Estimated,
    Scaled,
    Anchored,
    Aligned,
}

/// A timed cue.
#[derive(Debug, Clone)]
struct Cue {
    start: f32,
    end: f32,
    text: CueText,
}

struct Track {
    cues: Vec<Cue>,
    timing: Timing,
    view: View,
    wpm: f32,
    limits: Limits,
    diagnostics: Vec<Diagnostic>,
}

/// Cut and time a document's cues.
fn build(doc: &Document, view: View, options: &SubtitleOptions) -> Track {
    let limits = Limits {
        zh_line: options.zh_line.max(4),
        en_line: options.en_line.max(10),
        zh: view != View::En,
        en: view != View::Zh,
    };
    // Cut, and lay out the timeline: one unit per English word, or per Chinese character where a segment
    // has no English.
    let mut texts: Vec<(CueText, std::ops::Range<usize>, u32)> = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut anchors: Vec<(usize, f32)> = Vec::new();
    let word_time = 60.0 / options.wpm.max(40.0);
    for block in doc.blocks() {
        let (cue_list, timestamp, line, has_en) = match block {
            Block::Segment(s) => {
                let shown_zh = if view == View::En { &[][..] } else { &s.zh[..] };
                let shown_en = &s.en[..];
                (cue_texts(shown_zh, shown_en, limits), s.timestamp, s.lines.start, !s.en.is_empty())
            }
            Block::StageDirection { text, lines } => {
                let zh = text.chars().any(is_han);
                if (zh && view == View::En) || (!zh && view == View::Zh) {
                    continue;
                }
                let t = if zh {
                    CueText { zh: text.clone(), ..Default::default() }
                } else {
                    CueText { en: text.clone(), ..Default::default() }
                };
                (vec![t], None, lines.start, !zh)
            }
            _ => continue,
        };
        if let Some(t) = timestamp {
            anchors.push((units.len(), t as f32));
        }
        for mut cue in cue_list {
            let start = units.len();
            if has_en {
                for w in cue.en.split_whitespace() {
                    units.push(Unit { estimate: word_time });
                    words.push(normalised_words(w).concat());
                }
            } else {
                for _ in cue.zh.chars().filter(|&c| is_han(c)) {
                    units.push(Unit { estimate: 1.0 / CHINESE_CHARS_PER_SECOND });
                    words.push(String::new());
                }
            }
            if units.len() == start {
                units.push(Unit { estimate: MIN_DURATION });
                words.push(String::new());
            }
            // An estimate leaves readers the time the reading-speed rule asks for: the Chinese of a cue can
            // be longer than the English it was cut with.
            let shown_zh = if view == View::En { 0 } else { cue.zh.chars().count() };
            let shown_en = if view == View::Zh { 0 } else { len(&cue.en) };
            let need = (shown_zh as f32 / MAX_CPS_ZH).max(shown_en as f32 / MAX_CPS_EN).max(MIN_DURATION) + GAP + 0.05;
            let have: f32 = units[start..].iter().map(|u| u.estimate).sum();
            if need > have {
                if let Some(last) = units.last_mut() {
                    last.estimate += need - have;
                }
            }
            if view == View::Zh {
                cue.en.clear();
                cue.speaker_en = None;
            }
            if view == View::En {
                cue.zh.clear();
                cue.speaker_zh = None;
            }
            texts.push((cue, start..units.len(), line));
        }
    }
    let estimated = estimate(&units);
    let duration = options.duration.or_else(|| doc.meta.duration.as_deref().and_then(parse_duration));
    let (times, timing) = match (&options.captions, anchors.is_empty(), duration) {
        (Some(captions), _, _) => {
            let caption_words: Vec<String> = captions.iter().map(|c| c.word.clone()).collect();
            let matched = timing::align(&words, &caption_words);
            let pins: Vec<(usize, f32)> =
                matched.iter().enumerate().filter_map(|(i, m)| m.map(|j| (i, captions[j].start))).collect();
            let mut pins = pins;
            if let (Some(&(last_i, _)), Some(last_cap)) = (pins.last(), matched.iter().rev().flatten().next()) {
                pins.push((last_i + 1, captions[*last_cap].end));
            }
            // Matched words take the caption's times; the rest are interpolated between them.
            (pin(&estimated, &pins), Timing::Aligned)
        }
        (None, false, Some(d)) => {
            let mut pins = anchors.clone();
            pins.push((units.len(), d));
            (pin(&estimated, &pins), Timing::Anchored)
        }
        (None, false, None) => (pin(&estimated, &anchors), Timing::Anchored),
        (None, true, Some(d)) => (scale(&estimated, d), Timing::Scaled),
        (None, true, None) => (estimated, Timing::Estimated),
    };
    let spans: Vec<std::ops::Range<f32>> = texts.iter().map(|(_, r, _)| times[r.start]..times[r.end]).collect();
    let ruled = apply_rules(&spans, MIN_DURATION, MAX_DURATION, GAP);
    let mut diagnostics = Vec::new();
    let mut warned_lines: Vec<u32> = Vec::new();
    let mut cues = Vec::with_capacity(texts.len());
    for ((text, _, line), (start, end)) in texts.into_iter().zip(ruled) {
        let seconds = (end - start).max(0.001);
        let too_fast =
            (len(&text.en) as f32 / seconds > MAX_CPS_EN) || (text.zh.chars().count() as f32 / seconds > MAX_CPS_ZH);
        if too_fast && !warned_lines.contains(&line) {
            warned_lines.push(line);
            diagnostics.push(Diagnostic::warning(
                line,
                "subtitle reads faster than 20 characters a second (English) or 9 (Chinese); give the real length with --duration or a caption track with --align",
            ));
        }
        cues.push(Cue { start, end, text });
    }
    Track { cues, timing, view, wpm: options.wpm, limits, diagnostics }
}

/// `HH:MM:SS`, `MM:SS` or seconds.
pub fn parse_duration(s: &str) -> Option<f32> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<f32>() {
        return (secs > 0.0).then_some(secs);
    }
    timing::parse_time(s).filter(|d| *d > 0.0)
}

fn clock(seconds: f32, separator: char) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!("{:02}:{:02}:{:02}{separator}{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// The visible lines of a cue, Chinese above English; `voice` renders a change of speaker (a `<v …>` tag
/// or a visible dash), `escape` makes line text safe for the format after the lines are measured.
fn cue_lines(
    text: &CueText,
    limits: &Limits,
    voice: &dyn Fn(&Voice, Lang) -> String,
    escape: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    for (body, speaker, lang, max) in
        [(&text.zh, &text.speaker_zh, Lang::Zh, limits.zh_line), (&text.en, &text.speaker_en, Lang::En, limits.en_line)]
    {
        if body.is_empty() {
            continue;
        }
        let prefix = speaker.as_ref().map(|v| voice(v, lang)).unwrap_or_default();
        let visible_prefix = if prefix.starts_with('<') { String::new() } else { prefix.clone() };
        let mut ls: Vec<String> =
            lines(&format!("{visible_prefix}{body}"), max, lang).iter().map(|l| escape(l)).collect();
        if prefix.starts_with('<') {
            ls[0] = format!("{prefix}{}", ls[0]);
        }
        out.extend(ls);
    }
    out
}

fn srt(track: &Track) -> String {
    let mut out = String::new();
    let voice = |v: &Voice, _: Lang| -> String {
        let _ = v;
        "- ".to_string()
    };
    for (i, cue) in track.cues.iter().enumerate() {
        let _ = writeln!(out, "{}\n{} --> {}", i + 1, clock(cue.start, ','), clock(cue.end, ','));
        for line in cue_lines(&cue.text, &track.limits, &voice, &|l: &str| l.replace("-->", "->")) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn vtt_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn vtt(track: &Track) -> String {
    let mut out = String::from("WEBVTT\n\n");
    let how = match track.timing {
        Timing::Estimated => format!("times are estimated from the English at {} words per minute", track.wpm),
        Timing::Scaled => "times are estimated from the English and scaled to the video's length".to_string(),
        Timing::Anchored => "times are pinned to the transcript's timestamps and estimated in between".to_string(),
        Timing::Aligned => "times are aligned word by word to a caption track of the video".to_string(),
    };
    let languages = match track.view {
        View::Bi => "Chinese and English",
        View::Zh => "Chinese",
        View::En => "English",
    };
    let _ = writeln!(out, "NOTE {languages} subtitles made by bitext; {how}.\n");
    for cue in &track.cues {
        let _ = writeln!(out, "{} --> {}", clock(cue.start, '.'), clock(cue.end, '.'));
        let voice = |v: &Voice, _: Lang| -> String {
            match v {
                Voice::Named(name) => format!("<v {}>", vtt_escape(name).replace('>', "")),
                Voice::Dash => "- ".to_string(),
            }
        };
        for line in cue_lines(&cue.text, &track.limits, &voice, &vtt_escape) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    const SRC: &str =
        "---\ntitle: 测试\n---\n第一句话。第二句话很短。\n\n<details>\n<summary>Original English</summary>\n\
        <p class=\"english-text\">**Ada**: The first sentence is here. The second one is short.</p>\n</details>\n";

    #[test]
    fn bilingual_srt_has_chinese_above_english() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let out = String::from_utf8(SRT.write(&doc, View::Bi, &WriteOptions::default()).unwrap().bytes).unwrap();
        assert!(out.starts_with("1\n00:00:00,000 --> "), "{out}");
        let first: Vec<&str> = out.split("\n\n").next().unwrap().lines().collect();
        assert_eq!(first[2], "第一句话。");
        assert_eq!(first[3], "- The first sentence is here.");
    }

    #[test]
    fn vtt_escapes_and_notes_its_timing() {
        let doc = parse_str(&SRC.replace("short.", "short &amp; a &lt;b&gt; --> c."), "a.md").unwrap().doc;
        let out = String::from_utf8(VTT.write(&doc, View::En, &WriteOptions::default()).unwrap().bytes).unwrap();
        assert!(out.starts_with("WEBVTT\n\nNOTE English subtitles"), "{out}");
        assert!(out.contains("<v Ada>The first sentence is here."), "{out}");
        assert!(out.contains("&amp; a &lt;b&gt; --&gt; c."), "{out}");
        assert!(!out.contains("第"), "{out}");
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("00:10:00"), Some(600.0));
        assert_eq!(parse_duration("90"), Some(90.0));
        assert_eq!(parse_duration("soon"), None);
    }
}
