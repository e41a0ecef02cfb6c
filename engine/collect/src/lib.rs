//! Live collection: reads AWS accounts through the official SDK into the
//! pillar resource model (`docs/resource-model.md`).
//!
//! Only read-only calls are made (`docs/iam-policy.json` lists them). What
//! cannot be read becomes a [`pillar_snapshot::Gap`] and collection goes on:
//! access denied, throttling that never clears, an unsupported region or an
//! API the endpoint does not implement never stop a run.

mod account;
mod autoscaling;
mod backup;
mod client;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod convert;
mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod eks;
mod elasticache;
mod elbv2;
mod gap;
mod guardduty;
mod iam;
mod kms;
mod lambda;
mod logs;
mod options;
mod part;
mod progress;
mod rds;
mod s3;
mod secretsmanager;
mod services;
mod sns;
mod sqs;
mod ssm;
mod wafv2;
mod write;

pub use client::{caller_identity, client_config};
pub use options::{Account, Options};
pub use progress::Progress;
pub use write::{WriteError, write_snapshot};

use pillar_snapshot::{FORMAT_VERSION, Snapshot, Source, SourceKind};

/// Errors that stop collection as a whole (everything else is a gap).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("no account could be read: {0}")]
    NoAccount(String),
}

/// One account's part of a run: its snapshot, or the gap saying why it
/// could not be read.
#[derive(Debug, Clone)]
pub struct AccountSnapshot {
    /// The account id: from the identity when read, else from the accounts
    /// list or the role's ARN; `None` when nothing names the account.
    pub account: Option<String>,
    pub snapshot: Snapshot,
}

/// Everything a run collected, account by account (sorted by account id).
#[derive(Debug, Clone)]
pub struct Collection {
    pub accounts: Vec<AccountSnapshot>,
}

impl Collection {
    /// All accounts as one snapshot, as `collect` returns it.
    pub fn merged(&self) -> Snapshot {
        let mut iter = self.accounts.iter().map(|a| &a.snapshot);
        let Some(first) = iter.next() else {
            return empty(convert::now_rfc3339());
        };
        let mut all = first.clone();
        for s in iter {
            all.source
                .accounts
                .extend(s.source.accounts.iter().cloned());
            all.source.regions.extend(s.source.regions.iter().cloned());
            all.gaps.extend(s.gaps.iter().cloned());
            all.resources.extend(s.resources.iter().cloned());
        }
        all.source.accounts.sort();
        all.source.accounts.dedup();
        all.source.regions.sort();
        all.source.regions.dedup();
        write::normalise(&mut all);
        all
    }
}

/// Collects every configured account and region into one snapshot.
///
/// Blocking: runs its own tokio runtime, so callers stay synchronous.
pub fn collect(options: &Options, progress: &Progress) -> Result<Snapshot, CollectError> {
    Ok(collect_accounts(options, progress)?.merged())
}

/// Collects every configured account, keeping each account's snapshot.
///
/// Without an explicit accounts list, a run in which no account could be
/// read is an error (there is nothing to report on). With one
/// (`Options::accounts`), every account that fails is a gap naming it and
/// the run goes on, even if all fail: the caller asked for those accounts,
/// and the report must say which were not read.
pub fn collect_accounts(
    options: &Options,
    progress: &Progress,
) -> Result<Collection, CollectError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.concurrency.clamp(1, 8))
        .enable_all()
        .build()
        .map_err(CollectError::Runtime)?;
    runtime.block_on(collect_async(options, progress))
}

async fn collect_async(options: &Options, progress: &Progress) -> Result<Collection, CollectError> {
    use futures_util::StreamExt;
    let collected_at = convert::now_rfc3339();
    let claimed = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let budget = std::sync::Arc::new(tokio::sync::Semaphore::new(options.max_calls.max(1)));
    // Several accounts at once, each fanning out over regions and services;
    // every per-resource call also takes a permit from `budget`, so the
    // request rate stays bounded however many accounts run.
    let outcomes = futures_util::stream::iter(options.targets())
        .map(|target| {
            let (claimed, budget) = (&claimed, &budget);
            async move {
                let outcome =
                    account::collect_account(options, &target, claimed, budget, progress).await;
                (target, outcome)
            }
        })
        .buffer_unordered(options.parallel_accounts.max(1))
        .collect::<Vec<_>>()
        .await;

    let mut accounts = Vec::new();
    let mut fatal = Vec::new();
    for (target, outcome) in outcomes {
        match outcome {
            Ok(None) => {}
            Ok(Some(done)) => {
                let mut snapshot = empty(collected_at.clone());
                snapshot.source.accounts = vec![done.account.clone()];
                snapshot.source.regions = done.regions;
                snapshot.gaps = done.part.gaps;
                snapshot.resources = done.part.resources;
                snapshot.source.regions.sort();
                snapshot.source.regions.dedup();
                write::normalise(&mut snapshot);
                accounts.push(AccountSnapshot {
                    account: Some(done.account),
                    snapshot,
                });
            }
            Err(e) => {
                progress.log(&format!("{}: {e}", target.label()));
                fatal.push(format!("{}: {e}", target.label()));
                let mut snapshot = empty(collected_at.clone());
                snapshot.gaps = vec![e.into_gap(&target)];
                accounts.push(AccountSnapshot {
                    account: target.account_hint(),
                    snapshot,
                });
            }
        }
    }
    let read = accounts
        .iter()
        .filter(|a| !a.snapshot.source.accounts.is_empty())
        .count();
    if options.accounts.is_none() && read == 0 {
        return Err(CollectError::NoAccount(fatal.join("; ")));
    }
    if options.accounts.is_some() {
        progress.log(&format!(
            "{read} of {} account(s) read, {} failed",
            accounts.len(),
            fatal.len()
        ));
    }
    accounts.sort_by(|a, b| a.account.cmp(&b.account));
    Ok(Collection { accounts })
}

/// A snapshot of nothing yet, taken at `collected_at`.
fn empty(collected_at: String) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: Source {
            kind: SourceKind::AwsAccount,
            accounts: Vec::new(),
            regions: Vec::new(),
            collected_at,
            tool: format!("pillar {}", env!("CARGO_PKG_VERSION")),
            description: None,
        },
        gaps: Vec::new(),
        resources: Vec::new(),
    }
}
