//! The built-in rule catalog, generated at build time from
//! `rules/catalog.toml` (see `build.rs`). Packs take their `metadata` from
//! here so that a rule's code and its documentation cannot drift apart.

use crate::{PackInfo, Pillar, RuleInfo, Severity};

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

/// A rule parameter: name, type and default (as JSON text).
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    /// `integer`, `string`, `boolean` or `string list`.
    pub kind: &'static str,
    pub default_json: &'static str,
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
                    crate::config::type_matches(p.kind, &v),
                    "{} {}",
                    r.id,
                    p.name
                );
            }
        }
    }
}
