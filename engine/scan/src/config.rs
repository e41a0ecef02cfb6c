//! The `[rules."ID"]` settings of a project, checked against the rules of
//! the loaded packs:
//!
//! ```toml
//! [rules."PILLAR-IAM-004"]
//! severity = "high"          # override the default severity
//! max_age_days = 60          # a parameter the rule declares
//!
//! [rules."PILLAR-TAG-001"]
//! enabled = false            # do not run it
//! ```
//!
//! `enabled` and `severity` are reserved; every other key must be a
//! parameter the rule declares (`RuleInfo::parameters`). An unknown rule id, an
//! unknown parameter or a value of the wrong type is an error that names the
//! file, the line and the rule, before any pack runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use pillar_evaluate::{Evaluation, PackInfo, Severity};
use serde_json::{Map, Value, json};

use crate::ProjectError;
use crate::project::RuleSettings;

/// A validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    disabled: BTreeSet<String>,
    severities: HashMap<String, Severity>,
    params: BTreeMap<String, Map<String, Value>>,
}

impl Config {
    /// Checks `rules`, read from `path`, against the rules of `packs`.
    pub fn new(
        rules: &[RuleSettings],
        path: &Path,
        packs: &[PackInfo],
    ) -> Result<Config, ProjectError> {
        let mut config = Config::default();
        for table in rules {
            let id = &table.id.value;
            let at = |line: usize, message: String| ProjectError::at(path, line, message);
            let rule = packs
                .iter()
                .flat_map(|p| &p.rules)
                .find(|r| &r.id == id)
                .ok_or_else(|| {
                    at(
                        table.id.line,
                        format!("unknown rule id {id:?} (see `pillar rules list`)"),
                    )
                })?;
            let declared = &rule.parameters;
            for (name, value) in &table.settings {
                let (line, name) = (name.line, &name.value);
                match name.as_str() {
                    "enabled" => match value.as_bool() {
                        Some(false) => {
                            config.disabled.insert(id.clone());
                        }
                        Some(true) => {}
                        None => {
                            return Err(at(
                                line,
                                format!("rules.{id:?}.enabled must be true or false"),
                            ));
                        }
                    },
                    "severity" => {
                        let s = value.as_str().and_then(Severity::parse).ok_or_else(|| {
                            at(line, format!("rules.{id:?}.severity must be one of info, low, medium, high, critical"))
                        })?;
                        config.severities.insert(id.clone(), s);
                    }
                    _ => {
                        let spec = declared.iter().find(|p| &p.name == name).ok_or_else(|| {
                            let known: Vec<&str> =
                                declared.iter().map(|p| p.name.as_str()).collect();
                            let known = if known.is_empty() {
                                "none".to_owned()
                            } else {
                                known.join(", ")
                            };
                            at(
                                line,
                                format!("rule {id} has no parameter {name:?} (it takes: {known})"),
                            )
                        })?;
                        let json = serde_json::to_value(value)
                            .map_err(|e| at(line, format!("rules.{id:?}.{name}: {e}")))?;
                        if !spec.accepts(&json) {
                            return Err(at(
                                line,
                                format!("rules.{id:?}.{name} must be of type {}", spec.kind),
                            ));
                        }
                        config
                            .params
                            .entry(id.clone())
                            .or_default()
                            .insert(name.clone(), json);
                    }
                }
            }
        }
        Ok(config)
    }

    /// The settings every pack's `configure` receives: parameters keyed by
    /// rule id, and `"_scan": {"now": <when the snapshot was taken>}` so that
    /// rules age things against the snapshot, never the clock.
    pub fn settings(&self, collected_at: &str) -> String {
        let mut doc = Map::new();
        for (id, params) in &self.params {
            doc.insert(id.clone(), Value::Object(params.clone()));
        }
        doc.insert("_scan".to_owned(), json!({ "now": collected_at }));
        Value::Object(doc).to_string()
    }

    /// Applies `enabled` and `severity` to the packs' rule lists.
    pub fn apply_to_packs(&self, packs: &mut [PackInfo]) {
        for p in packs {
            p.rules.retain(|r| !self.disabled.contains(&r.id));
            for r in &mut p.rules {
                if let Some(s) = self.severities.get(&r.id) {
                    r.severity = *s;
                }
            }
        }
    }

    /// Applies `enabled` and `severity` to an evaluation's findings and stats.
    pub fn apply_to_evaluation(&self, evaluation: &mut Evaluation) {
        evaluation
            .findings
            .retain(|f| !self.disabled.contains(&f.rule_id));
        evaluation.stats.retain(|id, _| !self.disabled.contains(id));
        for f in &mut evaluation.findings {
            if let Some(s) = self.severities.get(&f.rule_id) {
                f.severity = *s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;

    fn packs() -> Vec<PackInfo> {
        crate::test_packs::one_rule(
            "R-1",
            "## Parameters\n\n| Parameter | Type | Default | Meaning |\n|---|---|---|---|\n| `days` | integer | `90` | x |\n",
        )
    }

    /// Parses a pillar.toml and checks its rules, as a scan does.
    fn parse(text: &str, packs: &[PackInfo]) -> Result<Config, ProjectError> {
        Project::parse(text, Path::new("pillar.toml"))?.config(packs)
    }

    #[test]
    fn valid_settings_become_pack_settings() {
        let c = parse("[rules.R-1]\ndays = 30\nseverity = \"high\"\n", &packs()).expect("valid");
        let s: Value = serde_json::from_str(&c.settings("2026-11-01T06:00:00Z")).expect("json");
        assert_eq!(s["R-1"]["days"], 30);
        assert_eq!(s["_scan"]["now"], "2026-11-01T06:00:00Z");
        let mut p = packs();
        c.apply_to_packs(&mut p);
        assert_eq!(p[0].rules[0].severity, Severity::High);
        let off = parse("[rules.R-1]\nenabled = false\n", &packs()).expect("valid");
        off.apply_to_packs(&mut p);
        assert!(p[0].rules.is_empty());
    }

    #[test]
    fn mistakes_are_errors_that_say_what_is_wrong() {
        for (text, expected) in [
            ("[rules.R-9]\ndays = 1\n", "unknown rule id \"R-9\""),
            (
                "[rules.R-1]\nday = 1\n",
                "has no parameter \"day\" (it takes: days)",
            ),
            ("[rules.R-1]\ndays = \"x\"\n", "must be of type integer"),
            (
                "[rules.R-1]\nseverity = \"urgent\"\n",
                "severity must be one of",
            ),
            ("[rule.R-1]\n", "unknown section [rule]"),
            ("[rules.R-1\n", "TOML"),
        ] {
            let err = format!("{:#}", parse(text, &packs()).expect_err(text));
            assert!(
                err.contains(expected) || expected == "TOML",
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn errors_name_the_file_and_the_line() {
        let text = "[rules.R-1]\nseverity = \"high\"\n\n[rules.R-1]\n";
        let err = parse("[rules.R-1]\nseverity = \"high\"\nday = 1\n", &packs()).expect_err("day");
        assert!(err.to_string().starts_with("pillar.toml:3: "), "{err}");
        let err = parse("\n\n[rules.R-9]\n", &packs()).expect_err("R-9");
        assert!(err.to_string().starts_with("pillar.toml:3: "), "{err}");
        let err = parse(text, &packs()).expect_err("a table defined twice");
        assert!(err.to_string().contains("line 4"), "{err}");
    }
}
