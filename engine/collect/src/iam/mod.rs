//! IAM (global): users with console, MFA and keys; groups, roles,
//! customer-managed policies; the account summary and password policy.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{EntityType, ReportStateType, SummaryKeyType};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, strings, time};
use crate::ec2::object;
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

fn iam_tags(tags: &[aws_sdk_iam::types::Tag]) -> Value {
    convert::tags(tags.iter().map(|t| (Some(t.key()), Some(t.value()))))
}

fn inline(policies: &[aws_sdk_iam::types::PolicyDetail]) -> Value {
    Value::Array(
        policies
            .iter()
            .map(|p| {
                json!({
                    "name": p.policy_name(),
                    "policy": p.policy_document().map(convert::policy_document),
                })
            })
            .collect(),
    )
}

fn attached(policies: &[aws_sdk_iam::types::AttachedPolicy]) -> Value {
    strings(policies.iter().filter_map(|p| p.policy_arn()))
}

pub(crate) async fn collect(shared: &Shared) -> Part {
    let client = Client::new(&shared.config);
    let scope = shared.scope.global();
    let mut part = Part::default();
    let report = credential_report(&client, &scope, &mut part).await;
    account_summary(&client, &scope, report.as_ref(), &mut part).await;
    password_policy(&client, &scope, &mut part).await;
    authorization_details(shared, &client, &scope, report.as_ref(), &mut part).await;
    part
}

/// The credential report's `password_last_used` per user name, with the
/// root user as `<root_account>`.
type Report = HashMap<String, Option<String>>;

async fn credential_report(client: &Client, scope: &Scope, part: &mut Part) -> Option<Report> {
    // Generation is asynchronous: ask until it is complete (a few seconds
    // on real accounts), then fetch.
    for attempt in 0..20 {
        match client.generate_credential_report().send().await {
            Ok(out) if out.state() == Some(&ReportStateType::Complete) => break,
            Ok(_) => tokio::time::sleep(Duration::from_millis(500 * (attempt + 1).min(4))).await,
            Err(e) => {
                part.gaps.push(Failure::of(&e).gap(
                    scope,
                    "iam:GenerateCredentialReport",
                    "aws_iam_user",
                    None,
                ));
                return None;
            }
        }
    }
    let out = match client.get_credential_report().send().await {
        Ok(o) => o,
        Err(e) => {
            part.gaps.push(Failure::of(&e).gap(
                scope,
                "iam:GetCredentialReport",
                "aws_iam_user",
                None,
            ));
            return None;
        }
    };
    let text =
        String::from_utf8_lossy(out.content().map(|b| b.as_ref()).unwrap_or_default()).into_owned();
    Some(parse_report(&text))
}

/// The report is a CSV without quoting (AWS documents its columns); we read
/// `user` and `password_last_used` by header name.
fn parse_report(text: &str) -> Report {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(user), Some(used)) = (col("user"), col("password_last_used")) else {
        return Report::new();
    };
    lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let name = cells.get(user)?.to_string();
            let when = cells
                .get(used)
                .filter(|v| v.contains('T') && v.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(|v| normalise_report_time(v));
            Some((name, when))
        })
        .collect()
}

/// `2024-01-01T10:00:00+00:00` → `2024-01-01T10:00:00Z`.
fn normalise_report_time(v: &str) -> String {
    v.strip_suffix("+00:00")
        .map(|s| format!("{s}Z"))
        .unwrap_or_else(|| v.to_owned())
}

async fn account_summary(client: &Client, scope: &Scope, report: Option<&Report>, part: &mut Part) {
    let id = format!("arn:{}:iam::{}:root", scope.partition, scope.account);
    let out = match client.get_account_summary().send().await {
        Ok(o) => o,
        Err(e) => {
            part.gaps.push(Failure::of(&e).gap(
                scope,
                "iam:GetAccountSummary",
                "aws_iam_account_summary",
                None,
            ));
            return;
        }
    };
    let map = out.summary_map();
    let flag = |k: SummaryKeyType| map.and_then(|m| m.get(&k)).map(|v| *v > 0);
    let mut unknown = Vec::new();
    let root_used = match report {
        Some(r) => json!(r.get("<root_account>").cloned().flatten()),
        None => {
            unknown.push("/root_password_last_used".to_owned());
            Value::Null
        }
    };
    let attrs = json!({
        "account_mfa_enabled": flag(SummaryKeyType::AccountMfaEnabled).unwrap_or(false),
        "account_access_keys_present": flag(SummaryKeyType::AccountAccessKeysPresent).unwrap_or(false),
        "root_password_last_used": root_used,
    });
    let mut r = scope.resource("aws_iam_account_summary", id, object(attrs));
    r.unknown = unknown;
    part.resources.push(r);
}

async fn password_policy(client: &Client, scope: &Scope, part: &mut Part) {
    let id = format!(
        "arn:{}:iam::{}:account-password-policy",
        scope.partition, scope.account
    );
    let attrs = match client.get_account_password_policy().send().await {
        Ok(out) => match out.password_policy() {
            Some(p) => json!({
                "configured": true,
                "minimum_password_length": p.minimum_password_length(),
                "require_lowercase_characters": p.require_lowercase_characters(),
                "require_uppercase_characters": p.require_uppercase_characters(),
                "require_numbers": p.require_numbers(),
                "require_symbols": p.require_symbols(),
                "allow_users_to_change_password": p.allow_users_to_change_password(),
                "max_password_age": p.max_password_age(),
                "password_reuse_prevention": p.password_reuse_prevention(),
                "hard_expiry": p.hard_expiry().unwrap_or(false),
            }),
            None => json!({"configured": false}),
        },
        Err(e) => {
            let f = Failure::of(&e);
            if f.is(&["NoSuchEntity"]) {
                json!({"configured": false})
            } else {
                part.gaps.push(f.gap(
                    scope,
                    "iam:GetAccountPasswordPolicy",
                    "aws_iam_account_password_policy",
                    None,
                ));
                return;
            }
        }
    };
    part.resources
        .push(scope.resource("aws_iam_account_password_policy", id, object(attrs)));
}

async fn authorization_details(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    report: Option<&Report>,
    part: &mut Part,
) {
    let pages = client
        .get_account_authorization_details()
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::Role)
        .filter(EntityType::LocalManagedPolicy)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            let f = Failure::of(&e);
            for kind in [
                "aws_iam_user",
                "aws_iam_group",
                "aws_iam_role",
                "aws_iam_policy",
            ] {
                part.gaps
                    .push(f.gap(scope, "iam:GetAccountAuthorizationDetails", kind, None));
            }
            return;
        }
    };

    // Who has each managed policy, and who is in each group.
    let mut attachments: HashMap<&str, [Vec<&str>; 3]> = HashMap::new();
    let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
    for u in pages.iter().flat_map(|p| p.user_detail_list()) {
        let name = u.user_name().unwrap_or_default();
        for p in u
            .attached_managed_policies()
            .iter()
            .filter_map(|p| p.policy_arn())
        {
            attachments.entry(p).or_default()[0].push(name);
        }
        for g in u.group_list() {
            members.entry(g.as_str()).or_default().push(name);
        }
    }

    for g in pages.iter().flat_map(|p| p.group_detail_list()) {
        let name = g.group_name().unwrap_or_default();
        for p in g
            .attached_managed_policies()
            .iter()
            .filter_map(|p| p.policy_arn())
        {
            attachments.entry(p).or_default()[1].push(name);
        }
        let Some(arn) = g.arn() else { continue };
        let attrs = json!({
            "name": name,
            "arn": arn,
            "path": g.path(),
            "managed_policy_arns": attached(g.attached_managed_policies()),
            "inline_policies": inline(g.group_policy_list()),
            "members": strings(members.get(name).cloned().unwrap_or_default()),
        });
        part.resources
            .push(scope.resource("aws_iam_group", arn.to_owned(), object(attrs)));
    }

    for r in pages.iter().flat_map(|p| p.role_detail_list()) {
        let name = r.role_name().unwrap_or_default();
        for p in r
            .attached_managed_policies()
            .iter()
            .filter_map(|p| p.policy_arn())
        {
            attachments.entry(p).or_default()[2].push(name);
        }
        let Some(arn) = r.arn() else { continue };
        let attrs = json!({
            "name": name,
            "arn": arn,
            "path": r.path(),
            "assume_role_policy": r.assume_role_policy_document().map(convert::policy_document),
            "managed_policy_arns": attached(r.attached_managed_policies()),
            "inline_policies": inline(r.role_policy_list()),
            "tags": iam_tags(r.tags()),
        });
        part.resources
            .push(scope.resource("aws_iam_role", arn.to_owned(), object(attrs)));
    }

    let policies: Vec<_> = pages.iter().flat_map(|p| p.policies()).collect();
    let attachments = &attachments;
    let results = futures_util::stream::iter(policies)
        .map(|p| async move {
            let arn = p.arn()?;
            let document = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version() || v.version_id() == p.default_version_id())
                .and_then(|v| v.document())
                .map(convert::policy_document);
            let [users, groups, roles] = attachments.get(arn).cloned().unwrap_or_default();
            let mut d = Draft::new(
                scope,
                "aws_iam_policy",
                arn.to_owned(),
                object(json!({
                    // Some endpoints (moto) omit PolicyName here; the ARN ends in it.
                    "name": p.policy_name().unwrap_or_else(|| convert::arn_name(arn)),
                    "arn": arn,
                    "path": p.path(),
                    "policy": document,
                    "attachments": {"users": users, "groups": groups, "roles": roles},
                })),
            );
            let tags = {
                let _slot = shared.slot().await;
                client
                    .list_policy_tags()
                    .policy_arn(arn)
                    .into_paginator()
                    .send()
                    .try_collect()
                    .await
            };
            let tags = tags
                .map(|pages| {
                    iam_tags(
                        &pages
                            .iter()
                            .flat_map(|p| p.tags().iter().cloned())
                            .collect::<Vec<_>>(),
                    )
                })
                .map_err(|e| Failure::of(&e));
            d.set("tags", "iam:ListPolicyTags", tags);
            Some(d.finish())
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results.into_iter().flatten());

    let users: Vec<_> = pages.iter().flat_map(|p| p.user_detail_list()).collect();
    let results = futures_util::stream::iter(users)
        .map(|u| user(shared, client, scope, report, u))
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results.into_iter().flatten());
}

async fn user(
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

#[cfg(test)]
mod tests {
    use super::parse_report;

    #[test]
    fn credential_report_columns_by_name() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used\n\
                   <root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00\n\
                   alice,arn:aws:iam::1:user/alice,2020-01-01T00:00:00+00:00,true,N/A\n\
                   bob,arn:aws:iam::1:user/bob,2020-01-01T00:00:00+00:00,false,no_information\n";
        let r = parse_report(csv);
        assert_eq!(r["<root_account>"].as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(r["alice"], None);
        assert_eq!(r["bob"], None);
    }
}
