//! Account-wide IAM settings: the account summary (root MFA and keys) and
//! the password policy.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::SummaryKeyType;
use serde_json::{Value, json};

use super::credential_report::Report;
use crate::convert::object;
use crate::gap::Failure;
use crate::part::{Part, Scope};

pub(super) async fn account_summary(
    client: &Client,
    scope: &Scope,
    report: Option<&Report>,
    part: &mut Part,
) {
    let id = format!("arn:{}:iam::{}:root", scope.partition, scope.account);
    let out = match client.get_account_summary().send().await {
        Ok(o) => o,
        Err(e) => {
            part.gaps.push(Failure::of(&e).gap(
                scope,
                "iam:GetAccountSummary",
                "aws_iam_account_summary",
                None,
            ));
            return;
        }
    };
    let map = out.summary_map();
    let flag = |k: SummaryKeyType| map.and_then(|m| m.get(&k)).map(|v| *v > 0);
    let mut unknown = Vec::new();
    let root_used = match report {
        Some(r) => json!(r.get("<root_account>").cloned().flatten()),
        None => {
            unknown.push("/root_password_last_used".to_owned());
            Value::Null
        }
    };
    let attrs = json!({
        "account_mfa_enabled": flag(SummaryKeyType::AccountMfaEnabled).unwrap_or(false),
        "account_access_keys_present": flag(SummaryKeyType::AccountAccessKeysPresent).unwrap_or(false),
        "root_password_last_used": root_used,
    });
    let mut r = scope.resource("aws_iam_account_summary", id, object(attrs));
    r.unknown = unknown;
    part.resources.push(r);
}

pub(super) async fn password_policy(client: &Client, scope: &Scope, part: &mut Part) {
    let id = format!(
        "arn:{}:iam::{}:account-password-policy",
        scope.partition, scope.account
    );
    let attrs = match client.get_account_password_policy().send().await {
        Ok(out) => match out.password_policy() {
            Some(p) => json!({
                "configured": true,
                "minimum_password_length": p.minimum_password_length(),
                "require_lowercase_characters": p.require_lowercase_characters(),
                "require_uppercase_characters": p.require_uppercase_characters(),
                "require_numbers": p.require_numbers(),
                "require_symbols": p.require_symbols(),
                "allow_users_to_change_password": p.allow_users_to_change_password(),
                "max_password_age": p.max_password_age(),
                "password_reuse_prevention": p.password_reuse_prevention(),
                "hard_expiry": p.hard_expiry().unwrap_or(false),
            }),
            None => json!({"configured": false}),
        },
        Err(e) => {
            let f = Failure::of(&e);
            if f.is(&["NoSuchEntity"]) {
                json!({"configured": false})
            } else {
                part.gaps.push(f.gap(
                    scope,
                    "iam:GetAccountPasswordPolicy",
                    "aws_iam_account_password_policy",
                    None,
                ));
                return;
            }
        }
    };
    part.resources
        .push(scope.resource("aws_iam_account_password_policy", id, object(attrs)));
}
