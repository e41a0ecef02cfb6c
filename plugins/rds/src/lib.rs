//! Built-in RDS rules: encryption, exposure, credentials, availability,
//! backups, deletion protection, monitoring and engine support of DB
//! instances and clusters, and public or unencrypted snapshots.
//! Metadata and documentation come from `rules/catalog/`.

mod snapshots;
mod support;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::backup::coverage;
use pillar_rule_sdk::checks::as_i64;
use pillar_rule_sdk::prelude::*;

pub const STORAGE_ENCRYPTED: &str = "PILLAR-RDS-001";
pub const CROSS_REGION_BACKUPS: &str = "PILLAR-RDS-002";
pub const PUBLICLY_ACCESSIBLE: &str = "PILLAR-RDS-003";
pub const INTERNET_ROUTED_SUBNETS: &str = "PILLAR-RDS-004";
pub const CUSTOMER_MANAGED_KEY: &str = "PILLAR-RDS-005";
pub const PASSWORD_LITERAL: &str = "PILLAR-RDS-006";
pub const MULTI_AZ: &str = "PILLAR-RDS-007";
pub const BACKUP_RETENTION: &str = "PILLAR-RDS-008";
pub const DELETION_PROTECTION: &str = "PILLAR-RDS-009";
pub const PERFORMANCE_INSIGHTS: &str = "PILLAR-RDS-010";
pub const SNAPSHOT_PUBLIC: &str = "PILLAR-RDS-011";
pub const SNAPSHOT_UNENCRYPTED: &str = "PILLAR-RDS-012";
pub const IAM_AUTHENTICATION: &str = "PILLAR-RDS-013";
pub const ENGINE_SUPPORT: &str = "PILLAR-RDS-014";

/// Engines that support IAM database authentication.
const IAM_AUTH_ENGINES: &[&str] = &[
    "mysql",
    "mariadb",
    "postgres",
    "aurora",
    "aurora-mysql",
    "aurora-postgresql",
];

/// Rules about storage, backups and availability, which Aurora instances
/// inherit from their cluster (judged as `aws_rds_cluster`).
const CLUSTER_LEVEL: &[&str] = &[
    STORAGE_ENCRYPTED,
    CROSS_REGION_BACKUPS,
    CUSTOMER_MANAGED_KEY,
    MULTI_AZ,
    BACKUP_RETENTION,
    DELETION_PROTECTION,
    IAM_AUTHENTICATION,
    ENGINE_SUPPORT,
];

/// RDS creates automated backups for 1 day when no retention is given.
const DEFAULT_RETENTION_DAYS: i64 = 1;

pub struct RdsPack;

impl RulePack for RdsPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-rds", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let config = config::current();
        match kind {
            "aws_db_instance" => {
                for (i, db) in batch.iter().enumerate() {
                    instance(i, db, &config, out);
                }
                Ok(())
            }
            "aws_rds_cluster" => {
                for (i, cluster) in batch.iter().enumerate() {
                    storage_encrypted(i, cluster, out);
                    customer_managed_key(i, cluster, out);
                    password_literal(i, cluster, out);
                    backup_retention(i, cluster, &config, out);
                    iam_authentication(i, cluster, out);
                    support::engine_support(i, cluster, &config, out);
                    flag(
                        out,
                        (DELETION_PROTECTION, i),
                        cluster,
                        ("/deletion_protection", false),
                        "deletion protection is off",
                    );
                }
                Ok(())
            }
            "aws_db_snapshot" | "aws_db_cluster_snapshot" => {
                for (i, s) in batch.iter().enumerate() {
                    snapshots::public(i, s, out);
                    snapshots::encrypted(i, s, out);
                }
                Ok(())
            }
            other => Err(EvalError::UnsupportedKind(other.to_owned())),
        }
    }
}

pillar_rule_sdk::register!(RdsPack);

fn instance(i: usize, db: &Resource, config: &Config, out: &mut dyn Sink) {
    flag(
        out,
        (PUBLICLY_ACCESSIBLE, i),
        db,
        ("/publicly_accessible", true),
        "the instance has a public endpoint (publicly_accessible)",
    );
    internet_routed_subnets(i, db, out);
    password_literal(i, db, out);
    flag(
        out,
        (PERFORMANCE_INSIGHTS, i),
        db,
        ("/performance_insights_enabled", false),
        "Performance Insights is off",
    );
    // Aurora instances inherit storage and backups from their cluster.
    match aurora(db) {
        Some(true) => return,
        Some(false) => {}
        None => {
            for rule in CLUSTER_LEVEL {
                out.unknown(rule, i, unknown_engine(db), Some("/engine".into()));
            }
            return;
        }
    }
    storage_encrypted(i, db, out);
    cross_region_backups(i, db, config, out);
    customer_managed_key(i, db, out);
    flag(
        out,
        (MULTI_AZ, i),
        db,
        ("/multi_az", false),
        "the instance runs in one Availability Zone (multi_az is off)",
    );
    if !is_replica(db) {
        backup_retention(i, db, config, out);
    }
    flag(
        out,
        (DELETION_PROTECTION, i),
        db,
        ("/deletion_protection", false),
        "deletion protection is off",
    );
    iam_authentication(i, db, out);
    support::engine_support(i, db, config, out);
}

/// PILLAR-RDS-013: IAM database authentication is on, for the engines
/// that support it (others are not judged).
fn iam_authentication(i: usize, db: &Resource, out: &mut dyn Sink) {
    match db.text("/engine") {
        Err(()) => out.unknown(
            IAM_AUTHENTICATION,
            i,
            unknown_engine(db),
            Some("/engine".into()),
        ),
        Ok(Some(engine)) if IAM_AUTH_ENGINES.contains(&engine) => flag(
            out,
            (IAM_AUTHENTICATION, i),
            db,
            ("/iam_database_authentication_enabled", false),
            "IAM database authentication is off; only database passwords can authenticate",
        ),
        Ok(_) => {}
    }
}

/// A boolean rule: fails when the value at `pointer` (absent = `false`,
/// the provider's default) equals `bad`.
fn flag(
    out: &mut dyn Sink,
    (rule, i): (&str, usize),
    db: &Resource,
    (pointer, bad): (&str, bool),
    problem: &str,
) {
    let name = db.display_name();
    match db.flag(pointer, false) {
        None => out.unknown(
            rule,
            i,
            format!("{name}: {} is not known until apply", &pointer[1..]),
            Some(pointer.to_owned()),
        ),
        Some(v) if v == bad => out.fail(
            rule,
            i,
            format!("{name}: {problem}"),
            Some(pointer.to_owned()),
        ),
        Some(_) => {}
    }
}

/// Whether the instance belongs to an Aurora cluster; `None` if unknown.
fn aurora(db: &Resource) -> Option<bool> {
    match db.attr("/engine") {
        Attr::Unknown => None,
        Attr::Known(v) => Some(v.as_str().is_some_and(|e| e.starts_with("aurora"))),
        Attr::Absent => Some(false),
    }
}

fn is_replica(db: &Resource) -> bool {
    matches!(db.text("/replicate_source_db"), Ok(Some(_)))
}

fn unknown_engine(db: &Resource) -> String {
    format!("{}: the engine is not known until apply", db.display_name())
}

fn storage_encrypted(i: usize, db: &Resource, out: &mut dyn Sink) {
    // Absent means the Terraform default (false); the live collector always sets it.
    flag(
        out,
        (STORAGE_ENCRYPTED, i),
        db,
        ("/storage_encrypted", false),
        "storage is not encrypted at rest",
    );
}

/// PILLAR-RDS-005: encrypted storage uses a key the team controls. Only
/// judged when storage is known to be encrypted (RDS-001 covers the rest).
fn customer_managed_key(i: usize, db: &Resource, out: &mut dyn Sink) {
    if db.flag("/storage_encrypted", false) != Some(true) {
        return;
    }
    let name = db.display_name();
    match db.text("/kms_key_id") {
        Err(()) => out.unknown(
            CUSTOMER_MANAGED_KEY,
            i,
            format!("{name}: the KMS key is not known until apply"),
            Some("/kms_key_id".into()),
        ),
        Ok(None) => out.fail(
            CUSTOMER_MANAGED_KEY,
            i,
            format!("{name}: storage is encrypted with the AWS-managed key aws/rds, not a customer-managed key"),
            Some("/kms_key_id".into()),
        ),
        Ok(Some(key)) if key.ends_with("alias/aws/rds") => out.fail(
            CUSTOMER_MANAGED_KEY,
            i,
            format!("{name}: storage is encrypted with the AWS-managed key alias/aws/rds"),
            Some("/kms_key_id".into()),
        ),
        Ok(Some(_)) => {}
    }
}

fn internet_routed_subnets(i: usize, db: &Resource, out: &mut dyn Sink) {
    let name = db.display_name();
    let pointer = "/internet_routed_subnet_ids";
    match db.attr(pointer) {
        Attr::Known(v) => {
            let ids: Vec<&str> = v
                .as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
                .unwrap_or_default();
            if !ids.is_empty() {
                out.fail(
                    INTERNET_ROUTED_SUBNETS,
                    i,
                    format!(
                        "{name}: its subnet group includes subnet(s) with a route to an internet gateway: {}",
                        ids.join(", ")
                    ),
                    Some(pointer.into()),
                );
            }
        }
        Attr::Unknown | Attr::Absent => out.unknown(
            INTERNET_ROUTED_SUBNETS,
            i,
            format!("{name}: whether its subnets route to an internet gateway is not known (subnets, route tables or their ids missing or unknown)"),
            Some(pointer.into()),
        ),
    }
}

fn password_literal(i: usize, db: &Resource, out: &mut dyn Sink) {
    let name = db.display_name();
    match db.flag("/master_password_literal", false) {
        None => out.unknown(
            PASSWORD_LITERAL,
            i,
            format!("{name}: whether the master password is a literal is not known"),
            Some("/master_password_literal".into()),
        ),
        // The password itself never reaches a snapshot; only the fact that it is a literal.
        Some(true) => out.fail(
            PASSWORD_LITERAL,
            i,
            format!("{name}: the master password is a literal in the Terraform configuration (and so in state and version control)"),
            Some("/master_password_literal".into()),
        ),
        Some(false) => {}
    }
}

fn backup_retention(i: usize, db: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = db.display_name();
    let minimum = config.int(BACKUP_RETENTION, "min_retention_days");
    let pointer = "/backup_retention_period";
    let (days, defaulted) = match db.attr(pointer) {
        Attr::Unknown => {
            return out.unknown(
                BACKUP_RETENTION,
                i,
                format!("{name}: the backup retention is not known until apply"),
                Some(pointer.into()),
            );
        }
        Attr::Known(v) => match as_i64(v) {
            Some(d) => (d, false),
            None => (DEFAULT_RETENTION_DAYS, true),
        },
        Attr::Absent => (DEFAULT_RETENTION_DAYS, true),
    };
    let message = if days == 0 {
        format!("{name}: automated backups are disabled (retention 0 days)")
    } else if days < minimum {
        let default = if defaulted { ", the RDS default" } else { "" };
        format!(
            "{name}: automated backups are kept {days} day(s){default}; at least {minimum} required"
        )
    } else {
        return;
    };
    out.fail(BACKUP_RETENTION, i, message, Some(pointer.into()));
}

/// Whether PILLAR-RDS-002 applies: every instance by default, or only those
/// tagged as production when `production_only` is set. `None` if unknown.
fn in_scope_for_replication(db: &Resource, config: &Config) -> Option<bool> {
    if !config.bool(CROSS_REGION_BACKUPS, "production_only") {
        return Some(true);
    }
    if db.tags_unknown() {
        return None;
    }
    let key = config.string(CROSS_REGION_BACKUPS, "production_tag_key");
    let values = config.strings(CROSS_REGION_BACKUPS, "production_tag_values");
    Some(
        db.tag_ignore_case(&key)
            .is_some_and(|v| values.iter().any(|p| p.eq_ignore_ascii_case(v.trim()))),
    )
}

fn cross_region_backups(i: usize, db: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = db.display_name();
    // A read replica's recovery story is its source's.
    if is_replica(db) {
        return;
    }
    match in_scope_for_replication(db, config) {
        Some(true) => {}
        Some(false) => return,
        None => {
            return out.unknown(
                CROSS_REGION_BACKUPS,
                i,
                format!("{name}: its tags (which say whether it is production) are not known"),
                Some("/tags".into()),
            );
        }
    }
    // An AWS Backup plan that selects the instance and copies to another
    // region is the other way to keep its backups outside the region.
    if coverage(db).is_ok_and(|c| c.copies_out_of_region(db.region.as_deref()) == Some(true)) {
        return;
    }
    let pointer = "/automated_backups_replications";
    match db.attr(pointer) {
        Attr::Unknown => out.unknown(
            CROSS_REGION_BACKUPS,
            i,
            format!("{name}: backup replication is not known until apply"),
            Some(pointer.into()),
        ),
        // The snapshot did not record replications at all (e.g. a collection
        // gap): that is not evidence of their absence.
        Attr::Absent => out.unknown(
            CROSS_REGION_BACKUPS,
            i,
            format!("{name}: the snapshot does not record backup replication"),
            Some(pointer.into()),
        ),
        Attr::Known(v) => {
            let replicated = v.as_array().is_some_and(|list| !list.is_empty());
            if replicated {
                return;
            }
            let region = db.region.as_deref();
            let copied = coverage(db)
                .ok()
                .and_then(|c| c.copies_out_of_region(region));
            match copied {
                Some(true) => return,
                Some(false) => {}
                None => {
                    return out.unknown(
                        CROSS_REGION_BACKUPS,
                        i,
                        format!("{name}: automated backups are not replicated, and whether an AWS Backup plan copies it to another region is not known"),
                        Some("/backup_plans".into()),
                    );
                }
            }
            let retention = db.attr("/backup_retention_period");
            let detail = match retention {
                Attr::Known(r) if as_i64(r) == Some(0) => " (automated backups are disabled too)",
                _ => "",
            };
            let region = db.region.as_deref().unwrap_or("its region");
            out.fail(
                CROSS_REGION_BACKUPS,
                i,
                format!("{name}: automated backups are not replicated outside {region}{detail}"),
                Some(pointer.into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    fn db(attrs: Value, unknown: &[&str]) -> Resource {
        resource("aws_db_instance", attrs, unknown)
    }

    /// A compliant instance, to which each test makes one change.
    fn good() -> Value {
        json!({"identifier": "orders", "engine": "postgres", "storage_encrypted": true,
               "kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/abc",
               "automated_backups_replications": [{"destination_region": "eu-central-1"}],
               "publicly_accessible": false, "internet_routed_subnet_ids": [],
               "multi_az": true, "backup_retention_period": 14, "deletion_protection": true,
               "performance_insights_enabled": true, "iam_database_authentication_enabled": true})
    }

    fn with(change: Value) -> Value {
        let mut v = good();
        for (k, x) in change.as_object().cloned().unwrap_or_default() {
            v[k] = x;
        }
        v
    }

    fn rds(kind: &str, batch: &[Resource]) -> pillar_rule_sdk::Findings {
        run::<RdsPack>(kind, batch, json!({}))
    }

    #[test]
    fn a_compliant_instance_passes_every_rule() {
        assert!(rds("aws_db_instance", &[db(good(), &[])]).0.is_empty());
    }

    #[test]
    fn each_setting_fails_its_rule() {
        let cases = [
            (json!({"storage_encrypted": false}), STORAGE_ENCRYPTED),
            (
                json!({"automated_backups_replications": []}),
                CROSS_REGION_BACKUPS,
            ),
            (json!({"publicly_accessible": true}), PUBLICLY_ACCESSIBLE),
            (
                json!({"internet_routed_subnet_ids": ["subnet-1"]}),
                INTERNET_ROUTED_SUBNETS,
            ),
            (json!({"kms_key_id": null}), CUSTOMER_MANAGED_KEY),
            (json!({"master_password_literal": true}), PASSWORD_LITERAL),
            (json!({"multi_az": false}), MULTI_AZ),
            (json!({"backup_retention_period": 3}), BACKUP_RETENTION),
            (json!({"deletion_protection": null}), DELETION_PROTECTION),
            (
                json!({"performance_insights_enabled": false}),
                PERFORMANCE_INSIGHTS,
            ),
        ];
        for (change, rule) in cases {
            let f = rds("aws_db_instance", &[db(with(change.clone()), &[])]);
            assert_eq!(f.verdicts(), vec![(rule, 0, "fail")], "{change}");
        }
    }

    #[test]
    fn unknowns_are_unknown() {
        for (pointer, rule) in [
            ("/storage_encrypted", STORAGE_ENCRYPTED),
            ("/automated_backups_replications", CROSS_REGION_BACKUPS),
            ("/publicly_accessible", PUBLICLY_ACCESSIBLE),
            ("/internet_routed_subnet_ids", INTERNET_ROUTED_SUBNETS),
            ("/kms_key_id", CUSTOMER_MANAGED_KEY),
            ("/master_password_literal", PASSWORD_LITERAL),
            ("/multi_az", MULTI_AZ),
            ("/backup_retention_period", BACKUP_RETENTION),
            ("/deletion_protection", DELETION_PROTECTION),
            ("/performance_insights_enabled", PERFORMANCE_INSIGHTS),
        ] {
            let f = rds("aws_db_instance", &[db(good(), &[pointer])]);
            assert_eq!(f.verdicts(), vec![(rule, 0, "unknown")], "{pointer}");
        }
        let mut not_recorded = good();
        not_recorded
            .as_object_mut()
            .map(|m| m.remove("automated_backups_replications"));
        assert_eq!(
            rds("aws_db_instance", &[db(not_recorded, &[])]).verdicts(),
            vec![(CROSS_REGION_BACKUPS, 0, "unknown")]
        );
    }

    #[test]
    fn backup_retention_has_a_tunable_minimum_and_a_default() {
        let batch = [db(with(json!({"backup_retention_period": 5})), &[])];
        let strict = rds("aws_db_instance", &batch);
        assert_eq!(verdicts_of(&strict, BACKUP_RETENTION), vec![(0, "fail")]);
        let relaxed = run::<RdsPack>(
            "aws_db_instance",
            &batch,
            json!({"PILLAR-RDS-008": {"min_retention_days": 5}}),
        );
        assert!(relaxed.0.is_empty());
        let mut unset = good();
        unset
            .as_object_mut()
            .map(|m| m.remove("backup_retention_period"));
        let f = rds("aws_db_instance", &[db(unset, &[])]);
        assert!(f.0[0].message.contains("RDS default"), "{}", f.0[0].message);
    }

    #[test]
    fn replication_can_be_limited_to_production() {
        let settings = json!({"PILLAR-RDS-002": {"production_only": true}});
        let dev = db(
            with(json!({"automated_backups_replications": [], "tags": {"Environment": "dev"}})),
            &[],
        );
        let prod = db(
            with(json!({"automated_backups_replications": [], "tags": {"environment": "prod"}})),
            &[],
        );
        let unknown = db(
            with(json!({"automated_backups_replications": []})),
            &["/tags"],
        );
        let f = run::<RdsPack>("aws_db_instance", &[dev, prod, unknown], settings);
        assert_eq!(
            verdicts_of(&f, CROSS_REGION_BACKUPS),
            vec![(1, "fail"), (2, "unknown")]
        );
    }

    /// A compliant cluster.
    fn cluster_attrs_encrypted() -> Value {
        json!({"engine": "aurora-mysql", "storage_encrypted": true,
               "kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/abc",
               "backup_retention_period": 7, "deletion_protection": true,
               "iam_database_authentication_enabled": true})
    }

    #[test]
    fn aurora_instances_and_replicas_are_left_to_their_cluster_or_source() {
        let aurora = db(
            with(
                json!({"engine": "aurora-postgresql", "storage_encrypted": false, "multi_az": false}),
            ),
            &[],
        );
        let replica = db(
            with(
                json!({"replicate_source_db": "orders", "backup_retention_period": 0, "automated_backups_replications": []}),
            ),
            &[],
        );
        assert!(rds("aws_db_instance", &[aurora, replica]).0.is_empty());
        let cluster = resource(
            "aws_rds_cluster",
            json!({"engine": "aurora-mysql", "storage_encrypted": false, "backup_retention_period": 7, "deletion_protection": true, "iam_database_authentication_enabled": true}),
            &[],
        );
        assert_eq!(
            rds("aws_rds_cluster", &[cluster]).verdicts(),
            vec![(STORAGE_ENCRYPTED, 0, "fail")]
        );
        let mut literal = cluster_attrs_encrypted();
        literal["master_password_literal"] = json!(true);
        let literal = resource("aws_rds_cluster", literal, &[]);
        assert_eq!(
            rds("aws_rds_cluster", &[literal]).verdicts(),
            vec![(PASSWORD_LITERAL, 0, "fail")]
        );
        let unknown = resource(
            "aws_rds_cluster",
            cluster_attrs_encrypted(),
            &["/master_password_literal"],
        );
        assert_eq!(
            rds("aws_rds_cluster", &[unknown]).verdicts(),
            vec![(PASSWORD_LITERAL, 0, "unknown")]
        );
        let engine_unknown = db(good(), &["/engine"]);
        let f = rds("aws_db_instance", &[engine_unknown]);
        assert_eq!(f.0.len(), CLUSTER_LEVEL.len());
        assert!(f.0.iter().all(|e| e.verdict == "unknown"));
    }

    #[test]
    fn an_aws_backup_copy_to_another_region_passes_rds_002() {
        let mut copied = db(
            with(json!({"automated_backups_replications": [],
                        "backup_plans": [{"name": "dr", "copy_regions": ["eu-central-1"], "copy_accounts": []}]})),
            &[],
        );
        copied.region = Some("eu-west-1".into());
        let mut same_region = db(
            with(json!({"automated_backups_replications": [],
                        "backup_plans": [{"name": "local", "copy_regions": ["eu-west-1"], "copy_accounts": []}]})),
            &[],
        );
        same_region.region = Some("eu-west-1".into());
        let undecided = db(
            with(json!({"automated_backups_replications": [], "backup_plans": [null]})),
            &["/backup_plans/0"],
        );
        // A plan's copy also passes when the replications are not recorded.
        let mut copied_unrecorded = copied.clone();
        copied_unrecorded
            .unknown
            .push("/automated_backups_replications".into());
        let f = rds(
            "aws_db_instance",
            &[copied, same_region, undecided, copied_unrecorded],
        );
        assert_eq!(
            verdicts_of(&f, CROSS_REGION_BACKUPS),
            vec![(1, "fail"), (2, "unknown")]
        );
    }

    #[test]
    fn snapshots_are_private_and_encrypted() {
        let snap = |attrs: Value, unknown: &[&str]| resource("aws_db_snapshot", attrs, unknown);
        let batch = [
            snap(
                json!({"encrypted": true, "shared_accounts": ["444455556666"]}),
                &[],
            ),
            snap(json!({"encrypted": true, "shared_accounts": ["all"]}), &[]),
            snap(json!({"encrypted": false}), &[]),
            snap(
                json!({"encrypted": null, "shared_accounts": null}),
                &["/encrypted", "/shared_accounts"],
            ),
        ];
        let f = rds("aws_db_snapshot", &batch);
        assert_eq!(
            f.verdicts(),
            vec![
                (SNAPSHOT_PUBLIC, 1, "fail"),
                (SNAPSHOT_UNENCRYPTED, 2, "fail"),
                (SNAPSHOT_PUBLIC, 3, "unknown"),
                (SNAPSHOT_UNENCRYPTED, 3, "unknown"),
            ]
        );
        let cluster = resource(
            "aws_db_cluster_snapshot",
            json!({"storage_encrypted": false, "shared_accounts": ["all"]}),
            &[],
        );
        assert_eq!(
            rds("aws_db_cluster_snapshot", &[cluster]).verdicts(),
            vec![
                (SNAPSHOT_PUBLIC, 0, "fail"),
                (SNAPSHOT_UNENCRYPTED, 0, "fail")
            ]
        );
    }

    #[test]
    fn iam_authentication_is_judged_only_where_the_engine_supports_it() {
        let off = json!({"iam_database_authentication_enabled": false});
        let mut oracle = with(off.clone());
        oracle["engine"] = json!("oracle-ee");
        let batch = [db(with(off), &[]), db(oracle, &[])];
        assert_eq!(
            rds("aws_db_instance", &batch).verdicts(),
            vec![(IAM_AUTHENTICATION, 0, "fail")]
        );
    }

    #[test]
    fn engine_versions_past_standard_support_fail_against_the_scan_date() {
        let settings = json!({"_scan": {"now": "2026-12-07T00:00:00Z"}});
        let batch = [
            db(with(json!({"engine_version": "13.7"})), &[]),
            db(with(json!({"engine_version": "16.3"})), &[]),
            db(with(json!({"engine_version": "x"})), &[]),
            db(with(json!({"engine_version": null})), &["/engine_version"]),
            db(
                with(json!({"engine": "mysql", "engine_version": "8.0.35"})),
                &[],
            ),
        ];
        let f = run::<RdsPack>("aws_db_instance", &batch, settings);
        assert_eq!(
            verdicts_of(&f, ENGINE_SUPPORT),
            vec![(0, "fail"), (2, "unknown"), (3, "unknown"), (4, "fail")]
        );
    }
}
