//! Pairing: units of the body (headings, paragraphs with their language, the English of a `<details>`)
//! walked once into sections and segments, by the file's convention: A/B (`<details>` after the Chinese),
//! C (English then Chinese, found by script) or D (Chinese only). Unpaired text is kept and reported.

use super::body::{Para, Unit};
use crate::diag::Diagnostic;
use crate::ir::{Block, Lang, Lines, Paragraph, Section, Segment, Speaker};

/// The file's pairing convention.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Convention {
    /// A and B: English in `<details>` after its Chinese.
    Details,
    /// C: an English paragraph, then its Chinese.
    Interleaved,
    /// D: Chinese only.
    ChineseOnly,
}

fn convention(units: &[Unit]) -> Convention {
    if units.iter().any(|u| matches!(u, Unit::English { .. })) {
        return Convention::Details;
    }
    let count =
        |lang| units.iter().filter(|u| matches!(u, Unit::Para(p) if p.lang == Some(lang) && !p.stage_only)).count();
    let (en, zh) = (count(Lang::En), count(Lang::Zh));
    if en > 0 && en * 3 >= zh {
        Convention::Interleaved
    } else {
        Convention::ChineseOnly
    }
}

/// Walks units once and builds sections.
struct Pairing<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
    sections: Vec<Section>,
    pending_zh: Vec<Para>,
    pending_en: Option<(Vec<Paragraph>, Option<u32>, Lines)>,
    /// The last `<details>` was empty: a stray English `<p>` right after it still belongs to `pending_zh`.
    after_empty_details: bool,
    convention: Convention,
}

pub(super) fn pair(units: Vec<Unit>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Section> {
    let convention = convention(&units);
    let mut p = Pairing {
        diagnostics,
        sections: vec![Section { heading: None, blocks: Vec::new() }],
        pending_zh: Vec::new(),
        pending_en: None,
        after_empty_details: false,
        convention,
    };
    for unit in units {
        p.unit(unit);
    }
    p.flush();
    if p.sections.len() > 1 && p.sections[0].blocks.is_empty() {
        p.sections.remove(0);
    }
    p.sections
}

impl Pairing<'_> {
    fn push(&mut self, block: Block) {
        self.sections.last_mut().expect("at least one section").blocks.push(block);
    }

    fn unit(&mut self, unit: Unit) {
        match unit {
            Unit::Heading(h) => {
                self.flush();
                self.sections.push(Section { heading: Some(h), blocks: Vec::new() });
            }
            Unit::Block(b) => {
                self.flush();
                self.push(b);
            }
            Unit::English { paragraphs, timestamp, lines } => {
                if paragraphs.is_empty() {
                    self.after_empty_details = true;
                    return;
                }
                self.after_empty_details = false;
                let zh = std::mem::take(&mut self.pending_zh);
                if zh.is_empty() {
                    self.diagnostics.push(Diagnostic::warning(
                        lines.start,
                        "english original has no chinese paragraph before it; add the translation above the <details> block",
                    ));
                }
                self.segment(zh, paragraphs, timestamp, Some(lines));
            }
            Unit::Para(para) => match self.convention {
                Convention::Details => self.details_para(para),
                Convention::Interleaved => self.interleaved_para(para),
                Convention::ChineseOnly => {
                    if para.stage_only {
                        self.stage(para);
                    } else {
                        self.segment(vec![para], Vec::new(), None, None);
                    }
                }
            },
        }
    }

    fn details_para(&mut self, para: Para) {
        if self.after_empty_details {
            self.flush();
        }
        if para.lang == Some(Lang::En) && !para.stage_only && para.paragraph.list.is_none() {
            self.flush();
            self.diagnostics.push(Diagnostic::warning(
                para.lines.start,
                "english paragraph outside <details>; put it in a <details> block after its chinese translation",
            ));
            let lines = para.lines;
            self.segment(Vec::new(), vec![para.paragraph], para.timestamp, Some(lines));
        } else {
            self.pending_zh.push(para);
        }
    }

    fn interleaved_para(&mut self, para: Para) {
        match para.lang {
            _ if para.stage_only => {
                self.flush();
                self.stage(para);
            }
            Some(Lang::En) => {
                self.flush();
                self.pending_en = Some((vec![para.paragraph], para.timestamp, para.lines));
            }
            _ => match self.pending_en.take() {
                Some((en, timestamp, lines)) => {
                    let lines = Lines { start: lines.start, end: para.lines.end };
                    self.segment(vec![para], en, timestamp, Some(lines));
                }
                None => {
                    self.warn_missing_english(&para);
                    self.segment(vec![para], Vec::new(), None, None);
                }
            },
        }
    }

    fn warn_missing_english(&mut self, para: &Para) {
        self.diagnostics.push(Diagnostic::warning(
            para.lines.start,
            "chinese paragraph has no english original; add the original after it",
        ));
    }

    fn stage(&mut self, para: Para) {
        let mut text = String::new();
        if para.paragraph.speaker == Some(Speaker::Turn) {
            text.push_str(">> ");
        }
        text.push_str(&crate::ir::plain_text(&para.paragraph.content, Lang::En));
        self.push(Block::StageDirection { text, lines: para.lines });
    }

    fn segment(&mut self, zh: Vec<Para>, en: Vec<Paragraph>, timestamp: Option<u32>, en_lines: Option<Lines>) {
        let start = zh.first().map(|p| p.lines.start).or(en_lines.map(|l| l.start)).unwrap_or(0);
        let end = en_lines.map(|l| l.end).or(zh.last().map(|p| p.lines.end)).unwrap_or(start);
        let timestamp = timestamp.or_else(|| zh.iter().find_map(|p| p.timestamp));
        let zh = zh.into_iter().map(|p| p.paragraph).collect();
        self.push(Block::Segment(Segment { zh, en, timestamp, lines: Lines { start, end } }));
    }

    /// Close whatever is waiting for its other half.
    fn flush(&mut self) {
        self.after_empty_details = false;
        if let Some((en, timestamp, lines)) = self.pending_en.take() {
            self.diagnostics.push(Diagnostic::warning(
                lines.start,
                "english paragraph has no chinese translation after it; add the translation",
            ));
            self.segment(Vec::new(), en, timestamp, Some(lines));
        }
        let zh = std::mem::take(&mut self.pending_zh);
        if zh.is_empty() {
            return;
        }
        if zh.iter().all(|p| p.stage_only) {
            for para in zh {
                self.stage(para);
            }
            return;
        }
        if self.convention != Convention::ChineseOnly {
            self.warn_missing_english(&zh[0]);
        }
        self.segment(zh, Vec::new(), None, None);
    }
}
