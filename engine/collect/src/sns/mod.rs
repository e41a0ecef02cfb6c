//! SNS in one region: topics with their encryption key, access policy and
//! tags (`ListTopics`, `GetTopicAttributes`, `ListTagsForResource`).

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_sns::Client;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_sns_topic";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_topics()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "sns:ListTopics", KIND) else {
        return part;
    };
    let arns: Vec<String> = pages
        .iter()
        .flat_map(|p| p.topics())
        .filter_map(|t| t.topic_arn().map(str::to_owned))
        .collect();
    let client = &client;
    let done = futures_util::stream::iter(arns)
        .map(|arn| async move { topic(shared, client, scope, arn).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(done);
    part
}

/// The attributes a topic's settings are read from; unknown together when
/// `GetTopicAttributes` fails.
const FROM_ATTRIBUTES: &[&str] = &["kms_master_key_id", "policy", "display_name", "fifo_topic"];

async fn topic(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    arn: String,
) -> (pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>) {
    let base = json!({ "name": convert::arn_name(&arn), "arn": arn });
    let mut d = Draft::new(scope, KIND, arn.clone(), object(base));
    let read = {
        let _slot = shared.slot().await;
        client.get_topic_attributes().topic_arn(&arn).send().await
    };
    match read {
        Ok(out) => {
            let empty = HashMap::new();
            let attrs = attributes(out.attributes().unwrap_or(&empty));
            d.attrs.extend(object(attrs));
        }
        Err(e) => {
            let f = Failure::of(&e);
            for (n, attr) in FROM_ATTRIBUTES.iter().enumerate() {
                d.attrs.insert((*attr).into(), Value::Null);
                if n == 0 {
                    d.failed(&format!("/{attr}"), "sns:GetTopicAttributes", &f);
                } else {
                    d.unknown(&format!("/{attr}"));
                }
            }
        }
    }
    let read = {
        let _slot = shared.slot().await;
        client
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
    };
    let tags = read
        .map(|out| convert::tags(out.tags().iter().map(|t| (Some(t.key()), Some(t.value())))))
        .map_err(|e| Failure::of(&e));
    d.set("tags", "sns:ListTagsForResource", tags);
    d.finish()
}

/// `GetTopicAttributes` under the provider's names. SNS always answers a
/// policy (AWS's default one when none was set), kept as JSON text.
fn attributes(a: &HashMap<String, String>) -> Value {
    let get = |k: &str| convert::non_empty(a.get(k).map(String::as_str));
    json!({
        "kms_master_key_id": get("KmsMasterKeyId"),
        "policy": get("Policy").as_str().map(convert::policy_document),
        "display_name": get("DisplayName"),
        "fifo_topic": a.get("FifoTopic").is_some_and(|v| v == "true"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_attributes_take_the_provider_names() {
        let a: HashMap<String, String> = [
            ("KmsMasterKeyId", "alias/aws/sns"),
            ("Policy", "{\"Statement\":[]}"),
            ("DisplayName", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            attributes(&a),
            json!({"kms_master_key_id": "alias/aws/sns", "policy": "{\"Statement\":[]}",
                   "display_name": null, "fifo_topic": false})
        );
        assert_eq!(
            attributes(&HashMap::new())["kms_master_key_id"],
            Value::Null
        );
    }
}
