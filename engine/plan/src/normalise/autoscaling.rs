//! `aws_autoscaling_group` and `aws_launch_configuration` in the live
//! collector's shape (docs/resource-model/autoscaling.md).

use serde_json::{Map, Value, json};

use super::{Declared, none_if_undeclared, one_block};
use crate::pointer::{collapse_list_at, covered};
use crate::world::Planned;

/// A group: `launch_template` and `mixed_instances_policy` (with its
/// nested template) as objects; load balancing the configuration leaves
/// out is none, and an undeclared health check type is the provider's
/// default, `EC2`. Older providers' `tags` (a list of maps) and newer
/// `tag` blocks both become `tag` (the list) and `tags` (a map).
pub(super) fn group(p: &mut Planned, declared: &Declared<'_>) {
    for attr in [
        "launch_configuration",
        "launch_template",
        "mixed_instances_policy",
    ] {
        none_if_undeclared(p, declared, attr, Value::Null);
    }
    one_block(p, "launch_template");
    one_block(p, "mixed_instances_policy");
    if let Some(Value::Object(mixed)) = p.attrs.get_mut("mixed_instances_policy") {
        collapse(mixed, "launch_template");
        if let Some(Value::Object(t)) = mixed.get_mut("launch_template") {
            collapse(t, "launch_template_specification");
        }
    }
    collapse_list_at(&mut p.unknown, "/mixed_instances_policy/launch_template");
    collapse_list_at(
        &mut p.unknown,
        "/mixed_instances_policy/launch_template/launch_template_specification",
    );
    for attr in ["target_group_arns", "load_balancers"] {
        none_if_undeclared(p, declared, attr, json!([]));
        if p.attrs.get(attr).is_some_and(Value::is_null)
            && !covered(&p.unknown, &format!("/{attr}"))
        {
            p.attrs.insert(attr.into(), json!([]));
        }
    }
    none_if_undeclared(p, declared, "health_check_type", json!("EC2"));
    none_if_undeclared(p, declared, "capacity_rebalance", json!(false));
    none_if_undeclared(p, declared, "vpc_zone_identifier", json!([]));
    group_tags(p);
}

/// A one-element block list inside an object, as its element (or `null`).
fn collapse(o: &mut Map<String, Value>, block: &str) {
    if let Some(Value::Array(items)) = o.get(block) {
        let first = items.first().cloned().unwrap_or(Value::Null);
        o.insert(block.to_owned(), first);
    }
}

fn group_tags(p: &mut Planned) {
    if covered(&p.unknown, "/tag") || covered(&p.unknown, "/tags") {
        return;
    }
    let mut list: Vec<Value> = Vec::new();
    for attr in ["tag", "tags"] {
        if let Some(Value::Array(items)) = p.attrs.get(attr) {
            list.extend(items.iter().cloned());
        }
    }
    let mut map = Map::new();
    for t in &list {
        if let (Some(k), Some(v)) = (
            t.get("key").and_then(Value::as_str),
            t.get("value").and_then(Value::as_str),
        ) {
            map.insert(k.to_owned(), json!(v));
        }
    }
    p.attrs.insert("tag".into(), Value::Array(list));
    p.attrs.insert("tags".into(), Value::Object(map));
}

/// A launch configuration's block devices beyond what `aws_instance`
/// shares: devices the configuration does not declare come from the image
/// and are none here (the rules judge declared devices).
pub(super) fn launch_configuration(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(p, declared, "root_block_device", json!([]));
    none_if_undeclared(p, declared, "ebs_block_device", json!([]));
}
