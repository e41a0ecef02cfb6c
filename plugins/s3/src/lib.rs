//! Built-in S3 rules: default encryption, public access (blocks, ACLs,
//! policies), TLS-only access, versioning and replication of critical data.
//! Metadata and documentation come from `rules/catalog/`.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::policy::Statement;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::s3::{self as bucket, Exposure, NotKnown, recorded};
use serde_json::Value;

pub const DEFAULT_ENCRYPTION: &str = "PILLAR-S3-001";
pub const BUCKET_PUBLIC_ACCESS_BLOCK: &str = "PILLAR-S3-002";
pub const ACCOUNT_PUBLIC_ACCESS_BLOCK: &str = "PILLAR-S3-003";
pub const PUBLIC_ACL: &str = "PILLAR-S3-004";
pub const PUBLIC_POLICY: &str = "PILLAR-S3-005";
pub const TLS_ONLY: &str = "PILLAR-S3-006";
pub const VERSIONING: &str = "PILLAR-S3-007";
pub const CRITICAL_REPLICATION: &str = "PILLAR-S3-008";

/// The four settings of a public access block, in the console's order.
const BLOCK_FLAGS: &[&str] = &[
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];

pub struct S3Pack;

impl RulePack for S3Pack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-s3", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let config = config::current();
        for (i, r) in batch.iter().enumerate() {
            match kind {
                "aws_s3_bucket" => {
                    default_encryption(i, r, out);
                    public_access_block(
                        BUCKET_PUBLIC_ACCESS_BLOCK,
                        i,
                        r,
                        "/public_access_block",
                        out,
                    );
                    public_acl(i, r, out);
                    policy_rules(i, r, out);
                    versioning(i, r, out);
                    critical_replication(i, r, &config, out);
                }
                "aws_s3_account_public_access_block" => {
                    public_access_block(ACCOUNT_PUBLIC_ACCESS_BLOCK, i, r, "", out);
                }
                other => return Err(EvalError::UnsupportedKind(other.to_owned())),
            }
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(S3Pack);

fn not_known(out: &mut dyn Sink, rule: &str, i: usize, r: &Resource, pointer: &str, what: &str) {
    out.unknown(
        rule,
        i,
        format!(
            "{}: {what} is not known (computed at apply, or not collected)",
            r.display_name()
        ),
        Some(pointer.to_owned()),
    );
}

fn default_encryption(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/server_side_encryption_configuration";
    match r.attr(pointer) {
        Attr::Unknown => not_known(out, DEFAULT_ENCRYPTION, i, r, pointer, "the default encryption"),
        Attr::Absent if !recorded(r, pointer) => {
            not_known(out, DEFAULT_ENCRYPTION, i, r, pointer, "the default encryption")
        }
        Attr::Absent => out.fail(
            DEFAULT_ENCRYPTION,
            i,
            format!(
                "{}: no default encryption is configured (S3 applies SSE-S3 to new objects since January 2023, \
                 but the bucket does not declare it or choose a KMS key)",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
        Attr::Known(_) => {}
    }
}

/// PILLAR-S3-002 on a bucket (`base` = `/public_access_block`) and
/// PILLAR-S3-003 on the account-level block (`base` = ``).
fn public_access_block(rule: &str, i: usize, r: &Resource, base: &str, out: &mut dyn Sink) {
    let name = if base.is_empty() {
        format!("account {}", r.account.as_deref().unwrap_or("?"))
    } else {
        r.display_name().to_owned()
    };
    if !base.is_empty() {
        match r.attr(base) {
            Attr::Unknown => return not_known(out, rule, i, r, base, "the public access block"),
            Attr::Absent if !recorded(r, base) => {
                return not_known(out, rule, i, r, base, "the public access block");
            }
            Attr::Absent => {
                return out.fail(
                    rule,
                    i,
                    format!("{name}: the bucket has no public access block"),
                    Some(base.into()),
                );
            }
            Attr::Known(_) => {}
        }
    }
    let mut off = Vec::new();
    let mut unknown = None;
    for flag in BLOCK_FLAGS {
        let pointer = format!("{base}/{flag}");
        match r.flag(&pointer, false) {
            None => {
                unknown.get_or_insert(pointer);
            }
            Some(false) => off.push((*flag, pointer)),
            Some(true) => {}
        }
    }
    if let Some((_, first)) = off.first() {
        let names: Vec<&str> = off.iter().map(|(f, _)| *f).collect();
        out.fail(
            rule,
            i,
            format!(
                "{name}: the public access block leaves {} off",
                names.join(", ")
            ),
            Some(first.clone()),
        );
    } else if let Some(pointer) = unknown {
        out.unknown(
            rule,
            i,
            format!("{name}: a public access block setting is not known until apply"),
            Some(pointer),
        );
    }
}

fn public_acl(i: usize, r: &Resource, out: &mut dyn Sink) {
    match bucket::acl_exposure(r, "") {
        Exposure::Private => {}
        Exposure::Public { why, pointer } => out.fail(
            PUBLIC_ACL,
            i,
            format!("{}: {why}", r.display_name()),
            Some(pointer),
        ),
        Exposure::Unknown(NotKnown { pointer, why }) => out.unknown(
            PUBLIC_ACL,
            i,
            format!("{}: {why}", r.display_name()),
            Some(pointer),
        ),
    }
}

/// PILLAR-S3-005 (public policy) and PILLAR-S3-006 (TLS-only policy).
fn policy_rules(i: usize, r: &Resource, out: &mut dyn Sink) {
    let name = r.display_name();
    let public_by_aws = r.flag("/policy_is_public", false) == Some(true);
    if public_by_aws {
        out.fail(
            PUBLIC_POLICY,
            i,
            format!("{name}: AWS reports the bucket policy as public"),
            Some("/policy_is_public".into()),
        );
    }
    let statements = match bucket::policy_statements(r, "") {
        Ok(s) => s,
        Err(NotKnown { pointer, why }) => {
            let message = format!("{name}: {why}");
            out.unknown(PUBLIC_POLICY, i, message.clone(), Some(pointer.clone()));
            return out.unknown(TLS_ONLY, i, message, Some(pointer));
        }
    };
    if !public_by_aws && let Some((n, s)) = bucket::public_statement(&statements) {
        out.fail(
            PUBLIC_POLICY,
            i,
            format!(
                "{name}: policy statement {n} allows {} to anyone, without a condition",
                s.actions.join(", ")
            ),
            Some("/policy".into()),
        );
    }
    if !statements.iter().any(denies_plain_http) {
        out.fail(
            TLS_ONLY,
            i,
            format!("{name}: no bucket policy statement denies requests without TLS (aws:SecureTransport = false)"),
            Some("/policy".into()),
        );
    }
}

/// `Deny` to anyone of S3 actions when `aws:SecureTransport` is false.
fn denies_plain_http(s: &Statement) -> bool {
    !s.allow
        && s.anyone()
        && !s.not_action
        && s.actions
            .iter()
            .any(|a| a == "*" || a == "s3:*" || a.starts_with("s3:Get"))
        && s.condition_values("aws:SecureTransport")
            .iter()
            .any(|v| v.eq_ignore_ascii_case("false"))
}

fn versioning(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/versioning/enabled";
    if !recorded(r, "/versioning") {
        return not_known(out, VERSIONING, i, r, "/versioning", "versioning");
    }
    match r.flag(pointer, false) {
        None => not_known(out, VERSIONING, i, r, pointer, "versioning"),
        Some(false) => out.fail(
            VERSIONING,
            i,
            format!("{}: versioning is not enabled", r.display_name()),
            Some(pointer.into()),
        ),
        Some(true) => {}
    }
}

fn critical_replication(i: usize, r: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = r.display_name();
    let key = config.string(CRITICAL_REPLICATION, "tag_key");
    let values = config.strings(CRITICAL_REPLICATION, "tag_values");
    if r.tags_unknown() {
        return not_known(
            out,
            CRITICAL_REPLICATION,
            i,
            r,
            "/tags",
            "whether the bucket is critical (its tags)",
        );
    }
    let Some(tag) = r
        .tag_ignore_case(&key)
        .filter(|v| values.iter().any(|c| c.eq_ignore_ascii_case(v.trim())))
    else {
        return;
    };
    let pointer = "/replication_configuration";
    let rules = match r.attr(pointer) {
        Attr::Unknown => return not_known(out, CRITICAL_REPLICATION, i, r, pointer, "replication"),
        Attr::Absent if !recorded(r, pointer) => {
            return not_known(out, CRITICAL_REPLICATION, i, r, pointer, "replication");
        }
        Attr::Absent => Vec::new(),
        Attr::Known(v) => v
            .get("rules")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
    };
    let home = r.region.as_deref().unwrap_or_default();
    let mut undecided = false;
    for rule in rules
        .iter()
        .filter(|x| x.get("status").and_then(Value::as_str) == Some("Enabled"))
    {
        match rule.pointer("/destination/region").and_then(Value::as_str) {
            Some(region) if region != home => return,
            Some(_) => {}
            None => undecided = true,
        }
    }
    if undecided {
        return out.unknown(
            CRITICAL_REPLICATION,
            i,
            format!(
                "{name}: replication is enabled but the destination bucket's region is not known"
            ),
            Some(pointer.into()),
        );
    }
    out.fail(
        CRITICAL_REPLICATION,
        i,
        format!("{name} is tagged {key}={tag} but is not replicated to another region"),
        Some(pointer.into()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    const TLS_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

    fn good() -> Value {
        json!({"bucket": "b",
               "server_side_encryption_configuration": {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]},
               "public_access_block": {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true},
               "acl": "private", "acl_grants": [], "policy": TLS_POLICY, "policy_is_public": false,
               "versioning": {"enabled": true, "mfa_delete": false},
               "replication_configuration": null, "tags": {}})
    }

    fn with(change: Value) -> Value {
        let mut v = good();
        for (k, x) in change.as_object().cloned().unwrap_or_default() {
            v[k] = x;
        }
        v
    }

    fn bucket(attrs: Value, unknown: &[&str]) -> Resource {
        resource("aws_s3_bucket", attrs, unknown)
    }

    fn s3(batch: &[Resource]) -> pillar_rule_sdk::Findings {
        run::<S3Pack>("aws_s3_bucket", batch, json!({}))
    }

    #[test]
    fn each_setting_fails_its_rule() {
        assert!(s3(&[bucket(good(), &[])]).0.is_empty());
        let public_policy = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let cases = [
            (
                json!({"server_side_encryption_configuration": null}),
                vec![DEFAULT_ENCRYPTION],
            ),
            (
                json!({"public_access_block": null}),
                vec![BUCKET_PUBLIC_ACCESS_BLOCK],
            ),
            (
                json!({"public_access_block": {"block_public_acls": true}}),
                vec![BUCKET_PUBLIC_ACCESS_BLOCK],
            ),
            (json!({"acl": "public-read"}), vec![PUBLIC_ACL]),
            (
                json!({"acl": null, "acl_grants": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}]}),
                vec![PUBLIC_ACL],
            ),
            (
                json!({"policy": public_policy}),
                vec![PUBLIC_POLICY, TLS_ONLY],
            ),
            (json!({"policy": null}), vec![TLS_ONLY]),
            (json!({"versioning": {"enabled": false}}), vec![VERSIONING]),
            (
                json!({"tags": {"criticality": "critical"}}),
                vec![CRITICAL_REPLICATION],
            ),
        ];
        for (change, rules) in cases {
            let f = s3(&[bucket(with(change.clone()), &[])]);
            let got: Vec<&str> = f.0.iter().map(|e| e.rule_id.as_str()).collect();
            assert_eq!(got, rules, "{change}");
            assert!(f.0.iter().all(|e| e.verdict == "fail"));
        }
    }

    #[test]
    fn unknown_or_unrecorded_values_are_unknown() {
        for (pointer, rules) in [
            (
                "/server_side_encryption_configuration",
                vec![DEFAULT_ENCRYPTION],
            ),
            ("/public_access_block", vec![BUCKET_PUBLIC_ACCESS_BLOCK]),
            ("/acl", vec![PUBLIC_ACL]),
            ("/policy", vec![PUBLIC_POLICY, TLS_ONLY]),
            ("/versioning", vec![VERSIONING]),
        ] {
            let f = s3(&[bucket(good(), &[pointer])]);
            assert_eq!(
                f.0.iter().map(|e| e.rule_id.as_str()).collect::<Vec<_>>(),
                rules,
                "{pointer}"
            );
            assert!(f.0.iter().all(|e| e.verdict == "unknown"));
            // Missing keys are "not recorded", not "none".
            let mut missing = good();
            missing.as_object_mut().map(|m| m.remove(&pointer[1..]));
            let f = s3(&[bucket(missing, &[])]);
            assert!(
                f.0.iter().all(|e| e.verdict == "unknown"),
                "{pointer}: {:?}",
                f.0
            );
        }
    }

    #[test]
    fn critical_buckets_need_a_replica_in_another_region() {
        let tagged = |replication: Value| {
            bucket(
                with(
                    json!({"tags": {"Criticality": "critical"}, "replication_configuration": replication}),
                ),
                &[],
            )
        };
        let elsewhere = json!({"rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::c", "region": "eu-central-1"}}]});
        let same = json!({"rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::c", "region": "eu-west-1"}}]});
        let unknown_region = json!({"rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::c", "region": null}}]});
        let f = s3(&[tagged(elsewhere), tagged(same), tagged(unknown_region)]);
        assert_eq!(
            verdicts_of(&f, CRITICAL_REPLICATION),
            vec![(1, "fail"), (2, "unknown")]
        );
        let custom = run::<S3Pack>(
            "aws_s3_bucket",
            &[bucket(with(json!({"tags": {"tier": "gold"}})), &[])],
            json!({"PILLAR-S3-008": {"tag_key": "tier", "tag_values": ["gold"]}}),
        );
        assert_eq!(
            verdicts_of(&custom, CRITICAL_REPLICATION),
            vec![(0, "fail")]
        );
    }

    #[test]
    fn account_level_block() {
        let batch = [
            resource(
                "aws_s3_account_public_access_block",
                json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}),
                &[],
            ),
            resource(
                "aws_s3_account_public_access_block",
                json!({"block_public_acls": true, "ignore_public_acls": false, "block_public_policy": true, "restrict_public_buckets": true}),
                &[],
            ),
            resource(
                "aws_s3_account_public_access_block",
                json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true}),
                &["/restrict_public_buckets"],
            ),
        ];
        let f = run::<S3Pack>("aws_s3_account_public_access_block", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, ACCOUNT_PUBLIC_ACCESS_BLOCK),
            vec![(1, "fail"), (2, "unknown")]
        );
    }
}
