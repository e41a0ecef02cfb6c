//! CloudWatch Logs in one region: log groups with their retention, KMS key
//! and tags (`groups.rs`), and the metric filters that turn a group's
//! events into CloudWatch metrics (`metric_filters.rs`).

mod groups;
mod metric_filters;

use aws_config::SdkConfig;
use aws_sdk_cloudwatchlogs::Client;

use crate::account::Shared;
use crate::part::{Part, Scope};

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = groups::collect(shared, &client, scope).await;
    part.absorb(metric_filters::collect(shared, &client, scope).await);
    part
}
