//! Which language a run of text is written in, judged by script alone.
//!
//! Used to pair English and Chinese paragraphs in files without `<details>`, to join hard-wrapped lines
//! and to tag headings. It must never look at anything but the characters it is given.

use crate::ir::{is_han, Lang};

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

    pub fn add(self, other: ScriptCounts) -> Self {
        ScriptCounts {
            han: self.han + other.han,
            latin: self.latin + other.latin,
            cjk_punct: self.cjk_punct + other.cjk_punct,
        }
    }

    /// What is left of `self` without `part`, which must have been added into it.
    pub fn minus(self, part: ScriptCounts) -> Self {
        ScriptCounts {
            han: self.han - part.han,
            latin: self.latin - part.latin,
            cjk_punct: self.cjk_punct - part.cjk_punct,
        }
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

/// The separator for a line break between `before` and `after` when lines are joined: none next to
/// Chinese, one space between Latin words.
pub fn join_separator(before: Option<char>, after: Option<char>) -> &'static str {
    match (before, after) {
        (Some(b), Some(a)) if is_cjk(b) || is_cjk(a) => "",
        (None, _) | (_, None) => "",
        _ => " ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
