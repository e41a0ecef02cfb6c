//! Helpers for packs' native unit tests.

use serde_json::Value;

use crate::config::{self, Config};
use crate::{Findings, Resource, RulePack};

/// A resource of `kind` with `attributes` and `unknown` pointers.
pub fn resource(kind: &str, attributes: Value, unknown: &[&str]) -> Resource {
    Resource {
        id: format!("arn:aws:test:eu-west-1:111122223333:{kind}/r"),
        kind: kind.to_owned(),
        account: Some("111122223333".to_owned()),
        region: Some("eu-west-1".to_owned()),
        attributes,
        unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Runs `P::evaluate` natively on one batch with `settings` (a JSON object
/// keyed by rule id, plus `"_scan"`), and returns what it reported.
pub fn run<P: RulePack>(kind: &str, batch: &[Resource], settings: Value) -> Findings {
    config::set_current(Config::from_json(settings));
    let mut f = Findings::default();
    if let Err(e) = P::evaluate(kind, batch, &mut f) {
        panic!("evaluate({kind}) failed: {e:?}");
    }
    f
}

/// The verdicts `rule` reported, as `(resource index, verdict)`.
pub fn verdicts_of(f: &Findings, rule: &str) -> Vec<(u32, &'static str)> {
    f.0.iter()
        .filter(|e| e.rule_id == rule)
        .map(|e| (e.resource, e.verdict))
        .collect()
}
