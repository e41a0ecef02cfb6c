//! Embeds the Rust SDK (plugins/sdk/src) and the contract it is built
//! against (wit/v0.2) so that `pillar rules new` can write a self-contained
//! plugin crate that builds without a pillar checkout. Every file is
//! listed, so an SDK module added later is vendored without touching this
//! crate. pillar's own rule catalog (plugins/catalog) is not the SDK's and
//! is not vendored.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The contract the SDK's bindings are generated from.
const WIT: &str = "wit/v0.2";

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let root = manifest
        .ancestors()
        .nth(2)
        .ok_or("engine/authoring is not two levels below the workspace root")?;
    let mut files = Vec::new();
    collect(
        &root.join("plugins/sdk/src"),
        "vendor/pillar-rule-sdk/src",
        &mut files,
    )?;
    // The same relative layout as in the repository, so the SDK's
    // `path: "../../wit/v0.2"` finds it in the scaffold too.
    collect(&root.join(WIT), WIT, &mut files)?;
    files.retain(|(dest, _)| dest.ends_with(".rs") || dest.ends_with(".wit"));
    files.sort();
    let mut code = String::from(
        "/// (path in the scaffold, contents) of every vendored file.\npub const VENDORED: &[(&str, &str)] = &[\n",
    );
    for (dest, src) in &files {
        println!("cargo:rerun-if-changed={}", src.display());
        let _ = writeln!(code, "    ({dest:?}, include_str!({src:?})),");
    }
    code.push_str("];\n");
    println!(
        "cargo:rerun-if-changed={}",
        root.join("plugins/sdk/src").display()
    );
    println!("cargo:rerun-if-changed={}", root.join(WIT).display());
    let out = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);
    fs::write(out.join("vendored.rs"), code).map_err(|e| format!("writing vendored.rs: {e}"))
}

fn collect(dir: &Path, dest: &str, files: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("non-UTF-8 file name in {}", dir.display()))?
            .to_owned();
        if path.is_dir() {
            collect(&path, &format!("{dest}/{name}"), files)?;
        } else {
            files.push((format!("{dest}/{name}"), path));
        }
    }
    Ok(())
}
