//! `aws_lambda_function` in the live collector's shape
//! (docs/resource-model/lambda.md): the one-element blocks as objects (or
//! `null` when not set), the computed defaults of what the configuration
//! leaves out, and the attributes joined from split resources starting as
//! "none".

use serde_json::{Value, json};

use super::{Declared, default_if_absent, none_if_undeclared, one_block};
use crate::pointer::covered;
use crate::world::Planned;

pub(super) fn function(p: &mut Planned, declared: &Declared<'_>) {
    // Lambda traces nothing unless told (`PassThrough`).
    none_if_undeclared(
        p,
        declared,
        "tracing_config",
        json!([{"mode": "PassThrough"}]),
    );
    for block in [
        "environment",
        "dead_letter_config",
        "tracing_config",
        "vpc_config",
    ] {
        one_block(p, block);
        if !p.attrs.contains_key(block) {
            p.attrs.insert(block.into(), Value::Null);
        }
    }
    // A VPC block without subnets (the provider writes one when a module
    // passes empty lists) puts the function in no VPC, as live.
    let no_subnets = p
        .attrs
        .get("vpc_config")
        .and_then(|v| v.get("subnet_ids"))
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    if no_subnets && !covered(&p.unknown, "/vpc_config/subnet_ids") {
        p.attrs.insert("vpc_config".into(), Value::Null);
    }
    none_if_undeclared(p, declared, "package_type", json!("Zip"));
    default_if_absent(p, "package_type", json!("Zip"));
    none_if_undeclared(p, declared, "kms_key_arn", Value::Null);
    if p.attrs.get("kms_key_arn").and_then(Value::as_str) == Some("") {
        p.attrs.insert("kms_key_arn".into(), Value::Null);
    }
    // Filled by aws_lambda_permission, aws_lambda_function_url and
    // aws_lambda_function_event_invoke_config joins: in a plan, none
    // declared is none.
    p.attrs.insert("policy".into(), json!([]));
    p.attrs.insert("function_url".into(), Value::Null);
    p.attrs.insert("event_invoke_config".into(), Value::Null);
}
