//! `aws_cloudfront_distribution` in the live collector's shape
//! (docs/resource-model/cloudfront.md): the one-element blocks, top-level
//! and inside each origin, become objects; "none" written as `""` by the
//! provider becomes `null`.

use serde_json::Value;

use super::one_block;
use crate::pointer::{collapse_list_at, covered};
use crate::world::Planned;

/// Blocks an origin holds at most one of.
const ORIGIN_BLOCKS: &[&str] = &["s3_origin_config", "custom_origin_config"];

pub(super) fn distribution(p: &mut Planned) {
    for block in [
        "default_cache_behavior",
        "viewer_certificate",
        "logging_config",
    ] {
        one_block(p, block);
    }
    // No logging_config block is standard logging off.
    if !p.attrs.contains_key("logging_config") {
        p.attrs.insert("logging_config".into(), Value::Null);
    }
    for list in ["origin", "ordered_cache_behavior", "origin_group"] {
        if !p.attrs.contains_key(list) && !covered(&p.unknown, &format!("/{list}")) {
            p.attrs.insert(list.into(), Value::Array(Vec::new()));
        }
    }
    let origins = match p.attrs.get("origin") {
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    for n in 0..origins {
        origin(p, n);
    }
    for attr in ["web_acl_id", "default_root_object"] {
        if p.attrs.get(attr).and_then(Value::as_str) == Some("") {
            p.attrs.insert(attr.into(), Value::Null);
        }
    }
}

/// `origin[n]`: its one-element blocks as objects (`null` when left out),
/// and no origin access control (`""`) as `null`.
fn origin(p: &mut Planned, n: usize) {
    let Some(Value::Object(origin)) = p
        .attrs
        .get_mut("origin")
        .and_then(Value::as_array_mut)
        .and_then(|items| items.get_mut(n))
    else {
        return;
    };
    for block in ORIGIN_BLOCKS {
        let first = match origin.get(*block) {
            Some(Value::Array(items)) => items.first().cloned(),
            Some(Value::Object(o)) => Some(Value::Object(o.clone())),
            _ => None,
        };
        origin.insert((*block).to_owned(), first.unwrap_or(Value::Null));
        collapse_list_at(&mut p.unknown, &format!("/origin/{n}/{block}"));
    }
    if origin
        .get("origin_access_control_id")
        .and_then(Value::as_str)
        == Some("")
    {
        origin.insert("origin_access_control_id".into(), Value::Null);
    }
}
