//! `pillar export security-hub`: send a pillar JSON report's findings to
//! AWS Security Hub as ASFF (see `pillar_export`).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use pillar_report::formats::ReportView;

use crate::exit::Code;

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Import a JSON report's findings into AWS Security Hub
    /// (BatchImportFindings, 100 per call). Findings keep their Id across
    /// runs, so a re-export updates them; findings fixed since the scan's
    /// --baseline are sent ARCHIVED. Exit 3 when any finding was not
    /// imported (each is listed), 2 when nothing could be sent.
    SecurityHub(SecurityHubArgs),
}

#[derive(Debug, Args)]
pub struct SecurityHubArgs {
    /// A pillar JSON report (`pillar scan --format json`, or `pillar merge`
    /// of JSON reports).
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,
    /// Security Hub region (default: the profile's or AWS_REGION).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Named profile from ~/.aws/config.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Role to assume for the import.
    #[arg(long, value_name = "ARN")]
    pub assume_role: Option<String>,
    /// External id for --assume-role.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Send every call here (also AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Attempts per call, including the first (adaptive retry).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_attempts: u32,
    /// Time limit per call including retries, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub call_timeout: u64,
    /// The account whose custom integration imports the findings (the
    /// ProductArn's account); default: the caller's, by
    /// sts:GetCallerIdentity.
    #[arg(long, value_name = "ACCOUNT")]
    pub product_account: Option<String>,
}

pub fn run(command: &ExportCommand) -> Result<Code> {
    match command {
        ExportCommand::SecurityHub(args) => security_hub(args),
    }
}

fn security_hub(args: &SecurityHubArgs) -> Result<Code> {
    let name = pillar_scan::display_path(&args.report);
    let text =
        std::fs::read_to_string(&args.report).with_context(|| format!("cannot read {name}"))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{name}: not JSON"))?;
    let view =
        ReportView::read(&doc).with_context(|| format!("{name}: not a pillar JSON report"))?;
    let options = pillar_export::ExportOptions {
        aws: pillar_collect::Options {
            regions: args.region.iter().cloned().collect(),
            profile: args.profile.clone(),
            assume_roles: args.assume_role.iter().cloned().collect(),
            external_id: args.external_id.clone(),
            session_name: "pillar-export".into(),
            endpoint_url: args.endpoint_url.clone(),
            max_attempts: args.max_attempts,
            operation_timeout: Duration::from_secs(args.call_timeout.max(1)),
            ..pillar_collect::Options::default()
        },
        product_account: args.product_account.clone(),
    };
    let outcome = pillar_export::export(&view, &options)?;
    for failed in &outcome.failed {
        eprintln!(
            "pillar: not imported: {} ({}): {}",
            failed.id, failed.code, failed.message
        );
    }
    eprintln!(
        "pillar: security-hub {} (product account {}): {} of {} finding(s) imported in {} batch(es), \
         {} of them archived as fixed; {} failed",
        outcome.region,
        outcome.product_arn_account,
        outcome.imported,
        outcome.sent,
        outcome.batches,
        outcome.archived,
        outcome.failed.len()
    );
    Ok(if outcome.failed.is_empty() {
        Code::Clean
    } else {
        Code::Gaps
    })
}
