//! Why a pack was stopped, in words a user can act on.

use std::fmt;

use serde::Serialize;

/// Where in a pack's life it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Reading, compiling, type-checking or linking the component.
    Load,
    /// `metadata()` or its validation.
    Metadata,
    /// Instantiation or `configure()`.
    Configure,
    /// An `evaluate()` call.
    Evaluate,
}

/// The class of failure; drives messages and lets tests assert precisely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// Not a component, or not a pillar rule pack.
    Invalid,
    /// Built against a contract version this host does not implement.
    IncompatibleVersion,
    /// Imports something the host does not provide.
    UnsatisfiedImport,
    /// Metadata that breaks the contract (duplicate ids, empty fields...).
    BadMetadata,
    /// Exceeded the per-call time limit or the pack's time budget.
    Timeout,
    /// Refused before compiling (code too deep, too large) or still
    /// compiling at the compile deadline.
    CompileLimit,
    /// Exceeded the memory limit.
    MemoryLimit,
    /// Exceeded the finding, log or lifted-bytes budget.
    OutputLimit,
    /// Tried to use a capability the sandbox does not grant.
    CapabilityDenied,
    /// Emitted something the contract forbids (unknown rule id, bad index).
    ContractViolation,
    /// Trapped (panic, unreachable, stack overflow...).
    Trap,
    /// Returned an error from `configure` or `evaluate`.
    PackError,
    /// Conflicts with another loaded pack (same name or rule id).
    Conflict,
    /// Refused before loading: pinning is on and its sha256 is not pinned.
    Unpinned,
}

/// A pack that did not (fully) run. The scan goes on without it and the
/// report shows the gap.
#[derive(Debug, Clone, Serialize)]
pub struct PackFailure {
    /// The pack's name if it got far enough to say, else its file name.
    pub pack: String,
    /// Where it came from: `builtin:<file>` or a path.
    pub origin: String,
    pub stage: Stage,
    pub kind: FailureKind,
    pub message: String,
}

impl fmt::Display for PackFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rule pack '{}' ({}) stopped during {:?}: {}",
            self.pack, self.origin, self.stage, self.message
        )
    }
}

/// A deliberate stop raised by a host import (budget or contract), carried
/// through wasmtime's error so it can be told apart from a guest trap.
#[derive(Debug, Clone)]
pub(crate) struct Violation {
    pub kind: FailureKind,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Violation {}

/// Classifies an error from a call into a pack. `what` names the call
/// ("evaluate(aws_security_group, 256 resources)"), `output` is what the pack
/// wrote to stdout/stderr (a Rust panic message lands there).
pub(crate) fn classify(
    err: &wasmtime::Error,
    what: &str,
    limits: &crate::Limits,
    output: &str,
) -> (FailureKind, String) {
    if let Some(v) = err.chain().find_map(|e| e.downcast_ref::<Violation>()) {
        return (v.kind, format!("{what}: {}", v.message));
    }
    let text = err
        .chain()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    let trap = err.downcast_ref::<wasmtime::Trap>();
    let exit = err
        .chain()
        .find_map(|e| e.downcast_ref::<wasmtime_wasi::I32Exit>());
    let handles = err
        .chain()
        .find_map(|e| e.downcast_ref::<wasmtime::component::ResourceTableError>());
    let (kind, reason) = if let Some(exit) = exit {
        // WASI 0.2's `exit` carries only ok or error: 0 or 1.
        (FailureKind::Trap, format!("called exit({})", exit.0))
    } else if let Some(wasmtime::component::ResourceTableError::Full) = handles {
        (
            FailureKind::MemoryLimit,
            format!(
                "held more than {} host handles (streams, pollables) at once",
                crate::sandbox::MAX_HOST_HANDLES
            ),
        )
    } else if text.contains("requested len") && text.contains("exceeds limit") {
        (
            FailureKind::OutputLimit,
            format!(
                "asked for more than {} KiB of random bytes in one call",
                crate::sandbox::MAX_RANDOM_BYTES >> 10
            ),
        )
    } else if trap == Some(&wasmtime::Trap::Interrupt) {
        (
            FailureKind::Timeout,
            format!(
                "exceeded the time limit of {} ms",
                limits.call_timeout.as_millis()
            ),
        )
    } else if text.contains("forcing trap when growing memory") {
        (
            FailureKind::MemoryLimit,
            format!(
                "exceeded the memory limit of {} MiB",
                limits.memory_bytes >> 20
            ),
        )
    } else if text.contains("fuel allocated for hostcalls has been exhausted") {
        (
            FailureKind::OutputLimit,
            format!(
                "tried to pass the host more than {} MiB in one call",
                limits.lifted_bytes_per_call >> 20
            ),
        )
    } else if trap == Some(&wasmtime::Trap::StackOverflow) {
        (FailureKind::Trap, "overflowed its stack".to_owned())
    } else if let Some(trap) = trap {
        (FailureKind::Trap, format!("trapped: {trap}"))
    } else {
        (FailureKind::Trap, cause(err))
    };
    let said = last_lines(output, 3);
    if said.is_empty() {
        (kind, format!("{what}: {reason}"))
    } else {
        (kind, format!("{what}: {reason}; it wrote: {said}"))
    }
}

/// The first line of the error chain that says why: wasmtime puts a
/// "error while executing at wasm backtrace:" context in front of the cause.
fn cause(err: &wasmtime::Error) -> String {
    let chain: Vec<String> = err.chain().map(|e| e.to_string()).collect();
    let said = chain
        .iter()
        .filter_map(|e| e.lines().next())
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("error while executing at wasm backtrace"))
        .or_else(|| chain.first().and_then(|e| e.lines().next()))
        .unwrap_or("failed");
    // Function names in a backtrace come from the pack: show, don't interpret.
    let said = crate::text::shown(said, crate::text::Lines::Escape);
    crate::text::capped(&said, 1 << 10).into_owned()
}

/// The last `n` non-empty lines of guest output, joined, for a failure message.
fn last_lines(output: &str, n: usize) -> String {
    let lines: Vec<&str> = output
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}
