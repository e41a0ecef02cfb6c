//! AWS Config: a recorder's status, written as its own resource, onto the
//! recorder it names.

use serde_json::Value;

use super::read::{attr, unknown_at};
use super::{Join, Plan, onto, set};
use crate::world::World;

pub(super) const JOINS: &[Join] = &[("aws_config_configuration_recorder_status", recorder_status)];

/// `aws_config_configuration_recorder.is_enabled` from the status whose
/// `name` refers to the recorder (its `name`).
fn recorder_status(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = if unknown_at(w, i, "is_enabled") {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, "is_enabled"), Vec::new())
    };
    Some(onto(
        "name",
        &["aws_config_configuration_recorder"],
        set("is_enabled", value, unknown),
    ))
}
