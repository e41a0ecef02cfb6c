//! Rule parameters and scan facts, as the host passes them to `configure`.
//!
//! The settings are a JSON object keyed by rule id, each an object of
//! parameters, e.g. `{"PILLAR-IAM-004": {"max_age_days": 60}}`. The reserved
//! key `"_scan"` carries facts about the scan itself: `{"now": "<RFC 3339>"}`
//! is the time the snapshot was taken. Rules that age things use it and never
//! read a clock, so a scan of the same snapshot always gives the same result.

use std::cell::RefCell;

use serde_json::{Map, Value};

use crate::catalog;
use crate::time::parse_rfc3339;

/// The reserved settings key for scan facts.
pub const SCAN_KEY: &str = "_scan";

/// Parameters and scan facts for one pack instance.
#[derive(Debug, Clone, Default)]
pub struct Config {
    settings: Map<String, Value>,
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
    /// catalog rules among `own_rules` (other keys belong to other packs).
    pub fn from_settings(settings: &Value, own_rules: &[String]) -> Result<Config, String> {
        let map = settings
            .as_object()
            .ok_or("settings must be a JSON object keyed by rule id")?;
        for (rule, params) in map {
            if rule == SCAN_KEY || !own_rules.contains(rule) {
                continue;
            }
            let params = params
                .as_object()
                .ok_or_else(|| format!("{rule}: parameters must be an object"))?;
            let declared = catalog::get(rule).map_or(&[][..], |r| r.params);
            for (name, value) in params {
                let spec = declared
                    .iter()
                    .find(|p| p.name == name)
                    .ok_or_else(|| format!("{rule} has no parameter {name:?}"))?;
                if !type_matches(spec.kind, value) {
                    return Err(format!("{rule}.{name} must be a {}", spec.kind));
                }
            }
        }
        Ok(Config {
            settings: map.clone(),
        })
    }

    /// Settings from a JSON value, unchecked (for tests).
    pub fn from_json(settings: Value) -> Config {
        Config {
            settings: settings.as_object().cloned().unwrap_or_default(),
        }
    }

    /// When the snapshot was taken, in seconds since the Unix epoch.
    pub fn now(&self) -> Option<i64> {
        self.settings
            .get(SCAN_KEY)
            .and_then(|s| s.get("now"))
            .and_then(Value::as_str)
            .and_then(parse_rfc3339)
    }

    /// A parameter: the user's value, else the catalog default.
    pub fn param(&self, rule: &str, name: &str) -> Value {
        if let Some(v) = self.settings.get(rule).and_then(|r| r.get(name)) {
            return v.clone();
        }
        catalog::get(rule)
            .and_then(|r| r.params.iter().find(|p| p.name == name))
            .and_then(|p| serde_json::from_str(p.default_json).ok())
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

/// Whether `v` has the catalog type `kind`.
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
    use serde_json::json;

    #[test]
    fn user_values_override_catalog_defaults() {
        let own = vec!["PILLAR-IAM-004".to_owned()];
        let c = Config::from_settings(
            &json!({"PILLAR-IAM-004": {"max_age_days": 30}, "_scan": {"now": "2026-11-01T06:00:00Z"}}),
            &own,
        )
        .expect("valid");
        assert_eq!(c.int("PILLAR-IAM-004", "max_age_days"), 30);
        assert_eq!(Config::default().int("PILLAR-IAM-004", "max_age_days"), 90);
        assert!(c.now().is_some());
    }

    #[test]
    fn unknown_parameters_and_wrong_types_are_refused() {
        let own = vec!["PILLAR-IAM-004".to_owned()];
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
