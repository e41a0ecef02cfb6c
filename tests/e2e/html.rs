//! The HTML report in a real browser: `pillar scan --format html`, then
//! Debian's headless Chromium driven by tests/browser/html-report.mjs
//! (playwright-core), which checks the page against its embedded data,
//! filters, sorts, expands a row and takes a screenshot.
//!
//! Node, playwright-core and chromium come from `make setup`; when one is
//! missing these tests fail saying so, they never skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{pillar, repo_root};

/// Markup planted in a snapshot's strings: shown as text or the test fails
/// (an `<img>` would request `x`, `alert` would open a dialog).
const HOSTILE: &str = "<img src=x onerror=alert(1)></script><script>alert(2)</script>";

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("html-report")
        .join(name);
    std::fs::create_dir_all(&dir).expect("create the output directory");
    dir
}

fn chromium() -> PathBuf {
    std::env::var_os("PILLAR_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Everything the browser test needs, or a failure naming `make setup`.
fn require_browser_tools() {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is not installed: the HTML report's browser test needs node >= 20 (see `make setup`)"
    );
    let playwright = repo_root().join("tests/browser/node_modules/playwright-core/package.json");
    assert!(
        playwright.is_file(),
        "{} is missing: run `make setup` (npm ci in tests/browser)",
        playwright.display()
    );
    assert!(
        chromium().is_file(),
        "{} is missing: run `make setup` (installs Debian's chromium) or set PILLAR_CHROMIUM",
        chromium().display()
    );
}

/// Writes the HTML report of `scan_args` to `dir/report.html`.
fn write_report(dir: &Path, scan_args: &[&str]) -> PathBuf {
    let report = dir.join("report.html");
    let out = report.to_str().expect("UTF-8 path");
    let mut args = vec!["scan", "--format", "html", "-o", out];
    args.extend_from_slice(scan_args);
    let run = pillar(&args);
    // 1: findings at or above --fail-on; the demo also has collection gaps.
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.contains("pillar: wrote"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "the report went to stdout too");
    report
}

/// Runs the browser script and returns its output; fails on its failure.
pub(crate) fn browse(report: &Path, screenshot: &Path, extra: &[&str]) -> String {
    require_browser_tools();
    let out = Command::new("node")
        .arg(repo_root().join("tests/browser/html-report.mjs"))
        .arg(report)
        .arg(screenshot)
        .args(extra)
        .env("PILLAR_CHROMIUM", chromium())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the browser test failed:\n{stdout}\n{stderr}"
    );
    println!("{stdout}");
    stdout
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 24,
        "not a PNG"
    );
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

pub(crate) fn check_screenshot(path: &Path) {
    let bytes = std::fs::read(path).expect("the screenshot was written");
    let (w, h) = png_size(&bytes);
    // A full page of the demo: 1400 px wide, far taller than the viewport,
    // and with enough drawn on it not to compress to nothing.
    assert!(w >= 1400 && h > 2000, "screenshot is {w}x{h}");
    assert!(
        bytes.len() > 100_000,
        "screenshot is only {} bytes",
        bytes.len()
    );
    println!(
        "screenshot: {} ({w}x{h}, {} bytes)",
        path.display(),
        bytes.len()
    );
}

#[test]
fn html_report_of_the_demo_works_in_chromium() {
    let dir = out_dir("demo");
    let report = write_report(&dir, &[]);
    let html = std::fs::read_to_string(&report).expect("read the report");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Content-Security-Policy"));
    let screenshot = dir.join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    let out = browse(&report, &screenshot, &[]);
    for step in [
        "summary:",
        "severity filter",
        "text filter",
        "sorted by severity",
        "expands to its remediation",
        "no console errors",
        "print layout hides the controls",
        "suppression {kind, justification, owner, expires} and baseline",
        "without JavaScript: summary and charts shown",
    ] {
        assert!(
            out.contains(step),
            "the browser test skipped \"{step}\":\n{out}"
        );
    }
    check_screenshot(&screenshot);
}

#[test]
fn html_report_shows_planted_markup_as_text() {
    let dir = out_dir("hostile");
    let demo = std::fs::read_to_string(repo_root().join("fixtures/demo/webshop.json"))
        .expect("read the demo");
    let mut snapshot: serde_json::Value = serde_json::from_str(&demo).expect("demo is JSON");
    let bucket = snapshot["resources"]
        .as_array_mut()
        .and_then(|rs| rs.iter_mut().find(|r| r["kind"] == "aws_s3_bucket"))
        .expect("the demo has a bucket");
    bucket["id"] = format!("arn:aws:s3:::{HOSTILE}").into();
    bucket["attributes"]["bucket"] = HOSTILE.into();
    bucket["attributes"]["tags"]["Name"] = HOSTILE.into();
    let input = dir.join("hostile.json");
    std::fs::write(&input, snapshot.to_string()).expect("write the snapshot");

    let report = write_report(&dir, &["--snapshot", input.to_str().expect("UTF-8 path")]);
    let html = std::fs::read_to_string(&report).expect("read the report");
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data closed its element"
    );
    let screenshot = dir.join("report.png");
    let out = browse(&report, &screenshot, &["--hostile", HOSTILE]);
    assert!(out.contains("planted markup shown as text"), "{out}");
}

/// The framework view of `--compliance`, in Chromium, against the JSON
/// report of the same scan.
#[test]
fn html_report_shows_the_compliance_framework_view() {
    let dir = out_dir("compliance");
    let frameworks = [
        "--compliance",
        "cis-aws-foundations-5.0",
        "--compliance",
        "aws-fsbp",
    ];
    let report = write_report(&dir, &frameworks);
    let json = dir.join("report.json");
    let mut args = vec![
        "scan",
        "--format",
        "json",
        "-o",
        json.to_str().expect("UTF-8 path"),
    ];
    args.extend_from_slice(&frameworks);
    let run = pillar(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let html = std::fs::read_to_string(&report).expect("read the report");
    assert!(html.contains(r#"id="compliance-cis-aws-foundations-5.0""#));
    let screenshot = dir.join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    let out = browse(
        &report,
        &screenshot,
        &["--compliance", json.to_str().expect("UTF-8 path")],
    );
    for framework in ["cis-aws-foundations-5.0", "aws-fsbp"] {
        assert!(
            out.contains(&format!("ok: compliance view of {framework}: ")),
            "the browser test did not check {framework}:\n{out}"
        );
    }
    check_screenshot(&screenshot);
}
