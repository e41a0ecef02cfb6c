//! Bad input: a clear error that says where, exit code 2, never a panic.

use crate::support::pillar;

fn assert_input_error(args: &[&str], says: &[&str]) {
    let run = pillar(args);
    assert_eq!(run.code, 2, "exit 2 for {args:?}; stderr: {}", run.stderr);
    for s in says {
        assert!(
            run.stderr.contains(s),
            "stderr for {args:?} should contain {s:?}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("panicked"), "no panic: {}", run.stderr);
}

#[test]
fn malformed_snapshot_json_names_the_file_line_and_column() {
    assert_input_error(
        &["scan", "--snapshot", "fixtures/rules/malformed.json"],
        &[
            "fixtures/rules/malformed.json:5:",
            "malformed snapshot JSON",
            "expected",
        ],
    );
}

#[test]
fn a_missing_snapshot_is_named() {
    assert_input_error(
        &["scan", "--snapshot", "fixtures/nope.json"],
        &["fixtures/nope.json"],
    );
}

#[test]
fn a_terraform_plan_passed_as_a_snapshot_is_explained() {
    let dir = tempfile::tempdir().expect("temp");
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format_version":"1.2","terraform_version":"1.9.0","resource_changes":[]}"#,
    )
    .expect("write");
    let path = plan.display().to_string();
    assert_input_error(&["scan", "--snapshot", &path], &[&path]);
}

#[test]
fn a_newer_snapshot_format_is_refused_by_version() {
    let dir = tempfile::tempdir().expect("temp");
    let snap = dir.path().join("v9.json");
    std::fs::write(&snap, r#"{"format_version":9,"source":{},"resources":[]}"#).expect("write");
    assert_input_error(
        &["scan", "--snapshot", &snap.display().to_string()],
        &["format version 9 is not supported"],
    );
}

#[test]
fn usage_errors_exit_two() {
    assert_input_error(&["scan", "--format", "xml"], &["xml"]);
    assert_input_error(&["scan", "--rules", "no/such/dir"], &["no/such/dir"]);
    assert_input_error(&["scan", "--no-builtin"], &["no rule packs"]);
}
