//! Plain reading text: no markup, paragraphs separated by blank lines, speakers as `Name: `.
//!
//! Annotations are shown as the source wrote them (`比特（Bit: …）`); a bilingual file puts each English
//! original under its Chinese.

use super::trailing::TrailingNewlines;
use super::turns::label_colon;
use super::{EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::ir::{plain_text, Block, Lang, Paragraph, Speaker};
use crate::select::{Selected, View};

/// The `txt` writer.
pub struct PlainText;

static FORMAT: Format = Format {
    name: "txt",
    extension: "txt",
    description: "plain reading text, bilingual or one language",
    languages: Languages::PerView,
    uses: Uses { pdf: false, subtitles: false, theme: false, archive: false },
    binary: false,
};

impl Writer for PlainText {
    fn format(&self) -> &'static Format {
        &FORMAT
    }
    fn write(
        &self,
        selected: &Selected<'_>,
        _: &WriteOptions,
        sink: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError> {
        let (doc, view) = (selected.document(), selected.view);
        let mut sink = TrailingNewlines::new(sink);
        let mut started = false;
        let mut out = String::with_capacity(8 * 1024);
        if let Some(title) = &selected.reader.written_title {
            out.push_str(title);
            out.push('\n');
            out.push_str(&"=".repeat(title.chars().count().clamp(3, 60)));
            out.push_str("\n\n");
        }
        for section in &doc.sections {
            started |= !out.is_empty();
            sink.push(&out)?;
            out.clear();
            if let Some(h) = &section.heading {
                out.push_str(&plain_text(&h.content, h.lang));
                out.push_str("\n\n");
            } else if started && view == View::En {
                out.push_str("* * *\n\n");
            }
            for block in &section.blocks {
                match block {
                    Block::Segment(s) => {
                        paragraphs(&s.zh, Lang::Zh, &mut out);
                        paragraphs(&s.en, Lang::En, &mut out);
                    }
                    Block::StageDirection { text, .. } | Block::Raw { text, .. } => {
                        out.push_str(text);
                        out.push_str("\n\n");
                    }
                    Block::Quote { paragraphs: ps, .. } => {
                        for p in ps {
                            out.push_str("    ");
                            paragraph(p, Lang::Zh, &mut out);
                        }
                    }
                    Block::Code { text, .. } => {
                        for line in text.lines() {
                            out.push_str("    ");
                            out.push_str(line);
                            out.push('\n');
                        }
                        out.push('\n');
                    }
                    Block::ThematicBreak { .. } => out.push_str("* * *\n\n"),
                }
            }
        }
        sink.push(&out)?;
        sink.finish()?;
        Ok(Vec::new())
    }
}

fn paragraphs(side: &[Paragraph], lang: Lang, out: &mut String) {
    for p in side {
        paragraph(p, lang, out);
    }
}

fn paragraph(p: &Paragraph, lang: Lang, out: &mut String) {
    if let Some(item) = p.list {
        out.push_str(&"  ".repeat(item.depth as usize));
        match item.number {
            Some(n) => out.push_str(&format!("{n}. ")),
            None => out.push_str("• "),
        }
    }
    match &p.speaker {
        Some(Speaker::Named(name)) => {
            out.push_str(name);
            out.push_str(label_colon(lang));
        }
        Some(Speaker::Turn) => out.push_str(">> "),
        None => {}
    }
    out.push_str(&plain_text(&p.content, lang));
    out.push_str("\n\n");
}
