//! Paths to the test packs built from `plugins/testing/`: deliberately
//! hostile packs the sandbox tests load from disk (each must be stopped
//! without harming the scan), and `CONTRACT_V0_1`, a well-behaved pack built
//! against the old `wit/v0.1` contract.
//!
//! Dev-only: only tests depend on this crate, so a release build of the
//! CLI compiles none of these packs (wasmtime keeps its test guests in a
//! `test-programs/artifacts` crate for the same reason).

include!(concat!(env!("OUT_DIR"), "/packs.rs"));
