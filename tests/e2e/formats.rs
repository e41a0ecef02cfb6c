//! The report formats for auditors and security platforms (OCSF, ASFF,
//! JUnit XML, CSV) on the bundled demo, each checked against its published
//! schema vendored in fixtures/schemas/ (see the README there), against the
//! JSON report's findings, across two runs, with a baseline and mutes, and
//! after a merge of two shards. `pillar export security-hub` runs against
//! moto and is read back with GetFindings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::support::{Run, pillar, repo_root};

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(rel: &str) -> jsonschema::Validator {
    let path = repo_root().join(rel);
    let doc: Value = serde_json::from_str(&read(&path)).expect("schema JSON");
    jsonschema::validator_for(&doc).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn ocsf_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| schema("fixtures/schemas/ocsf/detection_finding-1.5.0-cloud.json"))
}

fn asff_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| schema("fixtures/schemas/asff/asff-2018-10-08.json"))
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} schema violations:\n{}",
        errors.join("\n")
    );
}

/// Every OCSF event valid against the Detection Finding 1.5.0 schema.
fn assert_valid_ocsf(events: &Value) {
    for e in events.as_array().expect("OCSF output is an array") {
        assert_valid(ocsf_validator(), e, "OCSF");
    }
}

/// The ASFF output as BatchImportFindings requests of 100, each valid
/// against botocore's model of the request.
fn assert_valid_asff(findings: &Value) {
    let all = findings.as_array().expect("ASFF output is an array");
    for chunk in all.chunks(100) {
        assert_valid(asff_validator(), &json!({"Findings": chunk}), "ASFF");
    }
}

/// The JUnit XML valid against the vendored Jenkins junit-10.xsd, by
/// xmllint (installed by `make setup`).
fn assert_valid_junit(xml: &str, dir: &Path) {
    let file = dir.join("junit.xml");
    std::fs::write(&file, xml).expect("write junit");
    let xsd = repo_root().join("fixtures/schemas/junit/junit-10.xsd");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", p(&xsd), p(&file)])
        .output()
        .expect("xmllint (libxml2-utils) is installed by `make setup`");
    assert!(
        out.status.success(),
        "JUnit XML does not validate:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn scan_to(dir: &Path, name: &str, args: &[&str]) -> (Run, PathBuf) {
    let out = dir.join(name);
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend(["-o", p(&out)]);
    (pillar(&all), out)
}

/// The demo in `format` (plus extra args), read back as text.
fn demo_in(dir: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["--format", format];
    args.extend_from_slice(extra);
    let (run, out) = scan_to(dir, &format!("demo.{format}"), &args);
    assert_eq!(run.code, 1, "{format}: {}", run.stderr);
    read(&out)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

fn fingerprints(report: &Value) -> BTreeSet<String> {
    findings(report)
        .iter()
        .map(|f| f["fingerprint"].as_str().expect("fingerprint").to_owned())
        .collect()
}

/// The counts a JUnit document declares on its root and its suites, and
/// the elements it holds.
fn junit_counts(xml: &str) -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("testcase", xml.matches("<testcase ").count()),
        ("failure", xml.matches("<failure ").count()),
        ("skipped", xml.matches("<skipped ").count()),
        ("error", xml.matches("<error ").count()),
    ])
}

fn attr(tag: &str, name: &str) -> usize {
    let key = format!(" {name}=\"");
    let at = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    tag[at..]
        .split('"')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

#[test]
fn ocsf_is_valid_detection_findings_one_per_finding_with_stable_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report: Value = serde_json::from_str(&demo_in(dir.path(), "json", &[])).expect("json");
    let text = demo_in(dir.path(), "ocsf", &[]);
    let events: Value = serde_json::from_str(&text).expect("OCSF is JSON");
    assert_valid_ocsf(&events);
    let events = events.as_array().expect("array");
    assert_eq!(events.len(), findings(&report).len());
    let uids: BTreeSet<String> = events
        .iter()
        .map(|e| e["finding_info"]["uid"].as_str().expect("uid").to_owned())
        .collect();
    assert_eq!(uids, fingerprints(&report));
    for (e, f) in events.iter().zip(findings(&report)) {
        assert_eq!(e["metadata"]["version"], "1.5.0");
        assert_eq!(e["class_uid"], 2004);
        assert_eq!(e["finding_info"]["analytic"]["uid"], f["rule_id"]);
        assert_eq!(e["resources"][0]["uid"], f["resource"]["id"]);
        assert_eq!(e["cloud"]["account"]["uid"], f["resource"]["account"]);
        let code = if f["verdict"] == "fail" {
            "FAIL"
        } else {
            "UNKNOWN"
        };
        assert_eq!(e["status_code"], code, "{e}");
        let severity = ["info", "low", "medium", "high", "critical"]
            .iter()
            .position(|s| f["severity"] == *s)
            .expect("severity")
            + 1;
        assert_eq!(e["severity_id"], severity);
        assert_eq!(e["status_id"], 1, "nothing is muted here");
    }
    // A second run writes the same bytes: ids and times come from the
    // snapshot, never the clock.
    assert_eq!(demo_in(dir.path(), "ocsf", &[]), text);
}

#[test]
fn asff_is_valid_against_botocore_with_ids_from_fingerprints() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report: Value = serde_json::from_str(&demo_in(dir.path(), "json", &[])).expect("json");
    let text = demo_in(dir.path(), "asff", &[]);
    let asff: Value = serde_json::from_str(&text).expect("ASFF is JSON");
    assert_valid_asff(&asff);
    let all = asff.as_array().expect("array");
    assert_eq!(all.len(), findings(&report).len());
    for (a, f) in all.iter().zip(findings(&report)) {
        assert_eq!(
            a["Id"],
            format!("pillar/{}", f["fingerprint"].as_str().expect("fp"))
        );
        assert_eq!(a["GeneratorId"], f["rule_id"]);
        assert_eq!(a["AwsAccountId"], "111122223333");
        // A global resource (no region) is imported in the report's first region.
        let region = f["resource"]["region"]
            .as_str()
            .or(report["source"]["regions"][0].as_str())
            .expect("region");
        assert_eq!(
            a["ProductArn"],
            format!("arn:aws:securityhub:{region}:111122223333:product/111122223333/default")
        );
        assert_eq!(a["RecordState"], "ACTIVE");
        let status = if f["verdict"] == "fail" {
            "FAILED"
        } else {
            "WARNING"
        };
        assert_eq!(a["Compliance"]["Status"], status);
        assert_eq!(a["Resources"][0]["Id"], f["resource"]["id"]);
    }
    let types: BTreeSet<&str> = all
        .iter()
        .filter_map(|a| a["Resources"][0]["Type"].as_str())
        .collect();
    assert!(
        types.contains("AwsS3Bucket") && types.contains("AwsEc2SecurityGroup"),
        "{types:?}"
    );
    assert_eq!(demo_in(dir.path(), "asff", &[]), text, "stable across runs");
}

#[test]
fn asff_schema_catches_what_security_hub_rejects() {
    // The vendored schema is only worth something if it refuses what the
    // API refuses: a missing member, a bad enum, a title over 256.
    let dir = tempfile::tempdir().expect("temp dir");
    let asff: Value = serde_json::from_str(&demo_in(dir.path(), "asff", &[])).expect("json");
    let good = asff[0].clone();
    let v = asff_validator();
    assert!(v.is_valid(&json!({"Findings": [good.clone()]})));
    let mut missing = good.clone();
    missing
        .as_object_mut()
        .expect("object")
        .remove("GeneratorId");
    let mut label = good.clone();
    label["Severity"]["Label"] = json!("SEVERE");
    let mut long = good.clone();
    long["Title"] = json!("t".repeat(257));
    let mut extra = good.clone();
    extra["Colour"] = json!("red");
    for bad in [missing, label, long, extra] {
        assert!(!v.is_valid(&json!({"Findings": [bad.clone()]})), "{bad}");
    }
    let too_many = vec![good.clone(); 101];
    assert!(!v.is_valid(&json!({"Findings": too_many})));
}

#[test]
fn junit_validates_and_counts_failures_skips_and_gaps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report: Value = serde_json::from_str(&demo_in(dir.path(), "json", &[])).expect("json");
    let xml = demo_in(dir.path(), "junit", &[]);
    assert_valid_junit(&xml, dir.path());
    let counts = junit_counts(&xml);
    let fails = findings(&report)
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .count();
    let unknown = findings(&report).len() - fails;
    let gaps = report["gaps"].as_array().expect("gaps").len()
        + report["failures"].as_array().expect("failures").len();
    assert_eq!(counts["failure"], fails);
    assert_eq!(counts["skipped"], unknown);
    assert_eq!(counts["error"], gaps);
    assert!(gaps > 0, "the demo has collection gaps");
    let root = xml
        .lines()
        .find(|l| l.starts_with("<testsuites"))
        .expect("root");
    assert_eq!(attr(root, "tests"), counts["testcase"]);
    assert_eq!(attr(root, "failures"), fails);
    assert_eq!(attr(root, "errors"), gaps);
    // Each suite's counts add up to the root's.
    let suites: Vec<&str> = xml
        .lines()
        .filter(|l| l.trim_start().starts_with("<testsuite "))
        .collect();
    for key in ["tests", "failures", "errors"] {
        let sum: usize = suites.iter().map(|s| attr(s, key)).sum();
        assert_eq!(sum, attr(root, key), "{key}");
    }
    let skipped: usize = suites.iter().map(|s| attr(s, "skipped")).sum();
    assert_eq!(skipped, unknown);
    assert!(xml.contains("<testsuite name=\"pillar.not-checked\""));
    assert_eq!(demo_in(dir.path(), "junit", &[]), xml, "stable across runs");
}

#[test]
fn junit_and_csv_survive_hostile_resource_names_and_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain: Value = serde_json::from_str(&demo_in(dir.path(), "json", &[])).expect("json");
    let mut demo: Value =
        serde_json::from_str(&read(&repo_root().join("fixtures/demo/webshop.json"))).expect("demo");
    // A failing bucket's id made of markup, a CDATA end, control
    // characters and a spreadsheet formula.
    let hostile = "=cmd|' /C calc'!A0 <script>&amp;]]>\u{1}\u{1b}[31m\"x\"";
    let target = failing_bucket(&plain);
    let resources = demo["resources"].as_array_mut().expect("resources");
    let bucket = resources
        .iter_mut()
        .find(|r| r["id"] == target.as_str())
        .expect("the bucket");
    bucket["id"] = json!(hostile);
    let snap = dir.path().join("hostile.json");
    std::fs::write(&snap, demo.to_string()).expect("write");
    let report = {
        let (run, out) = scan_to(
            dir.path(),
            "h.json",
            &["--snapshot", p(&snap), "--format", "json"],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        serde_json::from_str::<Value>(&read(&out)).expect("json")
    };
    assert!(
        findings(&report)
            .iter()
            .any(|f| f["resource"]["id"] == hostile)
    );
    let (run, out) = scan_to(
        dir.path(),
        "h.xml",
        &["--snapshot", p(&snap), "--format", "junit"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let xml = read(&out);
    assert_valid_junit(&xml, dir.path());
    assert!(!xml.contains("<script>") && !xml.contains("]]>") && !xml.contains('\u{1b}'));
    assert!(
        xml.contains("&lt;script&gt;&amp;amp;]]&gt;\\u{1}\\u{1b}[31m&quot;x&quot;"),
        "the name stays readable"
    );

    let (run, out) = scan_to(
        dir.path(),
        "h.csv",
        &["--snapshot", p(&snap), "--format", "csv"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = csv_rows(&read(&out));
    let row = rows
        .iter()
        .find(|r| r["resource"].contains("<script>"))
        .expect("the hostile row");
    assert_eq!(
        row["resource"],
        format!("'{hostile}"),
        "a formula cell is prefixed with '"
    );
}

/// The CSV as maps of column to cell, through the `csv` crate.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("header row")
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// A cell as written before the formula guard.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[test]
fn csv_rows_equal_the_json_reports_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report: Value = serde_json::from_str(&demo_in(dir.path(), "json", &[])).expect("json");
    let text = demo_in(dir.path(), "csv", &[]);
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends");
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), findings(&report).len());
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    for (row, f) in rows.iter().zip(findings(&report)) {
        let want = [
            ("rule_id", s(&f["rule_id"])),
            ("severity", s(&f["severity"])),
            ("status", s(&f["verdict"])),
            ("resource", s(&f["resource"]["id"])),
            ("kind", s(&f["resource"]["kind"])),
            ("region", s(&f["resource"]["region"])),
            ("account", s(&f["resource"]["account"])),
            ("message", s(&f["message"])),
            ("fingerprint", s(&f["fingerprint"])),
            ("suppressed", s(&f["suppressed"]["kind"])),
            ("baseline", s(&f["baseline"])),
        ];
        for (col, value) in want {
            assert_eq!(unguarded(&row[col]), value, "{col} of {f}");
        }
    }
    assert_eq!(demo_in(dir.path(), "csv", &[]), text, "stable across runs");
}

/// A bucket with failing findings that no collection gap names.
fn failing_bucket(report: &Value) -> String {
    findings(report)
        .iter()
        .filter(|f| f["verdict"] == "fail" && f["resource"]["kind"] == "aws_s3_bucket")
        .filter_map(|f| f["resource"]["id"].as_str())
        .find(|id| !report["gaps"].to_string().contains(id))
        .expect("a failing bucket")
        .to_owned()
}

/// The demo a week later: one failing resource gone (its findings fixed).
fn week_two(dir: &Path, report: &Value) -> (PathBuf, String) {
    let gone = failing_bucket(report);
    let mut demo: Value =
        serde_json::from_str(&read(&repo_root().join("fixtures/demo/webshop.json"))).expect("demo");
    demo["resources"]
        .as_array_mut()
        .expect("resources")
        .retain(|r| r["id"] != gone.as_str());
    let path = dir.join("week2.json");
    std::fs::write(&path, demo.to_string()).expect("write week 2");
    (path, gone)
}

const MUTES: &str = r#"
[[mute]]
rule = "PILLAR-EC2-001"
resource = "*"
reason = "bastions reviewed in SEC-142"
owner = "alice@example.com"
expires = 2099-12-31
"#;

#[test]
fn baseline_and_mutes_are_marked_in_every_format_as_in_the_json_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let (run, base) = scan_to(d, "week1.json", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let week1: Value = serde_json::from_str(&read(&base)).expect("json");
    let (week2, gone) = week_two(d, &week1);
    let mutes = d.join("mutes.toml");
    std::fs::write(&mutes, MUTES).expect("mutes");
    let common = [
        "--snapshot",
        p(&week2),
        "--baseline",
        p(&base),
        "--mutes",
        p(&mutes),
    ];
    let out = |format: &str| -> String {
        let mut args = common.to_vec();
        args.extend(["--format", format]);
        let (run, path) = scan_to(d, &format!("report2.{format}"), &args);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        read(&path)
    };
    let report: Value = serde_json::from_str(&out("json")).expect("json");
    let fixed: BTreeSet<String> = report["fixed"]
        .as_array()
        .expect("fixed")
        .iter()
        .map(|f| f["fingerprint"].as_str().expect("fp").to_owned())
        .collect();
    assert!(!fixed.is_empty(), "the bucket {gone} had findings");
    let muted = report["summary"]["muted"].as_u64().expect("muted") as usize;
    assert!(muted > 0);

    // OCSF: muted findings Suppressed, fixed ones Resolved (Close).
    let ocsf: Value = serde_json::from_str(&out("ocsf")).expect("ocsf");
    assert_valid_ocsf(&ocsf);
    let events = ocsf.as_array().expect("array");
    assert_eq!(events.len(), findings(&report).len() + fixed.len());
    assert_eq!(events.iter().filter(|e| e["status_id"] == 3).count(), muted);
    let resolved: BTreeSet<String> = events
        .iter()
        .filter(|e| e["status_id"] == 4 && e["activity_id"] == 3)
        .map(|e| e["finding_info"]["uid"].as_str().expect("uid").to_owned())
        .collect();
    assert_eq!(resolved, fixed);
    assert!(
        events
            .iter()
            .any(|e| e["unmapped"]["pillar"]["baseline"] == "unchanged")
    );

    // ASFF: muted SUPPRESSED, fixed ARCHIVED under the Id they had.
    let asff: Value = serde_json::from_str(&out("asff")).expect("asff");
    assert_valid_asff(&asff);
    let all = asff.as_array().expect("array");
    assert_eq!(all.len(), findings(&report).len() + fixed.len());
    assert_eq!(
        all.iter()
            .filter(|a| a["Workflow"]["Status"] == "SUPPRESSED")
            .count(),
        muted
    );
    let archived: BTreeSet<String> = all
        .iter()
        .filter(|a| a["RecordState"] == "ARCHIVED")
        .map(|a| {
            a["Id"]
                .as_str()
                .expect("id")
                .trim_start_matches("pillar/")
                .to_owned()
        })
        .collect();
    assert_eq!(archived, fixed);

    // JUnit: a muted failure is skipped, not failed.
    let xml = out("junit");
    assert_valid_junit(&xml, d);
    let fails = findings(&report)
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .count();
    assert_eq!(junit_counts(&xml)["failure"], fails - muted);
    assert_eq!(
        xml.matches("suppressed (mute): bastions reviewed in SEC-142")
            .count(),
        muted
    );

    // CSV: the suppression and baseline columns carry the JSON's values.
    let rows = csv_rows(&out("csv"));
    assert_eq!(
        rows.iter().filter(|r| r["suppressed"] == "mute").count(),
        muted
    );
    let unchanged = findings(&report)
        .iter()
        .filter(|f| f["baseline"] == "unchanged")
        .count();
    assert_eq!(
        rows.iter().filter(|r| r["baseline"] == "unchanged").count(),
        unchanged
    );
}

#[test]
fn merged_shards_render_every_format_like_the_merged_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    // Two shards: the demo account, and the same estate as another account.
    let demo = read(&repo_root().join("fixtures/demo/webshop.json"));
    let other = d.join("other.json");
    std::fs::write(&other, demo.replace("111122223333", "444455556666")).expect("write");
    let (run, a) = scan_to(d, "a.json", &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (run, b) = scan_to(d, "b.json", &["--snapshot", p(&other), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let merged = d.join("merged.json");
    let run = pillar(&["merge", "-o", p(&merged), p(&a), p(&b)]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    let report: Value = serde_json::from_str(&read(&merged)).expect("json");
    let n = findings(&report).len();
    let shard_a: Value = serde_json::from_str(&read(&a)).expect("json");
    assert_eq!(n, 2 * findings(&shard_a).len());

    let merge_to = |format: &str| -> String {
        let out = d.join(format!("merged.{format}"));
        let run = pillar(&["merge", "--to", format, "-o", p(&out), p(&a), p(&b)]);
        assert!(run.code == 0 || run.code == 3, "{format}: {}", run.stderr);
        read(&out)
    };
    let ocsf: Value = serde_json::from_str(&merge_to("ocsf")).expect("ocsf");
    assert_valid_ocsf(&ocsf);
    let events = ocsf.as_array().expect("array");
    assert_eq!(events.len(), n);
    // (S3 bucket ARNs carry no account, so the copied estate's buckets
    // share fingerprints with the demo's: the sets are compared.)
    let uids: BTreeSet<String> = events
        .iter()
        .map(|e| e["finding_info"]["uid"].as_str().expect("uid").to_owned())
        .collect();
    assert_eq!(uids, fingerprints(&report));

    let asff: Value = serde_json::from_str(&merge_to("asff")).expect("asff");
    assert_valid_asff(&asff);
    let accounts: BTreeSet<&str> = asff
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["AwsAccountId"].as_str())
        .collect();
    assert_eq!(accounts, BTreeSet::from(["111122223333", "444455556666"]));

    let xml = merge_to("junit");
    assert_valid_junit(&xml, d);
    let fails = findings(&report)
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .count();
    assert_eq!(junit_counts(&xml)["failure"], fails);

    assert_eq!(csv_rows(&merge_to("csv")).len(), n);

    // --to needs JSON reports.
    let sarif = d.join("a.sarif");
    assert_eq!(
        pillar(&["scan", "--format", "sarif", "-o", p(&sarif)]).code,
        1
    );
    let run = pillar(&["merge", "--to", "csv", "-o", p(&d.join("x.csv")), p(&sarif)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--to writes merged JSON reports"),
        "{}",
        run.stderr
    );
}

#[test]
fn export_refuses_a_file_that_is_not_a_pillar_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bogus = dir.path().join("bogus.json");
    std::fs::write(&bogus, r#"{"findings": []}"#).expect("write");
    let run = pillar(&["export", "security-hub", p(&bogus), "--region", "eu-west-1"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a pillar JSON report"),
        "{}",
        run.stderr
    );
}

mod security_hub {
    //! `pillar export security-hub` against moto, read back with the SDK.

    use std::collections::BTreeSet;
    use std::path::Path;

    use pillar_moto_harness::http::{self, Canned, Fault};
    use pillar_moto_harness::{moto, securityhub, seed};
    use serde_json::Value;

    use super::{findings, p, read, scan_to, week_two};
    use crate::aws::pillar_aws;
    use crate::support::Run;

    const REGION: &str = "eu-west-1";

    fn export(endpoint: &str, report: &Path) -> Run {
        pillar_aws(&[
            "export",
            "security-hub",
            p(report),
            "--region",
            REGION,
            "--endpoint-url",
            endpoint,
            "--max-attempts",
            "2",
        ])
    }

    fn ids(report: &Value) -> BTreeSet<String> {
        findings(report)
            .iter()
            .map(|f| format!("pillar/{}", f["fingerprint"].as_str().expect("fp")))
            .collect()
    }

    fn imported(endpoint: &str) -> Vec<securityhub::Imported> {
        seed::block_on(securityhub::findings(endpoint, REGION)).expect("GetFindings")
    }

    #[test]
    fn export_imports_updates_in_place_and_archives_what_the_baseline_says_is_fixed() {
        let moto = moto();
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        let (run, week1) = scan_to(d, "week1.json", &["--format", "json"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let report: Value = serde_json::from_str(&read(&week1)).expect("json");
        let want = ids(&report);
        assert!(want.len() > 100, "more than one batch: {}", want.len());

        let run = export(&moto.endpoint, &week1);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "{n} of {n} finding(s) imported in 2 batch(es)",
                n = want.len()
            )),
            "{}",
            run.stderr
        );
        let got = imported(&moto.endpoint);
        assert_eq!(got.len(), want.len());
        assert_eq!(
            got.iter().map(|f| f.id.clone()).collect::<BTreeSet<_>>(),
            want
        );
        assert!(
            got.iter()
                .all(|f| f.record_state == "ACTIVE" && f.aws_account_id == "111122223333")
        );

        // Again: the same Ids, so nothing is duplicated.
        let run = export(&moto.endpoint, &week1);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(imported(&moto.endpoint).len(), want.len());

        // A week later one bucket is gone: its findings come back ARCHIVED.
        let (week2, _) = week_two(d, &report);
        let (run, second) = scan_to(
            d,
            "week2.json",
            &[
                "--snapshot",
                p(&week2),
                "--baseline",
                p(&week1),
                "--format",
                "json",
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        let report2: Value = serde_json::from_str(&read(&second)).expect("json");
        let fixed: BTreeSet<String> = report2["fixed"]
            .as_array()
            .expect("fixed")
            .iter()
            .map(|f| format!("pillar/{}", f["fingerprint"].as_str().expect("fp")))
            .collect();
        assert!(!fixed.is_empty());
        let run = export(&moto.endpoint, &second);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let got = imported(&moto.endpoint);
        assert_eq!(
            got.len(),
            want.len(),
            "fixed findings are updated, not added"
        );
        let archived: BTreeSet<String> = got
            .iter()
            .filter(|f| f.record_state == "ARCHIVED")
            .map(|f| f.id.clone())
            .collect();
        assert_eq!(archived, fixed);
        assert!(
            got.iter()
                .filter(|f| fixed.contains(&f.id))
                .all(|f| f.workflow == "RESOLVED" && f.compliance == "PASSED")
        );
    }

    #[test]
    fn refused_calls_and_rejected_findings_are_reported_one_by_one_and_exit_3() {
        let moto = moto();
        let dir = tempfile::tempdir().expect("temp dir");
        let (run, report_path) = scan_to(dir.path(), "r.json", &["--format", "json"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let report: Value = serde_json::from_str(&read(&report_path)).expect("json");
        let all = ids(&report);
        let first_rejected = all.first().expect("an id").clone();

        // The first batch is refused (access denied); the second is
        // accepted but one finding in it is rejected (FailedFindings).
        let rejected_body = format!(
            r#"{{"FailedCount":1,"SuccessCount":{},"FailedFindings":[{{"Id":"{first_rejected}","ErrorCode":"InvalidInput","ErrorMessage":"Finding does not adhere to ASFF (pillar test)"}}]}}"#,
            all.len() - 101
        );
        let (proxy, injected) = http::fault_proxy(
            &moto.endpoint,
            vec![
                Fault {
                    matching: "/findings/import".into(),
                    times: 1,
                    response: Canned {
                        status: 403,
                        content_type: "application/json",
                        body: br#"{"__type":"AccessDeniedException","message":"not allowed (pillar test)"}"#.to_vec(),
                    },
                },
                Fault {
                    matching: "/findings/import".into(),
                    times: 1,
                    response: Canned {
                        status: 200,
                        content_type: "application/json",
                        body: rejected_body.into_bytes(),
                    },
                },
            ],
        );
        let run = export(&proxy, &report_path);
        assert_eq!(run.code, 3, "{}", run.stderr);
        assert!(injected.load(std::sync::atomic::Ordering::SeqCst) >= 2);
        let denied = run
            .stderr
            .lines()
            .filter(|l| l.contains("(AccessDeniedException)"))
            .count();
        assert_eq!(
            denied, 100,
            "every finding of the refused batch:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!(
                "not imported: {first_rejected} (InvalidInput): Finding does not adhere"
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("; 101 failed"), "{}", run.stderr);
    }
}
