//! ECS and ECR kinds in the live collector's shape
//! (docs/resource-model/ecs.md, ecr.md): the task definition's
//! `container_definitions` JSON string parsed into the ECS API's array,
//! one-element blocks as objects, and provider defaults for what the
//! configuration leaves out.

use serde_json::{Value, json};

use super::{Declared, none_if_undeclared, one_block};
use crate::pointer::{clear, collapse_list_at, covered};
use crate::world::Planned;

/// The ECS and ECR kinds, each by its own function below.
pub(super) fn normalise(p: &mut Planned, declared: &Declared<'_>) {
    match p.tf_type.as_str() {
        "aws_ecs_task_definition" => task_definition(p, declared),
        "aws_ecs_service" => service(p, declared),
        "aws_ecs_cluster" => cluster(p, declared),
        "aws_ecr_repository" => repository(p, declared),
        _ => {}
    }
}

/// `container_definitions` parsed. A string unknown in the plan is an
/// unknown attribute; a string that is not a JSON array is unknown too
/// (the provider would reject it, so nothing can be judged).
fn task_definition(p: &mut Planned, declared: &Declared<'_>) {
    // EC2 tasks default to bridge networking when none is declared.
    none_if_undeclared(p, declared, "network_mode", json!("bridge"));
    if covered(&p.unknown, "/container_definitions") {
        p.attrs.insert("container_definitions".into(), Value::Null);
        return;
    }
    let parsed = p
        .attrs
        .get("container_definitions")
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        .filter(Value::is_array);
    match parsed {
        Some(list) => {
            p.attrs.insert("container_definitions".into(), list);
        }
        None => {
            p.attrs.insert("container_definitions".into(), Value::Null);
            p.unknown.insert("/container_definitions".into());
        }
    }
}

/// The awsvpc block as an object, `assign_public_ip` false when left out
/// (the provider's default); no block is `null`, as live.
fn service(p: &mut Planned, declared: &Declared<'_>) {
    one_block(p, "network_configuration");
    if let Some(Value::Object(n)) = p.attrs.get_mut("network_configuration")
        && n.get("assign_public_ip").is_none_or(Value::is_null)
        && !covered(&p.unknown, "/network_configuration/assign_public_ip")
    {
        n.insert("assign_public_ip".into(), json!(false));
    }
    if !p.attrs.contains_key("network_configuration") {
        p.attrs.insert("network_configuration".into(), Value::Null);
    }
    none_if_undeclared(p, declared, "desired_count", json!(0));
    none_if_undeclared(p, declared, "scheduling_strategy", json!("REPLICA"));
    none_if_undeclared(p, declared, "load_balancer", json!([]));
    one_block(p, "deployment_circuit_breaker");
    if !p.attrs.contains_key("load_balancer") && !covered(&p.unknown, "/load_balancer") {
        p.attrs.insert("load_balancer".into(), json!([]));
    }
}

/// `setting` stays the provider's list of `{name, value}`; an undeclared
/// list is none. `configuration` becomes an object.
fn cluster(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(p, declared, "setting", json!([]));
    if !p.attrs.contains_key("setting") && !covered(&p.unknown, "/setting") {
        p.attrs.insert("setting".into(), json!([]));
    }
    one_block(p, "configuration");
    if let Some(Value::Object(c)) = p.attrs.get_mut("configuration") {
        let exec = match c.get("execute_command_configuration") {
            Some(Value::Array(items)) => items.first().cloned().unwrap_or(Value::Null),
            Some(other) => other.clone(),
            None => Value::Null,
        };
        c.insert("execute_command_configuration".into(), exec);
        collapse_list_at(
            &mut p.unknown,
            "/configuration/execute_command_configuration",
        );
    }
}

/// Scanning off, AES256 and mutable tags are the provider's (and AWS's)
/// defaults for blocks left out; policies come from joins (none declared
/// is none).
fn repository(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(p, declared, "image_tag_mutability", json!("MUTABLE"));
    for (block, default) in [
        (
            "image_scanning_configuration",
            json!({"scan_on_push": false}),
        ),
        (
            "encryption_configuration",
            json!({"encryption_type": "AES256", "kms_key": null}),
        ),
    ] {
        one_block(p, block);
        if !p.attrs.contains_key(block) {
            p.attrs.insert(block.into(), default);
            clear(&mut p.unknown, &format!("/{block}"));
        }
    }
    if let Some(Value::Object(e)) = p.attrs.get_mut("encryption_configuration")
        && e.get("kms_key").and_then(Value::as_str) == Some("")
    {
        e.insert("kms_key".into(), Value::Null);
    }
    for attr in ["policy", "lifecycle_policy"] {
        p.attrs.insert(attr.into(), Value::Null);
    }
}
