//! `pillar diff OLD NEW`: what changed between two audits: resources
//! added, removed and changed, gaps opened and closed, and the findings
//! that appeared and disappeared when both are scanned with the same packs
//! and configuration (mutes included).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use pillar_report::Drift;
use pillar_scan::{Project, Scan, ScanOptions, display_path};
use pillar_triage::Baseline;

use crate::args::PackArgs;
use crate::exit::Code;
use crate::{output, packs};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier snapshot (`pillar collect` output; `.zst` is fine).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later snapshot.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write the result here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub packs: PackArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

/// Exit 0 when the two audits are the same, 1 when they differ (as diff(1)
/// does), 2 on bad input.
pub fn run(args: &DiffArgs) -> Result<Code> {
    let old = pillar_snapshot::load(&args.old)?;
    let new = pillar_snapshot::load(&args.new)?;
    // Drift is measured on what was collected; derived attributes (VPC
    // overlaps, account-wide counts...) follow from it and would repeat one
    // change on every resource. The pipeline derives both sides before it
    // scans them; `derive` never reorders resources, so the diff's indices
    // stay valid.
    let resources = pillar_snapshot::diff(&old, &new);

    let project = Project::discover(args.packs.config.as_deref())?;
    let (host, packs) = packs::load(&args.packs, &project)?;
    let scan = Scan::new(host, packs, &project, &[])?;
    for f in scan.load_failures() {
        eprintln!("pillar: warning: {f}");
    }
    let before = scan.run(old, &ScanOptions::default())?;
    let old_input = display_path(&args.old);
    let new_input = display_path(&args.new);
    // The earlier audit's findings are the baseline of the later one.
    let baseline =
        Baseline::from_findings(&old_input, &before.snapshot, &before.evaluation.findings);
    let after = scan.run(
        new,
        &ScanOptions {
            baseline: Some(&baseline),
            ..ScanOptions::default()
        },
    )?;
    for f in before
        .evaluation
        .failures
        .iter()
        .chain(&after.evaluation.failures)
    {
        eprintln!("pillar: warning: {f}");
    }

    let drift = Drift {
        old_input: &old_input,
        new_input: &new_input,
        old: &before.snapshot,
        new: &after.snapshot,
        resources: &resources,
        evaluation: &after.evaluation,
        triage: &after.triage,
    };
    let rendered = match args.format {
        DiffFormat::Text => pillar_report::drift_to_text(&drift),
        DiffFormat::Json => pillar_report::drift_to_json(&drift),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => output::stdout(|out| out.write_all(rendered.as_bytes()))?,
    }
    Ok(if drift.is_empty() {
        Code::Clean
    } else {
        Code::Findings
    })
}
