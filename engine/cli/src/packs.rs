//! Building the host and loading packs: built-ins plus `--rules` paths.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use pillar_evaluate::{
    CompileCache, FailureKind, Host, Limits, LoadedPack, PackFailure, PackSource, Stage,
};

use crate::args::PackArgs;

pub fn host(args: &PackArgs) -> Result<Host> {
    let limits = Limits {
        call_timeout: Duration::from_millis(args.plugin_timeout_ms.max(1)),
        memory_bytes: args.plugin_memory_mb.max(1) << 20,
        ..Limits::default()
    };
    let cache = if args.no_cache {
        None
    } else {
        CompileCache::default_dir().and_then(|dir| match CompileCache::new(dir.clone()) {
            Ok(c) => Some(c),
            Err(e) => {
                // A cache is an optimisation: say why it is off and go on.
                eprintln!(
                    "pillar: warning: compile cache disabled ({}: {e})",
                    dir.display()
                );
                None
            }
        })
    };
    Ok(Host::new(limits, cache)?)
}

/// Loads the built-in packs (unless disabled) and every pack named by
/// `--rules`. A pack that cannot be read or loaded becomes a failure; the
/// rest load.
pub fn load(host: &Host, args: &PackArgs) -> Result<(Vec<LoadedPack>, Vec<PackFailure>)> {
    let mut sources = Vec::new();
    if !args.no_builtin {
        sources.extend(
            pillar_builtin_packs::BUILTIN
                .iter()
                .map(|p| PackSource::builtin(p.file_name, p.bytes)),
        );
    }
    let mut unreadable = Vec::new();
    for path in &args.rules {
        for file in expand(path)? {
            match PackSource::from_file(&file) {
                Ok(s) => sources.push(s),
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
