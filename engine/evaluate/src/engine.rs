//! The host: one wasmtime engine, its epoch ticker, the sandbox linker, and
//! the optional compile cache.

use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::Linker;
use wasmtime::{Config, Engine};

use crate::Limits;
use crate::cache::CompileCache;
use crate::limiter::PackMemory;
use crate::sandbox::{self, State};

/// How often the epoch advances; call deadlines are counted in these ticks.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Why the host itself could not start.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("cannot configure the Wasm engine: {0}")]
    Engine(String),
}

/// Loads and runs rule packs. Cheap to share: every field is immutable and
/// thread-safe, and each worker thread gets its own stores.
pub struct Host {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<State>,
    pub(crate) limits: Arc<Limits>,
    pub(crate) cache: Option<CompileCache>,
    /// What all third-party packs hold at once, together.
    pub(crate) third_party_memory: Arc<PackMemory>,
}

impl Host {
    /// A host with these limits; `cache` stores compiled packs across runs.
    pub fn new(limits: Limits, cache: Option<CompileCache>) -> Result<Host, HostError> {
        let engine = engine().map_err(|e| HostError::Engine(format!("{e:#}")))?;
        let linker = sandbox::linker(&engine).map_err(|e| HostError::Engine(format!("{e:#}")))?;
        // Without a ticker no deadline would ever fire and a runaway pack
        // would hang the scan: refuse to run unprotected.
        start_epoch_ticker(&engine)
            .map_err(|e| HostError::Engine(format!("cannot start the epoch ticker: {e}")))?;
        let third_party_memory = PackMemory::new(
            limits.scan_memory_bytes(),
            "for all third-party packs together",
        );
        Ok(Host {
            engine,
            linker,
            limits: Arc::new(limits),
            cache,
            third_party_memory,
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn cache(&self) -> Option<&CompileCache> {
        self.cache.as_ref()
    }
}

/// The engine configuration is part of every cached artifact's key: keep it
/// fixed, or old artifacts are recompiled (safely) on the next run.
fn engine() -> wasmtime::Result<Engine> {
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        // The kill switch for runaway packs: cheaper than fuel, wall-clock based.
        .epoch_interruption(true)
        // Guest code runs on rayon worker stacks (2 MiB); 512 KiB of wasm
        // stack leaves room for the host frames beneath it.
        .max_wasm_stack(512 << 10);
    Engine::new(&config)
}

/// One thread per engine advances the epoch. It holds only a weak
/// reference, so it ends when the engine is dropped.
fn start_epoch_ticker(engine: &Engine) -> std::io::Result<()> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("pillar-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(EPOCH_TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })?;
    Ok(())
}
