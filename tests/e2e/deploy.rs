//! The manifests in deploy/: each parses (YAML with PyYAML from `make
//! setup`'s .venv, JSON with serde_json), has the shape the README
//! promises, carries no credential, its shell scripts pass `sh -n`, and
//! every `pillar` flag they use exists in `pillar <command> --help`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{pillar, repo_root};

fn manifests() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in ["deploy/kubernetes", "deploy/aws-batch"] {
        let dir = repo_root().join(sub);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every document of a manifest file, as JSON values.
fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("read manifest");
    if path.extension().is_some_and(|e| e == "json") {
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
        return vec![doc];
    }
    let python = repo_root().join(".venv/bin/python");
    let out = Command::new(&python)
        .args([
            "-c",
            "import json, sys, yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), sys.stdout)",
        ])
        .arg(path)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); run `make setup`, which installs PyYAML with moto",
                python.display()
            )
        });
    assert!(
        out.status.success(),
        "{}: not valid YAML:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("PyYAML's JSON")
}

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// Each `pillar <command> --flag ...` in a shell script: the command and
/// its long flags. Backslash continuations are joined; a command ends at
/// `;`, `&&`, `||`, `|` or the end of a line.
/// A shell function wrapping one (`m() { pillar merge "$@"; ... }`) counts
/// as that command wherever it is called.
fn invocations(script: &str) -> Vec<(String, BTreeSet<String>)> {
    let joined = script.replace("\\\n", " ");
    let mut aliases = Vec::new();
    for (at, _) in joined.match_indices("() { pillar ") {
        let name = joined[..at]
            .rsplit(|c: char| c.is_whitespace() || c == ';')
            .next()
            .unwrap_or_default();
        let command = joined[at + "() { pillar ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default();
        aliases.push((name.to_owned(), command.to_owned()));
    }
    let mut found = Vec::new();
    for line in joined.lines() {
        let spaced = line
            .replace("&&", " ; ")
            .replace("||", " ; ")
            .replace('|', " ; ");
        for segment in spaced.split(';') {
            let mut words: Vec<&str> = segment.split_whitespace().collect();
            if let Some((_, command)) = aliases
                .iter()
                .find(|(n, _)| words.first() == Some(&n.as_str()))
            {
                words.splice(0..1, ["pillar", command.as_str()]);
            }
            let Some(at) = words.iter().position(|w| *w == "pillar") else {
                continue;
            };
            let Some(command) = words.get(at + 1) else {
                continue;
            };
            let flags = words[at + 2..]
                .iter()
                .filter(|w| w.starts_with("--"))
                .map(|w| w.split('=').next().unwrap_or(w).to_owned())
                .collect();
            found.push(((*command).to_owned(), flags));
        }
    }
    found
}

fn help_flags(command: &str) -> BTreeSet<String> {
    let run = pillar(&[command, "--help"]);
    assert_eq!(run.code, 0, "pillar {command} --help: {}", run.stderr);
    run.stdout
        .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|w| w.starts_with("--"))
        .map(|w| w.split(['=', '<']).next().unwrap_or(w).to_owned())
        .collect()
}

#[test]
fn the_manifests_parse_carry_no_secret_and_use_only_real_flags() {
    let files = manifests();
    assert!(files.len() >= 6, "{files:?}");
    let mut used = 0;
    let mut kinds = BTreeSet::new();
    for path in &files {
        let name = path.display().to_string();
        let docs = documents(path);
        assert!(!docs.is_empty(), "{name}");
        let text = std::fs::read_to_string(path).expect("read");
        for secret in [
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SESSION_TOKEN",
            "aws_secret_access_key",
        ] {
            assert!(!text.contains(secret), "{name} names {secret}");
        }
        for doc in &docs {
            if let Some(kind) = doc["kind"].as_str() {
                kinds.insert(kind.to_owned());
            }
            let mut all = Vec::new();
            strings(doc, &mut all);
            for s in all.iter().filter(|s| s.contains("pillar ")) {
                // Only strings that are shell scripts (they run commands).
                if !["pillar scan", "pillar merge", "pillar collect"]
                    .iter()
                    .any(|c| s.contains(c))
                {
                    continue;
                }
                let check = Command::new("sh")
                    .args(["-n", "-c", s])
                    .output()
                    .expect("sh -n");
                assert!(
                    check.status.success(),
                    "{name}: shell syntax: {}",
                    String::from_utf8_lossy(&check.stderr)
                );
                for (command, flags) in invocations(s) {
                    let known = help_flags(&command);
                    for flag in flags {
                        assert!(
                            known.contains(&flag),
                            "{name}: `pillar {command} {flag}` is not in `pillar {command} --help`"
                        );
                        used += 1;
                    }
                }
            }
        }
    }
    assert!(used > 20, "the flags were found ({used})");
    for kind in [
        "CronJob",
        "ServiceAccount",
        "ConfigMap",
        "PersistentVolumeClaim",
    ] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
}

#[test]
fn the_cronjob_runs_one_indexed_pod_per_shard_with_irsa() {
    let root = repo_root().join("deploy/kubernetes");
    let cron = &documents(&root.join("cronjob.yaml"))[0];
    let job = &cron["spec"]["jobTemplate"]["spec"];
    assert_eq!(job["completionMode"], "Indexed");
    assert_eq!(job["completions"], job["parallelism"]);
    let pod = &job["template"]["spec"];
    let container = &pod["containers"][0];
    let shards = container["env"]
        .as_array()
        .expect("env")
        .iter()
        .find(|e| e["name"] == "SHARDS")
        .and_then(|e| e["value"].as_str())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("SHARDS");
    assert_eq!(
        Some(shards),
        job["completions"].as_u64(),
        "SHARDS = completions"
    );
    let script = container["args"][0].as_str().expect("script");
    assert!(script.contains("JOB_COMPLETION_INDEX + 1"), "{script}");
    assert!(script.contains("--shard \"$I/$SHARDS\""), "{script}");
    assert!(script.contains("pillar merge"), "{script}");

    let sa = &documents(&root.join("serviceaccount.yaml"))[0];
    assert_eq!(pod["serviceAccountName"], sa["metadata"]["name"]);
    assert!(
        sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
            .as_str()
            .is_some_and(|a| a.starts_with("arn:aws:iam::")),
        "IRSA"
    );
    let pvc = &documents(&root.join("pvc.yaml"))[0];
    let claims: Vec<&Value> = pod["volumes"]
        .as_array()
        .expect("volumes")
        .iter()
        .filter_map(|v| v.get("persistentVolumeClaim"))
        .collect();
    assert_eq!(claims[0]["claimName"], pvc["metadata"]["name"]);
    assert_eq!(pvc["spec"]["accessModes"][0], "ReadWriteMany");

    // The accounts file the ConfigMap carries is one pillar accepts.
    let map = &documents(&root.join("accounts-configmap.yaml"))[0];
    let accounts = map["data"]["accounts.toml"]
        .as_str()
        .expect("accounts.toml");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("accounts.toml");
    std::fs::write(&file, accounts).expect("write");
    // A shard beyond the list reads nothing, so this checks the file
    // without any AWS call.
    let out = dir.path().join("empty.json");
    let run = pillar(&[
        "collect",
        "--accounts",
        file.to_str().expect("utf-8"),
        "--shard",
        "4/4",
        "--quiet",
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn the_batch_job_uses_the_array_index_and_a_job_role() {
    let root = repo_root().join("deploy/aws-batch");
    let shard = &documents(&root.join("shard-job-definition.json"))[0];
    let props = &shard["containerProperties"];
    assert!(
        props["jobRoleArn"]
            .as_str()
            .is_some_and(|a| a.starts_with("arn:aws:iam::"))
    );
    let script = props["command"][2].as_str().expect("script");
    assert!(script.contains("AWS_BATCH_JOB_ARRAY_INDEX + 1"), "{script}");
    assert!(script.contains("--shard \"$I/$SHARDS\""), "{script}");
    let merge = &documents(&root.join("merge-job-definition.json"))[0];
    assert!(
        merge["containerProperties"]["command"][2]
            .as_str()
            .is_some_and(|s| s.contains("pillar merge"))
    );
}
