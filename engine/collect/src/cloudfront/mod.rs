//! CloudFront (global): distributions with their configuration and tags.
//!
//! CloudFront's API lives in us-east-1 whatever region the account is read
//! from. `ListDistributions` names the distributions; `GetDistributionConfig`
//! gives the whole configuration (the listing's summary lacks logging and
//! the default root object); `ListTagsForResource` the tags.

mod shape;

use aws_config::Region;
use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::types::DistributionSummary;
use futures_util::StreamExt;
use pillar_snapshot::{Gap, Resource};
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_cloudfront_distribution";

/// The configuration attributes `GetDistributionConfig` fills: all unknown
/// when it fails.
const FROM_CONFIG: &[&str] = &[
    "enabled",
    "default_cache_behavior",
    "ordered_cache_behavior",
    "origin",
    "origin_group",
    "viewer_certificate",
    "logging_config",
    "web_acl_id",
    "default_root_object",
    "http_version",
    "price_class",
];

pub(crate) async fn collect(shared: &Shared) -> Part {
    let config = aws_sdk_cloudfront::config::Builder::from(&shared.config)
        .region(Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    let scope = shared.scope.global();
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_distributions()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, &scope, "cloudfront:ListDistributions", KIND) else {
        return part;
    };
    let summaries: Vec<&DistributionSummary> = pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items())
        .collect();
    let (client, scope) = (&client, &scope);
    let results = futures_util::stream::iter(summaries)
        .map(|s| distribution(shared, client, scope, s))
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results);
    part
}

async fn distribution(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    s: &DistributionSummary,
) -> (Resource, Vec<Gap>) {
    let mut d = Draft::new(
        scope,
        KIND,
        s.arn().to_owned(),
        object(json!({
            "id": s.id(),
            "arn": s.arn(),
            "domain_name": s.domain_name(),
            "status": s.status(),
        })),
    );
    let read = {
        let _slot = shared.slot().await;
        client.get_distribution_config().id(s.id()).send().await
    };
    match read {
        Ok(out) => match out.distribution_config() {
            Some(c) => {
                for (name, value) in shape::config(c) {
                    d.attrs.insert(name.to_owned(), value);
                }
            }
            None => {
                for name in FROM_CONFIG {
                    d.attrs.insert((*name).to_owned(), Value::Null);
                    d.unknown(&format!("/{name}"));
                }
            }
        },
        Err(e) => {
            let f = Failure::of(&e);
            for name in FROM_CONFIG {
                d.attrs.insert((*name).to_owned(), Value::Null);
            }
            // One gap for the call, naming the distribution.
            d.failed("/origin", "cloudfront:GetDistributionConfig", &f);
            for name in FROM_CONFIG.iter().filter(|n| **n != "origin") {
                d.unknown(&format!("/{name}"));
            }
        }
    }
    let read = {
        let _slot = shared.slot().await;
        client
            .list_tags_for_resource()
            .resource(s.arn())
            .send()
            .await
    };
    let tags = read
        .map(|out| {
            convert::tags(
                out.tags()
                    .map(|t| t.items())
                    .unwrap_or_default()
                    .iter()
                    .map(|t| (Some(t.key()), t.value())),
            )
        })
        .map_err(|e| Failure::of(&e));
    d.set("tags", "cloudfront:ListTagsForResource", tags);
    d.finish()
}
