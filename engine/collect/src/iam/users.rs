//! One IAM user: console password, MFA devices, access keys and when each
//! key was last used.

use aws_sdk_iam::Client;
use serde_json::{Value, json};

use super::credential_report::Report;
use super::{attached, iam_tags, inline};
use crate::account::Shared;
use crate::convert::{object, strings, time};
use crate::gap::Failure;
use crate::part::{Draft, Scope};

pub(super) async fn user(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    report: Option<&Report>,
    u: &aws_sdk_iam::types::UserDetail,
) -> Option<(pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>)> {
    let arn = u.arn()?;
    let name = u.user_name()?;
    let _slot = shared.slot().await;
    let mut d = Draft::new(
        scope,
        "aws_iam_user",
        arn.to_owned(),
        object(json!({
            "name": name,
            "path": u.path(),
            "arn": arn,
            "unique_id": u.user_id(),
            "managed_policy_arns": attached(u.attached_managed_policies()),
            "inline_policies": inline(u.user_policy_list()),
            "groups": strings(u.group_list().iter().map(String::as_str)),
            "tags": iam_tags(u.tags()),
        })),
    );

    match report {
        Some(r) => {
            d.attrs.insert(
                "password_last_used".into(),
                json!(r.get(name).cloned().flatten()),
            );
        }
        None => {
            // The report's own gap is already recorded.
            d.attrs.insert("password_last_used".into(), Value::Null);
            d.unknown("/password_last_used");
        }
    }

    let login = client.get_login_profile().user_name(name).send().await;
    let password_enabled = match login {
        Ok(_) => Ok(json!(true)),
        Err(e) => {
            let f = Failure::of(&e);
            if f.is(&["NoSuchEntity"]) {
                Ok(json!(false))
            } else {
                Err(f)
            }
        }
    };
    d.set("password_enabled", "iam:GetLoginProfile", password_enabled);

    let mfa = client
        .list_mfa_devices()
        .user_name(name)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let mfa = mfa
        .map(|pages| {
            pages
                .iter()
                .flat_map(|p| p.mfa_devices())
                .map(|m| json!({"serial_number": m.serial_number(), "enable_date": time(Some(m.enable_date()))}))
                .collect::<Vec<_>>()
                .into()
        })
        .map_err(|e| Failure::of(&e));
    d.set("mfa_devices", "iam:ListMFADevices", mfa);

    let keys = client
        .list_access_keys()
        .user_name(name)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let keys = match keys {
        Ok(pages) => {
            let mut keys = Vec::new();
            for k in pages.iter().flat_map(|p| p.access_key_metadata()) {
                let Some(key_id) = k.access_key_id() else {
                    continue;
                };
                let pointer = format!("/access_keys/{}/last_used_date", keys.len());
                let last_used = match client
                    .get_access_key_last_used()
                    .access_key_id(key_id)
                    .send()
                    .await
                {
                    Ok(out) => time(out.access_key_last_used().and_then(|l| l.last_used_date())),
                    Err(e) => {
                        d.failed(&pointer, "iam:GetAccessKeyLastUsed", &Failure::of(&e));
                        Value::Null
                    }
                };
                // Never the secret: ListAccessKeys does not return it anyway.
                keys.push(json!({
                    "access_key_id": key_id,
                    "status": k.status().map(|s| s.as_str()),
                    "create_date": time(k.create_date()),
                    "last_used_date": last_used,
                }));
            }
            Ok(Value::Array(keys))
        }
        Err(e) => Err(Failure::of(&e)),
    };
    d.set("access_keys", "iam:ListAccessKeys", keys);
    Some(d.finish())
}
