//! bitext reads bilingual Chinese/English transcripts into one intermediate representation and writes
//! them out through pluggable back ends.
//!
//! The pipeline is [`parse`] (bytes to [`ir::Document`]), then passes in [`select`], then a writer from
//! [`emit`]. Library code never prints: the front end returns diagnostics as data, and the batch driver
//! returns results for the CLI to report.

pub mod archive;
pub mod batch;
pub mod cli;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod parse;
pub mod script;
pub mod select;
pub mod theme;
