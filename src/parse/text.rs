//! Runs of inline text, built as the front end reads: adjacent text merges as it is pushed, so later
//! passes see one `Text` where the source had one run of words.

use crate::ir::Inline;

/// Append `text` to `out`, merging it into a trailing `Text`.
pub(super) fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text { text: last }) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::text(text));
    }
}
