//! A third party's workflow, end to end: `pillar rules new` scaffolds a
//! crate, cargo builds it for wasm32-wasip2, `pillar rules test` passes it
//! (and fails it, with a diff, when the expectation is wrong), a real scan
//! reports its finding with provenance, and pinning refuses it unless its
//! sha256 is pinned.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{Run, pillar};

/// Scaffolded and built once per test run: the crate and its component.
struct Built {
    dir: PathBuf,
    wasm: PathBuf,
    _tmp: tempfile::TempDir,
}

fn pillar_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pillar"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env(
            "PILLAR_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-cache"),
        )
        .output()
        .expect("run pillar");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let parent = tmp.path().display().to_string();
        let run = pillar(&["rules", "new", "e2e-tags", "--dir", &parent]);
        assert_eq!(run.code, 0, "rules new: {}", run.stderr);
        assert!(run.stdout.contains("rule E2E-TAGS-001"), "{}", run.stdout);
        let dir = tmp.path().join("e2e-tags");
        // A target dir that outlives the temp crate, so reruns reuse the
        // compiled wit-bindgen and serde.
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scaffold-target");
        let target = target.display().to_string();
        // `rules test DIR` builds the crate with cargo, then tests it.
        let run = pillar_in(
            &dir,
            &["rules", "test", "."],
            &[("CARGO_TARGET_DIR", &target)],
        );
        assert_eq!(
            run.code, 0,
            "rules test of the fresh scaffold:\n{}\n{}",
            run.stdout, run.stderr
        );
        assert!(
            run.stdout.contains("PASS  buckets (3 findings)"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("1 passed, 0 failed"), "{}", run.stdout);
        let wasm = Path::new(&target).join("wasm32-wasip2/release/e2e_tags.wasm");
        assert!(wasm.is_file(), "{} was built", wasm.display());
        Built {
            dir,
            wasm,
            _tmp: tmp,
        }
    })
}

fn scan_json(args: &[&str]) -> (i32, Value, String) {
    let built = built();
    let snapshot = built.dir.join("tests/buckets.snapshot.json");
    let mut all = vec![
        "scan",
        "--snapshot",
        snapshot.to_str().expect("utf-8 path"),
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    all.extend_from_slice(args);
    let run = pillar(&all);
    let doc = if run.stdout.trim().is_empty() {
        Value::Null
    } else {
        run.json()
    };
    (run.code, doc, run.stderr)
}

fn rule_findings<'a>(doc: &'a Value, rule: &str) -> Vec<&'a str> {
    let mut ids: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .filter_map(|f| f["resource"]["id"].as_str())
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_scaffolded_rule_changes_the_findings_of_a_real_scan() {
    let wasm = built().wasm.to_str().expect("utf-8 path");
    let (_, without, _) = scan_json(&[]);
    assert!(rule_findings(&without, "E2E-TAGS-001").is_empty());
    let (code, with, stderr) = scan_json(&["--rules", wasm]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        rule_findings(&with, "E2E-TAGS-001"),
        [
            "arn:aws:s3:::acme-exports",
            "arn:aws:s3:::acme-scratch",
            "aws_s3_bucket.reports"
        ]
    );
    // Provenance: the pack is listed with the hash of the very file loaded.
    let sha = hex::encode(Sha256::digest(std::fs::read(wasm).expect("wasm")));
    let pack = with["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["name"] == "e2e-tags")
        .expect("pack listed");
    assert_eq!(pack["sha256"], sha.as_str());
    assert_eq!(pack["contract"], "0.2.0");
}

#[test]
fn a_wrong_expectation_fails_with_a_diff() {
    let built = built();
    let cases = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        built.dir.join("tests/buckets.snapshot.json"),
        cases.path().join("buckets.snapshot.json"),
    )
    .expect("copy snapshot");
    // Claims acme-invoices fails and forgets acme-scratch.
    let expected = std::fs::read_to_string(built.dir.join("tests/buckets.expected.json"))
        .expect("expected")
        .replace("acme-scratch", "acme-invoices");
    std::fs::write(cases.path().join("buckets.expected.json"), expected).expect("write");
    let run = pillar(&[
        "rules",
        "test",
        built.wasm.to_str().expect("utf-8"),
        "--cases",
        cases.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("FAIL  buckets"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("- missing    fail     E2E-TAGS-001         arn:aws:s3:::acme-invoices"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("+ unexpected fail     E2E-TAGS-001         arn:aws:s3:::acme-scratch"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("0 passed, 1 failed"), "{}", run.stdout);
}

#[test]
fn an_unpinned_plugin_is_refused_when_pinning_is_on() {
    let wasm = built().wasm.to_str().expect("utf-8 path");
    let actual = hex::encode(Sha256::digest(std::fs::read(wasm).expect("wasm")));
    let other = "0".repeat(64);
    let (code, doc, stderr) = scan_json(&["--rules", wasm, "--require-sha256", &other]);
    assert_eq!(code, 3, "a refused pack is a gap: {stderr}");
    let failure = &doc["failures"][0];
    assert_eq!(failure["kind"], "unpinned", "{failure:#}");
    let message = failure["message"].as_str().expect("message");
    assert!(
        message.contains(wasm) && message.contains(&actual),
        "{message}"
    );
    assert!(rule_findings(&doc, "E2E-TAGS-001").is_empty());
    let loaded: Vec<&str> = doc["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        loaded.contains(&"pillar-ec2") && !loaded.contains(&"e2e-tags"),
        "built-in packs still run, the unpinned one does not: {loaded:?}"
    );

    let (code, doc, stderr) = scan_json(&["--rules", wasm, "--require-sha256", &actual]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rule_findings(&doc, "E2E-TAGS-001").len(), 3);
}

#[test]
fn pillar_toml_lists_plugins_and_pins_them() {
    let wasm = built().wasm.to_str().expect("utf-8 path");
    let actual = hex::encode(Sha256::digest(std::fs::read(wasm).expect("wasm")));
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("pillar.toml");
    let write = |pins: &str| {
        std::fs::write(
            &config,
            format!("[plugins]\npaths = [{wasm:?}]\nrequire_sha256 = true\nsha256 = [{pins}]\n"),
        )
        .expect("write config")
    };
    let config_arg = config.to_str().expect("utf-8");

    write("");
    let (code, doc, _) = scan_json(&["--config", config_arg]);
    assert_eq!(code, 3);
    assert_eq!(doc["failures"][0]["kind"], "unpinned");

    write(&format!("{actual:?}"));
    let (code, doc, stderr) = scan_json(&["--config", config_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rule_findings(&doc, "E2E-TAGS-001").len(), 3);

    std::fs::write(&config, "[plugins]\nsha256 = [\"abc\"]\n").expect("write");
    let (code, _, stderr) = scan_json(&["--config", config_arg]);
    assert_eq!(code, 2);
    assert!(stderr.contains("64 hex digits"), "{stderr}");
}
