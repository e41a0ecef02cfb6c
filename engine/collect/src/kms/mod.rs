//! KMS in one region: keys, with their state, rotation, key policy and
//! tags. AWS-managed keys are listed (other resources name them) but only
//! described: their rotation and policy are AWS's.

use aws_config::SdkConfig;
use aws_sdk_kms::Client;
use aws_sdk_kms::types::KeyMetadata;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_kms_key";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let Some(pages) = part.listed(
        client
            .list_keys()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "kms:ListKeys",
        KIND,
    ) else {
        return part;
    };
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.keys())
        .filter_map(|k| k.key_id().map(str::to_owned))
        .collect();
    let client = &client;
    let results = futures_util::stream::iter(ids)
        .map(|id| async move { key(shared, client, scope, id).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    for r in results {
        match r {
            Ok(done) => part.add([done]),
            Err(gap) => part.gaps.push(gap),
        }
    }
    part
}

/// One key. A key that cannot be described is a gap naming it: without
/// its metadata there is nothing to judge.
async fn key(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    id: String,
) -> Result<(pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>), pillar_snapshot::Gap> {
    let arn = scope.arn("kms", &format!("key/{id}"));
    let described = {
        let _slot = shared.slot().await;
        client.describe_key().key_id(&id).send().await
    };
    let meta = match described {
        Ok(out) => match out.key_metadata() {
            Some(m) => m.clone(),
            None => return Err(missing(scope, &arn)),
        },
        Err(e) => {
            return Err(Failure::of(&e).gap(scope, "kms:DescribeKey", KIND, Some(&arn)));
        }
    };
    let arn = meta.arn().map(str::to_owned).unwrap_or(arn);
    let customer = meta.key_manager().map(|m| m.as_str()) == Some("CUSTOMER");
    let mut d = Draft::new(scope, KIND, arn.clone(), object(attributes(&meta, &arn)));
    if !customer {
        return Ok(d.finish());
    }
    // Rotation exists for symmetric keys of KMS's own material only; for
    // the others AWS answers an error that says nothing about this key. A
    // key pending deletion cannot be asked (and is not judged on it).
    let askable = matches!(
        meta.key_state().map(|s| s.as_str()),
        Some("Enabled" | "Disabled")
    );
    if !rotates(&meta) {
        d.attrs.insert("enable_key_rotation".into(), json!(false));
    } else if askable {
        let read = {
            let _slot = shared.slot().await;
            client.get_key_rotation_status().key_id(&id).send().await
        };
        let rotation = read
            .map(|out| json!(out.key_rotation_enabled()))
            .map_err(|e| Failure::of(&e));
        d.set("enable_key_rotation", "kms:GetKeyRotationStatus", rotation);
    }
    let read = {
        let _slot = shared.slot().await;
        client
            .get_key_policy()
            .key_id(&id)
            .policy_name("default")
            .send()
            .await
    };
    let policy = read
        .map(|out| json!(out.policy().map(convert::policy_document)))
        .map_err(|e| Failure::of(&e));
    d.set("policy", "kms:GetKeyPolicy", policy);
    let read = {
        let _slot = shared.slot().await;
        client.list_resource_tags().key_id(&id).send().await
    };
    let tags = read
        .map(|out| {
            convert::tags(
                out.tags()
                    .iter()
                    .map(|t| (Some(t.tag_key()), Some(t.tag_value()))),
            )
        })
        .map_err(|e| Failure::of(&e));
    d.set("tags", "kms:ListResourceTags", tags);
    Ok(d.finish())
}

fn missing(scope: &Scope, arn: &str) -> pillar_snapshot::Gap {
    let f = Failure {
        code: None,
        reason: "error",
        message: "DescribeKey returned no key metadata".to_owned(),
    };
    f.gap(scope, "kms:DescribeKey", KIND, Some(arn))
}

/// Whether KMS can rotate the key's material itself.
fn rotates(meta: &KeyMetadata) -> bool {
    meta.key_spec().map(|s| s.as_str()) == Some("SYMMETRIC_DEFAULT")
        && meta.origin().map(|o| o.as_str()) == Some("AWS_KMS")
}

/// The attributes DescribeKey gives, under the provider's names where it
/// has them (`is_enabled`, `customer_master_key_spec`).
fn attributes(meta: &KeyMetadata, arn: &str) -> Value {
    json!({
        "key_id": meta.key_id(),
        "arn": arn,
        "description": convert::non_empty(meta.description()),
        "key_manager": meta.key_manager().map(|m| m.as_str()),
        "key_state": meta.key_state().map(|s| s.as_str()),
        "is_enabled": meta.enabled(),
        "key_usage": meta.key_usage().map(|u| u.as_str()),
        "customer_master_key_spec": meta.key_spec().map(|s| s.as_str()),
        "origin": meta.origin().map(|o| o.as_str()),
        "multi_region": meta.multi_region().unwrap_or(false),
        "deletion_date": convert::time(meta.deletion_date()),
    })
}
