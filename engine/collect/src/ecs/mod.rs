//! ECS in one region: clusters (with their settings and configuration),
//! each cluster's services, and the latest ACTIVE revision of every task
//! definition family. Older revisions are not read: a service runs the
//! revision it names, and the family's latest is what a deployment picks
//! up next, so that is the one judged (docs/resource-model/ecs.md).

mod clusters;
mod task_definitions;

use aws_config::SdkConfig;
use aws_sdk_ecs::Client;

use crate::account::Shared;
use crate::part::{Part, Scope};

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = clusters::collect(shared, &client, scope).await;
    part.absorb(task_definitions::collect(shared, &client, scope).await);
    part
}
