//! Secrets Manager in one region: secrets' metadata (rotation, last
//! rotated and accessed, KMS key, tags), all from `ListSecrets`. Secret
//! values are never read: pillar has no permission to, and no rule needs
//! them.

use aws_config::SdkConfig;
use aws_sdk_secretsmanager::Client;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::part::{Part, Scope};

const KIND: &str = "aws_secretsmanager_secret";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_secrets()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "secretsmanager:ListSecrets", KIND) else {
        return part;
    };
    for s in pages.iter().flat_map(|p| p.secret_list()) {
        let Some(arn) = s.arn() else {
            continue;
        };
        let rules = s.rotation_rules().map(|r| {
            json!({
                "automatically_after_days": r.automatically_after_days(),
                "schedule_expression": r.schedule_expression(),
            })
        });
        let attrs = json!({
            "name": s.name(),
            "arn": arn,
            "description": convert::non_empty(s.description()),
            "kms_key_id": convert::non_empty(s.kms_key_id()),
            "rotation_enabled": s.rotation_enabled().unwrap_or(false),
            "rotation_lambda_arn": convert::non_empty(s.rotation_lambda_arn()),
            "rotation_rules": rules.unwrap_or(Value::Null),
            "created_date": convert::time(s.created_date()),
            "last_rotated_date": convert::time(s.last_rotated_date()),
            "last_accessed_date": convert::time(s.last_accessed_date()),
            "tags": convert::tags(s.tags().iter().map(|t| (t.key(), t.value()))),
        });
        part.resources
            .push(scope.resource(KIND, arn.to_owned(), object(attrs)));
    }
    part
}
