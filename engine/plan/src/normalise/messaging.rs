//! `aws_sns_topic` and `aws_sqs_queue` in the live collector's shape
//! (docs/resource-model/sns.md, sqs.md): the provider's `""` for "none" as
//! `null`, an undeclared policy as AWS's default one (`null`), the redrive
//! policy parsed, and SQS-managed encryption as AWS applies it.

use serde_json::{Value, json};

use super::{Declared, json_object, none_if_undeclared};
use crate::pointer::covered;
use crate::world::Planned;

pub(super) fn topic(p: &mut Planned, declared: &Declared<'_>) {
    empty_is_none(p, &["kms_master_key_id", "policy"]);
    none_if_undeclared(p, declared, "kms_master_key_id", Value::Null);
    none_if_undeclared(p, declared, "policy", Value::Null);
}

pub(super) fn queue(p: &mut Planned, declared: &Declared<'_>) {
    empty_is_none(p, &["kms_master_key_id", "policy", "redrive_policy"]);
    none_if_undeclared(p, declared, "kms_master_key_id", Value::Null);
    none_if_undeclared(p, declared, "policy", Value::Null);
    none_if_undeclared(p, declared, "redrive_policy", Value::Null);
    if !covered(&p.unknown, "/redrive_policy") {
        let parsed = json_object(p.attrs.get("redrive_policy").unwrap_or(&Value::Null));
        match parsed {
            Ok(v) => {
                p.attrs.insert("redrive_policy".into(), v);
            }
            Err(()) => {
                p.attrs.insert("redrive_policy".into(), Value::Null);
                p.unknown.insert("/redrive_policy".into());
            }
        }
    }
    // SQS encrypts a new queue with SQS-managed keys unless it is given a
    // KMS key or told not to; the provider computes the attribute (older
    // providers lack it) when the configuration is silent.
    let sse_unknown = covered(&p.unknown, "/sqs_managed_sse_enabled");
    let sse_missing = p
        .attrs
        .get("sqs_managed_sse_enabled")
        .is_none_or(Value::is_null);
    if (sse_unknown || sse_missing) && !declared.sets("sqs_managed_sse_enabled") {
        let kms = declared.sets("kms_master_key_id")
            || p.attrs
                .get("kms_master_key_id")
                .is_some_and(|k| !k.is_null());
        crate::pointer::clear(&mut p.unknown, "/sqs_managed_sse_enabled");
        p.attrs
            .insert("sqs_managed_sse_enabled".into(), json!(!kms));
    }
}

fn empty_is_none(p: &mut Planned, attrs: &[&str]) {
    for attr in attrs {
        if p.attrs.get(*attr).and_then(Value::as_str) == Some("") {
            p.attrs.insert((*attr).into(), Value::Null);
        }
    }
}
