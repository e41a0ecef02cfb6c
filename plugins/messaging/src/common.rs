//! What topics and queues share: a `policy` (JSON text) and a
//! `kms_master_key_id`.

use pillar_rule_sdk::policy;
use pillar_rule_sdk::prelude::*;

pub fn unknown(rule: &str, i: usize, r: &Resource, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{}: {what} is not known", r.display_name()),
        Some(at.into()),
    );
}

/// A policy statement that allows anyone (`*`, `{"AWS": "*"}`) with no
/// condition naming an account, organisation, source or network. `null`
/// is AWS's default policy (the owner alone).
pub fn public_policy(rule: &str, what: &str, i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/policy";
    let text = match r.text(at) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(()) => return unknown(rule, i, r, &format!("the {what} policy"), at, out),
    };
    let Ok(statements) = policy::parse(text) else {
        return unknown(
            rule,
            i,
            r,
            &format!("the {what} policy (unreadable)"),
            at,
            out,
        );
    };
    if let Some((n, s)) = statements
        .iter()
        .enumerate()
        .find(|(_, s)| s.open_to_anyone())
    {
        let actions = if s.not_action {
            format!("every action but {}", s.actions.join(", "))
        } else {
            s.actions.join(", ")
        };
        out.fail(
            rule,
            i,
            format!(
                "{}: {what} policy statement {} allows anyone ({actions}) with no condition on the caller's account, organisation or source",
                r.display_name(),
                n + 1
            ),
            Some(at.into()),
        );
    }
}

/// Encrypted, but under the AWS-managed key (`alias/aws/sns`,
/// `alias/aws/sqs`), whose policy the account cannot change.
pub fn aws_managed_key(rule: &str, alias: &str, i: usize, r: &Resource, out: &mut dyn Sink) {
    let at = "/kms_master_key_id";
    let Ok(Some(key)) = r.text(at) else {
        // Unknown or none: whether it is encrypted at all is another rule's.
        if r.is_unknown(at) {
            unknown(rule, i, r, "the KMS key", at, out);
        }
        return;
    };
    if key == alias || key.ends_with(&format!(":{alias}")) {
        out.fail(
            rule,
            i,
            format!(
                "{}: encrypted with the AWS-managed key {alias}, whose key policy cannot limit who decrypts",
                r.display_name()
            ),
            Some(at.into()),
        );
    }
}
