//! ElastiCache replication groups and cache clusters in the live
//! collector's shape (docs/resource-model/elasticache.md): the provider's
//! defaults where the configuration is silent, its `"true"`/`"false"`
//! strings as booleans, and `auth_token_enabled` instead of the token.

use serde_json::{Map, Value, json};

use super::{Declared, default_if_absent, none_if_undeclared};
use crate::pointer::covered;
use crate::world::Planned;
use std::collections::BTreeSet;

/// Before credentials are stripped from a planned replication group: whether
/// it has an AUTH token (a known non-empty value, or one computed at
/// apply). Only that fact is kept; the token never reaches the model.
pub(crate) fn auth_token_enabled(
    tf_type: &str,
    attrs: &mut Map<String, Value>,
    unknown: &BTreeSet<String>,
) {
    if tf_type != "aws_elasticache_replication_group" {
        return;
    }
    let set = covered(unknown, "/auth_token")
        || attrs
            .get("auth_token")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty());
    attrs.insert("auth_token_enabled".into(), json!(set));
}

pub(super) fn replication_group(p: &mut Planned, declared: &Declared<'_>) {
    default_if_absent(p, "engine", json!("redis"));
    // Encryption defaults moved between provider and engine versions: a
    // computed value stays unknown; only a plain absence is "off".
    default_if_absent(p, "at_rest_encryption_enabled", json!(false));
    default_if_absent(p, "transit_encryption_enabled", json!(false));
    for attr in ["automatic_failover_enabled", "multi_az_enabled"] {
        default_if_absent(p, attr, json!(false));
    }
    none_if_undeclared(p, declared, "user_group_ids", json!([]));
    default_if_absent(p, "user_group_ids", json!([]));
    retention_and_upgrades(p, declared);
}

pub(super) fn cluster(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(p, declared, "replication_group_id", Value::Null);
    none_if_undeclared(p, declared, "az_mode", json!("single-az"));
    default_if_absent(p, "az_mode", json!("single-az"));
    retention_and_upgrades(p, declared);
}

/// `snapshot_retention_limit` is 0 when not declared;
/// `auto_minor_version_upgrade` is a string in the provider, `"true"` by
/// default.
fn retention_and_upgrades(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(p, declared, "snapshot_retention_limit", json!(0));
    default_if_absent(p, "snapshot_retention_limit", json!(0));
    none_if_undeclared(p, declared, "auto_minor_version_upgrade", json!(true));
    let upgrade = match p.attrs.get("auto_minor_version_upgrade") {
        Some(Value::String(s)) => Some(json!(s != "false")),
        _ => None,
    };
    if let Some(v) = upgrade {
        p.attrs.insert("auto_minor_version_upgrade".into(), v);
    }
    default_if_absent(p, "auto_minor_version_upgrade", json!(true));
}
