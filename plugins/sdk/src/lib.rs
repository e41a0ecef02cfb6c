//! The Rust SDK for pillar rule packs.
//!
//! A rule pack implements [`RulePack`] and registers it with [`register!`]:
//!
//! ```ignore
//! use pillar_rule_sdk::prelude::*;
//!
//! struct MyPack;
//! impl RulePack for MyPack {
//!     fn info() -> PackInfo { /* name, version, rules */ }
//!     fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
//!         for (i, r) in batch.iter().enumerate() { /* out.fail(...) */ }
//!         Ok(())
//!     }
//! }
//! pillar_rule_sdk::register!(MyPack);
//! ```
//!
//! The same `evaluate` runs natively in unit tests with a [`Findings`] sink,
//! so rule logic is tested without a Wasm runtime; the host's end-to-end tests
//! then run the built component.

mod attributes;
pub mod backup;
pub mod config;
pub mod mask;
pub mod params;
pub mod policy;
mod resource;
pub mod secrets;
mod sink;
pub mod testing;
pub mod time;

pub use attributes::Attributes;
pub use resource::{Attr, Resource, parse_batch};
pub use sink::{Emitted, Findings, HostSink, Sink};

/// The `pillar:rules` contract version the SDK builds packs against: the
/// package line of `wit/v0.2/rules.wit`, which the bindings come from.
pub const CONTRACT_VERSION: &str = "0.2.0";

/// Generated bindings for the `pillar:rules` contract (`wit/v0.2/rules.wit`).
pub mod bindings {
    wit_bindgen::generate!({
        world: "rule-pack",
        path: "../../wit/v0.2",
        pub_export_macro: true,
        default_bindings_module: "pillar_rule_sdk::bindings",
    });
}

pub use bindings::exports::pillar::rules::rules::{EvalError, PackInfo};
pub use bindings::pillar::rules::types::{Finding, LogLevel, Pillar, RuleInfo, Severity, Verdict};

/// A rule pack: its metadata and its evaluation.
pub trait RulePack {
    /// The pack's name, version and rules. Called once when the host loads it.
    fn info() -> PackInfo;

    /// Rule parameters (a JSON object keyed by rule id). Called before the
    /// SDK checks them against the rules' declared `parameters` and stores
    /// them for
    /// [`config::current`]; the default accepts everything.
    fn configure(settings: &serde_json::Value) -> Result<(), EvalError> {
        let _ = settings;
        Ok(())
    }

    /// Judge one batch of resources of `kind`; report through `out`.
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError>;
}

/// Forwards the generated `Guest` trait to a [`RulePack`]. Used by [`register!`].
#[doc(hidden)]
pub mod adapter {
    use super::*;

    pub fn metadata<P: RulePack>() -> PackInfo {
        P::info()
    }

    pub fn configure<P: RulePack>(settings: String) -> Result<(), EvalError> {
        let value: serde_json::Value = serde_json::from_str(&settings)
            .map_err(|e| EvalError::BadInput(format!("settings are not JSON: {e}")))?;
        P::configure(&value)?;
        let own = P::info().rules;
        let config = config::Config::from_settings(&value, &own).map_err(EvalError::BadInput)?;
        config::set_current(config);
        Ok(())
    }

    pub fn evaluate<P: RulePack>(kind: String, batch: String) -> Result<(), EvalError> {
        let resources = parse_batch(&batch)?;
        P::evaluate(&kind, &resources, &mut HostSink)
    }
}

/// Exports a [`RulePack`] implementation as the component's `pillar:rules/rules`.
#[macro_export]
macro_rules! register {
    ($pack:ty) => {
        // Only a Wasm build exports the contract: natively the pack is an
        // ordinary library whose `evaluate` tests call directly (and the
        // versioned export names are not valid native symbol names).
        #[cfg(target_arch = "wasm32")]
        mod __pillar_export {
            #[allow(unused_imports)]
            use super::*;
            struct PillarComponent;
            impl $crate::bindings::exports::pillar::rules::rules::Guest for PillarComponent {
                fn metadata() -> $crate::PackInfo {
                    $crate::adapter::metadata::<$pack>()
                }
                fn configure(
                    settings: ::std::string::String,
                ) -> ::std::result::Result<(), $crate::EvalError> {
                    $crate::adapter::configure::<$pack>(settings)
                }
                fn evaluate(
                    kind: ::std::string::String,
                    batch: ::std::string::String,
                ) -> ::std::result::Result<(), $crate::EvalError> {
                    $crate::adapter::evaluate::<$pack>(kind, batch)
                }
            }
            $crate::bindings::export!(PillarComponent with_types_in $crate::bindings);
        }
    };
}

/// Writes a diagnostic line to the host log (no-op in native tests).
pub fn log(level: LogLevel, message: &str) {
    #[cfg(target_arch = "wasm32")]
    bindings::pillar::rules::host::log(level, message);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (level, message);
}

/// Shorthand for building [`RuleInfo`] records: no parameters (add them
/// with `RuleInfo { parameters: vec![params::param(…)], ..rule(…) }`), and
/// `best_practice` as the rule's one compliance reference, to the AWS
/// Well-Architected Framework.
#[allow(clippy::too_many_arguments)]
pub fn rule(
    id: &str,
    title: &str,
    severity: Severity,
    pillar: Pillar,
    best_practice: &str,
    resource_kinds: &[&str],
    help: &str,
    help_uri: &str,
) -> RuleInfo {
    RuleInfo {
        id: id.to_owned(),
        title: title.to_owned(),
        severity,
        pillar,
        best_practice: best_practice.to_owned(),
        resource_kinds: resource_kinds.iter().map(|k| (*k).to_owned()).collect(),
        help: help.to_owned(),
        help_uri: help_uri.to_owned(),
        parameters: Vec::new(),
        compliance: if best_practice.is_empty() {
            Vec::new()
        } else {
            vec![params::ComplianceRef {
                framework: params::WELL_ARCHITECTED.to_owned(),
                control: best_practice.to_owned(),
            }]
        },
    }
}

/// Everything a pack usually needs.
pub mod prelude {
    pub use crate::checks;
    pub use crate::config::{self, Config};
    pub use crate::params::{ParamType, ParamValue, RuleParam, param};
    pub use crate::tags::{Tag, missing_tags, tag};
    pub use crate::{
        Attr, EvalError, Findings, LogLevel, PackInfo, Pillar, Resource, RuleInfo, RulePack,
        Severity, Sink, Verdict, log, rule,
    };
}

pub mod checks;
pub mod iam;
pub mod net;
pub mod s3;
pub mod setting;
pub mod tags;

#[cfg(test)]
mod tests {
    /// The constant says what the bindings were generated from.
    #[test]
    fn contract_version_is_the_wit_package_line() {
        let wit = include_str!("../../../wit/v0.2/rules.wit");
        let line = format!("package pillar:rules@{};", super::CONTRACT_VERSION);
        assert!(wit.lines().any(|l| l.trim() == line), "{line}");
    }
}
