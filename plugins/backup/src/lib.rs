//! Built-in AWS Backup rules: critical resources in a backup plan
//! (PILLAR-BAK-001, from the host-derived `backup_plans`), plans that copy
//! to another region (002) or account (003), retention (006), and vaults
//! that are locked (004), closed to anyone (005) and encrypted with a
//! customer-managed key (007).

mod plans;
mod vaults;

#[cfg(test)]
mod tests;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::backup::coverage;
use pillar_rule_sdk::prelude::*;

pub const IN_A_PLAN: &str = "PILLAR-BAK-001";
pub const CROSS_REGION_COPY: &str = "PILLAR-BAK-002";
pub const CROSS_ACCOUNT_COPY: &str = "PILLAR-BAK-003";
pub const VAULT_LOCK: &str = "PILLAR-BAK-004";
pub const VAULT_POLICY_PUBLIC: &str = "PILLAR-BAK-005";
pub const RETENTION: &str = "PILLAR-BAK-006";
pub const VAULT_CMK: &str = "PILLAR-BAK-007";

pub struct BackupPack;

impl RulePack for BackupPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-backup", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let config = config::current();
        match kind {
            "aws_backup_plan" => {
                for (i, plan) in batch.iter().enumerate() {
                    plans::cross_region(i, plan, out);
                    plans::cross_account(i, plan, &config, out);
                    plans::retention(i, plan, &config, out);
                }
            }
            "aws_backup_vault" => {
                for (i, vault) in batch.iter().enumerate() {
                    vaults::lock(i, vault, out);
                    vaults::public_policy(i, vault, out);
                    vaults::customer_managed_key(i, vault, out);
                }
            }
            "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_ebs_volume"
            | "aws_dynamodb_table"
            | "aws_efs_file_system" => {
                for (i, r) in batch.iter().enumerate() {
                    in_a_plan(i, r, out);
                }
            }
            other => return Err(EvalError::UnsupportedKind(other.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(BackupPack);

/// PILLAR-BAK-001: some AWS Backup plan selects the resource. An Aurora
/// DB instance is backed up with its cluster and left to it.
fn in_a_plan(i: usize, r: &Resource, out: &mut dyn Sink) {
    let name = r.display_name();
    if r.kind == "aws_db_instance" {
        match r.attr("/engine") {
            Attr::Unknown => {
                return out.unknown(
                    IN_A_PLAN,
                    i,
                    format!("{name}: the engine (which says whether the cluster is backed up instead) is not known"),
                    Some("/engine".into()),
                );
            }
            a if a.as_str().is_some_and(|e| e.starts_with("aurora")) => return,
            _ => {}
        }
    }
    let pointer = Some("/backup_plans".to_owned());
    match coverage(r) {
        Err(()) => out.unknown(
            IN_A_PLAN,
            i,
            format!("{name}: the backup plans of its region are not known (not listed, or not read)"),
            pointer,
        ),
        Ok(c) if !c.plans.is_empty() => {}
        Ok(c) if c.undecided => out.unknown(
            IN_A_PLAN,
            i,
            format!("{name}: whether a backup plan selects it is not known (a selection not decided for it, or, in a Terraform plan, backup plans outside the plan)"),
            pointer,
        ),
        Ok(_) => out.fail(
            IN_A_PLAN,
            i,
            format!("{name}: no AWS Backup plan selects it"),
            pointer,
        ),
    }
}
