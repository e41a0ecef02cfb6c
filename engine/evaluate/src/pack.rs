//! Loading a pack: compile (or fetch from the cache), check the contract
//! version, link against the sandbox, call `metadata()` and validate it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use wasmtime::component::Component;

use crate::bindings::{Metadata, PackPre, Range};
use crate::budget::ScanBudget;
use crate::engine::Host;
use crate::failure::{FailureKind, PackFailure, Stage, classify};
use crate::limiter::PackMemory;
use crate::reserved::reserved_id;
use crate::sandbox::{PackRules, new_store};
use crate::shape::{self, ShapeLimits};
use crate::text::{Lines, capped, shown, shown_owned};
use crate::types::{ComplianceRef, Pillar, RuleParam, Severity};
use crate::watchdog::{Watched, watched};

/// How the origin of a pack compiled into the binary starts.
const BUILTIN_ORIGIN: &str = "builtin:";

/// The bytes of a component and where they came from.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// `builtin:<file>` or the path it was read from.
    pub origin: String,
    pub bytes: Cow<'static, [u8]>,
}

impl PackSource {
    /// Whether this is one of pillar's own packs, compiled into the binary.
    pub fn is_builtin(&self) -> bool {
        self.origin.starts_with(BUILTIN_ORIGIN)
    }

    pub fn builtin(file_name: &str, bytes: &'static [u8]) -> PackSource {
        PackSource {
            origin: format!("{BUILTIN_ORIGIN}{file_name}"),
            bytes: Cow::Borrowed(bytes),
        }
    }

    pub fn from_file(path: &Path) -> std::io::Result<PackSource> {
        Ok(PackSource {
            origin: path.display().to_string(),
            bytes: Cow::Owned(std::fs::read(path)?),
        })
    }

    /// Hex SHA-256 of the component bytes: what pinning compares.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }

    /// The file name part of the origin, used until the pack names itself.
    pub fn label(&self) -> String {
        let tail = self
            .origin
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(&self.origin);
        tail.trim_end_matches(".wasm").to_owned()
    }
}

/// A rule, as a pack described it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub pillar: Pillar,
    pub best_practice: String,
    pub resource_kinds: Vec<String>,
    pub help: String,
    pub help_uri: String,
    /// The parameters the rule takes: declared by a 0.2 pack, read from
    /// the help's "## Parameters" table for a 0.1 pack. Not serialised:
    /// reports keep their shape, and the help already shows the table.
    #[serde(skip)]
    pub parameters: Vec<RuleParam>,
    /// The framework controls the rule evidences: declared by a 0.2 pack,
    /// its Well-Architected best practice for a 0.1 pack. Not serialised,
    /// like `parameters`.
    #[serde(skip)]
    pub compliance: Vec<ComplianceRef>,
}

/// A loaded pack's identity and rules: what reports list as provenance.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub name: String,
    pub version: String,
    /// The `pillar:rules` version the component was built against.
    pub contract: String,
    /// Hex SHA-256 of the component bytes.
    pub sha256: String,
    pub origin: String,
    pub rules: Vec<RuleInfo>,
    /// Whether the compiled form came from the on-disk cache.
    #[serde(skip)]
    pub cache_hit: bool,
}

impl PackInfo {
    /// Whether this is one of pillar's own packs, compiled into the binary.
    pub fn is_builtin(&self) -> bool {
        self.origin.starts_with(BUILTIN_ORIGIN)
    }

    /// `kind.attribute` for every attribute that may hold secrets (user
    /// data) in the kinds the pack's rules read: the pack is sent them in
    /// full, and the host masks them in its output (see `redact`).
    pub fn sensitive_attributes(&self) -> Vec<String> {
        let kinds: std::collections::BTreeSet<&str> = self
            .rules
            .iter()
            .flat_map(|r| r.resource_kinds.iter().map(String::as_str))
            .collect();
        kinds
            .into_iter()
            .flat_map(|k| {
                crate::redact::sensitive_attributes(k)
                    .iter()
                    .map(move |a| format!("{k}.{a}"))
            })
            .collect()
    }
}

/// A pack ready to instantiate on any thread.
pub struct LoadedPack {
    pub info: PackInfo,
    pub(crate) pre: PackPre,
    pub(crate) rules: Arc<PackRules>,
}

impl LoadedPack {
    /// Every resource kind any of the pack's rules reads.
    pub fn kinds(&self) -> HashSet<&str> {
        self.info
            .rules
            .iter()
            .flat_map(|r| r.resource_kinds.iter().map(String::as_str))
            .collect()
    }
}

impl Host {
    /// Loads packs in parallel. Packs that fail, or that conflict with an
    /// earlier pack (same name or rule id), are returned as failures; the
    /// rest load. Order is preserved.
    pub fn load_all(&self, sources: &[PackSource]) -> (Vec<LoadedPack>, Vec<PackFailure>) {
        let results: Vec<Result<LoadedPack, PackFailure>> =
            sources.par_iter().map(|s| self.load(s)).collect();
        let mut packs: Vec<LoadedPack> = Vec::new();
        let mut failures = Vec::new();
        let mut names = HashMap::new();
        let mut rule_owner: HashMap<String, String> = HashMap::new();
        for result in results {
            let pack = match result {
                Ok(p) => p,
                Err(f) => {
                    failures.push(f);
                    continue;
                }
            };
            let conflict = if let Some(other) = names.get(&pack.info.name) {
                Some(format!(
                    "another pack with the same name is already loaded from {other}"
                ))
            } else {
                pack.info.rules.iter().find_map(|r| {
                    rule_owner.get(&r.id).map(|owner| {
                        format!("rule id {} is already defined by pack '{owner}'", r.id)
                    })
                })
            };
            if let Some(message) = conflict {
                failures.push(PackFailure {
                    pack: pack.info.name.clone(),
                    origin: pack.info.origin.clone(),
                    stage: Stage::Load,
                    kind: FailureKind::Conflict,
                    message,
                });
                continue;
            }
            // After the conflict check: a pack reusing a built-in id is
            // told that first, as before.
            let reserved = (!pack.info.is_builtin())
                .then(|| pack.info.rules.iter().find_map(|r| reserved_id(&r.id)))
                .flatten();
            if let Some(message) = reserved {
                failures.push(PackFailure {
                    pack: pack.info.name.clone(),
                    origin: pack.info.origin.clone(),
                    stage: Stage::Metadata,
                    kind: FailureKind::BadMetadata,
                    message,
                });
                continue;
            }
            names.insert(pack.info.name.clone(), pack.info.origin.clone());
            for r in &pack.info.rules {
                rule_owner.insert(r.id.clone(), pack.info.name.clone());
            }
            packs.push(pack);
        }
        (packs, failures)
    }

    /// Loads one pack.
    pub fn load(&self, source: &PackSource) -> Result<LoadedPack, PackFailure> {
        let label = source.label();
        // Error texts quote the component (import names, trap text): shown,
        // not interpreted, and bounded.
        let fail = |stage, kind, message: String| PackFailure {
            pack: label.clone(),
            origin: source.origin.clone(),
            stage,
            kind,
            message: capped(&shown(&message, Lines::Escape), 2 << 10).into_owned(),
        };
        let sha256 = source.sha256();

        // The compile budget: measured before compiling, then compiled
        // under a deadline. Built-in packs are part of the binary.
        if !source.is_builtin() {
            shape::check(&source.bytes, &ShapeLimits::default()).map_err(|m| {
                fail(
                    Stage::Load,
                    FailureKind::CompileLimit,
                    format!("too costly to compile: its code {m}"),
                )
            })?;
        }
        let (component, cache_hit) = match self.compile(source, &sha256) {
            Compiled::Done(Ok(c)) => c,
            Compiled::Done(Err(e)) => {
                return Err(fail(
                    Stage::Load,
                    FailureKind::Invalid,
                    format!("not a valid WebAssembly component: {}", first_line(&e)),
                ));
            }
            Compiled::TimedOut => {
                return Err(fail(
                    Stage::Load,
                    FailureKind::CompileLimit,
                    format!(
                        "too costly to compile: still compiling after {} s (abandoned)",
                        self.limits.compile_timeout.as_secs()
                    ),
                ));
            }
        };

        let (range, contract) = contract_version(&self.engine, &component)
            .map_err(|(kind, m)| fail(Stage::Load, kind, m))?;

        let instance_pre = self.linker.instantiate_pre(&component).map_err(|e| {
            fail(
                Stage::Load,
                FailureKind::UnsatisfiedImport,
                format!(
                    "needs something the sandbox does not provide: {}",
                    first_line(&e)
                ),
            )
        })?;
        let pre = PackPre::new(range, instance_pre).map_err(|e| {
            fail(
                Stage::Load,
                FailureKind::Invalid,
                format!(
                    "does not match pillar:rules/rules@{contract}: {}",
                    first_line(&e)
                ),
            )
        })?;

        // Built-in packs are bounded per pack; third-party packs also share
        // one account, so that together they cannot take the host down.
        let cap = self.limits.pack_memory_bytes();
        let what = "per pack (all its memories on every thread)";
        let memory = if source.is_builtin() {
            PackMemory::new(cap, what)
        } else {
            PackMemory::within(cap, what, &self.third_party_memory)
        };
        // metadata() runs in a throw-away store under the same limits.
        let mut store = new_store(
            &self.engine,
            &self.limits,
            PackRules::none(Arc::clone(&memory)),
            Arc::new(ScanBudget::unbounded()),
        );
        let what = "metadata()";
        store.set_epoch_deadline(self.limits.deadline_ticks());
        let instance_pre = pre.clone();
        let watched = watched("pillar-metadata", self.limits.call_watchdog, move || {
            let meta = instance_pre.instantiate(&mut store).and_then(|instance| {
                store.data_mut().begin_call();
                instance.metadata(&mut store)
            });
            (store, meta)
        });
        let meta = match watched {
            Watched::Returned((_, Ok(meta))) => meta,
            Watched::Returned((store, Err(e))) => {
                let (kind, message) = match &store.data().violation {
                    Some(v) => (v.kind, format!("{what}: {}", v.message)),
                    None => classify(&e, what, &self.limits, &store.data().output()),
                };
                return Err(fail(Stage::Metadata, kind, message));
            }
            Watched::Abandoned => {
                return Err(fail(
                    Stage::Metadata,
                    FailureKind::Timeout,
                    self.abandoned(what),
                ));
            }
            Watched::Lost(why) => {
                return Err(fail(
                    Stage::Metadata,
                    FailureKind::Trap,
                    format!("{what}: {why}"),
                ));
            }
        };
        // An environment read while the runtime starts (CPython reads it
        // on its first call) got the empty answer and is not held against
        // the pack; only reads during `evaluate` stop it.
        let info = validate(meta, &contract, &sha256, &source.origin, cache_hit)
            .map_err(|m| fail(Stage::Metadata, FailureKind::BadMetadata, m))?;
        let rules = Arc::new(PackRules {
            rules: info
                .rules
                .iter()
                .map(|r| (r.id.clone(), (r.resource_kinds.clone(), r.severity)))
                .collect(),
            memory,
        });
        Ok(LoadedPack { info, pre, rules })
    }
}

/// How compiling a pack ended.
enum Compiled {
    Done(wasmtime::Result<(Component, bool)>),
    /// Still compiling at the deadline: abandoned, its thread left to end
    /// on its own (a compile cannot be interrupted; see `watchdog`).
    TimedOut,
}

impl Host {
    /// Compiles `source` (or takes it from the cache) on a thread of its
    /// own, waiting at most `compile_timeout`. Built-in packs compile inline.
    fn compile(&self, source: &PackSource, sha256: &str) -> Compiled {
        // Here, on the caller's thread, without the deadline: for built-in
        // packs, and when no thread or pool can be had.
        let inline = || {
            Compiled::Done(compile_now(
                &self.engine,
                self.cache.as_ref(),
                &source.bytes,
                sha256,
            ))
        };
        if source.is_builtin() {
            return inline();
        }
        // wasmtime compiles functions in parallel on the current rayon
        // pool. The caller is a rayon worker, blocked while it waits: the
        // compile gets a pool of its own, or it would wait for the caller.
        let Ok(pool) = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("pillar-compile-{i}"))
            .build()
        else {
            return inline();
        };
        let (engine, cache) = (self.engine.clone(), self.cache.clone());
        let (bytes, sha) = (source.bytes.clone().into_owned(), sha256.to_owned());
        match watched("pillar-compile", self.limits.compile_timeout, move || {
            pool.install(|| compile_now(&engine, cache.as_ref(), &bytes, &sha))
        }) {
            Watched::Returned(compiled) => Compiled::Done(compiled),
            Watched::Abandoned => Compiled::TimedOut,
            Watched::Lost(_) => inline(),
        }
    }
}

fn compile_now(
    engine: &wasmtime::Engine,
    cache: Option<&crate::CompileCache>,
    bytes: &[u8],
    sha256: &str,
) -> wasmtime::Result<(Component, bool)> {
    match cache {
        Some(cache) => cache.load(engine, bytes, sha256),
        None => Component::from_binary(engine, bytes).map(|c| (c, false)),
    }
}

/// Finds the `pillar:rules/rules@<version>` export and the range of this
/// host's that implements it.
fn contract_version(
    engine: &wasmtime::Engine,
    component: &Component,
) -> Result<(Range, String), (FailureKind, String)> {
    let ty = component.component_type();
    let exports: Vec<String> = ty
        .exports(engine)
        .map(|(name, _)| name.to_owned())
        .collect();
    let Some(export) = exports.iter().find(|n| n.starts_with("pillar:rules/rules")) else {
        let listed = if exports.is_empty() {
            "nothing".to_owned()
        } else {
            exports.join(", ")
        };
        return Err((
            FailureKind::Invalid,
            format!("is not a pillar rule pack: it exports {listed}, not pillar:rules/rules"),
        ));
    };
    let version = export
        .split_once('@')
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default();
    if let Some(range) = Range::of(&version) {
        Ok((range, version))
    } else {
        let shown = if version.is_empty() {
            "an unversioned contract".to_owned()
        } else {
            format!("pillar:rules@{version}")
        };
        let ours: Vec<String> = Range::ALL
            .iter()
            .map(|r| format!("pillar:rules@{}", r.version()))
            .collect();
        Err((
            FailureKind::IncompatibleVersion,
            format!(
                "was built against {shown}, but this pillar implements {}; \
                 rebuild the pack with a matching pillar-rule-sdk",
                ours.join(" and ")
            ),
        ))
    }
}

const MAX_RULES: usize = 1000;

/// Checks a pack's own description of itself. Packs are untrusted: every
/// field is bounded and ids must be usable as SARIF rule ids.
fn validate(
    meta: Metadata,
    contract: &str,
    sha256: &str,
    origin: &str,
    cache_hit: bool,
) -> Result<PackInfo, String> {
    check_token("pack name", &meta.name, 64)?;
    bounded("pack version", &meta.version, 1, 64)?;
    if meta.rules.is_empty() {
        return Err(format!("pack '{}' lists no rules", meta.name));
    }
    if meta.rules.len() > MAX_RULES {
        return Err(format!(
            "pack '{}' lists {} rules; the limit is {MAX_RULES}",
            meta.name,
            meta.rules.len()
        ));
    }
    let mut ids = HashSet::new();
    let mut rules = Vec::with_capacity(meta.rules.len());
    for r in meta.rules {
        check_token("rule id", &r.id, 64)?;
        if !ids.insert(r.id.clone()) {
            return Err(format!("rule id {} is listed twice", r.id));
        }
        let ctx = |what: &str| format!("rule {}: {what}", r.id);
        bounded(&ctx("title"), &r.title, 1, 200)?;
        bounded(&ctx("best practice"), &r.best_practice, 0, 32)?;
        bounded(&ctx("help"), &r.help, 0, 16 << 10)?;
        bounded(&ctx("help URI"), &r.help_uri, 0, 2 << 10)?;
        if r.resource_kinds.is_empty() {
            return Err(ctx("declares no resource kinds"));
        }
        for k in &r.resource_kinds {
            check_token(&ctx("resource kind"), k, 64)?;
            // A kind the model does not have would never be sent: the rule
            // would silently check nothing. Refuse it instead.
            if !pillar_snapshot::kinds::is_known(k) {
                return Err(ctx(&format!(
                    "reads resource kind {k:?}, which this pillar's resource model does not \
                     have (see docs/resource-model.md)"
                )));
            }
        }
        let (parameters, compliance) = match r.declared {
            Some(d) => {
                check_parameters(&r.id, &d.parameters)?;
                check_compliance(&r.id, &d.compliance)?;
                (d.parameters, d.compliance)
            }
            // A 0.1 pack: what 0.2 declares is derived, as 0.1 hosts did.
            None => (
                crate::help_params::declared(&r.help),
                well_architected(&r.best_practice),
            ),
        };
        // Reports print these: shown, not interpreted (help is Markdown,
        // so its line breaks stay).
        let parameters = parameters
            .into_iter()
            .map(|p| RuleParam {
                description: shown_owned(p.description, Lines::Escape),
                ..p
            })
            .collect();
        rules.push(RuleInfo {
            id: r.id,
            title: shown_owned(r.title, Lines::Escape),
            severity: r.severity,
            pillar: r.pillar,
            best_practice: shown_owned(r.best_practice, Lines::Escape),
            resource_kinds: r.resource_kinds,
            help: shown_owned(r.help, Lines::Keep),
            help_uri: shown_owned(r.help_uri, Lines::Escape),
            parameters,
            compliance,
        });
    }
    Ok(PackInfo {
        name: meta.name,
        version: shown_owned(meta.version, Lines::Escape),
        contract: contract.to_owned(),
        sha256: sha256.to_owned(),
        origin: origin.to_owned(),
        rules,
        cache_hit,
    })
}

const MAX_PARAMETERS: usize = 64;
const MAX_COMPLIANCE_REFS: usize = 256;

/// A 0.2 rule's parameters: named like TOML keys, unique, bounded, and with
/// a default of the declared type.
fn check_parameters(rule: &str, params: &[RuleParam]) -> Result<(), String> {
    if params.len() > MAX_PARAMETERS {
        return Err(format!(
            "rule {rule} declares {} parameters; the limit is {MAX_PARAMETERS}",
            params.len()
        ));
    }
    let mut names = HashSet::new();
    for p in params {
        let ctx = |what: &str| format!("rule {rule}: parameter {what}");
        check_token(&ctx("name"), &p.name, 64)?;
        // These keys mean something else in a `[rules."ID"]` table.
        if p.name == "enabled" || p.name == "severity" || !names.insert(p.name.as_str()) {
            return Err(ctx(&format!("{:?} is reserved or listed twice", p.name)));
        }
        bounded(&ctx("description"), &p.description, 0, 1 << 10)?;
        let default = p
            .default
            .as_ref()
            .map(|d| (d.to_string().len(), p.accepts(d)));
        match default {
            Some((len, true)) if len <= 4 << 10 => {}
            Some((len, true)) => {
                return Err(ctx(&format!(
                    "{} default is {len} bytes; the limit is 4096",
                    p.name
                )));
            }
            _ => return Err(ctx(&format!("{} default is not a {}", p.name, p.kind))),
        }
    }
    Ok(())
}

/// A 0.2 rule's compliance references: framework and control ids.
fn check_compliance(rule: &str, refs: &[ComplianceRef]) -> Result<(), String> {
    if refs.len() > MAX_COMPLIANCE_REFS {
        return Err(format!(
            "rule {rule} lists {} compliance references; the limit is {MAX_COMPLIANCE_REFS}",
            refs.len()
        ));
    }
    for c in refs {
        check_token(
            &format!("rule {rule}: compliance framework"),
            &c.framework,
            64,
        )?;
        check_token(
            &format!("rule {rule}: control of {}", c.framework),
            &c.control,
            64,
        )?;
    }
    Ok(())
}

/// The compliance reference a 0.1 rule implies: its best practice.
fn well_architected(best_practice: &str) -> Vec<ComplianceRef> {
    if best_practice.is_empty() {
        return Vec::new();
    }
    vec![ComplianceRef {
        framework: ComplianceRef::WELL_ARCHITECTED.to_owned(),
        control: best_practice.to_owned(),
    }]
}

fn bounded(what: &str, value: &str, min: usize, max: usize) -> Result<(), String> {
    if value.len() < min {
        return Err(format!("{what} is empty"));
    }
    if value.len() > max {
        return Err(format!(
            "{what} is {} bytes; the limit is {max}",
            value.len()
        ));
    }
    Ok(())
}

/// An identifier: 1..=max characters of `[A-Za-z0-9._-]`.
fn check_token(what: &str, value: &str, max: usize) -> Result<(), String> {
    bounded(what, value, 1, max)?;
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "{what} {value:?} contains {c:?}; use letters, digits, '.', '_' and '-'"
        ));
    }
    Ok(())
}

fn first_line(e: &wasmtime::Error) -> String {
    let text = e
        .chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    text.lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        assert!(check_token("id", "PILLAR-EC2-001", 64).is_ok());
        assert!(check_token("id", "", 64).is_err());
        assert!(
            check_token("id", "has space", 64)
                .expect_err("space is refused")
                .contains("' '")
        );
        assert!(check_token("id", &"x".repeat(65), 64).is_err());
    }
}
