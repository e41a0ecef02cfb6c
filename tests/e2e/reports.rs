//! The demo scan in every format; SARIF against the official schema.

use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{pillar, repo_root};

fn sarif_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = repo_root().join("../shared/schemas/sarif-schema-2.1.0.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut schema: Value = serde_json::from_str(&text).expect("schema JSON");
        // The official schema's `language` patterns have a stray `]`
        // (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which a strict
        // validator refuses to compile. Replace it with the intended pattern;
        // pillar never emits `run.language`, so nothing we check is loosened.
        fix_language_pattern(&mut schema);
        jsonschema::validator_for(&schema).expect("valid schema")
    })
}

const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn fix_language_pattern(v: &mut Value) {
    match v {
        Value::String(s) if s == BROKEN_LANGUAGE_PATTERN => {
            *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_owned()
        }
        Value::Array(items) => items.iter_mut().for_each(fix_language_pattern),
        Value::Object(map) => map.values_mut().for_each(fix_language_pattern),
        _ => {}
    }
}

pub fn assert_valid_sarif(doc: &Value) {
    let errors: Vec<String> = sarif_validator()
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_demo_scan_prints_findings_and_gaps() {
    let run = pillar(&["scan"]);
    assert_eq!(run.code, 1, "the demo has findings: {}", run.stderr);
    for s in [
        "fixtures/demo/webshop.json",
        "PILLAR-EC2-001",
        "PILLAR-RDS-002",
        "NOT CHECKED",
        "Summary:",
        "By pillar:",
    ] {
        assert!(
            run.stdout.contains(s),
            "text report should mention {s:?}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn demo_sarif_is_valid_and_complete() {
    let run = pillar(&["scan", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&doc);
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];

    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), crate::rules::builtin_rule_ids().len());
    for r in rules {
        let score: f64 = r["properties"]["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("score");
        assert!((0.0..=10.0).contains(&score));
        assert!(
            r["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
        assert!(
            r["properties"]["best-practice"]
                .as_str()
                .is_some_and(|b| b.len() > 4)
        );
    }

    let results = run0["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let mut prints = std::collections::HashSet::new();
    for res in results {
        let rule_id = res["ruleId"].as_str().expect("ruleId");
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id, "ruleIndex points at the rule");
        let loc = &res["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "fixtures/demo/webshop.json"
        );
        assert!(
            loc["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .is_some_and(|l| l > 1)
        );
        assert!(
            loc["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .is_some_and(|n| n.starts_with("arn:aws:"))
        );
        let print = res["partialFingerprints"]["pillarFinding/v1"]
            .as_str()
            .expect("fingerprint")
            .to_owned();
        assert!(prints.insert(print), "fingerprints are unique per finding");
        match res["kind"].as_str() {
            Some("fail") => {
                assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap_or("")))
            }
            Some("open") => assert_eq!(res["level"], "none"),
            other => panic!("unexpected kind {other:?}"),
        }
    }

    // Each pack's provenance, with the real hash of the embedded component.
    let extensions = run0["tool"]["extensions"].as_array().expect("extensions");
    assert_eq!(extensions.len(), pillar_builtin_packs::BUILTIN.len());
    for (ext, pack) in extensions.iter().zip(pillar_builtin_packs::BUILTIN) {
        assert_eq!(
            ext["properties"]["sha256"],
            hex::encode(Sha256::digest(pack.bytes))
        );
        assert_eq!(ext["properties"]["contract"], "pillar:rules@0.2.0");
    }

    // The demo's collection gaps are tool execution notifications.
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(notes.iter().any(|n| {
        n["descriptor"]["id"] == "pillar/collection-gap"
            && n["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("s3:GetBucketPolicy"))
    }));
}

#[test]
fn fingerprints_are_stable_across_runs() {
    let a: Value = serde_json::from_str(&pillar(&["scan", "--format", "sarif"]).stdout).expect("a");
    let b: Value =
        serde_json::from_str(&pillar(&["scan", "--format", "sarif", "--threads", "1"]).stdout)
            .expect("b");
    let prints = |d: &Value| -> Vec<Value> {
        d["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(prints(&a), prints(&b));
}

#[test]
fn json_report_counts_add_up_and_exit_codes_follow_the_threshold() {
    let run = pillar(&["scan", "--format", "json"]);
    let doc = run.json();
    let findings = doc["findings"].as_array().expect("findings");
    let failed = findings.iter().filter(|f| f["verdict"] == "fail").count();
    assert_eq!(doc["summary"]["failed"].as_u64(), Some(failed as u64));
    let by_sev: u64 = doc["summary"]["by_severity"]
        .as_object()
        .expect("by severity")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_sev, failed as u64);
    assert_eq!(
        doc["summary"]["complete"], false,
        "the demo has collection gaps"
    );
    assert_eq!(doc["gaps"].as_array().map(Vec::len), Some(2));

    // Without a threshold the demo's gaps make it exit 3.
    assert_eq!(pillar(&["scan", "--fail-on", "never"]).code, 3);
    // The demo's critical findings (a secret in user data, a public EBS
    // snapshot, root access keys, a public bucket policy) trip every threshold.
    let critical: Vec<&str> = findings
        .iter()
        .filter(|f| f["verdict"] == "fail" && f["severity"] == "critical")
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    for rule in [
        "PILLAR-EC2-007",
        "PILLAR-EC2-011",
        "PILLAR-IAM-003",
        "PILLAR-S3-005",
    ] {
        assert!(
            critical.contains(&rule),
            "{rule} not critical in {critical:?}"
        );
    }
    assert_eq!(pillar(&["scan", "--fail-on", "critical"]).code, 1);
    assert_eq!(pillar(&["scan", "--fail-on", "high"]).code, 1);
}

#[test]
fn output_goes_to_a_file_with_a_summary_on_stderr() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("demo.sarif");
    let run = pillar(&[
        "scan",
        "--format",
        "sarif",
        "--output",
        &out.display().to_string(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("failing"), "{}", run.stderr);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    assert_valid_sarif(&doc);
}
