//! EKS in one region: clusters, each described for its version, endpoint
//! access, control-plane logging and secrets encryption. A cluster that
//! cannot be described is a gap naming it: without its description there
//! is nothing to judge.

use aws_config::SdkConfig;
use aws_sdk_eks::Client;
use aws_sdk_eks::types::Cluster;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object, strings};
use crate::gap::Failure;
use crate::part::{Part, Scope};

const KIND: &str = "aws_eks_cluster";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_clusters()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "eks:ListClusters", KIND) else {
        return part;
    };
    let names: Vec<String> = pages.iter().flat_map(|p| p.clusters()).cloned().collect();
    let client = &client;
    let results = futures_util::stream::iter(names)
        .map(|name| async move {
            let arn = scope.arn("eks", &format!("cluster/{name}"));
            let described = {
                let _slot = shared.slot().await;
                client.describe_cluster().name(&name).send().await
            };
            match described {
                Ok(out) => match out.cluster() {
                    Some(c) => Ok(cluster(scope, c, arn)),
                    None => Err(Failure {
                        code: None,
                        reason: "error",
                        message: "DescribeCluster returned no cluster".to_owned(),
                    }
                    .gap(scope, "eks:DescribeCluster", KIND, Some(&arn))),
                },
                Err(e) => Err(Failure::of(&e).gap(scope, "eks:DescribeCluster", KIND, Some(&arn))),
            }
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    for r in results {
        match r {
            Ok(resource) => part.resources.push(resource),
            Err(gap) => part.gaps.push(gap),
        }
    }
    part
}

/// One cluster under the provider's names: `vpc_config` (the API's
/// `resourcesVpcConfig`), `enabled_cluster_log_types` (the types of the
/// enabled log setups), `encryption_config` as a list of
/// `{resources, provider {key_arn}}`.
fn cluster(scope: &Scope, c: &Cluster, fallback_arn: String) -> pillar_snapshot::Resource {
    let arn = c.arn().map(str::to_owned).unwrap_or(fallback_arn);
    let vpc_config = c.resources_vpc_config().map(|v| {
        json!({
            "endpoint_public_access": v.endpoint_public_access(),
            "endpoint_private_access": v.endpoint_private_access(),
            "public_access_cidrs": strings(v.public_access_cidrs().iter().map(String::as_str)),
            "subnet_ids": strings(v.subnet_ids().iter().map(String::as_str)),
            "security_group_ids": strings(v.security_group_ids().iter().map(String::as_str)),
            "cluster_security_group_id": v.cluster_security_group_id(),
            "vpc_id": v.vpc_id(),
        })
    });
    let mut log_types: Vec<&str> = c
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .filter(|setup| setup.enabled() == Some(true))
        .flat_map(|setup| setup.types().iter().map(|t| t.as_str()))
        .collect();
    log_types.sort_unstable();
    log_types.dedup();
    // `resources` is deprecated in the SDK (EKS now envelope-encrypts all
    // API data with an AWS-owned key by default), but it is still what the
    // API answers and what the provider's `encryption_config` declares: the
    // KMS key named for `secrets` is the customer's own.
    #[allow(deprecated)]
    let encryption: Vec<Value> = c
        .encryption_config()
        .iter()
        .map(|e| {
            json!({
                "resources": strings(e.resources().iter().map(String::as_str)),
                "provider": e.provider().map(|p| json!({"key_arn": p.key_arn()})),
            })
        })
        .collect();
    let tags = c
        .tags()
        .map(|t| convert::tags(t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str())))));
    let attrs = json!({
        "id": c.name(),
        "name": c.name(),
        "arn": arn,
        "version": c.version(),
        "platform_version": c.platform_version(),
        "status": c.status().map(|s| s.as_str()),
        "role_arn": c.role_arn(),
        "vpc_config": vpc_config,
        "enabled_cluster_log_types": strings(log_types),
        "encryption_config": encryption,
        "tags": tags.unwrap_or_else(|| json!({})),
    });
    scope.resource(KIND, arn, object(attrs))
}
