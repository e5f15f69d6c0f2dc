//! The IR itself as versioned JSON (`"ir_version": 1`): for other tools, and for golden tests.

use super::{EmitError, WriteOptions, Writer, Written};
use crate::ir::Document;
use crate::select::View;

/// The `json` writer: one file per input, whatever languages were asked for.
pub struct Json;

impl Writer for Json {
    fn name(&self) -> &'static str {
        "json"
    }
    fn extension(&self) -> &'static str {
        "json"
    }
    fn description(&self) -> &'static str {
        "the intermediate representation as versioned JSON (one file per input)"
    }
    fn per_view(&self) -> bool {
        false
    }
    fn write(&self, doc: &Document, _: View, _: &WriteOptions) -> Result<Written, EmitError> {
        let mut bytes =
            serde_json::to_vec_pretty(doc).map_err(|e| EmitError::Failed { format: "json", message: e.to_string() })?;
        bytes.push(b'\n');
        Ok(bytes.into())
    }
}
