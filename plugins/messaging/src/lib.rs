//! Built-in rules on SNS topics (PILLAR-SNS-001..003) and SQS queues
//! (PILLAR-SQS-001..004): encryption at rest, access policies open to
//! anyone, encryption under the AWS-managed key only, and queues without a
//! dead-letter queue.

mod common;
mod queues;
#[cfg(test)]
mod tests;
mod topics;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

pub const TOPIC_UNENCRYPTED: &str = "PILLAR-SNS-001";
pub const TOPIC_PUBLIC: &str = "PILLAR-SNS-002";
pub const TOPIC_AWS_KEY: &str = "PILLAR-SNS-003";
pub const QUEUE_UNENCRYPTED: &str = "PILLAR-SQS-001";
pub const QUEUE_PUBLIC: &str = "PILLAR-SQS-002";
pub const QUEUE_NO_DLQ: &str = "PILLAR-SQS-003";
pub const QUEUE_AWS_KEY: &str = "PILLAR-SQS-004";

pub struct MessagingPack;

impl RulePack for MessagingPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-messaging", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_sns_topic" => {
                for (i, t) in batch.iter().enumerate() {
                    topics::unencrypted(i, t, out);
                    common::public_policy(TOPIC_PUBLIC, "topic", i, t, out);
                    common::aws_managed_key(TOPIC_AWS_KEY, "alias/aws/sns", i, t, out);
                }
            }
            "aws_sqs_queue" => {
                let dead_letter_targets = queues::DeadLetterTargets::of(batch);
                for (i, q) in batch.iter().enumerate() {
                    queues::unencrypted(i, q, out);
                    common::public_policy(QUEUE_PUBLIC, "queue", i, q, out);
                    queues::no_dead_letter_queue(i, q, &dead_letter_targets, out);
                    common::aws_managed_key(QUEUE_AWS_KEY, "alias/aws/sqs", i, q, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(MessagingPack);
