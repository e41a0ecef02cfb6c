//! Memory a pack may hold: per store, summed over every linear memory and
//! table of every instance in it, and per pack, summed over the stores of
//! all worker threads.
//!
//! wasmtime's `StoreLimits` bounds each memory on its own, so a component
//! with eight memories just under the limit holds eight times the limit,
//! and a pack running on eight threads eight times that. `PackLimiter`
//! counts what a store holds and charges it to the pack's shared
//! [`PackMemory`], refusing any growth that would take the pack past its
//! total. A refusal traps with a [`Violation`] naming the limit (rather
//! than failing `memory.grow`, which a guest allocator would turn into an
//! anonymous abort).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use wasmtime::ResourceLimiter;

use crate::failure::{FailureKind, Violation};

/// Bytes held across stores on every thread: one per pack, and one for
/// all third-party packs of a scan together (the pack's `parent`).
#[derive(Debug)]
pub(crate) struct PackMemory {
    held: AtomicUsize,
    cap: usize,
    /// What the cap is, for the failure message ("per pack", ...).
    what: &'static str,
    parent: Option<Arc<PackMemory>>,
}

impl PackMemory {
    pub fn new(cap: usize, what: &'static str) -> Arc<PackMemory> {
        Arc::new(PackMemory {
            held: AtomicUsize::new(0),
            cap,
            what,
            parent: None,
        })
    }

    /// A pack's account, also charged to `parent` (the scan-wide one).
    pub fn within(cap: usize, what: &'static str, parent: &Arc<PackMemory>) -> Arc<PackMemory> {
        Arc::new(PackMemory {
            held: AtomicUsize::new(0),
            cap,
            what,
            parent: Some(Arc::clone(parent)),
        })
    }

    /// Takes `bytes` more, or names the cap it would pass.
    fn charge(&self, bytes: usize) -> Result<(), Refusal> {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes).filter(|&total| total <= self.cap)
            })
            .map_err(|_| Refusal {
                cap: self.cap,
                what: self.what,
            })?;
        if let Some(parent) = &self.parent
            && let Err(refusal) = parent.charge(bytes)
        {
            self.release_own(bytes);
            return Err(refusal);
        }
        Ok(())
    }

    fn release(&self, bytes: usize) {
        self.release_own(bytes);
        if let Some(parent) = &self.parent {
            parent.release(bytes);
        }
    }

    fn release_own(&self, bytes: usize) {
        // Never below zero: a store only releases what it charged.
        let _ = self
            .held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                Some(held.saturating_sub(bytes))
            });
    }

    /// What the pack holds now (for tests and measurements).
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }
}

/// The cap a refused growth would have passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    cap: usize,
    what: &'static str,
}

/// Instances, tables and memories one store may create: a rule pack is
/// one component, which wasm-tools and componentize-py build from a few
/// core modules; these leave room for that and nothing like a bomb.
const MAX_INSTANCES: usize = 32;
const MAX_TABLES: usize = 32;
const MAX_MEMORIES: usize = 8;
/// Table elements per store, summed over its tables (a function table of
/// CPython's size is about 10,000).
const MAX_TABLE_ELEMENTS: usize = 100_000;

/// The limiter of one store.
pub(crate) struct PackLimiter {
    /// Largest size of one linear memory.
    memory_bytes: usize,
    /// What this store holds in linear memories, charged to `pack`.
    held: usize,
    table_elements: usize,
    pack: Arc<PackMemory>,
}

impl PackLimiter {
    pub fn new(memory_bytes: usize, pack: Arc<PackMemory>) -> PackLimiter {
        PackLimiter {
            memory_bytes,
            held: 0,
            table_elements: 0,
            pack,
        }
    }
}

impl Drop for PackLimiter {
    /// A store's memories are freed with it: give the bytes back.
    fn drop(&mut self) {
        self.pack.release(self.held);
    }
}

impl PackLimiter {
    fn refuse(&mut self, refusal: Refusal) -> wasmtime::Error {
        let cap = if refusal.what.starts_with("table") {
            refusal.cap.to_string()
        } else {
            format!("{} MiB", refusal.cap >> 20)
        };
        wasmtime::Error::new(Violation {
            kind: FailureKind::MemoryLimit,
            message: format!("exceeded the memory limit of {cap} {}", refusal.what),
        })
    }
}

impl ResourceLimiter for PackLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            return Err(self.refuse(Refusal {
                cap: self.memory_bytes,
                what: "per memory",
            }));
        }
        let more = desired.saturating_sub(current);
        if let Err(refusal) = self.pack.charge(more) {
            return Err(self.refuse(refusal));
        }
        self.held += more;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let more = desired.saturating_sub(current);
        match self.table_elements.checked_add(more) {
            Some(total) if total <= MAX_TABLE_ELEMENTS => {
                self.table_elements = total;
                Ok(true)
            }
            _ => Err(self.refuse(Refusal {
                cap: MAX_TABLE_ELEMENTS,
                what: "table elements per store",
            })),
        }
    }

    fn instances(&self) -> usize {
        MAX_INSTANCES
    }

    fn tables(&self) -> usize {
        MAX_TABLES
    }

    fn memories(&self) -> usize {
        MAX_MEMORIES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(grown: wasmtime::Result<bool>) -> String {
        grown.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn memories_of_one_store_are_summed() {
        let pack = PackMemory::new(10 << 20, "per pack");
        let mut store = PackLimiter::new(8 << 20, Arc::clone(&pack));
        assert!(
            store
                .memory_growing(0, 6 << 20, None)
                .is_ok_and(|grew| grew)
        );
        // A second memory under the per-memory limit, over the pack's total.
        assert!(store.memory_growing(0, 6 << 20, None).is_err());
        assert_eq!(
            refusal(store.memory_growing(0, 6 << 20, None)),
            "exceeded the memory limit of 10 MiB per pack"
        );
        assert!(
            store
                .memory_growing(0, 4 << 20, None)
                .is_ok_and(|grew| grew)
        );
        assert_eq!(pack.held(), 10 << 20);
    }

    #[test]
    fn stores_on_other_threads_share_the_pack_total_and_give_it_back() {
        let pack = PackMemory::new(10 << 20, "per pack");
        let mut a = PackLimiter::new(8 << 20, Arc::clone(&pack));
        assert!(a.memory_growing(0, 8 << 20, None).is_ok_and(|grew| grew));
        let mut b = PackLimiter::new(8 << 20, Arc::clone(&pack));
        assert!(b.memory_growing(0, 4 << 20, None).is_err());
        drop(a);
        assert!(b.memory_growing(0, 4 << 20, None).is_ok_and(|grew| grew));
        assert_eq!(pack.held(), 4 << 20);
    }

    #[test]
    fn one_memory_is_still_bounded_on_its_own() {
        let pack = PackMemory::new(100 << 20, "per pack");
        let mut store = PackLimiter::new(8 << 20, pack);
        assert!(store.memory_growing(0, 9 << 20, None).is_err());
        assert!(refusal(store.memory_growing(0, 9 << 20, None)).ends_with("of 8 MiB per memory"));
    }

    #[test]
    fn the_scan_wide_account_bounds_packs_together_and_rolls_back() {
        let scan = PackMemory::new(10 << 20, "for all third-party packs");
        let one = PackMemory::within(8 << 20, "per pack", &scan);
        let two = PackMemory::within(8 << 20, "per pack", &scan);
        let mut a = PackLimiter::new(8 << 20, Arc::clone(&one));
        let mut b = PackLimiter::new(8 << 20, Arc::clone(&two));
        assert!(a.memory_growing(0, 6 << 20, None).is_ok_and(|grew| grew));
        assert!(b.memory_growing(0, 6 << 20, None).is_err());
        assert!(refusal(b.memory_growing(0, 6 << 20, None)).ends_with("for all third-party packs"));
        // The refused bytes were not kept on the pack's own account.
        assert_eq!(two.held(), 0);
        drop(a);
        assert_eq!(scan.held(), 0);
        assert!(b.memory_growing(0, 6 << 20, None).is_ok_and(|grew| grew));
    }

    #[test]
    fn table_elements_are_summed_over_tables() {
        let mut store = PackLimiter::new(1 << 20, PackMemory::new(1 << 20, "per pack"));
        assert!(store.table_growing(0, 60_000, None).is_ok_and(|grew| grew));
        assert!(store.table_growing(0, 60_000, None).is_err());
    }
}
