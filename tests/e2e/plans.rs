//! Terraform plans: every real plan of the shared corpus loads and scans,
//! its SARIF validates, and the verdicts match the expert reading in
//! `../shared/corpus/terraform-plans/NOTES.md` (referenced in place, never
//! copied). The bundled `fixtures/plans/webapp` tree checks `.tf` locations
//! and in-source suppressions end to end.

use std::path::PathBuf;

use serde_json::Value;

use crate::reports::assert_valid_sarif;
use crate::support::{pillar, repo_root};

/// The corpus directory, or `None` (with a message saying so) when the
/// shared folder is not beside the repository.
fn corpus() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/corpus/terraform-plans");
    if dir.join("NOTES.md").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} is absent; the corpus plan tests need ../shared beside the repository",
            dir.display()
        );
        None
    }
}

fn corpus_plans(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    plans.sort();
    plans
}

/// Expected verdicts from NOTES.md, one row per (plan, resource, rule).
/// `pass` means the rule judged the resource and found nothing; negative
/// controls are rows like that. Add rows here as the catalog grows: a row
/// for a rule that is not loaded fails the test, so the table never claims
/// more than what runs.
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    // checkov_terragoat: SSH from the internet on web-node; the "default"
    // group only admits MySQL from a private range (negative control).
    (
        "checkov_terragoat.json",
        "aws_security_group.web-node",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.web-node",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.default",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.default",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-002",
        "fail",
    ),
    // web_host's user data (a literal in the configuration, only a hash in
    // `after`) has credentials but no resource endpoint; db_app's is built
    // from references at apply time.
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.db_app",
        "PILLAR-EC2-003",
        "unknown",
    ),
    // checkov_sg_for_each: all protocols, all ports, from 0.0.0.0/0.
    (
        "checkov_sg_for_each.json",
        "module.sg[\"bad_example\"].aws_security_group.bad",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"bad_example\"].aws_security_group.bad",
        "PILLAR-EC2-002",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"awful_example\"].aws_security_group.bad",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"terrible_example\"].aws_security_group.bad",
        "PILLAR-EC2-002",
        "fail",
    ),
    // regula_sg_ingress_anywhere: only the all-ports group exposes SSH or a
    // database; 442-444, 79-81 and the exact web ports do not.
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_allow_all",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_allow_all",
        "PILLAR-EC2-002",
        "fail",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_443",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_80",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_443",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_80",
        "PILLAR-EC2-002",
        "pass",
    ),
    // regula_modules_sg_vpc: groups with no rules, unknown and undeclared
    // in the plan: no exposure (negative control through nested modules).
    (
        "regula_modules_sg_vpc.json",
        "aws_security_group.parent",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_security_group.grandchild",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_security_group.child",
        "PILLAR-EC2-002",
        "pass",
    ),
    // tfc_sg_modules_249: negative control, SSH only from 10.0.0.0/8 (also
    // through a joined aws_security_group_rule).
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_security_group.sg_asg",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_security_group.alb",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_security_group.lambda_sg",
        "PILLAR-EC2-001",
        "pass",
    ),
    // trivy_plan: port 80 from the internet is not SSH/RDP nor a database.
    (
        "trivy_plan.json",
        "aws_security_group.sg",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_security_group.sg",
        "PILLAR-EC2-002",
        "pass",
    ),
    // trivychecks_launch_template: no user data.
    (
        "trivychecks_launch_template.json",
        "aws_launch_template.this",
        "PILLAR-EC2-003",
        "pass",
    ),
    // infracost_v014: both module DBs unencrypted, no backup replication;
    // instances without user data.
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-002",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.2\"]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[1]",
        "PILLAR-EC2-003",
        "pass",
    ),
    // Unencrypted DB instances and clusters (not set, null, or a fresh
    // provisioned cluster whose configuration is silent).
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-002",
        "fail",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "tfc_rds_cluster_438.json",
        "aws_rds_cluster.db_cluster",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "tfc_issue_120.json",
        "aws_rds_cluster.default",
        "PILLAR-RDS-001",
        "fail",
    ),
];

/// Plans whose reading says there is nothing for today's rules to flag.
const NO_FAILURES: &[&str] = &[
    "tirith_s3_destroy.json",
    "regula_modules_sg_vpc.json",
    "tfc_sg_modules_249.json",
];

#[test]
fn every_corpus_plan_scans_with_valid_sarif() {
    let Some(dir) = corpus() else { return };
    let plans = corpus_plans(&dir);
    assert_eq!(plans.len(), 20, "the corpus has 20 plans");
    for plan in &plans {
        let path = plan.display().to_string();
        let run = pillar(&[
            "scan",
            "--plan",
            &path,
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ]);
        assert!(
            run.code == 0 || run.code == 3,
            "{path}: exit {} (stderr: {})",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{path}: {}", run.stderr);
        let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
        assert_valid_sarif(&doc);
        let run0 = &doc["runs"][0];
        assert_eq!(run0["automationDetails"]["id"], "pillar/terraform-plan/");
        for res in run0["results"].as_array().expect("results") {
            let logical = &res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"];
            assert!(
                logical.as_str().is_some_and(|a| a.contains("aws_")),
                "{path}: {logical}"
            );
            assert!(res["partialFingerprints"]["pillarFinding/v1"].is_string());
            // No sources for the corpus: the plan file, at the resource's entry.
            let phys = &res["locations"][0]["physicalLocation"];
            let name = plan
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            assert!(
                phys["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(name)),
                "{path}: {phys}"
            );
            assert!(
                phys["region"]["startLine"].as_u64().is_some_and(|l| l >= 1),
                "{path}: {phys}"
            );
        }
    }
}

fn json_report(plan: &str) -> Value {
    let run = pillar(&[
        "scan",
        "--plan",
        plan,
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert!(run.code != 2, "{plan}: {}", run.stderr);
    run.json()
}

/// The verdict of `rule` on `resource`: a finding's verdict, or `pass` when
/// the rule evaluated resources of the kind and said nothing about it.
fn verdict(report: &Value, resource: &str, rule: &str) -> Option<String> {
    let found = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == rule && f["resource"]["id"] == resource)
        .map(|f| f["verdict"].as_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    if found.iter().any(|v| v == "fail") {
        return Some("fail".into());
    }
    if let Some(v) = found.first() {
        return Some(v.clone());
    }
    let evaluated = report["summary"]["rules"][rule]["evaluated"].as_u64()?;
    (evaluated > 0).then(|| "pass".to_owned())
}

#[test]
fn corpus_verdicts_match_the_expert_reading() {
    let Some(dir) = corpus() else { return };
    let mut reports = std::collections::HashMap::new();
    let mut wrong = Vec::new();
    for (file, resource, rule, expected) in EXPECTED {
        let report = reports
            .entry(*file)
            .or_insert_with(|| json_report(&dir.join(file).display().to_string()));
        assert!(
            loaded_rules(report).iter().any(|id| id == rule),
            "{rule} is not a loaded rule; the table row for {file} is stale"
        );
        let got = verdict(report, resource, rule);
        if got.as_deref() != Some(*expected) {
            wrong.push(format!(
                "{file} {resource} {rule}: expected {expected}, got {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "verdicts differ from NOTES.md:\n{}",
        wrong.join("\n")
    );

    for file in NO_FAILURES {
        let report = json_report(&dir.join(file).display().to_string());
        assert_eq!(
            report["summary"]["failed"], 0,
            "{file}: {:#}",
            report["findings"]
        );
    }
}

/// The core rule: a failing finding never rests on an unknown value.
#[test]
fn no_corpus_violation_rests_on_an_unknown_value() {
    let Some(dir) = corpus() else { return };
    for plan in corpus_plans(&dir) {
        let path = plan.display().to_string();
        let convert = pillar(&["plan", "convert", &path]);
        assert_eq!(convert.code, 0, "{path}: {}", convert.stderr);
        let snapshot = convert.json();
        let report = json_report(&path);
        for f in report["findings"].as_array().expect("findings") {
            if f["verdict"] != "fail" {
                continue;
            }
            let id = &f["resource"]["id"];
            let resource = snapshot["resources"]
                .as_array()
                .expect("resources")
                .iter()
                .find(|r| r["id"] == *id)
                .expect("finding's resource is in the snapshot");
            let evidence = f["evidence"].as_str().unwrap_or("");
            for u in resource["unknown"].as_array().into_iter().flatten() {
                let u = u.as_str().unwrap_or("");
                let covers = u.is_empty()
                    || evidence == u
                    || (evidence.starts_with(u) && evidence[u.len()..].starts_with('/'));
                assert!(
                    !covers,
                    "{path}: {id} fails on {evidence}, which is unknown ({u})"
                );
            }
        }
        // No credential from the plans reaches a snapshot.
        for secret in [
            "Aa1234321Bb",
            "foobarbaz",
            "YourPwdShouldBeLongAndSecure!",
            "\"nothing\"",
            "\"bar\"",
        ] {
            assert!(!convert.stdout.contains(secret), "{path}: {secret} leaked");
        }
    }
}

/// Scans the bundled webapp plan with its sources.
fn webapp_scan(extra: &[&str]) -> crate::support::Run {
    let mut args = vec![
        "scan",
        "--plan",
        "fixtures/plans/webapp/plan.json",
        "--source-dir",
        "fixtures/plans/webapp",
    ];
    args.extend_from_slice(extra);
    pillar(&args)
}

/// The ids of the rules the report's packs declare.
fn loaded_rules(report: &Value) -> Vec<String> {
    report["packs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["rules"].as_array().into_iter().flatten())
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn webapp_findings_point_at_tf_lines_and_honour_suppressions() {
    let run = webapp_scan(&["--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let find = |rule: &str, address: &str| {
        results
            .iter()
            .find(|r| {
                r["ruleId"] == rule
                    && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == address
            })
            .unwrap_or_else(|| panic!("no {rule} result on {address}"))
    };
    let db = find("PILLAR-EC2-002", "module.network.aws_security_group.db");
    let phys = &db["locations"][0]["physicalLocation"];
    assert_eq!(
        phys["artifactLocation"]["uri"],
        "fixtures/plans/webapp/modules/network/main.tf"
    );
    assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(phys["region"]["startLine"], 36);
    assert!(db["suppressions"].is_null());
    assert_eq!(db["properties"]["planAction"], "create");

    let bastion = find(
        "PILLAR-EC2-001",
        "module.network.aws_security_group.bastion",
    );
    assert_eq!(bastion["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        bastion["suppressions"][0]["justification"],
        "bastion, source-restricted by the NACL (OPS-42)"
    );
    assert_eq!(
        bastion["suppressions"][0]["location"]["physicalLocation"]["region"]["startLine"],
        32
    );

    let web = find("PILLAR-EC2-003", "aws_instance.web");
    assert_eq!(
        web["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/plans/webapp/main.tf"
    );

    // Suppressed findings do not count towards --fail-on: at `high`, the
    // suppressed SSH finding on the bastion is left out.
    let json = webapp_scan(&["--format", "json", "--fail-on", "high"]).json();
    assert_eq!(json["summary"]["suppressed"], 2);
    let suppressed: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| !f["suppressed"].is_null())
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(suppressed.len(), 2, "{suppressed:?}");
    assert_eq!(json["summary"]["failing_at_threshold"], 2);
    assert_eq!(
        json["summary"]["by_severity"]["high"], 3,
        "the suppressed one is still reported"
    );

    let text = webapp_scan(&[]);
    assert!(
        text.stdout.contains("Plan: 17 to create"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("SUPPRESSED 2 finding(s)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("fixtures/plans/webapp/main.tf:74"),
        "{}",
        text.stdout
    );
}

#[test]
fn without_sources_findings_point_into_the_plan() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = pillar(&[
        "scan",
        "--plan",
        "fixtures/plans/webapp/plan.json",
        "--source-dir",
        &dir.path().display().to_string(),
        "--format",
        "sarif",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    for r in doc["runs"][0]["results"].as_array().expect("results") {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "fixtures/plans/webapp/plan.json"
        );
        assert!(r["suppressions"].is_null(), "no sources, no suppressions");
    }
}

#[test]
fn not_a_plan_says_what_to_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let zip = dir.path().join("tfplan");
    std::fs::write(&zip, b"PK\x03\x04\x14\x00\x08\x00binary plan").expect("write");
    let run = pillar(&["scan", "--plan", &zip.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("terraform show -json tfplan > plan.json"),
        "{}",
        run.stderr
    );

    let run = pillar(&["scan", "--plan", "fixtures/plans/webapp/main.tf"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Terraform configuration (HCL)"),
        "{}",
        run.stderr
    );

    let truncated = dir.path().join("plan.json");
    let full =
        std::fs::read_to_string(repo_root().join("fixtures/plans/webapp/plan.json")).expect("read");
    std::fs::write(&truncated, &full[..full.len() / 2]).expect("write");
    let run = pillar(&["scan", "--plan", &truncated.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("malformed plan JSON"), "{}", run.stderr);
    assert!(run.stderr.contains("plan.json:"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));

    let run = pillar(&[
        "scan",
        "--plan",
        "fixtures/plans/webapp/plan.json",
        "--snapshot",
        "x.json",
    ]);
    assert_eq!(run.code, 2, "--plan conflicts with --snapshot");
}
