//! Benchmarks for pillar.
//!
//! - [`workload`]: a seeded, deterministic synthetic estate of AWS resources,
//!   with a realistic mix and a share of violations and plan-time unknowns;
//! - [`write`]: that estate as a pillar snapshot or as a Terraform plan
//!   (`terraform show -json`), streamed so a million resources fit in
//!   constant memory.
//!
//! `pillar-gen` (src/bin) writes workloads to files for the end-to-end and
//! side-by-side scripts; `cargo bench -p pillar-bench` runs the in-process
//! measurements. See docs/performance.md.

pub mod rng;
pub mod workload;
pub mod write;

pub use workload::{UNIT_SIZE, Workload};
