//! `pillar scan --compliance` and `pillar compliance list` on real inputs:
//! the bundled demo, a snapshot with a collection gap, a disabled rule and
//! no built-in packs. (The moto-seeded account is in `aws.rs`.)

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{Run, pillar, repo_root};

const CIS: &str = "cis-aws-foundations-5.0";

/// `(verdict, evaluated, failing, unknown)` per control id, from the JSON
/// report's `compliance` entry for `framework`.
pub(crate) fn json_controls(
    report: &Value,
    framework: &str,
) -> BTreeMap<String, (String, String, String, String)> {
    let entry = report["compliance"]
        .as_array()
        .expect("compliance list")
        .iter()
        .find(|f| f["framework"]["id"] == framework)
        .unwrap_or_else(|| panic!("no {framework} in {}", report["compliance"]));
    let scanned = |c: &Value, key: &str| -> String {
        match c["verdict"].as_str() {
            Some("manual" | "not-covered") => "-".to_owned(),
            _ => c[key].to_string(),
        }
    };
    entry["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_owned(),
                (
                    c["verdict"].as_str().expect("verdict").to_owned(),
                    scanned(c, "evaluated"),
                    scanned(c, "failing"),
                    scanned(c, "unknown"),
                ),
            )
        })
        .collect()
}

/// The same from the text report's table for `framework`: each control
/// line ends in verdict, checked, failing and unknown.
pub(crate) fn text_controls(
    text: &str,
    framework: &str,
) -> BTreeMap<String, (String, String, String, String)> {
    let start = text
        .find(&format!("COMPLIANCE {framework} "))
        .unwrap_or_else(|| panic!("no table for {framework}:\n{text}"));
    let table = &text[start..];
    let end = table
        .find("  Sections:")
        .expect("sections after the controls");
    table[..end]
        .lines()
        .skip(2) // the heading and the column names
        .filter(|l| !l.starts_with("      ")) // rules under a control
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let n = words.len();
            assert!(n >= 6, "a control line: {l:?}");
            (
                words[0].to_owned(),
                (
                    words[n - 4].to_owned(),
                    words[n - 3].to_owned(),
                    words[n - 2].to_owned(),
                    words[n - 1].to_owned(),
                ),
            )
        })
        .collect()
}

/// The framework's totals line from the text, and from JSON.
fn totals(text: &str, report: &Value, framework: &str) -> (String, Value) {
    let start = text
        .find(&format!("COMPLIANCE {framework} "))
        .expect("table");
    let line = text[start..]
        .lines()
        .find(|l| l.starts_with("  Total: "))
        .expect("a total line")
        .to_owned();
    let entry = report["compliance"]
        .as_array()
        .expect("compliance")
        .iter()
        .find(|f| f["framework"]["id"] == framework)
        .expect("framework")
        .clone();
    (line, entry["totals"].clone())
}

fn scan(extra: &[&str]) -> (Run, Run) {
    let mut args = vec!["scan"];
    args.extend_from_slice(extra);
    let text = pillar(&args);
    args.extend_from_slice(&["--format", "json"]);
    let json = pillar(&args);
    (text, json)
}

#[test]
fn the_demo_gets_a_verdict_per_cis_control_and_text_matches_json() {
    let (text, json) = scan(&["--compliance", CIS]);
    // Findings gate the exit code as before.
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report = json.json();
    let from_json = json_controls(&report, CIS);
    let from_text = text_controls(&text.stdout, CIS);
    assert_eq!(from_json.len(), 63, "every CIS 5.0 recommendation");
    assert_eq!(from_text, from_json, "the text table and the JSON agree");

    let (line, t) = totals(&text.stdout, &report, CIS);
    assert!(
        line.starts_with(&format!("  Total: {} control(s): ", t["controls"])),
        "{line}"
    );
    for (key, word) in [
        ("pass", "pass"),
        ("fail", "fail"),
        ("unknown", "unknown"),
        ("not_checked", "not-checked"),
        ("no_resources", "no-resources"),
        ("manual", "manual"),
        ("not_covered", "not-covered"),
    ] {
        let n = t[key].as_u64().expect("count");
        let counted = from_json.values().filter(|c| c.0 == word).count() as u64;
        assert_eq!(n, counted, "{key} total is the number of {word} controls");
        if n > 0 {
            assert!(line.contains(&format!("{n} {word}")), "{line}");
        }
    }

    let verdict = |id: &str| from_json[id].0.as_str();
    // By hand, from fixtures/demo/webshop.json and the CIS file:
    // 1.1 is manual and 1.2 not covered, whatever the scan.
    assert_eq!(verdict("1.1"), "manual");
    assert_eq!(verdict("1.2"), "not-covered");
    // 1.3: the account summary records a root access key (PILLAR-IAM-003);
    // 1.4: and root MFA, so that control passes, on the one resource read.
    assert_eq!(
        from_json["1.3"],
        ("fail".into(), "1".into(), "1".into(), "0".into())
    );
    assert_eq!(
        from_json["1.4"],
        ("pass".into(), "1".into(), "0".into(), "0".into())
    );
    // The demo holds no trail and no EFS file system: the CloudTrail and
    // EFS controls read nothing, and say so rather than pass.
    assert_eq!(verdict("3.1"), "no-resources");
    assert_eq!(verdict("2.3.1"), "no-resources");
    assert_eq!(from_json["2.3.1"].1, "0");
    // The demo's S3 gap (one bucket's policy not readable) does not hide the
    // failures of the other buckets, and the text says what was not seen.
    assert_eq!(verdict("2.1.1"), "fail");
    assert_eq!(
        from_json["2.1.1"].3, "1",
        "the unreadable bucket is unknown"
    );
    let reason = text
        .stdout
        .lines()
        .find(|l| l.contains("not checked: collection gap: s3:GetBucketPolicy"));
    assert!(reason.is_some(), "{}", text.stdout);
}

#[test]
fn a_failing_control_lists_its_failing_resources_by_rule() {
    let report = pillar(&["scan", "--compliance", CIS, "--format", "json"]).json();
    let controls = report["compliance"][0]["controls"]
        .as_array()
        .expect("controls");
    let failing: Vec<&Value> = controls.iter().filter(|c| c["verdict"] == "fail").collect();
    assert!(!failing.is_empty());
    for c in failing {
        let by_rule: Vec<(&str, &str)> = c["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .flat_map(|r| {
                r["failing"]
                    .as_array()
                    .expect("failing")
                    .iter()
                    .map(move |id| (r["rule"].as_str().unwrap_or(""), id.as_str().unwrap_or("")))
            })
            .collect();
        assert!(!by_rule.is_empty(), "{c}");
        // Each is a fail finding of that rule on that resource.
        for (rule, resource) in by_rule {
            assert!(
                report["findings"]
                    .as_array()
                    .expect("findings")
                    .iter()
                    .any(|f| f["rule_id"] == rule
                        && f["resource"]["id"] == resource
                        && f["verdict"] == "fail"),
                "{rule} on {resource}"
            );
        }
    }
}

#[test]
fn a_gap_on_a_kind_makes_its_controls_not_checked() {
    let dir = tempfile::tempdir().expect("temp");
    let snapshot = dir.path().join("gap.json");
    std::fs::write(
        &snapshot,
        serde_json::json!({
            "format_version": 1,
            "source": {"kind": "aws-account", "accounts": ["111122223333"], "regions": ["eu-west-1"],
                       "collected_at": "2026-12-01T00:00:00Z", "tool": "test"},
            "gaps": [{"kind": "aws_cloudtrail", "operation": "cloudtrail:DescribeTrails",
                      "account": "111122223333", "region": "eu-west-1",
                      "reason": "access-denied", "message": "AccessDenied"}],
            "resources": []
        })
        .to_string(),
    )
    .expect("write snapshot");
    let path = snapshot.to_str().expect("utf-8");
    let (text, json) = scan(&["--snapshot", path, "--compliance", CIS]);
    // No findings, but a gap: exit 3 as before.
    assert_eq!(json.code, 3, "{}", json.stderr);
    let controls = json_controls(&json.json(), CIS);
    assert_eq!(text_controls(&text.stdout, CIS), controls);
    // 3.1 (CloudTrail in every region) would be no-resources with nothing
    // to read; a gap on trails makes it not-checked.
    assert_eq!(controls["3.1"].0, "not-checked");
    // 2.3.1 reads EFS file systems, which the gap does not touch.
    assert_eq!(controls["2.3.1"].0, "no-resources");
}

#[test]
fn a_disabled_rule_or_no_builtin_packs_make_controls_not_checked() {
    let dir = tempfile::tempdir().expect("temp");
    let config = dir.path().join("pillar.toml");
    std::fs::write(&config, "[rules.\"PILLAR-IAM-002\"]\nenabled = false\n").expect("config");
    let run = pillar(&[
        "scan",
        "--config",
        config.to_str().expect("utf-8"),
        "--compliance",
        CIS,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let controls = json_controls(&run.json(), CIS);
    assert_eq!(
        controls["1.4"].0, "not-checked",
        "root MFA's only rule is off"
    );

    // Only a pack that fails to load: every covered control is not
    // checked, and the scan exits 3 (gaps) as before.
    let run = pillar(&[
        "scan",
        "--no-builtin",
        "--rules",
        pillar_test_packs::WRONG_VERSION,
        "--compliance",
        CIS,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["failures"].as_array().map(Vec::len), Some(1));
    let mut covered = 0;
    for c in report["compliance"][0]["controls"]
        .as_array()
        .expect("controls")
    {
        match c["status"].as_str() {
            Some("covered") => {
                covered += 1;
                assert_eq!(c["verdict"], "not-checked", "{c}");
                assert!(
                    c["rules"][0]["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains("failed to load")),
                    "{c}"
                );
            }
            status => assert_eq!(c["verdict"].as_str(), status, "{c}"),
        }
    }
    assert_eq!(covered, 45);
}

#[test]
fn an_unknown_framework_is_a_usage_error_listing_the_known_ones() {
    let run = pillar(&["scan", "--compliance", "cis-aws-foundations-9.9"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing scanned: {}", run.stdout);
    for id in [
        "\"cis-aws-foundations-9.9\"",
        "aws-fsbp",
        "aws-well-architected",
        "cis-aws-foundations-5.0",
        "cis-aws-foundations-7.0",
    ] {
        assert!(run.stderr.contains(id), "{id}: {}", run.stderr);
    }
}

#[test]
fn compliance_list_shows_every_framework_with_its_coverage() {
    let run = pillar(&["compliance", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = run.json();
    let frameworks = pillar_report::pillar_compliance::builtin().unwrap_or_else(|e| panic!("{e}"));
    let listed = list["frameworks"].as_array().expect("frameworks");
    assert_eq!(listed.len(), frameworks.len());
    for (l, f) in listed.iter().zip(frameworks) {
        let (covered, of) = f.coverage();
        assert_eq!(l["id"], f.id());
        assert_eq!(l["controls"], f.controls.len());
        assert_eq!(
            l["coverage"],
            serde_json::json!({"covered": covered, "of": of})
        );
    }
    let text = pillar(&["compliance", "list"]);
    assert_eq!(text.code, 0);
    let cis = text
        .stdout
        .lines()
        .find(|l| l.starts_with("cis-aws-foundations-5.0 "))
        .expect("a CIS 5.0 line");
    assert!(cis.contains("5.0.0  63 controls"), "{cis}");
}

/// The README states CIS 5.0's coverage; it must be what the file gives.
#[test]
fn the_readme_states_the_cis_coverage_the_file_gives() {
    let frameworks = pillar_report::pillar_compliance::builtin().unwrap_or_else(|e| panic!("{e}"));
    let cis = frameworks.iter().find(|f| f.id() == CIS).expect("CIS 5.0");
    let (covered, of) = cis.coverage();
    let percent = (covered * 100 + of / 2) / of;
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let stated = format!(
        "CIS AWS Foundations v5.0.0 coverage: {covered} of {of} automated controls covered ({percent}%)"
    );
    assert!(readme.contains(&stated), "README should say: {stated}");
    let (covered_all, manual, not_covered) = (
        cis.controls
            .iter()
            .filter(|c| c.status == pillar_report::pillar_compliance::Status::Covered)
            .count(),
        cis.controls
            .iter()
            .filter(|c| c.status == pillar_report::pillar_compliance::Status::Manual)
            .count(),
        cis.controls
            .iter()
            .filter(|c| c.status == pillar_report::pillar_compliance::Status::NotCovered)
            .count(),
    );
    let counts = format!(
        "recommendations: {covered_all} covered by named rules, {manual} manual, {not_covered} not covered yet"
    );
    assert!(readme.contains(&counts), "README should say: {counts}");
}

/// SARIF rules carry the controls they evidence, with or without
/// `--compliance`.
#[test]
fn sarif_rules_are_tagged_with_their_controls() {
    let run = pillar(&["scan", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let iam = rule("PILLAR-IAM-002");
    let tags: Vec<&str> = iam["properties"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(tags.contains(&"cis-aws-foundations-5.0/1.4"), "{tags:?}");
    assert!(
        tags.iter()
            .any(|t| t.starts_with("cis-aws-foundations-7.0/")),
        "{tags:?}"
    );
    let compliance = &iam["properties"]["compliance"];
    assert_eq!(
        compliance["cis-aws-foundations-5.0"],
        serde_json::json!(["1.4"])
    );
    assert_eq!(
        compliance["aws-well-architected"],
        serde_json::json!([iam["properties"]["best-practice"]])
    );
}
