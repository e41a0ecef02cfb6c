//! One scan pipeline for every command that judges a snapshot: `pillar
//! scan`, `pillar diff` and `pillar rules test` all run it, so a rule sees
//! the same data (derived attributes included) and the same configuration
//! wherever it runs.
//!
//! ```text
//! Project::load(pillar.toml)  ─┐
//! load_packs(host, project)   ─┴▶ Scan::new ─▶ Scan::run(snapshot, options) ─▶ ScanOutcome
//!                                               derive → evaluate → config → triage
//! ```
//!
//! [`Project`] parses `pillar.toml` once into typed sections; what needs
//! the loaded packs (rule ids, parameters, mutes naming rules) is checked by
//! [`Scan::new`], before any pack runs. Rendering the outcome is left to
//! `pillar-report`, and exit codes to the command line.

mod config;
mod error;
mod input;
mod packs;
mod pipeline;
pub mod project;
mod shard;
#[cfg(test)]
mod test_packs;

pub use config::Config;
pub use error::{ProjectError, ScanError};
pub use input::{display_path, read_baseline};
pub use packs::{PackRequest, Packs, load_packs};
pub use pipeline::{Scan, ScanOptions, ScanOutcome};
pub use project::{AccountSpec, DEFAULT_FILE, Project};
pub use shard::Shard;
