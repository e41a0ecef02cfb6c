//! Instances and launch templates, with their user data decoded.

use std::collections::HashMap;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::InstanceAttributeName;
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::ec2_tags;
use crate::account::Shared;
use crate::convert::{self, object, strings, time};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

pub(super) async fn instances(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    volume_encryption: &Option<HashMap<String, bool>>,
    part: &mut Part,
) {
    let Some(pages) = part.listed(
        client
            .describe_instances()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeInstances",
        "aws_instance",
    ) else {
        return;
    };
    let instances: Vec<_> = pages
        .iter()
        .flat_map(|p| p.reservations())
        .flat_map(|r| r.instances())
        .collect();
    let results = futures_util::stream::iter(instances)
        .map(|i| async move {
            let id = i.instance_id().unwrap_or_default().to_owned();
            let arn = scope.arn("ec2", &format!("instance/{id}"));
            let state = i.state().and_then(|s| s.name()).map(|n| n.as_str().to_owned());
            let stopped_since = if state.as_deref() == Some("stopped") {
                convert::stopped_since(i.state_transition_reason())
            } else {
                None
            };
            let mut unknown = Vec::new();
            let root = i.root_device_name().and_then(|root| {
                i.block_device_mappings()
                    .iter()
                    .find(|m| m.device_name() == Some(root))
                    .and_then(|m| m.ebs())
                    .and_then(|ebs| ebs.volume_id())
            });
            let root_block_device = match (root, volume_encryption) {
                (None, _) => Value::Null,
                (Some(vol), Some(map)) => match map.get(vol) {
                    Some(enc) => json!({"volume_id": vol, "encrypted": enc}),
                    None => {
                        unknown.push("/root_block_device/encrypted".to_owned());
                        json!({"volume_id": vol, "encrypted": null})
                    }
                },
                (Some(vol), None) => {
                    // The volumes could not be listed: the gap is already recorded.
                    unknown.push("/root_block_device/encrypted".to_owned());
                    json!({"volume_id": vol, "encrypted": null})
                }
            };
            let metadata_options = i.metadata_options().map(|m| {
                json!({
                    "http_tokens": m.http_tokens().map(|t| t.as_str()),
                    "http_endpoint": m.http_endpoint().map(|t| t.as_str()),
                })
            });
            let mut d = Draft::new(scope, "aws_instance", arn.clone(), object(json!({
                "id": id,
                "arn": arn,
                "instance_type": i.instance_type().map(|t| t.as_str()),
                "ami": i.image_id(),
                "availability_zone": i.placement().and_then(|p| p.availability_zone()),
                "subnet_id": i.subnet_id(),
                "vpc_security_group_ids": strings(i.security_groups().iter().filter_map(|g| g.group_id())),
                "iam_instance_profile": i.iam_instance_profile().and_then(|p| p.arn()).map(convert::arn_name),
                "key_name": i.key_name(),
                "private_ip": i.private_ip_address(),
                "public_ip": i.public_ip_address(),
                "instance_state": state,
                "metadata_options": metadata_options,
                "launch_time": time(i.launch_time()),
                "stopped_since": stopped_since,
                "root_block_device": root_block_device,
                "tags": ec2_tags(i.tags()),
            })));
            for pointer in unknown {
                d.unknown(&pointer);
            }
            let mut d_unknown = Vec::new();
            let user_data = {
                let _slot = shared.slot().await;
                client
                    .describe_instance_attribute()
                    .instance_id(&id)
                    .attribute(InstanceAttributeName::UserData)
                    .send()
                    .await
            };
            let user_data = user_data.map_err(|e| Failure::of(&e));
            d.set(
                "user_data",
                "ec2:DescribeInstanceAttribute",
                user_data.map(|out| decoded(&mut d_unknown, "/user_data", out.user_data().and_then(|u| u.value()))),
            );
            for pointer in d_unknown {
                d.unknown(&pointer);
            }
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

pub(super) async fn launch_templates(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    part: &mut Part,
) {
    let Some(pages) = part.listed(
        client
            .describe_launch_templates()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeLaunchTemplates",
        "aws_launch_template",
    ) else {
        return;
    };
    let templates: Vec<_> = pages.iter().flat_map(|p| p.launch_templates()).collect();
    let results = futures_util::stream::iter(templates)
        .map(|t| async move {
            let id = t.launch_template_id().unwrap_or_default().to_owned();
            let arn = scope.arn("ec2", &format!("launch-template/{id}"));
            let mut d = Draft::new(scope, "aws_launch_template", arn.clone(), object(json!({
                "id": id,
                "arn": arn,
                "name": t.launch_template_name(),
                "latest_version": t.latest_version_number(),
                "default_version": t.default_version_number(),
                "tags": ec2_tags(t.tags()),
            })));
            let mut unknown = Vec::new();
            let versions = {
                let _slot = shared.slot().await;
                client
                    .describe_launch_template_versions()
                    .launch_template_id(&id)
                    .versions("$Default")
                    .versions("$Latest")
                    .send()
                    .await
            };
            let version_attrs = [
                "image_id",
                "instance_type",
                "vpc_security_group_ids",
                "user_data",
                "metadata_options",
                "latest_user_data",
            ];
            match versions {
                Ok(out) => {
                    let find = |n: Option<i64>| {
                        out.launch_template_versions()
                            .iter()
                            .find(|v| v.version_number().is_some() && v.version_number() == n)
                    };
                    let default = find(t.default_version_number());
                    let latest = find(t.latest_version_number());
                    let data = default.and_then(|v| v.launch_template_data());
                    let default_raw = data.and_then(|d| d.user_data());
                    let latest_raw = latest.and_then(|v| v.launch_template_data()).and_then(|d| d.user_data());
                    let latest_user_data = if latest_raw == default_raw {
                        Value::Null
                    } else {
                        decoded(&mut unknown, "/latest_user_data", latest_raw)
                    };
                    let version = json!({
                        "image_id": data.and_then(|d| d.image_id()),
                        "instance_type": data.and_then(|d| d.instance_type()).map(|t| t.as_str()),
                        "vpc_security_group_ids": strings(data.map(|d| d.security_group_ids()).unwrap_or_default().iter().map(String::as_str)),
                        "metadata_options": data.and_then(|d| d.metadata_options()).map(|m| {
                            json!({
                                "http_tokens": m.http_tokens().map(|t| t.as_str()),
                                "http_endpoint": m.http_endpoint().map(|t| t.as_str()),
                            })
                        }),
                        "user_data": decoded(&mut unknown, "/user_data", default_raw),
                        "latest_user_data": latest_user_data,
                    });
                    d.attrs.extend(object(version));
                }
                Err(e) => {
                    let f = Failure::of(&e);
                    for a in version_attrs {
                        d.set(a, "ec2:DescribeLaunchTemplateVersions", Err(f.clone()));
                    }
                }
            }
            for pointer in unknown {
                d.unknown(&pointer);
            }
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

/// Decoded user data; undecodable (not UTF-8 text) is `null` and unknown.
fn decoded(unknown: &mut Vec<String>, pointer: &str, base64: Option<&str>) -> Value {
    match convert::user_data(base64) {
        Ok(text) => json!(text),
        Err(()) => {
            unknown.push(pointer.to_owned());
            Value::Null
        }
    }
}
