//! SQS queues: encryption at rest (PILLAR-SQS-001) and dead-letter queues
//! (PILLAR-SQS-003).

use std::collections::BTreeSet;

use pillar_rule_sdk::prelude::*;

use crate::common::unknown;
use crate::{QUEUE_NO_DLQ, QUEUE_UNENCRYPTED};

/// PILLAR-SQS-001: neither a KMS key nor SQS-managed encryption (SSE-SQS).
pub fn unencrypted(i: usize, q: &Resource, out: &mut dyn Sink) {
    let key = "/kms_master_key_id";
    let sse = "/sqs_managed_sse_enabled";
    match q.text(key) {
        Ok(Some(_)) => return,
        Err(()) => return unknown(QUEUE_UNENCRYPTED, i, q, "the KMS key", key, out),
        Ok(None) => {}
    }
    match q.flag(sse, false) {
        Some(true) => {}
        None => unknown(QUEUE_UNENCRYPTED, i, q, "SQS-managed encryption", sse, out),
        Some(false) => out.fail(
            QUEUE_UNENCRYPTED,
            i,
            format!(
                "{}: the queue is not encrypted at rest (no KMS key and SQS-managed encryption off)",
                q.display_name()
            ),
            Some(sse.into()),
        ),
    }
}

/// The queues of a batch other queues send failed messages to, by ARN, and
/// the (account, region) pairs where some queue's target is not known (a
/// plan's new queue): a dead-letter queue is in its source's account and
/// region.
pub struct DeadLetterTargets {
    arns: BTreeSet<String>,
    unknown_in: BTreeSet<(Option<String>, Option<String>)>,
}

impl DeadLetterTargets {
    pub fn of(batch: &[Resource]) -> Self {
        let mut arns = BTreeSet::new();
        let mut unknown_in = BTreeSet::new();
        for q in batch {
            let target = q.attr("/redrive_policy/deadLetterTargetArn");
            if target.is_unknown() || q.is_unknown("/redrive_policy") {
                unknown_in.insert(place(q));
            }
            arns.extend(target.as_str().map(str::to_owned));
        }
        DeadLetterTargets { arns, unknown_in }
    }
}

fn place(q: &Resource) -> (Option<String>, Option<String>) {
    (q.account.clone(), q.region.clone())
}

/// PILLAR-SQS-003: a queue without a redrive policy, unless it is itself
/// another queue's dead-letter queue.
pub fn no_dead_letter_queue(
    i: usize,
    q: &Resource,
    targets: &DeadLetterTargets,
    out: &mut dyn Sink,
) {
    let at = "/redrive_policy";
    match q.attr(at) {
        Attr::Known(_) => return,
        Attr::Unknown => return unknown(QUEUE_NO_DLQ, i, q, "the redrive policy", at, out),
        Attr::Absent => {}
    }
    let arn = q.attr("/arn");
    if arn.as_str().is_some_and(|a| targets.arns.contains(a)) {
        return;
    }
    // A target not known yet may be this queue.
    if targets.unknown_in.contains(&place(q)) {
        return unknown(
            QUEUE_NO_DLQ,
            i,
            q,
            "whether the queue is another queue's dead-letter queue",
            "/arn",
            out,
        );
    }
    out.fail(
        QUEUE_NO_DLQ,
        i,
        format!(
            "{}: no dead-letter queue: a message that keeps failing is retried until it expires",
            q.display_name()
        ),
        Some(at.into()),
    );
}
