//! Speakers shown once per turn: a label opens a paragraph only when someone else spoke last in that
//! language, so a long answer split over many paragraphs names its speaker once. Books and PDFs share it;
//! each draws the label its own way.

use crate::ir::{Lang, Speaker};

/// Who spoke last, in each language.
#[derive(Debug, Clone, Default)]
pub(crate) struct Turns {
    last: [Option<String>; 2],
}

/// What opens a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TurnMark<'a> {
    /// A new speaker: show the name.
    Name(&'a str),
    /// An unnamed change of speaker (`>>`): show a dash.
    Change,
    /// The same speaker goes on, or nobody is named: show nothing.
    Nothing,
}

impl Turns {
    /// Forget who spoke: a new document starts.
    pub fn reset(&mut self) {
        self.last = [None, None];
    }

    /// The mark for a paragraph of `lang` opened by `speaker`.
    pub fn mark<'a>(&mut self, speaker: Option<&'a Speaker>, lang: Lang) -> TurnMark<'a> {
        let last = &mut self.last[lang as usize];
        match speaker {
            Some(Speaker::Named(name)) if last.as_deref() != Some(name.as_str()) => {
                *last = Some(name.clone());
                TurnMark::Name(name)
            }
            Some(Speaker::Named(_)) | None => TurnMark::Nothing,
            Some(Speaker::Turn) => {
                *last = None;
                TurnMark::Change
            }
        }
    }
}

/// The colon after a speaker's name: full-width in Chinese, `: ` in English.
pub(crate) fn label_colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_shows_once_per_turn_and_languages_are_apart() {
        let ada = Speaker::Named("Ada".into());
        let mut turns = Turns::default();
        assert_eq!(turns.mark(Some(&ada), Lang::En), TurnMark::Name("Ada"));
        assert_eq!(turns.mark(Some(&ada), Lang::En), TurnMark::Nothing);
        assert_eq!(turns.mark(Some(&ada), Lang::Zh), TurnMark::Name("Ada"));
        assert_eq!(turns.mark(Some(&Speaker::Turn), Lang::En), TurnMark::Change);
        assert_eq!(turns.mark(Some(&ada), Lang::En), TurnMark::Name("Ada"));
        turns.reset();
        assert_eq!(turns.mark(Some(&ada), Lang::Zh), TurnMark::Name("Ada"));
    }
}
