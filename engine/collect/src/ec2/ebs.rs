//! EBS: volumes, snapshots (with who may create volumes from them) and
//! the region's encryption-by-default setting.

use std::collections::HashMap;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{PermissionGroup, SnapshotAttributeName};
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::ec2_tags;
use crate::account::Shared;
use crate::convert::{object, strings, time};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

/// EBS volumes; returns each volume's `encrypted` for the instances' root
/// devices (`None` when the volumes could not be listed).
pub(super) async fn volumes(
    client: &Client,
    scope: &Scope,
    part: &mut Part,
) -> Option<HashMap<String, bool>> {
    let pages = part.listed(
        client
            .describe_volumes()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeVolumes",
        "aws_ebs_volume",
    )?;
    let mut encrypted = HashMap::new();
    for v in pages.iter().flat_map(|p| p.volumes()) {
        let Some(id) = v.volume_id() else { continue };
        encrypted.insert(id.to_owned(), v.encrypted().unwrap_or(false));
        let arn = scope.arn("ec2", &format!("volume/{id}"));
        let attachments: Vec<Value> = v
            .attachments()
            .iter()
            .map(|a| json!({"instance_id": a.instance_id(), "device": a.device()}))
            .collect();
        let attrs = json!({
            "id": id,
            "arn": arn,
            "availability_zone": v.availability_zone(),
            "size": v.size(),
            "type": v.volume_type().map(|t| t.as_str()),
            "encrypted": v.encrypted().unwrap_or(false),
            "kms_key_id": v.kms_key_id(),
            "state": v.state().map(|s| s.as_str()),
            "attachments": attachments,
            "create_time": time(v.create_time()),
            "tags": ec2_tags(v.tags()),
        });
        part.resources
            .push(scope.resource("aws_ebs_volume", arn, object(attrs)));
    }
    Some(encrypted)
}

pub(super) async fn snapshots(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
    let pages = client
        .describe_snapshots()
        .owner_ids("self")
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = part.listed(pages, scope, "ec2:DescribeSnapshots", "aws_ebs_snapshot") else {
        return;
    };
    // Only the account's own snapshots; some endpoints ignore OwnerIds.
    let snaps: Vec<_> = pages
        .iter()
        .flat_map(|p| p.snapshots())
        .filter(|s| s.owner_id().is_none_or(|o| o == scope.account))
        .collect();
    let results = futures_util::stream::iter(snaps)
        .map(|s| async move {
            let id = s.snapshot_id().unwrap_or_default().to_owned();
            let arn = scope.arn("ec2", &format!("snapshot/{id}"));
            let mut d = Draft::new(
                scope,
                "aws_ebs_snapshot",
                arn.clone(),
                object(json!({
                    "id": id,
                    "arn": arn,
                    "volume_id": s.volume_id(),
                    "encrypted": s.encrypted().unwrap_or(false),
                    "kms_key_id": s.kms_key_id(),
                    "start_time": time(s.start_time()),
                    "tags": ec2_tags(s.tags()),
                })),
            );
            let permissions = {
                let _slot = shared.slot().await;
                client
                    .describe_snapshot_attribute()
                    .snapshot_id(&id)
                    .attribute(SnapshotAttributeName::CreateVolumePermission)
                    .send()
                    .await
            };
            let op = "ec2:DescribeSnapshotAttribute";
            let permissions = permissions.map_err(|e| Failure::of(&e));
            let perms = permissions
                .as_ref()
                .map(|out| out.create_volume_permissions());
            let public = perms
                .map(|p| json!(p.iter().any(|p| p.group() == Some(&PermissionGroup::All))))
                .map_err(Clone::clone);
            let shared_with = perms
                .map(|p| strings(p.iter().filter_map(|p| p.user_id())))
                .map_err(Clone::clone);
            d.set("public", op, public);
            d.set("shared_with", op, shared_with);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

pub(super) async fn encryption_by_default(client: &Client, scope: &Scope, part: &mut Part) {
    let arn = scope.arn("ec2", "ebs-encryption-by-default");
    match client.get_ebs_encryption_by_default().send().await {
        Ok(out) => {
            let attrs = json!({"enabled": out.ebs_encryption_by_default().unwrap_or(false)});
            part.resources.push(scope.resource(
                "aws_ebs_encryption_by_default",
                arn,
                object(attrs),
            ));
        }
        Err(e) => part.gaps.push(Failure::of(&e).gap(
            scope,
            "ec2:GetEbsEncryptionByDefault",
            "aws_ebs_encryption_by_default",
            None,
        )),
    }
}
