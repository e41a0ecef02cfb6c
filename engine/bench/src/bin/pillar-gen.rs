//! `pillar-gen`: writes a synthetic workload as a snapshot and/or a Terraform
//! plan, deterministically for a given seed and size.
//!
//! ```sh
//! cargo run --release -p pillar-bench --bin pillar-gen -- \
//!     --resources 10000 --snapshot /tmp/s10k.json --plan /tmp/p10k.json
//! ```

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use pillar_bench::{Workload, write};

#[derive(Debug, Parser)]
#[command(name = "pillar-gen", about = "Write a synthetic pillar workload")]
struct Args {
    /// Model resources to generate (rounded up to whole units of 25).
    #[arg(long, default_value_t = 1000)]
    resources: usize,
    /// Seed; the same seed and size give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write a pillar snapshot here.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// Write a Terraform plan (`terraform show -json`) here.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.snapshot.is_none() && args.plan.is_none() {
        anyhow::bail!("nothing to write: give --snapshot FILE and/or --plan FILE");
    }
    let workload = Workload::new(args.seed, args.resources);
    if let Some(path) = &args.snapshot {
        emit(path, |out| write::snapshot(&workload, out))?;
    }
    if let Some(path) = &args.plan {
        emit(path, |out| write::plan(&workload, out))?;
    }
    eprintln!(
        "pillar-gen: {} resources in {} units (seed {})",
        workload.resources(),
        workload.units,
        workload.seed
    );
    Ok(())
}

fn emit(path: &Path, f: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    f(&mut out).with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::flush(&mut out).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
