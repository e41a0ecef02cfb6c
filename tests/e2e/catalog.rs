//! The rule catalog as a user meets it: generated docs in rules/ that match
//! the packs, `pillar rules show`, and `pillar.toml` configuration.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::rules::builtin_rule_ids;
use crate::support::{pillar, repo_root};

#[test]
fn committed_rule_docs_match_the_catalog() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().display().to_string();
    let run = pillar(&["rules", "docs", "--out", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = |path: &std::path::Path| -> BTreeSet<String> {
        std::fs::read_dir(path)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md"))
            .collect()
    };
    let committed = repo_root().join("rules");
    let generated = listed(dir.path());
    assert_eq!(
        listed(&committed),
        generated,
        "rules/ holds other pages than the catalog generates"
    );
    assert_eq!(
        generated.len(),
        builtin_rule_ids().len() + 1,
        "a page per rule and README.md"
    );
    let stale: Vec<&String> = generated
        .iter()
        .filter(|name| {
            std::fs::read_to_string(dir.path().join(name)).ok()
                != std::fs::read_to_string(committed.join(name)).ok()
        })
        .collect();
    assert!(
        stale.is_empty(),
        "rules/ is stale for {stale:?}: run `cargo run -p pillar-cli -- rules docs --out rules`"
    );
}

#[test]
fn rules_show_prints_one_rules_documentation() {
    let run = pillar(&["rules", "show", "PILLAR-IAM-004"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for section in [
        "# PILLAR-IAM-004: ",
        "## Why it matters",
        "## When the verdict is unknown",
        "| `max_age_days` | integer | `90` |",
        "```hcl",
        "iam_rotate_access_key_90_days",
    ] {
        assert!(
            run.stdout.contains(section),
            "{section} missing:\n{}",
            run.stdout
        );
    }
    let missing = pillar(&["rules", "show", "PILLAR-NOPE-001"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("PILLAR-NOPE-001"),
        "{}",
        missing.stderr
    );
}

fn scan_with_config(config: &str) -> crate::support::Run {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("pillar.toml");
    std::fs::write(&path, config).expect("write config");
    pillar(&[
        "scan",
        "--snapshot",
        "fixtures/rules/builtin-cases.json",
        "--config",
        &path.display().to_string(),
        "--format",
        "json",
    ])
}

fn rule_findings(report: &Value, rule: &str) -> Vec<Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .cloned()
        .collect()
}

#[test]
fn configuration_disables_rules_overrides_severity_and_sets_parameters() {
    let base = scan_with_config("[rules.\"PILLAR-TAG-001\"]\nkeys = [\"owner\"]\n").json();
    let run = scan_with_config(
        "[rules.\"PILLAR-TAG-001\"]\nenabled = false\n\n\
         [rules.\"PILLAR-EC2-009\"]\nseverity = \"critical\"\n\n\
         [rules.\"PILLAR-RDS-008\"]\nmin_retention_days = 3\n",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert!(rule_findings(&report, "PILLAR-TAG-001").is_empty());
    assert!(report["summary"]["rules"].get("PILLAR-TAG-001").is_none());
    let ebs = rule_findings(&report, "PILLAR-EC2-009");
    assert!(!ebs.is_empty());
    assert!(
        ebs.iter()
            .filter(|f| f["verdict"] == "fail")
            .all(|f| f["severity"] == "critical")
    );
    // With a 3-day minimum the 3-day instance passes; retention 0 still fails.
    let strict: Vec<String> = rule_findings(&base, "PILLAR-RDS-008")
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .filter_map(|f| f["resource"]["id"].as_str().map(str::to_owned))
        .collect();
    let relaxed: Vec<String> = rule_findings(&report, "PILLAR-RDS-008")
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .filter_map(|f| f["resource"]["id"].as_str().map(str::to_owned))
        .collect();
    assert!(strict.iter().any(|id| id.ends_with("short-backups-db")));
    assert!(!relaxed.iter().any(|id| id.ends_with("short-backups-db")));
    assert!(relaxed.iter().any(|id| id.ends_with("no-backups-db")));
}

#[test]
fn configuration_mistakes_are_input_errors() {
    for (config, expected) in [
        (
            "[rules.\"PILLAR-XYZ-001\"]\nenabled = false\n",
            "unknown rule id \"PILLAR-XYZ-001\"",
        ),
        (
            "[rules.\"PILLAR-IAM-004\"]\nmax_age = 30\n",
            "has no parameter \"max_age\"",
        ),
        (
            "[rules.\"PILLAR-IAM-004\"]\nmax_age_days = \"soon\"\n",
            "must be of type integer",
        ),
        (
            "[rules.\"PILLAR-IAM-004\"]\nseverity = \"urgent\"\n",
            "severity must be one of",
        ),
    ] {
        let run = scan_with_config(config);
        assert_eq!(run.code, 2, "{config}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{config}: {}", run.stderr);
        assert!(
            run.stderr.contains("pillar.toml"),
            "names the file: {}",
            run.stderr
        );
    }
}

#[test]
fn frameworks_name_only_known_rules() {
    let builtin: BTreeSet<String> = builtin_rule_ids().into_iter().collect();
    let dir = repo_root().join("rules/frameworks");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .expect("rules/frameworks")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "CIS, FSBP and Well-Architected: {files:?}"
    );
    let mut problems = Vec::new();
    for path in &files {
        let name = path.file_name().expect("name").to_string_lossy();
        let text = std::fs::read_to_string(path).expect("read framework");
        let doc: toml::Table = match toml::from_str(&text) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        problems.extend(
            framework_problems(&doc, name.trim_end_matches(".toml"), &builtin)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What is wrong with one framework file (rules/frameworks/README.md gives
/// the format): its `[framework]` table, section parents, and each control's
/// fields, section, rules and status.
fn framework_problems(doc: &toml::Table, stem: &str, builtin: &BTreeSet<String>) -> Vec<String> {
    let text = |t: &toml::Table, key: &str| t.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let tables = |key: &str| -> Vec<toml::Table> {
        doc.get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|t| t.as_table().cloned()).collect())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    match doc.get("framework").and_then(|f| f.as_table()) {
        Some(f) => {
            for key in ["id", "name", "version", "source", "description"] {
                if text(f, key).is_none() {
                    problems.push(format!("[framework] has no {key}"));
                }
            }
            if text(f, "id").as_deref() != Some(stem) {
                problems.push(format!("[framework] id is not {stem:?}"));
            }
        }
        None => problems.push("needs one [framework] table".to_owned()),
    }
    let sections = tables("section");
    let section_ids: BTreeSet<String> = sections.iter().filter_map(|s| text(s, "id")).collect();
    for parent in sections.iter().filter_map(|s| text(s, "parent")) {
        if !section_ids.contains(&parent) {
            problems.push(format!("unknown parent section {parent:?}"));
        }
    }
    let controls = tables("control");
    if controls.is_empty() {
        problems.push("no [[control]]".to_owned());
    }
    let mut ids = BTreeSet::new();
    for c in &controls {
        let id = text(c, "id").unwrap_or_default();
        for key in ["id", "title", "section", "status", "description"] {
            if text(c, key).is_none() {
                problems.push(format!("control {id:?} has no {key}"));
            }
        }
        if !ids.insert(id.clone()) {
            problems.push(format!("control {id} listed twice"));
        }
        let section = text(c, "section");
        if !section.as_ref().is_some_and(|s| section_ids.contains(s)) {
            problems.push(format!("{id}'s section {section:?} is not a [[section]]"));
        }
        let list = |key: &str| -> Option<Vec<String>> {
            c.get(key)?.as_array().map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
        };
        let Some(rules) = list("rules") else {
            problems.push(format!("{id} has no rules list"));
            continue;
        };
        for rule in rules.iter().chain(list("related").iter().flatten()) {
            if !builtin.contains(rule) {
                problems.push(format!("{id} names unknown rule {rule}"));
            }
        }
        match (text(c, "status").as_deref(), rules.is_empty()) {
            (Some("covered"), false) | (Some("manual" | "not-covered"), true) => {}
            (status, _) => problems.push(format!(
                "{id} is {status:?} but names {} rules",
                rules.len()
            )),
        }
    }
    problems
}
