//! Instances grouped into workloads by tag (`workload`), with how many of a
//! workload's instances run and in how many zones.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Value, json};

use super::{Derived, Scope, str_attr, tag, tags_unknown};
use crate::Resource;

/// Tags that name an instance's workload, in order of preference.
pub const WORKLOAD_TAGS: &[&str] = &[
    "aws:autoscaling:groupName",
    "workload",
    "app",
    "application",
    "service",
    "component",
];

/// An instance's workload key, `Err(())` when its tags are unknown.
fn workload_of(r: &Resource) -> Result<Option<String>, ()> {
    if tags_unknown(r) {
        return Err(());
    }
    Ok(WORKLOAD_TAGS
        .iter()
        .find_map(|k| tag(r, k).map(|v| format!("{k}={v}"))))
}

/// Whether an instance counts as running (absent state: a planned instance,
/// which will run); `None` if unknown.
fn running(r: &Resource) -> Option<bool> {
    match str_attr(r, "instance_state") {
        Err(()) => None,
        Ok(None) => Some(true),
        Ok(Some(s)) => Some(s == "running"),
    }
}

pub(super) fn workloads(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
    let instances: Vec<usize> = (0..resources.len())
        .filter(|&i| resources[i].kind == "aws_instance")
        .collect();
    // One pass to group instances by scope and workload: comparing every
    // instance with every other is quadratic, and an account can hold tens
    // of thousands of instances.
    let keys: Vec<Result<Option<String>, ()>> = instances
        .iter()
        .map(|&i| workload_of(&resources[i]))
        .collect();
    let mut unsure: HashSet<Scope> = HashSet::new();
    let mut members: HashMap<(Scope, String), Vec<usize>> = HashMap::new();
    for (&i, key) in instances.iter().zip(&keys) {
        let scope = Scope::of(&resources[i]);
        match key {
            Err(()) => {
                unsure.insert(scope);
            }
            Ok(Some(k)) => members.entry((scope, k.clone())).or_default().push(i),
            Ok(None) => {}
        }
    }
    let mut tallies: HashMap<(Scope, String), (Derived, Derived)> = HashMap::new();
    let mut out = vec![Vec::new(); resources.len()];
    for (&i, key) in instances.iter().zip(keys) {
        let r = &resources[i];
        let scope = Scope::of(r);
        let (workload, count, azs) = match key {
            Err(()) => (Derived::Unknown, Derived::Unknown, Derived::Unknown),
            Ok(None) => {
                // Untagged: a workload of one.
                let (count, azs) = tally(std::iter::once(r));
                (Derived::Known(Value::Null), count, azs)
            }
            // Another instance whose workload tag is unknown could belong.
            Ok(Some(key)) if unsure.contains(&scope) => (
                Derived::Known(Value::String(key)),
                Derived::Unknown,
                Derived::Unknown,
            ),
            Ok(Some(key)) => {
                let group = (scope, key);
                let (count, azs) = tallies
                    .entry(group.clone())
                    .or_insert_with(|| {
                        let list = members.get(&group).map(Vec::as_slice).unwrap_or_default();
                        tally(list.iter().map(|&j| &resources[j]))
                    })
                    .clone();
                (Derived::Known(Value::String(group.1)), count, azs)
            }
        };
        out[i] = vec![
            ("workload", workload),
            ("workload_running_instances", count),
            ("workload_running_azs", azs),
        ];
    }
    out
}

/// Running members and their distinct zones, or unknown if a member's
/// state or zone is unknown.
fn tally<'a>(members: impl Iterator<Item = &'a Resource>) -> (Derived, Derived) {
    let mut count = 0u64;
    let mut zones = BTreeSet::new();
    for m in members {
        match running(m) {
            None => return (Derived::Unknown, Derived::Unknown),
            Some(false) => continue,
            Some(true) => {}
        }
        count += 1;
        match str_attr(m, "availability_zone") {
            Ok(Some(az)) => {
                zones.insert(az.to_owned());
            }
            _ => return (Derived::Known(json!(count)), Derived::Unknown),
        }
    }
    (Derived::Known(json!(count)), Derived::Known(json!(zones)))
}
