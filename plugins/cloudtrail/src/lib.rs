//! Built-in CloudTrail rules: regions whose events no logging trail
//! records (PILLAR-CT-001, live only), and trails that are single-region
//! (002), without log file validation (003), without KMS encryption (004),
//! without delivery to CloudWatch Logs (005), or not logging (006).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::checks::AnyTrue;
use pillar_rule_sdk::prelude::*;

pub const REGION_RECORDED: &str = "PILLAR-CT-001";
pub const MULTI_REGION: &str = "PILLAR-CT-002";
pub const LOG_VALIDATION: &str = "PILLAR-CT-003";
pub const KMS: &str = "PILLAR-CT-004";
pub const CLOUDWATCH: &str = "PILLAR-CT-005";
pub const LOGGING: &str = "PILLAR-CT-006";

pub struct CloudTrailPack;

impl RulePack for CloudTrailPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-cloudtrail", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_cloudtrail_region" => {
                for (i, r) in batch.iter().enumerate() {
                    region_recorded(i, r, out);
                }
            }
            "aws_cloudtrail" => {
                for (i, t) in batch.iter().enumerate() {
                    for (rule, pointer, default, off) in [
                        (
                            MULTI_REGION,
                            "/is_multi_region_trail",
                            false,
                            "records only its home region",
                        ),
                        (
                            LOG_VALIDATION,
                            "/enable_log_file_validation",
                            false,
                            "log file validation is off",
                        ),
                        (LOGGING, "/enable_logging", true, "is not logging"),
                    ] {
                        switch(rule, i, t, pointer, default, off, out);
                    }
                    set(
                        KMS,
                        i,
                        t,
                        "/kms_key_id",
                        "log files are not encrypted with a KMS key",
                        out,
                    );
                    set(
                        CLOUDWATCH,
                        i,
                        t,
                        "/cloud_watch_logs_group_arn",
                        "events are not delivered to CloudWatch Logs",
                        out,
                    );
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(CloudTrailPack);

/// A boolean setting that must be on; absent is the provider's default.
fn switch(
    rule: &str,
    i: usize,
    t: &Resource,
    pointer: &str,
    default: bool,
    off: &str,
    out: &mut dyn Sink,
) {
    let name = t.display_name();
    match t.flag(pointer, default) {
        Some(true) => {}
        Some(false) => out.fail(rule, i, format!("{name}: {off}"), Some(pointer.into())),
        None => out.unknown(
            rule,
            i,
            format!("{name}: {} is not known", &pointer[1..]),
            Some(pointer.into()),
        ),
    }
}

/// A setting that must name something (a key, a log group).
fn set(rule: &str, i: usize, t: &Resource, pointer: &str, missing: &str, out: &mut dyn Sink) {
    let name = t.display_name();
    match t.text(pointer) {
        Ok(Some(_)) => {}
        Ok(None) => out.fail(rule, i, format!("{name}: {missing}"), Some(pointer.into())),
        Err(()) => out.unknown(
            rule,
            i,
            format!("{name}: {} is not known", &pointer[1..]),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-CT-001: some trail that records the region (its own, or another
/// region's multi-region trail) is logging.
fn region_recorded(i: usize, r: &Resource, out: &mut dyn Sink) {
    let region = r.attr("/region").as_str().unwrap_or("this region");
    match checks::any_true(r, "/trails", "is_logging") {
        AnyTrue::Found => {}
        AnyTrue::None(n) => out.fail(
            REGION_RECORDED,
            i,
            format!("{region}: no logging trail records the region's API activity ({n} trail(s), none logging)"),
            Some("/trails".into()),
        ),
        AnyTrue::Unknown(at) => out.unknown(
            REGION_RECORDED,
            i,
            format!("{region}: whether a trail recording the region is logging is not known"),
            Some(at),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    #[test]
    fn a_region_needs_one_logging_trail() {
        let region = |trails: Value, unknown: &[&str]| {
            resource(
                "aws_cloudtrail_region",
                json!({"region": "eu-west-1", "trails": trails}),
                unknown,
            )
        };
        let trail = |logging: Value| json!({"arn": "arn:t", "is_multi_region_trail": true, "is_logging": logging});
        let batch = [
            region(json!([trail(json!(false)), trail(json!(true))]), &[]),
            region(json!([]), &[]),
            region(json!([trail(json!(false))]), &[]),
            region(json!([trail(Value::Null)]), &["/trails/0/is_logging"]),
        ];
        let f = run::<CloudTrailPack>("aws_cloudtrail_region", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, REGION_RECORDED),
            vec![(1, "fail"), (2, "fail"), (3, "unknown")]
        );
    }

    #[test]
    fn trail_settings() {
        let good = json!({"name": "main", "is_multi_region_trail": true, "enable_log_file_validation": true,
            "enable_logging": true, "kms_key_id": "arn:k", "cloud_watch_logs_group_arn": "arn:g"});
        let bare = json!({"name": "bare"});
        let batch = [
            resource("aws_cloudtrail", good, &[]),
            resource("aws_cloudtrail", bare, &[]),
            resource(
                "aws_cloudtrail",
                json!({"name": "planned", "kms_key_id": null}),
                &["/kms_key_id"],
            ),
        ];
        let f = run::<CloudTrailPack>("aws_cloudtrail", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, MULTI_REGION),
            vec![(1, "fail"), (2, "fail")]
        );
        assert_eq!(
            verdicts_of(&f, LOGGING),
            Vec::<(u32, &str)>::new(),
            "absent: on"
        );
        assert_eq!(verdicts_of(&f, KMS), vec![(1, "fail"), (2, "unknown")]);
        assert_eq!(verdicts_of(&f, CLOUDWATCH), vec![(1, "fail"), (2, "fail")]);
    }
}
