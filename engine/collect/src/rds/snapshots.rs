//! Manual DB snapshots and DB cluster snapshots owned by the account, with
//! whom they are shared (the `restore` attribute; `all` means public).
//! Automated snapshots are left out: they cannot be shared, and their
//! encryption is their database's (PILLAR-RDS-001 judges it).

use std::future::Future;

use aws_sdk_rds::Client;
use futures_util::StreamExt;
use pillar_snapshot::{Gap, Resource};
use serde_json::{Value, json};

use super::rds_tags;
use crate::account::Shared;
use crate::convert::{object, strings};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const SNAPSHOT: &str = "aws_db_snapshot";
const CLUSTER_SNAPSHOT: &str = "aws_db_cluster_snapshot";

/// The accounts in a `restore` attribute, as the provider's
/// `shared_accounts`.
fn restore_accounts<'a>(
    attributes: impl IntoIterator<Item = (Option<&'a str>, &'a [String])>,
) -> Value {
    strings(
        attributes
            .into_iter()
            .filter(|(name, _)| *name == Some("restore"))
            .flat_map(|(_, values)| values.iter().map(String::as_str)),
    )
}

/// Finishes a snapshot with `shared_accounts` from its attributes call,
/// made within a slot.
async fn with_sharing(
    shared: &Shared,
    mut d: Draft<'_>,
    operation: &str,
    read: impl Future<Output = Result<Value, Failure>>,
) -> (Resource, Vec<Gap>) {
    let accounts = {
        let _slot = shared.slot().await;
        read.await
    };
    d.set("shared_accounts", operation, accounts);
    d.finish()
}

pub(super) async fn db_snapshots(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_db_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "rds:DescribeDBSnapshots",
        SNAPSHOT,
    ) else {
        return;
    };
    let snapshots: Vec<_> = pages.iter().flat_map(|p| p.db_snapshots()).collect();
    let results = futures_util::stream::iter(snapshots)
        .map(|s| async move {
            let id = s.db_snapshot_identifier().unwrap_or_default();
            let arn = s
                .db_snapshot_arn()
                .map(str::to_owned)
                .unwrap_or_else(|| scope.arn("rds", &format!("snapshot:{id}")));
            let d = Draft::new(
                scope,
                SNAPSHOT,
                arn.clone(),
                object(json!({
                    "db_snapshot_identifier": id,
                    "db_snapshot_arn": arn,
                    "db_instance_identifier": s.db_instance_identifier(),
                    "engine": s.engine(),
                    "engine_version": s.engine_version(),
                    "snapshot_type": s.snapshot_type(),
                    "encrypted": s.encrypted().unwrap_or(false),
                    "kms_key_id": s.kms_key_id(),
                    "tags": rds_tags(s.tag_list()),
                })),
            );
            let read = async {
                let out = client
                    .describe_db_snapshot_attributes()
                    .db_snapshot_identifier(id)
                    .send()
                    .await
                    .map_err(|e| Failure::of(&e))?;
                Ok::<Value, Failure>(restore_accounts(
                    out.db_snapshot_attributes_result()
                        .map(|r| r.db_snapshot_attributes())
                        .unwrap_or_default()
                        .iter()
                        .map(|a| (a.attribute_name(), a.attribute_values())),
                ))
            };
            with_sharing(shared, d, "rds:DescribeDBSnapshotAttributes", read).await
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

pub(super) async fn cluster_snapshots(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    part: &mut Part,
) {
    let Some(pages) = part.listed(
        client
            .describe_db_cluster_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "rds:DescribeDBClusterSnapshots",
        CLUSTER_SNAPSHOT,
    ) else {
        return;
    };
    let snapshots: Vec<_> = pages
        .iter()
        .flat_map(|p| p.db_cluster_snapshots())
        .collect();
    let results = futures_util::stream::iter(snapshots)
        .map(|s| async move {
            let id = s.db_cluster_snapshot_identifier().unwrap_or_default();
            let arn = s
                .db_cluster_snapshot_arn()
                .map(str::to_owned)
                .unwrap_or_else(|| scope.arn("rds", &format!("cluster-snapshot:{id}")));
            let d = Draft::new(
                scope,
                CLUSTER_SNAPSHOT,
                arn.clone(),
                object(json!({
                    "db_cluster_snapshot_identifier": id,
                    "db_cluster_snapshot_arn": arn,
                    "db_cluster_identifier": s.db_cluster_identifier(),
                    "engine": s.engine(),
                    "engine_version": s.engine_version(),
                    "snapshot_type": s.snapshot_type(),
                    "storage_encrypted": s.storage_encrypted().unwrap_or(false),
                    "kms_key_id": s.kms_key_id(),
                    "tags": rds_tags(s.tag_list()),
                })),
            );
            let read = async {
                let out = client
                    .describe_db_cluster_snapshot_attributes()
                    .db_cluster_snapshot_identifier(id)
                    .send()
                    .await
                    .map_err(|e| Failure::of(&e))?;
                Ok::<Value, Failure>(restore_accounts(
                    out.db_cluster_snapshot_attributes_result()
                        .map(|r| r.db_cluster_snapshot_attributes())
                        .unwrap_or_default()
                        .iter()
                        .map(|a| (a.attribute_name(), a.attribute_values())),
                ))
            };
            with_sharing(shared, d, "rds:DescribeDBClusterSnapshotAttributes", read).await
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}
