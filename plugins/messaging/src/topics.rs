//! PILLAR-SNS-001: topics encrypted at rest.

use pillar_rule_sdk::prelude::*;

use crate::TOPIC_UNENCRYPTED;
use crate::common::unknown;

/// A topic without a KMS key stores messages unencrypted at rest (SNS has
/// no service-managed default for topics).
pub fn unencrypted(i: usize, t: &Resource, out: &mut dyn Sink) {
    let at = "/kms_master_key_id";
    match t.text(at) {
        Err(()) => unknown(TOPIC_UNENCRYPTED, i, t, "the KMS key", at, out),
        Ok(Some(_)) => {}
        Ok(None) => out.fail(
            TOPIC_UNENCRYPTED,
            i,
            format!(
                "{}: the topic is not encrypted at rest (no KMS key)",
                t.display_name()
            ),
            Some(at.into()),
        ),
    }
}
