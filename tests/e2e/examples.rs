//! The example rule pack written in Python (plugins/examples/python-owner-tag,
//! built with componentize-py) through the real binary: `pillar rules test`
//! against its fixture, then a scan that reports its findings.

use std::path::PathBuf;

use crate::support::{pillar, repo_root, verdicts};

const EXAMPLE: &str = "plugins/examples/python-owner-tag";

fn component() -> String {
    let wasm: PathBuf = repo_root().join(EXAMPLE).join("build/owner_tag.wasm");
    assert!(
        wasm.is_file(),
        "{} is missing: build the Python example first with \
         `bash {EXAMPLE}/build.sh` (needs python3; installs componentize-py from PyPI)",
        wasm.display()
    );
    wasm.display().to_string()
}

#[test]
fn the_python_pack_passes_its_fixture_and_reports_in_a_scan() {
    let wasm = component();
    // A generous time limit: CPython starts up in every instance, and a
    // 2-core CI machine running the other tests in parallel is slow.
    let timeout = ["--plugin-timeout-ms", "60000"];
    let cases = format!("{EXAMPLE}/tests");
    let mut args = vec!["rules", "test", wasm.as_str(), "--cases", cases.as_str()];
    args.extend(timeout);
    let run = pillar(&args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("example-python-owner-tag 0.1.0"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 passed, 0 failed"), "{}", run.stdout);

    // Served from the compile cache the run above filled.
    let run = pillar(&[
        "scan",
        "--snapshot",
        &format!("{EXAMPLE}/tests/instances.snapshot.json"),
        "--rules",
        &wasm,
        "--no-builtin",
        "--format",
        "json",
        timeout[0],
        timeout[1],
    ]);
    assert_eq!(
        run.code, 1,
        "failing findings: exit 1; {}\n{}",
        run.stdout, run.stderr
    );
    let found = verdicts(&run.json());
    let expect = |id: &str, v: &str| ("PYEX-EC2-001".to_owned(), id.to_owned(), v.to_owned());
    assert_eq!(
        found,
        [
            expect(
                "arn:aws:ec2:eu-west-1:111122223333:instance/i-orphan",
                "fail"
            ),
            expect("aws_instance.batch", "unknown"),
        ]
    );
}
