//! The on-disk cache of compiled packs.
//!
//! Compiling a component is the slow part of loading it (0.2 s for a small
//! Rust pack, ~15 s for a Python or JavaScript one); loading a compiled
//! artifact is a memory map. Artifacts are keyed by the SHA-256 of the
//! component *and* of the engine's compatibility hash, so a different
//! wasmtime version or engine setting never loads a stale artifact.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// A directory of compiled components, private to the user.
#[derive(Debug, Clone)]
pub struct CompileCache {
    dir: PathBuf,
}

impl CompileCache {
    /// Uses (and creates, mode 0700) `dir`.
    pub fn new(dir: PathBuf) -> std::io::Result<CompileCache> {
        fs::create_dir_all(&dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
        }
        Ok(CompileCache { dir })
    }

    /// `$PILLAR_CACHE_DIR`, else `$XDG_CACHE_HOME/pillar/wasm`, else
    /// `~/.cache/pillar/wasm`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("PILLAR_CACHE_DIR") {
            return Some(PathBuf::from(dir));
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("pillar").join("wasm"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads the compiled form of `wasm` (whose hash is `sha256`), compiling
    /// and storing it on a miss. Returns the component and whether it hit.
    pub(crate) fn load(
        &self,
        engine: &Engine,
        wasm: &[u8],
        sha256: &str,
    ) -> wasmtime::Result<(Component, bool)> {
        let path = self
            .dir
            .join(format!("{sha256}-{}.cwasm", engine_key(engine)));
        if path.is_file() {
            // SAFETY: the file is one this process family wrote below, in a
            // directory only the user can write, from `precompile_component`
            // of this very engine configuration (its key is in the name).
            // wasmtime still checks the header and refuses artifacts from
            // another version or configuration; on any error we recompile.
            #[allow(unsafe_code)]
            let loaded = unsafe { Component::deserialize_file(engine, &path) };
            if let Ok(component) = loaded {
                return Ok((component, true));
            }
        }
        let compiled = engine.precompile_component(wasm)?;
        if let Err(e) = write_atomically(&self.dir, &path, &compiled) {
            // A read-only or full cache only costs speed: use the bytes we have.
            let _ = e;
            #[allow(unsafe_code)]
            // SAFETY: `compiled` was produced just now by this engine.
            let component = unsafe { Component::deserialize(engine, &compiled)? };
            return Ok((component, false));
        }
        #[allow(unsafe_code)]
        // SAFETY: as above: we just wrote this file from this engine's output.
        let component = unsafe { Component::deserialize_file(engine, &path)? };
        Ok((component, false))
    }
}

/// Hex SHA-256 of the wasmtime version and the engine's compatibility hash.
fn engine_key(engine: &Engine) -> String {
    struct Sha(Sha256);
    impl Hasher for Sha {
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
        fn finish(&self) -> u64 {
            0
        }
    }
    let mut h = Sha(Sha256::new());
    h.write(b"wasmtime-48.0.8\0");
    engine.precompile_compatibility_hash().hash(&mut h);
    hex::encode(&h.0.finalize()[..12])
}

/// Writes to a temporary file in the same directory, then renames: readers
/// never see a half-written artifact, and concurrent writers are harmless.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(
        ".tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)
}
