//! KMS: a key policy written as its own resource onto its key.

use serde_json::Value;

use super::read::{attr, unknown_at};
use super::{Join, Plan, onto, set};
use crate::world::World;

pub(super) const JOINS: &[Join] = &[("aws_kms_key_policy", key_policy)];

/// `aws_kms_key.policy` from `aws_kms_key_policy`, whose `key_id` refers to
/// the key.
fn key_policy(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = if unknown_at(w, i, "policy") {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, "policy"), Vec::new())
    };
    Some(onto(
        "key_id",
        &["aws_kms_key"],
        set("policy", value, unknown),
    ))
}
