//! ECR in one region: repositories (`DescribeRepositories`) with their
//! repository policy (`GetRepositoryPolicy`) and lifecycle policy
//! (`GetLifecyclePolicy`). No policy is a value (`null`), not a gap.
//! Registry-level scanning (`GetRegistryScanningConfiguration`) is not
//! read: the rules judge each repository's own scan-on-push setting.

use aws_config::SdkConfig;
use aws_sdk_ecr::Client;
use aws_sdk_ecr::types::Repository;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_ecr_repository";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_repositories()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "ecr:DescribeRepositories", KIND) else {
        return part;
    };
    let repos: Vec<Repository> = pages
        .iter()
        .flat_map(|p| p.repositories())
        .cloned()
        .collect();
    let client = &client;
    let results = futures_util::stream::iter(repos)
        .map(|r| async move { repository(shared, client, scope, r).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results.into_iter().flatten());
    part
}

async fn repository(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    r: Repository,
) -> Option<(pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>)> {
    let arn = r.repository_arn()?.to_owned();
    let name = r.repository_name()?.to_owned();
    let mut d = Draft::new(scope, KIND, arn, object(attributes(&r)));
    let read = {
        let _slot = shared.slot().await;
        client
            .get_repository_policy()
            .repository_name(&name)
            .send()
            .await
    };
    let policy = match read {
        Ok(out) => Ok(json!(out.policy_text())),
        Err(e) => none_when(Failure::of(&e), "RepositoryPolicyNotFoundException"),
    };
    d.set("policy", "ecr:GetRepositoryPolicy", policy);
    let read = {
        let _slot = shared.slot().await;
        client
            .get_lifecycle_policy()
            .repository_name(&name)
            .send()
            .await
    };
    let lifecycle = match read {
        Ok(out) => Ok(json!(out.lifecycle_policy_text())),
        Err(e) => none_when(Failure::of(&e), "LifecyclePolicyNotFoundException"),
    };
    d.set("lifecycle_policy", "ecr:GetLifecyclePolicy", lifecycle);
    Some(d.finish())
}

/// "Not configured" is the value `null`; any other failure stays one.
fn none_when(f: Failure, code: &str) -> Result<Value, Failure> {
    if f.is(&[code]) {
        Ok(Value::Null)
    } else {
        Err(f)
    }
}

/// DescribeRepositories' answer under the provider's names. A repository
/// always has an encryption configuration (AES256 when none was chosen).
fn attributes(r: &Repository) -> Value {
    let scanning = r
        .image_scanning_configuration()
        .map(|s| json!({"scan_on_push": s.scan_on_push()}));
    let encryption = r.encryption_configuration().map(|e| {
        json!({
            "encryption_type": e.encryption_type().as_str(),
            "kms_key": convert::non_empty(e.kms_key()),
        })
    });
    json!({
        "name": r.repository_name(),
        "arn": r.repository_arn(),
        "registry_id": r.registry_id(),
        "repository_url": r.repository_uri(),
        "image_tag_mutability": r.image_tag_mutability().map(|m| m.as_str()),
        "image_scanning_configuration": scanning,
        "encryption_configuration": encryption,
    })
}
