//! Many accounts against moto: an accounts file, shards run as concurrent
//! processes, `pillar merge` of their outputs against a single scan, one
//! account whose role cannot be assumed, and per-account snapshots.
//!
//! moto (5.1.22) grants every sts:AssumeRole, so the refused account is
//! refused by the fault proxy in front of it, which answers that account's
//! AssumeRole with AccessDenied, as AWS does when the role's trust policy
//! does not admit the caller.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use pillar_moto_harness::http::{self, Canned, Fault};
use pillar_moto_harness::seed;
use serde_json::Value;

use crate::aws::pillar_aws;
use crate::support::{Run, pillar, verdicts};

const ALPHA: &str = "111111111111";
const BRAVO: &str = "222222222222";
const CHARLIE: &str = "333333333333";
const DELTA: &str = "444444444444";
/// The account whose role the proxy refuses.
const DENIED: &str = "555555555555";

fn role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/pillar-audit")
}

/// The accounts list, deliberately not in id order.
fn accounts_toml() -> String {
    let mut text = String::new();
    for (id, name) in [
        (DENIED, "denied"),
        (CHARLIE, "charlie"),
        (ALPHA, "alpha"),
        (DELTA, "delta"),
        (BRAVO, "bravo"),
    ] {
        text.push_str(&format!(
            "[[account]]\nid = \"{id}\"\nname = \"{name}\"\nrole_arn = \"{}\"\nregions = [\"us-east-1\"]\n\n",
            role(id)
        ));
    }
    // One account with an external id of its own (the others get
    // --external-id).
    text.replace(
        "name = \"charlie\"\n",
        "name = \"charlie\"\nexternal_id = \"charlie-audit\"\n",
    )
}

/// Different violations in each account; returns the failing
/// (rule, resource) pairs of the EC2 and RDS rules that were seeded.
fn seed_accounts(endpoint: &str) -> BTreeSet<(String, String)> {
    seed::block_on(async {
        let mut expected = BTreeSet::new();
        let ssh = |account: &str, sg: &str| {
            (
                "PILLAR-EC2-001".to_owned(),
                format!("arn:aws:ec2:us-east-1:{account}:security-group/{sg}"),
            )
        };
        let db = |rule: &str, account: &str, name: &str| {
            (
                rule.to_owned(),
                format!("arn:aws:rds:us-east-1:{account}:db:{name}"),
            )
        };
        let alpha = seed::clients_as(endpoint, "us-east-1", &role(ALPHA)).await;
        let sg = seed::world_open_ssh(&alpha, "alpha-ssh").await?;
        expected.insert(ssh(ALPHA, &sg));

        let bravo = seed::clients_as(endpoint, "us-east-1", &role(BRAVO)).await;
        seed::db_instance(&bravo, "bravo-plain", false, None).await?;
        expected.insert(db("PILLAR-RDS-001", BRAVO, "bravo-plain"));
        expected.insert(db("PILLAR-RDS-002", BRAVO, "bravo-plain"));

        let charlie = seed::clients_as(endpoint, "us-east-1", &role(CHARLIE)).await;
        let sg = seed::world_open_ssh(&charlie, "charlie-ssh").await?;
        expected.insert(ssh(CHARLIE, &sg));
        seed::db_instance(&charlie, "charlie-enc", true, None).await?;
        expected.insert(db("PILLAR-RDS-002", CHARLIE, "charlie-enc"));
        // DELTA keeps moto's defaults only.
        Ok::<_, seed::BoxError>(expected)
    })
    .expect("seed the accounts")
}

fn seeded_subset(report: &Value) -> BTreeSet<(String, String)> {
    verdicts(report)
        .into_iter()
        .filter(|(rule, _, verdict)| {
            verdict == "fail"
                && (rule.starts_with("PILLAR-EC2-00") || rule.starts_with("PILLAR-RDS-00"))
        })
        .filter(|(rule, _, _)| {
            ["PILLAR-EC2-001", "PILLAR-RDS-001", "PILLAR-RDS-002"].contains(&rule.as_str())
        })
        .map(|(rule, id, _)| (rule, id))
        .collect()
}

/// The one built-in rule that compares accounts with each other.
const CROSS_ACCOUNT: &str = "PILLAR-VPC-002";

type Findings = BTreeSet<(String, String, String, String)>;

/// (findings of the cross-account rule, all others).
fn split(findings: Findings) -> (Findings, Findings) {
    findings.into_iter().partition(|f| f.0 == CROSS_ACCOUNT)
}

fn without_cross(stats: &Value) -> Value {
    let mut stats = stats.clone();
    if let Some(map) = stats.as_object_mut() {
        map.remove(CROSS_ACCOUNT);
    }
    stats
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (rule, resource, verdict, fingerprint) of a JSON report's findings.
fn json_findings(report: &Value) -> Findings {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (
                s(&f["rule_id"]),
                s(&f["resource"]["id"]),
                s(&f["verdict"]),
                s(&f["fingerprint"]),
            )
        })
        .collect()
}

/// (rule, resource, kind, level, fingerprint) of a SARIF log's results.
fn sarif_results(log: &Value) -> BTreeSet<(String, String, String, String, String)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (
                s(&r["ruleId"]),
                s(&r["properties"]["resource"]),
                s(&r["kind"]),
                s(&r["level"]),
                s(&r["partialFingerprints"]["pillarFinding/v1"]),
            )
        })
        .collect()
}

fn gap_set(gaps: &Value) -> BTreeSet<String> {
    gaps.as_array()
        .into_iter()
        .flatten()
        .map(Value::to_string)
        .collect()
}

fn sarif_rule_ids(log: &Value) -> BTreeSet<String> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn shards_merged_equal_one_scan_of_every_account_and_a_refused_role_is_a_gap() {
    let moto = pillar_moto_harness::private_moto();
    let expected = seed_accounts(&moto.endpoint);
    let (proxy, refused) = http::fault_proxy(
        &moto.endpoint,
        vec![Fault {
            // The query protocol's form body: RoleArn=arn%3Aaws%3Aiam%3A%3A<account>...
            matching: format!("iam%3A%3A{DENIED}%3Arole"),
            times: usize::MAX,
            response: Canned::query_error(403, "AccessDenied"),
        }],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let file = d.join("accounts.toml");
    std::fs::write(&file, accounts_toml()).expect("write accounts");
    // The same list as [[account]] tables in a pillar.toml, next to a rule
    // setting every scan below shares (--accounts wins over the tables).
    let config = d.join("pillar.toml");
    std::fs::write(
        &config,
        format!(
            "[rules.\"PILLAR-EC2-001\"]\nseverity = \"critical\"\n\n{}",
            accounts_toml()
        ),
    )
    .expect("write config");

    let aws = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "scan",
            "--aws",
            "--endpoint-url",
            &proxy,
            "--region",
            "us-east-1",
            "--quiet",
            "--external-id",
            "acme-audit",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let run_owned = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        pillar_aws(&refs)
    };

    // (a) One process, every account: JSON through --accounts, SARIF
    // through the config's [[account]] tables.
    let single_json = d.join("single.json");
    let single_sarif = d.join("single.sarif");
    let (json_run, sarif_run) = std::thread::scope(|s| {
        let j = s.spawn(|| {
            run_owned(aws(&[
                "--accounts",
                path(&file),
                "--config",
                path(&config),
                "--parallel-accounts",
                "3",
                "--max-calls",
                "6",
                "--fail-on",
                "never",
                "--format",
                "json",
                "--output",
                path(&single_json),
            ]))
        });
        let r = s.spawn(|| {
            run_owned(aws(&[
                "--config",
                path(&config),
                "--format",
                "sarif",
                "--output",
                path(&single_sarif),
            ]))
        });
        (j.join().expect("json scan"), r.join().expect("sarif scan"))
    });
    assert_eq!(
        json_run.code, 3,
        "gaps (the refused account), no threshold; stderr:\n{}",
        json_run.stderr
    );
    assert_eq!(sarif_run.code, 1, "findings; stderr:\n{}", sarif_run.stderr);
    assert!(
        refused.load(Ordering::SeqCst) >= 2,
        "the proxy refused the role"
    );
    for label in [
        "account 111111111111 (alpha)",
        "account 444444444444 (delta)",
    ] {
        assert!(
            json_run.stderr.contains(&format!("collected {label}")),
            "progress per account: {label}\n{}",
            json_run.stderr
        );
    }
    assert!(
        json_run.stderr.contains("4 of 5 account(s) read, 1 failed"),
        "{}",
        json_run.stderr
    );
    let single = read_json(&single_json);
    assert_eq!(
        seeded_subset(&single),
        expected,
        "every account's violations"
    );
    assert_eq!(
        single["source"]["accounts"],
        serde_json::json!([ALPHA, BRAVO, CHARLIE, DELTA])
    );
    // (d) The refused account is a gap naming it; the others are complete.
    let refused_gaps: Vec<&Value> = single["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .filter(|g| g["account"] == DENIED)
        .collect();
    assert_eq!(refused_gaps.len(), 1, "{refused_gaps:?}");
    assert_eq!(refused_gaps[0]["operation"], "sts:AssumeRole");
    assert_eq!(refused_gaps[0]["reason"], "access-denied");
    let message = refused_gaps[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("account 555555555555 (denied)") && message.contains("AccessDenied"),
        "{message}"
    );
    assert!(
        single["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["resource"]["account"] != DENIED)
    );
    let single_log = read_json(&single_sarif);
    crate::reports::assert_valid_sarif(&single_log);
    assert_eq!(
        sarif_results(&single_log)
            .iter()
            .map(|r| (r.0.clone(), r.4.clone()))
            .collect::<BTreeSet<_>>(),
        json_findings(&single)
            .iter()
            .map(|f| (f.0.clone(), f.3.clone()))
            .collect::<BTreeSet<_>>(),
        "the SARIF and JSON scans found the same"
    );

    // (b) Three shards, each a JSON and a SARIF process, all six at once,
    // each JSON shard also writing per-account snapshots.
    let snaps = d.join("snaps");
    let shard_runs: Vec<_> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for i in 1..=3 {
            for format in ["json", "sarif"] {
                let out = d.join(format!("shard-{i}.{format}"));
                let shard = format!("{i}/3");
                let mut args = aws(&[
                    "--accounts",
                    path(&file),
                    "--config",
                    path(&config),
                    "--shard",
                    &shard,
                    "--format",
                    format,
                    "--output",
                    path(&out),
                ]);
                if format == "json" {
                    args.extend(
                        ["--fail-on", "never", "--snapshot-dir", path(&snaps)].map(str::to_owned),
                    );
                }
                handles.push(s.spawn(move || (shard, format, run_owned(args))));
            }
        }
        handles
            .into_iter()
            .map(|h| h.join().expect("shard"))
            .collect()
    });
    for (shard, format, run) in &shard_runs {
        // 3 with --fail-on never (every shard has moto's DescribeAlarms
        // gap, aws.rs MOTO_LACKS_CBOR; shard 2/3 also the refused
        // account), 1 with findings at the default threshold.
        let expected: &[i32] = match *format {
            "json" => &[3],
            _ => &[1],
        };
        assert!(
            expected.contains(&run.code),
            "shard {shard} {format}: exit {}; stderr:\n{}",
            run.code,
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("shard {shard}:")),
            "{}",
            run.stderr
        );
    }
    // Sorted ids 111, 222, 333, 444, 555: shard 1 has 111 and 444.
    let shard1 = read_json(&d.join("shard-1.json"));
    assert_eq!(
        shard1["source"]["accounts"],
        serde_json::json!([ALPHA, DELTA])
    );

    // (c) Merged shards equal the single scan for every rule that judges
    // one account at a time. PILLAR-VPC-002 compares accounts with each
    // other (overlapping CIDRs across accounts): in a shard it sees that
    // shard's accounts only, so its merged findings are a subset. The
    // snapshot route below (merge the snapshots, scan once) has them all.
    let merged_json = d.join("merged.json");
    let merge = merge_files(
        None,
        &merged_json,
        d,
        &["shard-3.json", "shard-1.json", "shard-2.json"],
    );
    assert_eq!(
        merge.code, 3,
        "gaps carried over; stderr:\n{}",
        merge.stderr
    );
    assert!(
        merge.stderr.contains("compare accounts") && merge.stderr.contains("--format snapshot"),
        "the merge says what it cannot see: {}",
        merge.stderr
    );
    let merged = read_json(&merged_json);
    let (cross_merged, rest_merged) = split(json_findings(&merged));
    let (cross_single, rest_single) = split(json_findings(&single));
    assert_eq!(rest_merged, rest_single);
    assert!(cross_merged.is_subset(&cross_single));
    assert!(
        cross_merged.len() < cross_single.len(),
        "overlaps between shards are only in the single scan"
    );
    for key in ["unknown", "suppressed", "complete"] {
        assert_eq!(
            merged["summary"][key], single["summary"][key],
            "summary.{key}"
        );
    }
    assert_eq!(
        single["summary"]["failed"].as_u64().unwrap_or(0)
            - merged["summary"]["failed"].as_u64().unwrap_or(0),
        (cross_single.len() - cross_merged.len()) as u64
    );
    assert_eq!(
        without_cross(&merged["summary"]["rules"]),
        without_cross(&single["summary"]["rules"])
    );
    assert_eq!(merged["resources"], single["resources"]);
    assert_eq!(merged["source"]["accounts"], single["source"]["accounts"]);
    assert_eq!(gap_set(&merged["gaps"]), gap_set(&single["gaps"]));
    // Canonical order: the same merge in another input order is identical.
    let again = d.join("merged-again.json");
    let merge = merge_files(
        Some("json"),
        &again,
        d,
        &["shard-1.json", "shard-2.json", "shard-3.json"],
    );
    assert_eq!(merge.code, 3, "stderr:\n{}", merge.stderr);
    assert_eq!(
        std::fs::read_to_string(&merged_json).expect("read"),
        std::fs::read_to_string(&again).expect("read")
    );

    let merged_sarif = d.join("merged.sarif");
    let merge = merge_files(
        Some("sarif"),
        &merged_sarif,
        d,
        &["shard-2.sarif", "shard-1.sarif", "shard-3.sarif"],
    );
    assert_eq!(merge.code, 3, "stderr:\n{}", merge.stderr);
    let log = read_json(&merged_sarif);
    crate::reports::assert_valid_sarif(&log);
    let same_account = |log: &Value| {
        sarif_results(log)
            .into_iter()
            .filter(|r| r.0 != CROSS_ACCOUNT)
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(same_account(&log), same_account(&single_log));
    assert_eq!(sarif_rule_ids(&log), sarif_rule_ids(&single_log));
    let notes = |l: &Value| gap_set(&l["runs"][0]["invocations"][0]["toolExecutionNotifications"]);
    assert_eq!(notes(&log), notes(&single_log));
    assert_eq!(
        without_cross(&log["runs"][0]["properties"]["ruleStats"]),
        without_cross(&single_log["runs"][0]["properties"]["ruleStats"])
    );
    for r in log["runs"][0]["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][i]["id"],
            r["ruleId"]
        );
    }

    // (f) The per-account snapshots: private, one per account (the refused
    // one holds its gap), and they re-scan to the same findings.
    let mut written: Vec<String> = std::fs::read_dir(&snaps)
        .expect("snapshot dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [ALPHA, BRAVO, CHARLIE, DELTA, DENIED].map(|a| format!("{a}.json"))
    );
    let mut rescanned = BTreeSet::new();
    for name in &written {
        let snap = snaps.join(name);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&snap).expect("stat").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
        let text = std::fs::read_to_string(&snap).expect("read");
        assert!(!text.contains("pillar-test-secret-never-on-disk"), "{name}");
        let run = pillar_aws(&[
            "scan",
            "--snapshot",
            path(&snap),
            "--format",
            "json",
            "--fail-on",
            "never",
        ]);
        assert!([0, 3].contains(&run.code), "{name}: {}", run.stderr);
        let report = run.json();
        rescanned.extend(verdicts(&report));
        if name.starts_with(DENIED) {
            assert!(report["findings"].as_array().is_some_and(Vec::is_empty));
            assert_eq!(run.code, 3, "the refusal is still a gap");
        }
    }
    let single_verdicts: BTreeSet<_> = verdicts(&single).into_iter().collect();
    let one_account_at_a_time: BTreeSet<_> = single_verdicts
        .iter()
        .filter(|v| v.0 != CROSS_ACCOUNT)
        .cloned()
        .collect();
    assert_eq!(rescanned, one_account_at_a_time);

    // The snapshot route: merge the per-account snapshots, scan once, and
    // the result is the single scan's, cross-account rule included.
    let all = d.join("all.json.zst");
    let mut args = vec!["merge", "--format", "snapshot", "--output", path(&all)];
    let files: Vec<String> = written
        .iter()
        .map(|n| path(&snaps.join(n)).to_owned())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let merge = pillar(&args);
    assert_eq!(merge.code, 3, "stderr:\n{}", merge.stderr);
    let run = pillar_aws(&[
        "scan",
        "--snapshot",
        path(&all),
        "--config",
        path(&config),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(run.code, 3, "stderr:\n{}", run.stderr);
    let report = run.json();
    assert_eq!(json_findings(&report), json_findings(&single));
    for key in [
        "failed",
        "unknown",
        "suppressed",
        "by_severity",
        "failing_at_threshold",
        "complete",
        "rules",
    ] {
        assert_eq!(
            report["summary"][key], single["summary"][key],
            "summary.{key}"
        );
    }
    assert_eq!(report["source"]["accounts"], single["source"]["accounts"]);
    assert_eq!(gap_set(&report["gaps"]), gap_set(&single["gaps"]));
}
#[test]
fn collect_with_an_accounts_file_writes_per_account_snapshots_and_exits_3_on_a_refusal() {
    let moto = pillar_moto_harness::private_moto();
    seed_accounts(&moto.endpoint);
    let (proxy, _) = http::fault_proxy(
        &moto.endpoint,
        vec![Fault {
            matching: format!("iam%3A%3A{DENIED}%3Arole"),
            times: usize::MAX,
            response: Canned::query_error(403, "AccessDenied"),
        }],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("accounts.toml");
    let only = format!(
        "[[account]]\nid = \"{ALPHA}\"\nrole_arn = \"{}\"\n\n[[account]]\nid = \"{DENIED}\"\nrole_arn = \"{}\"\n",
        role(ALPHA),
        role(DENIED)
    );
    std::fs::write(&file, only).expect("write");
    let snaps = dir.path().join("out");
    let run = pillar_aws(&[
        "collect",
        "--endpoint-url",
        &proxy,
        "--region",
        "us-east-1",
        "--quiet",
        "--accounts",
        path(&file),
        "--snapshot-dir",
        path(&snaps),
    ]);
    assert_eq!(
        run.code, 3,
        "a refused account is a gap, not an abort; stderr:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("account 555555555555"),
        "{}",
        run.stderr
    );
    let alpha = pillar_snapshot::load(&snaps.join(format!("{ALPHA}.json"))).expect("alpha");
    assert_eq!(alpha.source.accounts, [ALPHA]);
    assert!(
        alpha
            .resources
            .iter()
            .any(|r| r.kind == "aws_security_group")
    );
    let denied = pillar_snapshot::load(&snaps.join(format!("{DENIED}.json"))).expect("denied");
    assert!(denied.resources.is_empty());
    assert_eq!(denied.gaps.len(), 1);
    assert_eq!(denied.gaps[0].account.as_deref(), Some(DENIED));

    // An account listed with the wrong id: the identity check refuses it.
    let wrong = format!(
        "[[account]]\nid = \"{BRAVO}\"\n\n[[account]]\nid = \"{ALPHA}\"\nrole_arn = \"{}\"\n",
        role(ALPHA)
    );
    std::fs::write(&file, wrong).expect("write");
    let out = dir.path().join("wrong.json");
    let run = pillar_aws(&[
        "collect",
        "--endpoint-url",
        &moto.endpoint,
        "--region",
        "us-east-1",
        "--quiet",
        "--accounts",
        path(&file),
        "--output",
        path(&out),
    ]);
    assert_eq!(run.code, 3, "stderr:\n{}", run.stderr);
    let snap = pillar_snapshot::load(&out).expect("load");
    assert_eq!(snap.source.accounts, [ALPHA]);
    let gap = snap
        .gaps
        .iter()
        .find(|g| g.account.as_deref() == Some(BRAVO))
        .expect("a gap naming the mislisted account");
    assert!(gap.message.contains("not 222222222222"), "{}", gap.message);

    // A shard with no account left: an empty, complete result.
    let run = pillar_aws(&[
        "collect",
        "--endpoint-url",
        &moto.endpoint,
        "--quiet",
        "--accounts",
        path(&file),
        "--shard",
        "3/3",
        "--output",
        path(&out),
    ]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
    let snap = pillar_snapshot::load(&out).expect("load");
    assert!(snap.resources.is_empty() && snap.source.accounts.is_empty());
}

#[test]
fn bad_accounts_files_shards_and_merges_are_input_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let typo = d.join("typo.toml");
    std::fs::write(&typo, "[[account]]\nid = \"111111111111\"\nrole = \"x\"\n").expect("write");
    let config = d.join("pillar.toml");
    std::fs::write(
        &config,
        "[[account]]\nid = \"111111111111\"\nexternal = \"x\"\n",
    )
    .expect("write");
    let good = d.join("good.toml");
    std::fs::write(&good, "[[account]]\nid = \"111111111111\"\n").expect("write");
    let out = d.join("out.json");
    for (args, says) in [
        (
            vec!["collect", "--accounts", path(&typo), "-o", path(&out)],
            vec!["typo.toml", "unknown field `role`"],
        ),
        (
            vec!["collect", "--config", path(&config), "-o", path(&out)],
            vec!["pillar.toml", "unknown field `external`"],
        ),
        (
            vec![
                "collect",
                "--accounts",
                path(&good),
                "--shard",
                "0/3",
                "-o",
                path(&out),
            ],
            vec!["--shard", "numbered from 1 to 3"],
        ),
        (
            vec![
                "collect",
                "--accounts",
                path(&good),
                "--shard",
                "4/3",
                "-o",
                path(&out),
            ],
            vec!["numbered from 1 to 3"],
        ),
        (
            vec!["scan", "--aws", "--accounts", path(&good), "--shard", "1/0"],
            vec!["at least 1"],
        ),
        (
            vec![
                "scan",
                "--aws",
                "--accounts",
                path(&good),
                "--shard",
                "half",
            ],
            vec!["write I/N"],
        ),
        (
            vec!["collect", "--shard", "1/2", "-o", path(&out)],
            vec!["--shard splits an accounts list"],
        ),
        (vec!["collect", "--accounts", path(&good)], vec!["--output"]),
        (
            vec![
                "collect",
                "--accounts",
                path(&good),
                "--assume-role",
                "arn:aws:iam::111111111111:role/x",
                "-o",
                path(&out),
            ],
            vec!["cannot be used with"],
        ),
    ] {
        let run = pillar_aws(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        for s in says {
            assert!(
                run.stderr.contains(s),
                "{args:?} should say {s:?}:\n{}",
                run.stderr
            );
        }
        assert!(!out.exists(), "{args:?} wrote nothing");
    }

    // A pillar.toml with [[account]] tables still configures an offline scan.
    std::fs::write(&config, "[[account]]\nid = \"111111111111\"\n").expect("write");
    let run = pillar(&["scan", "--config", path(&config), "--format", "json"]);
    assert_eq!(run.code, 1, "the demo's findings: {}", run.stderr);

    // Merging: mixed kinds, a conflicting rule, a changed resource.
    let json = d.join("demo.json");
    let sarif = d.join("demo.sarif");
    for (format, file) in [("json", &json), ("sarif", &sarif)] {
        let run = pillar(&["scan", "--format", format, "--output", path(file)]);
        assert_eq!(run.code, 1, "{}", run.stderr);
    }
    let merged = d.join("merged.json");
    let mixed = pillar(&["merge", "-o", path(&merged), path(&json), path(&sarif)]);
    assert_eq!(mixed.code, 2, "{}", mixed.stderr);
    assert!(
        mixed.stderr.contains("demo.sarif") && mixed.stderr.contains("one kind"),
        "{}",
        mixed.stderr
    );
    let wrong_format = pillar(&[
        "merge",
        "--format",
        "snapshot",
        "-o",
        path(&merged),
        path(&json),
    ]);
    assert_eq!(wrong_format.code, 2, "{}", wrong_format.stderr);
    assert!(
        wrong_format.stderr.contains("not a pillar snapshot"),
        "{}",
        wrong_format.stderr
    );

    let text = std::fs::read_to_string(&sarif).expect("read");
    let changed = d.join("changed.sarif");
    std::fs::write(
        &changed,
        text.replacen("\"precision\": \"high\"", "\"precision\": \"low\"", 1),
    )
    .expect("write");
    let conflict = pillar(&["merge", "-o", path(&merged), path(&sarif), path(&changed)]);
    assert_eq!(conflict.code, 2, "{}", conflict.stderr);
    assert!(
        conflict.stderr.contains("rule PILLAR-")
            && conflict.stderr.contains("demo.sarif")
            && conflict.stderr.contains("changed.sarif"),
        "{}",
        conflict.stderr
    );

    let demo = crate::support::repo_root().join("fixtures/demo/webshop.json");
    let demo_text = std::fs::read_to_string(&demo).expect("read demo");
    let mut doc: Value = serde_json::from_str(&demo_text).expect("demo json");
    doc["resources"][0]["attributes"]["pillar_test"] = Value::Bool(true);
    let edited = d.join("edited.json");
    std::fs::write(&edited, doc.to_string()).expect("write");
    let conflict = pillar(&["merge", "-o", path(&merged), path(&demo), path(&edited)]);
    assert_eq!(conflict.code, 2, "{}", conflict.stderr);
    assert!(
        conflict.stderr.contains("resource ") && conflict.stderr.contains("edited.json"),
        "{}",
        conflict.stderr
    );
    assert!(!merged.exists(), "nothing written on error");
    let not_json = pillar(&["merge", "-o", path(&merged), path(&typo)]);
    assert_eq!(not_json.code, 2);
    assert!(
        not_json.stderr.contains("typo.toml: not JSON"),
        "{}",
        not_json.stderr
    );
}

/// `pillar merge [--format FORMAT] --output OUT DIR/NAME...`.
fn merge_files(format: Option<&str>, out: &Path, dir: &Path, names: &[&str]) -> Run {
    let inputs: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let mut args = vec!["merge", "--output", path(out)];
    if let Some(f) = format {
        args.extend(["--format", f]);
    }
    args.extend(inputs.iter().map(|p| path(p)));
    pillar(&args)
}
