//! Scripts: which characters are Han, which language a run of text is written in, and the rules of
//! Chinese layout about which characters may start or end a line.
//!
//! One module for the whole crate: the front end pairs paragraphs and joins hard-wrapped lines with it,
//! the selection pass tells a Chinese stage direction from an English one, PDF and subtitles break lines
//! with its rules. It looks at nothing but the characters it is given, and imports nothing of the crate
//! but the `Lang` of the IR. Where Chinese words begin comes from ICU4X's dictionary word segmenter
//! (`icu_segmenter`, its data compiled in: no file to load, no start-up cost).

use crate::ir::Lang;

/// True for a Han ideograph (CJK Unified Ideographs and their extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
}

/// For each character offset of `text` (and its end), whether a word starts there: Chinese words as the
/// ICU dictionary segmenter finds them (`服务`, `为什么`), Latin words and numbers whole, punctuation and
/// spaces on their own. `breaks[0]` and `breaks[len]` are true.
///
/// ICU's dictionary is finer than a reader: it parts a word from its suffix (`开发|者`, `自动|化`,
/// `可观|测|性`) and spells a word it does not know one character at a time (`英|超|联|赛`, `播|客`).
/// So a bound suffix (or a classifier after a numeral) never starts a word here, and two lone characters, neither a particle or other
/// word that stands alone, are taken for one word.
pub fn word_breaks(text: &str) -> Vec<bool> {
    let icu = icu_word_breaks(text);
    let mut breaks = icu.clone();
    let chars: Vec<char> = text.chars().collect();
    // Whether ICU made the character after (or before) offset `k` a word of its own.
    let lone_after = |k: usize| icu[k] && icu[k + 1];
    let lone_before = |k: usize| icu[k] && icu[k - 1];
    for k in 1..chars.len() {
        if !icu[k] || !is_han(chars[k - 1]) || !is_han(chars[k]) {
            continue;
        }
        let suffix =
            BOUND_SUFFIXES.contains(chars[k]) || NUMERALS.contains(chars[k - 1]) && CLASSIFIERS.contains(chars[k]);
        let two_lone =
            lone_after(k) && lone_before(k) && !STANDS_ALONE.contains(chars[k]) && !STANDS_ALONE.contains(chars[k - 1]);
        if suffix || two_lone {
            breaks[k] = false;
        }
    }
    breaks
}

/// Characters that end a word as a suffix and do not start one: `开发者`, `可观测性`, `自动化`, `工程师`,
/// `创造力`.
const BOUND_SUFFIXES: &str = "者性化师们率度家员式型界器力么";

/// Numerals and the classifiers they take: `一篇`, `两个`, `几种` are one word.
const NUMERALS: &str = "一二三四五六七八九十两几百千万亿";
const CLASSIFIERS: &str = "个篇段种些次位条件本张场台项名只句层步点批份";

/// Characters that are a word on their own (particles, pronouns, prepositions, common verbs and
/// adverbs): two of them side by side are two words.
const STANDS_ALONE: &str = "的地得了着过是在和与或及也就都把被让对从向给为而但并又很还要会能可这那我你他她它们有没不一个各每其此该所以如若于吗呢吧啊呀嘛哦嗯说看做想去来到用";

fn icu_word_breaks(text: &str) -> Vec<bool> {
    use icu_segmenter::{options::WordBreakInvariantOptions, WordSegmenter, WordSegmenterBorrowed};
    // Made once: the constructor gathers the dictionaries, the cost of every call otherwise.
    static SEGMENTER: std::sync::LazyLock<WordSegmenterBorrowed<'static>> =
        std::sync::LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));
    let segmenter = *SEGMENTER;
    let mut breaks = vec![false; text.chars().count() + 1];
    let mut byte_to_char = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).enumerate();
    let mut current = byte_to_char.next();
    for byte in segmenter.segment_str(text) {
        while let Some((k, b)) = current {
            if b >= byte {
                if b == byte {
                    breaks[k] = true;
                }
                break;
            }
            current = byte_to_char.next();
        }
    }
    breaks
}

/// True when `text` has any Han character.
pub fn has_han(text: &str) -> bool {
    text.chars().any(is_han)
}

/// The language of a short piece of text a writer has to tag (a summary, a note, a stage direction):
/// Chinese as soon as it holds one Han character, English otherwise. Paragraphs of the body are judged
/// by `classify`, which weighs the scripts against each other.
pub fn lang_of(text: &str) -> Lang {
    if has_han(text) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// True for text a reader of `lang` alone can read: anything for Chinese, no Han character for English.
pub fn readable_in(text: &str, lang: Lang) -> bool {
    lang == Lang::Zh || !has_han(text)
}

/// True for characters after or before which Chinese text joins with no space: Han, CJK punctuation,
/// full-width forms, kana and the like.
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31C0..=0x31EF
            | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// The language of a paragraph: Chinese when Han characters are at least a quarter as many as Latin
/// letters, or when Chinese punctuation joins a few Han characters to a URL or product names
/// (`只需访问brilliant.org。`). An English sentence with a stray Chinese word stays English. `None` when
/// the text has no letters at all. Text in parentheses (translations and glosses of terms) counts only
/// when there is nothing else.
pub fn classify(text: &str) -> Option<Lang> {
    ScriptCounts::of(text, true).lang().or_else(|| ScriptCounts::of(text, false).lang())
}

/// Letters of each script in a piece of text; counts of consecutive pieces add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptCounts {
    han: usize,
    latin: usize,
    cjk_punct: usize,
}

impl ScriptCounts {
    /// Count `text`, leaving out what stands in parentheses when `skip_parenthetical`.
    pub fn of(text: &str, skip_parenthetical: bool) -> Self {
        let mut counts = ScriptCounts::default();
        let mut depth = 0usize;
        for c in text.chars() {
            if skip_parenthetical {
                match c {
                    '(' | '（' => depth += 1,
                    ')' | '）' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if depth > 0 {
                    continue;
                }
            }
            if c.is_ascii() {
                counts.latin += usize::from(c.is_ascii_alphabetic());
            } else if is_han(c) {
                counts.han += 1;
            } else if c.is_alphabetic() {
                counts.latin += 1;
            } else if matches!(c, '，' | '。' | '！' | '？' | '、' | '；' | '：') {
                counts.cjk_punct += 1;
            }
        }
        counts
    }

    pub fn lang(self) -> Option<Lang> {
        match (self.han, self.latin) {
            (0, 0) => None,
            (h, l) if h * 4 >= l => Some(Lang::Zh),
            (h, l) if self.cjk_punct > 0 && h >= 2 && h * 10 >= l => Some(Lang::Zh),
            _ => Some(Lang::En),
        }
    }
}

impl std::ops::Add for ScriptCounts {
    type Output = ScriptCounts;
    fn add(self, other: ScriptCounts) -> ScriptCounts {
        ScriptCounts {
            han: self.han + other.han,
            latin: self.latin + other.latin,
            cjk_punct: self.cjk_punct + other.cjk_punct,
        }
    }
}

/// What is left of a count without a part that was added into it.
impl std::ops::Sub for ScriptCounts {
    type Output = ScriptCounts;
    fn sub(self, part: ScriptCounts) -> ScriptCounts {
        ScriptCounts {
            han: self.han - part.han,
            latin: self.latin - part.latin,
            cjk_punct: self.cjk_punct - part.cjk_punct,
        }
    }
}

/// The separator for a line break between `before` and `after` when lines are joined: none next to
/// Chinese, one space between Latin words.
pub fn join_separator(before: Option<char>, after: Option<char>) -> &'static str {
    match (before, after) {
        (Some(b), Some(a)) if is_cjk(b) || is_cjk(a) => "",
        (None, _) | (_, None) => "",
        _ => " ",
    }
}

/// Characters no line may start with (clreq: closing punctuation and marks that end a clause).
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '：'
            | '；'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〉'
            | '》'
            | '〕'
            | '］'
            | '｝'
            | '”'
            | '’'
            | '〗'
            | '〙'
            | '〛'
            | '・'
            | '·'
            | '％'
            | '‰'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

/// Characters no line may end with (clreq: opening quotes and brackets).
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '【'
            | '〈'
            | '《'
            | '〔'
            | '［'
            | '｛'
            | '“'
            | '‘'
            | '〖'
            | '〘'
            | '〚'
            | '('
            | '['
            | '{'
    )
}

/// Pairs that must stay together on one line: the two halves of `——` and `……`.
pub fn inseparable(a: char, b: char) -> bool {
    (a == b && matches!(a, '—' | '…' | '⋯' | '─')) || (a == '—' && b == '—')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_words_come_whole() {
        let text = "为什么服务Linux 4000个";
        let b = word_breaks(text);
        let starts: Vec<usize> = (0..=text.chars().count()).filter(|&k| b[k]).collect();
        for inside in [1, 2, 4, 6, 7, 8, 9, 12, 13, 14] {
            assert!(!starts.contains(&inside), "break at {inside}: {starts:?}");
        }
        assert!(b[0] && b[3] && b[5] && b[text.chars().count()], "{starts:?}");
    }

    #[test]
    fn han_detection_covers_common_and_extension_ranges() {
        assert!(is_han('中'));
        assert!(is_han('\u{20000}'));
        assert!(!is_han('。'));
        assert!(!is_han('A'));
        assert_eq!(lang_of("Hello 世界"), Lang::Zh);
        assert_eq!(lang_of("[music]"), Lang::En);
        assert!(readable_in("标题", Lang::Zh) && !readable_in("标题", Lang::En) && readable_in("Title", Lang::En));
    }

    #[test]
    fn line_rules_keep_punctuation_with_its_text() {
        assert!(no_line_start('。') && no_line_start('”') && !no_line_start('中'));
        assert!(no_line_end('“') && no_line_end('（') && !no_line_end('。'));
        assert!(inseparable('—', '—') && inseparable('…', '…') && !inseparable('中', '文'));
    }

    #[test]
    fn classifies_by_script_ratio() {
        assert_eq!(classify("人工智能的规模化趋势仍在继续。"), Some(Lang::Zh));
        assert_eq!(classify("今天我将要讨论 Anthropic 最新发布的模型 Sonnet 4.5"), Some(Lang::Zh));
        assert_eq!(classify("The term **prefill** (预填充：处理输入) matters here a lot."), Some(Lang::En));
        assert_eq!(classify("[00:00:35] ..."), None);
        assert_eq!(classify("只需访问brilliant.org/veritasium。"), Some(Lang::Zh));
        assert_eq!(
            classify("The **MemGPT** (Memory-GPT: 一种允许大型语言模型管理自己的上下文的系统) idea."),
            Some(Lang::En)
        );
        assert_eq!(classify("（笑）"), Some(Lang::Zh));
    }

    #[test]
    fn joins_lines_without_space_next_to_chinese() {
        assert_eq!(join_separator(Some('n'), Some('的')), "");
        assert_eq!(join_separator(Some('。'), Some('A')), "");
        assert_eq!(join_separator(Some('t'), Some('t')), " ");
    }
}
