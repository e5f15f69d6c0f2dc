//! Where to cut: the kinds of boundary in a text (sentence end, clause mark, word, character), the best
//! place near a target, a pair of cuts chosen together so that both halves of a bilingual cue say the same
//! thing, and the one or two balanced lines a cue's text is shown in.

use crate::ir::Lang;
use crate::script::{no_line_start, word_breaks};

/// Length as a subtitler counts it: characters.
pub(crate) fn len(s: &str) -> usize {
    s.chars().count()
}

/// The kind of boundary before each character offset (index `k` is the place between character `k - 1`
/// and `k`; 0 and the end are never boundaries). English: 3 after a sentence end, 2 after a clause mark,
/// 1 another space. Chinese: 4 after a sentence end, 3 after a clause mark, 2 between words, 1 inside a
/// word (a last resort). 0: not a place to cut: inside a Latin word, a number or a name, before closing
/// punctuation.
pub(crate) fn strengths(text: &str, lang: Lang) -> Vec<u8> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let names = latin_phrases(&chars);
    let words = if lang == Lang::Zh { word_breaks(text) } else { Vec::new() };
    let mut out = vec![0u8; n + 1];
    for k in 1..n {
        let (a, b) = (chars[k - 1], chars[k]);
        out[k] = match lang {
            Lang::En if b != ' ' => 0,
            Lang::En if matches!(a, '.' | '!' | '?') => 3,
            Lang::En if matches!(a, ',' | ';' | ':') => 2,
            Lang::En => 1,
            Lang::Zh if no_line_start(b) || b == ' ' && k + 1 < n && no_line_start(chars[k + 1]) => 0,
            Lang::Zh if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() || names[k] => 0,
            Lang::Zh if matches!(a, '。' | '！' | '？') => 4,
            Lang::Zh if matches!(a, '，' | '；' | '：' | '、') => 3,
            Lang::Zh if words[k] => 2,
            Lang::Zh => 1,
        };
    }
    out
}

/// For each character offset, whether it is at a space between two Latin words in Chinese text, the second
/// capitalised or a number, or the first a number (`Evan Peña`, `Armadin Red`, `GPT 4`, `1 petabit`): a
/// name or a quantity, kept on one line when the whole run of Latin words is at most `NAME_MAX`
/// characters. A longer run (`Los Alamos National Labs`) or a phrase in lower case may still be broken.
fn latin_phrases(chars: &[char]) -> Vec<bool> {
    const NAME_MAX: usize = 14;
    let latin = |c: char| c.is_ascii_alphanumeric() || matches!(c, 'À'..='ɏ');
    let capital = |c: char| c.is_uppercase() || c.is_ascii_digit();
    let mut out = vec![false; chars.len() + 1];
    let mut k = 0;
    while k < chars.len() {
        if !latin(chars[k]) {
            k += 1;
            continue;
        }
        // A run of Latin words separated by single spaces, from `k` to `end`.
        let mut end = k;
        while end < chars.len()
            && (latin(chars[end]) || chars[end] == ' ' && chars.get(end + 1).is_some_and(|&c| latin(c)))
        {
            end += 1;
        }
        if end - k <= NAME_MAX {
            for j in k + 1..end {
                if chars[j] == ' ' && (capital(chars[j + 1]) || chars[j - 1].is_ascii_digit()) {
                    out[j] = true;
                    out[j + 1] = true;
                }
            }
        }
        k = end;
    }
    out
}

/// The best place to cut `text` near `target` (a character offset): after a sentence end, else after a
/// clause mark, else at a space (English) or between words (Chinese), else between characters not before
/// closing punctuation (Chinese, a last resort). Returns a character offset strictly inside the text, or
/// `None` for text too short to cut.
pub(crate) fn cut_near(text: &str, target: usize, lang: Lang) -> Option<usize> {
    cut_near_scored(text, target, lang).map(|(k, _)| k)
}

/// `cut_near` with the kind of place found near the target (as `strengths` numbers them), or 0 when the
/// best is far off.
pub(crate) fn cut_near_scored(text: &str, target: usize, lang: Lang) -> Option<(usize, u8)> {
    let strength = strengths(text, lang);
    let n = strength.len() - 1;
    // Prefer strong boundaries within a window around the target, then the nearest boundary of any kind.
    let window = (n / 4).max(2);
    let mut best: Option<(u8, usize, usize)> = None;
    for (k, &s) in strength.iter().enumerate() {
        if s == 0 {
            continue;
        }
        let dist = k.abs_diff(target);
        let score = if dist <= window { s } else { 0 };
        if best.is_none_or(|(bs, bd, _)| score > bs || (score == bs && dist < bd)) {
            best = Some((score, dist, k));
        }
    }
    best.map(|(score, _, k)| (k, score))
}

/// The text before and after character offset `k`, trimmed.
pub(crate) fn split_at_char(text: &str, k: usize) -> (String, String) {
    let byte = text.char_indices().nth(k).map_or(text.len(), |(b, _)| b);
    (text[..byte].trim().to_string(), text[byte..].trim().to_string())
}

/// Cut `text` into `parts` pieces at positions proportional to `weights`.
pub(crate) fn split_proportionally(text: &str, weights: &[usize], lang: Lang) -> Vec<String> {
    let total: usize = weights.iter().sum::<usize>().max(1);
    let mut out = Vec::new();
    let mut rest = text.to_string();
    let mut remaining_weight = total;
    for w in &weights[..weights.len().saturating_sub(1)] {
        let target = (len(&rest) * w + remaining_weight / 2) / remaining_weight.max(1);
        match cut_near(&rest, target.max(1), lang) {
            Some(k) => {
                let (a, b) = split_at_char(&rest, k);
                out.push(a);
                rest = b;
            }
            None => out.push(String::new()),
        }
        remaining_weight -= w;
    }
    out.push(rest);
    out
}

/// Where a bilingual pair that does not fit is cut: a place in each side, chosen together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairCut {
    /// Character offsets of the cuts.
    pub zh: usize,
    pub en: usize,
    /// What the cut costs: 0 for two sentence ends at the same point of what is said; a word break, a
    /// Chinese half a tenth of the way off its English, a name on the wrong side each add about 3 to 10.
    pub cost: f32,
    /// The kind of place the Chinese cut is (as `strengths` numbers them).
    pub zh_strength: u8,
}

/// How far through a text each boundary is, by what is said: an English letter or digit counts 1; in
/// Chinese a Han character counts 1 and a Latin letter or digit 0.4 (a name or number in Latin letters
/// is said in about as long as its English, and an English word runs about three letters to a Han
/// character's worth); punctuation and spaces count nothing.
fn progress(text: &str, lang: Lang) -> Vec<f32> {
    let mut out = Vec::with_capacity(text.len() + 1);
    let mut total = 0.0f32;
    out.push(0.0);
    for c in text.chars() {
        total += match (lang, c) {
            (Lang::Zh, c) if c.is_ascii_alphanumeric() => 0.4,
            (_, c) if c.is_alphanumeric() => 1.0,
            _ => 0.0,
        };
        out.push(total);
    }
    let end = total.max(f32::EPSILON);
    out.iter_mut().for_each(|x| *x /= end);
    out
}

/// The names and numbers written in Latin letters or digits, lower-cased, with the character span of
/// each: runs of two or more letters or digits, or a single digit.
pub(crate) fn marks(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<char> = text.chars().collect();
    for k in 0..=chars.len() {
        let inside = chars.get(k).is_some_and(char::is_ascii_alphanumeric);
        match (inside, start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                let word: String = chars[s..k].iter().map(char::to_ascii_lowercase).collect();
                if k - s >= 2 || word.chars().all(|c| c.is_ascii_digit()) {
                    out.push((word, s, k));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Marks the two sides share, paired in order: (Chinese end, English end) offsets of each pair. A mark
/// written a different number of times on each side pairs nowhere (which of them corresponds is not
/// known).
fn shared_marks(zh: &str, en: &str) -> Vec<(usize, usize)> {
    let zm = marks(zh);
    let em = marks(en);
    let mut out = Vec::new();
    for (i, (word, _, z_end)) in zm.iter().enumerate() {
        if zm[..i].iter().any(|m| m.0 == *word) {
            continue;
        }
        let z_ends: Vec<usize> =
            std::iter::once(*z_end).chain(zm[i + 1..].iter().filter(|m| m.0 == *word).map(|m| m.2)).collect();
        let e_ends: Vec<usize> = em.iter().filter(|m| m.0 == *word).map(|m| m.2).collect();
        if z_ends.len() == e_ends.len() {
            out.extend(z_ends.into_iter().zip(e_ends));
        }
    }
    out
}

/// Particles and conjunctions after which a Chinese line or cue reads as a whole phrase (`的`, `了`, `和`):
/// of two places between words, the one after a particle is the surer.
fn is_particle(c: char) -> bool {
    "的了着过和与或是在把被对从向给而但并又".contains(c)
}

/// What a place of each kind costs as a cut: Chinese by its four kinds, English by its three.
fn place_cost(strength: u8, lang: Lang) -> f32 {
    match (lang, strength) {
        (Lang::Zh, 4) | (Lang::En, 3) => 0.0,
        (Lang::Zh, 3) | (Lang::En, 2) => 1.0,
        (Lang::Zh, 2) => 4.0,
        (Lang::En, _) => 3.0,
        (Lang::Zh, _) => 14.0,
    }
}

/// Cut a bilingual pair in two, both sides at once, so that each half of the Chinese says what the same
/// half of the English says: the places scored by their kind (sentence end, clause mark, word), by how
/// far apart they fall in what is said, by how near the middle of a side that is too long they are, and
/// by the names and numbers both sides write, which must fall in the same half. A half that would show a
/// character or two of Chinese against a line of English costs dear. `over_zh` and `over_en` say which
/// sides do not fit. `None` when either side has no place to cut.
pub(crate) fn cut_pair(zh: &str, en: &str, over_zh: bool, over_en: bool) -> Option<PairCut> {
    let (zs, es) = (strengths(zh, Lang::Zh), strengths(en, Lang::En));
    let (zp, ep) = (progress(zh, Lang::Zh), progress(en, Lang::En));
    let anchors = shared_marks(zh, en);
    let zh_chars: Vec<char> = zh.chars().collect();
    // Han characters of the Chinese and words of the English before each place, for slight halves.
    let mut zh_han = vec![0usize; zh_chars.len() + 1];
    for (k, c) in zh_chars.iter().enumerate() {
        zh_han[k + 1] = zh_han[k] + usize::from(crate::script::is_han(*c));
    }
    let en_chars: Vec<char> = en.chars().collect();
    let mut en_words = vec![0usize; en_chars.len() + 1];
    for (k, c) in en_chars.iter().enumerate() {
        let starts = c.is_alphanumeric() && (k == 0 || !en_chars[k - 1].is_alphanumeric());
        en_words[k + 1] = en_words[k] + usize::from(starts);
    }
    let (z_total, e_total) = (zh_han[zh_chars.len()], en_words[en_chars.len()]);
    // Chinese places inside a word only when there is nothing better.
    let floor = if zs.iter().any(|&s| s >= 2) { 2 } else { 1 };
    let z_places: Vec<usize> = (1..zh_chars.len()).filter(|&k| zs[k] >= floor).collect();
    let e_places: Vec<usize> = (1..en_chars.len()).filter(|&k| es[k] >= 1).collect();
    let balance = |over: bool, k: usize, n: usize| if over { 6.0 * (k as f32 / n as f32 - 0.5).abs() } else { 0.0 };
    let mut best: Option<(f32, PairCut)> = None;
    for &kz in &z_places {
        let particle = if zs[kz] == 2 && is_particle(zh_chars[kz - 1]) { 1.0 } else { 0.0 };
        let z_cost = place_cost(zs[kz], Lang::Zh) - particle + balance(over_zh, kz, zh_chars.len());
        for &ke in &e_places {
            let apart = (zp[kz] - ep[ke]).abs();
            if apart > 0.35 {
                continue;
            }
            let mut cost = z_cost + place_cost(es[ke], Lang::En) + balance(over_en, ke, en_chars.len()) + 30.0 * apart;
            cost += 10.0 * anchors.iter().filter(|&&(z_end, e_end)| (z_end <= kz) != (e_end <= ke)).count() as f32;
            let slight = |zh_n: usize, en_n: usize| zh_n <= 2 && en_n >= 4;
            if slight(zh_han[kz], en_words[ke]) || slight(z_total - zh_han[kz], e_total - en_words[ke]) {
                cost += 20.0;
            }
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, PairCut { zh: kz, en: ke, cost, zh_strength: zs[kz] }));
            }
        }
    }
    best.map(|(_, cut)| cut)
}

/// One or two lines, balanced, each within `max` characters where the text allows, never a line that
/// starts with closing punctuation.
pub(crate) fn lines(text: &str, max: usize, lang: Lang) -> Vec<String> {
    if len(text) <= max {
        return vec![text.to_string()];
    }
    match line_break(text, max, lang) {
        Some((k, _)) => {
            let (a, b) = split_at_char(text, k);
            vec![a, b]
        }
        None => vec![text.to_string()],
    }
}

/// Whether `text` shows as at most two lines of `max` characters with the break between words (Chinese)
/// or at a space (English).
pub(crate) fn fits_two_lines(text: &str, max: usize, lang: Lang) -> bool {
    let n = len(text);
    // Two lines of `max` and the spaces trimmed at the break: anything longer cannot fit.
    if n <= max {
        return true;
    }
    if n > 2 * max + 2 {
        return false;
    }
    line_break(text, max, lang).is_some_and(|(k, clean)| {
        let (a, b) = split_at_char(text, k);
        clean && len(&a) <= max && len(&b) <= max
    })
}

/// Where `lines` breaks a text too long for one line (a character offset), and whether the break is
/// clean: not inside a Chinese word.
fn line_break(text: &str, max: usize, lang: Lang) -> Option<(usize, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let names = if lang == Lang::Zh { latin_phrases(&chars) } else { vec![false; n + 1] };
    // Han characters before each position, so that "is either line without Chinese" costs nothing.
    let mut han_before = Vec::with_capacity(n + 1);
    han_before.push(0usize);
    for &c in &chars {
        han_before.push(han_before.last().copied().unwrap_or(0) + usize::from(crate::script::is_han(c)));
    }
    // Balanced lines, preferring a break after a clause mark: each character of imbalance costs 2, a
    // break after punctuation earns 16, one after a particle 8, a break inside a Chinese word costs 40, a line over the limit
    // costs 100 a character.
    let words = if lang == Lang::Zh { word_breaks(text) } else { Vec::new() };
    let mut best: Option<(isize, usize)> = None;
    for k in 1..n {
        let inside_word = chars[k - 1].is_ascii_graphic() && chars[k].is_ascii_graphic() || names[k];
        let boundary = match lang {
            Lang::En => chars[k] == ' ',
            // Between Chinese characters, or at a space; never inside a Latin word, a number or a name.
            Lang::Zh => !no_line_start(chars[k]) && !inside_word,
        };
        if !boundary {
            continue;
        }
        // Lengths without building the strings: the break space (English) belongs to neither line.
        let (la, lb) = match lang {
            Lang::En => (k as isize, (n - k - 1) as isize),
            Lang::Zh => (k as isize, (n - k) as isize),
        };
        let over = (la - max as isize).max(0) + (lb - max as isize).max(0);
        let after_mark =
            matches!(chars[k - 1], '，' | '、' | '；' | '：' | '。' | '！' | '？' | ',' | ';' | ':' | '.' | '—');
        // A Chinese line with no Chinese in it (a lone product name) reads badly: avoid it.
        let bare = lang == Lang::Zh && (han_before[k] == 0 || han_before[n] == han_before[k]);
        let split_word = lang == Lang::Zh && !words[k];
        let after_particle = lang == Lang::Zh && words[k] && is_particle(chars[k - 1]);
        let cost =
            2 * (la - lb).abs() + 100 * over - if after_mark { 16 } else { 0 } - if after_particle { 8 } else { 0 }
                + if bare { 30 } else { 0 }
                + if split_word { 40 } else { 0 };
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, k));
        }
    }
    best.map(|(_, k)| (k, lang == Lang::En || words[k]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_lines_never_break_inside_a_latin_word() {
        let text = "我们用Perseverance Rover做了很多实验和测试工作";
        for l in lines(text, 12, Lang::Zh) {
            assert!(!l.starts_with("ance") && !l.ends_with("Persever"), "{l}");
        }
        let l = lines("使用Python语言编写的程序可以运行在Linux系统上面", 12, Lang::Zh);
        assert!(l.iter().all(|x| !x.starts_with(|c: char| c.is_ascii_lowercase())), "{l:?}");
    }

    #[test]
    fn lines_are_balanced_and_never_start_with_closing_punctuation() {
        let l = lines("这是一个相当长的句子，需要被分成两行来显示。", 16, Lang::Zh);
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| len(x) <= 16 && !no_line_start(x.chars().next().unwrap())), "{l:?}");
        let l = lines("The scaling trends of AI are continuing at a remarkable pace today", 42, Lang::En);
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| len(x) <= 42), "{l:?}");
    }

    #[test]
    fn a_full_chinese_pair_of_lines_broken_inside_a_word_does_not_fit() {
        // Sixteen characters a line; the only balanced break falls inside `服务`.
        let text = "我们今天终于完成了所有的准备工作为客户服务器的迁移做好了准备";
        let chars = len(text);
        assert!(chars <= 32);
        let l = lines(text, 16, Lang::Zh);
        assert!(l.iter().all(|x| len(x) <= 16), "{l:?}");
        assert!(fits_two_lines("我们今天终于完成了所有的准备工作", 16, Lang::Zh));
        assert!(!fits_two_lines(&"很".repeat(40), 16, Lang::Zh));
    }

    #[test]
    fn a_pair_is_cut_where_both_sides_say_the_same_thing() {
        let zh = "我们先在 Linux 上测试了新的驱动程序，然后把它移植到了 Windows 上。";
        let en = "First we tested the new driver on Linux, and then we ported it over to Windows.";
        let cut = cut_pair(zh, en, true, true).unwrap();
        let (za, zb) = split_at_char(zh, cut.zh);
        let (ea, eb) = split_at_char(en, cut.en);
        assert_eq!(
            (za.as_str(), ea.as_str()),
            ("我们先在 Linux 上测试了新的驱动程序，", "First we tested the new driver on Linux,")
        );
        assert!(zb.contains("Windows") && eb.contains("Windows"), "{zb} / {eb}");
    }

    #[test]
    fn names_decide_the_cut_when_the_clauses_come_in_another_order() {
        // The Chinese names Rust first, the English last: each half keeps its name with its English.
        let zh = "为了让内核更安全，社区决定引入 Rust 语言，而维护者们花了两年时间讨论这个问题";
        let en = "The maintainers spent two years discussing it, and then the community decided to bring in Rust to make the kernel safer";
        let cut = cut_pair(zh, en, true, true).unwrap();
        let (za, zb) = split_at_char(zh, cut.zh);
        let (ea, eb) = split_at_char(en, cut.en);
        let together = |z: &str, e: &str| z.contains("Rust") == e.contains("Rust");
        assert!(together(&za, &ea) && together(&zb, &eb), "{za} / {ea} | {zb} / {eb}");
    }

    #[test]
    fn a_name_in_latin_letters_stays_on_one_line() {
        let l = lines("创始团队包括凯文·曼迪亚和埃文·佩尼亚（Evan Peña）等人", 16, Lang::Zh);
        assert!(l.iter().any(|x| x.contains("Evan Peña")), "{l:?}");
        let s = strengths("叫 Armadin Red 的团队", Lang::Zh);
        assert_eq!(&s[9..11], [0, 0], "{s:?}");
    }

    #[test]
    fn marks_pair_only_when_counted_alike() {
        assert_eq!(shared_marks("在 2026 年，AI 和 AI", "In 2026, AI"), [(6, 7)]);
        assert_eq!(
            marks("GPT-4 跑了 3 次"),
            [("gpt".to_string(), 0, 3), ("4".to_string(), 4, 5), ("3".to_string(), 9, 10)]
        );
    }
}
