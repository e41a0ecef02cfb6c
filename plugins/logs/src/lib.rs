//! Built-in CloudWatch Logs rules: log groups whose events never expire
//! (PILLAR-LOG-001) or that are not encrypted with a KMS key
//! (PILLAR-LOG-002).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::checks::as_i64;
use pillar_rule_sdk::prelude::*;

pub const RETENTION: &str = "PILLAR-LOG-001";
pub const KMS: &str = "PILLAR-LOG-002";

pub struct LogsPack;

impl RulePack for LogsPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-logs", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_cloudwatch_log_group" => {
                for (i, g) in batch.iter().enumerate() {
                    retention(i, g, out);
                    kms(i, g, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(LogsPack);

/// PILLAR-LOG-001: `retention_in_days` 0 (or absent, the provider's
/// default) keeps every event forever.
fn retention(i: usize, g: &Resource, out: &mut dyn Sink) {
    let pointer = "/retention_in_days";
    let days = match g.attr(pointer) {
        Attr::Known(v) => as_i64(v),
        Attr::Absent => Some(0),
        Attr::Unknown => None,
    };
    match days {
        Some(0) => out.fail(
            RETENTION,
            i,
            format!(
                "{}: no retention set; events are kept (and billed) forever",
                g.display_name()
            ),
            Some(pointer.into()),
        ),
        Some(_) => {}
        None => out.unknown(
            RETENTION,
            i,
            format!("{}: the retention period is not known", g.display_name()),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-LOG-002: a KMS key encrypts the group's events.
fn kms(i: usize, g: &Resource, out: &mut dyn Sink) {
    let pointer = "/kms_key_id";
    match g.text(pointer) {
        Ok(Some(_)) => {}
        Ok(None) => out.fail(
            KMS,
            i,
            format!(
                "{}: events are encrypted with CloudWatch's own key, not a KMS key",
                g.display_name()
            ),
            Some(pointer.into()),
        ),
        Err(()) => out.unknown(
            KMS,
            i,
            format!("{}: the KMS key is not known", g.display_name()),
            Some(pointer.into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    #[test]
    fn retention_and_keys() {
        let batch = [
            resource(
                "aws_cloudwatch_log_group",
                json!({"name": "a", "retention_in_days": 365, "kms_key_id": "arn:k"}),
                &[],
            ),
            resource(
                "aws_cloudwatch_log_group",
                json!({"name": "b", "retention_in_days": 0}),
                &[],
            ),
            resource(
                "aws_cloudwatch_log_group",
                json!({"name": "c"}),
                &["/retention_in_days", "/kms_key_id"],
            ),
        ];
        let f = run::<LogsPack>("aws_cloudwatch_log_group", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, RETENTION),
            vec![(1, "fail"), (2, "unknown")]
        );
        assert_eq!(verdicts_of(&f, KMS), vec![(1, "fail"), (2, "unknown")]);
    }
}
