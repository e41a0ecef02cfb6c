//! The `compliance` section of the JSON report (and of the HTML page's
//! data): per framework, its totals, per-section totals and every control
//! with its verdict and, by rule, the resources behind it.

use std::collections::{BTreeMap, BTreeSet};

use pillar_compliance::{Assessed, Evidence, Framework, RuleEvidence, assess};
use serde_json::{Value, json};

use crate::ScanReport;
use crate::merge::MergeError;
use crate::merge::same;

/// One entry per selected framework; empty when none was selected.
pub(crate) fn compliance_json(report: &ScanReport<'_>) -> Value {
    Value::Array(report.assessed().iter().map(assessed_json).collect())
}

pub(crate) fn assessed_json(a: &Assessed<'_>) -> Value {
    let f = a.framework;
    let (covered, of) = f.coverage();
    json!({
        "framework": f.framework,
        "coverage": {"covered": covered, "of": of},
        "totals": a.totals,
        "sections": a.sections,
        "controls": a.controls.iter().map(|c| json!({
            "id": c.control.id,
            "title": c.control.title,
            "section": c.control.section,
            "level": c.control.level,
            "assessment": c.control.assessment,
            "status": c.control.status,
            "verdict": c.verdict,
            "evaluated": c.evaluated,
            "failing": c.failing,
            "unknown": c.unknown,
            "rules": c.rules,
        })).collect::<Vec<_>>(),
    })
}

/// The `compliance` list of merged shards' JSON reports: every shard must
/// have assessed the same frameworks; each is assessed again from its
/// rules' evidence summed over the shards (resources checked added,
/// failing and unknown resources unioned, a rule incomplete in any shard
/// incomplete in the merge), so verdicts and totals are those of one scan
/// of everything.
pub(crate) fn merged_compliance(
    known: &[Framework],
    docs: &[(&str, &Value)],
) -> Result<Value, MergeError> {
    let ids = |d: &Value| -> Value {
        Value::Array(
            d["compliance"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| f["framework"]["id"].clone())
                .collect(),
        )
    };
    let ids: Vec<(&str, Value)> = docs.iter().map(|(n, d)| (*n, ids(d))).collect();
    let chosen = same(
        "the --compliance frameworks",
        ids.iter().map(|(n, v)| (*n, v)),
    )?;
    let mut out = Vec::new();
    for id in chosen.as_array().into_iter().flatten() {
        let id = id.as_str().unwrap_or_default();
        let Some(framework) = known.iter().find(|f| f.id() == id) else {
            return Err(MergeError::Unreadable {
                name: docs
                    .first()
                    .map(|(n, _)| (*n).to_owned())
                    .unwrap_or_default(),
                message: format!(
                    "assesses compliance framework {id:?}, which this pillar does not know"
                ),
            });
        };
        let mut evidence = Evidence::default();
        for (_, d) in docs {
            // A rule evidencing several controls appears under each with the
            // same evidence: one copy per shard.
            let mut rules: BTreeMap<&str, &Value> = BTreeMap::new();
            for r in d["compliance"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["framework"]["id"] == id)
                .flat_map(|f| f["controls"].as_array().into_iter().flatten())
                .flat_map(|c| c["rules"].as_array().into_iter().flatten())
            {
                if let Some(rule) = r["rule"].as_str() {
                    rules.entry(rule).or_insert(r);
                }
            }
            for (rule, r) in rules {
                add(evidence.rules.entry(rule.to_owned()).or_default(), r);
            }
        }
        for e in evidence.rules.values_mut() {
            let failing: BTreeSet<&String> = e.failing.iter().collect();
            e.unknown = e
                .unknown
                .iter()
                .filter(|u| !failing.contains(u))
                .cloned()
                .collect();
        }
        out.push(assessed_json(&assess(framework, &evidence)));
    }
    Ok(Value::Array(out))
}

/// Adds one shard's view of a rule (a `rules` entry of a control).
fn add(into: &mut RuleEvidence, shard: &Value) {
    let strings = |key: &str| -> Vec<String> {
        shard[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    into.evaluated += shard["evaluated"]
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    for (list, key) in [
        (&mut into.failing, "failing"),
        (&mut into.unknown, "unknown"),
    ] {
        for id in strings(key) {
            if !list.contains(&id) {
                list.push(id);
            }
        }
        list.sort();
    }
    if shard["checked"] != true && into.incomplete.is_none() {
        into.incomplete = Some(
            shard["reason"]
                .as_str()
                .unwrap_or("not checked in a shard")
                .to_owned(),
        );
    }
}
