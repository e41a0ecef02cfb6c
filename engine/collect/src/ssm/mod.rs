//! SSM Parameter Store in one region: parameters' names, types and keys,
//! from `DescribeParameters`, with their tags. Values are never read: no
//! rule needs them, and a snapshot must not hold them.

use aws_config::SdkConfig;
use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::ResourceTypeForTagging;
use futures_util::StreamExt;
use serde_json::json;

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_ssm_parameter";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_parameters()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "ssm:DescribeParameters", KIND) else {
        return part;
    };
    let params: Vec<_> = pages.iter().flat_map(|p| p.parameters()).collect();
    let client = &client;
    let results = futures_util::stream::iter(params)
        .map(|p| async move {
            let name = p.name().unwrap_or_default();
            // Parameter ARNs drop the leading slash of a path-style name.
            let arn = p.arn().map(str::to_owned).unwrap_or_else(|| {
                scope.arn(
                    "ssm",
                    &format!("parameter/{}", name.trim_start_matches('/')),
                )
            });
            let mut d = Draft::new(
                scope,
                KIND,
                arn.clone(),
                object(json!({
                    "name": name,
                    "arn": arn,
                    "type": p.r#type().map(|t| t.as_str()),
                    "key_id": convert::non_empty(p.key_id()),
                    "tier": p.tier().map(|t| t.as_str()),
                    "data_type": p.data_type(),
                    "description": convert::non_empty(p.description()),
                })),
            );
            let read = {
                let _slot = shared.slot().await;
                client
                    .list_tags_for_resource()
                    .resource_type(ResourceTypeForTagging::Parameter)
                    .resource_id(name)
                    .send()
                    .await
            };
            let tags = read
                .map(|out| {
                    convert::tags(
                        out.tag_list()
                            .iter()
                            .map(|t| (Some(t.key()), Some(t.value()))),
                    )
                })
                .map_err(|e| Failure::of(&e));
            d.set("tags", "ssm:ListTagsForResource", tags);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
    part
}
