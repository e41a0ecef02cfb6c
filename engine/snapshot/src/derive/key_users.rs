//! Which resources use each KMS key (`aws_kms_key.used_by`): so that a key
//! that is disabled or scheduled for deletion while data still depends on
//! it can be told from one nobody needs.
//!
//! A resource names a key by ARN or by key id in one of the attributes
//! [`KEY_REFERENCES`] lists. Aliases (`alias/...`) are not resolved: a
//! reference through an alias is not counted.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{Derived, Scope, is_unknown};
use crate::Resource;

/// Where each kind names a KMS key: JSON pointers, `*` matching every
/// element of a list.
const KEY_REFERENCES: &[(&str, &[&str])] = &[
    (
        "aws_db_instance",
        &["/kms_key_id", "/performance_insights_kms_key_id"],
    ),
    ("aws_rds_cluster", &["/kms_key_id"]),
    ("aws_ebs_volume", &["/kms_key_id"]),
    ("aws_ebs_snapshot", &["/kms_key_id"]),
    ("aws_instance", &["/root_block_device/kms_key_id"]),
    (
        "aws_s3_bucket",
        &[
            "/server_side_encryption_configuration/rule/*/apply_server_side_encryption_by_default/*/kms_master_key_id",
        ],
    ),
    ("aws_cloudwatch_log_group", &["/kms_key_id"]),
    ("aws_cloudtrail", &["/kms_key_id"]),
    ("aws_secretsmanager_secret", &["/kms_key_id"]),
];

/// The non-empty strings at `pointer` (`*` stepping into every element of
/// a list), and whether a place it covers is unknown.
fn values(r: &Resource, pointer: &str) -> (Vec<String>, bool) {
    let segs: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let (mut found, mut unknown) = (Vec::new(), false);
    if let Some((first, rest)) = segs.split_first() {
        let start = r.attributes.get(*first);
        walk(
            r,
            start,
            format!("/{first}"),
            rest,
            &mut found,
            &mut unknown,
        );
    }
    (found, unknown)
}

fn walk(
    r: &Resource,
    here: Option<&Value>,
    at: String,
    rest: &[&str],
    found: &mut Vec<String>,
    unknown: &mut bool,
) {
    if is_unknown(r, &at) {
        *unknown = true;
        return;
    }
    let Some(v) = here else {
        return;
    };
    match rest.split_first() {
        None => {
            if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                found.push(s.to_owned());
            }
        }
        Some((&"*", tail)) => {
            for (n, item) in v.as_array().into_iter().flatten().enumerate() {
                walk(r, Some(item), format!("{at}/{n}"), tail, found, unknown);
            }
        }
        Some((seg, tail)) => walk(r, v.get(*seg), format!("{at}/{seg}"), tail, found, unknown),
    }
}

/// A key as references name it: by ARN, or by key id within its account
/// and region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyName {
    Arn(String),
    Id(Scope, String),
}

/// How a reference names a key; `None` for an alias (not resolved).
fn key_name(reference: &str, scope: &Scope) -> Option<KeyName> {
    if reference.starts_with("arn:") {
        return (!reference.contains(":alias/")).then(|| KeyName::Arn(reference.to_owned()));
    }
    (!reference.starts_with("alias/")).then(|| KeyName::Id(scope.clone(), reference.to_owned()))
}

pub(super) fn key_users(resources: &[Resource]) -> Vec<Option<Derived>> {
    let mut users: HashMap<KeyName, Vec<&str>> = HashMap::new();
    // Accounts (by id; plans have none) where some reference is unknown.
    let mut unsure: Vec<String> = Vec::new();
    for r in resources {
        let Some((_, pointers)) = KEY_REFERENCES.iter().find(|(k, _)| *k == r.kind) else {
            continue;
        };
        let scope = Scope::of(r);
        for pointer in *pointers {
            let (found, unknown) = values(r, pointer);
            if unknown && !unsure.contains(&scope.account) {
                unsure.push(scope.account.clone());
            }
            for reference in found {
                if let Some(name) = key_name(&reference, &scope) {
                    let list = users.entry(name).or_default();
                    if !list.contains(&r.id.as_str()) {
                        list.push(&r.id);
                    }
                }
            }
        }
    }
    resources
        .iter()
        .map(|r| {
            if r.kind != "aws_kms_key" {
                return None;
            }
            let scope = Scope::of(r);
            let text = |name: &str| {
                (!is_unknown(r, &format!("/{name}")))
                    .then(|| r.attributes.get(name).and_then(Value::as_str))
                    .flatten()
            };
            let mut names = Vec::new();
            if let Some(arn) = text("arn") {
                names.push(KeyName::Arn(arn.to_owned()));
            }
            if let Some(id) = text("key_id") {
                names.push(KeyName::Id(scope.clone(), id.to_owned()));
            }
            let mut list: Vec<&str> = names
                .iter()
                .filter_map(|n| users.get(n))
                .flatten()
                .copied()
                .collect();
            list.sort_unstable();
            list.dedup();
            // A known user decides; none known is "none" only when every
            // reference in the account is known and the key can be named.
            Some(if !list.is_empty() {
                Derived::Known(json!(list))
            } else if unsure.contains(&scope.account) || names.is_empty() {
                Derived::Unknown
            } else {
                Derived::Known(json!([]))
            })
        })
        .collect()
}
