//! RDS in one region: DB instances (with their cross-region backup
//! replications and subnet group subnets), clusters, subnet groups, and
//! manual DB and cluster snapshots (`snapshots.rs`).

mod snapshots;

use std::collections::HashMap;

use aws_config::{Region, SdkConfig};
use aws_sdk_rds::Client;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object, strings};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

fn rds_tags(tags: &[aws_sdk_rds::types::Tag]) -> Value {
    convert::tags(tags.iter().map(|t| (t.key(), t.value())))
}

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    db_instances(shared, config, &client, scope, &mut part).await;
    clusters(&client, scope, &mut part).await;
    subnet_groups(shared, &client, scope, &mut part).await;
    snapshots::db_snapshots(shared, &client, scope, &mut part).await;
    snapshots::cluster_snapshots(shared, &client, scope, &mut part).await;
    part
}

/// A replicated automated backup as its destination region describes it.
struct Replica {
    retention_period: Option<i32>,
    kms_key_id: Option<String>,
}

async fn db_instances(
    shared: &Shared,
    config: &SdkConfig,
    client: &Client,
    scope: &Scope,
    part: &mut Part,
) {
    let Some(pages) = part.listed(
        client
            .describe_db_instances()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "rds:DescribeDBInstances",
        "aws_db_instance",
    ) else {
        return;
    };
    let instances: Vec<_> = pages.iter().flat_map(|p| p.db_instances()).collect();

    // Replications live in other regions: read each destination region's
    // automated backups once, keyed by their ARN.
    let mut destinations: Vec<String> = instances
        .iter()
        .flat_map(|db| db.db_instance_automated_backups_replications())
        .filter_map(|r| r.db_instance_automated_backups_arn())
        .filter_map(convert::arn_region)
        .map(str::to_owned)
        .collect();
    destinations.sort();
    destinations.dedup();
    let mut backups: HashMap<String, Result<HashMap<String, Replica>, Failure>> = HashMap::new();
    for region in destinations {
        let _slot = shared.slot().await;
        let remote = Client::new(
            &config
                .to_builder()
                .region(Region::new(region.clone()))
                .build(),
        );
        let read = remote
            .describe_db_instance_automated_backups()
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| Failure::of(&e))
            .map(|pages| {
                pages
                    .iter()
                    .flat_map(|p| p.db_instance_automated_backups())
                    .filter_map(|b| {
                        Some((
                            b.db_instance_automated_backups_arn()?.to_owned(),
                            Replica {
                                retention_period: b.backup_retention_period(),
                                kms_key_id: b.kms_key_id().map(str::to_owned),
                            },
                        ))
                    })
                    .collect()
            });
        backups.insert(region, read);
    }

    for db in instances {
        let Some(arn) = db.db_instance_arn().map(str::to_owned).or_else(|| {
            db.db_instance_identifier()
                .map(|id| scope.arn("rds", &format!("db:{id}")))
        }) else {
            continue;
        };
        let mut unknown = Vec::new();
        let mut replications = Vec::new();
        for rep in db.db_instance_automated_backups_replications() {
            let Some(backup_arn) = rep.db_instance_automated_backups_arn() else {
                continue;
            };
            let i = replications.len();
            let region = convert::arn_region(backup_arn).unwrap_or_default();
            let found = match backups.get(region) {
                Some(Ok(found)) => found.get(backup_arn),
                Some(Err(f)) => {
                    part.gaps.push(f.gap(
                        &scope.in_region(region),
                        "rds:DescribeDBInstanceAutomatedBackups",
                        "aws_db_instance",
                        Some(&arn),
                    ));
                    None
                }
                None => None,
            };
            // Known to exist, but its details in the destination are not.
            let (retention, kms) = match found {
                Some(replica) => (json!(replica.retention_period), json!(replica.kms_key_id)),
                None => {
                    for field in ["retention_period", "kms_key_id"] {
                        unknown.push(format!("/automated_backups_replications/{i}/{field}"));
                    }
                    (Value::Null, Value::Null)
                }
            };
            replications.push(json!({
                "destination_region": region,
                "source_db_instance_arn": arn,
                "retention_period": retention,
                "kms_key_id": kms,
            }));
        }
        let group = db.db_subnet_group();
        let attrs = json!({
            "identifier": db.db_instance_identifier(),
            "arn": arn,
            "engine": db.engine(),
            "engine_version": db.engine_version(),
            "instance_class": db.db_instance_class(),
            "allocated_storage": db.allocated_storage(),
            "storage_type": db.storage_type(),
            "storage_encrypted": db.storage_encrypted().unwrap_or(false),
            "kms_key_id": db.kms_key_id(),
            "publicly_accessible": db.publicly_accessible().unwrap_or(false),
            "multi_az": db.multi_az().unwrap_or(false),
            "availability_zone": db.availability_zone(),
            "backup_retention_period": db.backup_retention_period(),
            "deletion_protection": db.deletion_protection().unwrap_or(false),
            "performance_insights_enabled": db.performance_insights_enabled().unwrap_or(false),
            "iam_database_authentication_enabled": db.iam_database_authentication_enabled().unwrap_or(false),
            "db_subnet_group_name": group.and_then(|g| g.db_subnet_group_name()),
            "subnet_ids": strings(group.map(|g| g.subnets()).unwrap_or_default().iter().filter_map(|s| s.subnet_identifier())),
            "vpc_security_group_ids": strings(db.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id())),
            "address": db.endpoint().and_then(|e| e.address()),
            "port": db.endpoint().and_then(|e| e.port()),
            "replicate_source_db": db.read_replica_source_db_instance_identifier(),
            "cluster_identifier": db.db_cluster_identifier(),
            "manage_master_user_password": db.master_user_secret().is_some(),
            "automated_backups_replications": replications,
            "tags": rds_tags(db.tag_list()),
        });
        let mut r = scope.resource("aws_db_instance", arn, object(attrs));
        r.unknown = unknown;
        part.resources.push(r);
    }
}

async fn clusters(client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_db_clusters()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "rds:DescribeDBClusters",
        "aws_rds_cluster",
    ) else {
        return;
    };
    for c in pages.iter().flat_map(|p| p.db_clusters()) {
        let Some(arn) = c.db_cluster_arn().map(str::to_owned).or_else(|| {
            c.db_cluster_identifier()
                .map(|id| scope.arn("rds", &format!("cluster:{id}")))
        }) else {
            continue;
        };
        let attrs = json!({
            "cluster_identifier": c.db_cluster_identifier(),
            "arn": arn,
            "engine": c.engine(),
            "engine_version": c.engine_version(),
            "engine_mode": c.engine_mode(),
            "storage_encrypted": c.storage_encrypted().unwrap_or(false),
            "kms_key_id": c.kms_key_id(),
            "backup_retention_period": c.backup_retention_period(),
            "deletion_protection": c.deletion_protection().unwrap_or(false),
            "iam_database_authentication_enabled": c.iam_database_authentication_enabled().unwrap_or(false),
            "availability_zones": strings(c.availability_zones().iter().map(String::as_str)),
            "db_subnet_group_name": c.db_subnet_group(),
            "vpc_security_group_ids": strings(c.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id())),
            "cluster_members": strings(c.db_cluster_members().iter().filter_map(|m| m.db_instance_identifier())),
            "endpoint": c.endpoint(),
            "reader_endpoint": c.reader_endpoint(),
            "port": c.port(),
            "tags": rds_tags(c.tag_list()),
        });
        part.resources
            .push(scope.resource("aws_rds_cluster", arn, object(attrs)));
    }
}

async fn subnet_groups(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_db_subnet_groups()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "rds:DescribeDBSubnetGroups",
        "aws_db_subnet_group",
    ) else {
        return;
    };
    let groups: Vec<_> = pages.iter().flat_map(|p| p.db_subnet_groups()).collect();
    let results = futures_util::stream::iter(groups)
        .map(|g| async move {
            let name = g.db_subnet_group_name().unwrap_or_default();
            let arn = g
                .db_subnet_group_arn()
                .map(str::to_owned)
                .unwrap_or_else(|| scope.arn("rds", &format!("subgrp:{name}")));
            let mut d = Draft::new(
                scope,
                "aws_db_subnet_group",
                arn.clone(),
                object(json!({
                    "name": name,
                    "arn": arn,
                    "vpc_id": g.vpc_id(),
                    "subnet_ids": strings(g.subnets().iter().filter_map(|s| s.subnet_identifier())),
                })),
            );
            let tags = {
                let _slot = shared.slot().await;
                client
                    .list_tags_for_resource()
                    .resource_name(&arn)
                    .send()
                    .await
            };
            let tags = tags
                .map(|out| rds_tags(out.tag_list()))
                .map_err(|e| Failure::of(&e));
            d.set("tags", "rds:ListTagsForResource", tags);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}
