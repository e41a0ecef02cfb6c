//! ElastiCache in one region: replication groups (Redis OSS and Valkey)
//! and cache clusters (Memcached, standalone Redis, and the members of
//! replication groups), with their tags.
//!
//! Whether a replication group requires an AUTH token is read from
//! `AuthTokenEnabled`; the token itself is never read (no API returns it).

use aws_config::SdkConfig;
use aws_sdk_elasticache::Client;
use aws_sdk_elasticache::types::{CacheCluster, ReplicationGroup};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const GROUP: &str = "aws_elasticache_replication_group";
const CLUSTER: &str = "aws_elasticache_cluster";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_replication_groups()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let groups: Vec<(String, Value)> = part
        .listed(read, scope, "elasticache:DescribeReplicationGroups", GROUP)
        .unwrap_or_default()
        .iter()
        .flat_map(|p| p.replication_groups())
        .map(|g| {
            let arn = g.arn().map(str::to_owned).unwrap_or_else(|| {
                scope.arn(
                    "elasticache",
                    &format!(
                        "replicationgroup:{}",
                        g.replication_group_id().unwrap_or("")
                    ),
                )
            });
            let attrs = group_attributes(g, &arn);
            (arn, attrs)
        })
        .collect();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_cache_clusters()
            .show_cache_node_info(true)
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let clusters: Vec<(String, Value)> = part
        .listed(read, scope, "elasticache:DescribeCacheClusters", CLUSTER)
        .unwrap_or_default()
        .iter()
        .flat_map(|p| p.cache_clusters())
        .map(|c| {
            let arn = c.arn().map(str::to_owned).unwrap_or_else(|| {
                scope.arn(
                    "elasticache",
                    &format!("cluster:{}", c.cache_cluster_id().unwrap_or("")),
                )
            });
            let attrs = cluster_attributes(c, &arn);
            (arn, attrs)
        })
        .collect();
    let all = groups
        .into_iter()
        .map(|(arn, attrs)| (GROUP, arn, attrs))
        .chain(
            clusters
                .into_iter()
                .map(|(arn, attrs)| (CLUSTER, arn, attrs)),
        );
    let client = &client;
    let done = futures_util::stream::iter(all)
        .map(|(kind, arn, attrs)| async move {
            let mut d = Draft::new(scope, kind, arn.clone(), object(attrs));
            let read = {
                let _slot = shared.slot().await;
                client
                    .list_tags_for_resource()
                    .resource_name(&arn)
                    .send()
                    .await
            };
            let tags = read
                .map(|out| convert::tags(out.tag_list().iter().map(|t| (t.key(), t.value()))))
                .map_err(|e| Failure::of(&e));
            d.set("tags", "elasticache:ListTagsForResource", tags);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(done);
    part
}

/// A replication group under the provider's names. `AutomaticFailover` and
/// `MultiAZ` are enums in the API (`enabled`, `enabling`, ...); the
/// provider's booleans are true while they are on or turning on.
fn group_attributes(g: &ReplicationGroup, arn: &str) -> Value {
    let failover = g
        .automatic_failover()
        .is_some_and(|s| matches!(s.as_str(), "enabled" | "enabling"));
    let multi_az = g.multi_az().is_some_and(|s| s.as_str() == "enabled");
    json!({
        "replication_group_id": g.replication_group_id(),
        "arn": arn,
        "description": convert::non_empty(g.description()),
        // Replication groups are Redis OSS or Valkey; older API answers
        // leave the engine out, and those groups are Redis.
        "engine": g.engine().unwrap_or("redis"),
        "at_rest_encryption_enabled": g.at_rest_encryption_enabled().unwrap_or(false),
        "transit_encryption_enabled": g.transit_encryption_enabled().unwrap_or(false),
        "automatic_failover_enabled": failover,
        "multi_az_enabled": multi_az,
        "auth_token_enabled": g.auth_token_enabled().unwrap_or(false),
        "user_group_ids": convert::strings(g.user_group_ids().iter().map(String::as_str)),
        "snapshot_retention_limit": g.snapshot_retention_limit().unwrap_or(0),
        "kms_key_id": convert::non_empty(g.kms_key_id()),
        "member_clusters": convert::strings(g.member_clusters().iter().map(String::as_str)),
        "num_cache_clusters": g.member_clusters().len(),
        "cluster_enabled": g.cluster_enabled().unwrap_or(false),
        "auto_minor_version_upgrade": g.auto_minor_version_upgrade().unwrap_or(true),
        "node_type": convert::non_empty(g.cache_node_type()),
    })
}

/// A cache cluster under the provider's names. `az_mode` is not in the
/// API's answer: it is `cross-az` when the nodes sit in more than one
/// zone (or the cluster's preferred zone reads `Multiple`).
fn cluster_attributes(c: &CacheCluster, arn: &str) -> Value {
    let mut zones: Vec<&str> = c
        .cache_nodes()
        .iter()
        .filter_map(|n| n.customer_availability_zone())
        .collect();
    zones.sort_unstable();
    zones.dedup();
    let cross = zones.len() > 1 || c.preferred_availability_zone() == Some("Multiple");
    json!({
        "cluster_id": c.cache_cluster_id(),
        "arn": arn,
        "engine": c.engine(),
        "engine_version": c.engine_version(),
        "node_type": convert::non_empty(c.cache_node_type()),
        "num_cache_nodes": c.num_cache_nodes(),
        "az_mode": if cross { "cross-az" } else { "single-az" },
        "availability_zone": convert::non_empty(c.preferred_availability_zone()),
        "replication_group_id": convert::non_empty(c.replication_group_id()),
        "snapshot_retention_limit": c.snapshot_retention_limit().unwrap_or(0),
        "transit_encryption_enabled": c.transit_encryption_enabled().unwrap_or(false),
        "at_rest_encryption_enabled": c.at_rest_encryption_enabled().unwrap_or(false),
        "auto_minor_version_upgrade": c.auto_minor_version_upgrade().unwrap_or(true),
    })
}
