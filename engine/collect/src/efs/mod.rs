//! EFS in one region: file systems with their encryption, performance and
//! throughput modes, One Zone placement and tags (all from
//! `DescribeFileSystems`), the automatic backup policy and the file system
//! policy. EFS answers `PolicyNotFound` for a file system without either:
//! a value (backups `DISABLED`, no policy), not a failure.

use aws_config::SdkConfig;
use aws_sdk_efs::Client;
use aws_sdk_efs::types::FileSystemDescription;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_efs_file_system";

/// EFS's "not configured" answer to both policy reads.
const NOT_FOUND: &[&str] = &["PolicyNotFound"];

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_file_systems()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "elasticfilesystem:DescribeFileSystems", KIND)
    else {
        return part;
    };
    let systems: Vec<FileSystemDescription> = pages
        .iter()
        .flat_map(|p| p.file_systems())
        .cloned()
        .collect();
    let client = &client;
    let done = futures_util::stream::iter(systems)
        .map(|fs| async move { file_system(shared, client, scope, fs).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(done);
    part
}

async fn file_system(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    fs: FileSystemDescription,
) -> (pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>) {
    let id = fs.file_system_id().to_owned();
    let arn = fs
        .file_system_arn()
        .map(str::to_owned)
        .unwrap_or_else(|| scope.arn("elasticfilesystem", &format!("file-system/{id}")));
    let mut d = Draft::new(scope, KIND, arn.clone(), object(attributes(&fs, &arn)));

    let read = {
        let _slot = shared.slot().await;
        client
            .describe_backup_policy()
            .file_system_id(&id)
            .send()
            .await
    };
    let backup = match read {
        Ok(out) => Ok(json!({
            "status": out.backup_policy().map(|b| b.status().as_str()).unwrap_or("DISABLED"),
        })),
        Err(e) => {
            let f = Failure::of(&e);
            if f.is(NOT_FOUND) {
                Ok(json!({"status": "DISABLED"}))
            } else {
                Err(f)
            }
        }
    };
    d.set(
        "backup_policy",
        "elasticfilesystem:DescribeBackupPolicy",
        backup,
    );

    let read = {
        let _slot = shared.slot().await;
        client
            .describe_file_system_policy()
            .file_system_id(&id)
            .send()
            .await
    };
    let policy = match read {
        Ok(out) => Ok(convert::opt_str(
            out.policy()
                .filter(|p| !p.trim().is_empty())
                .map(convert::policy_document)
                .as_deref(),
        )),
        Err(e) => {
            let f = Failure::of(&e);
            if f.is(NOT_FOUND) {
                Ok(Value::Null)
            } else {
                Err(f)
            }
        }
    };
    d.set(
        "policy",
        "elasticfilesystem:DescribeFileSystemPolicy",
        policy,
    );
    d.finish()
}

/// What `DescribeFileSystems` gives, under the provider's names.
fn attributes(fs: &FileSystemDescription, arn: &str) -> Value {
    json!({
        "id": fs.file_system_id(),
        "arn": arn,
        "name": convert::non_empty(fs.name()),
        "creation_token": fs.creation_token(),
        "encrypted": fs.encrypted().unwrap_or(false),
        "kms_key_id": convert::non_empty(fs.kms_key_id()),
        "performance_mode": fs.performance_mode().as_str(),
        "throughput_mode": fs.throughput_mode().map(|m| m.as_str()),
        "availability_zone_name": convert::non_empty(fs.availability_zone_name()),
        "tags": convert::tags(fs.tags().iter().map(|t| (Some(t.key()), Some(t.value())))),
    })
}
