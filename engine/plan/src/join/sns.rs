//! SNS: a topic's access policy, written as its own resource, onto the
//! topic.

use super::read::known_or_unknown;
use super::{Join, Plan, onto, set};
use crate::world::World;

pub(super) const JOINS: &[Join] = &[("aws_sns_topic_policy", topic_policy)];

/// `aws_sns_topic_policy` replaces the topic's policy; its `arn` refers to
/// the topic.
fn topic_policy(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = known_or_unknown(w, i, "policy");
    Some(onto(
        "arn",
        &["aws_sns_topic"],
        set("policy", value, unknown),
    ))
}
