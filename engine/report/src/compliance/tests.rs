//! The evidence a scan gives each rule: failures and unknowns by resource,
//! a stopped pack, a gap on a kind the rule reads or on no kind at all.

use pillar_compliance::{Evidence, Framework, RuleEvidence, Verdict};
use pillar_evaluate::{
    Evaluation, FailureKind, Finding, PackFailure, PackInfo, Pillar, RuleInfo, RuleStats, Severity,
    Stage,
};
use pillar_snapshot::Snapshot;

use crate::{ComplianceSelection, ScanReport};

fn snapshot(gaps: serde_json::Value) -> Snapshot {
    serde_json::from_value(serde_json::json!({
        "format_version": 1,
        "source": {"kind": "fixture", "accounts": ["1"], "regions": ["eu-west-1"],
                   "collected_at": "2026-12-01T00:00:00Z", "tool": "test"},
        "gaps": gaps,
        "resources": [
            {"id": "b1", "kind": "aws_s3_bucket", "attributes": {}},
            {"id": "b2", "kind": "aws_s3_bucket", "attributes": {}},
            {"id": "u1", "kind": "aws_iam_user", "attributes": {}}
        ]
    }))
    .unwrap_or_else(|e| panic!("snapshot: {e}"))
}

fn rule(id: &str, kind: &str) -> RuleInfo {
    RuleInfo {
        id: id.into(),
        title: id.into(),
        severity: Severity::High,
        pillar: Pillar::Security,
        best_practice: "SEC01-BP01".into(),
        resource_kinds: vec![kind.into()],
        help: String::new(),
        help_uri: String::new(),
        parameters: Vec::new(),
        compliance: Vec::new(),
    }
}

fn packs() -> Vec<PackInfo> {
    let pack = |name: &str, rules| PackInfo {
        name: name.into(),
        version: "1".into(),
        contract: "0.2.0".into(),
        sha256: "00".repeat(32),
        origin: "builtin:test".into(),
        rules,
        cache_hit: false,
    };
    vec![
        pack("s3", vec![rule("S3-1", "aws_s3_bucket")]),
        pack("iam", vec![rule("IAM-1", "aws_iam_user")]),
    ]
}

fn evaluation() -> Evaluation {
    let finding = |rule: &str, resource, verdict| Finding {
        rule_id: rule.into(),
        pack: "s3".into(),
        resource,
        verdict,
        severity: Severity::High,
        message: String::new(),
        evidence: None,
    };
    use pillar_evaluate::Verdict::{Fail, Unknown};
    Evaluation {
        findings: vec![
            finding("S3-1", 0, Fail),
            finding("S3-1", 0, Unknown),
            finding("S3-1", 1, Unknown),
        ],
        stats: [
            (
                "S3-1".to_owned(),
                RuleStats {
                    evaluated: 2,
                    failed: 1,
                    unknown: 1,
                },
            ),
            (
                "IAM-1".to_owned(),
                RuleStats {
                    evaluated: 1,
                    failed: 0,
                    unknown: 0,
                },
            ),
        ]
        .into(),
        ..Evaluation::default()
    }
}

/// The evidence of a scan with these gaps and pack failures.
fn evidence(gaps: serde_json::Value, failures: &[PackFailure]) -> Evidence {
    let (snap, packs, eval) = (snapshot(gaps), packs(), evaluation());
    let triage = pillar_triage::Triage::build(&pillar_triage::TriageInput {
        snapshot: &snap,
        evaluation: &eval,
        packs: &packs,
        suppressions: &[],
        mutes: &[],
        today: pillar_triage::Date::parse("2026-12-01").expect("date"),
        baseline: None,
        new_only: false,
    });
    ScanReport {
        input: "t.json",
        snapshot: &snap,
        packs: &packs,
        evaluation: &eval,
        failures,
        fail_on: None,
        triage: &triage,
        compliance: ComplianceSelection::default(),
    }
    .compliance_evidence()
}

#[test]
fn failures_and_unknowns_are_resources_by_rule() {
    let e = evidence(serde_json::json!([]), &[]);
    assert_eq!(
        e.rules["S3-1"],
        RuleEvidence::ran(2, vec!["b1".into()], vec!["b2".into()])
    );
    assert_eq!(e.rules["IAM-1"], RuleEvidence::ran(1, vec![], vec![]));
}

#[test]
fn a_gap_covers_the_rules_reading_its_kind_and_a_kindless_gap_all() {
    let gap = serde_json::json!([{"kind": "aws_s3_bucket", "operation": "s3:GetBucketPolicy",
                                  "region": "eu-west-1", "reason": "access-denied", "message": "no"}]);
    let e = evidence(gap, &[]);
    assert_eq!(
        e.rules["S3-1"].incomplete.as_deref(),
        Some("collection gap: s3:GetBucketPolicy not collected (access-denied in eu-west-1)")
    );
    // Its failure still counts.
    assert_eq!(e.rules["S3-1"].failing, ["b1"]);
    assert_eq!(e.rules["IAM-1"].incomplete, None);
    let e = evidence(
        serde_json::json!([{"reason": "error", "message": "regions not listed"}]),
        &[],
    );
    assert!(e.rules["IAM-1"].incomplete.is_some());
}

#[test]
fn a_stopped_pack_leaves_its_rules_incomplete() {
    let stopped = PackFailure {
        pack: "iam".into(),
        origin: "builtin:iam".into(),
        stage: Stage::Evaluate,
        kind: FailureKind::Trap,
        message: "rule pack bug".into(),
    };
    let e = evidence(serde_json::json!([]), &[stopped]);
    assert_eq!(
        e.rules["IAM-1"].incomplete.as_deref(),
        Some("pack iam stopped: rule pack bug")
    );
    assert_eq!(e.rules["S3-1"].incomplete, None);
    let framework = framework();
    let a = pillar_compliance::assess(&framework, &e);
    assert_eq!(a.controls[0].verdict, Verdict::NotChecked);
}

/// A framework of two controls: `1.1` on IAM-1, `1.2` on S3-1 and IAM-1.
fn framework() -> Framework {
    pillar_compliance::parse(
        "t.toml",
        r#"
[framework]
id = "t"
name = "T"
version = "1"
source = "s"
complete = true
description = "d"
[[section]]
id = "1"
title = "One"
[[control]]
id = "1.1"
title = "users"
section = "1"
status = "covered"
rules = ["IAM-1"]
description = "d"
[[control]]
id = "1.2"
title = "buckets and users"
section = "1"
status = "covered"
rules = ["S3-1", "IAM-1"]
description = "d"
"#,
    )
    .expect("framework")
}

#[test]
fn merged_shards_are_assessed_as_one_scan() {
    let framework = framework();
    let shard = |rules: Vec<(&str, RuleEvidence)>| -> serde_json::Value {
        let evidence = Evidence {
            rules: rules
                .into_iter()
                .map(|(id, e)| (id.to_owned(), e))
                .collect(),
        };
        serde_json::json!({
            "compliance": [super::json::assessed_json(&pillar_compliance::assess(&framework, &evidence))]
        })
    };
    let a = shard(vec![
        (
            "S3-1",
            RuleEvidence::ran(2, vec!["b1".into()], vec!["b2".into()]),
        ),
        ("IAM-1", RuleEvidence::ran(1, vec![], vec![])),
    ]);
    let b = shard(vec![
        ("S3-1", RuleEvidence::ran(1, vec!["b2".into()], vec![])),
        (
            "IAM-1",
            RuleEvidence {
                evaluated: 1,
                incomplete: Some("pack iam stopped: bug".into()),
                ..RuleEvidence::default()
            },
        ),
    ]);
    let merged =
        super::merged_compliance(std::slice::from_ref(&framework), &[("a", &a), ("b", &b)])
            .expect("merge");
    let controls = &merged[0]["controls"];
    // 1.1: IAM-1 ran everywhere but stopped in shard b.
    assert_eq!(controls[0]["verdict"], "not-checked");
    assert_eq!(controls[0]["evaluated"], 2);
    // 1.2: b2, unknown in a, failed in b: failing once, not unknown.
    assert_eq!(controls[1]["verdict"], "fail");
    assert_eq!(controls[1]["failing"], 2);
    assert_eq!(controls[1]["unknown"], 0);
    assert_eq!(controls[1]["evaluated"], 5);
    assert_eq!(merged[0]["totals"]["fail"], 1);
    assert_eq!(merged[0]["totals"]["not_checked"], 1);

    // Shards that assessed different frameworks do not merge.
    let none = serde_json::json!({"compliance": []});
    let err =
        super::merged_compliance(std::slice::from_ref(&framework), &[("a", &a), ("n", &none)])
            .expect_err("different selections");
    assert!(err.to_string().contains("--compliance"), "{err}");
}
