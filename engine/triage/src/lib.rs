//! The decision layer between evaluation and the report writers: what a
//! finding means for the people reading the report, beyond its verdict.
//!
//! - [`fingerprint`](Triage::fingerprints): a stable identity per finding;
//! - suppressions: `# pillar:ignore` comments in source, and [`Mute`]s
//!   (accepted risks with a reason, an owner and an expiry);
//! - the [`Baseline`] comparison: new, unchanged, updated, fixed.
//!
//! [`Triage::build`] computes all of it once per scan, so that every writer
//! (SARIF, JSON, text, HTML, drift) shows the same dispositions. None of it
//! renders anything: that is `pillar-report`'s job.

mod baseline;
mod fingerprint;
mod mute;
mod triage;

pub use baseline::{Baseline, BaselineEntry, BaselineError, FINGERPRINT_KEY};
pub use mute::{EXPIRY_WARNING_DAYS, Mute, MuteState, Pattern, TagMatch};
pub use pillar_snapshot::{Date, DateError};
pub use triage::{
    BaselineCounts, BaselineState, Gone, MuteUse, Suppressed, SuppressionKind, Triage, TriageInput,
};
