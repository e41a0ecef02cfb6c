//! EC2 in one region: networking, security groups, instances, launch
//! templates, EBS, Elastic IPs. One submodule per group of resources;
//! [`collect`] reads them in the order their dependencies need (security
//! groups before VPCs, volumes before instances).

mod ebs;
mod instances;
mod network;
mod security_groups;

use aws_config::SdkConfig;
use aws_sdk_ec2::Client;
use serde_json::Value;

use crate::account::Shared;
use crate::convert;
use crate::gap::Failure;
use crate::part::{Part, Scope};

/// Every region AWS knows, with whether it is enabled for the account
/// (opted in, or not needing opt-in).
pub(crate) async fn regions(config: &SdkConfig) -> Result<Vec<(String, bool)>, Failure> {
    let out = Client::new(config)
        .describe_regions()
        .all_regions(true)
        .send()
        .await
        .map_err(|e| Failure::of(&e))?;
    let mut regions: Vec<(String, bool)> = out
        .regions()
        .iter()
        .filter_map(|r| {
            let enabled = r.opt_in_status().is_none_or(|s| s != "not-opted-in");
            Some((r.region_name()?.to_owned(), enabled))
        })
        .collect();
    regions.sort();
    Ok(regions)
}

fn ec2_tags(tags: &[aws_sdk_ec2::types::Tag]) -> Value {
    convert::tags(tags.iter().map(|t| (t.key(), t.value())))
}

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let default_groups = security_groups::security_groups(&client, scope, &mut part).await;
    network::vpcs(shared, &client, scope, &default_groups, &mut part).await;
    network::subnets(&client, scope, &mut part).await;
    network::route_tables(&client, scope, &mut part).await;
    network::internet_gateways(&client, scope, &mut part).await;
    network::network_acls(&client, scope, &mut part).await;
    let volume_encryption = ebs::volumes(&client, scope, &mut part).await;
    instances::instances(shared, &client, scope, &volume_encryption, &mut part).await;
    instances::launch_templates(shared, &client, scope, &mut part).await;
    ebs::snapshots(shared, &client, scope, &mut part).await;
    ebs::encryption_by_default(&client, scope, &mut part).await;
    network::addresses(&client, scope, &mut part).await;
    part
}
