//! Built-in CloudTrail rules: regions whose events no logging trail
//! records (PILLAR-CT-001, live only), and trails that are single-region
//! (002), without log file validation (003), without KMS encryption (004),
//! without delivery to CloudWatch Logs (005), or not logging (006), and
//! trails whose log bucket is public (007) or records no access logs (008),
//! and regions whose logging trails leave out management events (009) or
//! S3 object-level writes (010) or reads (011).

mod bucket;
mod events;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::checks::AnyTrue;
use pillar_rule_sdk::prelude::*;

pub const REGION_RECORDED: &str = "PILLAR-CT-001";
pub const MULTI_REGION: &str = "PILLAR-CT-002";
pub const LOG_VALIDATION: &str = "PILLAR-CT-003";
pub const KMS: &str = "PILLAR-CT-004";
pub const CLOUDWATCH: &str = "PILLAR-CT-005";
pub const LOGGING: &str = "PILLAR-CT-006";
pub const BUCKET_PUBLIC: &str = "PILLAR-CT-007";
pub const BUCKET_ACCESS_LOGGING: &str = "PILLAR-CT-008";
pub const MANAGEMENT_EVENTS: &str = "PILLAR-CT-009";
pub const S3_WRITE_EVENTS: &str = "PILLAR-CT-010";
pub const S3_READ_EVENTS: &str = "PILLAR-CT-011";

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
                    events::judge(i, r, out);
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
                    bucket::judge(i, t, out);
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

    /// A trail with the bucket the host copied onto it (`/s3_bucket`).
    fn with_bucket(bucket: Value, unknown: &[&str]) -> Resource {
        resource(
            "aws_cloudtrail",
            json!({"name": "main", "s3_bucket_name": "logs", "s3_bucket": bucket}),
            unknown,
        )
    }

    fn private_bucket() -> Value {
        json!({"bucket": "logs", "acl": "private", "acl_grants": [], "policy": null, "policy_is_public": false,
               "public_access_block": null, "account_public_access_block": null,
               "logging": {"target_bucket": "access-logs", "target_prefix": "logs/"}})
    }

    fn bucket_with(change: Value) -> Value {
        let mut b = private_bucket();
        for (k, v) in change.as_object().cloned().unwrap_or_default() {
            b[k] = v;
        }
        b
    }

    #[test]
    fn the_log_bucket_is_private_unless_a_block_overrides_nothing() {
        let open = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        let all_on = json!({"block_public_acls": true, "ignore_public_acls": true,
                            "block_public_policy": true, "restrict_public_buckets": true});
        let batch = [
            with_bucket(private_bucket(), &[]),
            with_bucket(bucket_with(json!({"acl": "public-read"})), &[]),
            with_bucket(bucket_with(json!({"policy": open})), &[]),
            // A public ACL that the account's block ignores is not public.
            with_bucket(
                bucket_with(json!({"acl": "public-read", "account_public_access_block": all_on})),
                &[],
            ),
            // A public policy the bucket's own block restricts.
            with_bucket(
                bucket_with(json!({"policy": open, "public_access_block": all_on})),
                &[],
            ),
            // A public ACL, and the block that might override it unknown.
            with_bucket(
                bucket_with(json!({"acl": "public-read", "public_access_block": null})),
                &["/s3_bucket/public_access_block"],
            ),
            with_bucket(bucket_with(json!({"policy": null})), &["/s3_bucket/policy"]),
            // Not in the snapshot: both rules unknown.
            with_bucket(Value::Null, &["/s3_bucket"]),
        ];
        let f = run::<CloudTrailPack>("aws_cloudtrail", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, BUCKET_PUBLIC),
            vec![
                (1, "fail"),
                (2, "fail"),
                (5, "unknown"),
                (6, "unknown"),
                (7, "unknown")
            ]
        );
        assert!(
            f.0.iter()
                .any(|e| e.rule_id == BUCKET_PUBLIC && e.message.contains("not in this snapshot")),
            "{:?}",
            f.0
        );
    }

    #[test]
    fn the_log_bucket_records_access() {
        let batch = [
            with_bucket(private_bucket(), &[]),
            with_bucket(bucket_with(json!({"logging": null})), &[]),
            with_bucket(
                bucket_with(json!({"logging": null})),
                &["/s3_bucket/logging"],
            ),
            with_bucket(
                {
                    let mut b = private_bucket();
                    b.as_object_mut().map(|o| o.remove("logging"));
                    b
                },
                &[],
            ),
        ];
        let f = run::<CloudTrailPack>("aws_cloudtrail", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, BUCKET_ACCESS_LOGGING),
            vec![(1, "fail"), (2, "unknown"), (3, "unknown")]
        );
    }
}
