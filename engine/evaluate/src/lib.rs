//! The pillar rule host.
//!
//! Rule packs are WebAssembly components implementing `wit/rules.wit`. The
//! host compiles each once (cached on disk by content hash and engine
//! compatibility), runs them in parallel over a snapshot's resources batched
//! by kind, and keeps each one in a sandbox: no files, network, environment
//! or arguments; an epoch deadline per call; a memory limit; a bound on the
//! bytes it can make the host lift; budgets on findings and log output. A
//! pack that breaks a limit, traps or misbehaves is stopped and named, and
//! the others carry on.
//!
//! ```text
//! Host::new(limits, cache) ─▶ Host::load(PackSource) ─▶ LoadedPack
//!                             Host::evaluate(&[LoadedPack], &Snapshot) ─▶ Evaluation
//! ```

mod bindings;
mod cache;
mod engine;
mod failure;
mod limits;
mod pack;
mod run;
mod sandbox;
mod types;

pub use cache::CompileCache;
pub use engine::{Host, HostError};
pub use failure::{FailureKind, PackFailure, Stage};
pub use limits::Limits;
pub use pack::{LoadedPack, PackInfo, PackSource, RuleInfo};
pub use types::{Evaluation, Finding, LogLine, Pillar, RuleStats, Severity, Verdict};

/// The contract versions this host implements (semver-compatible range).
pub const CONTRACT_VERSION: &str = "0.1.0";
