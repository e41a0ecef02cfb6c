//! Broken pipes: every command that writes to standard output, piped into a
//! reader that goes away early (`pillar rules list | head -1`), stops
//! writing quietly: no panic, no message, and the exit code it has when its
//! output is read to the end.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use crate::support::{Run, command, spawn};

/// How the reader of standard output behaves.
#[derive(Debug, Clone, Copy)]
enum Reader {
    /// Reads everything (the reference run).
    All,
    /// Closes the pipe before pillar writes anything: its first write
    /// fails with EPIPE.
    ClosesAtOnce,
    /// Reads one line, then closes, as `head -1` does.
    ReadsOneLine,
}

fn run_with(args: &[String], reader: Reader) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = command(&args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = spawn(&mut cmd);
    let stdout = child.stdout.take().expect("stdout");
    match reader {
        Reader::All => child.stdout = Some(stdout),
        Reader::ClosesAtOnce => drop(stdout),
        Reader::ReadsOneLine => {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).expect("read");
        }
    }
    let out = child.wait_with_output().expect("wait for pillar");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The built-in VPC pack as a file, and the cases of the authoring
/// harness's own test, for `rules test`.
fn vpc_pack(dir: &Path) -> String {
    let pack = pillar_builtin_packs::BUILTIN
        .iter()
        .find(|p| p.file_name.contains("vpc"))
        .expect("a built-in VPC pack");
    let path = dir.join(pack.file_name);
    std::fs::write(&path, pack.bytes).expect("write the pack");
    path.display().to_string()
}

#[test]
fn a_reader_that_closes_early_ends_output_quietly() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let wasm = vpc_pack(tmp.path());
    let cases = "engine/authoring/tests/derived".to_owned();
    let commands: Vec<Vec<String>> = [
        vec!["scan"],
        vec!["scan", "--format", "json"],
        vec!["scan", "--format", "sarif"],
        vec!["scan", "--format", "html"],
        vec!["scan", "--show-unknown"],
        vec![
            "diff",
            "fixtures/demo/webshop.json",
            "fixtures/rules/builtin-cases.json",
        ],
        vec![
            "diff",
            "fixtures/demo/webshop.json",
            "fixtures/rules/builtin-cases.json",
            "--format",
            "json",
        ],
        vec!["rules", "list"],
        vec!["rules", "list", "--format", "json"],
        vec!["rules", "show", "PILLAR-EC2-001"],
        vec!["rules", "test", &wasm, "--cases", &cases],
        vec![
            "plan",
            "convert",
            "fixtures/plans/webapp/plan.json",
            "--source-dir",
            "fixtures/plans/webapp",
        ],
        vec!["--help"],
    ]
    .iter()
    .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
    .collect();
    for args in &commands {
        check(|| args.clone());
    }
    // `rules new` writes a crate, so each run gets its own directory.
    let mut n = 0;
    check(|| {
        n += 1;
        let dir = tmp.path().join(format!("new-{n}"));
        ["rules", "new", "pipe-test", "--dir"]
            .iter()
            .map(|s| (*s).to_owned())
            .chain([dir.display().to_string()])
            .collect()
    });
}

/// Runs the command `args()` gives, read to the end and then with each
/// early-closing reader.
fn check(mut args: impl FnMut() -> Vec<String>) {
    let first = args();
    let full = run_with(&first, Reader::All);
    assert!(!full.stdout.is_empty(), "{first:?} writes to stdout");
    for reader in [Reader::ClosesAtOnce, Reader::ReadsOneLine] {
        let args = args();
        let run = run_with(&args, reader);
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("Broken pipe"),
            "{args:?} with {reader:?}:\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("error"),
            "{args:?} with {reader:?}: no error message:\n{}",
            run.stderr
        );
        assert_eq!(
            run.code, full.code,
            "{args:?} with {reader:?} exits as when read to the end:\n{}",
            run.stderr
        );
    }
}
