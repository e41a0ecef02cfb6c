//! The merge of shards equals the scan of the whole, whatever the order of
//! the inputs; disagreements and mixed inputs are errors naming the files.
//! Inputs are written by this crate's own writers, so they have the shapes
//! real scans have.

use pillar_evaluate::{
    Evaluation, Finding, PackInfo, Pillar, RuleInfo, RuleStats, Severity, Verdict,
};
use pillar_snapshot::{Gap, Resource, Snapshot, Source, SourceKind};
use serde_json::{Value, json};

use super::*;
use crate::ScanReport;
use pillar_triage::{Baseline, Date, Mute, Pattern, Triage, TriageInput};

const ACCOUNTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];

fn rule(id: &str, severity: Severity) -> RuleInfo {
    RuleInfo {
        id: id.into(),
        title: format!("{id} title"),
        severity,
        pillar: Pillar::Security,
        best_practice: "SEC05-BP01".into(),
        resource_kinds: vec!["aws_vpc".into()],
        help: format!("{id} help"),
        help_uri: format!("https://example.invalid/{id}"),
        parameters: Vec::new(),
        compliance: Vec::new(),
    }
}

fn packs() -> Vec<PackInfo> {
    vec![PackInfo {
        name: "pillar-test".into(),
        version: "0.1.0".into(),
        contract: "0.1.0".into(),
        sha256: "ab".repeat(32),
        origin: "builtin:test.wasm".into(),
        rules: vec![rule("R-1", Severity::High), rule("R-2", Severity::Low)],
        cache_hit: false,
    }]
}

/// A snapshot of `accounts`, two VPCs each; the first fails R-1, the
/// second is unknown to R-2; account 2 has a gap.
fn snapshot(accounts: &[&str]) -> Snapshot {
    let mut resources = Vec::new();
    let mut gaps = Vec::new();
    for a in accounts {
        for n in 1..=2 {
            resources.push(Resource {
                id: format!("arn:aws:ec2:eu-west-1:{a}:vpc/vpc-{n}"),
                kind: "aws_vpc".into(),
                account: Some((*a).to_owned()),
                region: Some("eu-west-1".into()),
                attributes: serde_json::Map::new(),
                unknown: Vec::new(),
                location: None,
            });
        }
        if *a == ACCOUNTS[1] {
            gaps.push(Gap {
                kind: Some("aws_s3_bucket".into()),
                operation: Some("s3:ListBuckets".into()),
                account: Some((*a).to_owned()),
                region: None,
                resource: None,
                reason: "access-denied".into(),
                message: "AccessDenied".into(),
            });
        }
    }
    Snapshot {
        format_version: pillar_snapshot::FORMAT_VERSION,
        source: Source {
            kind: SourceKind::AwsAccount,
            accounts: accounts.iter().map(|a| (*a).to_owned()).collect(),
            regions: vec!["eu-west-1".into()],
            collected_at: "2026-11-22T00:00:00Z".into(),
            tool: "pillar 0.1.0".into(),
            description: None,
        },
        gaps,
        resources,
    }
}

fn evaluation(snapshot: &Snapshot) -> Evaluation {
    let mut e = Evaluation::default();
    for (i, r) in snapshot.resources.iter().enumerate() {
        let (rule_id, verdict, severity) = if r.id.ends_with("vpc-1") {
            ("R-1", Verdict::Fail, Severity::High)
        } else {
            ("R-2", Verdict::Unknown, Severity::Low)
        };
        e.findings.push(Finding {
            rule_id: rule_id.into(),
            pack: "pillar-test".into(),
            resource: i,
            verdict,
            severity,
            message: format!("{rule_id} on {}", r.id),
            evidence: Some("/cidr_block".into()),
        });
    }
    let n = snapshot.resources.len();
    e.stats.insert(
        "R-1".into(),
        RuleStats {
            evaluated: n,
            failed: n / 2,
            unknown: 0,
        },
    );
    e.stats.insert(
        "R-2".into(),
        RuleStats {
            evaluated: n,
            failed: 0,
            unknown: n / 2,
        },
    );
    e
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Sarif,
}

/// A scan of `accounts`, rendered as a real report would be.
fn scan(accounts: &[&str], format: Format, input: &str) -> String {
    scan_triaged(accounts, format, input, &[], None)
}

/// The same, with mutes and a baseline.
fn scan_triaged(
    accounts: &[&str],
    format: Format,
    input: &str,
    mutes: &[Mute],
    baseline: Option<&Baseline>,
) -> String {
    let snap = snapshot(accounts);
    let eval = evaluation(&snap);
    let packs = packs();
    let triage = Triage::build(&TriageInput {
        snapshot: &snap,
        evaluation: &eval,
        packs: &packs,
        suppressions: &[],
        mutes,
        today: Date::parse("2026-11-23").expect("date"),
        baseline,
        new_only: true,
    });
    let report = ScanReport {
        input,
        snapshot: &snap,
        packs: &packs,
        evaluation: &eval,
        failures: &[],
        fail_on: Some(Severity::Medium),
        triage: &triage,
        compliance: Default::default(),
    };
    match format {
        Format::Json => crate::to_json(&report),
        Format::Sarif => crate::to_sarif(&report),
    }
}

/// Last week's findings: one of today's is missing (so it is new), and a
/// VPC of account 3 that no longer exists failed R-1 (so it is fixed, which
/// only the shard holding account 3 can tell).
fn last_week() -> Baseline {
    let snap = snapshot(&ACCOUNTS);
    let mut b = Baseline::from_findings("week1.json", &snap, &evaluation(&snap).findings);
    b.entries.remove(0);
    let mut gone = b.entries[0].clone();
    gone.fingerprint = "gone-vpc-9".into();
    gone.rule_id = "R-1".into();
    gone.resource = Some(format!("arn:aws:ec2:eu-west-1:{}:vpc/vpc-9", ACCOUNTS[2]));
    gone.account = Some(ACCOUNTS[2].into());
    b.entries.push(gone);
    b
}

/// A mute for each of accounts 1 and 3 (each unused in the other's
/// shard), and an expired one.
fn mutes() -> Vec<Mute> {
    let mute = |rule: &str, resource: String, expires: &str| Mute {
        rule: Pattern(rule.into()),
        resource: Some(Pattern(resource)),
        tag: None,
        account: None,
        region: None,
        reason: "accepted".into(),
        owner: "alice".into(),
        expires: Date::parse(expires).expect("date"),
        origin: "pillar.toml".into(),
    };
    vec![
        mute("R-1", format!("*:{}:*", ACCOUNTS[0]), "2099-01-01"),
        mute("R-1", format!("*:{}:*", ACCOUNTS[2]), "2099-01-01"),
        mute("R-2", "*".into(), "2020-01-01"),
    ]
}

fn read(name: &str, text: &str) -> Input {
    Input::read(name, text).unwrap_or_else(|e| panic!("{e}"))
}

fn merged(inputs: &[Input]) -> Value {
    match merge(inputs).unwrap_or_else(|e| panic!("{e}")) {
        Merged::Sarif(v) | Merged::Json(v) => v,
        Merged::Snapshot(s) => serde_json::to_value(s).expect("json"),
    }
}

/// The document without what names the inputs.
fn anonymous(mut v: Value) -> Value {
    for p in ["/input", "/runs/0/properties/input"] {
        if let Some(x) = v.pointer_mut(p) {
            *x = Value::Null;
        }
    }
    v
}

#[test]
fn json_shards_merge_to_the_whole_scan_in_any_order() {
    let whole = read("all.json", &scan(&ACCOUNTS, Format::Json, "aws:all"));
    let a = read("a.json", &scan(&ACCOUNTS[..1], Format::Json, "aws:a"));
    let b = read("b.json", &scan(&ACCOUNTS[1..], Format::Json, "aws:b"));
    assert_eq!(a.kind(), Kind::Json);
    let ab = merged(&[a.clone(), b.clone()]);
    let ba = merged(&[b, a]);
    assert_eq!(ab, ba, "input order does not matter");
    assert_eq!(anonymous(ab.clone()), anonymous(merged(&[whole])));
    assert_eq!(ab["input"], "aws:a, aws:b");
    let summary = &ab["summary"];
    assert_eq!(summary["failed"], 3);
    assert_eq!(summary["unknown"], 3);
    assert_eq!(summary["by_severity"]["high"], 3);
    assert_eq!(summary["failing_at_threshold"], 3);
    assert_eq!(summary["complete"], false, "account 2's gap");
    assert_eq!(summary["rules"]["R-1"]["evaluated"], 6);
    assert_eq!(summary["rules"]["R-1"]["passed"], 3);
    assert_eq!(ab["resources"], 6);
    assert_eq!(ab["source"]["accounts"], json!(ACCOUNTS));
    assert_eq!(ab["gaps"].as_array().map(Vec::len), Some(1));
    let accounts: Vec<&str> = ab["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["resource"]["account"].as_str())
        .collect();
    let mut sorted = accounts.clone();
    sorted.sort();
    assert_eq!(accounts, sorted, "canonical order");
}

#[test]
fn sarif_shards_merge_to_one_run_with_rules_renumbered() {
    let whole = read("all.sarif", &scan(&ACCOUNTS, Format::Sarif, "aws:all"));
    let a = read("a.sarif", &scan(&ACCOUNTS[..2], Format::Sarif, "aws:a"));
    let b = read("b.sarif", &scan(&ACCOUNTS[2..], Format::Sarif, "aws:b"));
    assert_eq!(a.kind(), Kind::Sarif);
    let ab = merged(&[a.clone(), b.clone()]);
    assert_eq!(ab, merged(&[b, a]));
    assert_eq!(anonymous(ab.clone()), anonymous(merged(&[whole])));
    let run = &ab["runs"][0];
    assert_eq!(ab["runs"].as_array().map(Vec::len), Some(1));
    assert_eq!(run["results"].as_array().map(Vec::len), Some(6));
    assert_eq!(run["automationDetails"]["id"], "pillar/aws-account/");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 2, "unioned by id");
    for r in run["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    assert_eq!(run["tool"]["extensions"].as_array().map(Vec::len), Some(1));
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1, "account 2's gap");
    assert_eq!(run["properties"]["ruleStats"]["R-2"]["unknown"], 3);
    assert_eq!(run["properties"]["resources"], 6);
}

#[test]
fn snapshots_merge_and_the_same_resource_twice_must_be_identical() {
    let text = |accounts: &[&str]| serde_json::to_string(&snapshot(accounts)).expect("json");
    let a = read("111.json", &text(&ACCOUNTS[..1]));
    let b = read("222.json", &text(&ACCOUNTS[1..]));
    let overlap = read("again.json", &text(&ACCOUNTS[..2]));
    assert_eq!(a.kind(), Kind::Snapshot);
    let all = merged(&[b.clone(), a.clone(), overlap]);
    assert_eq!(
        all,
        serde_json::to_value(snapshot(&ACCOUNTS)).expect("json")
    );

    let mut changed = snapshot(&ACCOUNTS[..1]);
    changed.resources[0]
        .attributes
        .insert("cidr_block".into(), json!("10.0.0.0/16"));
    let changed = read(
        "changed.json",
        &serde_json::to_string(&changed).expect("json"),
    );
    let err = merge(&[a, b, changed]).expect_err("conflict").to_string();
    assert!(
        err.contains("resource arn:aws:ec2:eu-west-1:111111111111:vpc/vpc-1")
            && err.contains("111.json")
            && err.contains("changed.json"),
        "{err}"
    );
}

#[test]
fn a_rule_with_different_metadata_is_a_conflict_naming_both_files() {
    let a = scan(&ACCOUNTS[..1], Format::Sarif, "a");
    let b = scan(&ACCOUNTS[1..], Format::Sarif, "b").replace("R-1 help", "R-1 other help");
    let err = merge(&[read("a.sarif", &a), read("b.sarif", &b)])
        .expect_err("conflict")
        .to_string();
    assert!(
        err.contains("rule R-1") && err.contains("a.sarif") && err.contains("b.sarif"),
        "{err}"
    );
}

#[test]
fn mixed_kinds_and_foreign_files_are_errors() {
    let json = read("r.json", &scan(&ACCOUNTS, Format::Json, "x"));
    let sarif = read("r.sarif", &scan(&ACCOUNTS, Format::Sarif, "x"));
    let err = merge(&[json, sarif]).expect_err("mixed").to_string();
    assert!(
        err.contains("r.sarif is a SARIF log") && err.contains("r.json is a pillar JSON report"),
        "{err}"
    );
    assert!(matches!(merge(&[]), Err(MergeError::NoInput)));
    for (text, expected) in [
        ("{", "not JSON"),
        ("[1]", "neither a SARIF log"),
        ("{\"version\": \"2.0.0\", \"runs\": []}", "not 2.1.0"),
        ("{\"format_version\": 9, \"resources\": []}", "version 9"),
    ] {
        let err = Input::read("f.json", text).expect_err(text).to_string();
        assert!(err.starts_with("f.json") || err.contains("f.json"), "{err}");
        assert!(err.contains(expected), "{text}: {err}");
    }
    let two_runs = json!({"version": "2.1.0", "runs": [{}, {}]}).to_string();
    let err = merge(&[read("two.sarif", &two_runs)])
        .expect_err("two runs")
        .to_string();
    assert!(err.contains("has 2 runs"), "{err}");
}

#[test]
fn different_thresholds_or_tools_do_not_merge() {
    let a = scan(&ACCOUNTS[..1], Format::Json, "a");
    let b = scan(&ACCOUNTS[1..], Format::Json, "b")
        .replace("\"fail_on\": \"medium\"", "\"fail_on\": \"high\"");
    let err = merge(&[read("a.json", &a), read("b.json", &b)])
        .expect_err("conflict")
        .to_string();
    assert!(err.contains("--fail-on"), "{err}");
    let c = scan(&ACCOUNTS[1..], Format::Json, "c").replace("pillar 0.1.0", "pillar 9.9.9");
    let err = merge(&[read("a.json", &a), read("c.json", &c)])
        .expect_err("conflict")
        .to_string();
    assert!(err.contains("the tool") && err.contains("c.json"), "{err}");
}

#[test]
fn shards_with_mutes_and_a_baseline_merge_to_the_whole_scan() {
    let (mutes, baseline) = (mutes(), last_week());
    for (format, ext) in [(Format::Json, "json"), (Format::Sarif, "sarif")] {
        let run = |accounts: &[&str], name: &str| {
            let text = scan_triaged(accounts, format, name, &mutes, Some(&baseline));
            read(&format!("{name}.{ext}"), &text)
        };
        let whole = merged(&[run(&ACCOUNTS, "all")]);
        let shards = merged(&[run(&ACCOUNTS[..2], "a"), run(&ACCOUNTS[2..], "b")]);
        assert_eq!(anonymous(shards.clone()), anonymous(whole), "{ext}");

        let (counts, mutes) = match format {
            Format::Json => (
                shards["summary"]["baseline"].clone(),
                shards["mutes"].clone(),
            ),
            Format::Sarif => {
                let run = &shards["runs"][0];
                let notes = run["invocations"][0]["toolExecutionNotifications"].clone();
                let mutes: Vec<Value> = notes
                    .as_array()
                    .expect("notes")
                    .iter()
                    .filter(|n| {
                        n["descriptor"]["id"]
                            .as_str()
                            .is_some_and(|d| d.starts_with("pillar/mute-"))
                    })
                    .map(|n| n["properties"].clone())
                    .collect();
                (run["properties"]["pillar/baseline"].clone(), json!(mutes))
            }
        };
        assert_eq!(
            (counts["new"].as_u64(), counts["fixed"].as_u64()),
            (Some(1), Some(1)),
            "{ext}: {counts}"
        );
        assert_eq!(
            counts["not_rechecked"], 0,
            "{ext}: account 3's shard saw vpc-9 gone"
        );
        let matched: Vec<(String, u64)> = mutes
            .as_array()
            .expect("mutes")
            .iter()
            .map(|m| {
                (
                    m["state"].as_str().unwrap_or("").to_owned(),
                    m["matched"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        match format {
            // Both in-force mutes were used (in different shards); the
            // expired one named every unknown R-2 finding.
            Format::Json => assert_eq!(
                matched,
                [
                    ("active".to_owned(), 1),
                    ("active".to_owned(), 1),
                    ("expired".to_owned(), 3)
                ]
            ),
            // SARIF only carries the mutes that need a person: the expired one.
            Format::Sarif => assert_eq!(matched, [("expired".to_owned(), 3)]),
        }
    }
}
