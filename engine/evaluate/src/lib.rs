//! The pillar rule host.
//!
//! Rule packs are WebAssembly components implementing a `pillar:rules`
//! contract (`wit/v<range>/rules.wit`; every range in [`CONTRACT_VERSIONS`]
//! loads side by side, see `bindings`). The
//! host compiles each once (cached on disk by content hash and engine
//! compatibility), runs them in parallel over a snapshot's resources batched
//! by kind, and keeps each one in a sandbox: no files, network, environment
//! or arguments, and nothing to wait on; an epoch deadline per call and a
//! time budget per scan; memory bounded per memory, per pack on every
//! thread, and for all third-party packs together; a bound on the bytes it
//! can make the host lift; budgets on findings and log output per call and
//! per scan. Every string a pack hands the host is shown, not interpreted
//! (`text`). A pack that breaks a limit, traps or misbehaves is stopped
//! and named, and the others carry on. See docs/sandbox.md.
//!
//! ```text
//! Host::new(limits, cache) ─▶ Host::load(PackSource) ─▶ LoadedPack
//!                             Host::evaluate(&[LoadedPack], &Snapshot) ─▶ Evaluation
//! ```

mod bindings;
mod budget;
mod cache;
mod engine;
mod failure;
mod help_params;
mod limiter;
mod limits;
mod pack;
mod redact;
mod reserved;
mod run;
mod sandbox;
mod shape;
mod text;
mod types;
mod watchdog;

pub use cache::CompileCache;
pub use engine::{Host, HostError};
pub use failure::{FailureKind, PackFailure, Stage};
pub use limits::Limits;
pub use pack::{LoadedPack, PackInfo, PackSource, RuleInfo};
pub use types::{
    ComplianceRef, Evaluation, Finding, LogLine, Pillar, RuleParam, RuleStats, Severity, Verdict,
};

/// Whether a third-party pack is refused a rule `id` because it reads as
/// one of pillar's own (`PILLAR-…` in any case or look-alike spelling).
pub fn is_reserved_rule_id(id: &str) -> bool {
    reserved::looks_builtin(id)
}

/// Reads a rule's parameters out of its help's "## Parameters" table, as the
/// host does for 0.1 packs (for tests and tools that build a `RuleInfo`).
pub fn parameters_in_help(help: &str) -> Vec<RuleParam> {
    help_params::declared(help)
}

/// The newest contract version this host implements: what new packs (the
/// built-in ones, `pillar rules new`) are built against.
pub const CONTRACT_VERSION: &str = "0.2.0";

/// Every contract version this host implements, oldest first; each stands
/// for its semver-compatible range (`0.1.0` for all `0.1.*`).
pub const CONTRACT_VERSIONS: &[&str] = &["0.1.0", "0.2.0"];
