//! Secrets Manager: a secret's rotation, written as its own resource, onto
//! the secret.

use serde_json::{Value, json};

use super::read::{attr, first, rebase};
use super::{Join, Kinds, Piece, Plan, Via, set};
use crate::world::World;

const SECRET: Kinds = &["aws_secretsmanager_secret"];

pub(super) const JOINS: &[Join] = &[("aws_secretsmanager_secret_rotation", rotation)];

/// `aws_secretsmanager_secret_rotation` turns rotation on for the secret
/// its `secret_id` refers to, on the schedule of its `rotation_rules`.
fn rotation(w: &World, i: usize) -> Option<Plan> {
    let rules = first(&attr(w, i, "rotation_rules"));
    let value = if rules.is_null() {
        Value::Null
    } else {
        json!({
            "automatically_after_days": rules.get("automatically_after_days").cloned().unwrap_or(Value::Null),
            "schedule_expression": rules.get("schedule_expression").cloned().unwrap_or(Value::Null),
        })
    };
    let unknown: Vec<String> = rebase(w, i, "rotation_rules", "")
        .into_iter()
        .map(|u| u.replacen("/0", "", 1))
        .collect();
    let piece = |fold| Piece {
        via: Via::Arg("secret_id"),
        kinds: SECRET,
        fold,
    };
    Some(vec![
        piece(set("rotation_enabled", json!(true), Vec::new())),
        piece(set("rotation_rules", value, unknown)),
    ])
}
