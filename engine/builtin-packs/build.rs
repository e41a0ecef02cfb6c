//! Builds every rule pack in `plugins/` for `wasm32-wasip2` and generates
//! `$OUT_DIR/packs.rs`: the built-in packs as embedded bytes, and the hostile
//! test packs as file paths for the sandbox tests.
//!
//! The nested build gets its own target directory under `OUT_DIR`, so it
//! never contends for the outer build's lock, and it drops the outer
//! `RUSTFLAGS` (coverage or `target-cpu` flags would break a wasm build).

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip2";

fn main() {
    if let Err(message) = run() {
        // A build script reports failure by exiting non-zero with a message.
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let root = manifest_dir
        .ancestors()
        .nth(2)
        .ok_or("engine/builtin-packs is not two levels below the workspace root")?
        .to_path_buf();
    let plugins = root.join("plugins");
    let out_dir = PathBuf::from(env_var("OUT_DIR")?);
    // Several checkouts (git worktrees) sharing one CARGO_TARGET_DIR share
    // this OUT_DIR too: cargo's hash for a path package does not include
    // its location. A nested target dir per checkout keeps one checkout's
    // packs from being taken as fresh builds of another's, and watching PWD
    // reruns this script when cargo is started from another checkout.
    let mut checkout = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut checkout);
    let wasm_target_dir = out_dir.join(format!("wasm-target-{:016x}", checkout.finish()));

    watch(&plugins)?;
    println!("cargo:rerun-if-changed={}", root.join("wit").display());
    // The built-in packs' metadata is generated from the rule catalog.
    println!(
        "cargo:rerun-if-changed={}",
        root.join("rules/catalog.toml").display()
    );
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=PWD");

    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .args(["--release", "--workspace", "--target", TARGET])
        .arg("--manifest-path")
        .arg(plugins.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&wasm_target_dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    if env::var_os("CI").is_some() {
        cmd.arg("--locked");
    }
    let status = cmd
        .status()
        .map_err(|e| format!("could not run cargo to build plugins/: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building plugins/ for {TARGET} failed ({status}). Is the target installed? \
             Run `rustup target add {TARGET}`."
        ));
    }

    let built = wasm_target_dir.join(TARGET).join("release");
    let mut builtin = Vec::new();
    let mut testing = Vec::new();
    let entries = fs::read_dir(&built).map_err(|e| format!("reading {}: {e}", built.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.extension().is_none_or(|e| e != "wasm") {
            continue;
        }
        if let Some(name) = stem.strip_prefix("pillar_pack_") {
            builtin.push((name.to_owned(), path));
        } else if let Some(name) = stem.strip_prefix("pillar_testing_") {
            testing.push((name.to_owned(), path));
        }
    }
    builtin.sort();
    testing.sort();
    if builtin.is_empty() {
        return Err(format!(
            "no pillar_pack_*.wasm was built in {}",
            built.display()
        ));
    }

    let mut code = String::new();
    code.push_str(
        "/// The built-in rule packs, embedded in the binary.\npub const BUILTIN: &[Pack] = &[\n",
    );
    for (name, path) in &builtin {
        let _ = writeln!(
            code,
            "    Pack {{ file_name: \"pillar_pack_{name}.wasm\", bytes: include_bytes!({path:?}) }},"
        );
    }
    code.push_str("];\n\n/// Hostile packs for sandbox tests, as paths to built components.\npub mod testing {\n");
    for (name, path) in &testing {
        let _ = writeln!(
            code,
            "    pub const {}: &str = {path:?};",
            name.to_uppercase()
        );
    }
    code.push_str("}\n");
    fs::write(out_dir.join("packs.rs"), code).map_err(|e| format!("writing packs.rs: {e}"))?;
    Ok(())
}

/// Reruns this script when any source of the plugins workspace changes
/// (its own `target/`, if someone built there by hand, is not a source).
fn watch(plugins: &Path) -> Result<(), String> {
    for entry in fs::read_dir(plugins).map_err(|e| format!("reading {}: {e}", plugins.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Ok(())
}

fn env_var(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("{name} is not set; run this through cargo"))
}
