//! When each cue shows: a timeline of spoken units (English words, or Chinese characters where there is no
//! English), estimated at a speaking rate, pinned to `[hh:mm:ss]` anchors, scaled to the video's length, or
//! aligned word by word to a real caption track; then the professional rules (duration, gap) applied.

use super::options::CaptionWord;
use std::ops::Range;

/// A caption track that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptionError {
    #[error("bad cue time `{0}`; write times as HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT)")]
    BadTime(String),
    #[error("no timed cues found; give an SRT or WebVTT file")]
    NoCues,
    #[error("cue at line {line} ends before it starts or starts before the cue above it; fix the times or give another track")]
    NotIncreasing { line: u32 },
}

/// One unit of speech on the timeline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unit {
    /// Estimated seconds it takes to say.
    pub estimate: f32,
}

/// Seconds from the start for the start of every unit, plus one final entry for the end of the last.
pub(crate) type Times = Vec<f32>;

/// Estimated times: units one after another.
pub(crate) fn estimate(units: &[Unit]) -> Times {
    let mut t = 0.0;
    let mut out = Vec::with_capacity(units.len() + 1);
    for u in units {
        out.push(t);
        t += u.estimate;
    }
    out.push(t);
    out
}

/// Pin units to known times (`anchors`: unit index, seconds), interpolating in between: before the first
/// anchor times are scaled from zero, after the last they run on at the estimated rate.
pub(crate) fn pin(times: &Times, anchors: &[(usize, f32)]) -> Times {
    let mut anchors: Vec<(usize, f32)> = anchors.to_vec();
    anchors.sort_by_key(|a| a.0);
    anchors.dedup_by_key(|a| a.0);
    // Anchors must go forward in time to be usable.
    let mut kept: Vec<(usize, f32)> = Vec::new();
    for a in anchors {
        if kept.last().is_none_or(|l| a.1 > l.1) {
            kept.push(a);
        }
    }
    if kept.is_empty() {
        return times.clone();
    }
    let mut out = times.clone();
    let mut points = vec![(0usize, 0.0f32)];
    if kept[0].0 == 0 {
        points.clear();
    }
    points.extend(kept.iter().copied());
    for w in points.windows(2) {
        let ((u0, t0), (u1, t1)) = (w[0], w[1]);
        let (e0, e1) = (times[u0], times[u1]);
        for (u, slot) in out.iter_mut().enumerate().take(u1 + 1).skip(u0) {
            let f = if e1 > e0 { (times[u] - e0) / (e1 - e0) } else { 0.0 };
            *slot = t0 + f * (t1 - t0);
        }
    }
    let (ul, tl) = *points.last().expect("at least one anchor");
    for u in ul..out.len() {
        out[u] = tl + (times[u] - times[ul]);
    }
    out
}

/// Scale a timeline so that it ends at `duration` seconds.
pub(crate) fn scale(times: &Times, duration: f32) -> Times {
    let end = times.last().copied().unwrap_or(0.0);
    if end <= 0.0 {
        return times.clone();
    }
    times.iter().map(|t| t * duration / end).collect()
}

/// Read an SRT or WebVTT caption track into timed, normalised words (cue times spread over a cue's words;
/// the repeated lines of rolling automatic captions dropped).
pub fn read_captions(text: &str) -> Result<Vec<CaptionWord>, CaptionError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    let mut words: Vec<CaptionWord> = Vec::new();
    let mut cues = 0;
    let mut line_no = 1u32;
    let mut last_start = f32::NEG_INFINITY;
    for block in text.split("\n\n") {
        let block_line = line_no;
        line_no += block.matches('\n').count() as u32 + 2;
        let skipped = block.lines().take_while(|l| !l.contains("-->")).count() as u32;
        let mut lines = block.lines().skip_while(|l| !l.contains("-->"));
        let Some(timing) = lines.next() else { continue };
        let mut parts = timing.split("-->");
        let (Some(a), Some(b)) = (parts.next(), parts.next()) else { continue };
        let start = parse_time(a.trim()).ok_or_else(|| CaptionError::BadTime(a.trim().to_string()))?;
        let end = parse_time(b.split_whitespace().next().unwrap_or(""))
            .ok_or_else(|| CaptionError::BadTime(b.trim().to_string()))?;
        if !(start.is_finite() && end.is_finite() && end >= start && start >= last_start) {
            return Err(CaptionError::NotIncreasing { line: block_line + skipped });
        }
        last_start = start;
        let body: String = lines.map(strip_tags).collect::<Vec<_>>().join(" ");
        let mut cue_words: Vec<String> = normalised_words(&body);
        // Rolling captions repeat the previous cue's words at the start of the next: drop the overlap.
        let overlap = (1..=cue_words.len().min(words.len()).min(30))
            .rev()
            .find(|&k| words[words.len() - k..].iter().map(|w| &w.word).eq(cue_words[..k].iter()))
            .unwrap_or(0);
        cue_words.drain(..overlap);
        cues += 1;
        let n = cue_words.len().max(1) as f32;
        let span = (end - start).max(0.0);
        for (i, w) in cue_words.into_iter().enumerate() {
            let s = start + span * i as f32 / n;
            words.push(CaptionWord { word: w, start: s, end: s + span / n });
        }
    }
    if cues == 0 {
        return Err(CaptionError::NoCues);
    }
    Ok(words)
}

fn strip_tags(line: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
}

/// `hh:mm:ss,mmm`, `hh:mm:ss.mmm` or `mm:ss.mmm` to seconds.
pub(crate) fn parse_time(s: &str) -> Option<f32> {
    let s = s.replace(',', ".");
    let parts: Vec<&str> = s.split(':').collect();
    let nums: Option<Vec<f32>> = parts.iter().map(|p| p.parse::<f32>().ok()).collect();
    let nums = nums?;
    match nums.as_slice() {
        [h, m, sec] => Some(h * 3600.0 + m * 60.0 + sec),
        [m, sec] => Some(m * 60.0 + sec),
        _ => None,
    }
}

/// Lowercase letters and digits of each word; punctuation and apostrophes dropped.
pub(crate) fn normalised_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '—')
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Align transcript words to caption words: a global alignment inside a band around the diagonal, so the
/// cost grows with the length times the band, not the square of the length; only the traceback is kept
/// for every cell, scores for two rows. Returns, for each transcript word, the caption word it matched.
pub(crate) fn align(transcript: &[String], captions: &[String]) -> Vec<Option<usize>> {
    let (n, m) = (transcript.len(), captions.len());
    if n == 0 || m == 0 {
        return vec![None; n];
    }
    let band = (n.max(m) / 25).clamp(100, 800) as isize;
    let width = (2 * band + 1) as usize;
    let center = |i: usize| -> isize { (i as f64 * m as f64 / n as f64).round() as isize };
    // Cell (i, j) lives at column j - center(i) + band of row i.
    let col = |i: usize, j: isize| -> Option<usize> {
        let k = j - center(i) + band;
        (j >= 0 && j <= m as isize && k >= 0 && k < width as isize).then_some(k as usize)
    };
    const NEG: i32 = i32::MIN / 4;
    let mut prev = vec![NEG; width];
    let mut cur = vec![NEG; width];
    // 0: diagonal, 1: up (transcript word unmatched), 2: left (caption word unmatched)
    let mut dir = vec![0u8; (n + 1) * width];
    for i in 0..=n {
        cur.iter_mut().for_each(|v| *v = NEG);
        let c = center(i);
        for j in (c - band).max(0)..=(c + band).min(m as isize) {
            let k = col(i, j).expect("inside the band");
            if i == 0 && j == 0 {
                cur[k] = 0;
                continue;
            }
            let mut best = NEG;
            let mut d = 0;
            if i > 0 && j > 0 {
                if let Some(p) = col(i - 1, j - 1) {
                    let s = prev[p] + if transcript[i - 1] == captions[j as usize - 1] { 2 } else { -1 };
                    if s > best {
                        best = s;
                        d = 0;
                    }
                }
            }
            if i > 0 {
                if let Some(p) = col(i - 1, j) {
                    if prev[p] - 1 > best {
                        best = prev[p] - 1;
                        d = 1;
                    }
                }
            }
            if j > 0 {
                if let Some(p) = col(i, j - 1) {
                    if cur[p] - 1 > best {
                        best = cur[p] - 1;
                        d = 2;
                    }
                }
            }
            cur[k] = best;
            dir[i * width + k] = d;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let mut out = vec![None; n];
    let (mut i, mut j) = (n, m as isize);
    while i > 0 || j > 0 {
        let Some(k) = col(i, j) else { break };
        match dir[i * width + k] {
            0 if i > 0 && j > 0 => {
                if transcript[i - 1] == captions[j as usize - 1] {
                    out[i - 1] = Some(j as usize - 1);
                }
                i -= 1;
                j -= 1;
            }
            1 if i > 0 => i -= 1,
            _ if j > 0 => j -= 1,
            _ => i -= 1,
        }
    }
    out
}

/// How well a caption track fits a transcript. From the word alignment: the share of the spoken words
/// matched, and the share matched in runs (three or more consecutive words matching consecutive caption
/// words); captions of the talk match most words in long runs, captions of another talk match a few
/// common words here and there, which the alignment can always string together in order, but rarely
/// three in a row. And, apart from the alignment (which is in order by construction), whether the
/// phrases both share run in the same order: of the three-word phrases said once in each, the share
/// that lie on one forward path (captions of the talk cut and pasted out of order fail here).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    pub matched: f32,
    pub in_runs: f32,
    pub in_order: f32,
}

/// Below these shares a caption track is taken for another talk's.
const MIN_MATCHED: f32 = 0.6;
const MIN_IN_RUNS: f32 = 0.45;
const MIN_IN_ORDER: f32 = 0.9;

impl Fit {
    pub(crate) fn of(transcript: &[String], captions: &[String], matched: &[Option<usize>]) -> Fit {
        let spoken = transcript.iter().filter(|w| !w.is_empty()).count();
        let (matched_share, in_runs) = Self::runs(matched, spoken);
        Fit { matched: matched_share, in_runs, in_order: in_order(transcript, captions) }
    }

    fn runs(matched: &[Option<usize>], spoken: usize) -> (f32, f32) {
        let spoken = spoken.max(1) as f32;
        let mut in_runs = 0usize;
        let mut run = 0usize;
        for i in 0..=matched.len() {
            let continues = match (matched.get(i).copied().flatten(), i.checked_sub(1).and_then(|p| matched[p])) {
                (Some(j), Some(prev)) => j == prev + 1,
                _ => false,
            };
            if continues {
                run += 1;
            } else {
                if run >= 3 {
                    in_runs += run;
                }
                run = usize::from(matched.get(i).copied().flatten().is_some());
            }
        }
        (matched.iter().flatten().count() as f32 / spoken, in_runs as f32 / spoken)
    }

    /// Whether the track is this talk's.
    pub(crate) fn belongs(self) -> bool {
        self.matched >= MIN_MATCHED && self.in_runs >= MIN_IN_RUNS && self.in_order >= MIN_IN_ORDER
    }
}

/// Of the three-word phrases said exactly once in the transcript and once in the captions, the share on
/// the longest path forward through both (a longest increasing subsequence); 0 when none are shared.
fn in_order(transcript: &[String], captions: &[String]) -> f32 {
    use std::collections::HashMap;
    fn once(words: &[String]) -> HashMap<&[String], Option<usize>> {
        let mut seen: HashMap<&[String], Option<usize>> = HashMap::new();
        for (i, w) in words.windows(3).enumerate() {
            seen.entry(w).and_modify(|at| *at = None).or_insert(Some(i));
        }
        seen
    }
    let in_captions = once(captions);
    let mut hits: Vec<(usize, usize)> = once(transcript)
        .into_iter()
        .filter_map(|(phrase, at)| Some((at?, in_captions.get(phrase).copied().flatten()?)))
        .collect();
    if hits.is_empty() {
        return 0.0;
    }
    hits.sort_unstable();
    // Patience sorting: the smallest caption position that ends a forward path of each length.
    let mut ends: Vec<usize> = Vec::new();
    for &(_, j) in &hits {
        let k = ends.partition_point(|&e| e < j);
        if k == ends.len() {
            ends.push(j);
        } else {
            ends[k] = j;
        }
    }
    ends.len() as f32 / hits.len() as f32
}

/// Apply the rules to cue times in order: at least `min` and at most `max` seconds on screen, at least
/// `gap` seconds between cues. Returns the adjusted (start, end) pairs.
pub(crate) fn apply_rules(spans: &[Range<f32>], min: f32, max: f32, gap: f32) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::with_capacity(spans.len());
    for (i, span) in spans.iter().enumerate() {
        let mut start = span.start.max(out.last().map_or(0.0, |l| l.1 + gap));
        let next_start = spans.get(i + 1).map_or(f32::INFINITY, |s| s.start);
        let mut end = span.end.max(start + min).min(start + max);
        if end > next_start - gap && next_start - gap >= start + min {
            end = next_start - gap;
        }
        if end < start + 0.01 {
            end = start + min;
        }
        start = (start * 1000.0).round() / 1000.0;
        end = (end * 1000.0).round() / 1000.0;
        out.push((start, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_times_must_go_forward() {
        let good = "1\n00:00:01,000 --> 00:00:02,000\nhello there\n\n2\n00:00:02,000 --> 00:00:03,500\nagain\n";
        assert_eq!(read_captions(good).unwrap().len(), 3);
        let backwards = "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nlater\n\n00:00:01.000 --> 00:00:02.000\nearlier\n";
        assert_eq!(read_captions(backwards), Err(CaptionError::NotIncreasing { line: 6 }));
        let inverted = "1\n00:00:05,000 --> 00:00:04,000\nodd\n";
        assert_eq!(read_captions(inverted), Err(CaptionError::NotIncreasing { line: 2 }));
    }

    #[test]
    fn pinning_interpolates_between_anchors() {
        let times = estimate(&[Unit { estimate: 1.0 }; 4]);
        let pinned = pin(&times, &[(0, 10.0), (2, 30.0)]);
        assert_eq!(pinned, vec![10.0, 20.0, 30.0, 31.0, 32.0]);
    }

    #[test]
    fn scaling_fits_the_video() {
        let times = estimate(&[Unit { estimate: 1.0 }; 4]);
        assert_eq!(scale(&times, 8.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
    }

    #[test]
    fn alignment_survives_edits() {
        let t: Vec<String> = normalised_words("so I think we are going to see much bigger models next year");
        let c: Vec<String> = normalised_words("so um I think we're going to see much much bigger models next year");
        let m = align(&t, &c);
        assert_eq!(m[0], Some(0));
        assert_eq!(m[t.len() - 1], Some(c.len() - 1));
        let bigger = t.iter().position(|w| w == "bigger").unwrap();
        assert_eq!(c[m[bigger].unwrap()], "bigger");
    }

    #[test]
    fn captions_parse_and_rolling_lines_are_deduplicated() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nhello there <c>world</c>\n\n00:00:03.000 --> 00:00:05.000\nhello there world\nhow are you\n";
        let words = read_captions(vtt).unwrap();
        let w: Vec<&str> = words.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(w, ["hello", "there", "world", "how", "are", "you"]);
        assert_eq!(words[3].start, 3.0);
    }

    #[test]
    fn the_fit_counts_runs_of_matches() {
        let (matched, in_runs) =
            Fit::runs(&[Some(0), Some(1), Some(2), None, Some(5), Some(9), Some(10), Some(11), Some(12)], 10);
        assert_eq!((matched, in_runs), (0.8, 0.7));
        let (_, scattered) = Fit::runs(&[Some(0), None, Some(4), Some(6), None, Some(9)], 6);
        assert_eq!(scattered, 0.0);
    }

    #[test]
    fn phrases_out_of_order_are_noticed() {
        let talk = normalised_words(
            "bees build combs of wax and the queen lays eggs in the cells while workers gather nectar \
             from flowers in the morning and guard the hive entrance against wasps in the afternoon",
        );
        let matched = align(&talk, &talk);
        let fit = Fit::of(&talk, &talk, &matched);
        assert_eq!((fit.matched, fit.in_runs, fit.in_order), (1.0, 1.0, 1.0));
        assert!(fit.belongs());
        // The same captions with their halves swapped: phrases found, but not in order.
        let half = talk.len() / 2;
        let swapped: Vec<String> = talk[half..].iter().chain(&talk[..half]).cloned().collect();
        let fit = Fit::of(&talk, &swapped, &align(&talk, &swapped));
        assert!(fit.in_order < 0.6, "{fit:?}");
        assert!(!fit.belongs());
    }

    #[test]
    fn rules_keep_gaps_and_durations() {
        let out = apply_rules(&[0.0..0.2, 0.3..20.0, 20.0..21.0], 5.0 / 6.0, 7.0, 0.084);
        assert!(out[0].1 - out[0].0 >= 0.83);
        assert!(out[1].0 >= out[0].1 + 0.083);
        assert!(out[1].1 - out[1].0 <= 7.0);
        assert!(out[2].0 >= out[1].1 + 0.083);
    }
}
