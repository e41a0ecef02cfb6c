//! `pillar merge`: combine the outputs of shards into one.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use pillar_report::merge::{self, Input, Kind, Merged};

use crate::exit::Code;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Files to merge: all SARIF logs, all pillar JSON reports, or all
    /// snapshots (plain or zstd), as `scan` and `collect` write them.
    #[arg(value_name = "FILES", required = true)]
    pub files: Vec<PathBuf>,
    /// Where to write the merged file (a snapshot is written mode 0600;
    /// a `.zst` name compresses it).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// The kind of the inputs and output; checked against the inputs,
    /// which are recognised by their content without it.
    #[arg(long, value_enum)]
    pub format: Option<MergeFormat>,
    /// Write the merged JSON reports in this format instead of pillar's
    /// JSON (the inputs must be pillar JSON reports).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Option<MergeTo>,
}

/// The report formats a merge of JSON reports can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeTo {
    Ocsf,
    Asff,
    Junit,
    Csv,
}

impl MergeTo {
    fn export(self) -> pillar_report::formats::Export {
        use pillar_report::formats::Export;
        match self {
            MergeTo::Ocsf => Export::Ocsf,
            MergeTo::Asff => Export::Asff,
            MergeTo::Junit => Export::Junit,
            MergeTo::Csv => Export::Csv,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    Sarif,
    Json,
    Snapshot,
}

impl MergeFormat {
    fn kind(self) -> Kind {
        match self {
            MergeFormat::Sarif => Kind::Sarif,
            MergeFormat::Json => Kind::Json,
            MergeFormat::Snapshot => Kind::Snapshot,
        }
    }
}

/// Exit 0 when the merged result is complete, 3 when it records gaps or
/// pack failures (as the scan of everything would), 2 on any error.
pub fn run(args: &MergeArgs) -> Result<Code> {
    let mut inputs = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let name = pillar_scan::display_path(path);
        let text = pillar_snapshot::read_text(path)?;
        let input = Input::read(&name, &text)?;
        if let Some(format) = args.format
            && input.kind() != format.kind()
        {
            bail!(
                "{name} is {}, not {} (--format {})",
                input.kind().describe(),
                format.kind().describe(),
                format!("{format:?}").to_lowercase()
            );
        }
        inputs.push(input);
    }
    let merged = merge::merge(&inputs)?;
    if inputs.len() > 1 && merged.kind() != Kind::Snapshot {
        // A report merge unions findings; it cannot make findings that
        // needed two inputs' resources at once.
        eprintln!(
            "pillar: note: rules that compare accounts with each other (such as \
             PILLAR-VPC-002, VPC CIDRs overlapping across accounts) saw only the accounts of \
             their own input; to judge them across all accounts, merge the snapshots \
             (--format snapshot) and scan the result"
        );
    }
    match (&merged, args.to) {
        (Merged::Json(doc), Some(to)) => {
            let text = to
                .export()
                .render(doc)
                .context("cannot write the merged report in that format")?;
            std::fs::write(&args.output, text)
                .with_context(|| format!("cannot write {}", args.output.display()))?;
        }
        (_, Some(_)) => bail!(
            "--to writes merged JSON reports; these inputs are {}",
            merged.kind().describe()
        ),
        (Merged::Snapshot(s), None) => pillar_collect::write_snapshot(s, &args.output, false)?,
        (Merged::Json(_) | Merged::Sarif(_), None) => write(args, &merged)?,
    }
    eprintln!(
        "pillar: merged {} file(s) into {} ({})",
        inputs.len(),
        args.output.display(),
        merged.kind().describe()
    );
    Ok(if merged.is_complete() {
        Code::Clean
    } else {
        Code::Gaps
    })
}

fn write(args: &MergeArgs, merged: &Merged) -> Result<()> {
    let text = merged
        .to_text()
        .context("cannot serialise the merged report")?;
    std::fs::write(&args.output, text)
        .with_context(|| format!("cannot write {}", args.output.display()))
}
