//! Hostile packs through the real CLI: each is stopped and named, the scan
//! completes, the built-in findings are unchanged, and SARIF reports the gap.

use serde_json::Value;

use pillar_test_packs as testing;

use crate::reports::assert_valid_sarif;
use crate::support::{pillar, verdicts};

const SNAPSHOT: &str = "fixtures/rules/builtin-cases.json";

fn baseline() -> Vec<(String, String, String)> {
    verdicts(&pillar(&["scan", "--snapshot", SNAPSHOT, "--format", "json"]).json())
}

fn scan_with(pack: &str, format: &str) -> crate::support::Run {
    pillar(&[
        "scan",
        "--snapshot",
        SNAPSHOT,
        "--format",
        format,
        "--rules",
        pack,
        "--plugin-timeout-ms",
        "500",
        "--plugin-memory-mb",
        "32",
        "--fail-on",
        "never",
    ])
}

fn assert_stopped(pack: &str, kind: &str, says: &str) {
    let run = scan_with(pack, "json");
    assert_eq!(
        run.code, 3,
        "a stopped pack is a gap: exit 3; stderr: {}",
        run.stderr
    );
    let doc = run.json();
    let failures = doc["failures"].as_array().expect("failures");
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert_eq!(failures[0]["kind"], kind, "{:#}", failures[0]);
    let message = failures[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(says),
        "{message:?} should contain {says:?}"
    );
    assert!(
        failures[0]["pack"]
            .as_str()
            .is_some_and(|p| p.contains("testing")),
        "the pack is named"
    );
    assert_eq!(
        verdicts(&doc),
        baseline(),
        "the built-in packs' findings are complete"
    );
    assert_eq!(doc["summary"]["complete"], false);

    let sarif = scan_with(pack, "sarif");
    let doc: Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    assert_valid_sarif(&doc);
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notes
            .iter()
            .any(|n| n["descriptor"]["id"] == "pillar/pack-failure"
                && n["properties"]["kind"] == kind)
    );
}

#[test]
fn infinite_loop() {
    assert_stopped(testing::INFINITE_LOOP, "timeout", "time limit of 500 ms");
}

#[test]
fn memory_bomb() {
    assert_stopped(
        testing::MEMORY_BOMB,
        "memory-limit",
        "memory limit of 32 MiB",
    );
}

#[test]
fn output_flood() {
    assert_stopped(
        testing::OUTPUT_FLOOD,
        "output-limit",
        "findings for a batch",
    );
}

#[test]
fn trap() {
    assert_stopped(testing::TRAP, "trap", "rule pack bug");
}

#[test]
fn reads_environment() {
    assert_stopped(
        testing::READS_ENV,
        "capability-denied",
        "environment variables",
    );
}

#[test]
fn reads_file() {
    assert_stopped(testing::READS_FILE, "capability-denied", "open files");
}

#[test]
fn wrong_contract_version() {
    assert_stopped(
        testing::WRONG_VERSION,
        "incompatible-version",
        "pillar:rules@9.0.0",
    );
}

#[test]
fn a_directory_of_packs_loads_every_component_and_reports_each_failure() {
    let dir = tempfile::tempdir().expect("temp");
    for (i, p) in [testing::TRAP, testing::WRONG_VERSION].iter().enumerate() {
        std::fs::copy(p, dir.path().join(format!("{i}-pack.wasm"))).expect("copy");
    }
    std::fs::write(dir.path().join("2-junk.wasm"), b"junk").expect("junk");
    let run = scan_with(&dir.path().display().to_string(), "json");
    assert_eq!(run.code, 3, "{}", run.stderr);
    let doc = run.json();
    let kinds: Vec<&str> = doc["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    for k in ["trap", "incompatible-version", "invalid"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    assert_eq!(verdicts(&doc), baseline());
}
