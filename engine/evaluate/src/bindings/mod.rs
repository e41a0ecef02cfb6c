//! Host bindings for every contract range this host implements, side by
//! side: one module per range, each with its own `bindgen!` over its own
//! WIT directory (`wit/v0.1/`, `wit/v0.2/`). A module converts its generated
//! types into the version-free ones in `types.rs`, so the rest of the host
//! sees only [`PackPre`], [`Instance`], [`Metadata`] and [`PackError`], and
//! supporting another range is one more module and one more enum variant.

pub(crate) mod v0_1;
pub(crate) mod v0_2;

use wasmtime::Store;
use wasmtime::component::{InstancePre, Linker};

use crate::sandbox::State;
use crate::types::{ComplianceRef, Pillar, RuleParam, Severity};

/// A contract range this host implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Range {
    V0_1,
    V0_2,
}

impl Range {
    /// Oldest first.
    pub const ALL: [Range; 2] = [Range::V0_1, Range::V0_2];

    /// The version the range's bindings were generated from.
    pub fn version(self) -> &'static str {
        match self {
            Range::V0_1 => v0_1::VERSION,
            Range::V0_2 => v0_2::VERSION,
        }
    }

    /// The range a component built against `version` belongs to.
    pub fn of(version: &str) -> Option<Range> {
        Range::ALL
            .into_iter()
            .find(|r| semver_compatible(r.version(), version))
    }
}

/// Semver compatibility as wasmtime's linker applies it: `0.x.*` matches
/// `0.x.*` for x > 0, `1.*` matches `1.*`; no pre-releases.
pub(crate) fn semver_compatible(ours: &str, theirs: &str) -> bool {
    let ours: Vec<&str> = ours.split('.').collect();
    let theirs: Vec<&str> = theirs.split('.').collect();
    if theirs.len() != 3
        || theirs
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    if ours[0] == "0" {
        theirs[0] == "0" && theirs[1] == ours[1]
    } else {
        theirs[0] == ours[0]
    }
}

/// Links the `host` interface of every range: each is a distinct versioned
/// instance name, so they sit side by side in one linker.
pub(crate) fn add_to_linker(linker: &mut Linker<State>) -> wasmtime::Result<()> {
    v0_1::add_to_linker(linker)?;
    v0_2::add_to_linker(linker)
}

/// A pack's description of itself, before validation.
pub(crate) struct Metadata {
    pub name: String,
    pub version: String,
    pub rules: Vec<RuleMeta>,
}

/// One rule as the pack listed it.
pub(crate) struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub pillar: Pillar,
    pub best_practice: String,
    pub resource_kinds: Vec<String>,
    pub help: String,
    pub help_uri: String,
    /// `None` from a 0.1 pack, which has no such field: the host reads
    /// the parameters out of `help` and takes `best_practice` as the one
    /// Well-Architected reference.
    pub declared: Option<Declared>,
}

/// What a 0.2 pack declares beyond 0.1.
pub(crate) struct Declared {
    pub parameters: Vec<RuleParam>,
    pub compliance: Vec<ComplianceRef>,
}

/// Longest error text of a pack's kept in a report.
pub(crate) const ERROR_TEXT_BYTES: usize = 1 << 10;

/// Why a pack gave up on a `configure` or `evaluate` call.
#[derive(Debug)]
pub(crate) enum PackError {
    BadInput(String),
    UnsupportedKind(String),
    Internal(String),
}

impl PackError {
    /// The pack's own text is untrusted: shown, not interpreted, and cut
    /// at [`ERROR_TEXT_BYTES`] (a pack once returned 7 MB here).
    pub fn describe(&self) -> String {
        let said = |m: &str| {
            let m = crate::text::shown(m, crate::text::Lines::Escape);
            crate::text::capped(&m, ERROR_TEXT_BYTES).into_owned()
        };
        match self {
            PackError::BadInput(m) => format!("the pack could not read its input: {}", said(m)),
            PackError::UnsupportedKind(k) => {
                format!("the pack does not support kind {}", said(k))
            }
            PackError::Internal(m) => format!("the pack failed: {}", said(m)),
        }
    }
}

/// A pack linked and type-checked against its range, ready to instantiate
/// (cheap to clone: it holds reference-counted handles).
#[derive(Clone)]
pub(crate) enum PackPre {
    V0_1(v0_1::RulePackPre<State>),
    V0_2(v0_2::RulePackPre<State>),
}

impl PackPre {
    /// Checks that the component really has its range's world.
    pub fn new(range: Range, pre: InstancePre<State>) -> wasmtime::Result<PackPre> {
        Ok(match range {
            Range::V0_1 => PackPre::V0_1(v0_1::RulePackPre::new(pre)?),
            Range::V0_2 => PackPre::V0_2(v0_2::RulePackPre::new(pre)?),
        })
    }

    pub fn instantiate(&self, store: &mut Store<State>) -> wasmtime::Result<Instance> {
        Ok(match self {
            PackPre::V0_1(pre) => Instance::V0_1(pre.instantiate(store)?),
            PackPre::V0_2(pre) => Instance::V0_2(pre.instantiate(store)?),
        })
    }
}

/// A live pack instance of either range.
pub(crate) enum Instance {
    V0_1(v0_1::RulePack),
    V0_2(v0_2::RulePack),
}

impl Instance {
    pub fn metadata(&self, store: &mut Store<State>) -> wasmtime::Result<Metadata> {
        match self {
            Instance::V0_1(i) => v0_1::metadata(i, store),
            Instance::V0_2(i) => v0_2::metadata(i, store),
        }
    }

    pub fn configure(
        &self,
        store: &mut Store<State>,
        settings: &str,
    ) -> wasmtime::Result<Result<(), PackError>> {
        match self {
            Instance::V0_1(i) => v0_1::configure(i, store, settings),
            Instance::V0_2(i) => v0_2::configure(i, store, settings),
        }
    }

    pub fn evaluate(
        &self,
        store: &mut Store<State>,
        kind: &str,
        batch: &str,
    ) -> wasmtime::Result<Result<(), PackError>> {
        match self {
            Instance::V0_1(i) => v0_1::evaluate(i, store, kind, batch),
            Instance::V0_2(i) => v0_2::evaluate(i, store, kind, batch),
        }
    }
}

/// What every range has in common, expanded inside each range's module
/// (where `pillar::rules::…` and `exports::…` are that range's generated
/// types): conversions of the unchanged enums and records, the `host`
/// imports (which forward to the version-free `State` methods), and the
/// `configure`/`evaluate` calls. A range that changes one of these writes
/// its own instead of invoking the macro for it.
macro_rules! shared_across_ranges {
    () => {
        use wasmtime::Store;
        use wasmtime::component::{HasSelf, Linker};

        use crate::bindings::PackError;
        use crate::sandbox::{Reported, State};
        use crate::types::{Pillar, Severity, Verdict};
        use exports::pillar::rules::rules::EvalError;
        use pillar::rules::types as wit;

        impl From<wit::Severity> for Severity {
            fn from(s: wit::Severity) -> Self {
                match s {
                    wit::Severity::Info => Severity::Info,
                    wit::Severity::Low => Severity::Low,
                    wit::Severity::Medium => Severity::Medium,
                    wit::Severity::High => Severity::High,
                    wit::Severity::Critical => Severity::Critical,
                }
            }
        }

        impl From<wit::Pillar> for Pillar {
            fn from(p: wit::Pillar) -> Self {
                match p {
                    wit::Pillar::OperationalExcellence => Pillar::OperationalExcellence,
                    wit::Pillar::Security => Pillar::Security,
                    wit::Pillar::Reliability => Pillar::Reliability,
                    wit::Pillar::PerformanceEfficiency => Pillar::PerformanceEfficiency,
                    wit::Pillar::CostOptimization => Pillar::CostOptimization,
                    wit::Pillar::Sustainability => Pillar::Sustainability,
                }
            }
        }

        impl From<wit::Verdict> for Verdict {
            fn from(v: wit::Verdict) -> Self {
                match v {
                    wit::Verdict::Fail => Verdict::Fail,
                    wit::Verdict::Unknown => Verdict::Unknown,
                }
            }
        }

        impl From<EvalError> for PackError {
            fn from(e: EvalError) -> Self {
                match e {
                    EvalError::BadInput(m) => PackError::BadInput(m),
                    EvalError::UnsupportedKind(k) => PackError::UnsupportedKind(k),
                    EvalError::Internal(m) => PackError::Internal(m),
                }
            }
        }

        impl wit::Host for State {}

        impl pillar::rules::host::Host for State {
            fn log(&mut self, level: wit::LogLevel, message: String) -> wasmtime::Result<()> {
                let level = match level {
                    wit::LogLevel::Trace => "trace",
                    wit::LogLevel::Debug => "debug",
                    wit::LogLevel::Info => "info",
                    wit::LogLevel::Warn => "warn",
                    wit::LogLevel::Error => "error",
                };
                self.log_line(level, message)
            }

            fn emit(&mut self, f: wit::Finding) -> wasmtime::Result<()> {
                self.report(Reported {
                    rule_id: f.rule_id,
                    resource_index: f.resource_index,
                    verdict: f.verdict.into(),
                    message: f.message,
                    evidence: f.evidence,
                    severity: f.severity.map(Severity::from),
                })
            }
        }

        pub(crate) fn add_to_linker(linker: &mut Linker<State>) -> wasmtime::Result<()> {
            RulePack::add_to_linker::<State, HasSelf<State>>(linker, |s| s)
        }

        pub(crate) fn configure(
            instance: &RulePack,
            store: &mut Store<State>,
            settings: &str,
        ) -> wasmtime::Result<Result<(), PackError>> {
            Ok(instance
                .pillar_rules_rules()
                .call_configure(store, settings)?
                .map_err(PackError::from))
        }

        pub(crate) fn evaluate(
            instance: &RulePack,
            store: &mut Store<State>,
            kind: &str,
            batch: &str,
        ) -> wasmtime::Result<Result<(), PackError>> {
            Ok(instance
                .pillar_rules_rules()
                .call_evaluate(store, kind, batch)?
                .map_err(PackError::from))
        }
    };
}
pub(crate) use shared_across_ranges;

#[cfg(test)]
mod tests {
    use super::*;

    /// The `package pillar:rules@…;` line of `wit/<dir>/rules.wit`.
    fn package_version(dir: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../wit")
            .join(dir)
            .join("rules.wit");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .find_map(|l| l.trim().strip_prefix("package pillar:rules@"))
            .and_then(|v| v.strip_suffix(';'))
            .unwrap_or_else(|| panic!("{}: no package line", path.display()))
            .to_owned()
    }

    #[test]
    fn every_range_matches_its_wit_package_line_and_the_public_constants() {
        let versions: Vec<&str> = Range::ALL.iter().map(|r| r.version()).collect();
        assert_eq!(versions, crate::CONTRACT_VERSIONS);
        assert_eq!(versions.last().copied(), Some(crate::CONTRACT_VERSION));
        for r in Range::ALL {
            let v = r.version();
            let dir = format!("v{}", v.rsplit_once('.').map_or(v, |(range, _)| range));
            assert_eq!(package_version(&dir), v, "wit/{dir}/rules.wit");
            assert_eq!(Range::of(v), Some(r));
        }
        // No WIT directory without host bindings, or the reverse.
        let wit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../wit");
        let mut dirs: Vec<String> = std::fs::read_dir(&wit)
            .expect("wit/")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        dirs.sort();
        assert_eq!(dirs, ["v0.1", "v0.2"]);
    }
}
