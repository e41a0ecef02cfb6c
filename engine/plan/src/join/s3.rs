//! S3: the bucket settings Terraform splits into their own resources
//! (`aws_s3_bucket_versioning`, `_policy`, `_acl`, ...), each set onto the
//! `aws_s3_bucket` its `bucket` argument refers to.

use serde_json::{Value, json};

use super::read::{attr, declared, first, rebase, resolved_name, unknown_at, value_or_none};
use super::{Join, Kinds, Plan, onto, set};
use crate::normalise::{grants, replication};
use crate::pointer::covered;
use crate::world::World;

const BUCKET: Kinds = &["aws_s3_bucket"];

pub(super) const JOINS: &[Join] = &[
    (
        "aws_s3_bucket_server_side_encryption_configuration",
        encryption,
    ),
    ("aws_s3_bucket_versioning", versioning),
    ("aws_s3_bucket_public_access_block", public_access_block),
    ("aws_s3_bucket_policy", policy),
    (
        "aws_s3_bucket_replication_configuration",
        replication_configuration,
    ),
    ("aws_s3_bucket_acl", acl),
    ("aws_s3_bucket_logging", logging),
];

/// One setting set onto the bucket: what every S3 split resource is.
fn setting(attr: &'static str, value: Value, unknown: Vec<String>) -> Plan {
    onto("bucket", BUCKET, set(attr, value, unknown))
}

fn encryption(w: &World, i: usize) -> Option<Plan> {
    let u = rebase(w, i, "rule", "/rule");
    let value = json!({"rule": attr(w, i, "rule")});
    Some(setting("server_side_encryption_configuration", value, u))
}

fn versioning(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let conf = first(&attr(w, i, "versioning_configuration"));
    if unknown_at(w, i, "versioning_configuration") {
        u.push(String::new());
    }
    for (field, model) in [("status", "/enabled"), ("mfa_delete", "/mfa_delete")] {
        if covered(
            &w.planned[i].unknown,
            &format!("/versioning_configuration/0/{field}"),
        ) {
            u.push(model.to_owned());
        }
    }
    let value = json!({
        "enabled": conf.get("status").and_then(Value::as_str) == Some("Enabled"),
        "mfa_delete": conf.get("mfa_delete").and_then(Value::as_str) == Some("Enabled"),
    });
    Some(setting("versioning", value, u))
}

fn public_access_block(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let mut value = serde_json::Map::new();
    for flag in [
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ] {
        if unknown_at(w, i, flag) {
            u.push(format!("/{flag}"));
        }
        // Unset flags default to false in the provider and the API.
        value.insert(
            flag.into(),
            json!(attr(w, i, flag).as_bool().unwrap_or(false)),
        );
    }
    Some(setting("public_access_block", Value::Object(value), u))
}

fn policy(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    if unknown_at(w, i, "policy") {
        u.push(String::new());
    }
    Some(setting("policy", attr(w, i, "policy"), u))
}

fn replication_configuration(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let mut value = match w.planned[i].attrs.clone() {
        a if !a.is_empty() => replication(&a),
        _ => Value::Null,
    };
    if unknown_at(w, i, "role") {
        u.push("/role".into());
    }
    if unknown_at(w, i, "rule") {
        u.push("/rules".into());
    }
    destination_regions(w, i, &mut value, &mut u);
    Some(setting("replication_configuration", value, u))
}

/// `aws_s3_bucket_acl` sets two attributes: the canned `acl` and the
/// explicit grants.
fn acl(w: &World, i: usize) -> Option<Plan> {
    let mut ua = Vec::new();
    if unknown_at(w, i, "acl") && declared(w, i, "acl") {
        ua.push(String::new());
    }
    let canned = if unknown_at(w, i, "acl") {
        Value::Null
    } else {
        attr(w, i, "acl")
    };
    let policy = first(&attr(w, i, "access_control_policy"));
    let mut ug = Vec::new();
    if unknown_at(w, i, "access_control_policy") && declared(w, i, "access_control_policy") {
        ug.push(String::new());
    }
    let grants = grants(policy.get("grant").unwrap_or(&Value::Null));
    let mut plan = setting("acl", canned, ua);
    plan.extend(setting("acl_grants", grants, ug));
    Some(plan)
}

fn logging(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
    let target = resolved_name(
        w,
        i,
        "target_bucket",
        BUCKET,
        "bucket",
        &mut u,
        "/target_bucket",
    );
    let prefix = value_or_none(w, i, "target_prefix", &mut u, "/target_prefix");
    let value = json!({"target_bucket": target, "target_prefix": prefix});
    Some(setting("logging", value, u))
}

/// Replication destinations: the region of the destination bucket's
/// provider, when the configuration names a planned bucket.
fn destination_regions(w: &World, i: usize, value: &mut Value, unknown: &mut Vec<String>) {
    let p = &w.planned[i];
    let Some(rules_expr) = w
        .config
        .expression(&p.addr.module_path(), &p.addr.local(), "rule")
        .and_then(Value::as_array)
        .cloned()
    else {
        return;
    };
    let Some(rules) = value.get_mut("rules").and_then(Value::as_array_mut) else {
        return;
    };
    for (n, (rule, expr)) in rules.iter_mut().zip(rules_expr.iter()).enumerate() {
        let refs: Vec<&str> = expr
            .get("destination")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(|d| d.get("bucket"))
            .map(crate::config::references)
            .unwrap_or_default();
        if refs.is_empty() {
            continue;
        }
        let Some(bucket) = refs.iter().find_map(|r| {
            let (segs, _) = crate::address::split_reference(r);
            let (kind, _) = segs.first()?;
            let (name, key) = segs.get(1)?;
            (kind == "aws_s3_bucket").then(|| {
                w.planned.iter().position(|q| {
                    q.tf_type == "aws_s3_bucket"
                        && q.addr.name == *name
                        && (key.is_none() || q.addr.key == *key)
                        && q.addr.module_instance() == p.addr.module_instance()
                })
            })?
        }) else {
            continue;
        };
        let dest = &mut rule["destination"];
        dest["region"] = json!(w.planned[bucket].region);
        if dest["bucket"].is_null() {
            match w.known(bucket, "arn") {
                Some(arn) => dest["bucket"] = arn.clone(),
                None => unknown.push(format!("/rules/{n}/destination/bucket")),
            }
        }
    }
}
