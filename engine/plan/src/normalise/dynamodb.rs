//! `aws_dynamodb_table` in the live collector's shape
//! (docs/resource-model/dynamodb.md): the one-element blocks become
//! objects, a block left out is the provider's "off", and
//! `server_side_encryption.key_manager` says whose key it is.

use serde_json::{Value, json};

use super::{Declared, default_if_absent, none_if_undeclared, one_block};
use crate::pointer::{clear, covered};
use crate::world::Planned;

pub(super) fn table(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(
        p,
        declared,
        "point_in_time_recovery",
        json!([{"enabled": false}]),
    );
    none_if_undeclared(
        p,
        declared,
        "server_side_encryption",
        json!([{"enabled": false, "kms_key_arn": null}]),
    );
    for block in ["point_in_time_recovery", "server_side_encryption", "ttl"] {
        one_block(p, block);
    }
    for (block, off) in [
        ("point_in_time_recovery", json!({"enabled": false})),
        (
            "server_side_encryption",
            json!({"enabled": false, "kms_key_arn": null}),
        ),
    ] {
        if !p.attrs.contains_key(block) && !covered(&p.unknown, &format!("/{block}")) {
            p.attrs.insert(block.into(), off);
        }
    }
    key_manager(p, declared);
    none_if_undeclared(p, declared, "deletion_protection_enabled", json!(false));
    default_if_absent(p, "deletion_protection_enabled", json!(false));
    default_if_absent(p, "billing_mode", json!("PROVISIONED"));
    if !p.attrs.contains_key("replica") && !covered(&p.unknown, "/replica") {
        p.attrs.insert("replica".into(), json!([]));
    }
}

/// A table encrypted with KMS but no declared `kms_key_arn` uses the
/// AWS-managed key `aws/dynamodb` (the provider computes its ARN, which the
/// plan shows unknown); a declared key is the customer's.
fn key_manager(p: &mut Planned, declared: &Declared<'_>) {
    let key_declared = declared
        .expressions
        .and_then(|e| e.get("server_side_encryption"))
        .and_then(|b| match b {
            Value::Array(items) => items.first(),
            other => Some(other),
        })
        .and_then(|b| b.get("kms_key_arn"))
        .is_some();
    if covered(&p.unknown, "/server_side_encryption/enabled") {
        p.unknown
            .insert("/server_side_encryption/key_manager".into());
        set_manager(p, Value::Null);
        return;
    }
    let on = p
        .attrs
        .get("server_side_encryption")
        .and_then(|s| s.get("enabled"))
        .and_then(Value::as_bool)
        == Some(true);
    let manager = match (on, key_declared) {
        (false, _) => Value::Null,
        (true, true) => json!("CUSTOMER"),
        (true, false) => {
            clear(&mut p.unknown, "/server_side_encryption/kms_key_arn");
            if let Some(Value::Object(sse)) = p.attrs.get_mut("server_side_encryption")
                && sse.get("kms_key_arn").is_none_or(Value::is_null)
            {
                sse.insert("kms_key_arn".into(), Value::Null);
            }
            json!("AWS")
        }
    };
    set_manager(p, manager);
}

fn set_manager(p: &mut Planned, manager: Value) {
    if let Some(Value::Object(sse)) = p.attrs.get_mut("server_side_encryption") {
        sse.insert("key_manager".into(), manager);
    }
}
