//! One account: credentials, identity, regions, then every service.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use futures_util::StreamExt;
use pillar_snapshot::Gap;
use tokio::sync::Semaphore;

use crate::gap::Failure;
use crate::options::{Options, Target};
use crate::part::{Part, Scope};
use crate::progress::Progress;

/// Region used for global calls (STS, IAM, listing regions and buckets)
/// when the configuration names none.
const HOME_REGION: &str = "us-east-1";

pub(crate) struct AccountDone {
    pub account: String,
    pub regions: Vec<String>,
    pub part: Part,
}

/// Why an account could not be read at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AccountError {
    #[error("cannot assume the role (sts:AssumeRole): {message}")]
    AssumeRole {
        reason: &'static str,
        message: String,
    },
    #[error("cannot establish the caller identity (sts:GetCallerIdentity): {}", .0.message)]
    Identity(Failure),
    #[error(
        "the credentials are for account {actual}, not {expected} (sts:GetCallerIdentity); \
         nothing was collected"
    )]
    Mismatch { expected: String, actual: String },
}

impl AccountError {
    /// The gap recording that nothing of the account was read, naming it.
    pub(crate) fn into_gap(self, target: &Target) -> Gap {
        let (operation, reason) = match &self {
            AccountError::AssumeRole { reason, .. } => ("sts:AssumeRole", *reason),
            AccountError::Identity(failure) => ("sts:GetCallerIdentity", failure.reason),
            AccountError::Mismatch { .. } => ("sts:GetCallerIdentity", "error"),
        };
        Gap {
            kind: None,
            operation: Some(operation.into()),
            account: target.account_hint(),
            region: None,
            resource: None,
            reason: reason.to_owned(),
            message: format!("{}: {self}", target.label()),
        }
    }
}

/// The shared SDK configuration for one account: credentials (profile or
/// assumed role), endpoint, adaptive retry and timeouts.
async fn sdk_config(options: &Options, target: &Target) -> SdkConfig {
    let retry = RetryConfig::adaptive().with_max_attempts(options.max_attempts.max(1));
    let timeouts = TimeoutConfig::builder()
        .operation_timeout(options.operation_timeout)
        .connect_timeout(std::time::Duration::from_secs(10))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry.clone())
        .timeout_config(timeouts.clone());
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = options.endpoint() {
        loader = loader.endpoint_url(endpoint);
    }
    let mut base = loader.load().await;
    if base.region().is_none() {
        base = base.to_builder().region(Region::new(HOME_REGION)).build();
    }
    match &target.role {
        None => base,
        Some(arn) => {
            let mut role = aws_config::sts::AssumeRoleProvider::builder(arn)
                .session_name(&options.session_name)
                .configure(&base);
            if let Some(id) = &target.external_id {
                role = role.external_id(id);
            }
            let provider = role.build().await;
            base.to_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                )
                .build()
        }
    }
}

/// Assumes the role once before anything else, so a refusal is recorded
/// as what it is (sts:AssumeRole denied) rather than as the first service
/// call failing for want of credentials. Costs one extra AssumeRole call per
/// account; the clients assume it again and refresh it as it expires.
async fn assume(config: &SdkConfig) -> Result<(), AccountError> {
    use aws_credential_types::provider::ProvideCredentials;
    let Some(provider) = config.credentials_provider() else {
        return Ok(());
    };
    provider
        .provide_credentials()
        .await
        .map(|_| ())
        .map_err(|e| {
            let message = crate::gap::chain(&e);
            let reason = if message.contains("AccessDenied") {
                "access-denied"
            } else if message.contains("Throttl") {
                "throttled"
            } else {
                "error"
            };
            AccountError::AssumeRole { reason, message }
        })
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
    let config = sdk_config(options, target).await;
    if target.role.is_some() {
        assume(&config).await?;
    }
    let sts = aws_sdk_sts::Client::new(&config);
    let identity = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| AccountError::Identity(Failure::of(&e)))?;
    let account = identity.account().unwrap_or_default().to_owned();
    let partition = identity
        .arn()
        .and_then(|arn| arn.split(':').nth(1))
        .unwrap_or("aws")
        .to_owned();
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
    let regions = match (known, wanted.is_empty()) {
        (Ok(known), true) => known
            .into_iter()
            .filter_map(|(name, enabled)| enabled.then_some(name))
            .collect(),
        (Ok(known), false) => {
            // A region the account cannot use is a gap, not a stream of
            // failed calls.
            let mut usable = Vec::new();
            for region in wanted {
                match known.iter().find(|(name, _)| name == region) {
                    Some((_, true)) => usable.push(region.clone()),
                    found => {
                        let why = if found.is_some() {
                            "is not enabled for this account"
                        } else {
                            "is not an AWS region this endpoint knows"
                        };
                        part.gaps.push(Gap {
                            kind: None,
                            operation: Some("ec2:DescribeRegions".into()),
                            account: Some(account.clone()),
                            region: Some(region.clone()),
                            resource: None,
                            reason: "unsupported".into(),
                            message: format!("region {region} {why}; nothing was collected there"),
                        });
                    }
                }
            }
            usable
        }
        (Err(f), true) => {
            // Without the list, the configured region only, and say so.
            part.gaps.push(f.gap(
                &scope.in_region(&home),
                "ec2:DescribeRegions",
                "aws_region",
                None,
            ));
            vec![home]
        }
        // The regions asked for are tried as they are.
        (Err(_), false) => wanted.clone(),
    };

    let shared = Arc::new(Shared {
        config,
        endpoint: options.endpoint(),
        scope: scope.clone(),
        limit: Arc::new(Semaphore::new(options.concurrency.max(1))),
        budget: budget.clone(),
        fan_out: options.concurrency.max(1),
    });

    task.step("IAM and S3");
    let global = async {
        let (iam, s3) = tokio::join!(crate::iam::collect(&shared), crate::s3::collect(&shared));
        Part::merge([iam, s3])
    };
    let regional = futures_util::stream::iter(regions.clone())
        .map(|region| {
            let shared = shared.clone();
            async move {
                let task = progress.task(format!("{} {region}", shared.scope.account));
                let config = shared
                    .config
                    .to_builder()
                    .region(Region::new(region.clone()))
                    .build();
                let scope = shared.scope.in_region(&region);
                task.step("EC2");
                let ec2 = crate::ec2::collect(&shared, &config, &scope).await;
                task.step("RDS");
                let rds = crate::rds::collect(&shared, &config, &scope).await;
                let part = Part::merge([ec2, rds]);
                task.finish(part.resources.len(), part.gaps.len());
                part
            }
        })
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

/// What every service collector of one account shares.
pub(crate) struct Shared {
    pub config: SdkConfig,
    pub endpoint: Option<String>,
    pub scope: Scope,
    /// Bounds the calls in flight for this account.
    pub limit: Arc<Semaphore>,
    /// Bounds the calls in flight across all accounts of the run.
    pub budget: Arc<Semaphore>,
    /// How many per-resource calls a collector runs at once.
    pub fan_out: usize,
}

/// Permission for one call: a place in the account's bound and one in the
/// global budget, released when dropped.
pub(crate) struct Slot {
    _account: tokio::sync::OwnedSemaphorePermit,
    _global: tokio::sync::OwnedSemaphorePermit,
}

impl Shared {
    /// Waits for a slot; held for the duration of one call. The account's
    /// permit is taken first, always in that order, so no two tasks can
    /// each hold what the other waits for.
    pub(crate) async fn slot(&self) -> Slot {
        Slot {
            _account: permit(&self.limit).await,
            _global: permit(&self.budget).await,
        }
    }
}

async fn permit(semaphore: &Arc<Semaphore>) -> tokio::sync::OwnedSemaphorePermit {
    // The semaphores are never closed, so acquiring cannot fail; if it
    // somehow did, running unbounded is better than stopping.
    loop {
        if let Ok(permit) = semaphore.clone().acquire_owned().await {
            return permit;
        }
        tokio::task::yield_now().await;
    }
}
