//! EC2 in one region: networking, security groups, instances, launch
//! templates, EBS, Elastic IPs.

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    InstanceAttributeName, IpPermission, PermissionGroup, SnapshotAttributeName, VpcAttributeName,
    VpcCidrBlockStateCode,
};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::account::Shared;
use crate::convert::{self, non_empty, strings, time};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

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
    let default_groups = security_groups(&client, scope, &mut part).await;
    vpcs(shared, &client, scope, &default_groups, &mut part).await;
    subnets(&client, scope, &mut part).await;
    route_tables(&client, scope, &mut part).await;
    internet_gateways(&client, scope, &mut part).await;
    let volume_encryption = volumes(&client, scope, &mut part).await;
    instances(shared, &client, scope, &volume_encryption, &mut part).await;
    launch_templates(shared, &client, scope, &mut part).await;
    snapshots(shared, &client, scope, &mut part).await;
    encryption_by_default(&client, scope, &mut part).await;
    addresses(&client, scope, &mut part).await;
    part
}

/// Security groups; returns each VPC's `default` group id.
async fn security_groups(
    client: &Client,
    scope: &Scope,
    part: &mut Part,
) -> HashMap<String, String> {
    let mut defaults = HashMap::new();
    let pages = client
        .describe_security_groups()
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let Some(pages) = part.listed(
        pages,
        scope,
        "ec2:DescribeSecurityGroups",
        "aws_security_group",
    ) else {
        return defaults;
    };
    for sg in pages.iter().flat_map(|p| p.security_groups()) {
        let Some(id) = sg.group_id() else { continue };
        let arn = sg
            .security_group_arn()
            .map(str::to_owned)
            .unwrap_or_else(|| scope.arn("ec2", &format!("security-group/{id}")));
        if sg.group_name() == Some("default")
            && let Some(vpc) = sg.vpc_id()
        {
            defaults.insert(vpc.to_owned(), id.to_owned());
        }
        let attrs = json!({
            "id": id,
            "arn": arn,
            "name": sg.group_name(),
            "description": sg.description(),
            "vpc_id": sg.vpc_id(),
            "owner_id": sg.owner_id(),
            "ingress": rules(id, sg.owner_id(), sg.ip_permissions()),
            "egress": rules(id, sg.owner_id(), sg.ip_permissions_egress()),
            "tags": ec2_tags(sg.tags()),
        });
        part.resources
            .push(scope.resource("aws_security_group", arn, object(attrs)));
    }
    defaults
}

/// `IpPermissions` in the provider's inline element shape. One AWS
/// permission holds several sources, each with its own description; the
/// provider keeps one element per distinct description, and so do we.
pub(crate) fn rules(group_id: &str, owner: Option<&str>, permissions: &[IpPermission]) -> Value {
    let mut out = Vec::new();
    for p in permissions {
        let protocol = p.ip_protocol().unwrap_or("-1");
        let all = protocol == "-1";
        let (from, to) = if all {
            (0, 0)
        } else {
            (p.from_port().unwrap_or(0), p.to_port().unwrap_or(0))
        };
        let mut elements = Elements {
            protocol,
            from,
            to,
            items: Vec::new(),
        };
        for r in p.ip_ranges() {
            if let Some(c) = r.cidr_ip() {
                elements.push(r.description(), "cidr_blocks", c.to_owned());
            }
        }
        for r in p.ipv6_ranges() {
            if let Some(c) = r.cidr_ipv6() {
                elements.push(r.description(), "ipv6_cidr_blocks", c.to_owned());
            }
        }
        for r in p.prefix_list_ids() {
            if let Some(c) = r.prefix_list_id() {
                elements.push(r.description(), "prefix_list_ids", c.to_owned());
            }
        }
        for pair in p.user_id_group_pairs() {
            let Some(g) = pair.group_id() else { continue };
            if g == group_id {
                let i = elements.element(pair.description());
                elements.items[i].1.insert("self".into(), json!(true));
            } else {
                // Another account's group is written account/sg, as the
                // provider does.
                let name = match pair.user_id() {
                    Some(user) if owner.is_some_and(|o| o != user) => format!("{user}/{g}"),
                    _ => g.to_owned(),
                };
                elements.push(pair.description(), "security_groups", name);
            }
        }
        let elements = elements.items;
        out.extend(elements.into_iter().map(|(_, m)| Value::Object(m)));
    }
    Value::Array(out)
}

/// The elements of one AWS permission, one per distinct description, in
/// first-seen order.
struct Elements<'a> {
    protocol: &'a str,
    from: i32,
    to: i32,
    items: Vec<(String, Map<String, Value>)>,
}

impl Elements<'_> {
    fn element(&mut self, description: Option<&str>) -> usize {
        let d = description.unwrap_or("").to_owned();
        if let Some(i) = self.items.iter().position(|(k, _)| *k == d) {
            return i;
        }
        let mut m = Map::new();
        m.insert("description".into(), json!(d));
        m.insert("protocol".into(), json!(self.protocol));
        m.insert("from_port".into(), json!(self.from));
        m.insert("to_port".into(), json!(self.to));
        for list in [
            "cidr_blocks",
            "ipv6_cidr_blocks",
            "prefix_list_ids",
            "security_groups",
        ] {
            m.insert(list.into(), json!([]));
        }
        m.insert("self".into(), json!(false));
        self.items.push((d, m));
        self.items.len() - 1
    }

    fn push(&mut self, description: Option<&str>, list: &str, value: String) {
        let i = self.element(description);
        if let Some(Value::Array(a)) = self.items[i].1.get_mut(list) {
            a.push(Value::String(value));
        }
    }
}

async fn vpcs(
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
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

async fn subnets(client: &Client, scope: &Scope, part: &mut Part) {
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

async fn route_tables(client: &Client, scope: &Scope, part: &mut Part) {
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

async fn internet_gateways(client: &Client, scope: &Scope, part: &mut Part) {
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

/// EBS volumes; returns each volume's `encrypted` for the instances' root
/// devices (`None` when the volumes could not be listed).
async fn volumes(client: &Client, scope: &Scope, part: &mut Part) -> Option<HashMap<String, bool>> {
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

async fn instances(
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

async fn launch_templates(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
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

async fn snapshots(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
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

async fn encryption_by_default(client: &Client, scope: &Scope, part: &mut Part) {
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

async fn addresses(client: &Client, scope: &Scope, part: &mut Part) {
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

/// A `json!({...})` literal as a map (always an object here).
pub(crate) fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::rules;
    use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, UserIdGroupPair};
    use serde_json::json;

    #[test]
    fn permissions_become_inline_elements_one_per_description() {
        let perm = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(22)
            .to_port(22)
            .ip_ranges(
                IpRange::builder()
                    .cidr_ip("0.0.0.0/0")
                    .description("anyone")
                    .build(),
            )
            .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/8").build())
            .ipv6_ranges(
                Ipv6Range::builder()
                    .cidr_ipv6("::/0")
                    .description("anyone")
                    .build(),
            )
            .user_id_group_pairs(
                UserIdGroupPair::builder()
                    .group_id("sg-self")
                    .user_id("111")
                    .build(),
            )
            .user_id_group_pairs(
                UserIdGroupPair::builder()
                    .group_id("sg-other")
                    .user_id("222")
                    .build(),
            )
            .build();
        let all = IpPermission::builder().ip_protocol("-1").build();
        let out = rules("sg-self", Some("111"), &[perm, all]);
        let empty = json!([]);
        assert_eq!(
            out,
            json!([
                {"description": "anyone", "protocol": "tcp", "from_port": 22, "to_port": 22,
                 "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"], "prefix_list_ids": empty,
                 "security_groups": empty, "self": false},
                {"description": "", "protocol": "tcp", "from_port": 22, "to_port": 22,
                 "cidr_blocks": ["10.0.0.0/8"], "ipv6_cidr_blocks": empty, "prefix_list_ids": empty,
                 "security_groups": ["222/sg-other"], "self": true},
            ])
        );
        // An all-protocols permission with no sources writes nothing.
        assert_eq!(
            rules(
                "sg-self",
                Some("111"),
                &[IpPermission::builder().ip_protocol("-1").build()]
            ),
            json!([])
        );
    }
}
