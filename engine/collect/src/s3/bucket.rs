//! One bucket's configuration, read in the bucket's own region: encryption,
//! versioning, public access block, policy, ACL, logging, replication, tags.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_sdk_s3::Client;
use serde_json::{Value, json};

use super::{Clients, location};
use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part};

pub(super) async fn bucket(
    shared: &Shared,
    clients: &Clients<'_>,
    home: &Client,
    locations: &Mutex<HashMap<String, Option<String>>>,
    name: String,
) -> Part {
    let _slot = shared.slot().await;
    let global = shared.scope.global();
    let arn = format!("arn:{}:s3:::{name}", shared.scope.partition);
    let region = match location(home, &name).await {
        Ok(r) => r,
        Err(f) => {
            // Without its region the bucket cannot be read reliably.
            return Part::from_gap(f.gap(
                &global,
                "s3:GetBucketLocation",
                "aws_s3_bucket",
                Some(&arn),
            ));
        }
    };
    let scope = shared.scope.in_region(&region);
    let client = clients.get(&region);
    let mut w = Draft::new(
        &scope,
        "aws_s3_bucket",
        arn.clone(),
        object(json!({"bucket": name, "arn": arn, "region": region, "acl": null})),
    );

    // Since January 2023 AWS encrypts every new bucket with SSE-S3 and
    // GetBucketEncryption returns that configuration; older buckets and
    // emulators may still answer "not found", which is `null`.
    let enc = client.get_bucket_encryption().bucket(&name).send().await;
    w.set(
        "server_side_encryption_configuration",
        "s3:GetEncryptionConfiguration",
        match enc {
            Ok(out) => Ok(out
                .server_side_encryption_configuration()
                .map(|c| {
                    let rules: Vec<Value> = c
                        .rules()
                        .iter()
                        .map(|r| {
                            let by_default: Vec<Value> = r
                                .apply_server_side_encryption_by_default()
                                .map(|d| {
                                    json!({
                                        "sse_algorithm": d.sse_algorithm().as_str(),
                                        "kms_master_key_id": d.kms_master_key_id(),
                                    })
                                })
                                .into_iter()
                                .collect();
                            json!({
                                "apply_server_side_encryption_by_default": by_default,
                                "bucket_key_enabled": r.bucket_key_enabled().unwrap_or(false),
                            })
                        })
                        .collect();
                    json!({"rule": rules})
                })
                .unwrap_or(Value::Null)),
            Err(e) => not_configured(
                &e,
                &["ServerSideEncryptionConfigurationNotFoundError"],
                Value::Null,
            ),
        },
    );

    let ver = client.get_bucket_versioning().bucket(&name).send().await;
    w.set(
        "versioning",
        "s3:GetBucketVersioning",
        ver.map(|out| {
            json!({
                "enabled": out.status().is_some_and(|s| s.as_str() == "Enabled"),
                "mfa_delete": out.mfa_delete().is_some_and(|s| s.as_str() == "Enabled"),
            })
        })
        .map_err(|e| Failure::of(&e)),
    );

    let pab = client.get_public_access_block().bucket(&name).send().await;
    w.set(
        "public_access_block",
        "s3:GetBucketPublicAccessBlock",
        match pab {
            Ok(out) => Ok(out
                .public_access_block_configuration()
                .map(|c| {
                    json!({
                        "block_public_acls": c.block_public_acls().unwrap_or(false),
                        "block_public_policy": c.block_public_policy().unwrap_or(false),
                        "ignore_public_acls": c.ignore_public_acls().unwrap_or(false),
                        "restrict_public_buckets": c.restrict_public_buckets().unwrap_or(false),
                    })
                })
                .unwrap_or(Value::Null)),
            Err(e) => not_configured(&e, &["NoSuchPublicAccessBlockConfiguration"], Value::Null),
        },
    );

    let policy = client.get_bucket_policy().bucket(&name).send().await;
    let policy = match policy {
        Ok(out) => Ok(out.policy().map(str::to_owned)),
        Err(e) => {
            let f = Failure::of(&e);
            if f.is(&["NoSuchBucketPolicy"]) {
                Ok(None)
            } else {
                Err(f)
            }
        }
    };
    // AWS's own verdict on the policy; without a policy there is nothing to
    // be public, and no call to make.
    let policy_is_public = match &policy {
        Ok(None) => Ok(json!(false)),
        _ => {
            let status = client.get_bucket_policy_status().bucket(&name).send().await;
            match status {
                Ok(out) => Ok(json!(
                    out.policy_status()
                        .and_then(|s| s.is_public())
                        .unwrap_or(false)
                )),
                Err(e) => Err(Failure::of(&e)),
            }
        }
    };
    w.set("policy", "s3:GetBucketPolicy", policy.map(|p| json!(p)));
    w.set(
        "policy_is_public",
        "s3:GetBucketPolicyStatus",
        policy_is_public,
    );

    let acl = client.get_bucket_acl().bucket(&name).send().await;
    w.set(
        "acl_grants",
        "s3:GetBucketAcl",
        acl.map(|out| {
            Value::Array(
                out.grants()
                    .iter()
                    .map(|g| {
                        let grantee = g.grantee();
                        json!({
                            "type": grantee.map(|g| g.r#type().as_str()),
                            "uri": grantee.and_then(|g| g.uri()),
                            "id": grantee.and_then(|g| g.id()),
                            "permission": g.permission().map(|p| p.as_str()),
                        })
                    })
                    .collect(),
            )
        })
        .map_err(|e| Failure::of(&e)),
    );

    let logging = client.get_bucket_logging().bucket(&name).send().await;
    w.set(
        "logging",
        "s3:GetBucketLogging",
        logging
            .map(|out| {
                out.logging_enabled()
                    .map(|l| json!({"target_bucket": l.target_bucket(), "target_prefix": l.target_prefix()}))
                    .unwrap_or(Value::Null)
            })
            .map_err(|e| Failure::of(&e)),
    );

    let replication = client.get_bucket_replication().bucket(&name).send().await;
    let replication = match replication {
        Ok(out) => match out.replication_configuration() {
            Some(c) => {
                let mut rules = Vec::new();
                for r in c.rules() {
                    let dest = r.destination();
                    let dest_bucket = dest.map(|d| d.bucket()).unwrap_or_default();
                    let dest_name = dest_bucket.rsplit(':').next().unwrap_or(dest_bucket);
                    let dest_region = destination_region(home, locations, dest_name).await;
                    rules.push(json!({
                        "id": r.id(),
                        "status": r.status().as_str(),
                        "destination": {
                            "bucket": dest_bucket,
                            "region": dest_region,
                            "storage_class": dest.and_then(|d| d.storage_class()).map(|s| s.as_str()),
                        },
                    }));
                }
                Ok(json!({"role": c.role(), "rules": rules}))
            }
            None => Ok(Value::Null),
        },
        Err(e) => not_configured(&e, &["ReplicationConfigurationNotFoundError"], Value::Null),
    };
    w.set(
        "replication_configuration",
        "s3:GetReplicationConfiguration",
        replication,
    );

    let tags = client.get_bucket_tagging().bucket(&name).send().await;
    w.set(
        "tags",
        "s3:GetBucketTagging",
        match tags {
            Ok(out) => Ok(convert::tags(
                out.tag_set()
                    .iter()
                    .map(|t| (Some(t.key()), Some(t.value()))),
            )),
            Err(e) => not_configured(&e, &["NoSuchTagSet"], json!({})),
        },
    );

    let mut part = Part::default();
    part.add([w.finish()]);
    part
}

/// The region of a replication destination bucket, `null` when it cannot be
/// read (another account's bucket, say). Cached per bucket name.
async fn destination_region(
    home: &Client,
    cache: &Mutex<HashMap<String, Option<String>>>,
    bucket: &str,
) -> Value {
    if bucket.is_empty() {
        return Value::Null;
    }
    let cached = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(bucket)
        .cloned();
    let region = match cached {
        Some(r) => r,
        None => {
            let r = location(home, bucket).await.ok();
            cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(bucket.to_owned(), r.clone());
            r
        }
    };
    json!(region)
}

/// "Not configured" errors are answers, not failures.
fn not_configured<E>(
    err: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::http::Response,
    >,
    codes: &[&str],
    none: Value,
) -> Result<Value, Failure>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata
        + std::error::Error
        + Send
        + Sync
        + 'static,
{
    let f = Failure::of(err);
    if f.is(codes) { Ok(none) } else { Err(f) }
}
