//! Security groups, with their rules in the provider's inline shape.

use std::collections::HashMap;

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::IpPermission;
use serde_json::{Map, Value, json};

use super::ec2_tags;
use crate::convert::object;
use crate::part::{Part, Scope};

/// Security groups; returns each VPC's `default` group id.
pub(super) async fn security_groups(
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
fn rules(group_id: &str, owner: Option<&str>, permissions: &[IpPermission]) -> Value {
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
