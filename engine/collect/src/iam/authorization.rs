//! `GetAccountAuthorizationDetails`: groups, roles and customer-managed
//! policies (with who has each attached) in one paginated call, then each
//! user through [`super::users`].

use std::collections::HashMap;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::EntityType;
use futures_util::StreamExt;
use serde_json::json;

use super::credential_report::Report;
use super::{attached, iam_tags, inline, users};
use crate::account::Shared;
use crate::convert::{self, object, strings};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

pub(super) async fn authorization_details(
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
        .map(|u| users::user(shared, client, scope, report, u))
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results.into_iter().flatten());
}
