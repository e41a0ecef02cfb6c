//! The built-in rule catalog, generated at build time from
//! `rules/catalog/` (see `build.rs`). pillar's own packs take their
//! `metadata` from here so that a rule's code and its documentation cannot
//! drift apart. It is not part of the SDK: a third-party pack declares its
//! rules itself, and `pillar rules new` does not vendor this crate.

use pillar_rule_sdk::params::{self, ComplianceRef, RuleParam};
use pillar_rule_sdk::{PackInfo, Pillar, RuleInfo, Severity};

/// Where every built-in rule is documented.
pub const DOCS: &str = "https://github.com/pillar-scan/pillar/blob/main/rules/";

/// One rule as the catalog declares it.
#[derive(Debug)]
pub struct CatalogRule {
    pub id: &'static str,
    /// The pack that implements it, e.g. `pillar-ec2`.
    pub pack: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub pillar: Pillar,
    pub best_practice: &'static str,
    pub kinds: &'static [&'static str],
    /// Markdown in fixed sections, "## Parameters" among them.
    pub help: &'static str,
    pub params: &'static [Param],
}

/// A rule parameter: name, type, default (as JSON text) and description.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    /// `integer`, `string`, `boolean` or `string list`.
    pub kind: &'static str,
    pub default_json: &'static str,
    pub description: &'static str,
}

impl Param {
    /// The contract's typed form. `build.rs` has checked the type and the
    /// default, and the test below parses every one.
    fn declared(&self) -> Option<RuleParam> {
        let kind = params::parse_type(self.kind)?;
        let default: serde_json::Value = serde_json::from_str(self.default_json).ok()?;
        Some(RuleParam {
            name: self.name.to_owned(),
            type_: kind,
            default: params::from_json(kind, &default)?,
            description: self.description.to_owned(),
        })
    }
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The catalog entry of a rule.
pub fn get(id: &str) -> Option<&'static CatalogRule> {
    RULES.iter().find(|r| r.id == id)
}

/// A built-in pack's `metadata`: its name, version and catalog rules.
pub fn pack_info(name: &str, version: &str) -> PackInfo {
    PackInfo {
        name: name.to_owned(),
        version: version.to_owned(),
        rules: pack_rules(name),
    }
}

/// The `metadata` rules of `pack`, in catalog order.
pub fn pack_rules(pack: &str) -> Vec<RuleInfo> {
    RULES
        .iter()
        .filter(|r| r.pack == pack)
        .map(|r| RuleInfo {
            id: r.id.to_owned(),
            title: r.title.to_owned(),
            severity: r.severity,
            pillar: r.pillar,
            best_practice: r.best_practice.to_owned(),
            resource_kinds: r.kinds.iter().map(|k| (*k).to_owned()).collect(),
            help: r.help.to_owned(),
            help_uri: format!("{DOCS}{}.md", r.id),
            parameters: r.params.iter().filter_map(Param::declared).collect(),
            // The compliance frameworks beyond Well-Architected come with
            // their own mappings (rules/frameworks/, a later change).
            compliance: vec![ComplianceRef {
                framework: params::WELL_ARCHITECTED.to_owned(),
                control: r.best_practice.to_owned(),
            }],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_and_its_defaults_parse() {
        assert!(RULES.len() >= 40, "{} rules", RULES.len());
        for r in RULES {
            for section in [
                "## What it checks",
                "## Why it matters",
                "## When the verdict is unknown",
                "## Parameters",
                "## Remediation",
                "```hcl",
                "## Equivalent checks",
                "## References",
            ] {
                assert!(r.help.contains(section), "{}: no {section}", r.id);
            }
            for p in r.params {
                let v: serde_json::Value =
                    serde_json::from_str(p.default_json).expect("default is JSON");
                assert!(
                    pillar_rule_sdk::config::type_matches(p.kind, &v),
                    "{} {}",
                    r.id,
                    p.name
                );
            }
        }
    }

    #[test]
    fn every_parameter_is_declared_typed_in_the_metadata() {
        for r in RULES {
            let rule = pack_rules(r.pack)
                .into_iter()
                .find(|i| i.id == r.id)
                .expect("listed");
            assert_eq!(rule.parameters.len(), r.params.len(), "{}", r.id);
            assert_eq!(rule.compliance[0].control, r.best_practice);
        }
    }

    // Moved from the SDK's config.rs with the catalog: the SDK now takes
    // parameters from the pack's own metadata.
    use pillar_rule_sdk::config::Config;
    use serde_json::json;

    #[test]
    fn user_values_override_catalog_defaults() {
        let own = pack_rules("pillar-iam");
        let c = Config::from_settings(
            &json!({"PILLAR-IAM-004": {"max_age_days": 30}, "_scan": {"now": "2026-11-01T06:00:00Z"}}),
            &own,
        )
        .expect("valid");
        assert_eq!(c.int("PILLAR-IAM-004", "max_age_days"), 30);
        assert_eq!(
            Config::declared(&own).int("PILLAR-IAM-004", "max_age_days"),
            90
        );
        assert!(c.now().is_some());
    }

    #[test]
    fn unknown_parameters_and_wrong_types_are_refused() {
        let own = pack_rules("pillar-iam");
        let err = Config::from_settings(&json!({"PILLAR-IAM-004": {"max_age": 3}}), &own)
            .expect_err("unknown");
        assert!(err.contains("max_age"), "{err}");
        assert!(
            Config::from_settings(&json!({"PILLAR-IAM-004": {"max_age_days": "x"}}), &own).is_err()
        );
        // Another pack's rules are not this pack's business.
        assert!(Config::from_settings(&json!({"OTHER-1": {"x": 1}}), &own).is_ok());
    }
}
