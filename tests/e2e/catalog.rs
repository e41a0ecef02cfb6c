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
    use pillar_report::pillar_compliance::{BUILTIN_FILES, builtin};
    // Every file in rules/frameworks/ is compiled in: a new file that is not
    // would be data no command reads.
    let dir = repo_root().join("rules/frameworks");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("rules/frameworks")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let embedded: Vec<&str> = BUILTIN_FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, embedded,
        "rules/frameworks/*.toml and BUILTIN_FILES"
    );
    for (name, text) in BUILTIN_FILES {
        let on_disk = std::fs::read_to_string(dir.join(name)).expect("framework file");
        assert_eq!(&on_disk, text, "{name}: the binary embeds another text");
    }
    // The loader checks the format (ids, sections, status against rules);
    // what it cannot know is which rules are built in.
    let frameworks = builtin().unwrap_or_else(|e| panic!("{e}"));
    let known: BTreeSet<String> = builtin_rule_ids().into_iter().collect();
    let mut problems = Vec::new();
    for f in frameworks {
        for c in &f.controls {
            for rule in c.rules.iter().chain(&c.related) {
                if !known.contains(rule) {
                    problems.push(format!("{}: {} names unknown rule {rule}", f.id(), c.id));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every compliance reference a loaded rule declares (the 0.2
/// `compliance-ref`, from the catalog's `best_practice` for the built-in
/// packs) names a framework pillar has and a control of it that lists the
/// rule: the packs' metadata and the framework files say the same.
#[test]
fn every_compliance_ref_names_a_known_framework_and_control() {
    let frameworks = pillar_report::pillar_compliance::builtin().unwrap_or_else(|e| panic!("{e}"));
    let json = pillar(&["rules", "list", "--format", "json"]).json();
    let mut refs = 0;
    let mut problems = Vec::new();
    for rule in json["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .flat_map(|p| p["rules"].as_array().cloned().unwrap_or_default())
    {
        let id = rule["id"].as_str().unwrap_or_default().to_owned();
        for r in rule["compliance"].as_array().cloned().unwrap_or_default() {
            refs += 1;
            let (framework, control) = (
                r["framework"].as_str().unwrap_or_default(),
                r["control"].as_str().unwrap_or_default(),
            );
            let Some(f) = frameworks.iter().find(|f| f.id() == framework) else {
                problems.push(format!("{id}: unknown framework {framework:?}"));
                continue;
            };
            match f.control(control) {
                None => problems.push(format!("{id}: {framework} has no control {control}")),
                Some(c) if !c.rules.contains(&id) => problems.push(format!(
                    "{id}: {framework} {control} does not list it in `rules`"
                )),
                Some(_) => {}
            }
        }
    }
    assert!(
        refs >= builtin_rule_ids().len(),
        "a reference per rule at least: {refs}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
