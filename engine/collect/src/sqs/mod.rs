//! SQS in one region: queues with their encryption (KMS or SQS-managed),
//! access policy, redrive policy and tags (`ListQueues`,
//! `GetQueueAttributes` with `All`, `ListQueueTags`).

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::QueueAttributeName;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_sqs_queue";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_queues()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "sqs:ListQueues", KIND) else {
        return part;
    };
    let urls: Vec<String> = pages.iter().flat_map(|p| p.queue_urls()).cloned().collect();
    let client = &client;
    let done = futures_util::stream::iter(urls)
        .map(|url| async move { queue(shared, client, scope, url).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(done);
    part
}

/// The attributes read from `GetQueueAttributes`; unknown together when it
/// fails.
const FROM_ATTRIBUTES: &[&str] = &[
    "arn",
    "kms_master_key_id",
    "sqs_managed_sse_enabled",
    "policy",
    "redrive_policy",
    "fifo_queue",
];

/// One queue, identified by its URL as the provider's `id` is.
async fn queue(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    url: String,
) -> (pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>) {
    let name = url.rsplit('/').next().unwrap_or(&url).to_owned();
    let base = json!({ "name": name, "url": url });
    let mut d = Draft::new(scope, KIND, url.clone(), object(base));
    let read = {
        let _slot = shared.slot().await;
        client
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::All)
            .send()
            .await
    };
    match read {
        Ok(out) => {
            let named: HashMap<&str, &str> = out
                .attributes()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (attrs, unreadable) = attributes(&named);
            d.attrs.extend(object(attrs));
            if unreadable {
                d.unknown("/redrive_policy");
            }
        }
        Err(e) => {
            let f = Failure::of(&e);
            for (n, attr) in FROM_ATTRIBUTES.iter().enumerate() {
                d.attrs.insert((*attr).into(), Value::Null);
                if n == 0 {
                    d.failed(&format!("/{attr}"), "sqs:GetQueueAttributes", &f);
                } else {
                    d.unknown(&format!("/{attr}"));
                }
            }
        }
    }
    let read = {
        let _slot = shared.slot().await;
        client.list_queue_tags().queue_url(&url).send().await
    };
    let tags = read
        .map(|out| convert::tag_map(out.tags()))
        .map_err(|e| Failure::of(&e));
    d.set("tags", "sqs:ListQueueTags", tags);
    d.finish()
}

/// `GetQueueAttributes` under the provider's names, and whether the
/// redrive policy was there but unreadable. The redrive policy is parsed
/// (`{deadLetterTargetArn, maxReceiveCount}`); the access policy stays JSON
/// text, as every policy in the model.
fn attributes(a: &HashMap<&str, &str>) -> (Value, bool) {
    let get = |k: &str| convert::non_empty(a.get(k).copied());
    let redrive = a
        .get("RedrivePolicy")
        .filter(|r| !r.trim().is_empty())
        .map(|r| {
            serde_json::from_str::<Value>(r)
                .ok()
                .filter(Value::is_object)
        });
    let unreadable = matches!(redrive, Some(None));
    let attrs = json!({
        "arn": get("QueueArn"),
        "kms_master_key_id": get("KmsMasterKeyId"),
        // Queues from before SSE-SQS existed do not answer it: they are not
        // encrypted by SQS.
        "sqs_managed_sse_enabled": a.get("SqsManagedSseEnabled").is_some_and(|v| *v == "true"),
        "policy": get("Policy").as_str().map(convert::policy_document),
        "redrive_policy": redrive.flatten(),
        "fifo_queue": a.get("FifoQueue").is_some_and(|v| *v == "true"),
    });
    (attrs, unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_attributes_take_the_provider_names() {
        let a: HashMap<&str, &str> = [
            ("QueueArn", "arn:aws:sqs:us-east-1:1:q"),
            ("SqsManagedSseEnabled", "true"),
            (
                "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:1:dlq\",\"maxReceiveCount\":3}",
            ),
        ]
        .into_iter()
        .collect();
        let (attrs, unreadable) = attributes(&a);
        assert!(!unreadable);
        assert_eq!(attrs["sqs_managed_sse_enabled"], json!(true));
        assert_eq!(attrs["redrive_policy"]["maxReceiveCount"], json!(3));
        assert_eq!(attrs["policy"], Value::Null);
        let (attrs, unreadable) = attributes(&[("RedrivePolicy", "{oops")].into_iter().collect());
        assert!(unreadable);
        assert_eq!(attrs["redrive_policy"], Value::Null);
        assert_eq!(attrs["sqs_managed_sse_enabled"], json!(false));
    }
}
