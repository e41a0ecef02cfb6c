//! Used by the build scripts of `pillar-builtin-packs` (the packs that ship)
//! and `pillar-test-packs` (the hostile packs only tests load): builds a
//! chosen set of packages of the `plugins/` workspace for `wasm32-wasip2`,
//! the way wasmtime's `test-programs/artifacts` builds its guests.
//!
//! - The nested cargo gets its own target directory under `OUT_DIR`, so it
//!   never contends for the outer build's lock, and the outer `RUSTFLAGS`
//!   are dropped (coverage or `target-cpu` flags would break a wasm build).
//! - Only the named packages are built (`-p`), so a release build of the
//!   CLI compiles no test pack.
//! - The caller's build script is rerun only when a file the guests were
//!   built from changes: every source listed in their dep-info (`.d`)
//!   files, plus the manifests and inputs the caller names.

use std::env;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TARGET: &str = "wasm32-wasip2";

/// A guest build: which packages, and what else to watch.
pub struct Guests<'a> {
    /// The repository root (holds `plugins/` and `wit/`).
    pub root: &'a Path,
    /// Cargo package names in the plugins workspace.
    pub packages: &'a [String],
    /// A short name for the nested target directory, e.g. `builtin`.
    pub label: &'a str,
}

/// One built component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Component {
    /// The artifact's file stem, e.g. `pillar_pack_ec2`.
    pub stem: String,
    pub path: PathBuf,
}

impl Guests<'_> {
    /// Builds the packages and returns their components, sorted by stem.
    pub fn build(&self) -> Result<Vec<Component>, String> {
        let plugins = self.root.join("plugins");
        let target_dir = self.target_dir()?;
        // Several checkouts (git worktrees) sharing one CARGO_TARGET_DIR
        // share OUT_DIR too: cargo's hash for a path package does not
        // include its location. Watching PWD reruns the script when cargo
        // is started from another checkout (see `target_dir`).
        println!("cargo:rerun-if-env-changed=CI");
        println!("cargo:rerun-if-env-changed=PWD");
        for manifest in ["Cargo.toml", "Cargo.lock"] {
            watch(&plugins.join(manifest));
        }

        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--release", "--target", TARGET])
            .arg("--manifest-path")
            .arg(plugins.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTC_WORKSPACE_WRAPPER");
        for p in self.packages {
            cmd.args(["-p", p]);
        }
        if env::var_os("CI").is_some() {
            cmd.arg("--locked");
        }
        let status = cmd
            .status()
            .map_err(|e| format!("could not run cargo to build plugins/: {e}"))?;
        if !status.success() {
            return Err(format!(
                "building {} for {TARGET} failed ({status}). Is the target installed? \
                 Run `rustup target add {TARGET}`.",
                self.packages.join(", ")
            ));
        }

        let built = target_dir.join(TARGET).join("release");
        let wanted: Vec<String> = self.packages.iter().map(|p| p.replace('-', "_")).collect();
        let mut components = Vec::new();
        for stem in &wanted {
            let path = built.join(format!("{stem}.wasm"));
            if !path.is_file() {
                // A library-only package (shared code) has no component.
                continue;
            }
            watch_dep_info(&built.join(format!("{stem}.d")), &target_dir)?;
            components.push(Component {
                stem: stem.clone(),
                path,
            });
        }
        components.sort();
        Ok(components)
    }

    /// `$OUT_DIR/wasm-<label>-<hash of the checkout>`: one nested target per
    /// checkout, so one worktree's packs are never taken as fresh builds of
    /// another's.
    fn target_dir(&self) -> Result<PathBuf, String> {
        let out_dir = PathBuf::from(env_var("OUT_DIR")?);
        let mut checkout = std::collections::hash_map::DefaultHasher::new();
        self.root.hash(&mut checkout);
        Ok(out_dir.join(format!("wasm-{}-{:016x}", self.label, checkout.finish())))
    }
}

/// Runs a build script's body: a build script reports failure by exiting
/// non-zero with a message.
pub fn main(run: fn() -> Result<(), String>) {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// Writes generated Rust source to `$OUT_DIR/<file>`.
pub fn write_generated(file: &str, code: &str) -> Result<(), String> {
    let out = PathBuf::from(env_var("OUT_DIR")?);
    std::fs::write(out.join(file), code).map_err(|e| format!("writing {file}: {e}"))
}

/// The repository root, two levels above the calling crate's manifest.
pub fn repository_root() -> Result<PathBuf, String> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    manifest_dir
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .ok_or_else(|| "the crate is not two levels below the repository root".to_owned())
}

/// The package names of the plugins workspace members under `dir`
/// (relative to `plugins/`), read from each member's `Cargo.toml`.
pub fn packages_under(root: &Path, dir: &str) -> Result<Vec<String>, String> {
    let base = root.join("plugins").join(dir);
    watch(&base);
    let mut names = Vec::new();
    let entries = fs::read_dir(&base).map_err(|e| format!("reading {}: {e}", base.display()))?;
    for entry in entries {
        let manifest = entry.map_err(|e| e.to_string())?.path().join("Cargo.toml");
        if let Some(name) = package_name(&manifest)? {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The `name` in a manifest's `[package]` table (`None` if there is no
/// manifest). A line scan is enough for the manifests of this repository
/// and keeps build scripts free of a TOML parser.
fn package_name(manifest: &Path) -> Result<Option<String>, String> {
    let Ok(text) = fs::read_to_string(manifest) else {
        return Ok(None);
    };
    watch(manifest);
    let name = text
        .lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| l.trim().strip_prefix("name = "))
        .map(|n| n.trim_matches('"').to_owned());
    name.map(Some)
        .ok_or_else(|| format!("{}: no [package] name", manifest.display()))
}

/// Reruns the build script when `path` (a file or directory) changes.
pub fn watch(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}

/// Watches every source a component was built from, as its dep-info file
/// (`<target>: <dep> <dep>…`, spaces in paths escaped) lists them. Files
/// the nested build generated itself (under `target_dir`, e.g. the rule
/// catalog) are outputs, not sources: they are newer than this script's
/// start, and watching them would rerun it on every build.
fn watch_dep_info(d: &Path, target_dir: &Path) -> Result<(), String> {
    let text = fs::read_to_string(d).map_err(|e| format!("reading {}: {e}", d.display()))?;
    for line in text.lines() {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        for dep in split_escaped(deps) {
            let dep = Path::new(&dep);
            if !dep.starts_with(target_dir) {
                watch(dep);
            }
        }
    }
    Ok(())
}

/// Splits a dep-info list on unescaped spaces (`\ ` is a space in a path).
fn split_escaped(deps: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ' ' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn env_var(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("{name} is not set; run this through cargo"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_paths_keep_escaped_spaces() {
        assert_eq!(
            split_escaped("/a/b.rs /c\\ d/e.rs  /f.wit"),
            ["/a/b.rs", "/c d/e.rs", "/f.wit"]
        );
    }
}
