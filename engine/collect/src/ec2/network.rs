//! The network: VPCs (with their DNS attributes and flow logs), subnets,
//! route tables, internet gateways, network ACLs and Elastic IPs.

use std::collections::HashMap;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{VpcAttributeName, VpcCidrBlockStateCode};
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::ec2_tags;
use crate::account::Shared;
use crate::convert::{non_empty, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

pub(super) async fn vpcs(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    default_groups: &HashMap<String, String>,
    part: &mut Part,
) {
    let Some(pages) = part.listed(
        client
            .describe_vpcs()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeVpcs",
        "aws_vpc",
    ) else {
        return;
    };
    let vpcs: Vec<_> = pages.iter().flat_map(|p| p.vpcs()).collect();
    let flow_logs = &flow_logs(client).await;
    let results = futures_util::stream::iter(vpcs)
        .map(|vpc| async move {
            let id = vpc.vpc_id().unwrap_or_default().to_owned();
            let arn = scope.arn("ec2", &format!("vpc/{id}"));
            // The primary first, then the others, associated ones only.
            let mut cidrs: Vec<&str> = vpc.cidr_block().into_iter().collect();
            for a in vpc.cidr_block_association_set() {
                let associated = a
                    .cidr_block_state()
                    .and_then(|s| s.state())
                    .is_none_or(|s| *s == VpcCidrBlockStateCode::Associated);
                if let Some(c) = a.cidr_block()
                    && associated
                    && !cidrs.contains(&c)
                {
                    cidrs.push(c);
                }
            }
            let ipv6 = vpc
                .ipv6_cidr_block_association_set()
                .iter()
                .find_map(|a| a.ipv6_cidr_block());
            let mut d = Draft::new(scope, "aws_vpc", arn.clone(), object(json!({
                "id": id,
                "arn": arn,
                "cidr_block": vpc.cidr_block(),
                "cidr_block_associations": cidrs.iter().map(|c| json!({"cidr_block": c})).collect::<Vec<_>>(),
                "ipv6_cidr_block": ipv6,
                "instance_tenancy": vpc.instance_tenancy().map(|t| t.as_str()),
                "default_security_group_id": default_groups.get(&id),
                "tags": ec2_tags(vpc.tags()),
            })));
            for (attr, name) in [
                (VpcAttributeName::EnableDnsSupport, "enable_dns_support"),
                (VpcAttributeName::EnableDnsHostnames, "enable_dns_hostnames"),
            ] {
                let _slot = shared.slot().await;
                let read = client.describe_vpc_attribute().vpc_id(&id).attribute(attr).send().await;
                let value = read
                    .map(|out| {
                        let v = if name == "enable_dns_support" {
                            out.enable_dns_support().and_then(|b| b.value())
                        } else {
                            out.enable_dns_hostnames().and_then(|b| b.value())
                        };
                        json!(v)
                    })
                    .map_err(|e| Failure::of(&e));
                d.set(name, "ec2:DescribeVpcAttribute", value);
            }
            let logs = match flow_logs {
                Ok(by_vpc) => Ok(json!(by_vpc.get(&id).cloned().unwrap_or_default())),
                Err(f) => Err(f.clone()),
            };
            d.set("flow_logs", "ec2:DescribeFlowLogs", logs);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

/// The region's flow logs, by the resource they watch (a VPC's id for
/// VPC flow logs), in the shape of Terraform's `aws_flow_log`. Read once:
/// a failure makes every VPC's `flow_logs` unknown.
async fn flow_logs(client: &Client) -> Result<HashMap<String, Vec<Value>>, Failure> {
    let pages: Vec<_> = client
        .describe_flow_logs()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::of(&e))?;
    let mut by_resource: HashMap<String, Vec<Value>> = HashMap::new();
    for log in pages.iter().flat_map(|p| p.flow_logs()) {
        let Some(resource) = log.resource_id() else {
            continue;
        };
        by_resource
            .entry(resource.to_owned())
            .or_default()
            .push(json!({
                "id": log.flow_log_id(),
                "traffic_type": log.traffic_type().map(|t| t.as_str()),
                "log_destination_type": log.log_destination_type().map(|t| t.as_str()),
                "log_destination": log.log_destination(),
            }));
    }
    Ok(by_resource)
}

pub(super) async fn subnets(client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_subnets()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeSubnets",
        "aws_subnet",
    ) else {
        return;
    };
    for s in pages.iter().flat_map(|p| p.subnets()) {
        let Some(id) = s.subnet_id() else { continue };
        let arn = s
            .subnet_arn()
            .map(str::to_owned)
            .unwrap_or_else(|| scope.arn("ec2", &format!("subnet/{id}")));
        let attrs = json!({
            "id": id,
            "arn": arn,
            "vpc_id": s.vpc_id(),
            "cidr_block": s.cidr_block(),
            "availability_zone": s.availability_zone(),
            "map_public_ip_on_launch": s.map_public_ip_on_launch().unwrap_or(false),
            "tags": ec2_tags(s.tags()),
        });
        part.resources
            .push(scope.resource("aws_subnet", arn, object(attrs)));
    }
}

pub(super) async fn route_tables(client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_route_tables()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeRouteTables",
        "aws_route_table",
    ) else {
        return;
    };
    for rt in pages.iter().flat_map(|p| p.route_tables()) {
        let Some(id) = rt.route_table_id() else {
            continue;
        };
        let arn = scope.arn("ec2", &format!("route-table/{id}"));
        let routes: Vec<Value> = rt
            .routes()
            .iter()
            .map(|r| {
                json!({
                    "cidr_block": r.destination_cidr_block(),
                    "ipv6_cidr_block": r.destination_ipv6_cidr_block(),
                    "gateway_id": r.gateway_id(),
                    "nat_gateway_id": r.nat_gateway_id(),
                    "transit_gateway_id": r.transit_gateway_id(),
                    "vpc_peering_connection_id": r.vpc_peering_connection_id(),
                })
            })
            .collect();
        let associations: Vec<Value> = rt
            .associations()
            .iter()
            .map(|a| json!({"subnet_id": a.subnet_id(), "main": a.main().unwrap_or(false)}))
            .collect();
        let attrs = json!({
            "id": id,
            "arn": arn,
            "vpc_id": rt.vpc_id(),
            "route": routes,
            "associations": associations,
            "tags": ec2_tags(rt.tags()),
        });
        part.resources
            .push(scope.resource("aws_route_table", arn, object(attrs)));
    }
}

pub(super) async fn internet_gateways(client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_internet_gateways()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeInternetGateways",
        "aws_internet_gateway",
    ) else {
        return;
    };
    for igw in pages.iter().flat_map(|p| p.internet_gateways()) {
        let Some(id) = igw.internet_gateway_id() else {
            continue;
        };
        let arn = scope.arn("ec2", &format!("internet-gateway/{id}"));
        let attrs = json!({
            "id": id,
            "arn": arn,
            "vpc_id": igw.attachments().iter().find_map(|a| a.vpc_id()),
            "tags": ec2_tags(igw.tags()),
        });
        part.resources
            .push(scope.resource("aws_internet_gateway", arn, object(attrs)));
    }
}

pub(super) async fn addresses(client: &Client, scope: &Scope, part: &mut Part) {
    let out = match client.describe_addresses().send().await {
        Ok(o) => o,
        Err(e) => {
            part.gaps
                .push(Failure::of(&e).gap(scope, "ec2:DescribeAddresses", "aws_eip", None));
            return;
        }
    };
    for a in out.addresses() {
        let Some(id) = a.allocation_id().or(a.public_ip()) else {
            continue;
        };
        let arn = scope.arn("ec2", &format!("elastic-ip/{id}"));
        let attrs = json!({
            "id": id,
            "arn": arn,
            "public_ip": a.public_ip(),
            "domain": a.domain().map(|d| d.as_str()),
            "instance": non_empty(a.instance_id()),
            "network_interface": non_empty(a.network_interface_id()),
            "association_id": non_empty(a.association_id()),
            "tags": ec2_tags(a.tags()),
        });
        part.resources
            .push(scope.resource("aws_eip", arn, object(attrs)));
    }
}

/// Network ACLs, in the shape of Terraform's `aws_network_acl` (the VPC's
/// default ACL as `aws_default_network_acl`, the kind Terraform manages it
/// with). Entries keep Terraform's inline names (`rule_no`, `action`); the
/// implicit deny-all entry (rule 32767) is AWS's, not the account's, and
/// Terraform does not show it, so it is left out here too.
pub(super) async fn network_acls(client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .describe_network_acls()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "ec2:DescribeNetworkAcls",
        "aws_network_acl",
    ) else {
        return;
    };
    for acl in pages.iter().flat_map(|p| p.network_acls()) {
        let Some(id) = acl.network_acl_id() else {
            continue;
        };
        let arn = scope.arn("ec2", &format!("network-acl/{id}"));
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        for e in acl.entries() {
            if e.rule_number() == Some(32767) {
                continue;
            }
            let entry = json!({
                "rule_no": e.rule_number(),
                "protocol": e.protocol(),
                "action": e.rule_action().map(|a| a.as_str()),
                "cidr_block": non_empty(e.cidr_block()),
                "ipv6_cidr_block": non_empty(e.ipv6_cidr_block()),
                "from_port": e.port_range().and_then(|r| r.from()).unwrap_or(0),
                "to_port": e.port_range().and_then(|r| r.to()).unwrap_or(0),
                "icmp_type": e.icmp_type_code().and_then(|c| c.r#type()),
                "icmp_code": e.icmp_type_code().and_then(|c| c.code()),
            });
            if e.egress() == Some(true) {
                egress.push(entry);
            } else {
                ingress.push(entry);
            }
        }
        let subnets: Vec<&str> = acl
            .associations()
            .iter()
            .filter_map(|a| a.subnet_id())
            .collect();
        let default = acl.is_default() == Some(true);
        let attrs = json!({
            "id": id,
            "arn": arn,
            "vpc_id": acl.vpc_id(),
            "is_default": default,
            "subnet_ids": subnets,
            "ingress": ingress,
            "egress": egress,
            "tags": ec2_tags(acl.tags()),
        });
        let kind = if default {
            "aws_default_network_acl"
        } else {
            "aws_network_acl"
        };
        part.resources
            .push(scope.resource(kind, arn, object(attrs)));
    }
}
