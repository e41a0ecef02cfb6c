//! The sandbox a pack runs in: its store state, the host imports it may
//! call (with their budgets), and the WASI capabilities it is denied.

use std::collections::HashMap;
use std::sync::Arc;

use wasmtime::component::{Linker, Resource, ResourceTable};
use wasmtime::{Engine, Store, StoreContextMut};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::Limits;
use crate::bindings;
use crate::budget::ScanBudget;
use crate::failure::{FailureKind, Violation};
use crate::limiter::{PackLimiter, PackMemory};
use crate::text::{Lines, capped, shown};
use crate::types::{Severity, Verdict};

/// The WASI release whose interface names the host defines; semver matching
/// lets components built against any 0.2.x link.
const WASI: &str = "0.2.12";

/// Random bytes per `get-random-bytes` call.
pub(crate) const MAX_RANDOM_BYTES: u64 = 64 << 10;
/// Host-side handles (streams, pollables) one store may hold at once.
pub(crate) const MAX_HOST_HANDLES: usize = 10_000;

/// What the host knows about a pack's rules, for checking what it emits.
#[derive(Debug)]
pub(crate) struct PackRules {
    /// Rule id -> (kinds it declared, default severity).
    pub rules: HashMap<String, (Vec<String>, Severity)>,
    /// What the pack holds in memory, on every thread.
    pub memory: Arc<PackMemory>,
}

impl PackRules {
    /// Before `metadata()` has run nothing may be emitted.
    pub fn none(memory: Arc<PackMemory>) -> Arc<PackRules> {
        Arc::new(PackRules {
            rules: HashMap::new(),
            memory,
        })
    }
}

/// A finding as emitted, checked against the contract.
#[derive(Debug)]
pub(crate) struct Emitted {
    pub rule_id: String,
    pub index: u32,
    pub verdict: Verdict,
    pub severity: Severity,
    pub message: String,
    pub evidence: Option<String>,
}

/// A finding as a pack passed it to `host.emit`, whatever its contract
/// version: each range's bindings convert into this.
#[derive(Debug)]
pub(crate) struct Reported {
    pub rule_id: String,
    pub resource_index: u32,
    pub verdict: Verdict,
    pub message: String,
    pub evidence: Option<String>,
    /// Overrides the rule's default severity.
    pub severity: Option<Severity>,
}

/// The batch an `evaluate` call is working on.
struct Batch {
    kind: String,
    len: u32,
    max_findings: usize,
}

/// Per-store state: one per (worker thread, pack).
pub(crate) struct State {
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: PackLimiter,
    output: MemoryOutputPipe,
    limits: Arc<Limits>,
    pack: Arc<PackRules>,
    budget: Arc<ScanBudget>,
    batch: Option<Batch>,
    pub emitted: Vec<Emitted>,
    finding_bytes: usize,
    log_bytes: usize,
    pub logs: Vec<(&'static str, String)>,
    pub violation: Option<Violation>,
    /// A denied capability the pack asked for during the current call.
    denied_attempt: Option<&'static str>,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl State {
    /// Starts an `evaluate` call on a batch: resets the per-call budgets.
    pub fn begin_batch(&mut self, kind: &str, len: usize) {
        let rules = self.pack.rules.len().max(1);
        self.batch = Some(Batch {
            kind: kind.to_owned(),
            len: u32::try_from(len).unwrap_or(u32::MAX),
            max_findings: len
                .saturating_mul(rules)
                .saturating_mul(self.limits.findings_per_resource_rule),
        });
        self.emitted.clear();
        self.logs.clear();
        self.finding_bytes = 0;
        self.log_bytes = 0;
        self.violation = None;
        self.denied_attempt = None;
    }

    pub fn end_batch(&mut self) {
        self.batch = None;
    }

    /// Resets the per-call log budget for calls other than `evaluate`.
    pub fn begin_call(&mut self) {
        self.logs.clear();
        self.log_bytes = 0;
        self.violation = None;
        self.denied_attempt = None;
    }

    /// A capability the pack tried to use during a call that otherwise
    /// succeeded: the call's results are discarded and the pack stopped.
    pub fn take_denied(&mut self) -> Option<Violation> {
        self.denied_attempt.take().map(|what| Violation {
            kind: FailureKind::CapabilityDenied,
            message: denial(what),
        })
    }

    /// What the pack has written to stdout/stderr (bounded), for messages.
    /// Untrusted text: shown with its control characters escaped.
    pub fn output(&self) -> String {
        let raw = String::from_utf8_lossy(&self.output.contents()).into_owned();
        let lines: Vec<String> = raw
            .lines()
            .map(|l| shown(l, Lines::Escape).into_owned())
            .collect();
        lines.join("\n")
    }

    /// Records a violation and returns the error that stops the pack.
    fn stop(&mut self, kind: FailureKind, message: String) -> wasmtime::Error {
        let v = Violation { kind, message };
        self.violation = Some(v.clone());
        wasmtime::Error::new(v)
    }
}

/// A fresh store for one pack instance, with every limit set *before*
/// instantiation (instantiation runs guest code, and a store without an
/// epoch deadline would trap at once).
pub(crate) fn new_store(
    engine: &Engine,
    limits: &Arc<Limits>,
    pack: Arc<PackRules>,
    budget: Arc<ScanBudget>,
) -> Store<State> {
    let output = MemoryOutputPipe::new(limits.captured_output_bytes);
    // Nothing granted: no preopens, env, args or stdin; sockets denied by
    // WasiCtx's defaults. Output is captured only to explain failures.
    let wasi = WasiCtx::builder()
        .stdout(output.clone())
        .stderr(output.clone())
        // wasmtime allocates the answer host-side before the guest sees it.
        .max_random_size(MAX_RANDOM_BYTES)
        .build();
    // Every handle (a stream, a pollable) is host memory: a pack creating
    // them in a loop would otherwise hold a million of them per store.
    let mut table = ResourceTable::new();
    table.set_max_capacity(MAX_HOST_HANDLES);
    let limiter = PackLimiter::new(limits.memory_bytes, Arc::clone(&pack.memory));
    let state = State {
        wasi,
        table,
        limiter,
        output,
        limits: Arc::clone(limits),
        pack,
        budget,
        batch: None,
        emitted: Vec::new(),
        finding_bytes: 0,
        log_bytes: 0,
        logs: Vec::new(),
        violation: None,
        denied_attempt: None,
    };
    let mut store = Store::new(engine, state);
    store.limiter(|s| &mut s.limiter);
    store.set_hostcall_fuel(limits.lifted_bytes_per_call);
    store.set_epoch_deadline(limits.deadline_ticks());
    store
}

/// The linker every pack is instantiated with: WASI with nothing granted,
/// environment and filesystem access turned into a stop, and `pillar:rules/host`.
pub(crate) fn linker(engine: &Engine) -> wasmtime::Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    deny_capabilities(&mut linker)?;
    bindings::add_to_linker(&mut linker)?;
    Ok(linker)
}

/// Replaces WASI functions whose only use in a rule pack would be to reach
/// the host's environment or files. The empty `WasiCtx` would already answer
/// "nothing"; stopping the pack instead makes the attempt visible.
fn deny_capabilities(linker: &mut Linker<State>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let mut env = linker.instance(&format!("wasi:cli/environment@{WASI}"))?;
    // The answer is always "no variables". Rust's panic handler reads
    // RUST_BACKTRACE before printing the panic message, so stopping the pack
    // right here would hide every panic behind a misleading "read the
    // environment": the attempt is recorded and, during `evaluate`, stops
    // the pack when the call returns (see `State::take_denied`). Interpreter
    // runtimes read it while starting up (metadata, configure): allowed.
    env.func_wrap(
        "get-environment",
        |mut store: StoreContextMut<'_, State>,
         (): ()|
         -> wasmtime::Result<(Vec<(String, String)>,)> {
            store
                .data_mut()
                .denied_attempt
                .get_or_insert("read environment variables (wasi:cli/environment.get-environment)");
            Ok((Vec::new(),))
        },
    )?;
    // Interpreter runtimes (CPython, StarlingMonkey) ask for their arguments
    // and working directory while starting up; the host has none to give,
    // so the truthful answer is "none", not a stop.
    env.func_wrap(
        "get-arguments",
        |_store: StoreContextMut<'_, State>, (): ()| -> wasmtime::Result<(Vec<String>,)> {
            Ok((Vec::new(),))
        },
    )?;
    env.func_wrap(
        "initial-cwd",
        |_store: StoreContextMut<'_, State>, (): ()| -> wasmtime::Result<(Option<String>,)> {
            Ok((None,))
        },
    )?;
    let mut preopens = linker.instance(&format!("wasi:filesystem/preopens@{WASI}"))?;
    preopens.func_wrap(
        "get-directories",
        |mut store: StoreContextMut<'_, State>, (): ()| -> wasmtime::Result<(Preopens,)> {
            Err(denied(
                &mut store,
                "open files (wasi:filesystem/preopens.get-directories)",
            ))
        },
    )?;
    // Sockets: the empty WasiCtx already refuses every address; stopping
    // the pack makes an exfiltration attempt visible instead of a quiet
    // "connection refused" the pack could work around or ignore.
    for (interface, function, what) in [
        (
            "tcp-create-socket",
            "create-tcp-socket",
            "open a TCP socket (wasi:sockets/tcp-create-socket)",
        ),
        (
            "udp-create-socket",
            "create-udp-socket",
            "open a UDP socket (wasi:sockets/udp-create-socket)",
        ),
        (
            "ip-name-lookup",
            "resolve-addresses",
            "resolve a host name (wasi:sockets/ip-name-lookup)",
        ),
    ] {
        let mut sockets = linker.instance(&format!("wasi:sockets/{interface}@{WASI}"))?;
        sockets.func_new(function, move |mut store, _ty, _params, _results| {
            Err(denied(&mut store, what))
        })?;
    }
    // Waiting. A pack blocked inside a host call (a clock sleep is a wait
    // on a pollable) never returns to guest code, where the epoch deadline
    // fires: one such pack would hang the scan. Rule packs have nothing to
    // wait for, so any wait stops the pack at once.
    let mut poll = linker.instance(&format!("wasi:io/poll@{WASI}"))?;
    for (function, what) in [
        ("poll", "wait on pollables (wasi:io/poll.poll)"),
        (
            "[method]pollable.block",
            "wait on a pollable, e.g. sleep (wasi:io/poll.pollable.block)",
        ),
    ] {
        poll.func_new(function, move |mut store, _ty, _params, _results| {
            Err(store.data_mut().stop(
                FailureKind::CapabilityDenied,
                format!("tried to {what}; rule packs may not wait or sleep"),
            ))
        })?;
    }
    linker.allow_shadowing(false);
    Ok(())
}

/// What `wasi:filesystem/preopens.get-directories` returns.
type Preopens = Vec<(Resource<wasmtime_wasi::filesystem::Descriptor>, String)>;

fn denied(store: &mut StoreContextMut<'_, State>, what: &str) -> wasmtime::Error {
    store
        .data_mut()
        .stop(FailureKind::CapabilityDenied, denial(what))
}

fn denial(what: &str) -> String {
    format!("tried to {what}; rule packs get no file, network or environment access")
}

/// The `host` imports, shared by every contract range (see `bindings`).
impl State {
    /// `host.log`: keeps the line, or stops the pack over its log budget.
    pub(crate) fn log_line(
        &mut self,
        level: &'static str,
        message: String,
    ) -> wasmtime::Result<()> {
        self.log_bytes = self.log_bytes.saturating_add(message.len());
        if self.log_bytes > self.limits.log_bytes_per_call {
            return Err(self.stop(
                FailureKind::OutputLimit,
                format!(
                    "logged more than {} KiB in one call",
                    self.limits.log_bytes_per_call >> 10
                ),
            ));
        }
        let message = shown(&message, Lines::Escape);
        let line = capped(&message, self.limits.message_bytes).into_owned();
        self.logs.push((level, line));
        Ok(())
    }

    /// `host.emit`: checks the finding against the contract and the budgets.
    pub(crate) fn report(&mut self, f: Reported) -> wasmtime::Result<()> {
        let Some(batch) = &self.batch else {
            return Err(self.stop(
                FailureKind::ContractViolation,
                "called emit outside evaluate".into(),
            ));
        };
        let (batch_len, max_findings) = (batch.len, batch.max_findings);
        let Some((kinds, default_severity)) = self.pack.rules.get(&f.rule_id) else {
            let id = clip(&f.rule_id, 80);
            return Err(self.stop(
                FailureKind::ContractViolation,
                format!("emitted a finding for rule {id:?}, which its metadata does not list"),
            ));
        };
        if !kinds.contains(&batch.kind) {
            let msg = format!(
                "rule {} emitted a finding on kind {}, which it does not declare",
                f.rule_id, batch.kind
            );
            return Err(self.stop(FailureKind::ContractViolation, msg));
        }
        let default_severity = *default_severity;
        if f.resource_index >= batch_len {
            let msg = format!(
                "emitted a finding for resource #{} of a batch of {batch_len}",
                f.resource_index
            );
            return Err(self.stop(FailureKind::ContractViolation, msg));
        }
        let bad_pointer = |e: &&String| e.len() > 1024 || !(e.is_empty() || e.starts_with('/'));
        if let Some(e) = f.evidence.as_ref().filter(bad_pointer) {
            let msg = format!("evidence {:?} is not a JSON pointer", clip(e, 80));
            return Err(self.stop(FailureKind::ContractViolation, msg));
        }
        if self.emitted.len() >= max_findings {
            let msg = format!(
                "emitted more than {max_findings} findings for a batch of {batch_len} resources \
                 (limit: {} per rule and resource)",
                self.limits.findings_per_resource_rule
            );
            return Err(self.stop(FailureKind::OutputLimit, msg));
        }
        if !self.budget.take_finding() {
            let msg = format!(
                "emitted more than {} findings over the scan for the {} resources it reads \
                 (limit: {} per resource)",
                self.budget.findings, self.budget.resources, self.limits.findings_per_resource
            );
            return Err(self.stop(FailureKind::OutputLimit, msg));
        }
        self.finding_bytes = self
            .finding_bytes
            .saturating_add(f.message.len() + f.evidence.as_ref().map_or(0, String::len));
        if self.finding_bytes > self.limits.finding_bytes_per_call {
            let msg = format!(
                "emitted more than {} MiB of findings in one call",
                self.limits.finding_bytes_per_call >> 20
            );
            return Err(self.stop(FailureKind::OutputLimit, msg));
        }
        // Escaped first, then cut: the cap bounds what reports hold.
        let message = shown(&f.message, Lines::Escape);
        let message = capped(&message, self.limits.message_bytes).into_owned();
        let evidence = f.evidence.map(|e| shown(&e, Lines::Escape).into_owned());
        self.emitted.push(Emitted {
            rule_id: f.rule_id,
            index: f.resource_index,
            verdict: f.verdict,
            severity: f.severity.unwrap_or(default_severity),
            message,
            evidence,
        });
        Ok(())
    }
}

fn clip(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
