//! AWS Backup in one region: backup plans (their rules, copy actions and
//! the selections that assign resources to them) and backup vaults (their
//! key, vault lock and access policy).

mod shape;

use aws_config::SdkConfig;
use aws_sdk_backup::Client;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const PLAN: &str = "aws_backup_plan";
const VAULT: &str = "aws_backup_vault";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    plans(shared, &client, scope, &mut part).await;
    vaults(shared, &client, scope, &mut part).await;
    part
}

async fn plans(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .list_backup_plans()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "backup:ListBackupPlans",
        PLAN,
    ) else {
        return;
    };
    let listed: Vec<(String, String, Option<String>)> = pages
        .iter()
        .flat_map(|p| p.backup_plans_list())
        .filter_map(|p| {
            let id = p.backup_plan_id()?.to_owned();
            let arn = p
                .backup_plan_arn()
                .map(str::to_owned)
                .unwrap_or_else(|| scope.arn("backup", &format!("backup-plan:{id}")));
            Some((id, arn, p.backup_plan_name().map(str::to_owned)))
        })
        .collect();
    let results = futures_util::stream::iter(listed)
        .map(|(id, arn, name)| async move { plan(shared, client, scope, id, arn, name).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}

/// One plan: its rules (GetBackupPlan) and its selections
/// (ListBackupSelections, then GetBackupSelection for each).
async fn plan(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    id: String,
    arn: String,
    name: Option<String>,
) -> (pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>) {
    let mut d = Draft::new(
        scope,
        PLAN,
        arn.clone(),
        object(json!({"id": id, "arn": arn, "name": name})),
    );
    let read = {
        let _slot = shared.slot().await;
        client.get_backup_plan().backup_plan_id(&id).send().await
    };
    let rules = read
        .map(|out| {
            json!(
                out.backup_plan()
                    .map(|p| p.rules().iter().map(shape::rule).collect::<Vec<_>>())
                    .unwrap_or_default()
            )
        })
        .map_err(|e| Failure::of(&e));
    d.set("rule", "backup:GetBackupPlan", rules);
    let selections = selections(shared, client, &id).await;
    match selections {
        Ok(list) => {
            d.attrs.insert("selections".into(), Value::Array(list));
        }
        Err((operation, f)) => {
            d.attrs.insert("selections".into(), Value::Null);
            d.failed("/selections", operation, &f);
        }
    }
    d.finish()
}

/// The plan's selections in the model's shape, or the call that failed.
async fn selections(
    shared: &Shared,
    client: &Client,
    plan_id: &str,
) -> Result<Vec<Value>, (&'static str, Failure)> {
    let listed = {
        let _slot = shared.slot().await;
        client
            .list_backup_selections()
            .backup_plan_id(plan_id)
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let pages = listed.map_err(|e| ("backup:ListBackupSelections", Failure::of(&e)))?;
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.backup_selections_list())
        .filter_map(|s| s.selection_id().map(str::to_owned))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for selection_id in ids {
        let read = {
            let _slot = shared.slot().await;
            client
                .get_backup_selection()
                .backup_plan_id(plan_id)
                .selection_id(&selection_id)
                .send()
                .await
        };
        let got = read.map_err(|e| ("backup:GetBackupSelection", Failure::of(&e)))?;
        if let Some(s) = got.backup_selection() {
            out.push(shape::selection(s));
        }
    }
    Ok(out)
}

async fn vaults(shared: &Shared, client: &Client, scope: &Scope, part: &mut Part) {
    let Some(pages) = part.listed(
        client
            .list_backup_vaults()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "backup:ListBackupVaults",
        VAULT,
    ) else {
        return;
    };
    let vaults: Vec<_> = pages.iter().flat_map(|p| p.backup_vault_list()).collect();
    let results = futures_util::stream::iter(vaults)
        .map(|v| async move {
            let name = v.backup_vault_name().unwrap_or_default().to_owned();
            let arn = v
                .backup_vault_arn()
                .map(str::to_owned)
                .unwrap_or_else(|| scope.arn("backup", &format!("backup-vault:{name}")));
            let mut d = Draft::new(scope, VAULT, arn.clone(), object(shape::vault(v, &arn)));
            // Older answers (and moto) leave out which kind of key it is:
            // the key's ARN alone does not say.
            if v.encryption_key_type().is_none() {
                d.unknown("/encryption_key_type");
            }
            let read = {
                let _slot = shared.slot().await;
                client
                    .get_backup_vault_access_policy()
                    .backup_vault_name(&name)
                    .send()
                    .await
            };
            // A vault without a policy answers ResourceNotFoundException.
            let policy = match read {
                Ok(out) => Ok(json!(out.policy().map(convert::policy_document))),
                Err(e) => {
                    let f = Failure::of(&e);
                    if f.is(&["ResourceNotFoundException"]) {
                        Ok(Value::Null)
                    } else {
                        Err(f)
                    }
                }
            };
            d.set("policy", "backup:GetBackupVaultAccessPolicy", policy);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
}
