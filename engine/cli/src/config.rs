//! `pillar.toml`: which rules run, at what severity, with which parameters.
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
//! file and the rule, before any pack runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use pillar_evaluate::{Evaluation, PackInfo, Severity};
use serde_json::{Map, Value, json};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "pillar.toml";

/// A validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from, if anywhere.
    pub path: Option<PathBuf>,
    disabled: BTreeSet<String>,
    severities: HashMap<String, Severity>,
    params: BTreeMap<String, Map<String, Value>>,
}

/// The file to read: `--config`, else `./pillar.toml` if it exists.
pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    match explicit {
        Some(p) => Some(p.to_owned()),
        None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
    }
}

impl Config {
    /// Reads and validates `path` against the rules of the loaded packs.
    pub fn load(path: &Path, packs: &[PackInfo]) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut config = Config::parse(&text, packs).with_context(|| path.display().to_string())?;
        config.path = Some(path.to_owned());
        Ok(config)
    }

    fn parse(text: &str, packs: &[PackInfo]) -> Result<Config> {
        let doc: toml::Table = toml::from_str(text)?;
        let mut config = Config::default();
        for (key, value) in doc {
            // [plugins] (extra packs and pins) is read by plugin_config,
            // [[mute]] by mutes.rs, [[account]] (accounts to collect) by accounts.rs.
            if key == "plugins" || key == "mute" || key == "account" {
                continue;
            }
            if key != "rules" {
                bail!(
                    "unknown section [{key}]; pillar.toml has [rules.\"ID\"] tables, [plugins], [[mute]] and [[account]]"
                );
            }
            let rules = value
                .as_table()
                .context("`rules` must be a table of rule ids")?;
            for (id, settings) in rules {
                let rule = packs
                    .iter()
                    .flat_map(|p| &p.rules)
                    .find(|r| &r.id == id)
                    .with_context(|| format!("unknown rule id {id:?} (see `pillar rules list`)"))?;
                let settings = settings
                    .as_table()
                    .with_context(|| format!("rules.{id:?} must be a table"))?;
                let declared = &rule.parameters;
                for (name, value) in settings {
                    match name.as_str() {
                        "enabled" => match value.as_bool() {
                            Some(false) => {
                                config.disabled.insert(id.clone());
                            }
                            Some(true) => {}
                            None => bail!("rules.{id:?}.enabled must be true or false"),
                        },
                        "severity" => {
                            let s = value.as_str().and_then(Severity::parse).with_context(|| {
                                format!("rules.{id:?}.severity must be one of info, low, medium, high, critical")
                            })?;
                            config.severities.insert(id.clone(), s);
                        }
                        _ => {
                            let spec =
                                declared.iter().find(|p| &p.name == name).with_context(|| {
                                    let known: Vec<&str> =
                                        declared.iter().map(|p| p.name.as_str()).collect();
                                    format!(
                                        "rule {id} has no parameter {name:?} (it takes: {})",
                                        if known.is_empty() {
                                            "none".to_owned()
                                        } else {
                                            known.join(", ")
                                        }
                                    )
                                })?;
                            let json = serde_json::to_value(value)?;
                            if !spec.accepts(&json) {
                                bail!("rules.{id:?}.{name} must be of type {}", spec.kind);
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

    fn packs() -> Vec<PackInfo> {
        crate::test_packs::one_rule(
            "R-1",
            "## Parameters\n\n| Parameter | Type | Default | Meaning |\n|---|---|---|---|\n| `days` | integer | `90` | x |\n",
        )
    }

    #[test]
    fn valid_settings_become_pack_settings() {
        let c = Config::parse("[rules.R-1]\ndays = 30\nseverity = \"high\"\n", &packs())
            .expect("valid");
        let s: Value = serde_json::from_str(&c.settings("2026-11-01T06:00:00Z")).expect("json");
        assert_eq!(s["R-1"]["days"], 30);
        assert_eq!(s["_scan"]["now"], "2026-11-01T06:00:00Z");
        let mut p = packs();
        c.apply_to_packs(&mut p);
        assert_eq!(p[0].rules[0].severity, Severity::High);
        let off = Config::parse("[rules.R-1]\nenabled = false\n", &packs()).expect("valid");
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
            let err = format!("{:#}", Config::parse(text, &packs()).expect_err(text));
            assert!(
                err.contains(expected) || expected == "TOML",
                "{text}: {err}"
            );
        }
    }
}
