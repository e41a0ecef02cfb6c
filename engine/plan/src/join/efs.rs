//! EFS: a file system's backup policy and file system policy, written as
//! their own resources, onto the file system their `file_system_id`
//! refers to.

use serde_json::{Value, json};

use super::read::{attr, first, unknown_at};
use super::{Join, Kinds, Plan, onto, set};
use crate::pointer::covered;
use crate::world::World;

const FILE_SYSTEM: Kinds = &["aws_efs_file_system"];

pub(super) const JOINS: &[Join] = &[
    ("aws_efs_backup_policy", backup_policy),
    ("aws_efs_file_system_policy", file_system_policy),
];

/// `backup_policy { status }` as the model's `{"status": ...}`.
fn backup_policy(w: &World, i: usize) -> Option<Plan> {
    let status = first(&attr(w, i, "backup_policy"))
        .get("status")
        .cloned()
        .unwrap_or(Value::Null);
    let unknown = if unknown_at(w, i, "backup_policy")
        || covered(&w.planned[i].unknown, "/backup_policy/0/status")
    {
        vec!["/status".to_owned()]
    } else {
        Vec::new()
    };
    Some(onto(
        "file_system_id",
        FILE_SYSTEM,
        set("backup_policy", json!({"status": status}), unknown),
    ))
}

/// The policy document, kept as text like every policy in the model.
fn file_system_policy(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = if unknown_at(w, i, "policy") {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, "policy"), Vec::new())
    };
    Some(onto(
        "file_system_id",
        FILE_SYSTEM,
        set("policy", value, unknown),
    ))
}
