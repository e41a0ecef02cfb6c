//! Live collection: reads AWS accounts through the official SDK into the
//! pillar resource model (`docs/resource-model.md`).
//!
//! Only read-only calls are made (`docs/iam-policy.json` lists them). What
//! cannot be read becomes a [`pillar_snapshot::Gap`] and collection goes on:
//! access denied, throttling that never clears, an unsupported region or an
//! API the endpoint does not implement never stop a run.

mod account;
mod convert;
mod ec2;
mod gap;
mod iam;
mod options;
mod part;
mod progress;
mod rds;
mod s3;
mod write;

pub use options::Options;
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

/// Collects every configured account and region into one snapshot.
///
/// Blocking: runs its own tokio runtime, so callers stay synchronous.
pub fn collect(options: &Options, progress: &Progress) -> Result<Snapshot, CollectError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.concurrency.clamp(1, 8))
        .enable_all()
        .build()
        .map_err(CollectError::Runtime)?;
    runtime.block_on(collect_async(options, progress))
}

async fn collect_async(options: &Options, progress: &Progress) -> Result<Snapshot, CollectError> {
    let collected_at = convert::now_rfc3339();
    let mut parts = Vec::new();
    let mut accounts = Vec::new();
    let mut regions = Vec::new();
    let mut fatal = Vec::new();
    // Accounts one after the other: each already fans out over regions and
    // services, and several accounts at once would multiply the request rate
    // against shared quotas (Organizations, STS).
    for target in options.targets() {
        match account::collect_account(options, &target, &accounts, progress).await {
            Ok(None) => {}
            Ok(Some(done)) => {
                accounts.push(done.account);
                regions.extend(done.regions);
                parts.push(done.part);
            }
            Err(e) => {
                progress.log(&format!("account {}: {e}", target.label()));
                fatal.push(format!("{}: {e}", target.label()));
                parts.push(part::Part::from_gap(e.into_gap(&target)));
            }
        }
    }
    if accounts.is_empty() {
        return Err(CollectError::NoAccount(fatal.join("; ")));
    }
    regions.sort();
    regions.dedup();
    accounts.sort();
    accounts.dedup();
    let merged = part::Part::merge(parts);
    let mut snapshot = Snapshot {
        format_version: FORMAT_VERSION,
        source: Source {
            kind: SourceKind::AwsAccount,
            accounts,
            regions,
            collected_at,
            tool: format!("pillar {}", env!("CARGO_PKG_VERSION")),
            description: None,
        },
        gaps: merged.gaps,
        resources: merged.resources,
    };
    write::normalise(&mut snapshot);
    Ok(snapshot)
}
