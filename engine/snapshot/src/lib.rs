//! The pillar resource model.
//!
//! A [`Snapshot`] is what every source produces and every rule reads: a live
//! AWS account collected by `pillar collect`, a Terraform plan, or a fixture.
//! It is one JSON document, versioned by [`FORMAT_VERSION`], documented in
//! `docs/resource-model.md`.
//!
//! Resources are named the way Terraform's AWS provider names them (`kind` is
//! the resource type, attributes keep the provider's names), so one rule
//! serves a live account and a plan. A value that is not known (computed at
//! apply time, or not collected) is listed in the resource's `unknown` JSON
//! pointers rather than guessed.

pub mod date;
pub mod derive;
mod diff;
mod error;
pub mod kinds;
mod load;
mod model;
mod suppression;

pub use date::{Date, DateError};
pub use derive::derive;
pub use diff::{AttributeChange, ChangedResource, SnapshotDiff, diff};
pub use error::SnapshotError;
pub use load::{from_str, load, parse_located, read_text};
pub use model::{Gap, Location, PluginView, Resource, Snapshot, Source, SourceKind};
pub use suppression::Suppression;

/// The snapshot format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
