//! Subtitles: SRT and WebVTT in Chinese, English or both, cut where a subtitler would cut and timed to the
//! usual rules (5/6 s to 7 s on screen, two frames between cues, at most 20 characters a second of English
//! and 9 of Chinese).
//!
//! Times come from the English that was spoken (estimated at a speaking rate), from the transcript's
//! `[hh:mm:ss]` anchors, from the video's length, or from a real caption track aligned word by word; the
//! file's NOTE (VTT) says which. Cues that cannot meet the reading-speed rule are reported with their line.

mod ass;
mod beads;
mod cues;
mod cut;
pub mod options;
mod timing;

pub use options::{CaptionWord, Captions, SubtitleOptions};
pub use timing::{read_captions, CaptionError};

use super::clock::hms_millis;
use super::{EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::ir::Lang;
use crate::script::is_han;
use crate::select::{Paired, Selected, Spoken, View};
use cues::{cue_texts, CueText, Limits, Voice};
use cut::{len, lines};
use std::fmt::Write as _;
use timing::{apply_rules, estimate, normalised_words, pin, scale, Fit, Unit};

const MIN_DURATION: f32 = 5.0 / 6.0;
const MAX_DURATION: f32 = 7.0;
/// Two frames at 24 frames a second.
const GAP: f32 = 0.084;
const MAX_CPS_EN: f32 = 20.0;
const MAX_CPS_ZH: f32 = 9.0;
const CHINESE_CHARS_PER_SECOND: f32 = 4.5;

/// A subtitle writer: one type, one instance per file format. Every format of one view renders the same
/// cut and timed track, made once (`Selected::shared`).
pub struct Subtitles {
    format: &'static Format,
    render: fn(&Track, &Selected<'_>, &WriteOptions) -> String,
}

static SRT_FORMAT: Format = Format {
    name: "srt",
    extension: "srt",
    description: "SubRip subtitles: Chinese, English, or both in one cue (--wpm, --duration, --align)",
    languages: Languages::Paired,
    uses: Uses { pdf: false, subtitles: true, theme: false, archive: false },
    binary: false,
};

static VTT_FORMAT: Format = Format {
    name: "vtt",
    extension: "vtt",
    description: "WebVTT subtitles: Chinese, English, or both in one cue (--wpm, --duration, --align)",
    languages: Languages::Paired,
    uses: Uses { pdf: false, subtitles: true, theme: false, archive: false },
    binary: false,
};

/// The `srt` writer.
pub static SRT: Subtitles = Subtitles { format: &SRT_FORMAT, render: srt };
/// The `vtt` writer.
pub static VTT: Subtitles = Subtitles { format: &VTT_FORMAT, render: vtt };

static ASS_FORMAT: Format = Format {
    name: "ass",
    extension: "ass",
    description: "Advanced SubStation Alpha subtitles styled by the theme: Chinese above English in one cue",
    languages: Languages::Paired,
    uses: Uses { pdf: false, subtitles: true, theme: true, archive: false },
    binary: false,
};

/// The `ass` writer.
pub static ASS: Subtitles = Subtitles { format: &ASS_FORMAT, render: ass::ass };

impl Writer for Subtitles {
    fn format(&self) -> &'static Format {
        self.format
    }
    fn write(
        &self,
        selected: &Selected<'_>,
        options: &WriteOptions,
        out: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError> {
        let sub = &options.subtitles;
        let track = selected.shared(|| {
            let duration = sub.duration.or_else(|| selected.source().meta.duration.as_deref().and_then(parse_duration));
            build(&selected.paired(), duration, sub)
        });
        let text = (self.render)(&track, selected, options);
        if sub.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        match sub.crlf {
            true => out.write_all(text.replace('\n', "\r\n").as_bytes())?,
            false => out.write_all(text.as_bytes())?,
        }
        Ok(track.diagnostics.clone())
    }
}

/// How the times were found.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Timing {
    Estimated,
    Scaled,
    Anchored,
    /// With the share of the spoken words found in the caption track.
    Aligned {
        share: f32,
    },
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

/// Cut and time the cues of one view. `duration` is the video's length, when known.
fn build(paired: &Paired<'_>, duration: Option<f32>, options: &SubtitleOptions) -> Track {
    let (show_zh, show_en) = (paired.shows(Lang::Zh), paired.shows(Lang::En));
    let limits = Limits { zh_line: options.zh_line.max(4), en_line: options.en_line.max(10), zh: show_zh, en: show_en };
    // Cut, and lay out the timeline: one unit per English word, or per Chinese character where a segment
    // has no English.
    let mut texts: Vec<(CueText, std::ops::Range<usize>, u32)> = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    // The normalised word of each unit, for aligning to a caption track; only kept when there is one.
    let aligning = options.captions.is_some();
    let mut words: Vec<String> = Vec::new();
    let mut anchors: Vec<(usize, f32)> = Vec::new();
    let word_time = 60.0 / options.wpm.max(40.0);
    for item in &paired.items {
        let (cue_list, timestamp, line, has_en) = match *item {
            Spoken::Segment { zh, en, timestamp, line } => (cue_texts(zh, en, limits), timestamp, line, !en.is_empty()),
            Spoken::Stage { text, lang, line } => {
                let t = match lang {
                    Lang::Zh => CueText { zh: text.to_string(), ..Default::default() },
                    Lang::En => CueText { en: text.to_string(), ..Default::default() },
                };
                (vec![t], None, line, lang == Lang::En)
            }
        };
        if let Some(t) = timestamp {
            anchors.push((units.len(), t as f32));
        }
        for mut cue in cue_list {
            let start = units.len();
            if has_en {
                for w in cue.en.split_whitespace() {
                    units.push(Unit { estimate: word_time });
                    if aligning {
                        words.push(normalised_words(w).concat());
                    }
                }
            } else {
                for _ in cue.zh.chars().filter(|&c| is_han(c)) {
                    units.push(Unit { estimate: 1.0 / CHINESE_CHARS_PER_SECOND });
                    if aligning {
                        words.push(String::new());
                    }
                }
            }
            if units.len() == start {
                units.push(Unit { estimate: MIN_DURATION });
                if aligning {
                    words.push(String::new());
                }
            }
            // An estimate leaves readers the time the reading-speed rule asks for: the Chinese of a cue can
            // be longer than the English it was cut with.
            let shown_zh = if show_zh { cue.zh.chars().count() } else { 0 };
            let shown_en = if show_en { len(&cue.en) } else { 0 };
            let need = (shown_zh as f32 / MAX_CPS_ZH).max(shown_en as f32 / MAX_CPS_EN).max(MIN_DURATION) + GAP + 0.05;
            let have: f32 = units[start..].iter().map(|u| u.estimate).sum();
            if need > have {
                if let Some(last) = units.last_mut() {
                    last.estimate += need - have;
                }
            }
            if !show_en {
                cue.en.clear();
                cue.speaker_en = None;
            }
            if !show_zh {
                cue.zh.clear();
                cue.speaker_zh = None;
            }
            texts.push((cue, start..units.len(), line));
        }
    }
    let estimated = estimate(&units);
    let mut diagnostics = Vec::new();
    // Aligned to the caption track when it is this talk's: most of the spoken words found in it, in runs.
    let aligned = options.captions.as_deref().and_then(|captions| {
        let caption_words: Vec<String> = captions.words.iter().map(|c| c.word.clone()).collect();
        let matched = timing::align(&words, &caption_words);
        let fit = Fit::of(&words, &caption_words, &matched);
        let measured = format!(
            "{:.0}% of the spoken words matched, {:.0}% in runs of three or more, {:.0}% of shared phrases in order",
            fit.matched * 100.0,
            fit.in_runs * 100.0,
            fit.in_order * 100.0
        );
        if !fit.belongs() {
            diagnostics.push(
                Diagnostic::warning(
                    0,
                    format!(
                        "caption track {} does not look like this talk's captions ({measured}); the times are estimated instead",
                        captions.name
                    ),
                )
                .with_hint("give the caption track of this talk's video, or leave out --align"),
            );
            return None;
        }
        diagnostics.push(Diagnostic::note(0, format!("aligned to caption track {}: {measured}", captions.name)));
        let mut pins: Vec<(usize, f32)> =
            matched.iter().enumerate().filter_map(|(i, m)| m.map(|j| (i, captions.words[j].start))).collect();
        if let (Some(&(last_i, _)), Some(last_cap)) = (pins.last(), matched.iter().rev().flatten().next()) {
            pins.push((last_i + 1, captions.words[*last_cap].end));
        }
        // Matched words take the caption's times; the rest are interpolated between them.
        Some((pin(&estimated, &pins), Timing::Aligned { share: fit.matched }))
    });
    let (times, timing) = match (aligned, anchors.is_empty(), duration) {
        (Some(aligned), _, _) => aligned,
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
    let mut warned_lines: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut cues = Vec::with_capacity(texts.len());
    for ((text, _, line), (start, end)) in texts.into_iter().zip(ruled) {
        let seconds = (end - start).max(0.001);
        let too_fast =
            (len(&text.en) as f32 / seconds > MAX_CPS_EN) || (text.zh.chars().count() as f32 / seconds > MAX_CPS_ZH);
        if too_fast && warned_lines.insert(line) {
            diagnostics.push(Diagnostic::warning(
                line,
                "subtitle reads faster than 20 characters a second (English) or 9 (Chinese); give the real length with --duration or a caption track with --align",
            ));
        }
        cues.push(Cue { start, end, text });
    }
    Track { cues, timing, view: paired.view, wpm: options.wpm, limits, diagnostics }
}

/// The longest video a duration may give: a thousand hours.
const MAX_VIDEO_SECONDS: f32 = 3_600_000.0;

/// `HH:MM:SS`, `MM:SS` or seconds (`90`, `90.5`): a finite length of at least a second and at most a
/// thousand hours; `None` otherwise.
pub fn parse_duration(s: &str) -> Option<f32> {
    let s = s.trim();
    let seconds = match s.parse::<f32>() {
        Ok(secs) => secs,
        Err(_) => timing::parse_time(s)?,
    };
    (seconds.is_finite() && (1.0..=MAX_VIDEO_SECONDS).contains(&seconds)).then_some(seconds)
}

/// The visible lines of a cue, Chinese above English; `voice` renders a change of speaker (a `<v …>` tag
/// or a visible dash), `escape` makes line text safe for the format after the lines are measured.
fn cue_lines(
    text: &CueText,
    limits: &Limits,
    voice: &dyn Fn(&Voice, Lang) -> String,
    escape: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let mut out = side_lines(text, Lang::Zh, limits, voice, escape);
    out.extend(side_lines(text, Lang::En, limits, voice, escape));
    out
}

/// The visible lines of one language of a cue (none when the cue has none of it).
fn side_lines(
    text: &CueText,
    lang: Lang,
    limits: &Limits,
    voice: &dyn Fn(&Voice, Lang) -> String,
    escape: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let (body, speaker, max) = match lang {
        Lang::Zh => (&text.zh, &text.speaker_zh, limits.zh_line),
        Lang::En => (&text.en, &text.speaker_en, limits.en_line),
    };
    if body.is_empty() {
        return Vec::new();
    }
    let prefix = speaker.as_ref().map(|v| voice(v, lang)).unwrap_or_default();
    let visible_prefix = if prefix.starts_with('<') { String::new() } else { prefix.clone() };
    let mut ls: Vec<String> = lines(&format!("{visible_prefix}{body}"), max, lang).iter().map(|l| escape(l)).collect();
    if prefix.starts_with('<') {
        ls[0] = format!("{prefix}{}", ls[0]);
    }
    ls
}

fn srt(track: &Track, _: &Selected<'_>, _: &WriteOptions) -> String {
    let mut out = String::new();
    let voice = |_: &Voice, _: Lang| "- ".to_string();
    for (i, cue) in track.cues.iter().enumerate() {
        let _ = writeln!(out, "{}\n{} --> {}", i + 1, hms_millis(cue.start, ','), hms_millis(cue.end, ','));
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

fn vtt(track: &Track, _: &Selected<'_>, _: &WriteOptions) -> String {
    let mut out = String::from("WEBVTT\n\n");
    let how = match track.timing {
        Timing::Estimated => format!("times are estimated from the English at {} words per minute", track.wpm),
        Timing::Scaled => "times are estimated from the English and scaled to the video's length".to_string(),
        Timing::Anchored => "times are pinned to the transcript's timestamps and estimated in between".to_string(),
        Timing::Aligned { share } => format!(
            "times are aligned word by word to a caption track of the video ({:.0}% of the spoken words matched)",
            share * 100.0
        ),
    };
    let languages = match track.view {
        View::Bi => "Chinese and English",
        View::Zh => "Chinese",
        View::En => "English",
    };
    let _ = writeln!(out, "NOTE {languages} subtitles made by bitext; {how}.\n");
    for cue in &track.cues {
        let _ = writeln!(out, "{} --> {}", hms_millis(cue.start, '.'), hms_millis(cue.end, '.'));
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

    fn rendered(writer: &Subtitles, doc: &crate::ir::Document, view: View) -> String {
        let selected = crate::select::select(doc, view, &Default::default()).unwrap();
        let mut out = std::io::Cursor::new(Vec::new());
        writer.write(&selected, &WriteOptions::default(), &mut out).unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn srt_and_vtt_of_one_view_share_one_track() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let selected = crate::select::select(&doc, View::Zh, &Default::default()).unwrap();
        SRT.write(&selected, &WriteOptions::default(), &mut std::io::Cursor::new(Vec::new())).unwrap();
        let before = selected.shared(|| -> Track { unreachable!("the SRT writer made the track") });
        VTT.write(&selected, &WriteOptions::default(), &mut std::io::Cursor::new(Vec::new())).unwrap();
        let after = selected.shared(|| -> Track { unreachable!("the track is still there") });
        assert!(std::sync::Arc::ptr_eq(&before, &after));
        assert!(before.cues.iter().all(|c| c.text.en.is_empty() && !c.text.zh.is_empty()));
    }

    #[test]
    fn bilingual_srt_has_chinese_above_english() {
        let doc = parse_str(SRC, "a.md").unwrap().doc;
        let out = rendered(&SRT, &doc, View::Bi);
        assert!(out.starts_with("1\n00:00:00,000 --> "), "{out}");
        let first: Vec<&str> = out.split("\n\n").next().unwrap().lines().collect();
        assert_eq!(first[2], "第一句话。");
        assert_eq!(first[3], "- The first sentence is here.");
    }

    #[test]
    fn vtt_escapes_and_notes_its_timing() {
        let doc = parse_str(&SRC.replace("short.", "short &amp; a &lt;b&gt; --> c."), "a.md").unwrap().doc;
        let out = rendered(&VTT, &doc, View::En);
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
        assert_eq!(parse_duration("90.5"), Some(90.5));
        for bad in ["inf", "NaN", "1e300", "0.5", "0", "-3", "5000:00:00"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
