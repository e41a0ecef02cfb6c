//! DynamoDB in one region: tables with their billing mode, point-in-time
//! recovery, encryption key, deletion protection, replicas, TTL and tags.
//!
//! `DescribeTable` names the KMS key of a table encrypted with KMS but not
//! whose it is: the AWS-managed `aws/dynamodb` key and a customer-managed
//! key look alike there, so the key is described (`kms:DescribeKey`) for
//! its `KeyManager`. A table whose `SSEDescription` is absent is encrypted
//! with the AWS-owned key, which the account cannot see at all.

use aws_config::SdkConfig;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{SseStatus, TableDescription};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_dynamodb_table";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let kms = aws_sdk_kms::Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_tables()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "dynamodb:ListTables", KIND) else {
        return part;
    };
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.table_names())
        .cloned()
        .collect();
    let (client, kms) = (&client, &kms);
    let results = futures_util::stream::iter(names)
        .map(|name| async move { table(shared, client, kms, scope, name).await })
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

/// One table. A table that cannot be described is a gap naming it.
async fn table(
    shared: &Shared,
    client: &Client,
    kms: &aws_sdk_kms::Client,
    scope: &Scope,
    name: String,
) -> Result<(pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>), pillar_snapshot::Gap> {
    let fallback = scope.arn("dynamodb", &format!("table/{name}"));
    let described = {
        let _slot = shared.slot().await;
        client.describe_table().table_name(&name).send().await
    };
    let table = match described {
        Ok(out) => match out.table() {
            Some(t) => t.clone(),
            None => {
                let f = Failure {
                    code: None,
                    reason: "error",
                    message: "DescribeTable returned no table".to_owned(),
                };
                return Err(f.gap(scope, "dynamodb:DescribeTable", KIND, Some(&fallback)));
            }
        },
        Err(e) => {
            return Err(Failure::of(&e).gap(
                scope,
                "dynamodb:DescribeTable",
                KIND,
                Some(&fallback),
            ));
        }
    };
    let arn = table.table_arn().map(str::to_owned).unwrap_or(fallback);
    let mut d = Draft::new(scope, KIND, arn.clone(), object(attributes(&table, &arn)));
    encryption(shared, kms, &table, &mut d).await;

    let read = {
        let _slot = shared.slot().await;
        client
            .describe_continuous_backups()
            .table_name(&name)
            .send()
            .await
    };
    let pitr = read
        .map(|out| {
            let status = out
                .continuous_backups_description()
                .and_then(|c| c.point_in_time_recovery_description())
                .and_then(|p| p.point_in_time_recovery_status())
                .map(|s| s.as_str().to_owned());
            json!({"enabled": status.as_deref() == Some("ENABLED")})
        })
        .map_err(|e| Failure::of(&e));
    d.set(
        "point_in_time_recovery",
        "dynamodb:DescribeContinuousBackups",
        pitr,
    );

    let read = {
        let _slot = shared.slot().await;
        client
            .describe_time_to_live()
            .table_name(&name)
            .send()
            .await
    };
    let ttl = read
        .map(|out| {
            let ttl = out.time_to_live_description();
            let status = ttl
                .and_then(|t| t.time_to_live_status())
                .map(|s| s.as_str());
            json!({
                "enabled": status == Some("ENABLED"),
                "attribute_name": convert::non_empty(ttl.and_then(|t| t.attribute_name())),
            })
        })
        .map_err(|e| Failure::of(&e));
    d.set("ttl", "dynamodb:DescribeTimeToLive", ttl);

    let tags = tags(shared, client, &arn).await;
    d.set("tags", "dynamodb:ListTagsOfResource", tags);
    Ok(d.finish())
}

/// `server_side_encryption`: `enabled` false for the AWS-owned key (no
/// `SSEDescription`, or one that is not enabled); otherwise the key's ARN
/// and, from `kms:DescribeKey`, its `key_manager` (`AWS` for
/// `aws/dynamodb`, `CUSTOMER`), unknown when the key cannot be described.
async fn encryption(
    shared: &Shared,
    kms: &aws_sdk_kms::Client,
    table: &TableDescription,
    d: &mut Draft<'_>,
) {
    let sse = table.sse_description();
    let on = sse.and_then(|s| s.status()).is_some_and(|s| {
        matches!(
            s,
            SseStatus::Enabled | SseStatus::Enabling | SseStatus::Updating
        )
    });
    let key = sse
        .and_then(|s| s.kms_master_key_arn())
        .filter(|k| !k.is_empty());
    let Some(key) = key.filter(|_| on) else {
        d.attrs.insert(
            "server_side_encryption".into(),
            json!({"enabled": false, "kms_key_arn": null, "key_manager": null}),
        );
        return;
    };
    let read = {
        let _slot = shared.slot().await;
        kms.describe_key().key_id(key).send().await
    };
    let manager = match read {
        Ok(out) => convert::opt_str(
            out.key_metadata()
                .and_then(|m| m.key_manager())
                .map(|m| m.as_str()),
        ),
        Err(e) => {
            d.failed(
                "/server_side_encryption/key_manager",
                "kms:DescribeKey",
                &Failure::of(&e),
            );
            Value::Null
        }
    };
    d.attrs.insert(
        "server_side_encryption".into(),
        json!({"enabled": true, "kms_key_arn": key, "key_manager": manager}),
    );
}

/// Every page of the table's tags.
async fn tags(shared: &Shared, client: &Client, arn: &str) -> Result<Value, Failure> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let read = {
            let _slot = shared.slot().await;
            client
                .list_tags_of_resource()
                .resource_arn(arn)
                .set_next_token(token.clone())
                .send()
                .await
        };
        let out = read.map_err(|e| Failure::of(&e))?;
        pairs.extend(
            out.tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned())),
        );
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    Ok(convert::tags(
        pairs
            .iter()
            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
    ))
}

/// What `DescribeTable` gives, under the provider's names. An absent
/// billing mode summary is a table created provisioned (AWS only writes it
/// once the mode has been set).
fn attributes(t: &TableDescription, arn: &str) -> Value {
    let billing = t
        .billing_mode_summary()
        .and_then(|b| b.billing_mode())
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "PROVISIONED".to_owned());
    let replicas: Vec<Value> = t
        .replicas()
        .iter()
        .map(|r| json!({"region_name": r.region_name()}))
        .collect();
    json!({
        "name": t.table_name(),
        "arn": arn,
        "billing_mode": billing,
        "deletion_protection_enabled": t.deletion_protection_enabled().unwrap_or(false),
        "replica": replicas,
        "table_class": t
            .table_class_summary()
            .and_then(|c| c.table_class())
            .map(|c| c.as_str().to_owned())
            .unwrap_or_else(|| "STANDARD".to_owned()),
    })
}
