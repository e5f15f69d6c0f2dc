//! Integration tests: one binary, one module per concern. The real corpus is read from
//! `../shared/corpus` (or `$BITEXT_CORPUS`), never copied into the repository.

mod archive_build;
mod bad_input;
mod corpus;
mod epub;
mod examples;
mod fixtures;
mod golden;
mod identity;
mod mutate;
mod pdf;
mod project;
mod robustness;
mod roundtrip;
mod roundtrip_prop;
mod site;
mod subtitles;
mod support;
