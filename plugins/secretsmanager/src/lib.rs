//! Built-in Secrets Manager rules on secrets' metadata: rotation off
//! (PILLAR-SM-001), not rotated within `max_days_since_rotation`
//! (PILLAR-SM-002), not used within `max_unused_days` (PILLAR-SM-003), and
//! no customer-managed KMS key (PILLAR-SM-004). No rule sees a secret's
//! value: the collector never reads one.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::time::{days_between, parse_rfc3339};

pub const ROTATION: &str = "PILLAR-SM-001";
pub const ROTATED_LATELY: &str = "PILLAR-SM-002";
pub const UNUSED: &str = "PILLAR-SM-003";
pub const CMK: &str = "PILLAR-SM-004";

pub struct SecretsManagerPack;

impl RulePack for SecretsManagerPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-secretsmanager", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_secretsmanager_secret" => {
                let config = config::current();
                for (i, s) in batch.iter().enumerate() {
                    rotation(i, s, out);
                    ages(i, s, &config, out);
                    cmk(i, s, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(SecretsManagerPack);

/// PILLAR-SM-001: automatic rotation is on.
fn rotation(i: usize, s: &Resource, out: &mut dyn Sink) {
    let pointer = "/rotation_enabled";
    match s.flag(pointer, false) {
        Some(true) => {}
        Some(false) => out.fail(
            ROTATION,
            i,
            format!("{}: automatic rotation is off", s.display_name()),
            Some(pointer.into()),
        ),
        None => out.unknown(
            ROTATION,
            i,
            format!("{}: whether rotation is on is not known", s.display_name()),
            Some(pointer.into()),
        ),
    }
}

/// A date attribute: `Ok(None)` when absent (never happened),
/// `Err(())` when unknown or unreadable.
fn date(s: &Resource, pointer: &str) -> Result<Option<i64>, ()> {
    match s.attr(pointer) {
        Attr::Absent => Ok(None),
        Attr::Known(v) => v.as_str().and_then(parse_rfc3339).map(Some).ok_or(()),
        Attr::Unknown => Err(()),
    }
}

/// PILLAR-SM-002 and 003: days since the last rotation (or creation) and
/// since the last access (or creation), against the snapshot's time. A
/// plan has none of these dates: both are unknown there.
fn ages(i: usize, s: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = s.display_name();
    let (Some(now), Ok(Some(created))) = (config.now(), date(s, "/created_date")) else {
        for rule in [ROTATED_LATELY, UNUSED] {
            out.unknown(
                rule,
                i,
                format!("{name}: the secret's age is not known"),
                Some("/created_date".into()),
            );
        }
        return;
    };
    for (rule, pointer, param, what, never) in [
        (
            ROTATED_LATELY,
            "/last_rotated_date",
            "max_days_since_rotation",
            "rotated",
            "never rotated",
        ),
        (
            UNUSED,
            "/last_accessed_date",
            "max_unused_days",
            "used",
            "never used",
        ),
    ] {
        let limit = config.int(rule, param);
        match date(s, pointer) {
            Ok(Some(t)) if days_between(t, now) > limit => out.fail(
                rule,
                i,
                format!(
                    "{name}: last {what} {} days ago (limit {limit})",
                    days_between(t, now)
                ),
                Some(pointer.into()),
            ),
            Ok(Some(_)) => {}
            Ok(None) if days_between(created, now) > limit => out.fail(
                rule,
                i,
                format!(
                    "{name}: {never} in the {} days since it was created (limit {limit})",
                    days_between(created, now)
                ),
                Some(pointer.into()),
            ),
            Ok(None) => {}
            Err(()) => out.unknown(
                rule,
                i,
                format!("{name}: when it was last {what} is not known"),
                Some(pointer.into()),
            ),
        }
    }
}

/// PILLAR-SM-004: a customer-managed KMS key (not `aws/secretsmanager`).
fn cmk(i: usize, s: &Resource, out: &mut dyn Sink) {
    let pointer = "/kms_key_id";
    match s.text(pointer) {
        Ok(Some(k)) if !k.ends_with("alias/aws/secretsmanager") => {}
        Ok(_) => out.fail(
            CMK,
            i,
            format!(
                "{}: encrypted with the AWS-managed key, whose policy the account cannot narrow",
                s.display_name()
            ),
            Some(pointer.into()),
        ),
        Err(()) => out.unknown(
            CMK,
            i,
            format!("{}: the KMS key is not known", s.display_name()),
            Some(pointer.into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    fn secret(extra: Value, unknown: &[&str]) -> Resource {
        let mut attrs = json!({"name": "db", "kms_key_id": "arn:k", "rotation_enabled": true,
            "created_date": "2026-01-01T00:00:00Z", "last_rotated_date": "2026-10-01T00:00:00Z",
            "last_accessed_date": "2026-10-30T00:00:00Z"});
        for (k, v) in extra.as_object().into_iter().flatten() {
            attrs[k] = v.clone();
        }
        resource("aws_secretsmanager_secret", attrs, unknown)
    }

    #[test]
    fn ages_against_the_snapshot_time() {
        let batch = [
            secret(json!({}), &[]),
            secret(
                json!({"last_rotated_date": null, "last_accessed_date": null}),
                &[],
            ),
            secret(json!({"last_rotated_date": "2026-05-01T00:00:00Z"}), &[]),
            secret(json!({"created_date": null}), &["/created_date"]),
        ];
        let settings = json!({"_scan": {"now": "2026-11-01T06:00:00Z"}});
        let f = run::<SecretsManagerPack>("aws_secretsmanager_secret", &batch, settings);
        assert_eq!(
            verdicts_of(&f, ROTATED_LATELY),
            vec![(1, "fail"), (2, "fail"), (3, "unknown")]
        );
        assert_eq!(verdicts_of(&f, UNUSED), vec![(1, "fail"), (3, "unknown")]);
    }

    #[test]
    fn rotation_and_keys() {
        let batch = [
            secret(json!({"rotation_enabled": false, "kms_key_id": null}), &[]),
            secret(json!({"kms_key_id": "alias/aws/secretsmanager"}), &[]),
            secret(
                json!({"rotation_enabled": null, "kms_key_id": null}),
                &["/rotation_enabled", "/kms_key_id"],
            ),
        ];
        let f = run::<SecretsManagerPack>("aws_secretsmanager_secret", &batch, json!({}));
        assert_eq!(verdicts_of(&f, ROTATION), vec![(0, "fail"), (2, "unknown")]);
        assert_eq!(
            verdicts_of(&f, CMK),
            vec![(0, "fail"), (1, "fail"), (2, "unknown")]
        );
    }
}
