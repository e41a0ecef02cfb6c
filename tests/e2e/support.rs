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

/// The binary under test, copied once per build: several worktrees may
/// share one cargo target dir, and another build can replace
/// `target/debug/pillar` while these tests run. The copy lives in cargo's
/// per-target temporary directory under a name made of the binary's size
/// and modification time, so later runs of the same build reuse it and
/// nothing is left in the system's temporary directory (a `TempDir` held in
/// a static is never dropped). Copies older than a day are removed.
pub(crate) fn binary() -> &'static Path {
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    COPY.get_or_init(|| {
        let source = Path::new(env!("CARGO_BIN_EXE_pillar"));
        let meta = std::fs::metadata(source).expect("the pillar binary");
        let modified = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-pillar");
        std::fs::create_dir_all(&dir).expect("the copy's directory");
        remove_stale_copies(&dir);
        let path = dir.join(format!("pillar-{}-{modified}", meta.len()));
        if !path.exists() {
            // Copied under a private name, then renamed: a concurrent run
            // never starts a half-written binary.
            let partial = dir.join(format!(".partial-{}", std::process::id()));
            std::fs::copy(source, &partial).expect("copy the pillar binary");
            std::fs::rename(&partial, &path).expect("move the copy into place");
        }
        path
    })
}

fn remove_stale_copies(dir: &Path) {
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > day);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
