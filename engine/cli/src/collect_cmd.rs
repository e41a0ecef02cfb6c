//! `pillar collect` and the collection half of `pillar scan --aws`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use pillar_collect::{Account, Options, Progress};
use pillar_scan::project::accounts;
use pillar_scan::{AccountSpec, Project, Shard};
use pillar_snapshot::Snapshot;

use crate::exit::Code;
use crate::snapshot_dir;

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
    /// Accounts to read: a TOML file of [[account]] tables (id, and
    /// optionally name, role_arn, external_id, regions). Without it, the
    /// [[account]] tables of pillar.toml are used when it has any.
    #[arg(long, value_name = "FILE", conflicts_with = "assume_roles")]
    pub accounts: Option<PathBuf>,
    /// Read only shard I of N of the accounts list (1-based): accounts
    /// sorted by id, the k-th (from 0) goes to shard (k mod N)+1. Give every
    /// shard the same accounts file.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Accounts collected at the same time.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub parallel_accounts: usize,
    /// Per-resource calls in flight across all accounts together; each
    /// account also stays within --concurrency. Listing calls (a few per
    /// region and service) are not counted.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub max_calls: usize,
    /// Also write one snapshot per account here, as <account-id>.json
    /// (mode 0600); the directory is created if missing.
    #[arg(long, value_name = "DIR")]
    pub snapshot_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Snapshot file to write (mode 0600; `.zst` compresses). Optional
    /// with --snapshot-dir.
    #[arg(
        long,
        short,
        value_name = "FILE",
        required_unless_present = "snapshot_dir"
    )]
    pub output: Option<PathBuf>,
    /// zstd-compress the snapshot whatever its name.
    #[arg(long)]
    pub compress: bool,
    /// Configuration file to read [[account]] tables from (default:
    /// ./pillar.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl AwsArgs {
    /// The accounts list in force: `--accounts`, else pillar.toml's
    /// `[[account]]` tables unless `--assume-role` names accounts itself;
    /// then `--shard` applied.
    fn accounts(&self, project: &Project) -> Result<Option<Vec<Account>>> {
        let listed = match &self.accounts {
            Some(file) => Some(accounts::load_file(file)?),
            None if self.assume_roles.is_empty() => project.accounts.clone(),
            None => None,
        };
        let listed = match (listed, self.shard) {
            (Some(list), Some(shard)) => shard.select(list),
            (Some(list), None) => list,
            (None, Some(_)) => anyhow::bail!(
                "--shard splits an accounts list: give --accounts FILE or [[account]] tables \
                 in pillar.toml"
            ),
            (None, None) => return Ok(None),
        };
        // The project's accounts, as the collector's type.
        let account = |a: AccountSpec| Account {
            id: a.id,
            name: a.name,
            role_arn: a.role_arn,
            external_id: a.external_id,
            regions: a.regions,
        };
        Ok(Some(listed.into_iter().map(account).collect()))
    }

    fn options(&self, project: &Project) -> Result<Options> {
        Ok(Options {
            regions: self.regions.clone(),
            profile: self.profile.clone(),
            assume_roles: self.assume_roles.clone(),
            external_id: self.external_id.clone(),
            session_name: self.session_name.clone(),
            endpoint_url: self.endpoint_url.clone(),
            max_attempts: self.max_attempts,
            operation_timeout: Duration::from_secs(self.call_timeout.max(1)),
            concurrency: self.concurrency.max(1),
            accounts: self.accounts(project)?,
            parallel_accounts: self.parallel_accounts.max(1),
            max_calls: self.max_calls.max(1),
        })
    }

    fn progress(&self) -> Progress {
        if !self.quiet && std::io::stderr().is_terminal() {
            Progress::bars()
        } else {
            Progress::lines()
        }
    }
}

fn collect(aws: &AwsArgs, project: &Project) -> Result<Snapshot> {
    let options = aws.options(project)?;
    let progress = aws.progress();
    if let (Some(shard), Some(list)) = (aws.shard, &options.accounts) {
        let ids: Vec<&str> = list.iter().map(|a| a.id.as_str()).collect();
        progress.log(&format!(
            "shard {shard}: {} account(s){}{}",
            ids.len(),
            if ids.is_empty() { "" } else { ": " },
            ids.join(", ")
        ));
    }
    let collection = pillar_collect::collect_accounts(&options, &progress)?;
    if let Some(dir) = &aws.snapshot_dir {
        snapshot_dir::write(dir, &collection, &progress)?;
    }
    let snapshot = collection.merged();
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
    let snapshot = collect(&args.aws, &Project::discover(args.config.as_deref())?)?;
    if let Some(output) = &args.output {
        pillar_collect::write_snapshot(&snapshot, output, args.compress)?;
        eprintln!("pillar: wrote {}", output.display());
    }
    Ok(if snapshot.gaps.is_empty() {
        Code::Clean
    } else {
        Code::Gaps
    })
}

/// `pillar scan --aws`: the snapshot and the name reports give it. With
/// `--save-snapshot`, the file is written and read back, so findings point
/// at lines in it exactly as a later `scan --snapshot` of it would.
/// `project` is the scan's, whose `[[account]]` tables may list accounts.
pub fn for_scan(
    aws: &AwsArgs,
    save: Option<&Path>,
    project: &Project,
) -> Result<(Snapshot, String)> {
    let snapshot = collect(aws, project)?;
    match save {
        Some(path) => {
            pillar_collect::write_snapshot(&snapshot, path, false)?;
            let loaded = pillar_snapshot::load(path)
                .with_context(|| format!("cannot read back {}", path.display()))?;
            Ok((loaded, pillar_scan::display_path(path)))
        }
        None => {
            let label = format!("aws:{}", snapshot.source.accounts.join(","));
            Ok((snapshot, label))
        }
    }
}
