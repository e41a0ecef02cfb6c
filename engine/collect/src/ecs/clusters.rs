//! Clusters and their services: `ListClusters`, `DescribeClusters` (with
//! SETTINGS and CONFIGURATIONS), `ListServices` and `DescribeServices` per
//! cluster.

use aws_sdk_ecs::Client;
use aws_sdk_ecs::types::{Cluster, ClusterField, Service};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Part, Scope};

const CLUSTER: &str = "aws_ecs_cluster";
const SERVICE: &str = "aws_ecs_service";

/// DescribeClusters and DescribeServices take at most this many names.
const CLUSTERS_PER_CALL: usize = 100;
const SERVICES_PER_CALL: usize = 10;

pub(super) async fn collect(shared: &Shared, client: &Client, scope: &Scope) -> Part {
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
    let Some(pages) = part.listed_for(read, scope, "ecs:ListClusters", &[CLUSTER, SERVICE]) else {
        return part;
    };
    let arns: Vec<String> = pages
        .iter()
        .flat_map(|p| p.cluster_arns())
        .cloned()
        .collect();
    for chunk in arns.chunks(CLUSTERS_PER_CALL) {
        let read = {
            let _slot = shared.slot().await;
            client
                .describe_clusters()
                .set_clusters(Some(chunk.to_vec()))
                .include(ClusterField::Settings)
                .include(ClusterField::Configurations)
                .include(ClusterField::Tags)
                .send()
                .await
        };
        match read {
            Ok(out) => {
                for c in out.clusters() {
                    if let Some(arn) = c.cluster_arn() {
                        part.resources.push(scope.resource(
                            CLUSTER,
                            arn.to_owned(),
                            object(cluster(c)),
                        ));
                    }
                }
            }
            Err(e) => {
                let f = Failure::of(&e);
                for arn in chunk {
                    part.gaps
                        .push(f.gap(scope, "ecs:DescribeClusters", CLUSTER, Some(arn)));
                }
            }
        }
    }
    let results = futures_util::stream::iter(arns)
        .map(|arn| async move { services(shared, client, scope, arn).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    for p in results {
        part.absorb(p);
    }
    part
}

/// The cluster under the provider's names: `setting` as `[{name, value}]`,
/// `configuration.execute_command_configuration` as an object.
fn cluster(c: &Cluster) -> Value {
    let settings: Vec<Value> = c
        .settings()
        .iter()
        .map(|s| json!({"name": s.name().map(|n| n.as_str()), "value": s.value()}))
        .collect();
    let configuration = c.configuration().map(|conf| {
        let exec = conf.execute_command_configuration().map(|e| {
            json!({
                "kms_key_id": convert::non_empty(e.kms_key_id()),
                "logging": e.logging().map(|l| l.as_str()),
            })
        });
        json!({"execute_command_configuration": exec})
    });
    json!({
        "name": c.cluster_name(),
        "arn": c.cluster_arn(),
        "status": c.status(),
        "setting": settings,
        "configuration": configuration,
        "tags": convert::tags(c.tags().iter().map(|t| (t.key(), t.value()))),
    })
}

/// One cluster's services. A listing or describe that fails is a gap
/// naming the cluster.
async fn services(shared: &Shared, client: &Client, scope: &Scope, cluster: String) -> Part {
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_services()
            .cluster(&cluster)
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let pages = match read {
        Ok(p) => p,
        Err(e) => {
            let f = Failure::of(&e);
            part.gaps
                .push(f.gap(scope, "ecs:ListServices", SERVICE, Some(&cluster)));
            return part;
        }
    };
    let arns: Vec<String> = pages
        .iter()
        .flat_map(|p| p.service_arns())
        .cloned()
        .collect();
    for chunk in arns.chunks(SERVICES_PER_CALL) {
        let read = {
            let _slot = shared.slot().await;
            client
                .describe_services()
                .cluster(&cluster)
                .set_services(Some(chunk.to_vec()))
                .send()
                .await
        };
        match read {
            Ok(out) => {
                for s in out.services() {
                    if let Some(arn) = s.service_arn() {
                        part.resources.push(scope.resource(
                            SERVICE,
                            arn.to_owned(),
                            object(service(s)),
                        ));
                    }
                }
            }
            Err(e) => {
                let f = Failure::of(&e);
                for arn in chunk {
                    part.gaps
                        .push(f.gap(scope, "ecs:DescribeServices", SERVICE, Some(arn)));
                }
            }
        }
    }
    part
}

/// The service under the provider's names. `network_configuration` is
/// `null` without an awsvpc configuration; `assign_public_ip` a boolean
/// as in the provider (the API's ENABLED/DISABLED).
fn service(s: &Service) -> Value {
    let network = s
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .map(|v| {
            json!({
                "subnets": convert::strings(v.subnets().iter().map(String::as_str)),
                "security_groups": convert::strings(v.security_groups().iter().map(String::as_str)),
                "assign_public_ip": v.assign_public_ip().map(|a| a.as_str()) == Some("ENABLED"),
            })
        });
    let balancers: Vec<Value> = s
        .load_balancers()
        .iter()
        .map(|lb| {
            json!({
                "target_group_arn": lb.target_group_arn(),
                "elb_name": lb.load_balancer_name(),
                "container_name": lb.container_name(),
                "container_port": lb.container_port(),
            })
        })
        .collect();
    let deployment = s.deployment_configuration();
    let breaker = deployment
        .and_then(|d| d.deployment_circuit_breaker())
        .map(|b| json!({"enable": b.enable(), "rollback": b.rollback()}));
    json!({
        "name": s.service_name(),
        "arn": s.service_arn(),
        "cluster": s.cluster_arn(),
        "task_definition": s.task_definition(),
        "desired_count": s.desired_count(),
        "launch_type": s.launch_type().map(|l| l.as_str()),
        "scheduling_strategy": s.scheduling_strategy().map(|l| l.as_str()),
        "network_configuration": network,
        "load_balancer": balancers,
        "deployment_minimum_healthy_percent": deployment.and_then(|d| d.minimum_healthy_percent()),
        "deployment_maximum_percent": deployment.and_then(|d| d.maximum_percent()),
        "deployment_circuit_breaker": breaker,
        "enable_execute_command": s.enable_execute_command(),
        "tags": convert::tags(s.tags().iter().map(|t| (t.key(), t.value()))),
    })
}
