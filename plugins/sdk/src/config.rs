//! Rule parameters and scan facts, as the host passes them to `configure`.
//!
//! The settings are a JSON object keyed by rule id, each an object of
//! parameters, e.g. `{"PILLAR-IAM-004": {"max_age_days": 60}}`. The reserved
//! key `"_scan"` carries facts about the scan itself: `{"now": "<RFC 3339>"}`
//! is the time the snapshot was taken. Rules that age things use it and never
//! read a clock, so a scan of the same snapshot always gives the same result.

use std::cell::RefCell;

use serde_json::{Map, Value};

use crate::RuleInfo;
use crate::params;
use crate::time::parse_rfc3339;

/// The reserved settings key for scan facts.
pub const SCAN_KEY: &str = "_scan";

/// Parameters and scan facts for one pack instance.
#[derive(Debug, Clone, Default)]
pub struct Config {
    settings: Map<String, Value>,
    /// Rule id -> parameter -> default, from the pack's own metadata.
    defaults: Map<String, Value>,
}

thread_local! {
    static CURRENT: RefCell<Config> = RefCell::new(Config::default());
}

/// The configuration `configure` received (empty before it is called).
pub fn current() -> Config {
    CURRENT.with(|c| c.borrow().clone())
}

/// Replaces the current configuration. The adapter calls it from
/// `configure`; native tests call it to set parameters.
pub fn set_current(config: Config) {
    CURRENT.with(|c| *c.borrow_mut() = config);
}

impl Config {
    /// Reads settings, refusing unknown parameters and wrong types for the
    /// rules among `own_rules` (other keys belong to other packs), whose
    /// declared `parameters` also give the defaults.
    pub fn from_settings(settings: &Value, own_rules: &[RuleInfo]) -> Result<Config, String> {
        let map = settings
            .as_object()
            .ok_or("settings must be a JSON object keyed by rule id")?;
        for (rule, params) in map {
            let Some(declared) = own_rules.iter().find(|r| &r.id == rule) else {
                continue;
            };
            let params = params
                .as_object()
                .ok_or_else(|| format!("{rule}: parameters must be an object"))?;
            for (name, value) in params {
                let spec = declared
                    .parameters
                    .iter()
                    .find(|p| &p.name == name)
                    .ok_or_else(|| format!("{rule} has no parameter {name:?}"))?;
                let kind = params::type_name(spec.type_);
                if !type_matches(kind, value) {
                    return Err(format!("{rule}.{name} must be a {kind}"));
                }
            }
        }
        Ok(Config::from_json(settings.clone()).with_defaults(own_rules))
    }

    /// No settings: every parameter at its declared default.
    pub fn declared(rules: &[RuleInfo]) -> Config {
        Config::default().with_defaults(rules)
    }

    /// Settings from a JSON value, unchecked (for tests).
    pub fn from_json(settings: Value) -> Config {
        Config {
            settings: settings.as_object().cloned().unwrap_or_default(),
            defaults: Map::new(),
        }
    }

    /// Takes parameter defaults from `rules`' declarations.
    pub fn with_defaults(mut self, rules: &[RuleInfo]) -> Config {
        for r in rules.iter().filter(|r| !r.parameters.is_empty()) {
            let defaults: Map<String, Value> = r
                .parameters
                .iter()
                .map(|p| (p.name.clone(), params::to_json(&p.default)))
                .collect();
            self.defaults.insert(r.id.clone(), Value::Object(defaults));
        }
        self
    }

    /// When the snapshot was taken, in seconds since the Unix epoch.
    pub fn now(&self) -> Option<i64> {
        self.settings
            .get(SCAN_KEY)
            .and_then(|s| s.get("now"))
            .and_then(Value::as_str)
            .and_then(parse_rfc3339)
    }

    /// A parameter: the user's value, else the declared default.
    pub fn param(&self, rule: &str, name: &str) -> Value {
        [&self.settings, &self.defaults]
            .into_iter()
            .find_map(|m| m.get(rule).and_then(|r| r.get(name)))
            .cloned()
            .unwrap_or(Value::Null)
    }

    pub fn int(&self, rule: &str, name: &str) -> i64 {
        self.param(rule, name).as_i64().unwrap_or(0)
    }

    pub fn bool(&self, rule: &str, name: &str) -> bool {
        self.param(rule, name).as_bool().unwrap_or(false)
    }

    pub fn string(&self, rule: &str, name: &str) -> String {
        self.param(rule, name)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn strings(&self, rule: &str, name: &str) -> Vec<String> {
        self.param(rule, name)
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Whether `v` has the parameter type named `kind` (see `params::type_name`).
pub fn type_matches(kind: &str, v: &Value) -> bool {
    match kind {
        "integer" => v.as_i64().is_some(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "string list" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{ParamValue, param};
    use serde_json::json;

    fn own() -> Vec<RuleInfo> {
        let rule = crate::rule(
            "ACME-1",
            "t",
            crate::Severity::Low,
            crate::Pillar::Security,
            "",
            &["aws_iam_user"],
            "",
            "",
        );
        vec![RuleInfo {
            parameters: vec![param("max_age_days", ParamValue::Integer(90), "Oldest.")],
            ..rule
        }]
    }

    #[test]
    fn declared_parameters_give_defaults_and_are_checked() {
        let c =
            Config::from_settings(&json!({"ACME-1": {"max_age_days": 30}}), &own()).expect("valid");
        assert_eq!(c.int("ACME-1", "max_age_days"), 30);
        assert_eq!(Config::declared(&own()).int("ACME-1", "max_age_days"), 90);
        assert_eq!(Config::default().int("ACME-1", "max_age_days"), 0);
        let err =
            Config::from_settings(&json!({"ACME-1": {"max_age": 3}}), &own()).expect_err("unknown");
        assert!(err.contains("max_age"), "{err}");
        assert!(Config::from_settings(&json!({"ACME-1": {"max_age_days": "x"}}), &own()).is_err());
        assert!(Config::from_settings(&json!({"OTHER-1": {"x": 1}}), &own()).is_ok());
    }
}
