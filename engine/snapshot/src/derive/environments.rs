//! A resource's environment from its tags (`environment_tag`,
//! `environment_class`) and how many production resources its account holds
//! (`account_production_resources`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{Derived, tag, tags_unknown};
use crate::Resource;

/// Tags that name a resource's environment (keys matched without regard to case).
pub const ENVIRONMENT_TAGS: &[&str] = &["environment", "env"];

const PRODUCTION: &[&str] = &["prod", "production", "prd", "live"];
const NON_PRODUCTION: &[&str] = &[
    "dev",
    "development",
    "test",
    "testing",
    "qa",
    "staging",
    "stage",
    "sandbox",
    "uat",
    "demo",
];

/// `production`, `non-production`, or `None` for a value neither list knows.
pub fn environment_class(value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    if PRODUCTION.contains(&v.as_str()) {
        Some("production")
    } else if NON_PRODUCTION.contains(&v.as_str()) {
        Some("non-production")
    } else {
        None
    }
}

pub(super) fn environments(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
    // Per account: production resources, and whether any resource's tags
    // are unknown (it could be production).
    let mut production: HashMap<&str, u64> = HashMap::new();
    let mut unsure: HashMap<&str, bool> = HashMap::new();
    // Per resource: `None` when its tags are unknown, else its environment
    // tag and that tag's class.
    type Class<'a> = Option<(Option<&'a str>, Option<&'static str>)>;
    let classes: Vec<Class<'_>> = resources
        .iter()
        .map(|r| {
            if tags_unknown(r) {
                return None;
            }
            let value = ENVIRONMENT_TAGS.iter().find_map(|k| tag(r, k));
            Some((value, value.and_then(environment_class)))
        })
        .collect();
    for (r, class) in resources.iter().zip(&classes) {
        let account = r.account.as_deref().unwrap_or_default();
        match class {
            None => *unsure.entry(account).or_default() = true,
            Some((_, Some("production"))) => *production.entry(account).or_default() += 1,
            Some(_) => {}
        }
    }
    resources
        .iter()
        .zip(classes)
        .map(|(r, class)| {
            let account = r.account.as_deref().unwrap_or_default();
            let count = production.get(account).copied().unwrap_or(0);
            let in_account = if count == 0 && unsure.get(account).copied().unwrap_or(false) {
                Derived::Unknown
            } else {
                Derived::Known(json!(count))
            };
            let (value, class) = match class {
                None => (Derived::Unknown, Derived::Unknown),
                Some((value, c)) => (
                    Derived::Known(value.map_or(Value::Null, |v| Value::String(v.to_owned()))),
                    Derived::Known(c.map_or(Value::Null, |c| Value::String(c.to_owned()))),
                ),
            };
            vec![
                ("environment_tag", value),
                ("environment_class", class),
                ("account_production_resources", in_account),
            ]
        })
        .collect()
}
