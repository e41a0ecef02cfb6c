//! Merging pillar JSON reports (the shape `crate::json` writes).

use std::collections::{BTreeMap, HashSet};

use pillar_evaluate::Severity;
use serde_json::{Map, Value, json};

use super::{
    MergeError, joined_inputs, merge_sources, same, source_of, sum_stats, triage, union_by,
};

pub(crate) use crate::json::REPORT_VERSION;

/// Findings, gaps, packs and failures unioned; the summary recomputed from
/// the merged findings exactly as `to_json` computes it.
pub(crate) fn merge(docs: &[(&str, &Value)]) -> Result<Value, MergeError> {
    let field = |key: &'static str| docs.iter().map(move |(n, d)| (*n, &d[key]));
    let tool = same("the tool", field("tool"))?;
    let fail_on = same(
        "the --fail-on threshold",
        docs.iter().map(|(n, d)| (*n, &d["summary"]["fail_on"])),
    )?;
    let sources = docs
        .iter()
        .map(|(n, d)| Ok((*n, source_of(n, &d["source"])?)))
        .collect::<Result<Vec<_>, MergeError>>()?;
    let source = merge_sources(&sources)?;

    let items = |key: &'static str| {
        docs.iter().flat_map(move |(n, d)| {
            d[key]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |v| (*n, v.clone()))
        })
    };
    let findings = union_by("finding", items("findings"), finding_key)?;
    let gaps = union_by("gap", items("gaps"), |g| g.to_string())?;
    let gaps = sort_gaps(gaps);
    let packs = union_by("pack", items("packs"), |p| {
        p["name"].as_str().unwrap_or_default().to_owned()
    })?;
    let failures = union_by("pack failure", items("failures"), |f| f.to_string())?;
    // Pack log lines in a stable order too (by pack, level, message).
    let mut logs: Vec<Value> = items("logs").map(|(_, v)| v).collect();
    logs.sort_by_key(|l| ["pack", "level", "message"].map(|k| l[k].to_string()));
    let logs_dropped: u64 = docs
        .iter()
        .map(|(_, d)| d["logs_dropped"].as_u64().unwrap_or(0))
        .sum();
    let resources: u64 = docs
        .iter()
        .map(|(_, d)| d["resources"].as_u64().unwrap_or(0))
        .sum();

    let present: HashSet<String> = findings
        .iter()
        .filter_map(|f| f["fingerprint"].as_str().map(str::to_owned))
        .collect();
    let present_coarse: HashSet<String> = findings
        .iter()
        .map(|f| triage::coarse(&f["rule_id"], &f["resource"]["id"]))
        .collect();
    let (fixed, not_rechecked) = triage::gone(
        &present,
        &present_coarse,
        items("fixed").map(|(_, v)| v),
        items("not_rechecked").map(|(_, v)| v),
    );
    let baselines: Vec<(&str, &Value)> = docs
        .iter()
        .map(|(n, d)| (*n, &d["summary"]["baseline"]))
        .collect();
    let baseline = triage::counts(
        &baselines,
        findings.iter().map(|f| &f["baseline"]),
        fixed.len(),
        not_rechecked.len(),
    )?;
    let new_only = baseline["fail_on_new_only"] == true;
    let mutes = triage::mutes(items("mutes").map(|(n, v)| (n.to_owned(), v)))?;

    let verdict = |f: &Value, v: &str| f["verdict"] == v;
    let fails = || findings.iter().filter(|f| verdict(f, "fail"));
    let suppressed = |f: &Value| !f["suppressed"].is_null();
    let by_severity: BTreeMap<&str, usize> = Severity::ALL
        .iter()
        .map(|s| {
            let n = fails().filter(|f| f["severity"] == s.as_str()).count();
            (s.as_str(), n)
        })
        .collect();
    let failing_at_threshold = fail_on.as_str().and_then(Severity::parse).map(|t| {
        fails()
            .filter(|f| !suppressed(f))
            .filter(|f| !new_only || f["baseline"] == "new" || f["baseline"] == "updated")
            .filter(|f| {
                f["severity"]
                    .as_str()
                    .and_then(Severity::parse)
                    .is_some_and(|s| s >= t)
            })
            .count()
    });
    let summary = json!({
        "failed": fails().count(),
        "suppressed": fails().filter(|f| suppressed(f)).count(),
        "muted": findings.iter().filter(|f| f["suppressed"]["kind"] == "mute").count(),
        "unknown": findings.iter().filter(|f| verdict(f, "unknown")).count(),
        "by_severity": by_severity,
        "fail_on": fail_on,
        "failing_at_threshold": failing_at_threshold,
        "complete": gaps.is_empty() && failures.is_empty(),
        "rules": sum_stats(docs.iter().map(|(_, d)| &d["summary"]["rules"])),
        "baseline": baseline,
    });

    let mut doc = Map::new();
    doc.insert("report_version".into(), json!(REPORT_VERSION));
    doc.insert("tool".into(), tool);
    doc.insert(
        "input".into(),
        joined_inputs(docs.iter().map(|(_, d)| &d["input"])),
    );
    doc.insert("source".into(), json!(source));
    doc.insert("resources".into(), json!(resources));
    doc.insert("gaps".into(), Value::Array(gaps));
    doc.insert("packs".into(), Value::Array(packs));
    doc.insert("failures".into(), Value::Array(failures));
    doc.insert("summary".into(), summary);
    doc.insert("findings".into(), Value::Array(findings));
    doc.insert("fixed".into(), Value::Array(fixed));
    doc.insert("not_rechecked".into(), Value::Array(not_rechecked));
    doc.insert("mutes".into(), json!(mutes));
    doc.insert("logs".into(), Value::Array(logs));
    doc.insert("logs_dropped".into(), json!(logs_dropped));
    // The frameworks compiled in; were they not to load, a shard's
    // framework is reported unknown rather than dropped.
    let known = pillar_compliance::builtin().unwrap_or(&[]);
    doc.insert(
        "compliance".into(),
        crate::compliance::merged_compliance(known, docs)?,
    );
    Ok(Value::Object(doc))
}

/// The canonical order of findings: account, rule id, resource id,
/// fingerprint (NUL-separated, so no field can run into the next).
pub(crate) fn finding_key(f: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    [
        s(&f["resource"]["account"]),
        s(&f["rule_id"]),
        s(&f["resource"]["id"]),
        s(&f["fingerprint"]),
    ]
    .join("\0")
}

/// Gaps in the collector's order: account, region, operation, resource,
/// message.
pub(crate) fn sort_gaps(mut gaps: Vec<Value>) -> Vec<Value> {
    let key = |g: &Value| {
        ["account", "region", "operation", "resource", "message"]
            .map(|k| g[k].as_str().unwrap_or_default().to_owned())
    };
    gaps.sort_by_key(key);
    gaps
}
