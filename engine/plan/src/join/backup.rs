//! AWS Backup: each `aws_backup_selection` pushed onto the
//! `aws_backup_plan` its `plan_id` refers to (as the plan's
//! `selections`, the live shape of ListBackupSelections +
//! GetBackupSelection), and a vault's lock and access policy set onto the
//! `aws_backup_vault` their `backup_vault_name` refers to.

use serde_json::{Value, json};

use super::read::{attr, rebase, unknown_at};
use super::{Join, Kinds, Piece, Plan, Via, onto, push, set};
use crate::world::World;

const PLAN: Kinds = &["aws_backup_plan"];
const VAULT: Kinds = &["aws_backup_vault"];

pub(super) const JOINS: &[Join] = &[
    ("aws_backup_selection", selection),
    ("aws_backup_vault_lock_configuration", lock),
    ("aws_backup_vault_policy", policy),
];

/// The fields a selection keeps, with their unknown pointers.
const SELECTION_FIELDS: &[&str] = &[
    "name",
    "iam_role_arn",
    "resources",
    "not_resources",
    "selection_tag",
    "condition",
];

fn selection(w: &World, i: usize) -> Option<Plan> {
    let mut value = serde_json::Map::new();
    let mut unknown = Vec::new();
    for field in SELECTION_FIELDS {
        value.insert((*field).to_owned(), attr(w, i, field));
        unknown.extend(rebase(w, i, field, &format!("/{field}")));
    }
    Some(onto(
        "plan_id",
        PLAN,
        push("selections", Value::Object(value), unknown),
    ))
}

/// A vault lock configuration: the vault is locked, with its retention
/// bounds.
fn lock(w: &World, i: usize) -> Option<Plan> {
    let mut plan = vec![Piece {
        via: Via::Arg("backup_vault_name"),
        kinds: VAULT,
        fold: set("locked", json!(true), Vec::new()),
    }];
    for field in ["min_retention_days", "max_retention_days"] {
        let unknown = if unknown_at(w, i, field) {
            vec![String::new()]
        } else {
            Vec::new()
        };
        plan.push(Piece {
            via: Via::Arg("backup_vault_name"),
            kinds: VAULT,
            fold: set(field, attr(w, i, field), unknown),
        });
    }
    Some(plan)
}

fn policy(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = if unknown_at(w, i, "policy") {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, "policy"), Vec::new())
    };
    Some(onto(
        "backup_vault_name",
        VAULT,
        set("policy", value, unknown),
    ))
}
