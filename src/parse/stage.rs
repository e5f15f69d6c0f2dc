//! Stage directions and timestamps: `[laughter]`, `(Applause)`, `（笑）`, `[ __ ]` on one side, `[00:01:35]`
//! on the other. Both stand in brackets inside text, so one module tells them apart; it looks only at the
//! text it is given.

const STAGE_WORDS_EN: &[&str] = &[
    "applause",
    "laughter",
    "laughs",
    "laughing",
    "laugh",
    "music",
    "cheering",
    "cheers",
    "inaudible",
    "crosstalk",
    "silence",
    "pause",
    "sighs",
    "coughs",
    "chuckles",
    "chuckling",
    "audience laughs",
    "audience laughter",
    "music playing",
    "upbeat music",
    "video playing",
    "indistinct chatter",
];
const STAGE_WORDS_ZH: &[&str] = &[
    "笑",
    "笑声",
    "大笑",
    "轻笑",
    "众笑",
    "观众笑",
    "掌声",
    "鼓掌",
    "音乐",
    "停顿",
    "沉默",
    "叹气",
    "咳嗽",
    "听不清",
    "笑声和掌声",
    "掌声和笑声",
];

/// The longest text a stage direction holds inside its brackets, in characters.
const MAX_STAGE_CHARS: usize = 30;

/// True for the inside of a stage direction's brackets.
pub(super) fn is_stage_word(inner: &str, square: bool) -> bool {
    let inner = inner.trim();
    if inner.is_empty() || inner.chars().count() > MAX_STAGE_CHARS {
        return false;
    }
    if STAGE_WORDS_ZH.contains(&inner) || STAGE_WORDS_EN.contains(&inner.to_ascii_lowercase().as_str()) {
        return true;
    }
    square
        && inner.chars().all(|c| c.is_ascii_lowercase() || c == ' ' || c == '_' || c == '\'')
        && parse_clock(inner).is_none()
}

/// Byte range of the first stage direction in `text`.
pub(super) fn find_stage(text: &str) -> Option<(usize, usize)> {
    for (start, open) in text.char_indices() {
        let (close, square) = match open {
            '[' => (']', true),
            '(' => (')', false),
            '（' => ('）', false),
            _ => continue,
        };
        let after = start + open.len_utf8();
        // A stage direction is short (spaces inside its brackets aside): look for its closing bracket only
        // that far, so that a long run of opening brackets costs linear time.
        let near = text[after..].char_indices().take(2 * MAX_STAGE_CHARS + 2).find(|&(_, c)| c == close);
        if let Some((len, _)) = near {
            if is_stage_word(&text[after..after + len], square) {
                return Some((start, after + len + close.len_utf8()));
            }
        }
    }
    None
}

/// `hh:mm:ss`, `h:mm:ss` or `mm:ss` to seconds.
pub fn parse_clock(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    if nums[1..].iter().any(|&n| n >= 60) {
        return None;
    }
    Some(nums.iter().fold(0, |acc, n| acc * 60 + n))
}
