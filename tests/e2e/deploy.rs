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

/// The CronJob's own script, run as its three pods would run it (one
/// process per index, at once) against moto: the shards collect, pod 0
/// merges and scans. Only the volume paths, the poll interval and the
/// endpoint differ from the cluster.
#[test]
fn the_cronjob_script_collects_shards_merges_and_scans_against_moto() {
    use pillar_moto_harness::seed;

    let root = repo_root().join("deploy/kubernetes");
    let cron = &documents(&root.join("cronjob.yaml"))[0];
    let container = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    let env = |name: &str| {
        container["env"]
            .as_array()
            .expect("env")
            .iter()
            .find(|e| e["name"] == name)
            .and_then(|e| e["value"].as_str())
            .unwrap_or_else(|| panic!("env {name}"))
            .to_owned()
    };
    let shards: usize = env("SHARDS").parse().expect("SHARDS");

    let moto = pillar_moto_harness::private_moto();
    let accounts = ["210000000001", "210000000002", "210000000003"];
    let role = |a: &str| format!("arn:aws:iam::{a}:role/pillar-audit");
    let open = seed::block_on(async {
        let mut groups = Vec::new();
        for a in &accounts[..2] {
            let c = seed::clients_as(&moto.endpoint, "us-east-1", &role(a)).await;
            groups.push(seed::world_open_ssh(&c, "cron-ssh").await?);
        }
        Ok::<_, seed::BoxError>(groups)
    })
    .expect("seed");

    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let (results, config, bin) = (d.join("results"), d.join("config"), d.join("bin"));
    for p in [&results, &config, &bin] {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    let list: String = accounts
        .iter()
        .map(|a| {
            format!(
                "[[account]]\nid = \"{a}\"\nrole_arn = \"{}\"\nregions = [\"us-east-1\"]\n\n",
                role(a)
            )
        })
        .collect();
    std::fs::write(config.join("accounts.toml"), list).expect("write accounts");
    #[cfg(unix)]
    std::os::unix::fs::symlink(crate::support::binary(), bin.join("pillar")).expect("symlink");
    let script = container["args"][0]
        .as_str()
        .expect("script")
        .replace("/results", &results.display().to_string())
        .replace("/config", &config.display().to_string())
        .replace("sleep 30", "sleep 1");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cache = d.join("cache");
    let pods: Vec<_> = (0..shards)
        .map(|index| {
            Command::new("sh")
                .args(["-c", &script])
                .env("JOB_COMPLETION_INDEX", index.to_string())
                .env("SHARDS", shards.to_string())
                .env("RUN", "pillar-org-audit-1")
                .env("AWS_REGION", env("AWS_REGION"))
                .env("AWS_ENDPOINT_URL", &moto.endpoint)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "pillar-test-secret-never-on-disk")
                .env("AWS_CONFIG_FILE", "/nonexistent/pillar-test-config")
                .env(
                    "AWS_SHARED_CREDENTIALS_FILE",
                    "/nonexistent/pillar-test-credentials",
                )
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env_remove("AWS_PROFILE")
                .env_remove("AWS_SESSION_TOKEN")
                .env("PILLAR_CACHE_DIR", &cache)
                .env("PATH", &path)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start a pod's script")
        })
        .collect();
    for (index, pod) in pods.into_iter().enumerate() {
        let out = pod.wait_with_output().expect("pod");
        assert!(
            out.status.success(),
            "pod {index} failed: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let run = results.join("pillar-org-audit-1");
    let mut snapshots: Vec<String> = std::fs::read_dir(run.join("snapshots"))
        .expect("snapshots")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    snapshots.sort();
    assert_eq!(snapshots, accounts.map(|a| format!("{a}.json")));
    let org = pillar_snapshot::load(&run.join("org.json.zst")).expect("merged snapshot");
    assert_eq!(org.source.accounts, accounts);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("pillar.sarif")).expect("sarif"))
            .expect("SARIF JSON");
    crate::reports::assert_valid_sarif(&sarif);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("pillar.json")).expect("json"))
            .expect("report JSON");
    let failing: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .map(|f| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (s(&f["rule_id"]), s(&f["resource"]["id"]))
        })
        .collect();
    for (a, sg) in accounts.iter().zip(&open) {
        let id = format!("arn:aws:ec2:us-east-1:{a}:security-group/{sg}");
        assert!(
            failing.contains(&("PILLAR-EC2-001".to_owned(), id.clone())),
            "{id}"
        );
    }
    // Accounts of different shards have overlapping default VPCs: seen
    // because the whole organisation is scanned at once.
    let overlaps: BTreeSet<&str> = failing
        .iter()
        .filter(|(rule, _)| rule == "PILLAR-VPC-002")
        .filter_map(|(_, id)| id.split(':').nth(4))
        .collect();
    assert_eq!(overlaps, accounts.into_iter().collect());
}
