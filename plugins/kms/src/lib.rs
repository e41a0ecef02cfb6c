//! Built-in KMS rules on customer-managed keys: rotation of symmetric keys
//! (PILLAR-KMS-001), key policies that let anyone use the key
//! (PILLAR-KMS-002), and keys disabled or scheduled for deletion while
//! resources still use them (PILLAR-KMS-003, from the host-derived
//! `used_by`).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::iam::parse_policy;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

pub const ROTATION: &str = "PILLAR-KMS-001";
pub const PUBLIC_POLICY: &str = "PILLAR-KMS-002";
pub const UNUSABLE_IN_USE: &str = "PILLAR-KMS-003";

pub struct KmsPack;

impl RulePack for KmsPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-kms", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_kms_key" => {
                for (i, key) in batch.iter().enumerate() {
                    // AWS-managed keys rotate yearly and carry AWS's policy.
                    if key.attr("/key_manager").as_str() == Some("AWS") {
                        continue;
                    }
                    rotation(i, key, out);
                    public_policy(i, key, out);
                    unusable_in_use(i, key, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(KmsPack);

/// `Some(true)` when `pointer` holds `want`, or is absent and `want` is
/// KMS's default for it; `None` when unknown.
fn is(key: &Resource, pointer: &str, want: &str, default: &str) -> Option<bool> {
    match key.attr(pointer) {
        Attr::Unknown => None,
        Attr::Absent => Some(want == default),
        a => Some(a.as_str() == Some(want)),
    }
}

fn unknown(rule: &str, i: usize, key: &Resource, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{}: {what} is not known", key.display_name()),
        Some(at.into()),
    );
}

/// PILLAR-KMS-001: an enabled symmetric encryption key of KMS's own
/// material rotates its material yearly. Other keys cannot rotate and are
/// not judged.
fn rotation(i: usize, key: &Resource, out: &mut dyn Sink) {
    // Absent spec, usage and origin are CreateKey's defaults (moto leaves
    // out what it was not given); an absent state is not assumed.
    for (pointer, want, default) in [
        (
            "/customer_master_key_spec",
            "SYMMETRIC_DEFAULT",
            "SYMMETRIC_DEFAULT",
        ),
        ("/key_usage", "ENCRYPT_DECRYPT", "ENCRYPT_DECRYPT"),
        ("/origin", "AWS_KMS", "AWS_KMS"),
        ("/key_state", "Enabled", ""),
    ] {
        match is(key, pointer, want, default) {
            Some(true) => {}
            Some(false) => return,
            None => return unknown(ROTATION, i, key, "whether the key can rotate", pointer, out),
        }
    }
    let pointer = "/enable_key_rotation";
    match key.flag(pointer, false) {
        Some(true) => {}
        Some(false) => out.fail(
            ROTATION,
            i,
            format!(
                "{}: automatic rotation of the key material is off",
                key.display_name()
            ),
            Some(pointer.into()),
        ),
        None => unknown(ROTATION, i, key, "whether rotation is on", pointer, out),
    }
}

/// PILLAR-KMS-002: a key policy statement allowing any principal, with no
/// condition, any KMS action. `null` is AWS's default key policy, which
/// grants the account alone.
fn public_policy(i: usize, key: &Resource, out: &mut dyn Sink) {
    let pointer = "/policy";
    let text = match key.text(pointer) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(()) => return unknown(PUBLIC_POLICY, i, key, "the key policy", pointer, out),
    };
    let statements = match parse_policy(text) {
        Ok(s) => s,
        Err(_) => {
            return unknown(
                PUBLIC_POLICY,
                i,
                key,
                "the key policy (unreadable)",
                pointer,
                out,
            );
        }
    };
    if let Some((n, s)) = statements
        .iter()
        .enumerate()
        .find(|(_, s)| s.is_allow() && s.is_public() && s.covers_action("kms:Decrypt"))
    {
        let actions = if s.actions.is_empty() {
            "every action but its NotAction".to_owned()
        } else {
            s.actions.join(", ")
        };
        out.fail(
            PUBLIC_POLICY,
            i,
            format!(
                "{}: key policy statement {} lets any principal use the key ({actions}) with no condition",
                key.display_name(),
                n + 1
            ),
            Some(pointer.into()),
        );
    }
}

/// PILLAR-KMS-003: a key that is disabled or scheduled for deletion while
/// resources in the snapshot still name it: their data cannot be read (or
/// will be lost with the key).
fn unusable_in_use(i: usize, key: &Resource, out: &mut dyn Sink) {
    let state = match key.attr("/key_state") {
        Attr::Known(Value::String(s)) => s.as_str(),
        Attr::Unknown => {
            return unknown(
                UNUSABLE_IN_USE,
                i,
                key,
                "the key's state",
                "/key_state",
                out,
            );
        }
        _ => return,
    };
    if !matches!(
        state,
        "Disabled" | "PendingDeletion" | "PendingReplicaDeletion"
    ) {
        return;
    }
    match key.attr("/used_by") {
        Attr::Known(Value::Array(users)) if !users.is_empty() => {
            let listed: Vec<&str> = users.iter().filter_map(Value::as_str).take(5).collect();
            let more = users.len().saturating_sub(listed.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            out.fail(
                UNUSABLE_IN_USE,
                i,
                format!(
                    "{}: the key is {state} but {} resource(s) still use it: {}{tail}",
                    key.display_name(),
                    users.len(),
                    listed.join(", ")
                ),
                Some("/used_by".into()),
            );
        }
        Attr::Known(Value::Array(_)) => {}
        _ => unknown(
            UNUSABLE_IN_USE,
            i,
            key,
            "which resources use the key",
            "/used_by",
            out,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    fn key(extra: Value, unknown: &[&str]) -> Resource {
        let mut attrs = json!({"key_id": "k", "key_manager": "CUSTOMER", "key_state": "Enabled",
            "customer_master_key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT",
            "origin": "AWS_KMS", "enable_key_rotation": true, "policy": null, "used_by": []});
        for (k, v) in extra.as_object().into_iter().flatten() {
            attrs[k] = v.clone();
        }
        resource("aws_kms_key", attrs, unknown)
    }

    #[test]
    fn rotation_is_judged_on_enabled_symmetric_customer_keys() {
        let batch = [
            key(json!({}), &[]),
            key(json!({"enable_key_rotation": false}), &[]),
            key(
                json!({"enable_key_rotation": false, "customer_master_key_spec": "RSA_2048"}),
                &[],
            ),
            key(
                json!({"enable_key_rotation": false, "key_manager": "AWS"}),
                &[],
            ),
            key(
                json!({"enable_key_rotation": null}),
                &["/enable_key_rotation"],
            ),
            // moto leaves out a usage it was not given: CreateKey's default.
            key(
                json!({"enable_key_rotation": false, "key_usage": null}),
                &[],
            ),
        ];
        let f = run::<KmsPack>("aws_kms_key", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, ROTATION),
            vec![(1, "fail"), (4, "unknown"), (5, "fail")]
        );
    }

    #[test]
    fn a_policy_granting_everyone_fails_and_a_conditioned_one_passes() {
        let open = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#;
        let narrowed = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}"#;
        let batch = [
            key(json!({"policy": open}), &[]),
            key(json!({"policy": narrowed}), &[]),
            key(json!({"policy": null}), &["/policy"]),
        ];
        let f = run::<KmsPack>("aws_kms_key", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, PUBLIC_POLICY),
            vec![(0, "fail"), (2, "unknown")]
        );
    }

    #[test]
    fn a_disabled_or_deleted_key_fails_only_while_something_uses_it() {
        let batch = [
            key(
                json!({"key_state": "PendingDeletion", "used_by": ["arn:db"]}),
                &[],
            ),
            key(json!({"key_state": "PendingDeletion", "used_by": []}), &[]),
            key(
                json!({"key_state": "Disabled", "used_by": null}),
                &["/used_by"],
            ),
            key(json!({"used_by": ["arn:db"]}), &[]),
        ];
        let f = run::<KmsPack>("aws_kms_key", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, UNUSABLE_IN_USE),
            vec![(0, "fail"), (2, "unknown")]
        );
    }
}
