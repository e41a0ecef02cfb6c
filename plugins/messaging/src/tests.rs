use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

const OWNER_ONLY: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"SNS:Publish","Resource":"*","Condition":{"StringEquals":{"AWS:SourceOwner":"111122223333"}}}]}"#;
const OPEN: &str = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["sqs:SendMessage","sns:Publish"],"Resource":"*"}]}"#;

fn topic(changes: Value, unknown: &[&str]) -> Resource {
    let mut t = json!({"name": "events", "arn": "arn:aws:sns:eu-west-1:111122223333:events",
        "kms_master_key_id": "arn:aws:kms:eu-west-1:111122223333:key/k", "policy": OWNER_ONLY});
    for (k, v) in changes.as_object().into_iter().flatten() {
        t[k] = v.clone();
    }
    resource("aws_sns_topic", t, unknown)
}

fn queue(name: &str, changes: Value, unknown: &[&str]) -> Resource {
    let mut q = json!({"name": name, "arn": format!("arn:aws:sqs:eu-west-1:111122223333:{name}"),
        "kms_master_key_id": null, "sqs_managed_sse_enabled": true, "policy": null,
        "redrive_policy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:111122223333:dlq", "maxReceiveCount": 5}});
    for (k, v) in changes.as_object().into_iter().flatten() {
        q[k] = v.clone();
    }
    resource("aws_sqs_queue", q, unknown)
}

fn topics(batch: &[Resource]) -> pillar_rule_sdk::Findings {
    run::<MessagingPack>("aws_sns_topic", batch, json!({}))
}

fn queues(batch: &[Resource]) -> pillar_rule_sdk::Findings {
    run::<MessagingPack>("aws_sqs_queue", batch, json!({}))
}

#[test]
fn compliant_topics_and_queues_pass_every_rule() {
    assert_eq!(topics(&[topic(json!({}), &[])]).0.len(), 0);
    let dlq = queue("dlq", json!({"redrive_policy": null}), &[]);
    let f = queues(&[queue("work", json!({}), &[]), dlq]);
    assert_eq!(f.0.len(), 0, "{:?}", f.0);
}

#[test]
fn topics_without_a_key_fail_and_aws_managed_keys_are_low() {
    let batch = [
        topic(json!({"kms_master_key_id": null}), &[]),
        topic(json!({"kms_master_key_id": "alias/aws/sns"}), &[]),
        topic(json!({"kms_master_key_id": null}), &["/kms_master_key_id"]),
    ];
    let f = topics(&batch);
    assert_eq!(
        verdicts_of(&f, TOPIC_UNENCRYPTED),
        vec![(0, "fail"), (2, "unknown")]
    );
    assert_eq!(
        verdicts_of(&f, TOPIC_AWS_KEY),
        vec![(1, "fail"), (2, "unknown")]
    );
}

#[test]
fn policies_open_to_anyone_fail() {
    let batch = [
        topic(json!({"policy": OPEN}), &[]),
        topic(json!({"policy": null}), &[]),
        topic(json!({"policy": null}), &["/policy"]),
        topic(json!({"policy": "{not json"}), &[]),
    ];
    assert_eq!(
        verdicts_of(&topics(&batch), TOPIC_PUBLIC),
        vec![(0, "fail"), (2, "unknown"), (3, "unknown")]
    );
    let batch = [
        queue("a", json!({"policy": OPEN}), &[]),
        queue("b", json!({"policy": OWNER_ONLY}), &[]),
    ];
    assert_eq!(
        verdicts_of(&queues(&batch), QUEUE_PUBLIC),
        vec![(0, "fail")]
    );
}

#[test]
fn queues_need_kms_or_sqs_managed_encryption() {
    let batch = [
        queue("a", json!({"sqs_managed_sse_enabled": false}), &[]),
        queue(
            "b",
            json!({"sqs_managed_sse_enabled": false, "kms_master_key_id": "alias/aws/sqs"}),
            &[],
        ),
        queue(
            "c",
            json!({"sqs_managed_sse_enabled": null}),
            &["/sqs_managed_sse_enabled"],
        ),
        queue("d", json!({}), &[]),
    ];
    let f = queues(&batch);
    assert_eq!(
        verdicts_of(&f, QUEUE_UNENCRYPTED),
        vec![(0, "fail"), (2, "unknown")]
    );
    assert_eq!(verdicts_of(&f, QUEUE_AWS_KEY), vec![(1, "fail")]);
}

#[test]
fn queues_without_a_dead_letter_queue_fail_unless_they_are_one() {
    let batch = [
        queue("work", json!({"redrive_policy": null}), &[]),
        queue("dlq", json!({"redrive_policy": null}), &[]),
        queue("other", json!({}), &[]),
    ];
    assert_eq!(
        verdicts_of(&queues(&batch), QUEUE_NO_DLQ),
        vec![(0, "fail")]
    );
    // A plan's queue whose target is not known yet: any queue may be it.
    let batch = [
        queue(
            "new",
            json!({"redrive_policy": {"deadLetterTargetArn": null, "maxReceiveCount": 3}}),
            &["/redrive_policy/deadLetterTargetArn"],
        ),
        queue(
            "dlq",
            json!({"redrive_policy": null, "arn": null}),
            &["/arn"],
        ),
        queue(
            "x",
            json!({"redrive_policy": Value::Null}),
            &["/redrive_policy"],
        ),
    ];
    assert_eq!(
        verdicts_of(&queues(&batch), QUEUE_NO_DLQ),
        vec![(1, "unknown"), (2, "unknown")]
    );
}
