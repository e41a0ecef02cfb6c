//! Merging what the triage adds to reports: mutes and the baseline
//! comparison. Shards share one configuration and one baseline, but each
//! sees only its own accounts, so their views must be reconciled rather
//! than concatenated:
//!
//! - a mute's `matched` counts add up, and a mute unused in one shard may
//!   be used in another;
//! - a baseline finding one shard calls "not rechecked" (its account is
//!   another shard's) is fixed if another shard saw it fixed, and is not
//!   gone at all if another shard still reports it.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use super::{MergeError, same};
use pillar_triage::MuteUse;

/// Mute uses from every input, combined per mute: `matched` summed, and the
/// most advanced state (an expiry can fall between two shards' runs).
pub(crate) fn mutes(
    items: impl IntoIterator<Item = (String, Value)>,
) -> Result<Vec<MuteUse>, MergeError> {
    let mut merged: BTreeMap<String, MuteUse> = BTreeMap::new();
    for (name, item) in items {
        let m: MuteUse = serde_json::from_value(item).map_err(|e| MergeError::Unreadable {
            name: name.clone(),
            message: format!("a mute in it is not one pillar writes: {e}"),
        })?;
        let key = serde_json::to_string(&m.mute).unwrap_or_default();
        match merged.get_mut(&key) {
            Some(kept) => {
                kept.matched += m.matched;
                kept.state = kept.state.max(m.state);
            }
            None => {
                merged.insert(key, m);
            }
        }
    }
    Ok(merged.into_values().collect())
}

/// The key a baseline finding is matched by when its fingerprint is not:
/// rule id and resource id (see `Triage::build`).
pub(crate) fn coarse(rule_id: &Value, resource: &Value) -> String {
    format!(
        "{}\0{}",
        rule_id.as_str().unwrap_or(""),
        resource.as_str().unwrap_or("")
    )
}

/// Baseline findings gone from the merged scan, as (fixed, not rechecked).
/// `present` holds the fingerprints the merged scan reports, `coarse` its
/// findings' [`coarse`] keys: a finding one shard could not recheck is not
/// gone when the shard that holds its account matched it by rule and
/// resource.
pub(crate) fn gone(
    present: &HashSet<String>,
    present_coarse: &HashSet<String>,
    fixed: impl IntoIterator<Item = Value>,
    not_rechecked: impl IntoIterator<Item = Value>,
) -> (Vec<Value>, Vec<Value>) {
    let print = |v: &Value| v["fingerprint"].as_str().unwrap_or_default().to_owned();
    let mut by_print: BTreeMap<String, Value> = BTreeMap::new();
    for g in fixed.into_iter().chain(not_rechecked) {
        let p = print(&g);
        if present.contains(&p) {
            continue;
        }
        // A shard that saw the finding fixed outranks one that could not look.
        let verified = g["verified"] == true;
        match by_print.get(&p) {
            Some(kept) if kept["verified"] == true || !verified => {}
            _ => {
                by_print.insert(p, g);
            }
        }
    }
    by_print.retain(|_, g| {
        g["verified"] == true || !present_coarse.contains(&coarse(&g["rule_id"], &g["resource"]))
    });
    let key = |g: &Value| {
        ["account", "rule_id", "resource", "fingerprint"]
            .map(|k| g[k].as_str().unwrap_or("").to_owned())
    };
    let mut all: Vec<Value> = by_print.into_values().collect();
    all.sort_by_key(key);
    all.into_iter().partition(|g| g["verified"] == true)
}

/// The merged baseline counts, or null when no input had a baseline.
/// `baselines` are the inputs' counts objects; `states` the merged
/// findings' baseline states.
pub(crate) fn counts<'a>(
    baselines: &[(&'a str, &'a Value)],
    states: impl IntoIterator<Item = &'a Value>,
    fixed: usize,
    not_rechecked: usize,
) -> Result<Value, MergeError> {
    if baselines.iter().all(|(_, b)| b.is_null()) {
        return Ok(Value::Null);
    }
    let file = same(
        "the baseline file",
        baselines.iter().map(|(n, b)| (*n, &b["file"])),
    )?;
    let new_only = same(
        "--fail-on-new",
        baselines.iter().map(|(n, b)| (*n, &b["fail_on_new_only"])),
    )?;
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for s in states {
        if let Some(s) = s.as_str() {
            *count.entry(s).or_default() += 1;
        }
    }
    let n = |s: &str| count.get(s).copied().unwrap_or(0);
    Ok(json!({
        "file": file,
        "new": n("new"),
        "unchanged": n("unchanged"),
        "updated": n("updated"),
        "fixed": fixed,
        "not_rechecked": not_rechecked,
        "fail_on_new_only": new_only,
    }))
}
