//! The weekly audit of the README, end to end against moto: scan an
//! account, accept a risk with a mute that expires, let the account change,
//! rescan against last week's report, and see what is new, what is fixed
//! and what drifted.

use std::path::Path;

use pillar_moto_harness::seed;
use pillar_moto_harness::{ACCOUNT, moto};
use serde_json::Value;

use crate::aws::scan_aws;
use crate::html::browse;
use crate::support::{Run, pillar};

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn sg_arn(id: &str) -> String {
    format!("arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/{id}")
}

fn finding<'a>(report: &'a Value, rule: &str, resource: &str) -> Option<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"]["id"] == resource)
}

#[test]
fn a_weekly_audit_sees_new_fixed_and_muted_findings() {
    let moto = moto();
    let s = seed::block_on(seed::scenario(&moto.endpoint)).expect("seed moto");
    let dir = tempfile::tempdir().expect("temp dir");
    let scan = |extra: &[&str]| -> Run { scan_aws(&moto.endpoint, extra) };

    // Week 1: the audit of record.
    let week1 = dir.path().join("week1.sarif");
    let week1_snapshot = dir.path().join("week1.json");
    let run = scan(&[
        "--format",
        "sarif",
        "-o",
        p(&week1),
        "--save-snapshot",
        p(&week1_snapshot),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);

    // During the week: a hot fix opens SSH to the world on a new group, and
    // the group that exposed PostgreSQL is deleted.
    let hotfix = seed::block_on(async {
        let c = seed::clients(&moto.endpoint, "us-east-1").await;
        let sg = seed::world_open_ssh(&c, "hotfix-ssh").await?;
        c.ec2
            .delete_security_group()
            .group_id(&s.sg_open_db)
            .send()
            .await?;
        seed::Result::Ok(sg)
    })
    .expect("change the account");

    // The team accepts the old open SSH group until 2099; an old mute of
    // the backup rule expired long ago.
    let mutes = dir.path().join("mutes.toml");
    std::fs::write(
        &mutes,
        format!(
            r#"
[[mute]]
rule = "PILLAR-EC2-001"
resource = "*security-group/{}"
reason = "bastion, reviewed in SEC-142"
owner = "alice@example.com"
expires = 2099-12-31

[[mute]]
rule = "PILLAR-RDS-002"
resource = "*"
reason = "backups replicated by hand until the migration"
owner = "bob@example.com"
expires = 2020-01-31
"#,
            s.sg_open_ssh
        ),
    )
    .expect("write mutes");

    // Week 2: only what is new fails the job.
    let week2 = dir.path().join("week2.json");
    let week2_snapshot = dir.path().join("week2-snapshot.json");
    let run = scan(&[
        "--baseline",
        p(&week1),
        "--mutes",
        p(&mutes),
        "--fail-on-new",
        "--fail-on",
        "high",
        "--format",
        "json",
        "-o",
        p(&week2),
        "--save-snapshot",
        p(&week2_snapshot),
    ]);
    assert_eq!(
        run.code, 1,
        "the new open SSH group fails the audit: {}",
        run.stderr
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&week2).expect("read")).expect("json");

    let new = finding(&report, "PILLAR-EC2-001", &sg_arn(&hotfix)).expect("the hot fix is found");
    assert_eq!(new["baseline"], "new", "{new}");
    assert!(new["suppressed"].is_null());

    let accepted = finding(&report, "PILLAR-EC2-001", &sg_arn(&s.sg_open_ssh)).expect("still open");
    assert_eq!(accepted["baseline"], "unchanged", "{accepted}");
    assert_eq!(accepted["suppressed"]["kind"], "mute");
    assert_eq!(accepted["suppressed"]["owner"], "alice@example.com");

    let fixed = report["fixed"].as_array().expect("fixed");
    assert!(
        fixed.iter().any(|g| g["rule_id"] == "PILLAR-EC2-002"
            && g["resource"] == sg_arn(&s.sg_open_db).as_str()
            && g["verified"] == true),
        "the deleted group's finding is fixed: {fixed:?}"
    );
    let expired = report["mutes"]
        .as_array()
        .expect("mutes")
        .iter()
        .find(|m| m["owner"] == "bob@example.com")
        .expect("the expired mute is reported");
    assert_eq!(expired["state"], "expired");
    assert!(expired["matched"].as_u64().is_some_and(|n| n > 0));
    assert!(
        finding(
            &report,
            "PILLAR-RDS-002",
            &format!("arn:aws:rds:us-east-1:{ACCOUNT}:db:plain-db")
        )
        .is_some_and(|f| f["suppressed"].is_null()),
        "an expired mute no longer mutes"
    );
    let summary = &report["summary"]["baseline"];
    assert!(summary["new"].as_u64().is_some_and(|n| n >= 1), "{summary}");
    assert!(
        summary["unchanged"].as_u64().is_some_and(|n| n >= 5),
        "{summary}"
    );

    // The same audit as a page for people, opened in Chromium.
    let page = dir.path().join("week2.html");
    let run = scan(&[
        "--baseline",
        p(&week1),
        "--mutes",
        p(&mutes),
        "--format",
        "html",
        "-o",
        p(&page),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let html = std::fs::read_to_string(&page).expect("read the page");
    for section in [
        r#"<section id="baseline""#,
        r#"<section id="mutes""#,
        "mute-expired",
    ] {
        assert!(html.contains(section), "the page lacks {section}");
    }
    let screenshot = dir.path().join("week2.png");
    browse(&page, &screenshot, &[]);

    // What drifted between the two audits.
    let drift = pillar(&[
        "diff",
        p(&week1_snapshot),
        p(&week2_snapshot),
        "--format",
        "json",
    ]);
    assert_eq!(drift.code, 1, "{}", drift.stderr);
    let drift = drift.json();
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(ids(&drift["resources"]["added"]).contains(&sg_arn(&hotfix)));
    assert!(ids(&drift["resources"]["removed"]).contains(&sg_arn(&s.sg_open_db)));
    assert!(
        drift["findings"]["appeared"]
            .as_array()
            .expect("appeared")
            .iter()
            .any(|f| f["rule_id"] == "PILLAR-EC2-001"
                && f["resource"]["id"] == sg_arn(&hotfix).as_str())
    );
}
