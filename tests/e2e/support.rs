//! Running the binary from the repository root with a private compile cache.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// One compile cache per test run, so each pack compiles once and the
/// user's own cache is never touched.
pub(crate) fn cache_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn pillar(args: &[&str]) -> Run {
    run(&mut command(args))
}

/// The binary under test, copied once per run: several worktrees may share
/// one cargo target dir, and another build can replace `target/debug/pillar`
/// while these tests run.
pub(crate) fn binary() -> &'static Path {
    static COPY: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = COPY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("pillar");
        std::fs::copy(env!("CARGO_BIN_EXE_pillar"), &path).expect("copy the pillar binary");
        (dir, path)
    });
    path
}

/// The binary with `args`, from the repository root, with the test cache.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(args)
        .current_dir(repo_root())
        .env("PILLAR_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1");
    cmd
}

/// Retries what starts the binary while it is "text file busy" (ETXTBSY,
/// 26): a fresh copy can be, briefly, while a process forked by another
/// test still holds the copy's write handle.
fn retrying<T>(mut start: impl FnMut() -> std::io::Result<T>) -> T {
    let mut attempt = 0;
    loop {
        match start() {
            Err(e) if e.raw_os_error() == Some(26) && attempt < 20 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => break other.expect("run pillar"),
        }
    }
}

/// Starts the binary without waiting for it.
pub fn spawn(cmd: &mut Command) -> Child {
    retrying(|| cmd.spawn())
}

pub fn run(cmd: &mut Command) -> Run {
    let out: Output = retrying(|| cmd.output());
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// (rule id, resource id, verdict) for every finding of a JSON report.
pub fn verdicts(report: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_owned(),
                f["resource"]["id"].as_str().unwrap_or_default().to_owned(),
                f["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}
