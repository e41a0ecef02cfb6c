//! `pillar compliance list`, and the framework selection of
//! `pillar scan --compliance`.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use pillar_report::pillar_compliance::{self, Framework};
use serde_json::json;

use crate::args::ListFormat;
use crate::exit::Code;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum ComplianceCommand {
    /// List the frameworks: id, name, version, controls and coverage.
    List(ComplianceListArgs),
}

#[derive(Debug, Args)]
pub struct ComplianceListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// The built-in frameworks (compiled in from rules/frameworks/).
pub fn known() -> Result<&'static [Framework]> {
    pillar_compliance::builtin()
        .map_err(|e| anyhow::anyhow!("the built-in compliance frameworks do not load: {e}"))
}

/// The frameworks `--compliance` names; an unknown id is a usage error that
/// lists the known ones.
pub fn select(known: &'static [Framework], ids: &[String]) -> Result<Vec<&'static Framework>> {
    Ok(pillar_compliance::select(known, ids)?)
}

pub fn run(command: &ComplianceCommand) -> Result<Code> {
    match command {
        ComplianceCommand::List(args) => list(args),
    }
}

fn list(args: &ComplianceListArgs) -> Result<Code> {
    let known = known()?;
    match args.format {
        ListFormat::Json => {
            let frameworks: Vec<serde_json::Value> = known
                .iter()
                .map(|f| {
                    let (covered, of) = f.coverage();
                    json!({
                        "id": f.id(),
                        "name": f.framework.name,
                        "version": f.framework.version,
                        "complete": f.framework.complete,
                        "controls": f.controls.len(),
                        "coverage": {"covered": covered, "of": of},
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&json!({ "frameworks": frameworks }))?;
            output::stdout(|out| writeln!(out, "{text}"))?;
        }
        ListFormat::Text => {
            let width = known.iter().map(|f| f.id().len()).max().unwrap_or(0);
            output::stdout(|out| {
                for f in known {
                    let (covered, of) = f.coverage();
                    let automated = if f.controls.iter().any(|c| c.assessment.is_some()) {
                        " automated"
                    } else {
                        ""
                    };
                    writeln!(
                        out,
                        "{:<width$}  {} {}  {} controls  covered {covered} of {of}{automated} ({:.0}%)",
                        f.id(),
                        f.framework.name,
                        f.framework.version,
                        f.controls.len(),
                        percent(covered, of),
                    )?;
                }
                Ok(())
            })?;
        }
    }
    Ok(Code::Clean)
}

fn percent(part: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        // Counts of controls: far below f64's exact integer range.
        part as f64 * 100.0 / of as f64
    }
}
