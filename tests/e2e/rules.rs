//! Every built-in rule against its pass, fail and unknown fixtures.

use std::collections::BTreeSet;

use crate::support::{pillar, repo_root, verdicts};

const CASES: &str = "fixtures/rules/builtin-cases.json";
/// Makes PILLAR-TAG-001 require only the `owner` tag every case carries.
const CASES_CONFIG: &str = "fixtures/rules/builtin-cases.toml";

/// The verdicts each fixture resource declares in tags["pillar:expect"].
fn expected() -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(repo_root().join(CASES)).expect("fixture");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("fixture JSON");
    let mut out = BTreeSet::new();
    for r in doc["resources"].as_array().expect("resources") {
        let id = r["id"].as_str().expect("id");
        let expect = r["attributes"]["tags"]["pillar:expect"]
            .as_str()
            .expect("every case declares its verdicts");
        for pair in expect.split(',').filter(|p| !p.is_empty()) {
            let (rule, verdict) = pair.split_once('=').expect("RULE=verdict");
            out.insert((rule.to_owned(), id.to_owned(), verdict.to_owned()));
        }
    }
    out
}

#[test]
fn each_rule_fails_passes_and_stays_unknown_exactly_where_the_fixtures_say() {
    let run = pillar(&[
        "scan",
        "--snapshot",
        CASES,
        "--config",
        CASES_CONFIG,
        "--format",
        "json",
    ]);
    assert_eq!(
        run.code, 1,
        "failing findings exit 1; stderr: {}",
        run.stderr
    );
    let got: BTreeSet<_> = verdicts(&run.json()).into_iter().collect();
    let want = expected();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nunexpected: {extra:#?}"
    );
    // Every built-in rule has at least one fail, one unknown and one pass case.
    let report = run.json();
    let stats = report["summary"]["rules"].as_object().expect("rule stats");
    assert_eq!(stats.len(), builtin_rule_ids().len(), "every rule ran");
    for (rule, stats) in stats {
        for key in ["failed", "unknown", "passed"] {
            assert!(
                stats[key].as_u64().unwrap_or(0) > 0,
                "{rule} has no {key} case: {stats}"
            );
        }
    }
}

#[test]
fn a_compliant_snapshot_exits_zero() {
    let run = pillar(&["scan", "--snapshot", "fixtures/rules/all-pass.json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("0 failing, 0 unknown"),
        "{}",
        run.stdout
    );
}

#[test]
fn rules_list_shows_every_builtin_rule_with_provenance() {
    let run = pillar(&["rules", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids = builtin_rule_ids();
    assert!(ids.len() >= 40, "{} rules", ids.len());
    // The original ids keep their meaning.
    for id in [
        "PILLAR-EC2-001",
        "PILLAR-EC2-002",
        "PILLAR-EC2-003",
        "PILLAR-RDS-001",
        "PILLAR-RDS-002",
    ] {
        assert!(ids.contains(&id.to_owned()), "{id} missing");
    }
    for id in &ids {
        assert!(
            run.stdout.contains(id.as_str()),
            "{id} missing from:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("pillar-ec2 0.1.0  pillar:rules@0.2.0  sha256:"),
        "{}",
        run.stdout
    );
    let json = pillar(&["rules", "list", "--format", "json"]).json();
    let packs = json["packs"].as_array().expect("packs");
    let names: Vec<&str> = packs.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "pillar-autoscaling",
            "pillar-awsconfig",
            "pillar-backup",
            "pillar-cloudfront",
            "pillar-cloudtrail",
            "pillar-cloudwatch",
            "pillar-dynamodb",
            "pillar-ec2",
            "pillar-ecr",
            "pillar-ecs",
            "pillar-efs",
            "pillar-eks",
            "pillar-elasticache",
            "pillar-elbv2",
            "pillar-guardduty",
            "pillar-iam",
            "pillar-kms",
            "pillar-lambda",
            "pillar-logs",
            "pillar-messaging",
            "pillar-rds",
            "pillar-s3",
            "pillar-secretsmanager",
            "pillar-ssm",
            "pillar-tags",
            "pillar-vpc",
            "pillar-wafv2"
        ]
    );
    for p in packs {
        assert_eq!(p["sha256"].as_str().map(str::len), Some(64));
    }
}

/// The ids of every built-in rule, from `pillar rules list --format json`.
pub fn builtin_rule_ids() -> Vec<String> {
    let json = pillar(&["rules", "list", "--format", "json"]).json();
    json["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .flat_map(|p| p["rules"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

/// A pack built against the old contract (0.1, parameters in its help) and
/// the 0.2 built-in packs load and run side by side in one scan, and
/// `rules list` shows each pack's contract version.
#[test]
fn a_0_1_pack_and_the_0_2_packs_run_side_by_side() {
    let old = pillar_test_packs::CONTRACT_V0_1;
    let list = pillar(&["rules", "list", "--rules", old]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    for line in [
        "pillar-testing-contract-v0-1 0.1.0  pillar:rules@0.1.0  sha256:",
        "pillar-ec2 0.1.0  pillar:rules@0.2.0  sha256:",
    ] {
        assert!(list.stdout.contains(line), "{line:?} in:\n{}", list.stdout);
    }
    let json = pillar(&["rules", "list", "--rules", old, "--format", "json"]).json();
    let contracts: BTreeSet<&str> = json["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .filter_map(|p| p["contract"].as_str())
        .collect();
    assert_eq!(contracts, BTreeSet::from(["0.1.0", "0.2.0"]));

    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "--snapshot", CASES, "--format", "json"];
        args.extend_from_slice(extra);
        let run = pillar(&args);
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        verdicts(&run.json())
    };
    let builtin = scan(&[]);
    let both = scan(&["--rules", old]);
    let (old_rule, rest): (Vec<_>, Vec<_>) = both
        .into_iter()
        .partition(|(rule, _, _)| rule == "TEST-V01-001");
    assert_eq!(rest, builtin, "the 0.2 packs' verdicts are unchanged");
    // No security group in the cases has a description.
    assert_eq!(old_rule.len(), 20, "{old_rule:?}");
    assert!(old_rule.iter().all(|(_, _, v)| v == "fail"));

    // The host read the 0.1 pack's parameter out of its help table: it
    // checks the value's type and passes it to the pack's `configure`.
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("pillar.toml");
    std::fs::write(&config, "[rules.\"TEST-V01-001\"]\nmin_length = 0\n").expect("config");
    let config = config.display().to_string();
    let relaxed = scan(&["--rules", old, "--config", &config]);
    assert!(relaxed.iter().all(|(rule, _, _)| rule != "TEST-V01-001"));
    std::fs::write(&config, "[rules.\"TEST-V01-001\"]\nmin_length = \"x\"\n").expect("config");
    let run = pillar(&[
        "scan",
        "--snapshot",
        CASES,
        "--rules",
        old,
        "--config",
        &config,
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("must be of type integer"),
        "{}",
        run.stderr
    );
}
