use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

const DR: &str = "arn:aws:backup:eu-central-1:444455556666:backup-vault:dr";
const LOCAL: &str = "arn:aws:backup:eu-west-1:111122223333:backup-vault:local";

fn plan(copies: &[&str], delete_after: Value, unknown: &[&str]) -> Resource {
    let copy_action: Vec<Value> = copies
        .iter()
        .map(|a| json!({"destination_vault_arn": a, "lifecycle": {"delete_after": 35}}))
        .collect();
    let mut r = resource(
        "aws_backup_plan",
        json!({"name": "daily", "rule": [{"rule_name": "daily", "lifecycle": {"delete_after": delete_after}, "copy_action": copy_action}]}),
        unknown,
    );
    r.region = Some("eu-west-1".into());
    r.account = Some("111122223333".into());
    r
}

fn vault(attrs: Value, unknown: &[&str]) -> Resource {
    let mut base = json!({"name": "main", "locked": true, "policy": null, "encryption_key_type": "CUSTOMER_MANAGED_KMS_KEY"});
    for (k, v) in attrs.as_object().cloned().unwrap_or_default() {
        base[k] = v;
    }
    resource("aws_backup_vault", base, unknown)
}

fn required() -> Value {
    json!({"PILLAR-BAK-003": {"required": true}})
}

#[test]
fn plans_copy_out_of_region_and_account_and_keep_long_enough() {
    let good = plan(&[DR], json!(35), &[]);
    assert!(
        run::<BackupPack>("aws_backup_plan", std::slice::from_ref(&good), required())
            .0
            .is_empty()
    );
    let local = plan(&[LOCAL], json!(35), &[]);
    let none = plan(&[], json!(null), &[]);
    let short = plan(&[DR], json!(3), &[]);
    let f = run::<BackupPack>("aws_backup_plan", &[local, none, short], required());
    assert_eq!(
        verdicts_of(&f, CROSS_REGION_COPY),
        vec![(0, "fail"), (1, "fail")]
    );
    assert_eq!(
        verdicts_of(&f, CROSS_ACCOUNT_COPY),
        vec![(0, "fail"), (1, "fail")]
    );
    assert_eq!(verdicts_of(&f, RETENTION), vec![(2, "fail")]);
}

#[test]
fn cross_account_copies_are_judged_only_when_required() {
    let local = plan(&[LOCAL], json!(35), &[]);
    let f = run::<BackupPack>("aws_backup_plan", &[local], json!({}));
    assert!(verdicts_of(&f, CROSS_ACCOUNT_COPY).is_empty());
}

#[test]
fn unknown_destinations_and_retention_are_unknown() {
    let planned = plan(
        &[DR],
        json!(null),
        &[
            "/rule/0/copy_action/0/destination_vault_arn",
            "/rule/0/lifecycle/delete_after",
        ],
    );
    let f = run::<BackupPack>("aws_backup_plan", &[planned], required());
    assert_eq!(
        f.verdicts(),
        vec![
            (CROSS_REGION_COPY, 0, "unknown"),
            (CROSS_ACCOUNT_COPY, 0, "unknown"),
            (RETENTION, 0, "unknown")
        ]
    );
    // A plan whose own region is not known cannot say its copies leave it.
    let mut nowhere = plan(&[DR], json!(35), &[]);
    nowhere.region = None;
    let f = run::<BackupPack>("aws_backup_plan", &[nowhere], json!({}));
    assert_eq!(verdicts_of(&f, CROSS_REGION_COPY), vec![(0, "unknown")]);
}

#[test]
fn vaults_are_locked_private_and_on_a_customer_key() {
    assert!(
        run::<BackupPack>("aws_backup_vault", &[vault(json!({}), &[])], json!({}))
            .0
            .is_empty()
    );
    let open = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"backup:CopyIntoBackupVault","Resource":"*"}]}"#;
    let conditioned = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"backup:CopyIntoBackupVault","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
    let batch = [
        vault(json!({"locked": false}), &[]),
        vault(json!({"policy": open}), &[]),
        vault(json!({"policy": conditioned}), &[]),
        vault(json!({"encryption_key_type": "AWS_OWNED_KMS_KEY"}), &[]),
        // A plan: no key type, no key ARN: the default AWS-managed key.
        resource(
            "aws_backup_vault",
            json!({"name": "planned", "locked": true}),
            &[],
        ),
        resource(
            "aws_backup_vault",
            json!({"name": "cmk", "locked": true, "kms_key_arn": "arn:aws:kms:eu-west-1:1:key/k"}),
            &[],
        ),
    ];
    let f = run::<BackupPack>("aws_backup_vault", &batch, json!({}));
    assert_eq!(
        f.verdicts(),
        vec![
            (VAULT_LOCK, 0, "fail"),
            (VAULT_POLICY_PUBLIC, 1, "fail"),
            (VAULT_CMK, 3, "fail"),
            (VAULT_CMK, 4, "fail"),
        ]
    );
    let unknown = [
        vault(json!({"locked": null}), &["/locked"]),
        vault(json!({"policy": null}), &["/policy"]),
        vault(
            json!({"encryption_key_type": null}),
            &["/encryption_key_type"],
        ),
    ];
    let f = run::<BackupPack>("aws_backup_vault", &unknown, json!({}));
    assert_eq!(
        f.verdicts(),
        vec![
            (VAULT_LOCK, 0, "unknown"),
            (VAULT_POLICY_PUBLIC, 1, "unknown"),
            (VAULT_CMK, 2, "unknown"),
        ]
    );
}

#[test]
fn critical_resources_are_in_a_plan_or_unknown() {
    let db = |plans: Value, unknown: &[&str]| {
        resource(
            "aws_db_instance",
            json!({"identifier": "orders", "engine": "postgres", "backup_plans": plans}),
            unknown,
        )
    };
    let batch = [
        db(
            json!([{"name": "daily", "copy_regions": [], "copy_accounts": []}]),
            &[],
        ),
        db(json!([]), &[]),
        db(json!([null]), &["/backup_plans/0"]),
        db(json!(null), &["/backup_plans"]),
        resource(
            "aws_db_instance",
            json!({"engine": "aurora-mysql", "backup_plans": []}),
            &[],
        ),
        resource("aws_db_instance", json!({"backup_plans": []}), &["/engine"]),
    ];
    let f = run::<BackupPack>("aws_db_instance", &batch, json!({}));
    assert_eq!(
        f.verdicts(),
        vec![
            (IN_A_PLAN, 1, "fail"),
            (IN_A_PLAN, 2, "unknown"),
            (IN_A_PLAN, 3, "unknown"),
            (IN_A_PLAN, 5, "unknown"),
        ]
    );
    for kind in [
        "aws_ebs_volume",
        "aws_dynamodb_table",
        "aws_efs_file_system",
        "aws_rds_cluster",
    ] {
        let r = resource(kind, json!({"backup_plans": []}), &[]);
        let f = run::<BackupPack>(kind, &[r], json!({}));
        assert_eq!(f.verdicts(), vec![(IN_A_PLAN, 0, "fail")], "{kind}");
    }
}
