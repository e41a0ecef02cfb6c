//! AWS Backup in the live collector's shape (docs/resource-model/backup.md):
//! a plan rule's `lifecycle` and each copy action's `lifecycle` are
//! one-element blocks, read as objects; a selection's `condition` block
//! likewise (it is folded onto its plan by `join/backup.rs`); a vault
//! without `kms_key_arn` uses AWS Backup's default key.

use serde_json::Value;

use super::{Declared, none_if_undeclared};
use crate::pointer::{collapse_list_at, covered};
use crate::world::Planned;

/// The block at `at` inside `v` as its first element (`null` when none),
/// and the unknown pointers below it collapsed the same way.
fn collapse(
    v: &mut Value,
    field: &str,
    unknown: &mut std::collections::BTreeSet<String>,
    at: &str,
) {
    let Some(obj) = v.as_object_mut() else {
        return;
    };
    let first = match obj.get(field) {
        Some(Value::Array(items)) => items.first().cloned(),
        Some(Value::Object(o)) => Some(Value::Object(o.clone())),
        _ => None,
    };
    obj.insert(field.to_owned(), first.unwrap_or(Value::Null));
    collapse_list_at(unknown, at);
}

pub(super) fn normalise(p: &mut Planned, declared: &Declared<'_>) {
    match p.tf_type.as_str() {
        "aws_backup_plan" => plan(p),
        "aws_backup_selection" => selection(p),
        _ => none_if_undeclared(p, declared, "kms_key_arn", Value::Null),
    }
}

fn plan(p: &mut Planned) {
    let mut rules = p.attrs.remove("rule").unwrap_or(Value::Null);
    for (n, rule) in rules.as_array_mut().into_iter().flatten().enumerate() {
        collapse(
            rule,
            "lifecycle",
            &mut p.unknown,
            &format!("/rule/{n}/lifecycle"),
        );
        let copies = rule.get_mut("copy_action").and_then(Value::as_array_mut);
        for (j, copy) in copies.into_iter().flatten().enumerate() {
            let at = format!("/rule/{n}/copy_action/{j}/lifecycle");
            collapse(copy, "lifecycle", &mut p.unknown, &at);
        }
    }
    if !rules.is_null() || covered(&p.unknown, "/rule") {
        p.attrs.insert("rule".into(), rules);
    }
}

fn selection(p: &mut Planned) {
    let mut attrs = Value::Object(std::mem::take(&mut p.attrs));
    collapse(&mut attrs, "condition", &mut p.unknown, "/condition");
    if let Value::Object(m) = attrs {
        p.attrs = m;
    }
}
