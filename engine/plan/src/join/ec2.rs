//! EC2 and VPC: security group rules onto their group, routes and route
//! table associations onto their table, volume attachments, Elastic IP
//! associations, snapshot permissions, extra VPC CIDR blocks, VPC flow
//! logs, and network ACL entries and associations.

use serde_json::{Value, json};

use super::read::{attr, rebase, unknown_at, value_or_none};
use super::{Join, Kinds, Plan, onto, push, set};
use crate::world::World;

const SG_KINDS: Kinds = &["aws_security_group", "aws_default_security_group"];

pub(super) const JOINS: &[Join] = &[
    ("aws_security_group_rule", security_group_rule),
    ("aws_vpc_security_group_ingress_rule", vpc_ingress_rule),
    ("aws_vpc_security_group_egress_rule", vpc_egress_rule),
    ("aws_route_table_association", route_table_association),
    (
        "aws_main_route_table_association",
        main_route_table_association,
    ),
    ("aws_route", route),
    ("aws_volume_attachment", volume_attachment),
    ("aws_eip_association", eip_association),
    (
        "aws_snapshot_create_volume_permission",
        snapshot_create_volume_permission,
    ),
    ("aws_vpc_ipv4_cidr_block_association", vpc_cidr_block),
    ("aws_flow_log", flow_log),
    ("aws_network_acl_rule", network_acl_rule),
    ("aws_network_acl_association", network_acl_association),
];

const NACL_KINDS: Kinds = &["aws_network_acl", "aws_default_network_acl"];

/// `aws_network_acl_rule`: one entry in the ACL's inline shape (`rule_no`,
/// `action`), pushed onto `ingress` or `egress` by `egress` (default
/// false).
fn network_acl_rule(w: &World, i: usize) -> Option<Plan> {
    let direction = if unknown_at(w, i, "egress") {
        // Which list it belongs to is not known: it could open either.
        return Some(
            ["ingress", "egress"]
                .into_iter()
                .flat_map(|d| {
                    onto(
                        "network_acl_id",
                        NACL_KINDS,
                        push(d, json!({}), vec![String::new()]),
                    )
                })
                .collect(),
        );
    } else if attr(w, i, "egress").as_bool() == Some(true) {
        "egress"
    } else {
        "ingress"
    };
    let mut u = Vec::new();
    let mut entry = serde_json::Map::new();
    for (from, to) in [
        ("rule_number", "rule_no"),
        ("protocol", "protocol"),
        ("rule_action", "action"),
        ("cidr_block", "cidr_block"),
        ("ipv6_cidr_block", "ipv6_cidr_block"),
        ("from_port", "from_port"),
        ("to_port", "to_port"),
        ("icmp_type", "icmp_type"),
        ("icmp_code", "icmp_code"),
    ] {
        entry.insert(
            to.into(),
            value_or_none(w, i, from, &mut u, &format!("/{to}")),
        );
    }
    Some(onto(
        "network_acl_id",
        NACL_KINDS,
        push(direction, Value::Object(entry), u),
    ))
}

/// `aws_network_acl_association`: the subnet joins the ACL's `subnet_ids`.
fn network_acl_association(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let subnet = value_or_none(w, i, "subnet_id", &mut u, "");
    if subnet.is_null() && u.is_empty() {
        u.push(String::new());
    }
    Some(onto(
        "network_acl_id",
        NACL_KINDS,
        push("subnet_ids", subnet, u),
    ))
}

/// `aws_flow_log` watching a VPC (`vpc_id`), pushed onto its `flow_logs`.
/// Flow logs of subnets, network interfaces or transit gateways name
/// another argument and fold onto nothing here.
fn flow_log(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let mut log = serde_json::Map::new();
    log.insert("id".into(), json!(w.planned[i].address));
    for f in ["traffic_type", "log_destination_type", "log_destination"] {
        log.insert(f.into(), value_or_none(w, i, f, &mut u, &format!("/{f}")));
    }
    Some(onto(
        "vpc_id",
        &["aws_vpc"],
        push("flow_logs", Value::Object(log), u),
    ))
}

/// `aws_security_group_rule`: one rule in the group's inline shape, pushed
/// onto `ingress` or `egress` by its `type`.
fn security_group_rule(w: &World, i: usize) -> Option<Plan> {
    let direction = match attr(w, i, "type").as_str() {
        Some("ingress") => "ingress",
        Some("egress") => "egress",
        _ => return None,
    };
    let mut u = Vec::new();
    let mut rule = serde_json::Map::new();
    rule.insert(
        "description".into(),
        json!(attr(w, i, "description").as_str().unwrap_or("")),
    );
    for f in ["protocol", "from_port", "to_port"] {
        rule.insert(f.into(), value_or_none(w, i, f, &mut u, &format!("/{f}")));
    }
    for f in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"] {
        u.extend(rebase(w, i, f, &format!("/{f}")));
        let v = attr(w, i, f);
        rule.insert(f.into(), if v.is_array() { v } else { json!([]) });
    }
    let source = value_or_none(
        w,
        i,
        "source_security_group_id",
        &mut u,
        "/security_groups/0",
    );
    rule.insert(
        "security_groups".into(),
        if source.is_null() && !u.iter().any(|p| p == "/security_groups/0") {
            json!([])
        } else {
            json!([source])
        },
    );
    rule.insert(
        "self".into(),
        json!(attr(w, i, "self").as_bool().unwrap_or(false)),
    );
    Some(onto(
        "security_group_id",
        SG_KINDS,
        push(direction, Value::Object(rule), u),
    ))
}

fn vpc_ingress_rule(w: &World, i: usize) -> Option<Plan> {
    Some(vpc_rule(w, i, "ingress"))
}

fn vpc_egress_rule(w: &World, i: usize) -> Option<Plan> {
    Some(vpc_rule(w, i, "egress"))
}

/// `aws_vpc_security_group_{ingress,egress}_rule`: one source per
/// resource, written as the inline shape's one-element lists.
fn vpc_rule(w: &World, i: usize, direction: &'static str) -> Plan {
    let mut u = Vec::new();
    let mut rule = serde_json::Map::new();
    rule.insert(
        "description".into(),
        json!(attr(w, i, "description").as_str().unwrap_or("")),
    );
    let protocol = value_or_none(w, i, "ip_protocol", &mut u, "/protocol");
    let all = protocol.as_str().is_some_and(|p| p == "-1" || p == "all");
    rule.insert("protocol".into(), if all { json!("-1") } else { protocol });
    for f in ["from_port", "to_port"] {
        let v = value_or_none(w, i, f, &mut u, &format!("/{f}"));
        rule.insert(f.into(), if all && v.is_null() { json!(0) } else { v });
    }
    for (from, to) in [
        ("cidr_ipv4", "cidr_blocks"),
        ("cidr_ipv6", "ipv6_cidr_blocks"),
        ("prefix_list_id", "prefix_list_ids"),
        ("referenced_security_group_id", "security_groups"),
    ] {
        let v = value_or_none(w, i, from, &mut u, &format!("/{to}/0"));
        let listed = !v.is_null() || u.iter().any(|p| *p == format!("/{to}/0"));
        rule.insert(to.into(), if listed { json!([v]) } else { json!([]) });
    }
    rule.insert("self".into(), json!(false));
    onto(
        "security_group_id",
        SG_KINDS,
        push(direction, Value::Object(rule), u),
    )
}

fn route_table_association(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let subnet = value_or_none(w, i, "subnet_id", &mut u, "/subnet_id");
    let value = json!({"subnet_id": subnet, "main": false});
    Some(onto(
        "route_table_id",
        &["aws_route_table"],
        push("associations", value, u),
    ))
}

fn main_route_table_association(_: &World, _: usize) -> Option<Plan> {
    let value = json!({"subnet_id": null, "main": true});
    Some(onto(
        "route_table_id",
        &["aws_route_table"],
        push("associations", value, Vec::new()),
    ))
}

fn route(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let mut route = serde_json::Map::new();
    for (from, to) in [
        ("destination_cidr_block", "cidr_block"),
        ("destination_ipv6_cidr_block", "ipv6_cidr_block"),
        ("gateway_id", "gateway_id"),
        ("nat_gateway_id", "nat_gateway_id"),
        ("transit_gateway_id", "transit_gateway_id"),
        ("vpc_peering_connection_id", "vpc_peering_connection_id"),
    ] {
        route.insert(
            to.into(),
            value_or_none(w, i, from, &mut u, &format!("/{to}")),
        );
    }
    Some(onto(
        "route_table_id",
        &["aws_route_table"],
        push("route", Value::Object(route), u),
    ))
}

fn volume_attachment(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let instance = value_or_none(w, i, "instance_id", &mut u, "/instance_id");
    let device = value_or_none(w, i, "device_name", &mut u, "/device");
    let value = json!({"instance_id": instance, "device": device});
    Some(onto(
        "volume_id",
        &["aws_ebs_volume"],
        push("attachments", value, u),
    ))
}

fn eip_association(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let instance = value_or_none(w, i, "instance_id", &mut u, "");
    let mut plan = onto("allocation_id", &["aws_eip"], set("instance", instance, u));
    // The association id exists only after apply.
    plan.extend(onto(
        "allocation_id",
        &["aws_eip"],
        set("association_id", Value::Null, vec![String::new()]),
    ));
    Some(plan)
}

/// `account_id = "all"` makes the snapshot public; any other account is
/// one it is shared with.
fn snapshot_create_volume_permission(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let account = value_or_none(w, i, "account_id", &mut u, "");
    let fold = if account.as_str() == Some("all") {
        set("public", json!(true), Vec::new())
    } else {
        push("shared_with", account, u)
    };
    Some(onto("snapshot_id", &["aws_ebs_snapshot"], fold))
}

fn vpc_cidr_block(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let cidr = value_or_none(w, i, "cidr_block", &mut u, "/cidr_block");
    Some(onto(
        "vpc_id",
        &["aws_vpc"],
        push("cidr_block_associations", json!({"cidr_block": cidr}), u),
    ))
}
