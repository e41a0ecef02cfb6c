//! ECR: a repository's policy and lifecycle policy, each written as its
//! own resource, onto the `aws_ecr_repository` their `repository` names.

use serde_json::Value;

use super::read::{attr, unknown_at};
use super::{Join, Plan, onto, set};
use crate::world::World;

const REPOSITORY: super::Kinds = &["aws_ecr_repository"];

pub(super) const JOINS: &[Join] = &[
    ("aws_ecr_repository_policy", repository_policy),
    ("aws_ecr_lifecycle_policy", lifecycle_policy),
];

fn repository_policy(w: &World, i: usize) -> Option<Plan> {
    Some(document("policy", w, i))
}

fn lifecycle_policy(w: &World, i: usize) -> Option<Plan> {
    Some(document("lifecycle_policy", w, i))
}

/// The split resource's `policy` (a JSON string) set as `attr` on the
/// repository; an unknown document stays unknown.
fn document(target: &'static str, w: &World, i: usize) -> Plan {
    let (value, unknown) = if unknown_at(w, i, "policy") {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, "policy"), Vec::new())
    };
    onto("repository", REPOSITORY, set(target, value, unknown))
}
