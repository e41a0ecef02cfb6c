//! Building the host and loading packs: built-ins plus `--rules` paths.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use pillar_evaluate::{FailureKind, Host, LoadedPack, PackFailure, PackSource, Stage};

use crate::args::PackArgs;
use crate::plugin_config;

pub fn host(args: &PackArgs) -> Result<Host> {
    args.sandbox.host()
}

/// Loads the built-in packs (unless disabled), every pack named by
/// `--rules` and by `[plugins] paths` in pillar.toml. A pack that cannot be
/// read or loaded, or that is not pinned while pinning is on, becomes a
/// failure; the rest load. Built-in packs are part of the binary and are
/// never subject to pinning.
pub fn load(host: &Host, args: &PackArgs) -> Result<(Vec<LoadedPack>, Vec<PackFailure>)> {
    let config = plugin_config::load(args.config.as_deref())?;
    let pins = plugin_config::pins(&config, &args.require_sha256)?;
    let mut sources = Vec::new();
    if !args.no_builtin {
        sources.extend(
            pillar_builtin_packs::BUILTIN
                .iter()
                .map(|p| PackSource::builtin(p.file_name, p.bytes)),
        );
    }
    let mut extra = Vec::new();
    let mut unreadable = Vec::new();
    for path in config.paths.iter().chain(&args.rules) {
        for file in expand(path)? {
            match PackSource::from_file(&file) {
                Ok(s) => extra.push(s),
                Err(e) => unreadable.push(PackFailure {
                    pack: file
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    origin: file.display().to_string(),
                    stage: Stage::Load,
                    kind: FailureKind::Invalid,
                    message: format!("cannot read {}: {e}", file.display()),
                }),
            }
        }
    }
    if let Some(pins) = &pins {
        let (allowed, refused) = plugin_config::enforce(extra, pins);
        extra = allowed;
        unreadable.extend(refused);
    }
    sources.extend(extra);
    let (packs, mut failures) = host.load_all(&sources);
    failures.splice(0..0, unreadable);
    Ok((packs, failures))
}

/// A `--rules` path: a file as is, a directory as its `*.wasm` files in
/// name order. A path that does not exist is a usage error.
fn expand(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).with_context(|| format!("--rules {}", path.display()))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("--rules {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    if files.is_empty() {
        anyhow::bail!(
            "--rules {}: the directory holds no .wasm files",
            path.display()
        );
    }
    Ok(files)
}
