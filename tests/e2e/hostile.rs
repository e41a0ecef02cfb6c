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
    scan_with_flags(pack, format, &[])
}

fn scan_with_flags(pack: &str, format: &str, flags: &[&str]) -> crate::support::Run {
    let mut args = vec![
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
    ];
    args.extend_from_slice(flags);
    pillar(&args)
}

fn assert_stopped(pack: &str, kind: &str, says: &str) {
    assert_stopped_with(pack, &[], kind, says);
}

fn assert_stopped_with(pack: &str, flags: &[&str], kind: &str, says: &str) {
    let run = scan_with_flags(pack, "json", flags);
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

    let sarif = scan_with_flags(pack, "sarif", flags);
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

#[test]
fn sleeping_in_a_host_call() {
    assert_stopped(
        testing::SLEEPS,
        "capability-denied",
        "may not wait or sleep",
    );
}

#[test]
fn calling_exit() {
    assert_stopped(testing::EXITS, "trap", "called exit(1)");
}

#[test]
fn a_rule_id_that_reads_as_a_built_in_one() {
    assert_stopped(
        testing::LOOKALIKE_IDS,
        "bad-metadata",
        "reserved for pillar's own packs",
    );
}

#[test]
fn a_seven_megabyte_error_text() {
    assert_stopped(testing::HUGE_ERROR, "pack-error", "cut by pillar");
    let report = scan_with(testing::HUGE_ERROR, "json").stdout;
    let clean = pillar(&["scan", "--snapshot", SNAPSHOT, "--format", "json"]).stdout;
    assert!(
        report.len() < clean.len() + (16 << 10),
        "the report grew by {} bytes",
        report.len().saturating_sub(clean.len())
    );
}

#[test]
fn the_most_findings_every_call_allows_on_every_batch() {
    assert_stopped_with(
        testing::FINDINGS_FLOOD,
        &["--plugin-scan-findings-per-resource", "4"],
        "output-limit",
        "over the scan",
    );
}

/// Characters a terminal or a renderer would act on, outside JSON escapes.
fn raw_active_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn escape_sequences_and_bidi_overrides_reach_no_report_raw() {
    for format in ["text", "json", "sarif", "html"] {
        let run = scan_with(testing::CONTROL_CHARS, format);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert_eq!(
            raw_active_characters(&run.stdout),
            Vec::<char>::new(),
            "{format}"
        );
        assert!(
            run.stdout.contains("u{1b}[2J"),
            "{format}: the escape is shown, spelled out"
        );
        // JSON and SARIF would escape control characters themselves: the
        // text must already be spelled out (no \\u001b for a reader to
        // turn back into ESC).
        assert!(!run.stdout.contains("\\u001b"), "{format}");
    }
    let text = scan_with(testing::CONTROL_CHARS, "text").stdout;
    let summaries = text.lines().filter(|l| l.starts_with("Summary:")).count();
    assert_eq!(summaries, 1, "no forged summary line:\n{text}");
    assert!(
        text.contains("TEST-TEXT-001  Title\\u{1b}]0;owned\\u{7} with an escape  [third-party pack 'pillar-testing-control-chars']"),
        "a third-party rule is shown with its pack:\n{text}"
    );
}

#[test]
fn secrets_a_third_party_pack_copies_out_of_user_data_reach_no_report() {
    for format in ["text", "json", "sarif", "html"] {
        let run = scan_with(testing::COPIES_SECRETS, format);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        for secret in ["Sup3rS3cret!", "IOSFODNN7EXAMPLE"] {
            assert!(!run.stdout.contains(secret), "{format} carries {secret}");
        }
        assert!(run.stdout.contains("masked by pillar"), "{format}");
    }
    let listed = pillar(&["rules", "list", "--rules", testing::COPIES_SECRETS]);
    assert!(
        listed.stdout.contains(
            "reads sensitive attributes: aws_instance.user_data, aws_launch_template.user_data, \
             aws_launch_template.latest_user_data (third-party"
        ),
        "{}",
        listed.stdout
    );
}

/// The text report on a real terminal: tmux runs the scan in a pane, and
/// what the pane shows is what a user would read.
#[test]
fn a_hostile_message_on_a_real_terminal_is_shown_not_obeyed() {
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(args)
            .output()
            .expect("tmux is installed (make setup installs it)")
    };
    let socket = format!("pillar-e2e-{}", std::process::id());
    let binary = crate::support::binary().display().to_string();
    let cache = crate::support::cache_dir().display().to_string();
    let root = crate::support::repo_root().display().to_string();
    let script = format!(
        "cd '{root}' && PILLAR_CACHE_DIR='{cache}' '{binary}' scan --snapshot {SNAPSHOT} \
         --rules '{}' --plugin-timeout-ms 500 --fail-on never; \
         echo PILLAR-DONE; sleep 30",
        testing::CONTROL_CHARS
    );
    let started = tmux(&[
        "-L",
        &socket,
        "new-session",
        "-d",
        "-x",
        "250",
        "-y",
        "200",
        "sh",
        "-c",
        &script,
    ]);
    assert!(started.status.success(), "{:?}", started);
    let mut screen = String::new();
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let shown = tmux(&[
            "-L",
            &socket,
            "capture-pane",
            "-p",
            "-J",
            "-S",
            "-",
            "-t",
            "0",
        ]);
        screen = String::from_utf8_lossy(&shown.stdout).into_owned();
        if screen.contains("PILLAR-DONE") {
            break;
        }
    }
    let _ = tmux(&["-L", &socket, "kill-server"]);
    assert!(
        screen.contains("PILLAR-DONE"),
        "the scan finished:\n{screen}"
    );
    // A clear-screen would have wiped the report's start; a forged summary
    // would start a line of its own.
    assert!(
        screen.contains("CRITICAL") || screen.contains("HIGH"),
        "{screen}"
    );
    assert!(
        screen.contains("\\u{1b}[2J"),
        "shown, spelled out:\n{screen}"
    );
    let summaries = screen
        .lines()
        .filter(|l| l.trim_start().starts_with("Summary:"))
        .count();
    assert_eq!(summaries, 1, "{screen}");
    // The title's OSC sequence (set the window title) is shown, too.
    assert!(screen.contains("]0;owned\\u{7}"), "{screen}");
}
