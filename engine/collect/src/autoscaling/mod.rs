//! Auto Scaling in one region: groups (zones, subnets, load balancing and
//! health checks, launch template or configuration, tags) and launch
//! configurations (image, public IPs, metadata options, user data decoded,
//! block devices). Both come whole from their listing: no call per resource.

use aws_config::SdkConfig;
use aws_sdk_autoscaling::Client;
use aws_sdk_autoscaling::types::{
    AutoScalingGroup, LaunchConfiguration, LaunchTemplateSpecification,
};
use serde_json::{Map, Value, json};

use crate::account::Shared;
use crate::convert::{self, object, strings};
use crate::part::{Part, Scope};

const GROUP: &str = "aws_autoscaling_group";
const CONFIGURATION: &str = "aws_launch_configuration";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_auto_scaling_groups()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    if let Some(pages) = part.listed(read, scope, "autoscaling:DescribeAutoScalingGroups", GROUP) {
        for g in pages.iter().flat_map(|p| p.auto_scaling_groups()) {
            part.resources.push(group(scope, g));
        }
    }
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_launch_configurations()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    if let Some(pages) = part.listed(
        read,
        scope,
        "autoscaling:DescribeLaunchConfigurations",
        CONFIGURATION,
    ) {
        for c in pages.iter().flat_map(|p| p.launch_configurations()) {
            part.resources.push(launch_configuration(scope, c));
        }
    }
    part
}

/// One group, under the provider's attribute names. `vpc_zone_identifier`
/// is a comma-separated string in the API and a list in the provider.
fn group(scope: &Scope, g: &AutoScalingGroup) -> pillar_snapshot::Resource {
    let name = g.auto_scaling_group_name().unwrap_or_default();
    let arn = g
        .auto_scaling_group_arn()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            scope.arn(
                "autoscaling",
                &format!("autoScalingGroup:*:autoScalingGroupName/{name}"),
            )
        });
    let subnets = g
        .vpc_zone_identifier()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let mixed = g.mixed_instances_policy().map(|m| {
        json!({
            "launch_template": m.launch_template().map(|t| json!({
                "launch_template_specification":
                    t.launch_template_specification().map(template_spec),
            })),
        })
    });
    let tags: Vec<Value> = g
        .tags()
        .iter()
        .map(|t| {
            json!({
                "key": t.key(),
                "value": t.value(),
                "propagate_at_launch": t.propagate_at_launch(),
            })
        })
        .collect();
    let attrs = json!({
        "id": name,
        "name": name,
        "arn": arn,
        "availability_zones": strings(g.availability_zones().iter().map(String::as_str)),
        "vpc_zone_identifier": strings(subnets),
        "health_check_type": g.health_check_type(),
        "health_check_grace_period": g.health_check_grace_period(),
        "target_group_arns": strings(g.target_group_arns().iter().map(String::as_str)),
        "load_balancers": strings(g.load_balancer_names().iter().map(String::as_str)),
        "launch_configuration": convert::non_empty(g.launch_configuration_name()),
        "launch_template": g.launch_template().map(template_spec),
        "mixed_instances_policy": mixed,
        "min_size": g.min_size(),
        "max_size": g.max_size(),
        "desired_capacity": g.desired_capacity(),
        "capacity_rebalance": g.capacity_rebalance().unwrap_or(false),
        "tag": tags,
        "tags": convert::tags(g.tags().iter().map(|t| (t.key(), t.value()))),
    });
    scope.resource(GROUP, arn, object(attrs))
}

/// The provider's `launch_template { id, name, version }`.
fn template_spec(t: &LaunchTemplateSpecification) -> Value {
    json!({
        "id": t.launch_template_id(),
        "name": t.launch_template_name(),
        "version": t.version(),
    })
}

/// One launch configuration. The API does not say which block device is
/// the root one (that depends on the image), so every EBS mapping is listed
/// in `ebs_block_device`; the rules judge both lists alike.
fn launch_configuration(scope: &Scope, c: &LaunchConfiguration) -> pillar_snapshot::Resource {
    let name = c.launch_configuration_name().unwrap_or_default();
    let arn = c
        .launch_configuration_arn()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            scope.arn(
                "autoscaling",
                &format!("launchConfiguration:*:launchConfigurationName/{name}"),
            )
        });
    let devices: Vec<Value> = c
        .block_device_mappings()
        .iter()
        .filter_map(|m| {
            m.ebs().map(|ebs| {
                json!({
                    "device_name": m.device_name(),
                    "encrypted": ebs.encrypted(),
                    "volume_size": ebs.volume_size(),
                    "volume_type": ebs.volume_type(),
                    "snapshot_id": ebs.snapshot_id(),
                })
            })
        })
        .collect();
    let metadata_options = c.metadata_options().map(|m| {
        json!({
            "http_tokens": m.http_tokens().map(|t| t.as_str()),
            "http_endpoint": m.http_endpoint().map(|t| t.as_str()),
        })
    });
    let mut unknown = Vec::new();
    let user_data = match convert::user_data(c.user_data()) {
        Ok(text) => json!(text),
        Err(()) => {
            unknown.push("/user_data".to_owned());
            Value::Null
        }
    };
    let attrs: Map<String, Value> = object(json!({
        "id": name,
        "name": name,
        "arn": arn,
        "image_id": c.image_id(),
        "instance_type": c.instance_type(),
        "key_name": convert::non_empty(c.key_name()),
        "security_groups": strings(c.security_groups().iter().map(String::as_str)),
        "iam_instance_profile": convert::non_empty(c.iam_instance_profile()),
        "associate_public_ip_address": c.associate_public_ip_address(),
        "metadata_options": metadata_options,
        "user_data": user_data,
        "ebs_block_device": devices,
        "spot_price": convert::non_empty(c.spot_price()),
    }));
    let mut r = scope.resource(CONFIGURATION, arn, attrs);
    r.unknown = unknown;
    r
}
