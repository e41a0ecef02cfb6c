//! One account: credentials, identity, regions, then every service listed
//! in [`crate::services`].

pub(crate) mod credentials;
mod error;
mod regions;
mod shared;

pub(crate) use error::AccountError;
pub(crate) use shared::Shared;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use aws_config::Region;
use futures_util::StreamExt;
use tokio::sync::Semaphore;

use crate::options::{Options, Target};
use crate::part::{Part, Scope};
use crate::progress::Progress;
use crate::services;

/// Region used for global calls (STS, IAM, listing regions and buckets)
/// when the configuration names none.
const HOME_REGION: &str = "us-east-1";

pub(crate) struct AccountDone {
    pub account: String,
    pub regions: Vec<String>,
    pub part: Part,
}

/// Reads one account. `claimed` holds the accounts already taken by this
/// run (several targets can lead into one account); `budget` is the global
/// bound on calls in flight shared by every account.
pub(crate) async fn collect_account(
    options: &Options,
    target: &Target,
    claimed: &Mutex<BTreeSet<String>>,
    budget: &Arc<Semaphore>,
    progress: &Progress,
) -> Result<Option<AccountDone>, AccountError> {
    let config = credentials::sdk_config(options, target).await;
    if target.role.is_some() {
        credentials::assume(&config).await?;
    }
    let (account, partition) = credentials::identity(&config).await?;
    if let Some(expected) = &target.expected
        && expected != &account
    {
        return Err(AccountError::Mismatch {
            expected: expected.clone(),
            actual: account,
        });
    }
    let first = claimed
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(account.clone());
    if !first {
        // Two roles into one account: read it once, or resource ids repeat.
        progress.log(&format!(
            "{}: account {account} is already collected in this run; skipped",
            target.label()
        ));
        return Ok(None);
    }
    let scope = Scope {
        account: account.clone(),
        region: None,
        partition,
    };
    let task = progress.task(match &target.name {
        Some(name) => format!("account {account} ({name})"),
        None => format!("account {account}"),
    });
    let mut part = Part::default();

    task.step("listing regions");
    let home = config
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| HOME_REGION.into());
    let known = crate::ec2::regions(&config).await;
    let wanted = target.regions.as_ref().unwrap_or(&options.regions);
    let regions = regions::select(known, wanted, home, &scope, &mut part);

    let shared = Arc::new(Shared {
        config,
        endpoint: options.endpoint(),
        scope: scope.clone(),
        limit: Arc::new(Semaphore::new(options.concurrency.max(1))),
        budget: budget.clone(),
        fan_out: options.concurrency.max(1),
    });

    task.step(&services::global_step());
    let global = read_global(&shared);
    let regional = futures_util::stream::iter(regions.clone())
        .map(|region| read_region(shared.clone(), region, progress))
        // Regions a few at a time: each region's collector fans out further.
        .buffer_unordered(options.concurrency.clamp(1, 4))
        .collect::<Vec<Part>>();
    let (global, regional) = tokio::join!(global, regional);
    part.absorb(global);
    for p in regional {
        part.absorb(p);
    }
    task.finish(part.resources.len(), part.gaps.len());
    Ok(Some(AccountDone {
        account,
        regions,
        part,
    }))
}

/// Every global service at once, merged in the order they are listed.
async fn read_global(shared: &Shared) -> Part {
    let parts =
        futures_util::future::join_all(services::GLOBAL.iter().map(|s| (s.collect)(shared))).await;
    Part::merge(parts)
}

/// Every regional service in one region, one after the other.
async fn read_region(shared: Arc<Shared>, region: String, progress: &Progress) -> Part {
    let task = progress.task(format!("{} {region}", shared.scope.account));
    let config = shared
        .config
        .to_builder()
        .region(Region::new(region.clone()))
        .build();
    let scope = shared.scope.in_region(&region);
    let mut parts = Vec::with_capacity(services::REGIONAL.len());
    for service in services::REGIONAL {
        task.step(service.label);
        parts.push((service.collect)(&shared, &config, &scope).await);
    }
    let part = Part::merge(parts);
    task.finish(part.resources.len(), part.gaps.len());
    part
}
