//! `pillar diff OLD NEW`: what changed between two audits: resources
//! added, removed and changed, gaps opened and closed, and the findings
//! that appeared and disappeared when both are scanned with the same packs
//! and configuration.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use pillar_evaluate::{Evaluation, PackInfo};
use pillar_report::{Baseline, Date, Drift, Triage, TriageInput};
use pillar_snapshot::Snapshot;

use crate::args::PackArgs;
use crate::config::{self, Config};
use crate::exit::Code;
use crate::packs;
use crate::scan::display_path;

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
    let mut old = pillar_snapshot::load(&args.old)?;
    let mut new = pillar_snapshot::load(&args.new)?;
    // Drift is measured on what was collected; derived attributes (VPC
    // overlaps, account-wide counts...) follow from it and would repeat one
    // change on every resource. Rules still read them, so both sides are
    // derived before they are scanned. `derive` never reorders resources, so
    // the diff's indices stay valid.
    let resources = pillar_snapshot::diff(&old, &new);
    pillar_snapshot::derive(&mut old);
    pillar_snapshot::derive(&mut new);

    let host = packs::host(&args.packs)?;
    let (loaded, failures) = packs::load(&host, &args.packs)?;
    for f in &failures {
        eprintln!("pillar: warning: {f}");
    }
    let mut infos: Vec<PackInfo> = loaded.iter().map(|p| p.info.clone()).collect();
    let config = match config::locate(args.packs.config.as_deref()) {
        Some(path) => Config::load(&path, &infos)?,
        None => Config::default(),
    };
    config.apply_to_packs(&mut infos);
    let scan = |snapshot: &Snapshot| -> Evaluation {
        let settings = config.settings(&snapshot.source.collected_at);
        let mut evaluation = host.evaluate(&loaded, snapshot, &settings);
        config.apply_to_evaluation(&mut evaluation);
        evaluation
    };
    let before = scan(&old);
    let after = scan(&new);
    for f in before.failures.iter().chain(&after.failures) {
        eprintln!("pillar: warning: {f}");
    }

    let old_input = display_path(&args.old);
    let new_input = display_path(&args.new);
    let baseline = Baseline::from_findings(&old_input, &old, &before.findings);
    let triage = Triage::build(&TriageInput {
        snapshot: &new,
        evaluation: &after,
        packs: &infos,
        suppressions: &[],
        mutes: &[],
        today: Date::today(),
        baseline: Some(&baseline),
        new_only: false,
    });
    let drift = Drift {
        old_input: &old_input,
        new_input: &new_input,
        old: &old,
        new: &new,
        resources: &resources,
        evaluation: &after,
        triage: &triage,
    };
    let rendered = match args.format {
        DiffFormat::Text => pillar_report::drift_to_text(&drift),
        DiffFormat::Json => pillar_report::drift_to_json(&drift),
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{rendered}"),
    }
    Ok(if drift.is_empty() {
        Code::Clean
    } else {
        Code::Findings
    })
}
