//! SQS: a queue's access policy and redrive policy, each written as its
//! own resource, onto the queue.

use super::read::known_or_unknown;
use super::{Join, Kinds, Plan, onto, set};
use crate::normalise::json_object;
use crate::world::World;
use serde_json::Value;

const QUEUE: Kinds = &["aws_sqs_queue"];

pub(super) const JOINS: &[Join] = &[
    ("aws_sqs_queue_policy", queue_policy),
    ("aws_sqs_queue_redrive_policy", redrive_policy),
];

/// `aws_sqs_queue_policy` sets the policy of the queue its `queue_url`
/// refers to.
fn queue_policy(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = known_or_unknown(w, i, "policy");
    Some(onto("queue_url", QUEUE, set("policy", value, unknown)))
}

/// `aws_sqs_queue_redrive_policy` sets the redrive policy (JSON text,
/// parsed as on the queue itself) of the queue its `queue_url` refers to.
fn redrive_policy(w: &World, i: usize) -> Option<Plan> {
    let (value, mut unknown) = known_or_unknown(w, i, "redrive_policy");
    let value = match json_object(&value) {
        Ok(parsed) => parsed,
        Err(()) => {
            unknown = vec![String::new()];
            Value::Null
        }
    };
    Some(onto(
        "queue_url",
        QUEUE,
        set("redrive_policy", value, unknown),
    ))
}
