//! Terraform plans: `scan --plan` reads them through here, and
//! `pillar plan convert` writes the snapshot a plan becomes.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use pillar_scan::display_path;

use crate::args::{PlanConvertArgs, PlanSourceArgs};
use crate::exit::Code;
use crate::output;

/// Reads a plan, mapping resources to `.tf` lines under `--source-dir`
/// (default: the working directory); locations are relative to the
/// working directory, as SARIF for GitHub code scanning needs.
pub fn read(path: &Path, source: &PlanSourceArgs) -> Result<pillar_plan::Converted> {
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let source_dir = source.source_dir.clone().unwrap_or_else(|| cwd.clone());
    if !source_dir.is_dir() {
        anyhow::bail!("--source-dir {}: not a directory", source_dir.display());
    }
    let options = pillar_plan::Options {
        source_dir: Some(source_dir),
        base_dir: Some(cwd),
        tool: format!("pillar {}", env!("CARGO_PKG_VERSION")),
        display_path: Some(display_path(path)),
    };
    Ok(pillar_plan::read(path, &options)?)
}

pub fn convert(args: &PlanConvertArgs) -> Result<Code> {
    let converted = read(&args.plan, &args.source)?;
    let text = serde_json::to_string_pretty(&converted.snapshot)? + "\n";
    match &args.output {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "pillar: wrote {} ({} resources, {} unknown values, {} gap(s), {} suppression(s))",
                path.display(),
                converted.snapshot.resources.len(),
                converted
                    .snapshot
                    .resources
                    .iter()
                    .map(|r| r.unknown.len())
                    .sum::<usize>(),
                converted.snapshot.gaps.len(),
                converted.suppressions.len()
            );
        }
        None => output::stdout(|out| out.write_all(text.as_bytes()))?,
    }
    Ok(Code::Clean)
}
