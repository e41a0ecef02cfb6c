//! `pillar rules test`: runs one built pack against fixture cases and
//! compares its findings with the expected ones written beside them.
//!
//! A case is `<dir>/<case>.snapshot.json` (a snapshot in the resource model)
//! plus `<dir>/<case>.expected.json`:
//!
//! ```json
//! {"findings": [{"rule_id": "ACME-S3-001", "resource_id": "arn:aws:s3:::logs", "verdict": "fail"}]}
//! ```
//!
//! Every finding the pack emits must be listed and every listed finding
//! emitted; a resource with no entry must pass. Messages and evidence are
//! not compared: they may be reworded without breaking a test.
//!
//! A case runs through the same pipeline as `pillar scan`
//! ([`pillar_scan::Scan`]): derived attributes are computed, and the
//! project's configuration (rule parameters, disabled rules) applies, so a
//! pack behaves in its tests as it will in production.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pillar_evaluate::PackFailure;
use pillar_scan::{Scan, ScanOptions};
use serde::{Deserialize, Serialize};

use crate::AuthoringError;

/// One expected or actual finding, compared as a whole.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub rule_id: String,
    pub resource_id: String,
    /// `fail` or `unknown`.
    pub verdict: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFile {
    findings: Vec<Verdict>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub snapshot: PathBuf,
    pub expected: PathBuf,
}

#[derive(Debug)]
pub enum CaseOutcome {
    Pass {
        findings: usize,
    },
    Mismatch {
        missing: Vec<Verdict>,
        unexpected: Vec<Verdict>,
    },
    /// The case could not be run, or the pack failed on it.
    Error(String),
}

/// The cases in `dir`, by name. No case at all is an error: a test run that
/// checks nothing must not pass.
pub fn discover(dir: &Path) -> Result<Vec<Case>, AuthoringError> {
    let entries = std::fs::read_dir(dir).map_err(|e| AuthoringError::io(dir, e))?;
    let mut cases: Vec<Case> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|path| {
            let file = path.file_name()?.to_str()?;
            let name = file.strip_suffix(".snapshot.json")?.to_owned();
            let expected = dir.join(format!("{name}.expected.json"));
            Some(Case {
                name,
                snapshot: path,
                expected,
            })
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    if cases.is_empty() {
        return Err(AuthoringError::Cases(format!(
            "no test cases in {}: add <case>.snapshot.json and <case>.expected.json",
            dir.display()
        )));
    }
    Ok(cases)
}

/// Runs `scan` (the pack under test, with the project's configuration)
/// over one case.
pub fn run_case(scan: &Scan, case: &Case) -> CaseOutcome {
    let snapshot = match pillar_snapshot::load(&case.snapshot) {
        Ok(s) => s,
        Err(e) => return CaseOutcome::Error(e.to_string()),
    };
    let outcome = match scan.run(snapshot, &ScanOptions::default()) {
        Ok(o) => o,
        Err(e) => return CaseOutcome::Error(e.to_string()),
    };
    let (snapshot, eval) = (&outcome.snapshot, &outcome.evaluation);
    if !eval.failures.is_empty() {
        let failures: Vec<String> = eval.failures.iter().map(PackFailure::to_string).collect();
        return CaseOutcome::Error(failures.join("\n"));
    }
    let actual: BTreeSet<Verdict> = eval
        .findings
        .iter()
        .map(|f| Verdict {
            rule_id: f.rule_id.clone(),
            resource_id: snapshot.resources[f.resource].id.clone(),
            verdict: match f.verdict {
                pillar_evaluate::Verdict::Fail => "fail",
                pillar_evaluate::Verdict::Unknown => "unknown",
            }
            .to_owned(),
        })
        .collect();
    let expected = match read_expected(&case.expected) {
        Ok(e) => e,
        Err(message) => {
            // Show what the pack produced, ready to be reviewed and saved.
            let got = ExpectedFile {
                findings: actual.into_iter().collect(),
            };
            let json = serde_json::to_string_pretty(&got).unwrap_or_default();
            return CaseOutcome::Error(format!("{message}\nthe pack produced:\n{json}"));
        }
    };
    if actual == expected {
        CaseOutcome::Pass {
            findings: actual.len(),
        }
    } else {
        CaseOutcome::Mismatch {
            missing: expected.difference(&actual).cloned().collect(),
            unexpected: actual.difference(&expected).cloned().collect(),
        }
    }
}

fn read_expected(path: &Path) -> Result<BTreeSet<Verdict>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: ExpectedFile =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(bad) = file
        .findings
        .iter()
        .find(|v| v.verdict != "fail" && v.verdict != "unknown")
    {
        return Err(format!(
            "{}: verdict {:?} for {}; use \"fail\" or \"unknown\" (a passing resource is simply not listed)",
            path.display(),
            bad.verdict,
            bad.resource_id
        ));
    }
    Ok(file.findings.into_iter().collect())
}

/// Builds the plugin crate in `dir` for wasm32-wasip2 (release) with the
/// `cargo` on PATH and returns the component it produced.
pub fn build_crate(dir: &Path) -> Result<PathBuf, AuthoringError> {
    let manifest = dir.join("Cargo.toml");
    let fail = |message: String| AuthoringError::Build {
        dir: dir.to_owned(),
        message,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--release", "--target", "wasm32-wasip2"])
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(&manifest)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| fail(format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(fail(format!(
            "cargo build failed ({}); is the target installed? `rustup target add wasm32-wasip2`",
            output.status
        )));
    }
    let manifest = manifest
        .canonicalize()
        .map_err(|e| AuthoringError::io(&manifest, e))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let wasm = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| m["manifest_path"].as_str().map(Path::new) == Some(manifest.as_path()))
        .flat_map(|m| {
            m["filenames"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|f| f.as_str().map(PathBuf::from))
        })
        .find(|f| f.extension().is_some_and(|e| e == "wasm"));
    wasm.ok_or_else(|| {
        fail("cargo built no .wasm: is the crate's crate-type [\"cdylib\", \"rlib\"]?".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_files_refuse_typos_and_pass_verdicts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.expected.json");
        std::fs::write(
            &path,
            r#"{"findings":[{"rule_id":"A","resource_id":"r","verdict":"pass"}]}"#,
        )
        .expect("write");
        assert!(
            read_expected(&path)
                .expect_err("pass")
                .contains("not listed")
        );
        std::fs::write(
            &path,
            r#"{"findings":[{"rule":"A","resource_id":"r","verdict":"fail"}]}"#,
        )
        .expect("write");
        assert!(read_expected(&path).expect_err("typo").contains("rule"));
    }

    #[test]
    fn cases_are_found_by_their_snapshot_and_none_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(discover(dir.path()).is_err());
        std::fs::write(dir.path().join("b.snapshot.json"), "{}").expect("write");
        std::fs::write(dir.path().join("a.snapshot.json"), "{}").expect("write");
        let names: Vec<String> = discover(dir.path())
            .expect("cases")
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }
}
