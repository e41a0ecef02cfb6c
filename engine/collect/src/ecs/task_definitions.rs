//! Task definitions: `ListTaskDefinitionFamilies` (status ACTIVE), then
//! `DescribeTaskDefinition` by family name, which answers the family's
//! latest ACTIVE revision.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{
    ContainerDefinition, TaskDefinition, TaskDefinitionFamilyStatus, TaskDefinitionField,
};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Part, Scope};

const KIND: &str = "aws_ecs_task_definition";

pub(super) async fn collect(shared: &Shared, client: &Client, scope: &Scope) -> Part {
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_task_definition_families()
            .status(TaskDefinitionFamilyStatus::Active)
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "ecs:ListTaskDefinitionFamilies", KIND) else {
        return part;
    };
    let families: Vec<String> = pages.iter().flat_map(|p| p.families()).cloned().collect();
    let results = futures_util::stream::iter(families)
        .map(|family| async move {
            let read = {
                let _slot = shared.slot().await;
                client
                    .describe_task_definition()
                    .task_definition(&family)
                    .include(TaskDefinitionField::Tags)
                    .send()
                    .await
            };
            match read {
                Ok(out) => Ok(out.task_definition().map(|td| {
                    let mut attrs = object(task_definition(td));
                    attrs.insert(
                        "tags".into(),
                        convert::tags(out.tags().iter().map(|t| (t.key(), t.value()))),
                    );
                    let arn = td.task_definition_arn().unwrap_or(&family).to_owned();
                    scope.resource(KIND, arn, attrs)
                })),
                Err(e) => Err(Failure::of(&e).gap(
                    scope,
                    "ecs:DescribeTaskDefinition",
                    KIND,
                    Some(&family),
                )),
            }
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    for r in results {
        match r {
            Ok(Some(resource)) => part.resources.push(resource),
            Ok(None) => {}
            Err(gap) => part.gaps.push(gap),
        }
    }
    part
}

fn task_definition(td: &TaskDefinition) -> Value {
    let containers: Vec<Value> = td.container_definitions().iter().map(container).collect();
    json!({
        "family": td.family(),
        "revision": td.revision(),
        "arn": td.task_definition_arn(),
        "status": td.status().map(|s| s.as_str()),
        "network_mode": td.network_mode().map(|m| m.as_str()),
        "requires_compatibilities": convert::strings(td.requires_compatibilities().iter().map(|c| c.as_str())),
        "task_role_arn": td.task_role_arn(),
        "execution_role_arn": td.execution_role_arn(),
        "pid_mode": td.pid_mode().map(|m| m.as_str()),
        "container_definitions": containers,
    })
}

/// A container in the ECS API's own JSON shape (camelCase), which is what
/// Terraform's `container_definitions` string holds: the plan reader parses
/// that string into exactly this. Fields the API leaves out stay absent.
fn container(c: &ContainerDefinition) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            m.insert(k.to_owned(), v);
        }
    };
    put("name", json!(c.name()));
    put("image", json!(c.image()));
    put("essential", json!(c.essential()));
    put("privileged", json!(c.privileged()));
    put("user", json!(c.user()));
    put(
        "readonlyRootFilesystem",
        json!(c.readonly_root_filesystem()),
    );
    let env: Vec<Value> = c
        .environment()
        .iter()
        .map(|kv| json!({"name": kv.name(), "value": kv.value()}))
        .collect();
    put("environment", json!(env));
    let secrets: Vec<Value> = c
        .secrets()
        .iter()
        .map(|s| json!({"name": s.name(), "valueFrom": s.value_from()}))
        .collect();
    put("secrets", json!(secrets));
    let log = c.log_configuration().map(|l| {
        json!({
            "logDriver": l.log_driver().as_str(),
            "options": l.options().cloned().unwrap_or_default(),
        })
    });
    put("logConfiguration", json!(log));
    m.into()
}
