use super::*;
use crate::clusters::minor_version;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

fn good() -> Value {
    json!({
        "name": "prod",
        "version": "1.35",
        "vpc_config": {"endpoint_public_access": false, "endpoint_private_access": true, "public_access_cidrs": ["0.0.0.0/0"]},
        "enabled_cluster_log_types": ["api", "audit", "authenticator"],
        "encryption_config": [{"resources": ["secrets"], "provider": {"key_arn": "arn:aws:kms:eu-west-1:1:key/k"}}],
    })
}

fn with(changes: &[(&str, Value)]) -> Value {
    let mut c = good();
    for (pointer, v) in changes {
        if let Some(slot) = c.pointer_mut(pointer) {
            *slot = v.clone();
        }
    }
    c
}

fn judge(batch: &[Resource], settings: Value) -> pillar_rule_sdk::Findings {
    run::<EksPack>("aws_eks_cluster", batch, settings)
}

fn cluster(attrs: Value, unknown: &[&str]) -> Resource {
    resource("aws_eks_cluster", attrs, unknown)
}

#[test]
fn a_compliant_cluster_passes_every_rule() {
    assert!(judge(&[cluster(good(), &[])], json!({})).0.is_empty());
}

#[test]
fn a_public_endpoint_open_to_everyone_fails() {
    let f = judge(
        &[
            cluster(
                with(&[("/vpc_config/endpoint_public_access", json!(true))]),
                &[],
            ),
            cluster(
                with(&[
                    ("/vpc_config/endpoint_public_access", json!(true)),
                    ("/vpc_config/public_access_cidrs", json!(["203.0.113.0/24"])),
                ]),
                &[],
            ),
            cluster(
                with(&[
                    ("/vpc_config/endpoint_public_access", json!(true)),
                    ("/vpc_config/public_access_cidrs", Value::Null),
                ]),
                &["/vpc_config/public_access_cidrs"],
            ),
            cluster(
                with(&[("/vpc_config/endpoint_public_access", Value::Null)]),
                &["/vpc_config/endpoint_public_access"],
            ),
        ],
        json!({}),
    );
    assert_eq!(
        verdicts_of(&f, PUBLIC_ENDPOINT),
        vec![(0, "fail"), (2, "unknown"), (3, "unknown")]
    );
}

#[test]
fn missing_log_types_fail_and_the_list_is_a_parameter() {
    let batch = [
        cluster(with(&[("/enabled_cluster_log_types", json!(["api"]))]), &[]),
        cluster(with(&[("/enabled_cluster_log_types", Value::Null)]), &[]),
        cluster(
            with(&[("/enabled_cluster_log_types", Value::Null)]),
            &["/enabled_cluster_log_types"],
        ),
        cluster(good(), &[]),
    ];
    let f = judge(&batch, json!({}));
    assert_eq!(
        verdicts_of(&f, CONTROL_PLANE_LOGGING),
        vec![(0, "fail"), (1, "fail"), (2, "unknown")]
    );
    assert!(f.0[0].message.contains("audit, authenticator"));
    let all = json!({"PILLAR-EKS-002": {"required_log_types": ["api", "audit", "authenticator", "controllerManager", "scheduler"]}});
    let f = judge(&batch, all);
    assert_eq!(
        verdicts_of(&f, CONTROL_PLANE_LOGGING),
        vec![(0, "fail"), (1, "fail"), (2, "unknown"), (3, "fail")]
    );
}

#[test]
fn secrets_without_kms_fail() {
    let f = judge(
        &[
            cluster(with(&[("/encryption_config", json!([]))]), &[]),
            cluster(with(&[("/encryption_config", Value::Null)]), &[]),
            cluster(
                with(&[("/encryption_config", Value::Null)]),
                &["/encryption_config"],
            ),
            cluster(
                with(&[("/encryption_config/0/resources", Value::Null)]),
                &["/encryption_config/0/resources"],
            ),
        ],
        json!({}),
    );
    assert_eq!(
        verdicts_of(&f, SECRETS_ENCRYPTION),
        vec![(0, "fail"), (1, "fail"), (2, "unknown"), (3, "unknown")]
    );
}

#[test]
fn versions_below_the_minimum_fail_and_unreadable_ones_are_unknown() {
    assert_eq!(minor_version("1.29"), Some((1, 29)));
    assert_eq!(minor_version("v1.30.2"), Some((1, 30)));
    assert_eq!(minor_version("latest"), None);
    let f = judge(
        &[
            cluster(with(&[("/version", json!("1.34"))]), &[]),
            cluster(with(&[("/version", json!("1.36"))]), &[]),
            cluster(with(&[("/version", json!("latest"))]), &[]),
            cluster(with(&[("/version", Value::Null)]), &["/version"]),
            cluster(with(&[("/version", json!("1.9"))]), &[]),
        ],
        json!({}),
    );
    assert_eq!(
        verdicts_of(&f, SUPPORTED_VERSION),
        vec![(0, "fail"), (2, "unknown"), (3, "unknown"), (4, "fail")]
    );
    let f = judge(
        &[cluster(with(&[("/version", json!("1.34"))]), &[])],
        json!({"PILLAR-EKS-004": {"minimum_version": "1.33"}}),
    );
    assert!(verdicts_of(&f, SUPPORTED_VERSION).is_empty());
}

#[test]
fn the_private_endpoint_off_fails() {
    let f = judge(
        &[
            cluster(
                with(&[("/vpc_config/endpoint_private_access", json!(false))]),
                &[],
            ),
            cluster(
                with(&[("/vpc_config/endpoint_private_access", Value::Null)]),
                &[],
            ),
            cluster(
                with(&[("/vpc_config/endpoint_private_access", Value::Null)]),
                &["/vpc_config/endpoint_private_access"],
            ),
        ],
        json!({}),
    );
    assert_eq!(
        verdicts_of(&f, PRIVATE_ENDPOINT),
        vec![(0, "fail"), (1, "fail"), (2, "unknown")]
    );
}
