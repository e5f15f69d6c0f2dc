//! Cutting segments into cues: sentences first, then clauses, then words or characters; the Chinese and
//! English of a segment cut into the same number of cues, sentence by sentence where the counts agree and
//! aligned (`beads`) otherwise; cues too slight to stand alone joined to a neighbour; every cue at most two
//! balanced lines per language.

use super::cut::{cut_near, cut_pair, fits_two_lines, len, split_at_char, split_proportionally};
use crate::ir::{GlossaryTerm, Inline, Lang, Paragraph, Speaker};
use crate::script::is_han;

/// Limits of one cue.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub zh_line: usize,
    pub en_line: usize,
    /// Which languages are shown (a side not shown is never the reason to cut).
    pub zh: bool,
    pub en: bool,
}

/// The text of one cue before timing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CueText {
    pub zh: String,
    pub en: String,
    /// Speaker whose turn starts with this cue, by language (`None` inside a turn).
    pub speaker_zh: Option<Voice>,
    pub speaker_en: Option<Voice>,
}

/// How a turn is marked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Voice {
    Named(String),
    /// An unnamed change of speaker.
    Dash,
}

/// A piece of a side: text and, when it opens a turn, who speaks.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    voice: Option<Voice>,
    /// The same Chinese as the cue before, held on screen while the English moves on.
    held: bool,
}

/// Plain cue text of inline content: glossary terms without their annotations, no markup.
fn plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { code: text } | Inline::Stage { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emphasis { content } | Inline::Link { content, .. } => {
                plain(content, out)
            }
            Inline::LineBreak => out.push(' '),
            Inline::Turn => out.push_str(" - "),
            Inline::Glossary(GlossaryTerm { term, .. }) => out.push_str(term.as_deref().unwrap_or("")),
        }
    }
}

/// The text without HTML-like tags, except the four that subtitle players draw (`<b>`, `<i>`, `<u>`,
/// `<font>`): a tag is not speech, and SubRip has no way to show one as text. One pass, however many
/// unclosed `<` the text holds.
pub(crate) fn without_tags(text: &str) -> String {
    if !text.contains('<') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // The next `>` and the next `<` after the current one, searched again only once passed; a `None`
    // is final (there is none further on).
    let (mut next_gt, mut next_lt): (Option<Option<usize>>, Option<Option<usize>>) = (None, None);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let name_start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'/'));
            if bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                if next_gt.is_none_or(|g| g.is_some_and(|g| g < i)) {
                    next_gt = Some(text[i..].find('>').map(|g| i + g));
                }
                if next_lt.is_none_or(|l| l.is_some_and(|l| l <= i)) {
                    next_lt = Some(text[i + 1..].find('<').map(|l| i + 1 + l));
                }
                let (gt, lt) = (next_gt.flatten(), next_lt.flatten());
                if let Some(gt) = gt.filter(|&g| lt.is_none_or(|l| g < l)) {
                    let name: String = text[name_start..gt]
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    if matches!(name.as_str(), "b" | "i" | "u" | "font") {
                        out.push_str(&text[i..=gt]);
                    }
                    i = gt + 1;
                    continue;
                }
            }
        }
        let c = text[i..].chars().next().expect("i is on a character boundary");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentences of one side, each paragraph's first carrying its speaker.
fn pieces(side: &[Paragraph], lang: Lang) -> Vec<Piece> {
    let mut out = Vec::new();
    for p in side {
        let mut text = String::new();
        plain(&p.content, &mut text);
        let text = collapse(&without_tags(&text));
        let voice = match &p.speaker {
            Some(Speaker::Named(n)) => Some(Voice::Named(n.clone())),
            Some(Speaker::Turn) => Some(Voice::Dash),
            None => None,
        };
        for (i, s) in sentences(&text, lang).into_iter().enumerate() {
            out.push(Piece { text: s, voice: if i == 0 { voice.clone() } else { None }, held: false });
        }
    }
    out
}

/// Split text after sentence ends (。！？ . ! ?), closing quotes staying with their sentence.
pub(crate) fn sentences(text: &str, lang: Lang) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let end = match lang {
            Lang::Zh => matches!(c, '。' | '！' | '？' | '!' | '?'),
            Lang::En => {
                matches!(c, '.' | '!' | '?')
                    && chars.get(i + 1).is_none_or(|n| n.is_whitespace() || matches!(n, '"' | '”' | '’' | '\'' | ')'))
            }
        };
        if end {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j],
                    '”' | '’' | '"' | '\'' | '」' | '』' | ')' | '）' | '.' | '!' | '?' | '。' | '！' | '？'
                )
            {
                j += 1;
            }
            let s: String = chars[start..j].iter().collect::<String>().trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            start = j;
            i = j;
            continue;
        }
        i += 1;
    }
    let rest: String = chars[start..].iter().collect::<String>().trim().to_string();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// A segment's cues.
pub(crate) fn cue_texts(zh: &[Paragraph], en: &[Paragraph], limits: Limits) -> Vec<CueText> {
    let zh_p = pieces(zh, Lang::Zh);
    let en_p = pieces(en, Lang::En);
    // What a cue of this segment can show: a segment with one language is a one-language track here.
    let showable = Limits { zh: limits.zh && !zh_p.is_empty(), en: limits.en && !en_p.is_empty(), ..limits };
    let pairs: Vec<(Piece, Piece)> = match (zh_p.is_empty(), en_p.is_empty()) {
        (true, true) => return Vec::new(),
        (false, true) => zh_p.into_iter().map(|p| (p, empty())).collect(),
        (true, false) => en_p.into_iter().map(|p| (empty(), p)).collect(),
        (false, false) => pair_by_sentences(zh_p, en_p),
    };
    let fits = |piece: &Piece, lang: Lang| fits(piece, limits, lang);
    let done = cut_to_fit(pairs, limits);
    join_slight(done, showable, &|z: &Piece, e: &Piece| {
        (!limits.zh || fits(z, Lang::Zh)) && (!limits.en || fits(e, Lang::En))
    })
    .into_iter()
    .filter(|(z, e)| !(z.text.is_empty() && e.text.is_empty()))
    .map(|(z, e)| CueText { zh: z.text, en: e.text, speaker_zh: z.voice, speaker_en: e.voice })
    .collect()
}

/// Whether a side's text, with room for a speaker-change dash, fits the cue's two lines.
fn fits(piece: &Piece, limits: Limits, lang: Lang) -> bool {
    let max = if lang == Lang::Zh { limits.zh_line } else { limits.en_line };
    let text = if piece.voice.is_some() { format!("- {}", piece.text) } else { piece.text.clone() };
    fits_two_lines(&text, max, lang)
}

/// Cut every pair whose shown text does not fit two lines until all fit. Where both languages are shown
/// and written, both sides are cut together (`cut_pair`), except that Chinese which fits, and has no
/// clause mark where the English is cut, is held on screen over both English cues rather than cut into
/// fragments of a clause. Where one language is shown, it is cut at its own best place and the other
/// (which still times the cue) in proportion.
fn cut_to_fit(mut pairs: Vec<(Piece, Piece)>, limits: Limits) -> Vec<(Piece, Piece)> {
    // Pairs still to look at, the next on top; pairs done, in order. A pair that does not fit is cut in
    // two and both halves go back on top, so a long segment costs n log n cuts, never n squared.
    pairs.reverse();
    let mut todo = pairs;
    let mut done: Vec<(Piece, Piece)> = Vec::new();
    while let Some((z, e)) = todo.pop() {
        let over_zh = limits.zh && !fits(&z, limits, Lang::Zh);
        let over_en = limits.en && !fits(&e, limits, Lang::En);
        if !(over_zh || over_en) {
            done.push((z, e));
            continue;
        }
        let Some(((za, zb), (ea, eb), hold)) = cut_once(&z.text, &e.text, over_zh, over_en, limits) else {
            done.push((z, e));
            continue;
        };
        let held = |text: String, held: bool| Piece { text, voice: None, held };
        todo.push((held(zb, hold), held(eb, false)));
        todo.push((Piece { text: za, voice: z.voice, held: z.held }, Piece { text: ea, voice: e.voice, held: false }));
    }
    done
}

/// A joint cut dearer than this (a clause cut inside a word, half a sentence off its English, a name on
/// the wrong side) leaves Chinese that fits whole on screen over both English cues instead; so does a
/// cut that would part a Chinese clause short enough for one line.
const HOLD_ABOVE: f32 = 15.0;

/// One cut of a pair that does not fit: the two halves of each side, and whether the Chinese is held
/// (the same on both). `None` when the side to cut has no place to cut or a half would be empty.
type Halves = ((String, String), (String, String), bool);

fn cut_once(zh: &str, en: &str, over_zh: bool, over_en: bool, limits: Limits) -> Option<Halves> {
    let zh_fits_whole = !over_zh && !zh.is_empty();
    let both = limits.zh && limits.en && !zh.is_empty() && !en.is_empty();
    let joint = if both { cut_pair(zh, en, over_zh, over_en) } else { None };
    let (kz, ke, hold) = if let Some(cut) = joint {
        // A one-line Chinese clause is not cut between words to follow the English.
        let one_clause = len(zh) <= limits.zh_line && cut.zh_strength < 3;
        if zh_fits_whole && (cut.cost >= HOLD_ABOVE || one_clause) {
            // The English alone decides where it is cut.
            (0, cut_near(en, len(en) / 2, Lang::En)?, true)
        } else {
            (cut.zh, cut.en, false)
        }
    } else {
        // One language shown, or no pair of places on both sides: the longer side leads.
        let zh_leads = over_zh && (!over_en || len(zh) * 2 * limits.en_line >= len(en) * 2 * limits.zh_line);
        let (lead, lead_lang, other, other_lang) =
            if zh_leads { (zh, Lang::Zh, en, Lang::En) } else { (en, Lang::En, zh, Lang::Zh) };
        let k = cut_near(lead, len(lead) / 2, lead_lang)?;
        let (a, b) = split_at_char(lead, k);
        let halves = if other.is_empty() {
            (String::new(), String::new())
        } else {
            let parts = split_proportionally(other, &[len(&a).max(1), len(&b).max(1)], other_lang);
            (parts[0].clone(), parts.get(1).cloned().unwrap_or_default())
        };
        if a.is_empty() || b.is_empty() {
            return None;
        }
        return Some(if zh_leads { ((a, b), halves, false) } else { (halves, (a, b), false) });
    };
    let zh_halves = if hold { (zh.to_string(), zh.to_string()) } else { split_at_char(zh, kz) };
    let en_halves = split_at_char(en, ke);
    let empty = |h: &(String, String)| h.0.is_empty() || h.1.is_empty();
    (!empty(&zh_halves) && !empty(&en_halves)).then_some((zh_halves, en_halves, hold))
}

/// Whether a cue is too slight to stand on screen alone: what it shows is empty or a word or two while
/// the cue carries more (the proportional cut of a segment whose sentence counts differ leaves such cues:
/// `编` / `写` / `` against English clauses). Bilingual: the Chinese is empty or at most two characters
/// (Han: a name in Latin letters is not the Chinese of a line) against four or more English words, or one
/// side is empty while the other is not. One language: the shown side holds at most two Chinese
/// characters or one English word.
fn slight(z: &Piece, e: &Piece, limits: Limits) -> bool {
    let zh_chars = z.text.chars().filter(|c| c.is_alphanumeric()).count();
    let han = z.text.chars().filter(|&c| is_han(c)).count();
    let en_words = e.text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    match (limits.zh, limits.en) {
        (true, true) => (han <= 2 && en_words >= 4) || (zh_chars == 0) != (en_words == 0),
        (true, false) => zh_chars <= 2 && !(z.text.is_empty() && e.text.is_empty()),
        (false, true) => en_words <= 1 && !(z.text.is_empty() && e.text.is_empty()),
        (false, false) => false,
    }
}

/// Two consecutive pieces of one side as one; Chinese takes a space only beside a Latin letter or digit.
/// A turn that starts inside the joined piece is marked with a dash, as subtitlers mark a second speaker.
fn join_piece(a: &Piece, b: &Piece, lang: Lang) -> Piece {
    if b.held && a.text == b.text {
        return a.clone();
    }
    let text = match (a.text.is_empty(), b.text.is_empty()) {
        (true, _) => b.text.clone(),
        (_, true) => a.text.clone(),
        _ if b.voice.is_some() => format!("{} - {}", a.text, b.text),
        _ => {
            let latin_edge = a.text.ends_with(|c: char| c.is_ascii_alphanumeric())
                || b.text.starts_with(|c: char| c.is_ascii_alphanumeric());
            let gap = if lang == Lang::En || latin_edge { " " } else { "" };
            format!("{}{gap}{}", a.text, b.text)
        }
    };
    Piece { text, voice: if a.text.is_empty() { b.voice.clone() } else { a.voice.clone() }, held: a.held }
}

/// Join each slight cue to the one before it, or else to the one after, when the result still fits and no
/// shown turn would be hidden inside it; a cue that fits with neither stays as it is.
fn join_slight(
    pairs: Vec<(Piece, Piece)>,
    limits: Limits,
    fits: &dyn Fn(&Piece, &Piece) -> bool,
) -> Vec<(Piece, Piece)> {
    let join = |a: &(Piece, Piece), b: &(Piece, Piece)| -> Option<(Piece, Piece)> {
        let turn_inside = |shown: bool, x: &Piece, y: &Piece| shown && y.voice.is_some() && !x.text.is_empty();
        if turn_inside(limits.zh, &a.0, &b.0) || turn_inside(limits.en, &a.1, &b.1) {
            return None;
        }
        let joined = (join_piece(&a.0, &b.0, Lang::Zh), join_piece(&a.1, &b.1, Lang::En));
        fits(&joined.0, &joined.1).then_some(joined)
    };
    let mut out: Vec<(Piece, Piece)> = Vec::with_capacity(pairs.len());
    // A slight cue that could not join the one before it waits to join the next.
    let mut waiting: Option<(Piece, Piece)> = None;
    for pair in pairs {
        let pair = match waiting.take() {
            Some(w) => match join(&w, &pair) {
                Some(joined) => joined,
                None => {
                    out.push(w);
                    pair
                }
            },
            None => pair,
        };
        if !slight(&pair.0, &pair.1, limits) {
            out.push(pair);
            continue;
        }
        match out.last().and_then(|last| join(last, &pair)) {
            Some(joined) => *out.last_mut().expect("checked above") = joined,
            None => waiting = Some(pair),
        }
    }
    out.extend(waiting);
    out
}

fn empty() -> Piece {
    Piece { text: String::new(), voice: None, held: false }
}

/// The sentences of a segment paired: turn by turn when both sides change speaker at the same number of
/// places, then within each turn aligned by length and shared names (`beads`), each bead one pair. A
/// segment whose sides disagree on its turns, or too large to align, is cut in proportion instead.
fn pair_by_sentences(zh: Vec<Piece>, en: Vec<Piece>) -> Vec<(Piece, Piece)> {
    let (zh_turns, en_turns) = (turns(&zh), turns(&en));
    if zh_turns.len() != en_turns.len() {
        return pair_turn(&zh, &en);
    }
    let mut out = Vec::with_capacity(zh.len().max(en.len()));
    for (z, e) in zh_turns.into_iter().zip(en_turns) {
        out.extend(pair_turn(&zh[z], &en[e]));
    }
    out
}

/// Where each turn's sentences are: a new turn starts at a sentence that names or marks its speaker.
fn turns(side: &[Piece]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, p) in side.iter().enumerate() {
        match out.last_mut() {
            Some(last) if p.voice.is_none() => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// One turn's sentences paired: one to one when the counts agree, aligned otherwise.
fn pair_turn(zh: &[Piece], en: &[Piece]) -> Vec<(Piece, Piece)> {
    if zh.len() == en.len() {
        return zh.iter().cloned().zip(en.iter().cloned()).collect();
    }
    let zs: Vec<&str> = zh.iter().map(|p| p.text.as_str()).collect();
    let es: Vec<&str> = en.iter().map(|p| p.text.as_str()).collect();
    let beads = super::beads::align(&zs, &es);
    if beads.is_empty() {
        return pair_proportionally(zh.to_vec(), en.to_vec());
    }
    let join = |side: &[Piece], lang: Lang| side[1..].iter().fold(side[0].clone(), |acc, p| join_piece(&acc, p, lang));
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(beads.len());
    for (di, dj) in beads {
        out.push((join(&zh[i..i + di], Lang::Zh), join(&en[j..j + dj], Lang::En)));
        i += di;
        j += dj;
    }
    out
}

/// The side with more sentences leads, the other is cut in proportion.
fn pair_proportionally(zh: Vec<Piece>, en: Vec<Piece>) -> Vec<(Piece, Piece)> {
    let zh_leads = zh.len() >= en.len();
    let (lead, other, other_lang) = if zh_leads { (zh, en, Lang::En) } else { (en, zh, Lang::Zh) };
    let weights: Vec<usize> = lead.iter().map(|p| len(&p.text).max(1)).collect();
    let other_voice = other.first().and_then(|p| p.voice.clone());
    let joined =
        other.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(if other_lang == Lang::En { " " } else { "" });
    let parts = split_proportionally(&joined, &weights, other_lang);
    lead.into_iter()
        .zip(parts)
        .enumerate()
        .map(|(i, (l, o))| {
            let o = Piece { text: o, voice: if i == 0 { other_voice.clone() } else { None }, held: false };
            if zh_leads {
                (l, o)
            } else {
                (o, l)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_not_speech_but_the_four_players_draw_stay() {
        assert_eq!(without_tags("a <script>x</script> b <img src=x onerror=alert(1)> c"), "a x b  c");
        assert_eq!(
            without_tags("<b>bold</b> and <FONT color=red>red</FONT>"),
            "<b>bold</b> and <FONT color=red>red</FONT>"
        );
        assert_eq!(without_tags("x < y and 3<4 > 2"), "x < y and 3<4 > 2");
        let many = "<".repeat(100_000);
        assert_eq!(without_tags(&many), many);
        let unclosed = "<a".repeat(100_000);
        assert_eq!(without_tags(&unclosed), unclosed);
    }

    fn para(text: &str) -> Paragraph {
        Paragraph { speaker: None, list: None, content: vec![Inline::text(text)] }
    }

    const ALL: Limits = Limits { zh_line: 16, en_line: 42, zh: true, en: true };

    #[test]
    fn sentences_keep_closing_quotes() {
        assert_eq!(sentences("他说：“好。”然后走了。", Lang::Zh), ["他说：“好。”", "然后走了。"]);
        assert_eq!(
            sentences("It works. Really? \"Yes.\" Done", Lang::En),
            ["It works.", "Really?", "\"Yes.\"", "Done"]
        );
        assert_eq!(sentences("Version 4.5 is out.", Lang::En), ["Version 4.5 is out."]);
    }

    #[test]
    fn slight_cues_join_a_neighbour() {
        // Six English sentences against two Chinese ones: the proportional cut leaves slivers of Chinese.
        let zh = [para("这些代码就是用 Rust 编写的。这很重要。")];
        let en = [para(
            "This code. It was written. In a language. Called Rust. By many people. Over many years. It matters.",
        )];
        let zh_only = Limits { en: false, ..ALL };
        for (limits, name) in [(ALL, "bi"), (zh_only, "zh")] {
            let cues = cue_texts(&zh, &en, limits);
            for c in &cues {
                let han = c.zh.chars().filter(|c| c.is_alphanumeric()).count();
                let words = c.en.split_whitespace().count();
                assert!(han > 2 || (limits.en && words < 4 && han > 0), "{name}: {c:?} in {cues:?}");
            }
            let shown: String = cues.iter().map(|c| c.zh.replace(' ', "")).collect();
            assert_eq!(shown, "这些代码就是用Rust编写的。这很重要。", "{name}");
            let heard: Vec<&str> = cues.iter().flat_map(|c| c.en.split_whitespace()).collect();
            assert_eq!(heard.join(" "), en_text(&en), "{name}: the hidden English still times the cues");
        }
    }

    fn en_text(p: &[Paragraph]) -> String {
        let mut s = String::new();
        plain(&p[0].content, &mut s);
        s
    }

    #[test]
    fn a_chinese_clause_is_held_over_english_cues_rather_than_cut() {
        let zh = [para("这是我们花了三年的项目")];
        let en = [para(
            "It took us three whole years to finish this project and we learned a great deal \
             about patience along the way while working on it",
        )];
        let cues = cue_texts(&zh, &en, ALL);
        assert!(cues.len() >= 2, "{cues:?}");
        assert!(cues.iter().all(|c| c.zh == "这是我们花了三年的项目"), "{cues:?}");
        // A Chinese-only track shows it once.
        let zh_only = cue_texts(&zh, &en, Limits { en: false, ..ALL });
        assert_eq!(zh_only.len(), 1, "{zh_only:?}");
        // A clause too long for one line is cut where it meets its English instead, between words.
        let zh = [para("这是我们花了整整三年时间才终于做完的一个大项目")];
        let cues = cue_texts(&zh, &en, ALL);
        assert_eq!(
            cues.iter().map(|c| c.zh.as_str()).collect::<String>(),
            "这是我们花了整整三年时间才终于做完的一个大项目"
        );
        assert!(cues.iter().all(|c| len(&c.zh) >= 4), "{cues:?}");
    }

    #[test]
    fn sentences_pair_by_alignment_when_counts_differ() {
        let zh = [para("你好。我们今天用 Rust 写了一个很长的程序，它跑得很快。")];
        let en = [para("Hello. Today we wrote a long program in Rust. It runs very fast.")];
        let cues = cue_texts(&zh, &en, ALL);
        assert_eq!(cues[0].zh, "你好。", "{cues:?}");
        assert_eq!(cues[0].en, "Hello.", "{cues:?}");
        assert!(cues.iter().any(|c| c.zh.contains("Rust") && c.en.contains("Rust")), "{cues:?}");
    }

    #[test]
    fn equal_sentence_counts_pair_one_to_one() {
        let cues = cue_texts(&[para("第一句。第二句。")], &[para("First one. Second one.")], ALL);
        assert_eq!(cues.len(), 2);
        assert_eq!((cues[1].zh.as_str(), cues[1].en.as_str()), ("第二句。", "Second one."));
    }

    #[test]
    fn long_text_is_cut_until_it_fits_two_lines() {
        let zh = "人工智能的规模化趋势仍在继续，未来一年我们将看到更大更强的模型，它们能够处理更复杂的任务，而这只是开始，真正的变化还在后面。";
        let en = "The scaling trends of AI are continuing, and over the next year we are going to see much bigger and more powerful models that can do greater tasks, and this is only the beginning of it.";
        let cues = cue_texts(&[para(zh)], &[para(en)], ALL);
        assert!(cues.len() >= 3, "{cues:#?}");
        for c in &cues {
            assert!(len(&c.zh) <= 32 && len(&c.en) <= 84, "{c:?}");
            assert!(!c.zh.is_empty() && !c.en.is_empty(), "{c:?}");
        }
        let joined_zh: String = cues.iter().map(|c| c.zh.as_str()).collect();
        assert_eq!(joined_zh, zh);
        let joined_en: Vec<&str> = cues.iter().flat_map(|c| c.en.split(' ')).collect();
        assert_eq!(joined_en.join(" "), en);
    }

    #[test]
    fn glossary_is_reduced_to_the_term() {
        let p = Paragraph {
            speaker: None,
            list: None,
            content: vec![
                Inline::text("我们使用"),
                Inline::Glossary(GlossaryTerm {
                    term: Some("比特".into()),
                    name: Some("Bit".into()),
                    gloss: Some("单位".into()),
                }),
                Inline::text("。"),
            ],
        };
        assert_eq!(cue_texts(&[p], &[], ALL)[0].zh, "我们使用比特。");
    }
}
