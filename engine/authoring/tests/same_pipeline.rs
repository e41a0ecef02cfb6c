//! `pillar rules test` and `pillar scan` run one pipeline: on the same
//! snapshot they give the same verdicts, for a rule that reads a derived
//! attribute (PILLAR-VPC-001 reads `aws_vpc.overlapping_vpcs_same_account`,
//! which only `pillar_snapshot::derive` writes), and with the same
//! configuration.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pillar_authoring::{Case, CaseOutcome};
use pillar_evaluate::{Host, Limits, PackSource, Verdict};
use pillar_scan::{Packs, Project, Scan, ScanOptions};
use pillar_snapshot::Snapshot;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/derived")
}

/// A scan of the built-in VPC pack alone, as `rules test` loads it.
fn vpc_scan(project: &Project) -> Scan {
    let pack = pillar_builtin_packs::BUILTIN
        .iter()
        .find(|p| p.file_name.contains("vpc"))
        .expect("a built-in VPC pack");
    let host = Host::new(Limits::default(), None).expect("host");
    let loaded = host
        .load(&PackSource::builtin(pack.file_name, pack.bytes))
        .expect("the VPC pack loads");
    let packs = Packs {
        loaded: vec![loaded],
        failures: Vec::new(),
    };
    Scan::new(host, packs, project, &[]).expect("scan")
}

fn case() -> Case {
    pillar_authoring::discover(&cases_dir())
        .expect("cases")
        .into_iter()
        .find(|c| c.name == "vpc-overlap")
        .expect("the vpc-overlap case")
}

fn snapshot(case: &Case) -> Snapshot {
    pillar_snapshot::load(&case.snapshot).expect("snapshot")
}

fn name(v: Verdict) -> &'static str {
    match v {
        Verdict::Fail => "fail",
        Verdict::Unknown => "unknown",
    }
}

/// (rule, resource, verdict) of a scan, as the harness compares them.
fn verdicts(scan: &Scan, snapshot: Snapshot) -> BTreeSet<(String, String, &'static str)> {
    let outcome = scan
        .run(snapshot, &ScanOptions::default())
        .expect("scan runs");
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    outcome
        .evaluation
        .findings
        .iter()
        .map(|f| {
            let id = outcome.snapshot.resources[f.resource].id.clone();
            (f.rule_id.clone(), id, name(f.verdict))
        })
        .collect()
}

fn expected(case: &Case) -> BTreeSet<(String, String, &'static str)> {
    let text = std::fs::read_to_string(&case.expected).expect("expected file");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let verdict = match f["verdict"].as_str() {
                Some("fail") => "fail",
                _ => "unknown",
            };
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("rule_id"), s("resource_id"), verdict)
        })
        .collect()
}

#[test]
fn rules_test_and_scan_agree_on_a_rule_that_reads_a_derived_attribute() {
    let project = Project::default();
    let scan = vpc_scan(&project);
    let case = case();

    let by_scan = verdicts(&scan, snapshot(&case));
    assert_eq!(by_scan, expected(&case), "the scan's verdicts");
    match pillar_authoring::run_case(&scan, &case) {
        CaseOutcome::Pass { findings } => assert_eq!(findings, by_scan.len()),
        other => panic!("rules test disagrees with the scan: {other:?}"),
    }

    // The case does exercise derivation: evaluated as it is on disk, without
    // the derived overlaps, the rules could only say "unknown".
    let host = Host::new(Limits::default(), None).expect("host");
    let pack = pillar_builtin_packs::BUILTIN
        .iter()
        .find(|p| p.file_name.contains("vpc"))
        .expect("VPC pack");
    let loaded = host
        .load(&PackSource::builtin(pack.file_name, pack.bytes))
        .expect("loads");
    let raw = host.evaluate(&[loaded], &snapshot(&case), "{}");
    assert!(
        raw.findings.iter().all(|f| f.verdict == Verdict::Unknown),
        "{:?}",
        raw.findings
    );
}

#[test]
fn rules_test_applies_the_project_configuration_as_a_scan_does() {
    let config =
        "[rules.\"PILLAR-VPC-001\"]\nignore_cidrs = [\"10.60.0.0/16\", \"10.60.128.0/17\"]\n";
    let project = Project::parse(config, Path::new("pillar.toml")).expect("project");
    let scan = vpc_scan(&project);
    let case = case();
    let by_scan = verdicts(&scan, snapshot(&case));
    assert!(by_scan.is_empty(), "ignored overlaps: {by_scan:?}");

    // The same case, expecting what the configured scan found.
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = Case {
        name: case.name.clone(),
        snapshot: case.snapshot.clone(),
        expected: dir.path().join("vpc-overlap.expected.json"),
    };
    std::fs::write(&copy.expected, "{\"findings\": []}\n").expect("write");
    match pillar_authoring::run_case(&scan, &copy) {
        CaseOutcome::Pass { findings: 0 } => {}
        other => panic!("rules test disagrees with the configured scan: {other:?}"),
    }
}
