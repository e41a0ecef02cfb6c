//! Built-in RDS rules: storage encryption and cross-region backup replication.

use pillar_rule_sdk::checks::as_i64;
use pillar_rule_sdk::prelude::*;

pub const STORAGE_ENCRYPTED: &str = "PILLAR-RDS-001";
pub const CROSS_REGION_BACKUPS: &str = "PILLAR-RDS-002";

const DOCS: &str = "https://github.com/pillar-scan/pillar/blob/main/rules/";

pub struct RdsPack;

impl RulePack for RdsPack {
    fn info() -> PackInfo {
        PackInfo {
            name: "pillar-rds".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules: vec![
                rule(
                    STORAGE_ENCRYPTED,
                    "RDS storage is encrypted at rest",
                    Severity::High,
                    Pillar::Security,
                    "SEC08-BP02",
                    &["aws_db_instance", "aws_rds_cluster"],
                    "The DB instance or cluster stores data, logs, backups and snapshots \
                     unencrypted. Encryption can only be chosen at creation: restore an \
                     encrypted copy of a snapshot and switch over, and set \
                     `storage_encrypted = true` (with a customer-managed `kms_key_id`) in code.",
                    &format!("{DOCS}PILLAR-RDS-001.md"),
                ),
                rule(
                    CROSS_REGION_BACKUPS,
                    "RDS automated backups are replicated to another region",
                    Severity::Medium,
                    Pillar::Reliability,
                    "REL09-BP03",
                    &["aws_db_instance"],
                    "The DB instance's automated backups and transaction logs stay in its own \
                     region, so a regional outage takes the database and its backups together. \
                     Enable cross-region automated backup replication \
                     (`aws_db_instance_automated_backups_replication`) to a recovery region.",
                    &format!("{DOCS}PILLAR-RDS-002.md"),
                ),
            ],
        }
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_db_instance" => {
                for (i, db) in batch.iter().enumerate() {
                    // Aurora instances inherit storage and backups from their cluster,
                    // which is judged as aws_rds_cluster.
                    match aurora(db) {
                        Some(true) => continue,
                        Some(false) => {}
                        None => {
                            out.unknown(
                                STORAGE_ENCRYPTED,
                                i,
                                unknown_engine(db),
                                Some("/engine".into()),
                            );
                            out.unknown(
                                CROSS_REGION_BACKUPS,
                                i,
                                unknown_engine(db),
                                Some("/engine".into()),
                            );
                            continue;
                        }
                    }
                    storage_encrypted(i, db, out);
                    cross_region_backups(i, db, out);
                }
                Ok(())
            }
            "aws_rds_cluster" => {
                for (i, cluster) in batch.iter().enumerate() {
                    storage_encrypted(i, cluster, out);
                }
                Ok(())
            }
            other => Err(EvalError::UnsupportedKind(other.to_owned())),
        }
    }
}

pillar_rule_sdk::register!(RdsPack);

/// Whether the instance belongs to an Aurora cluster; `None` if unknown.
fn aurora(db: &Resource) -> Option<bool> {
    match db.attr("/engine") {
        Attr::Unknown => None,
        Attr::Known(v) => Some(v.as_str().is_some_and(|e| e.starts_with("aurora"))),
        Attr::Absent => Some(false),
    }
}

fn unknown_engine(db: &Resource) -> String {
    format!("{}: the engine is not known until apply", db.display_name())
}

fn storage_encrypted(i: usize, db: &Resource, out: &mut dyn Sink) {
    // Absent means the Terraform default (false); the live collector always sets it.
    match db.attr("/storage_encrypted").as_bool() {
        None => out.unknown(
            STORAGE_ENCRYPTED,
            i,
            format!(
                "{}: storage encryption is not known until apply",
                db.display_name()
            ),
            Some("/storage_encrypted".into()),
        ),
        Some(Some(true)) => {}
        Some(_) => out.fail(
            STORAGE_ENCRYPTED,
            i,
            format!("{}: storage is not encrypted at rest", db.display_name()),
            Some("/storage_encrypted".into()),
        ),
    }
}

fn cross_region_backups(i: usize, db: &Resource, out: &mut dyn Sink) {
    let name = db.display_name();
    // A read replica's recovery story is its source's.
    match db.attr("/replicate_source_db") {
        Attr::Known(v) if v.as_str().is_some_and(|s| !s.is_empty()) => return,
        _ => {}
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
    use pillar_rule_sdk::Findings;
    use serde_json::{Value, json};

    fn db(attrs: Value, unknown: &[&str]) -> Resource {
        Resource {
            id: "arn:aws:rds:eu-west-1:111122223333:db:orders".into(),
            kind: "aws_db_instance".into(),
            account: None,
            region: Some("eu-west-1".into()),
            attributes: attrs,
            unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn run(kind: &str, batch: &[Resource]) -> Findings {
        let mut f = Findings::default();
        RdsPack::evaluate(kind, batch, &mut f).expect("evaluate");
        f
    }

    #[test]
    fn encrypted_and_replicated_passes() {
        let ok = db(
            json!({"engine": "postgres", "storage_encrypted": true,
            "automated_backups_replications": [{"destination_region": "eu-central-1"}]}),
            &[],
        );
        assert!(run("aws_db_instance", &[ok]).0.is_empty());
    }

    #[test]
    fn unencrypted_unreplicated_fails_both() {
        let bad = db(
            json!({"engine": "mysql", "storage_encrypted": false,
            "automated_backups_replications": [], "backup_retention_period": 0}),
            &[],
        );
        let f = run("aws_db_instance", &[bad]);
        assert_eq!(
            f.verdicts(),
            vec![
                (STORAGE_ENCRYPTED, 0, "fail"),
                (CROSS_REGION_BACKUPS, 0, "fail")
            ]
        );
        assert!(f.0[1].message.contains("disabled too"));
        // Terraform's default for storage_encrypted is false.
        let default = db(
            json!({"engine": "mysql", "automated_backups_replications": []}),
            &[],
        );
        assert_eq!(
            run("aws_db_instance", &[default]).verdicts()[0],
            (STORAGE_ENCRYPTED, 0, "fail")
        );
    }

    #[test]
    fn unknowns_are_unknown() {
        let planned = db(
            json!({"engine": "postgres"}),
            &["/storage_encrypted", "/automated_backups_replications"],
        );
        let f = run("aws_db_instance", &[planned]);
        assert_eq!(
            f.verdicts(),
            vec![
                (STORAGE_ENCRYPTED, 0, "unknown"),
                (CROSS_REGION_BACKUPS, 0, "unknown")
            ]
        );
        let not_recorded = db(
            json!({"engine": "postgres", "storage_encrypted": true}),
            &[],
        );
        assert_eq!(
            run("aws_db_instance", &[not_recorded]).verdicts(),
            vec![(CROSS_REGION_BACKUPS, 0, "unknown")]
        );
    }

    #[test]
    fn aurora_instances_and_replicas_are_left_to_their_cluster_or_source() {
        let aurora = db(
            json!({"engine": "aurora-postgresql", "storage_encrypted": false}),
            &[],
        );
        let replica = db(
            json!({"engine": "mysql", "storage_encrypted": true, "replicate_source_db": "orders"}),
            &[],
        );
        assert!(run("aws_db_instance", &[aurora, replica]).0.is_empty());
        let cluster = db(
            json!({"engine": "aurora-mysql", "storage_encrypted": false}),
            &[],
        );
        assert_eq!(
            run("aws_rds_cluster", &[cluster]).verdicts(),
            vec![(STORAGE_ENCRYPTED, 0, "fail")]
        );
    }
}
