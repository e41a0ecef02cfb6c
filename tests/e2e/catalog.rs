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

/// One `[[section]]` or `[[control]]` (or the `[framework]` table) of a
/// framework file: its string and string-list values by key.
#[derive(Default)]
struct FrameworkTable {
    line: usize,
    strings: std::collections::BTreeMap<String, String>,
    lists: std::collections::BTreeMap<String, Vec<String>>,
}

/// Reads the subset of TOML that rules/frameworks/README.md allows: table
/// headers, `key = "string"`, `key = ["a", "b"]` on one line, `key = true`,
/// comments and blank lines. (The e2e crate has no TOML parser; the README's
/// "Format" section keeps the files inside this subset.)
fn framework_tables(text: &str) -> Result<Vec<(String, FrameworkTable)>, String> {
    fn string_at(s: &str) -> Result<(String, &str), String> {
        let body = s.strip_prefix('"').ok_or("expected a string")?;
        let mut out = String::new();
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((out, &body[i + 1..])),
                '\\' => match chars.next() {
                    Some((_, '"')) => out.push('"'),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, 'n')) => out.push('\n'),
                    other => return Err(format!("unsupported escape {other:?}")),
                },
                c => out.push(c),
            }
        }
        Err("unterminated string".into())
    }
    let mut tables: Vec<(String, FrameworkTable)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = |e: String| format!("line {}: {e}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line
            .strip_prefix("[[")
            .and_then(|l| l.strip_suffix("]]"))
            .or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
        {
            let table = FrameworkTable {
                line: n + 1,
                ..FrameworkTable::default()
            };
            tables.push((name.to_owned(), table));
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .ok_or_else(|| at(format!("not `key = value`: {line}")))?;
        let (_, table) = tables
            .last_mut()
            .ok_or_else(|| at("key before any table".into()))?;
        if value.starts_with('"') {
            let (s, rest) = string_at(value).map_err(at)?;
            if !rest.trim().is_empty() {
                return Err(at(format!("trailing text after {key}'s string")));
            }
            table.strings.insert(key.to_owned(), s);
        } else if let Some(inner) = value.strip_prefix('[') {
            let mut items = Vec::new();
            let mut rest = inner.trim_start();
            while !rest.starts_with(']') {
                let (s, after) = string_at(rest).map_err(at)?;
                items.push(s);
                let after = after.trim_start();
                rest = after.strip_prefix(',').unwrap_or(after).trim_start();
                if rest.is_empty() {
                    return Err(at(format!("{key}'s list must close on its line")));
                }
            }
            table.lists.insert(key.to_owned(), items);
        } else if value != "true" && value != "false" {
            return Err(at(format!("{key}: only strings, string lists, booleans")));
        }
    }
    Ok(tables)
}

/// Every compliance framework in rules/frameworks/ names only built-in rules,
/// calls a control `covered` exactly when it names some, and files each
/// control once under a section that exists.
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
        let tables = match framework_tables(&text) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        let framework: Vec<_> = tables.iter().filter(|(k, _)| k == "framework").collect();
        let stem = name.trim_end_matches(".toml");
        match framework.as_slice() {
            [(_, f)] => {
                for key in ["id", "name", "version", "source", "description"] {
                    if !f.strings.contains_key(key) {
                        problems.push(format!("{name}: [framework] has no {key}"));
                    }
                }
                if f.strings.get("id").map(String::as_str) != Some(stem) {
                    problems.push(format!("{name}: [framework] id is not {stem:?}"));
                }
            }
            _ => problems.push(format!("{name}: needs exactly one [framework]")),
        }
        let sections: BTreeSet<&str> = tables
            .iter()
            .filter(|(k, _)| k == "section")
            .filter_map(|(_, t)| t.strings.get("id").map(String::as_str))
            .collect();
        for (_, t) in tables.iter().filter(|(k, _)| k == "section") {
            if let Some(parent) = t.strings.get("parent") {
                if !sections.contains(parent.as_str()) {
                    problems.push(format!("{name}:{}: unknown parent {parent:?}", t.line));
                }
            }
        }
        let mut ids = BTreeSet::new();
        let controls: Vec<_> = tables.iter().filter(|(k, _)| k == "control").collect();
        if controls.is_empty() {
            problems.push(format!("{name}: no [[control]]"));
        }
        for (_, c) in controls {
            let at = format!("{name}:{}", c.line);
            for key in ["id", "title", "section", "status", "description"] {
                if !c.strings.contains_key(key) {
                    problems.push(format!("{at}: control has no {key}"));
                }
            }
            let id = c.strings.get("id").cloned().unwrap_or_default();
            if !ids.insert(id.clone()) {
                problems.push(format!("{at}: control {id} listed twice"));
            }
            let section = c.strings.get("section").map(String::as_str);
            if !section.is_some_and(|s| sections.contains(s)) {
                problems.push(format!(
                    "{at}: {id}'s section {section:?} is not a [[section]]"
                ));
            }
            let Some(rules) = c.lists.get("rules") else {
                problems.push(format!("{at}: {id} has no rules list"));
                continue;
            };
            for rule in rules
                .iter()
                .chain(c.lists.get("related").into_iter().flatten())
            {
                if !builtin.contains(rule) {
                    problems.push(format!("{at}: {id} names unknown rule {rule}"));
                }
            }
            match (
                c.strings.get("status").map(String::as_str),
                rules.is_empty(),
            ) {
                (Some("covered"), false) | (Some("manual" | "not-covered"), true) => {}
                (status, _) => problems.push(format!(
                    "{at}: {id} is {status:?} but names {} rules",
                    rules.len()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
