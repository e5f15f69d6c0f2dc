//! What every book format shares: what a book is (`BookSpec`), how its transcripts are grouped into parts
//! and ordered (`plan_parts`), how its members are loaded and selected a few at a time (`chapters`), and
//! what making it did (`BookReport`).
//!
//! Members come in through `Members`, which the batch driver implements over files: this module never
//! touches the file system, and it holds at most `CHUNK` documents at a time.

use crate::archive::Archive;
use crate::diag::Diagnostic;
use crate::ir::{Document, Metadata};
use crate::select::{select_owned, Selected, View};
use rayon::prelude::*;

/// What a book is.
#[derive(Debug, Clone)]
pub struct BookSpec {
    pub title: String,
    pub view: View,
    pub group_by: GroupBy,
    pub sort: SortBy,
    /// Who made the book: the archive file's author, else the members' speakers (or "Various" when there
    /// are many), filled in by the batch driver once it has read the members.
    pub creators: Vec<String>,
    /// The archive file of the book's archive: how its slugs and editions are named.
    pub archive: Archive,
}

/// More speakers than this make an anthology's creator "Various".
const MAX_CREATORS: usize = 3;

impl BookSpec {
    /// The book's creators from its members' speakers (authors where there is no speaker), each once, in
    /// book order; "Various" (多位讲者) when there are more than three. Kept when already set.
    pub fn with_member_creators(mut self, metas: &[&Metadata]) -> BookSpec {
        if !self.creators.is_empty() {
            return self;
        }
        let mut names: Vec<String> = Vec::new();
        for m in metas {
            if let Some(who) = m.speaker.as_ref().or(m.author.as_ref()).filter(|w| !w.trim().is_empty()) {
                if !names.contains(who) {
                    names.push(who.clone());
                }
            }
        }
        self.creators = if names.len() > MAX_CREATORS {
            vec![if self.view == View::En { "Various".to_string() } else { "多位讲者".to_string() }]
        } else {
            names
        };
        self
    }
}

/// How a book divides its transcripts into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Category,
    Area,
    Speaker,
    None,
}

/// The order of transcripts inside a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Date,
    Title,
}

/// A part of a book: its name (none when not grouping) and its members, by index, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: Option<String>,
    pub members: Vec<usize>,
}

/// The transcripts of a book, loaded on demand. Called from several threads at once.
pub trait Members: Sync {
    /// Member `index` (as numbered in the parts), read and parsed; an error diagnostic when it cannot be.
    fn load(&self, index: usize) -> Result<Document, Diagnostic>;
}

/// What writing a book did.
#[derive(Debug, Default)]
pub struct BookReport {
    /// Transcripts in the book.
    pub chapters: usize,
    /// Members left out because they have nothing in the book's language.
    pub skipped: Vec<usize>,
    /// Members that could not be loaded, with why.
    pub failed: Vec<(usize, Diagnostic)>,
    /// What the writer noticed about the book as a whole (characters no font has).
    pub diagnostics: Vec<Diagnostic>,
}

/// Group and order transcripts by their metadata (`metas[i]` is member `i`). Groups come in name order,
/// with transcripts that have no value for the key last; inside a group, by date (then title) or by title.
pub fn plan_parts(metas: &[&Metadata], group_by: GroupBy, sort: SortBy) -> Vec<Part> {
    let key = |m: &Metadata| -> Option<String> {
        match group_by {
            GroupBy::Category => m.category.clone(),
            GroupBy::Area => m.area.clone(),
            GroupBy::Speaker => m.speaker.clone().or_else(|| m.author.clone()),
            GroupBy::None => None,
        }
    };
    let mut order: Vec<usize> = (0..metas.len()).collect();
    order.sort_by(|&a, &b| {
        let (ma, mb) = (metas[a], metas[b]);
        let by_title = ma.title.cmp(&mb.title);
        let primary = match sort {
            SortBy::Date => {
                ma.date.as_deref().unwrap_or("9999").cmp(mb.date.as_deref().unwrap_or("9999")).then(by_title)
            }
            SortBy::Title => by_title,
        };
        primary.then(a.cmp(&b))
    });
    if group_by == GroupBy::None {
        return vec![Part { name: None, members: order }];
    }
    let mut groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    for i in order {
        let k = key(metas[i]);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    groups.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let other = if group_by == GroupBy::Speaker { "Unknown speaker" } else { "Other" };
    groups
        .into_iter()
        .map(|(k, members)| Part { name: Some(k.unwrap_or_else(|| other.to_string())), members })
        .collect()
}

/// How many members are loaded and prepared at once: bounds memory, keeps every core busy.
pub const CHUNK: usize = 8;

/// Load the members `indices` a few at a time and select the book's view of each. `prepare` runs on
/// several threads at once when called on a rayon pool (rendering a chapter); `take` gets the results
/// one by one in book order, on the calling thread. Members with nothing in the book's language are counted as skipped, members that
/// cannot be loaded as failed; neither reaches `prepare`.
pub fn chapters<T: Send, E>(
    indices: &[usize],
    members: &dyn Members,
    spec: &BookSpec,
    report: &mut BookReport,
    prepare: impl Fn(usize, Selected<'static>) -> T + Sync,
    mut take: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    enum Loaded<T> {
        Ready(T),
        Skipped,
        Failed(Diagnostic),
    }
    for chunk in indices.chunks(CHUNK) {
        let load = |&k: &usize| {
            let outcome = match members.load(k) {
                Err(why) => Loaded::Failed(why),
                Ok(doc) => match select_owned(doc, spec.view, &spec.archive) {
                    Some(selected) => Loaded::Ready(prepare(k, selected)),
                    None => Loaded::Skipped,
                },
            };
            (k, outcome)
        };
        // In parallel on the caller's thread pool; one by one when called outside any pool, so that no
        // global pool is started behind the caller's back (it may not be able to start one).
        let loaded: Vec<(usize, Loaded<T>)> = if rayon::current_thread_index().is_some() {
            chunk.par_iter().map(load).collect()
        } else {
            chunk.iter().map(load).collect()
        };
        for (k, outcome) in loaded {
            match outcome {
                Loaded::Ready(chapter) => {
                    report.chapters += 1;
                    take(k, chapter)?;
                }
                Loaded::Skipped => report.skipped.push(k),
                Loaded::Failed(why) => report.failed.push((k, why)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_group_and_sort() {
        let m = |title: &str, date: &str, cat: Option<&str>| Metadata {
            title: title.into(),
            date: Some(date.into()),
            category: cat.map(Into::into),
            ..Default::default()
        };
        let metas =
            [m("b", "2024-01-02", Some("tech")), m("a", "2024-01-03", None), m("c", "2024-01-01", Some("tech"))];
        let refs: Vec<&Metadata> = metas.iter().collect();
        let parts = plan_parts(&refs, GroupBy::Category, SortBy::Date);
        let expected = vec![
            Part { name: Some("tech".into()), members: vec![2, 0] },
            Part { name: Some("Other".into()), members: vec![1] },
        ];
        assert_eq!(parts, expected);
        let parts = plan_parts(&refs, GroupBy::None, SortBy::Title);
        assert_eq!(parts, vec![Part { name: None, members: vec![1, 0, 2] }]);
    }

    struct Fixed(Vec<Result<&'static str, &'static str>>);

    impl Members for Fixed {
        fn load(&self, index: usize) -> Result<Document, Diagnostic> {
            match self.0[index] {
                Ok(src) => Ok(crate::parse::parse_str(src, "m.md").expect("a test transcript").doc),
                Err(why) => Err(Diagnostic::error(0, why)),
            }
        }
    }

    #[test]
    fn chapters_come_in_order_with_skips_and_failures_reported() {
        let bilingual = "---\ntitle: 一\n---\n中文。\n\n<details>\n<summary>Original English</summary>\n<p class=\"english-text\">English.</p>\n</details>\n";
        let chinese = "---\ntitle: 二\n---\n只有中文。\n";
        let members = Fixed(vec![Ok(bilingual), Ok(chinese), Err("cannot read"), Ok(bilingual)]);
        let order: Vec<usize> = (0..4).rev().collect();
        let mut report = BookReport::default();
        let mut seen = Vec::new();
        chapters(
            &order,
            &members,
            &BookSpec {
                title: "T".into(),
                view: View::En,
                group_by: GroupBy::None,
                sort: SortBy::Date,
                creators: Vec::new(),
                archive: Archive::default(),
            },
            &mut report,
            |k, sel| (k, sel.reader.title.clone()),
            |k, (k2, _)| {
                assert_eq!(k, k2);
                seen.push(k);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen, [3, 0]);
        assert_eq!(report.chapters, 2);
        assert_eq!(report.skipped, [1]);
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.failed[0].0, 2);
    }
}
