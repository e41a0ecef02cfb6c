//! End-to-end tests: the real `pillar` binary, real Wasm packs built from
//! plugins/, real fixture files, and SARIF checked against the official
//! 2.1.0 schema.

mod support;

mod accounts;
mod audits;
mod authoring;
mod aws;
mod builds;
mod catalog;
mod compliance;
mod deploy;
mod examples;
mod formats;
mod hostile;
mod html;
mod inputs;
mod pipes;
mod plans;
mod reports;
mod rules;
mod weekly;
