//! The IR itself as versioned JSON (`"ir_version": 1`): for other tools, and for golden tests.

use super::{EmitError, Format, Languages, Sink, Uses, WriteOptions, Writer};
use crate::diag::Diagnostic;
use crate::select::Selected;

/// The `json` writer: one file per input, whatever languages were asked for.
pub struct Json;

static FORMAT: Format = Format {
    name: "json",
    extension: "json",
    description: "the intermediate representation as versioned JSON (one file per input)",
    languages: Languages::WholeDocument,
    uses: Uses { pdf: false, subtitles: false, theme: false, archive: false },
    binary: false,
};

impl Writer for Json {
    fn format(&self) -> &'static Format {
        &FORMAT
    }
    fn write(
        &self,
        selected: &Selected<'_>,
        _: &WriteOptions,
        out: &mut dyn Sink,
    ) -> Result<Vec<Diagnostic>, EmitError> {
        serde_json::to_writer_pretty(&mut *out, selected.source()).map_err(|e| EmitError::failed("json", e))?;
        out.write_all(b"\n")?;
        Ok(Vec::new())
    }
}
