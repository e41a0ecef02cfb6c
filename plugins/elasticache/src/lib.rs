//! Built-in ElastiCache rules. On replication groups (Redis OSS and
//! Valkey): encryption at rest (PILLAR-ECH-001) and in transit
//! (PILLAR-ECH-002), automatic failover (PILLAR-ECH-003), Multi-AZ
//! (PILLAR-ECH-004), AUTH (PILLAR-ECH-005). On replication groups and
//! standalone cache clusters: automatic backups for Redis and Valkey
//! (PILLAR-ECH-006) and automatic minor version upgrades (PILLAR-ECH-008).
//! On standalone clusters: all nodes in one zone (PILLAR-ECH-007).
//!
//! A cluster that is a member of a replication group is judged through its
//! group, never on its own.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::setting::Required;

pub const AT_REST: &str = "PILLAR-ECH-001";
pub const IN_TRANSIT: &str = "PILLAR-ECH-002";
pub const FAILOVER: &str = "PILLAR-ECH-003";
pub const MULTI_AZ: &str = "PILLAR-ECH-004";
pub const AUTH: &str = "PILLAR-ECH-005";
pub const BACKUPS: &str = "PILLAR-ECH-006";
pub const ONE_ZONE: &str = "PILLAR-ECH-007";
pub const MINOR_UPGRADES: &str = "PILLAR-ECH-008";

pub struct ElastiCachePack;

impl RulePack for ElastiCachePack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-elasticache", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_elasticache_replication_group" => {
                for (i, g) in batch.iter().enumerate() {
                    group(i, g, out);
                }
            }
            "aws_elasticache_cluster" => {
                for (i, c) in batch.iter().enumerate() {
                    cluster(i, c, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(ElastiCachePack);

fn group(i: usize, g: &Resource, out: &mut dyn Sink) {
    for (rule, pointer, off, what) in [
        (
            AT_REST,
            "/at_rest_encryption_enabled",
            "encryption at rest is off",
            "whether encryption at rest is on",
        ),
        (
            IN_TRANSIT,
            "/transit_encryption_enabled",
            "encryption in transit (TLS) is off",
            "whether encryption in transit is on",
        ),
        (
            FAILOVER,
            "/automatic_failover_enabled",
            "automatic failover is off: a failed primary is not replaced by a replica",
            "whether automatic failover is on",
        ),
        (
            MULTI_AZ,
            "/multi_az_enabled",
            "Multi-AZ is off: the primary and its replicas may share one zone's fate",
            "whether Multi-AZ is on",
        ),
    ] {
        Required {
            rule,
            pointer,
            off,
            what,
        }
        .flag(i, g, false, out);
    }
    auth(i, g, out);
    backups(i, g, out);
    minor_upgrades(i, g, out);
}

fn cluster(i: usize, c: &Resource, out: &mut dyn Sink) {
    match c.text("/replication_group_id") {
        Ok(Some(_)) => return,
        Ok(None) => {}
        Err(()) => {
            // A member is judged through its group; which this is, is not known.
            for (rule, what) in [
                (
                    BACKUPS,
                    "whether the cluster belongs to a replication group",
                ),
                (
                    ONE_ZONE,
                    "whether the cluster belongs to a replication group",
                ),
                (
                    MINOR_UPGRADES,
                    "whether the cluster belongs to a replication group",
                ),
            ] {
                Required {
                    rule,
                    pointer: "/replication_group_id",
                    off: "",
                    what,
                }
                .unknown(i, c, out);
            }
            return;
        }
    }
    backups(i, c, out);
    one_zone(i, c, out);
    minor_upgrades(i, c, out);
}

/// PILLAR-ECH-005: a Redis OSS or Valkey replication group requires
/// clients to authenticate: an AUTH token, or RBAC user groups.
fn auth(i: usize, g: &Resource, out: &mut dyn Sink) {
    let token = Required {
        rule: AUTH,
        pointer: "/auth_token_enabled",
        off: "",
        what: "whether an AUTH token is required",
    };
    let groups = Required {
        pointer: "/user_group_ids",
        what: "the RBAC user groups",
        ..token
    };
    let has_groups = match g.attr(groups.pointer) {
        Attr::Unknown => None,
        a => Some(a.as_array().is_some_and(|l| !l.is_empty())),
    };
    match (g.flag(token.pointer, false), has_groups) {
        (Some(true), _) | (_, Some(true)) => {}
        (Some(false), Some(false)) => token.fail(
            i,
            g,
            "no AUTH token and no RBAC user group: any client that reaches the endpoint can run commands"
                .to_owned(),
            out,
        ),
        (None, _) => token.unknown(i, g, out),
        (_, None) => groups.unknown(i, g, out),
    }
}

/// `Some(true)` for Redis OSS and Valkey (the engines with backups).
fn snapshots_possible(r: &Resource) -> Result<bool, ()> {
    match r.text("/engine") {
        Ok(Some(e)) => Ok(matches!(e, "redis" | "valkey")),
        // The provider's default engine for replication groups.
        Ok(None) => Ok(r.kind == "aws_elasticache_replication_group"),
        Err(()) => Err(()),
    }
}

/// PILLAR-ECH-006: automatic backups are kept (a snapshot retention limit
/// above zero). Memcached has no backups and is not judged.
fn backups(i: usize, r: &Resource, out: &mut dyn Sink) {
    let req = Required {
        rule: BACKUPS,
        pointer: "/snapshot_retention_limit",
        off: "automatic backups are off (snapshot retention limit 0)",
        what: "the snapshot retention limit",
    };
    match snapshots_possible(r) {
        Ok(true) => req.positive(i, r, out),
        Ok(false) => {}
        Err(()) => Required {
            pointer: "/engine",
            what: "the engine",
            ..req
        }
        .unknown(i, r, out),
    }
}

/// PILLAR-ECH-007: a standalone cluster keeps nodes in more than one zone.
/// A single node (every standalone Redis cluster) or `single-az` fails.
fn one_zone(i: usize, c: &Resource, out: &mut dyn Sink) {
    let nodes = Required {
        rule: ONE_ZONE,
        pointer: "/num_cache_nodes",
        off: "",
        what: "the number of cache nodes",
    };
    let mode = Required {
        pointer: "/az_mode",
        what: "the cluster's zone mode",
        ..nodes
    };
    let count = match c.attr(nodes.pointer) {
        Attr::Known(v) => checks::as_i64(v),
        Attr::Absent => Some(1),
        Attr::Unknown => None,
    };
    match (count, c.text(mode.pointer)) {
        (Some(n), _) if n <= 1 => nodes.fail(
            i,
            c,
            "a single cache node outside any replication group: no replica takes over when it fails"
                .to_owned(),
            out,
        ),
        (None, _) => nodes.unknown(i, c, out),
        (Some(_), Ok(Some("cross-az"))) => {}
        (Some(n), Ok(_)) => mode.fail(
            i,
            c,
            format!("all {n} cache nodes are in one Availability Zone (az_mode single-az)"),
            out,
        ),
        (Some(_), Err(())) => mode.unknown(i, c, out),
    }
}

/// PILLAR-ECH-008: minor engine versions (security fixes) are applied in
/// the maintenance window.
fn minor_upgrades(i: usize, r: &Resource, out: &mut dyn Sink) {
    Required {
        rule: MINOR_UPGRADES,
        pointer: "/auto_minor_version_upgrade",
        off: "automatic minor version upgrades are off",
        what: "whether minor version upgrades are automatic",
    }
    .flag(i, r, true, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    fn with(kind: &str, mut attrs: Value, extra: Value, unknown: &[&str]) -> Resource {
        for (k, v) in extra.as_object().into_iter().flatten() {
            attrs[k] = v.clone();
        }
        resource(kind, attrs, unknown)
    }

    fn group(extra: Value, unknown: &[&str]) -> Resource {
        let base = json!({"replication_group_id": "sessions", "engine": "redis",
            "at_rest_encryption_enabled": true, "transit_encryption_enabled": true,
            "automatic_failover_enabled": true, "multi_az_enabled": true,
            "auth_token_enabled": true, "user_group_ids": [], "snapshot_retention_limit": 7,
            "auto_minor_version_upgrade": true});
        with("aws_elasticache_replication_group", base, extra, unknown)
    }

    fn cluster(extra: Value, unknown: &[&str]) -> Resource {
        let base = json!({"cluster_id": "cache", "engine": "memcached", "num_cache_nodes": 2,
            "az_mode": "cross-az", "replication_group_id": null, "snapshot_retention_limit": 0,
            "auto_minor_version_upgrade": true});
        with("aws_elasticache_cluster", base, extra, unknown)
    }

    #[test]
    fn replication_groups() {
        let batch = [
            group(json!({}), &[]),
            group(
                json!({"at_rest_encryption_enabled": false, "transit_encryption_enabled": false,
                    "automatic_failover_enabled": false, "multi_az_enabled": false,
                    "auth_token_enabled": false, "snapshot_retention_limit": 0,
                    "auto_minor_version_upgrade": false}),
                &[],
            ),
            // RBAC instead of a token.
            group(
                json!({"auth_token_enabled": false, "user_group_ids": ["app"]}),
                &[],
            ),
            group(
                json!({"at_rest_encryption_enabled": null, "auth_token_enabled": null,
                    "snapshot_retention_limit": null}),
                &[
                    "/at_rest_encryption_enabled",
                    "/auth_token_enabled",
                    "/snapshot_retention_limit",
                ],
            ),
        ];
        let f = run::<ElastiCachePack>("aws_elasticache_replication_group", &batch, json!({}));
        for rule in [AT_REST, BACKUPS, AUTH] {
            assert_eq!(
                verdicts_of(&f, rule),
                vec![(1, "fail"), (3, "unknown")],
                "{rule}"
            );
        }
        for rule in [IN_TRANSIT, FAILOVER, MULTI_AZ, MINOR_UPGRADES] {
            assert_eq!(verdicts_of(&f, rule), vec![(1, "fail")], "{rule}");
        }
    }

    #[test]
    fn standalone_clusters() {
        let batch = [
            cluster(json!({}), &[]),
            // A member: judged through its group.
            cluster(
                json!({"engine": "redis", "num_cache_nodes": 1, "replication_group_id": "sessions"}),
                &[],
            ),
            cluster(
                json!({"engine": "redis", "num_cache_nodes": 1, "az_mode": "single-az"}),
                &[],
            ),
            cluster(
                json!({"az_mode": "single-az", "auto_minor_version_upgrade": false}),
                &[],
            ),
            cluster(
                json!({"replication_group_id": null}),
                &["/replication_group_id"],
            ),
            cluster(
                json!({"engine": "redis", "num_cache_nodes": 1, "snapshot_retention_limit": 5}),
                &[],
            ),
        ];
        let f = run::<ElastiCachePack>("aws_elasticache_cluster", &batch, json!({}));
        assert_eq!(verdicts_of(&f, BACKUPS), vec![(2, "fail"), (4, "unknown")]);
        assert_eq!(
            verdicts_of(&f, ONE_ZONE),
            vec![(2, "fail"), (3, "fail"), (4, "unknown"), (5, "fail")]
        );
        assert_eq!(
            verdicts_of(&f, MINOR_UPGRADES),
            vec![(3, "fail"), (4, "unknown")]
        );
    }
}
