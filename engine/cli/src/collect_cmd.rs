//! `pillar collect` and the collection half of `pillar scan --aws`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use pillar_collect::{Options, Progress};
use pillar_snapshot::Snapshot;

use crate::exit::Code;

/// Which AWS accounts and regions to read, and how; shared by `collect` and
/// `scan --aws`. Credentials come from the standard AWS chain (environment,
/// shared config and credentials files, SSO, instance and container roles).
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// Region to read. Repeatable. Default: every region enabled for the
    /// account (ec2:DescribeRegions).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Named profile from ~/.aws/config.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Role to assume, one account each. Repeatable: several accounts in one run.
    #[arg(long = "assume-role", value_name = "ARN")]
    pub assume_roles: Vec<String>,
    /// External id for --assume-role.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Session name for --assume-role (shows in CloudTrail).
    #[arg(long, value_name = "NAME", default_value = "pillar-collect")]
    pub session_name: String,
    /// Send every call here (also AWS_ENDPOINT_URL); S3 uses path-style then.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Attempts per call, including the first (adaptive retry).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_attempts: u32,
    /// Time limit per call including retries, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub call_timeout: u64,
    /// Calls in flight at once per account.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,
    /// Plain log lines instead of progress bars.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Snapshot file to write (mode 0600; `.zst` compresses).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// zstd-compress the snapshot whatever its name.
    #[arg(long)]
    pub compress: bool,
}

impl AwsArgs {
    fn options(&self) -> Options {
        Options {
            regions: self.regions.clone(),
            profile: self.profile.clone(),
            assume_roles: self.assume_roles.clone(),
            external_id: self.external_id.clone(),
            session_name: self.session_name.clone(),
            endpoint_url: self.endpoint_url.clone(),
            max_attempts: self.max_attempts,
            operation_timeout: Duration::from_secs(self.call_timeout.max(1)),
            concurrency: self.concurrency.max(1),
        }
    }

    fn progress(&self) -> Progress {
        if !self.quiet && std::io::stderr().is_terminal() {
            Progress::bars()
        } else {
            Progress::lines()
        }
    }
}

fn collect(aws: &AwsArgs) -> Result<Snapshot> {
    let progress = aws.progress();
    let snapshot = pillar_collect::collect(&aws.options(), &progress)?;
    progress.log(&format!(
        "collected {} resources from {} account(s), {} region(s); {} gap(s)",
        snapshot.resources.len(),
        snapshot.source.accounts.len(),
        snapshot.source.regions.len(),
        snapshot.gaps.len()
    ));
    Ok(snapshot)
}

/// `pillar collect`: exit 0, or 3 when something could not be read.
pub fn run(args: &CollectArgs) -> Result<Code> {
    let snapshot = collect(&args.aws)?;
    pillar_collect::write_snapshot(&snapshot, &args.output, args.compress)?;
    eprintln!("pillar: wrote {}", args.output.display());
    Ok(if snapshot.gaps.is_empty() {
        Code::Clean
    } else {
        Code::Gaps
    })
}

/// `pillar scan --aws`: the snapshot and the name reports give it. With
/// `--save-snapshot`, the file is written and read back, so findings point
/// at lines in it exactly as a later `scan --snapshot` of it would.
pub fn for_scan(aws: &AwsArgs, save: Option<&Path>) -> Result<(Snapshot, String)> {
    let snapshot = collect(aws)?;
    match save {
        Some(path) => {
            pillar_collect::write_snapshot(&snapshot, path, false)?;
            let loaded = pillar_snapshot::load(path)
                .with_context(|| format!("cannot read back {}", path.display()))?;
            Ok((loaded, crate::scan::display_path(path)))
        }
        None => {
            let label = format!("aws:{}", snapshot.source.accounts.join(","));
            Ok((snapshot, label))
        }
    }
}
