//! The log groups of one region, with their retention, KMS key and tags.

use aws_sdk_cloudwatchlogs::Client;
use futures_util::StreamExt;
use serde_json::json;

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_cloudwatch_log_group";

pub(super) async fn collect(shared: &Shared, client: &Client, scope: &Scope) -> Part {
    let mut part = Part::default();
    let Some(pages) = part.listed(
        client
            .describe_log_groups()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "logs:DescribeLogGroups",
        KIND,
    ) else {
        return part;
    };
    let groups: Vec<_> = pages.iter().flat_map(|p| p.log_groups()).collect();
    let results = futures_util::stream::iter(groups)
        .map(|g| async move {
            let name = g.log_group_name().unwrap_or_default();
            // `arn` ends in `:*`; Terraform's `arn` and the tagging API do not.
            let arn = g
                .log_group_arn()
                .map(str::to_owned)
                .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_owned()))
                .unwrap_or_else(|| scope.arn("logs", &format!("log-group:{name}")));
            let mut d = Draft::new(
                scope,
                KIND,
                arn.clone(),
                object(json!({
                    "name": name,
                    "arn": arn,
                    // Absent: the group's events never expire (Terraform's 0).
                    "retention_in_days": g.retention_in_days().unwrap_or(0),
                    "kms_key_id": convert::non_empty(g.kms_key_id()),
                    "log_group_class": g.log_group_class().map(|c| c.as_str()),
                })),
            );
            let read = {
                let _slot = shared.slot().await;
                client
                    .list_tags_for_resource()
                    .resource_arn(&arn)
                    .send()
                    .await
            };
            let tags = read
                .map(|out| convert::tag_map(out.tags()))
                .map_err(|e| Failure::of(&e));
            d.set("tags", "logs:ListTagsForResource", tags);
            d.finish()
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
    part
}
