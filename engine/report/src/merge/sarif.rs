//! Merging SARIF logs: one run whose results are the inputs' results.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};

use super::{
    MergeError, joined_inputs, merge_sources, same, source_of, sum_stats, triage, union_by,
};

/// The fingerprint pillar writes on every result.
const FINGERPRINT: &str = "pillarFinding/v1";

/// Each input must hold one run (pillar writes one). Rules and extensions
/// are unioned by id (the same id must carry the same metadata), results
/// concatenated in canonical order with `ruleIndex` renumbered against the
/// merged rule list, notifications unioned into one invocation, and
/// `automationDetails` kept (it must be the same in every input: GitHub
/// code scanning files alerts by it).
pub(crate) fn merge(docs: &[(&str, &Value)]) -> Result<Value, MergeError> {
    let mut runs = Vec::with_capacity(docs.len());
    for (name, doc) in docs {
        match doc["runs"].as_array().map(Vec::as_slice) {
            Some([run]) => runs.push((*name, run)),
            other => {
                return Err(MergeError::Unreadable {
                    name: (*name).to_owned(),
                    message: format!(
                        "has {} runs; pillar writes, and merges, SARIF logs of one run",
                        other.map_or(0, <[Value]>::len)
                    ),
                });
            }
        }
    }
    let schema = same(
        "the SARIF $schema",
        docs.iter().map(|(n, d)| (*n, &d["$schema"])),
    )?;
    let automation = same(
        "automationDetails",
        runs.iter().map(|(n, r)| (*n, &r["automationDetails"])),
    )?;
    let drivers: Vec<(&str, Value)> = runs
        .iter()
        .map(|(n, r)| (*n, without(&r["tool"]["driver"], "rules")))
        .collect();
    let mut driver = same(
        "the tool (tool.driver without its rules)",
        drivers.iter().map(|(n, v)| (*n, v)),
    )?;

    let items = |pointer: &'static str| {
        runs.iter().flat_map(move |(n, r)| {
            r.pointer(pointer)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |v| (*n, v.clone()))
        })
    };
    let rules = union_by("rule", items("/tool/driver/rules"), |r| str_of(&r["id"]))?;
    let extensions = union_by("tool extension", items("/tool/extensions"), |e| {
        str_of(&e["name"])
    })?;
    let index: BTreeMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (str_of(&r["id"]), i))
        .collect();
    let results = items("/results").map(|(n, r)| (n, without(&r, "ruleIndex")));
    let mut results = union_by("result", results, result_key)?;
    for r in &mut results {
        if let Some(obj) = r.as_object_mut() {
            match index.get(&str_of(&obj["ruleId"])) {
                Some(&i) => obj.insert("ruleIndex".into(), json!(i)),
                None => obj.remove("ruleIndex"),
            };
        }
    }
    // Mute notifications are rebuilt from the combined mutes (the runs'
    // `pillar/mutes`): each shard counted only its own findings, so a mute
    // unused in one shard may be used in another.
    let is_mute = |n: &Value| {
        n["descriptor"]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("pillar/mute-"))
    };
    let other_notes =
        items("/invocations/0/toolExecutionNotifications").filter(|(_, n)| !is_mute(n));
    let mut notifications = union_by("notification", other_notes, |n| n.to_string())?;
    let mutes = triage::mutes(items("/properties/pillar~1mutes").map(|(n, v)| (n.to_owned(), v)))?;
    notifications.extend(
        crate::sarif::mute_notifications_of(&mutes)
            .into_iter()
            .filter_map(|n| serde_json::to_value(n).ok()),
    );
    let successful = runs
        .iter()
        .all(|(_, r)| r["invocations"][0]["executionSuccessful"] != false);

    let sources = runs
        .iter()
        .map(|(n, r)| Ok((*n, source_of(n, &r["properties"]["source"])?)))
        .collect::<Result<Vec<_>, MergeError>>()?;
    let source = merge_sources(&sources)?;
    let resources: u64 = runs
        .iter()
        .map(|(_, r)| r["properties"]["resources"].as_u64().unwrap_or(0))
        .sum();
    let mut properties = json!({
        "input": joined_inputs(runs.iter().map(|(_, r)| &r["properties"]["input"])),
        "source": source,
        "resources": resources,
        "ruleStats": sum_stats(runs.iter().map(|(_, r)| &r["properties"]["ruleStats"])),
    });
    let baseline = merged_baseline(&runs, &results)?;
    if !baseline.is_null() {
        properties["pillar/baseline"] = baseline;
    }
    if !mutes.is_empty() {
        properties["pillar/mutes"] = json!(mutes);
    }

    if let Some(obj) = driver.as_object_mut() {
        obj.insert("rules".into(), Value::Array(rules));
    }
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({"driver": driver, "extensions": extensions}),
    );
    if !automation.is_null() {
        run.insert("automationDetails".into(), automation);
    }
    run.insert("results".into(), Value::Array(results));
    run.insert(
        "invocations".into(),
        json!([{
            "executionSuccessful": successful,
            "toolExecutionNotifications": notifications,
        }]),
    );
    run.insert("properties".into(), properties);
    Ok(json!({
        "$schema": schema,
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    }))
}

/// The runs' `pillar/baseline` properties as one, reconciled against the
/// merged results (see `triage::gone`).
fn merged_baseline(runs: &[(&str, &Value)], results: &[Value]) -> Result<Value, MergeError> {
    let baselines: Vec<(&str, &Value)> = runs
        .iter()
        .map(|(n, r)| (*n, &r["properties"]["pillar/baseline"]))
        .collect();
    let present: HashSet<String> = results
        .iter()
        .map(|r| str_of(&r["partialFingerprints"][FINGERPRINT]))
        .collect();
    let list = |key: &'static str| {
        baselines
            .iter()
            .flat_map(move |(_, b)| b[key].as_array().cloned().unwrap_or_default())
    };
    let present_coarse: HashSet<String> = results
        .iter()
        .map(|r| triage::coarse(&r["ruleId"], &r["properties"]["resource"]))
        .collect();
    let (fixed, not_rechecked) = triage::gone(
        &present,
        &present_coarse,
        list("fixed_findings"),
        list("not_rechecked_findings"),
    );
    let mut counts = triage::counts(
        &baselines,
        results.iter().map(|r| &r["baselineState"]),
        fixed.len(),
        not_rechecked.len(),
    )?;
    if !counts.is_null() {
        counts["fixed_findings"] = Value::Array(fixed);
        counts["not_rechecked_findings"] = Value::Array(not_rechecked);
    }
    Ok(counts)
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn without(v: &Value, key: &str) -> Value {
    let mut v = v.clone();
    if let Some(obj) = v.as_object_mut() {
        obj.remove(key);
    }
    v
}

/// Account, rule id, resource id, fingerprint: the canonical order, and
/// (the fingerprint being unique per finding) the identity of a result.
/// `ruleIndex` is left out of the comparison of two results with one key,
/// since each input numbers its own rules; it is renumbered afterwards.
fn result_key(r: &Value) -> String {
    let p = &r["properties"];
    [
        str_of(&p["account"]),
        str_of(&r["ruleId"]),
        str_of(&p["resource"]),
        str_of(&r["partialFingerprints"][FINGERPRINT]),
    ]
    .join("\0")
}
