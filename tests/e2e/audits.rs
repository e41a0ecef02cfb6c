//! Repeated audits: `--baseline` marks findings new or unchanged and lists
//! the fixed ones, `--fail-on-new` gates on new findings only, and mutes
//! (with a reason, an owner and an expiry) suppress findings until they
//! expire, in every report format.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};

use crate::reports::assert_valid_sarif;
use crate::support::{Run, pillar, repo_root};

const DEMO: &str = "fixtures/demo/webshop.json";

fn scan(args: &[&str]) -> Run {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    pillar(&all)
}

fn json_of(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The demo a week later: `removed` is gone (its findings are fixed), and a
/// copy of `copied` appears under a new id (its findings are new).
fn week_two(dir: &Path, removed: &str, copied: &str) -> std::path::PathBuf {
    let mut doc = json_of(&repo_root().join(DEMO));
    let resources = doc["resources"].as_array_mut().expect("resources");
    let mut twin = resources
        .iter()
        .find(|r| r["id"] == copied)
        .cloned()
        .expect("copied resource");
    twin["id"] = json!(format!("{copied}-twin"));
    resources.retain(|r| r["id"] != removed);
    resources.push(twin);
    let path = dir.join("week2.json");
    std::fs::write(&path, doc.to_string()).expect("write week 2");
    path
}

/// Resources with failing findings in a JSON report, and the failing count.
fn failing(report: &Value) -> (Vec<String>, usize) {
    let fails: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .collect();
    let ids: BTreeSet<String> = fails
        .iter()
        .filter_map(|f| f["resource"]["id"].as_str().map(str::to_owned))
        .collect();
    (ids.into_iter().collect(), fails.len())
}

fn findings_on<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["resource"]["id"] == id)
        .collect()
}

#[test]
fn a_baseline_marks_new_unchanged_and_fixed_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base_json = dir.path().join("week1.json");
    let base_sarif = dir.path().join("week1.sarif");
    assert_eq!(scan(&["--format", "json", "-o", p(&base_json)]).code, 1);
    assert_eq!(scan(&["--format", "sarif", "-o", p(&base_sarif)]).code, 1);
    let week1 = json_of(&base_json);
    let (ids, _) = failing(&week1);
    let (removed, copied) = (&ids[0], &ids[1]);
    let removed_findings = findings_on(&week1, removed).len();
    let copied_findings = findings_on(&week1, copied).len();
    let week2 = week_two(dir.path(), removed, copied);

    // The same answer from either baseline format.
    for base in [&base_json, &base_sarif] {
        let out = dir.path().join("week2-report.json");
        let run = scan(&[
            "--snapshot",
            p(&week2),
            "--baseline",
            p(base),
            "--format",
            "json",
            "-o",
            p(&out),
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let report = json_of(&out);
        let b = &report["summary"]["baseline"];
        let total = report["findings"].as_array().map_or(0, Vec::len);
        assert_eq!(b["new"], copied_findings, "{b}");
        assert_eq!(b["updated"], 0, "{b}");
        assert_eq!(b["unchanged"], total - copied_findings, "{b}");
        assert_eq!(b["fixed"], removed_findings, "{b}");
        assert_eq!(b["not_rechecked"], 0, "{b}");
        for f in findings_on(&report, &format!("{copied}-twin")) {
            assert_eq!(f["baseline"], "new", "{f}");
        }
        for f in findings_on(&report, copied) {
            assert_eq!(f["baseline"], "unchanged", "{f}");
        }
        let fixed = report["fixed"].as_array().expect("fixed");
        assert!(
            fixed
                .iter()
                .all(|g| g["resource"] == removed.as_str() && g["verified"] == true),
            "{fixed:?}"
        );
    }

    // SARIF carries the states and the fixed findings, and stays valid.
    let out = dir.path().join("week2.sarif");
    let run = scan(&[
        "--snapshot",
        p(&week2),
        "--baseline",
        p(&base_sarif),
        "--format",
        "sarif",
        "-o",
        p(&out),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif = json_of(&out);
    assert_valid_sarif(&sarif);
    let run0 = &sarif["runs"][0];
    let states: Vec<&str> = run0["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["baselineState"]
                .as_str()
                .expect("every result has a baselineState")
        })
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == "new").count(),
        copied_findings
    );
    assert_eq!(
        run0["properties"]["pillar/baseline"]["fixed_findings"]
            .as_array()
            .map(Vec::len),
        Some(removed_findings)
    );

    // The text report says it in words.
    let run = scan(&["--snapshot", p(&week2), "--baseline", p(&base_json)]);
    assert!(
        run.stdout.contains(&format!("{copied_findings} new")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("[new]") && run.stdout.contains("fixed  "),
        "{}",
        run.stdout
    );
}

#[test]
fn fail_on_new_gates_on_new_findings_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("week1.json");
    assert_eq!(scan(&["--format", "json", "-o", p(&base)]).code, 1);
    // Nothing new: no findings exit, but the demo's collection gaps remain (3).
    let same = scan(&["--baseline", p(&base), "--fail-on-new", "--format", "json"]);
    assert_eq!(same.code, 3, "{}", same.stderr);
    assert_eq!(same.json()["summary"]["failing_at_threshold"], 0);
    // A new failing resource: exit 1.
    let (ids, _) = failing(&json_of(&base));
    let week2 = week_two(dir.path(), &ids[0], &ids[1]);
    let new = scan(&[
        "--snapshot",
        p(&week2),
        "--baseline",
        p(&base),
        "--fail-on-new",
    ]);
    assert_eq!(new.code, 1, "{}", new.stdout);
    assert!(
        new.stdout.contains("new finding(s) at or above it"),
        "{}",
        new.stdout
    );
    // --fail-on-new means nothing without a baseline.
    let bare = scan(&["--fail-on-new"]);
    assert_eq!(bare.code, 2);
    assert!(bare.stderr.contains("--baseline"), "{}", bare.stderr);
}

#[test]
fn a_baseline_that_is_not_a_pillar_report_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other = dir.path().join("other-tool.sarif");
    std::fs::write(
        &other,
        r#"{"version":"2.1.0","runs":[{"results":[{"ruleId":"X","message":{"text":"m"}}]}]}"#,
    )
    .expect("write");
    let run = scan(&["--baseline", p(&other)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("other-tool.sarif") && run.stderr.contains("no pillar fingerprint"),
        "{}",
        run.stderr
    );
    let run = scan(&["--baseline", p(&dir.path().join("missing.json"))]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read baseline"),
        "{}",
        run.stderr
    );
}

#[test]
fn mutes_suppress_until_they_expire_and_the_report_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = scan(&["--format", "json"]).json();
    let ssh: Vec<&Value> = plain["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "PILLAR-EC2-001")
        .collect();
    assert!(!ssh.is_empty());
    let rds = plain["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["rule_id"]
                .as_str()
                .is_some_and(|r| r.starts_with("PILLAR-RDS-"))
        })
        .count();
    let mutes = dir.path().join("mutes.toml");
    std::fs::write(
        &mutes,
        r#"
[[mute]]
rule = "PILLAR-EC2-001"
resource = "arn:aws:ec2:*:security-group/*"
reason = "bastions reviewed in SEC-142"
owner = "alice@example.com"
expires = 2099-12-31

[[mute]]
rule = "PILLAR-RDS-*"
resource = "*"
reason = "migration finished long ago"
owner = "bob@example.com"
expires = 2020-01-31
"#,
    )
    .expect("write mutes");

    let report = scan(&["--mutes", p(&mutes), "--format", "json"]).json();
    let summary = &report["summary"];
    assert_eq!(summary["muted"], ssh.len(), "{summary}");
    for f in report["findings"].as_array().expect("findings") {
        let muted = &f["suppressed"];
        if f["rule_id"] == "PILLAR-EC2-001" {
            assert_eq!(muted["kind"], "mute", "{f}");
            assert_eq!(muted["owner"], "alice@example.com");
            assert_eq!(muted["expires"], "2099-12-31");
            assert_eq!(muted["justification"], "bastions reviewed in SEC-142");
        } else if f["rule_id"]
            .as_str()
            .is_some_and(|r| r.starts_with("PILLAR-RDS-"))
        {
            assert!(muted.is_null(), "an expired mute must not mute: {f}");
        }
    }
    let states: Vec<(&str, u64)> = report["mutes"]
        .as_array()
        .expect("mutes")
        .iter()
        .map(|m| {
            (
                m["state"].as_str().unwrap_or(""),
                m["matched"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("active", ssh.len() as u64), ("expired", rds as u64)]
    );
    // Muted findings no longer count towards the threshold.
    let failing_before = plain["summary"]["failing_at_threshold"]
        .as_u64()
        .expect("count");
    assert_eq!(
        summary["failing_at_threshold"].as_u64(),
        Some(failing_before - ssh.len() as u64)
    );

    // SARIF: external suppressions with owner and expiry, and a warning for
    // the expired mute.
    let sarif = scan(&["--mutes", p(&mutes), "--format", "sarif"]).json();
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), ssh.len());
    let s = &suppressed[0]["suppressions"][0];
    assert_eq!(
        (s["kind"].as_str(), s["status"].as_str()),
        (Some("external"), Some("accepted"))
    );
    assert_eq!(s["properties"]["expires"], "2099-12-31");
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notes
            .iter()
            .any(|n| n["descriptor"]["id"] == "pillar/mute-expired"
                && n["message"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("bob@example.com"))),
        "{notes:?}"
    );

    // Text: muted findings are listed as such, the expired mute is called out.
    let text = scan(&["--mutes", p(&mutes)]).stdout;
    assert!(
        text.contains("muted by alice@example.com until 2099-12-31"),
        "{text}"
    );
    assert!(text.contains("! expired: PILLAR-RDS-*"), "{text}");
}

#[test]
fn mutes_in_pillar_toml_and_mistakes_in_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("pillar.toml");
    std::fs::write(
        &config,
        "[[mute]]\nrule = \"PILLAR-EC2-001\"\nresource = \"*\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2099-01-01\n",
    )
    .expect("write");
    let report = scan(&["--config", p(&config), "--format", "json"]).json();
    assert!(report["summary"]["muted"].as_u64().is_some_and(|n| n > 0));

    std::fs::write(
        &config,
        "[[mute]]\nrule = \"PILLAR-EC2-001\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2099-01-01\n",
    )
    .expect("write");
    let run = scan(&["--config", p(&config)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("pillar.toml")
            && run.stderr.contains("mute #1")
            && run.stderr.contains("`owner` is required"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_shows_drift_between_two_audits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let week1 = scan(&["--format", "json"]).json();
    let (ids, _) = failing(&week1);
    let (removed, copied) = (&ids[0], &ids[1]);
    let week2 = week_two(dir.path(), removed, copied);

    let run = pillar(&["diff", DEMO, p(&week2), "--format", "json"]);
    assert_eq!(
        run.code, 1,
        "differences exit 1, as diff(1): {}",
        run.stderr
    );
    let d = run.json();
    let ids_of = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(ids_of(&d["resources"]["added"]), [format!("{copied}-twin")]);
    assert_eq!(
        ids_of(&d["resources"]["removed"]),
        std::slice::from_ref(removed)
    );
    assert_eq!(d["resources"]["removed"][0]["maybe_hidden_by_gap"], false);
    // Account-wide derived counts change with any resource; only collected
    // attributes are drift, and here none changed.
    assert_eq!(d["resources"]["changed"], json!([]));
    let appeared = d["findings"]["appeared"].as_array().expect("appeared");
    assert_eq!(appeared.len(), findings_on(&week1, copied).len());
    assert!(
        appeared
            .iter()
            .all(|f| f["resource"]["id"] == format!("{copied}-twin").as_str())
    );
    let gone = d["findings"]["disappeared"]
        .as_array()
        .expect("disappeared");
    assert_eq!(gone.len(), findings_on(&week1, removed).len());
    assert!(
        gone.iter()
            .all(|g| g["verified"] == true && g["resource"] == removed.as_str())
    );

    // A changed attribute is listed with both values.
    let mut doc = json_of(&week2);
    let target = doc["resources"]
        .as_array_mut()
        .expect("resources")
        .iter_mut()
        .find(|r| r["id"] == copied.as_str())
        .expect("copied");
    target["attributes"]["tags"] = json!({"changed": "yes"});
    std::fs::write(&week2, doc.to_string()).expect("write");
    let text = pillar(&["diff", DEMO, p(&week2)]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout.contains("~ ") && text.stdout.contains("tags:"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("fixed: the resource no longer exists"),
        "{}",
        text.stdout
    );

    // The same snapshot twice: no differences, exit 0.
    let same = pillar(&["diff", DEMO, DEMO, "--format", "json"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert_eq!(same.json()["identical"], true);

    // Bad input names the file.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format_version\": 1,").expect("write");
    let run = pillar(&["diff", DEMO, p(&bad)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.json"), "{}", run.stderr);
}
