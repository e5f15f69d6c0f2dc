//! Text written piece by piece whose end is tidied as a whole: the blank lines that end the last piece
//! are dropped, leaving one newline. Markdown and plain text are written a section at a time, so that a
//! long transcript is never whole in memory.

use std::io::{self, Write};

/// Writes text through to `out`, holding back a trailing run of newlines until more text follows.
pub(crate) struct TrailingNewlines<W: Write> {
    out: W,
    held: usize,
}

impl<W: Write> TrailingNewlines<W> {
    pub fn new(out: W) -> Self {
        TrailingNewlines { out, held: 0 }
    }

    pub fn push(&mut self, text: &str) -> io::Result<()> {
        let body = text.trim_end_matches('\n');
        if !body.is_empty() {
            for _ in 0..self.held {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(body.as_bytes())?;
            self.held = 0;
        }
        self.held += text.len() - body.len();
        Ok(())
    }

    /// End the text: one newline where it ended with any.
    pub fn finish(mut self) -> io::Result<()> {
        if self.held > 0 {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tidy(pieces: &[&str]) -> String {
        let mut out = Vec::new();
        let mut t = TrailingNewlines::new(&mut out);
        for p in pieces {
            t.push(p).unwrap();
        }
        t.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn ends_with_one_newline_whatever_the_pieces() {
        assert_eq!(tidy(&["a\n\n", "b\n\n"]), "a\n\nb\n");
        assert_eq!(tidy(&["a\n\n", "\n\n", ""]), "a\n");
        assert_eq!(tidy(&["a", "b"]), "ab");
        assert_eq!(tidy(&["a\n", "\n", "b"]), "a\n\nb");
        assert_eq!(tidy(&[]), "");
    }
}
