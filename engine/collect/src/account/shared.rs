//! What every service collector of one account shares: the SDK
//! configuration, the scope, and the bounds on calls in flight.

use std::sync::Arc;

use aws_config::SdkConfig;
use tokio::sync::Semaphore;

use crate::part::Scope;

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
