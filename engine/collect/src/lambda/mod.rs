//! Lambda in one region: functions with their configuration (runtime,
//! environment, dead-letter queue, tracing, VPC, key), their resource-based
//! policy, function URL, asynchronous invocation configuration and tags.
//! Function code is never read.

mod shape;

use aws_config::SdkConfig;
use aws_sdk_lambda::Client;
use aws_sdk_lambda::types::FunctionConfiguration;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const KIND: &str = "aws_lambda_function";

/// What Lambda answers for a setting the function does not have (no
/// resource policy, no URL, no event invoke configuration).
const NOT_CONFIGURED: &[&str] = &["ResourceNotFoundException"];

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_functions()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "lambda:ListFunctions", KIND) else {
        return part;
    };
    let functions: Vec<FunctionConfiguration> = pages
        .iter()
        .flat_map(|p| p.functions())
        .filter(|f| f.function_arn().is_some())
        .cloned()
        .collect();
    let client = &client;
    let done = futures_util::stream::iter(functions)
        .map(|f| async move { function(shared, client, scope, &f).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(done);
    part
}

/// One function: its configuration from the listing, then one read per
/// setting Terraform keeps in its own resource.
async fn function(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    f: &FunctionConfiguration,
) -> (pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>) {
    let arn = f.function_arn().unwrap_or_default().to_owned();
    let name = f.function_name().unwrap_or_default().to_owned();
    let mut d = Draft::new(scope, KIND, arn.clone(), object(shape::configuration(f)));

    let read = {
        let _slot = shared.slot().await;
        client.get_policy().function_name(&name).send().await
    };
    match read {
        // A document that is not JSON is unknown, without a gap: nothing
        // failed, the text cannot be judged.
        Ok(out) => match shape::policy_statements(out.policy()) {
            Some(statements) => d.set("policy", "lambda:GetPolicy", Ok(statements)),
            None => {
                d.attrs.insert("policy".into(), Value::Null);
                d.unknown("/policy");
            }
        },
        Err(e) => d.set(
            "policy",
            "lambda:GetPolicy",
            none_if_not_configured(Failure::of(&e), json!([])),
        ),
    }

    let read = {
        let _slot = shared.slot().await;
        client
            .get_function_url_config()
            .function_name(&name)
            .send()
            .await
    };
    let url = match read {
        Ok(out) => Ok(json!({
            "authorization_type": out.auth_type().as_str(),
            "cors": out.cors().map(shape::cors).unwrap_or(Value::Null),
            "function_url": out.function_url(),
        })),
        Err(e) => none_if_not_configured(Failure::of(&e), Value::Null),
    };
    d.set("function_url", "lambda:GetFunctionUrlConfig", url);

    let read = {
        let _slot = shared.slot().await;
        client
            .list_function_event_invoke_configs()
            .function_name(&name)
            .send()
            .await
    };
    let invoke = match read {
        Ok(out) => Ok(out
            .function_event_invoke_configs()
            .iter()
            .find(|c| unqualified(c.function_arn(), &arn))
            .map(shape::event_invoke_config)
            .unwrap_or(Value::Null)),
        Err(e) => none_if_not_configured(Failure::of(&e), Value::Null),
    };
    d.set(
        "event_invoke_config",
        "lambda:ListFunctionEventInvokeConfigs",
        invoke,
    );

    let read = {
        let _slot = shared.slot().await;
        client.list_tags().resource(&arn).send().await
    };
    let tags = read
        .map(|out| convert::tag_map(out.tags()))
        .map_err(|e| Failure::of(&e));
    d.set("tags", "lambda:ListTags", tags);
    d.finish()
}

/// A "not configured" answer is the model's none; other failures stay.
fn none_if_not_configured(f: Failure, none: Value) -> Result<Value, Failure> {
    if f.is(NOT_CONFIGURED) {
        Ok(none)
    } else {
        Err(f)
    }
}

/// Whether an event invoke configuration is the function's own (Terraform's
/// unqualified one), not one of a version or an alias.
fn unqualified(config_arn: Option<&str>, arn: &str) -> bool {
    config_arn.is_some_and(|c| c == arn || c.strip_prefix(arn) == Some(":$LATEST"))
}
