//! `aws_eks_cluster` in the live collector's shape
//! (docs/resource-model/eks.md): `vpc_config` as an object, each
//! `encryption_config`'s `provider` as an object, and no log types as `[]`.

use serde_json::{Value, json};

use super::{Declared, one_block};
use crate::pointer::{clear, collapse_list_at, covered};
use crate::world::Planned;

/// What AWS applies when `public_access_cidrs` is left out.
const ANYWHERE: &str = "0.0.0.0/0";

pub(super) fn cluster(p: &mut Planned, declared: &Declared<'_>) {
    one_block(p, "vpc_config");
    let declares_cidrs = declared
        .expressions
        .and_then(|e| e.get("vpc_config"))
        .and_then(Value::as_array)
        .and_then(|blocks| blocks.first())
        .is_some_and(|b| b.get("public_access_cidrs").is_some());
    if !declares_cidrs && covered(&p.unknown, "/vpc_config/public_access_cidrs") {
        clear(&mut p.unknown, "/vpc_config/public_access_cidrs");
        if let Some(Value::Object(vpc)) = p.attrs.get_mut("vpc_config") {
            vpc.insert("public_access_cidrs".into(), json!([ANYWHERE]));
        }
    }
    if p.attrs
        .get("enabled_cluster_log_types")
        .is_none_or(Value::is_null)
        && !covered(&p.unknown, "/enabled_cluster_log_types")
    {
        p.attrs
            .insert("enabled_cluster_log_types".into(), json!([]));
    }
    let configs = match p.attrs.get_mut("encryption_config") {
        Some(Value::Array(items)) => items,
        _ => return,
    };
    for (n, item) in configs.iter_mut().enumerate() {
        if let Value::Object(o) = item
            && let Some(Value::Array(list)) = o.get("provider")
        {
            let first = list.first().cloned().unwrap_or(Value::Null);
            o.insert("provider".into(), first);
        }
        collapse_list_at(&mut p.unknown, &format!("/encryption_config/{n}/provider"));
    }
}
