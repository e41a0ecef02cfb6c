//! AWS Backup API shapes in the Terraform provider's names and block
//! shapes (`aws_backup_plan.rule`, `aws_backup_selection`), so that one
//! rule reads a live account and a plan alike.

use aws_sdk_backup::types::{
    BackupRule, BackupSelection, BackupVaultListMember, ConditionParameter, Lifecycle,
};
use serde_json::{Value, json};

/// A plan rule: the provider's `rule` block, `lifecycle` and each copy
/// action's `lifecycle` as objects (one-element blocks).
pub(super) fn rule(r: &BackupRule) -> Value {
    json!({
        "rule_name": r.rule_name(),
        "target_vault_name": r.target_backup_vault_name(),
        "schedule": r.schedule_expression(),
        "enable_continuous_backup": r.enable_continuous_backup().unwrap_or(false),
        "lifecycle": r.lifecycle().map(lifecycle),
        "copy_action": r.copy_actions().iter().map(|c| json!({
            "destination_vault_arn": c.destination_backup_vault_arn(),
            "lifecycle": c.lifecycle().map(lifecycle),
        })).collect::<Vec<_>>(),
    })
}

fn lifecycle(l: &Lifecycle) -> Value {
    json!({
        "delete_after": l.delete_after_days(),
        "cold_storage_after": l.move_to_cold_storage_after_days(),
    })
}

/// A selection as the provider's `aws_backup_selection` holds it.
pub(super) fn selection(s: &BackupSelection) -> Value {
    let params = |list: &[ConditionParameter]| -> Vec<Value> {
        list.iter()
            .map(|p| json!({"key": p.condition_key(), "value": p.condition_value()}))
            .collect()
    };
    let condition = s.conditions().map(|c| {
        json!({
            "string_equals": params(c.string_equals()),
            "string_not_equals": params(c.string_not_equals()),
            "string_like": params(c.string_like()),
            "string_not_like": params(c.string_not_like()),
        })
    });
    json!({
        "name": s.selection_name(),
        "iam_role_arn": s.iam_role_arn(),
        "resources": s.resources(),
        "not_resources": s.not_resources(),
        "selection_tag": s.list_of_tags().iter().map(|t| json!({
            "type": t.condition_type().as_str(),
            "key": t.condition_key(),
            "value": t.condition_value(),
        })).collect::<Vec<_>>(),
        "condition": condition,
    })
}

/// A vault with its lock as ListBackupVaults reports it.
pub(super) fn vault(v: &BackupVaultListMember, arn: &str) -> Value {
    json!({
        "name": v.backup_vault_name(),
        "arn": arn,
        "kms_key_arn": v.encryption_key_arn(),
        "encryption_key_type": v.encryption_key_type().map(|t| t.as_str()),
        "locked": v.locked().unwrap_or(false),
        "min_retention_days": v.min_retention_days(),
        "max_retention_days": v.max_retention_days(),
    })
}
