//! Helpers for running packs natively: unit-test helpers for one batch, and
//! the fixture cases `pillar rules test` runs the built component against.
//!
//! Fixture cases: run a pack natively against the same fixture cases `pillar rules test`
//! runs the built component against: `tests/<case>.snapshot.json` (a
//! snapshot, docs/resource-model.md) and `tests/<case>.expected.json`:
//!
//! ```json
//! {"findings": [{"rule_id": "ACME-S3-001", "resource_id": "arn:aws:s3:::logs", "verdict": "fail"}]}
//! ```
//!
//! A resource with no expected finding must pass. Native runs catch logic
//! errors in milliseconds; `pillar rules test` then proves the component.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::config::{self, Config};
use crate::{Findings, Resource, RulePack};

/// A resource of `kind` with `attributes` and `unknown` pointers.
pub fn resource(kind: &str, attributes: Value, unknown: &[&str]) -> Resource {
    Resource {
        id: format!("arn:aws:test:eu-west-1:111122223333:{kind}/r"),
        kind: kind.to_owned(),
        account: Some("111122223333".to_owned()),
        region: Some("eu-west-1".to_owned()),
        attributes: attributes.into(),
        unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Runs `P::evaluate` natively on one batch with `settings` (a JSON object
/// keyed by rule id, plus `"_scan"`), and returns what it reported.
pub fn run<P: RulePack>(kind: &str, batch: &[Resource], settings: Value) -> Findings {
    config::set_current(Config::from_json(settings).with_defaults(&P::info().rules));
    let mut f = Findings::default();
    if let Err(e) = P::evaluate(kind, batch, &mut f) {
        panic!("evaluate({kind}) failed: {e:?}");
    }
    f
}

/// The verdicts `rule` reported, as `(resource index, verdict)`.
pub fn verdicts_of(f: &Findings, rule: &str) -> Vec<(u32, &'static str)> {
    f.0.iter()
        .filter(|e| e.rule_id == rule)
        .map(|e| (e.resource, e.verdict))
        .collect()
}

/// One verdict on one resource: `(rule id, resource id, "fail" | "unknown")`.
pub type Verdict = (String, String, String);

#[derive(Deserialize)]
struct SnapshotResources {
    resources: Vec<Value>,
}

#[derive(Deserialize)]
struct ExpectedFile {
    findings: Vec<ExpectedFinding>,
}

#[derive(Deserialize)]
struct ExpectedFinding {
    rule_id: String,
    resource_id: String,
    verdict: String,
}

/// Evaluates every resource of a snapshot whose kind the pack declares, one
/// batch per kind as the host would, and returns the distinct verdicts.
pub fn evaluate_snapshot<P: RulePack>(snapshot_json: &str) -> Result<BTreeSet<Verdict>, String> {
    let snapshot: SnapshotResources =
        serde_json::from_str(snapshot_json).map_err(|e| format!("snapshot: {e}"))?;
    let kinds: BTreeSet<String> = P::info()
        .rules
        .into_iter()
        .flat_map(|r| r.resource_kinds)
        .collect();
    // As the host would configure it with no pillar.toml: every parameter
    // at its declared default.
    config::set_current(Config::declared(&P::info().rules));
    let mut verdicts = BTreeSet::new();
    for kind in &kinds {
        let of_kind: Vec<&Value> = snapshot
            .resources
            .iter()
            .filter(|r| r.get("kind").and_then(Value::as_str) == Some(kind.as_str()))
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        // Through the batch text and `parse_batch`, as in the Wasm build, so
        // native runs read attributes the same (lazy) way.
        let text = serde_json::to_string(&of_kind).map_err(|e| format!("batch: {e}"))?;
        let batch = crate::parse_batch(&text).map_err(|e| format!("batch: {e:?}"))?;
        let mut out = Findings::default();
        P::evaluate(kind, &batch, &mut out).map_err(|e| format!("evaluate({kind}): {e:?}"))?;
        for f in out.0 {
            let resource = batch
                .get(f.resource as usize)
                .ok_or_else(|| format!("finding on resource #{} of {}", f.resource, batch.len()))?;
            verdicts.insert((f.rule_id, resource.id.clone(), f.verdict.to_owned()));
        }
    }
    Ok(verdicts)
}

/// Reads an expected-findings file.
pub fn expected(json: &str) -> Result<BTreeSet<Verdict>, String> {
    let file: ExpectedFile = serde_json::from_str(json).map_err(|e| format!("expected: {e}"))?;
    Ok(file
        .findings
        .into_iter()
        .map(|f| (f.rule_id, f.resource_id, f.verdict))
        .collect())
}

/// Runs every `<case>.snapshot.json` in `dir` and compares with its
/// `<case>.expected.json`. Returns the number of cases, or every mismatch.
pub fn check_cases<P: RulePack>(dir: &Path) -> Result<usize, String> {
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".snapshot.json"))
        .collect();
    cases.sort();
    if cases.is_empty() {
        return Err(format!("no *.snapshot.json cases in {}", dir.display()));
    }
    let mut problems = Vec::new();
    for snapshot in &cases {
        let name = snapshot.to_string_lossy().replace(".snapshot.json", "");
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let expected_path = Path::new(&format!("{name}.expected.json")).to_owned();
        let outcome = read(snapshot)
            .and_then(|s| evaluate_snapshot::<P>(&s))
            .and_then(|got| Ok((got, read(&expected_path).and_then(|e| expected(&e))?)));
        match outcome {
            Err(e) => problems.push(format!("{name}: {e}")),
            Ok((got, want)) if got != want => {
                let mut diff = format!("{name}: findings differ");
                for v in want.difference(&got) {
                    diff.push_str(&format!("\n  - missing    {} {} {}", v.0, v.1, v.2));
                }
                for v in got.difference(&want) {
                    diff.push_str(&format!("\n  + unexpected {} {} {}", v.0, v.1, v.2));
                }
                problems.push(diff);
            }
            Ok(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(cases.len())
    } else {
        Err(problems.join("\n"))
    }
}
