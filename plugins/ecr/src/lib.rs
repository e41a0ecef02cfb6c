//! Built-in ECR rules on repositories: scan on push off (PILLAR-ECR-001),
//! mutable image tags (002), a repository policy open to anyone without a
//! condition (003), no lifecycle policy (004) and no KMS encryption (005).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::policy;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::s3::public_statement;

pub const SCAN_ON_PUSH: &str = "PILLAR-ECR-001";
pub const IMMUTABLE_TAGS: &str = "PILLAR-ECR-002";
pub const PUBLIC_POLICY: &str = "PILLAR-ECR-003";
pub const LIFECYCLE: &str = "PILLAR-ECR-004";
pub const KMS: &str = "PILLAR-ECR-005";

pub struct EcrPack;

impl RulePack for EcrPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-ecr", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_ecr_repository" => {
                for (i, r) in batch.iter().enumerate() {
                    scan_on_push(i, r, out);
                    immutable_tags(i, r, out);
                    public_policy(i, r, out);
                    lifecycle(i, r, out);
                    kms(i, r, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(EcrPack);

fn not_known(rule: &str, i: usize, r: &Resource, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{}: {what} is not known", r.display_name()),
        Some(at.into()),
    );
}

/// PILLAR-ECR-001: images are scanned when pushed.
fn scan_on_push(i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/image_scanning_configuration/scan_on_push";
    match r.flag(at, false) {
        Some(true) => {}
        Some(false) => out.fail(
            SCAN_ON_PUSH,
            i,
            format!("{}: images are not scanned on push", r.display_name()),
            Some(at.into()),
        ),
        None => not_known(SCAN_ON_PUSH, i, r, "scan on push", at, out),
    }
}

/// PILLAR-ECR-002: tags are immutable (with or without exclusions).
fn immutable_tags(i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/image_tag_mutability";
    match r.text(at) {
        Ok(Some(m)) if m.starts_with("IMMUTABLE") => {}
        Ok(m) => out.fail(
            IMMUTABLE_TAGS,
            i,
            format!(
                "{}: image tags are {}: a pushed tag can be moved to another image",
                r.display_name(),
                m.unwrap_or("MUTABLE")
            ),
            Some(at.into()),
        ),
        Err(()) => not_known(IMMUTABLE_TAGS, i, r, "tag mutability", at, out),
    }
}

/// PILLAR-ECR-003: no statement allows anyone without a condition.
fn public_policy(i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/policy";
    let doc = match r.attr(at) {
        Attr::Unknown => return not_known(PUBLIC_POLICY, i, r, "the repository policy", at, out),
        Attr::Absent => return,
        Attr::Known(v) => v.as_str().unwrap_or_default(),
    };
    let statements = match policy::parse(doc) {
        Ok(s) => s,
        Err(e) => {
            return out.unknown(
                PUBLIC_POLICY,
                i,
                format!(
                    "{}: the repository policy cannot be read ({e})",
                    r.display_name()
                ),
                Some(at.into()),
            );
        }
    };
    if let Some((n, s)) = public_statement(&statements) {
        out.fail(
            PUBLIC_POLICY,
            i,
            format!(
                "{}: policy statement {n} allows {} to anyone, without a condition",
                r.display_name(),
                s.actions.join(", ")
            ),
            Some(at.into()),
        );
    }
}

/// PILLAR-ECR-004: a lifecycle policy expires old images.
fn lifecycle(i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/lifecycle_policy";
    match r.text(at) {
        Ok(Some(_)) => {}
        Ok(None) => out.fail(
            LIFECYCLE,
            i,
            format!(
                "{}: no lifecycle policy: untagged and old images are kept (and paid for) forever",
                r.display_name()
            ),
            Some(at.into()),
        ),
        Err(()) => not_known(LIFECYCLE, i, r, "the lifecycle policy", at, out),
    }
}

/// PILLAR-ECR-005: images are encrypted with a KMS key (`KMS` or
/// `KMS_DSSE`), not the AES256 default.
fn kms(i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/encryption_configuration/encryption_type";
    match r.text(at) {
        Ok(Some(t)) if t.starts_with("KMS") => {}
        Ok(t) => out.fail(
            KMS,
            i,
            format!(
                "{}: encrypted with {} rather than a KMS key",
                r.display_name(),
                t.unwrap_or("AES256")
            ),
            Some(at.into()),
        ),
        Err(()) => not_known(KMS, i, r, "the encryption type", at, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    fn repo(extra: Value, unknown: &[&str]) -> Resource {
        let mut attrs = json!({
            "name": "app", "image_tag_mutability": "IMMUTABLE",
            "image_scanning_configuration": {"scan_on_push": true},
            "encryption_configuration": {"encryption_type": "KMS", "kms_key": "arn:aws:kms:eu-west-1:111122223333:key/k"},
            "policy": null, "lifecycle_policy": "{\"rules\":[]}"
        });
        for (k, v) in extra.as_object().into_iter().flatten() {
            attrs[k] = v.clone();
        }
        resource("aws_ecr_repository", attrs, unknown)
    }

    const OPEN: &str =
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]}]}"#;
    const ORG_ONLY: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:*",
        "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#;

    #[test]
    fn repositories() {
        let batch = [
            repo(json!({"policy": ORG_ONLY}), &[]),
            repo(
                json!({"image_tag_mutability": "MUTABLE", "image_scanning_configuration": {"scan_on_push": false},
                       "encryption_configuration": {"encryption_type": "AES256", "kms_key": null},
                       "policy": OPEN, "lifecycle_policy": null}),
                &[],
            ),
            repo(
                json!({"image_tag_mutability": null, "image_scanning_configuration": null,
                       "encryption_configuration": null, "policy": null, "lifecycle_policy": null}),
                &[
                    "/image_tag_mutability",
                    "/image_scanning_configuration",
                    "/encryption_configuration",
                    "/policy",
                    "/lifecycle_policy",
                ],
            ),
            repo(
                json!({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION", "policy": "not json"}),
                &[],
            ),
        ];
        let f = run::<EcrPack>("aws_ecr_repository", &batch, json!({}));
        for rule in [SCAN_ON_PUSH, IMMUTABLE_TAGS, LIFECYCLE, KMS] {
            assert_eq!(
                verdicts_of(&f, rule),
                vec![(1, "fail"), (2, "unknown")],
                "{rule}"
            );
        }
        assert_eq!(
            verdicts_of(&f, PUBLIC_POLICY),
            vec![(1, "fail"), (2, "unknown"), (3, "unknown")]
        );
    }
}
