//! Backup vault rules: vault lock (PILLAR-BAK-004), an access policy open
//! to anyone (005), a customer-managed key (007).

use pillar_rule_sdk::policy;
use pillar_rule_sdk::prelude::*;

use crate::{VAULT_CMK, VAULT_LOCK, VAULT_POLICY_PUBLIC};

/// PILLAR-BAK-004: the vault has a vault lock (governance or compliance
/// mode), so recovery points cannot be deleted early.
pub(crate) fn lock(i: usize, vault: &Resource, out: &mut dyn Sink) {
    let name = vault.display_name();
    match vault.flag("/locked", false) {
        None => out.unknown(
            VAULT_LOCK,
            i,
            format!("{name}: whether the vault is locked is not known"),
            Some("/locked".into()),
        ),
        Some(false) => out.fail(
            VAULT_LOCK,
            i,
            format!("{name}: the vault has no vault lock; anyone allowed to delete recovery points can delete them"),
            Some("/locked".into()),
        ),
        Some(true) => {}
    }
}

/// PILLAR-BAK-005: no statement of the vault's access policy allows
/// anyone (`*`) without a condition.
pub(crate) fn public_policy(i: usize, vault: &Resource, out: &mut dyn Sink) {
    let name = vault.display_name();
    let pointer = Some("/policy".to_owned());
    let text = match vault.text("/policy") {
        Err(()) => {
            return out.unknown(
                VAULT_POLICY_PUBLIC,
                i,
                format!("{name}: the vault's access policy is not known"),
                pointer,
            );
        }
        Ok(None) => return,
        Ok(Some(t)) => t,
    };
    match policy::parse(text) {
        Err(e) => out.unknown(
            VAULT_POLICY_PUBLIC,
            i,
            format!("{name}: the vault's access policy cannot be read ({e})"),
            pointer,
        ),
        Ok(statements) => {
            let open = statements
                .iter()
                .enumerate()
                .find(|(_, s)| s.allow && s.anyone() && s.condition.is_none());
            if let Some((n, s)) = open {
                out.fail(
                    VAULT_POLICY_PUBLIC,
                    i,
                    format!(
                        "{name}: access policy statement {n} allows {} to anyone (\"*\"), without a condition",
                        s.actions.join(", ")
                    ),
                    pointer,
                );
            }
        }
    }
}

/// PILLAR-BAK-007: the vault encrypts with a customer-managed KMS key.
/// Live, AWS says which kind of key (`encryption_key_type`); in a plan, no
/// `kms_key_arn` means AWS Backup's default AWS-managed key.
pub(crate) fn customer_managed_key(i: usize, vault: &Resource, out: &mut dyn Sink) {
    let name = vault.display_name();
    let aws_managed = |at: &str, out: &mut dyn Sink| {
        out.fail(
            VAULT_CMK,
            i,
            format!(
                "{name}: the vault encrypts with an AWS-managed key, not a customer-managed one"
            ),
            Some(at.into()),
        )
    };
    match vault.attr("/encryption_key_type") {
        Attr::Unknown => {
            return out.unknown(
                VAULT_CMK,
                i,
                format!("{name}: which kind of key encrypts the vault is not known"),
                Some("/encryption_key_type".into()),
            );
        }
        Attr::Known(v) => {
            if v.as_str() != Some("CUSTOMER_MANAGED_KMS_KEY") {
                aws_managed("/encryption_key_type", out);
            }
            return;
        }
        Attr::Absent => {}
    }
    match vault.text("/kms_key_arn") {
        Err(()) => out.unknown(
            VAULT_CMK,
            i,
            format!("{name}: the vault's KMS key is not known until apply"),
            Some("/kms_key_arn".into()),
        ),
        Ok(None) => aws_managed("/kms_key_arn", out),
        Ok(Some(key)) if key.ends_with("alias/aws/backup") => aws_managed("/kms_key_arn", out),
        Ok(Some(_)) => {}
    }
}
