//! Which packs a scan runs: the built-in packs the caller embeds, the
//! project's `[plugins] paths` and the caller's extra paths, with pinning.

use std::path::{Path, PathBuf};

use pillar_evaluate::{FailureKind, Host, LoadedPack, PackFailure, PackSource, Stage};

use crate::ScanError;
use crate::project::{Project, plugins};

/// What to load besides the project's `[plugins]`.
#[derive(Debug, Default)]
pub struct PackRequest<'a> {
    /// The built-in packs (empty with `--no-builtin`). The binary embeds
    /// them; this crate does not, so that the harness of third-party packs
    /// does not build pillar's own.
    pub builtin: Vec<PackSource>,
    /// Extra packs: component files, or directories of `*.wasm` files.
    pub extra: &'a [PathBuf],
    /// Pins given on the command line (`--require-sha256`).
    pub require_sha256: &'a [String],
}

/// The packs that loaded, and those that did not (each with why).
#[derive(Default)]
pub struct Packs {
    pub loaded: Vec<LoadedPack>,
    /// Packs that could not be read, were refused or failed to load.
    pub failures: Vec<PackFailure>,
}

/// Loads the built-in packs, every pack named by `[plugins] paths` and by
/// `request.extra`. A pack that cannot be read or loaded, or that is not
/// pinned while pinning is on, becomes a failure; the rest load. Built-in
/// packs are part of the binary and are never subject to pinning.
pub fn load_packs(
    host: &Host,
    project: &Project,
    request: PackRequest<'_>,
) -> Result<Packs, ScanError> {
    let pins = plugins::pins(&project.plugins, request.require_sha256)?;
    let mut sources = request.builtin;
    let mut extra = Vec::new();
    let mut unreadable = Vec::new();
    for path in project.plugins.paths.iter().chain(request.extra) {
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
        let (allowed, refused) = plugins::enforce(extra, pins);
        extra = allowed;
        unreadable.extend(refused);
    }
    sources.extend(extra);
    let (loaded, mut failures) = host.load_all(&sources);
    failures.splice(0..0, unreadable);
    Ok(Packs { loaded, failures })
}

/// A pack path: a file as is, a directory as its `*.wasm` files in name
/// order. A path that does not exist is a usage error.
fn expand(path: &Path) -> Result<Vec<PathBuf>, ScanError> {
    let fail = |error| ScanError::RulesPath {
        path: path.to_owned(),
        error,
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(fail)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ScanError::EmptyRulesDir {
            path: path.to_owned(),
        });
    }
    Ok(files)
}
