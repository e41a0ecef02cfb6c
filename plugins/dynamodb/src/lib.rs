//! Built-in DynamoDB rules on tables: point-in-time recovery
//! (PILLAR-DDB-001), a customer-managed KMS key (PILLAR-DDB-002) and
//! deletion protection (PILLAR-DDB-003).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::setting::Required;

pub const PITR: &str = "PILLAR-DDB-001";
pub const CMK: &str = "PILLAR-DDB-002";
pub const DELETION_PROTECTION: &str = "PILLAR-DDB-003";

pub struct DynamoDbPack;

impl RulePack for DynamoDbPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-dynamodb", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_dynamodb_table" => {
                for (i, t) in batch.iter().enumerate() {
                    Required {
                        rule: PITR,
                        pointer: "/point_in_time_recovery/enabled",
                        off: "point-in-time recovery is off",
                        what: "whether point-in-time recovery is on",
                    }
                    .flag(i, t, false, out);
                    cmk(i, t, out);
                    Required {
                        rule: DELETION_PROTECTION,
                        pointer: "/deletion_protection_enabled",
                        off: "deletion protection is off",
                        what: "whether deletion protection is on",
                    }
                    .flag(i, t, false, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(DynamoDbPack);

/// PILLAR-DDB-002: the table is encrypted with a customer-managed KMS key.
/// DynamoDB always encrypts; the default AWS-owned key (no
/// `server_side_encryption`, or `enabled` false) and the AWS-managed
/// `aws/dynamodb` key both fail, since the account cannot narrow who may
/// use either key or audit its use per table.
fn cmk(i: usize, t: &Resource, out: &mut dyn Sink) {
    let req = Required {
        rule: CMK,
        pointer: "/server_side_encryption/enabled",
        off: "",
        what: "which KMS key encrypts the table",
    };
    match t.flag("/server_side_encryption/enabled", false) {
        None => return req.unknown(i, t, out),
        Some(false) => {
            return req.fail(
                i,
                t,
                "encrypted with the AWS-owned key (the default), not a customer-managed KMS key"
                    .to_owned(),
                out,
            );
        }
        Some(true) => {}
    }
    let req = Required {
        pointer: "/server_side_encryption/key_manager",
        ..req
    };
    let aws_alias = matches!(
        t.text("/server_side_encryption/kms_key_arn"),
        Ok(Some(k)) if k.ends_with("alias/aws/dynamodb")
    );
    match t.attr(req.pointer) {
        _ if aws_alias => req.fail(
            i,
            t,
            "encrypted with the AWS-managed key aws/dynamodb, not a customer-managed KMS key"
                .to_owned(),
            out,
        ),
        Attr::Known(v) if v.as_str() == Some("CUSTOMER") => {}
        Attr::Known(v) if v.as_str() == Some("AWS") => req.fail(
            i,
            t,
            "encrypted with the AWS-managed key aws/dynamodb, not a customer-managed KMS key"
                .to_owned(),
            out,
        ),
        _ => req.unknown(i, t, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    fn table(extra: Value, unknown: &[&str]) -> Resource {
        let mut attrs = json!({"name": "orders", "billing_mode": "PAY_PER_REQUEST",
            "point_in_time_recovery": {"enabled": true},
            "server_side_encryption": {"enabled": true, "kms_key_arn": "arn:aws:kms:eu-west-1:1:key/k", "key_manager": "CUSTOMER"},
            "deletion_protection_enabled": true});
        for (k, v) in extra.as_object().into_iter().flatten() {
            attrs[k] = v.clone();
        }
        resource("aws_dynamodb_table", attrs, unknown)
    }

    #[test]
    fn recovery_keys_and_protection() {
        let batch = [
            table(json!({}), &[]),
            table(
                json!({"point_in_time_recovery": {"enabled": false}, "deletion_protection_enabled": false,
                    "server_side_encryption": {"enabled": false, "kms_key_arn": null, "key_manager": null}}),
                &[],
            ),
            table(
                json!({"server_side_encryption": {"enabled": true, "kms_key_arn": "arn:aws:kms:eu-west-1:1:key/m", "key_manager": "AWS"}}),
                &[],
            ),
            table(
                json!({"point_in_time_recovery": null, "deletion_protection_enabled": null,
                    "server_side_encryption": {"enabled": true, "kms_key_arn": "arn:k", "key_manager": null}}),
                &[
                    "/point_in_time_recovery",
                    "/deletion_protection_enabled",
                    "/server_side_encryption/key_manager",
                ],
            ),
            // No block at all: the AWS-owned key.
            table(json!({"server_side_encryption": null}), &[]),
        ];
        let f = run::<DynamoDbPack>("aws_dynamodb_table", &batch, json!({}));
        assert_eq!(verdicts_of(&f, PITR), vec![(1, "fail"), (3, "unknown")]);
        assert_eq!(
            verdicts_of(&f, CMK),
            vec![(1, "fail"), (2, "fail"), (3, "unknown"), (4, "fail")]
        );
        assert_eq!(
            verdicts_of(&f, DELETION_PROTECTION),
            vec![(1, "fail"), (3, "unknown")]
        );
    }
}
