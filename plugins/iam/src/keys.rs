//! Credentials: console MFA (PILLAR-IAM-001), the root user (-002, -003),
//! access key age and use (-004, -005), the password policy (-009).

use pillar_rule_sdk::mask::mask;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::time::{days_between, parse_rfc3339};
use serde_json::Value;

use crate::{CONSOLE_MFA, KEY_ROTATION, PASSWORD_POLICY, ROOT_ACCESS_KEYS, ROOT_MFA, UNUSED_KEYS};

pub fn console_mfa(i: usize, r: &Resource, out: &mut dyn Sink) {
    let name = r.display_name();
    let unknown = |out: &mut dyn Sink, pointer: &str| {
        out.unknown(
            CONSOLE_MFA,
            i,
            format!("{name}: {} is not recorded or not known", &pointer[1..]),
            Some(pointer.to_owned()),
        );
    };
    // Plans do not record console access: missing is "not recorded".
    match r.attr("/password_enabled") {
        Attr::Unknown | Attr::Absent => return unknown(out, "/password_enabled"),
        Attr::Known(v) if v.as_bool() != Some(true) => return,
        Attr::Known(_) => {}
    }
    match r.attr("/mfa_devices") {
        Attr::Known(Value::Array(devices)) if devices.is_empty() => out.fail(
            CONSOLE_MFA,
            i,
            format!("{name} can sign in to the console with a password and has no MFA device"),
            Some("/mfa_devices".into()),
        ),
        Attr::Known(_) => {}
        Attr::Unknown | Attr::Absent => unknown(out, "/mfa_devices"),
    }
}

pub fn root(i: usize, r: &Resource, out: &mut dyn Sink) {
    let account = r.account.as_deref().unwrap_or("the account");
    for (rule, pointer, bad, message) in [
        (
            ROOT_MFA,
            "/account_mfa_enabled",
            false,
            "the root user has no MFA device",
        ),
        (
            ROOT_ACCESS_KEYS,
            "/account_access_keys_present",
            true,
            "the root user has access keys",
        ),
    ] {
        match r.attr(pointer).as_bool() {
            Some(Some(v)) if v == bad => out.fail(
                rule,
                i,
                format!("{account}: {message}"),
                Some(pointer.into()),
            ),
            Some(Some(_)) => {}
            _ => out.unknown(
                rule,
                i,
                format!("{account}: {} is not recorded", &pointer[1..]),
                Some(pointer.into()),
            ),
        }
    }
}

/// PILLAR-IAM-004 and -005 over a user's active access keys.
pub fn access_keys(i: usize, r: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = r.display_name();
    let keys = match r.attr("/access_keys") {
        Attr::Known(Value::Array(keys)) => keys,
        Attr::Known(_) => return,
        // Plans do not join access keys: nothing to judge, but say so.
        Attr::Unknown | Attr::Absent => {
            for rule in [KEY_ROTATION, UNUSED_KEYS] {
                out.unknown(
                    rule,
                    i,
                    format!("{name}: the user's access keys are not recorded"),
                    Some("/access_keys".into()),
                );
            }
            return;
        }
    };
    let active: Vec<(usize, &Value)> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.get("status").and_then(Value::as_str) == Some("Active"))
        .collect();
    if active.is_empty() {
        return;
    }
    let Some(now) = config.now() else {
        for rule in [KEY_ROTATION, UNUSED_KEYS] {
            out.unknown(
                rule,
                i,
                format!("{name}: the scan time is not known, so key ages are not either"),
                Some("/access_keys".into()),
            );
        }
        return;
    };
    let max_age = config.int(KEY_ROTATION, "max_age_days");
    let max_unused = config.int(UNUSED_KEYS, "max_unused_days");
    let mut old = Vec::new();
    let mut unused = Vec::new();
    let mut undecided = None;
    for (k, key) in &active {
        let id = key
            .get("access_key_id")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let shown = mask(id, 4);
        let Some(created) = key
            .get("create_date")
            .and_then(Value::as_str)
            .and_then(parse_rfc3339)
        else {
            undecided.get_or_insert(format!("/access_keys/{k}/create_date"));
            continue;
        };
        let age = days_between(created, now);
        if age > max_age {
            old.push((format!("{shown} is {age} days old"), *k));
        }
        let last = key.get("last_used_date").and_then(Value::as_str);
        let idle = match last.and_then(parse_rfc3339) {
            Some(used) => Some((days_between(used, now), "unused for")),
            None if last.is_none() => Some((age, "never used in")),
            None => None,
        };
        if let Some((days, how)) = idle
            && days > max_unused
        {
            unused.push((format!("{shown} {how} {days} days"), *k));
        }
    }
    for (rule, found, limit) in [
        (KEY_ROTATION, old, max_age),
        (UNUSED_KEYS, unused, max_unused),
    ] {
        if let Some((_, k)) = found.first() {
            let listed: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
            out.fail(
                rule,
                i,
                format!(
                    "{name}: active access key {} (limit {limit} days)",
                    listed.join("; ")
                ),
                Some(format!("/access_keys/{k}")),
            );
        } else if let Some(pointer) = &undecided {
            out.unknown(
                rule,
                i,
                format!("{name}: an access key's creation date is not readable"),
                Some(pointer.clone()),
            );
        }
    }
}

pub fn password_policy(i: usize, r: &Resource, config: &Config, out: &mut dyn Sink) {
    let account = r.account.as_deref().unwrap_or("the account");
    match r.flag("/configured", true) {
        None => {
            return out.unknown(
                PASSWORD_POLICY,
                i,
                format!("{account}: whether a password policy exists is not known"),
                Some("/configured".into()),
            );
        }
        Some(false) => {
            return out.fail(PASSWORD_POLICY, i, format!("{account} has no password policy (IAM's defaults allow 8-character passwords of one character class)"), Some("/configured".into()));
        }
        Some(true) => {}
    }
    let mut weak = Vec::new();
    let mut unknown = None;
    let int = |pointer: &str| match r.attr(pointer) {
        Attr::Unknown => Err(()),
        Attr::Known(v) => Ok(pillar_rule_sdk::checks::as_i64(v)),
        Attr::Absent => Ok(None),
    };
    let min_length = config.int(PASSWORD_POLICY, "min_length");
    match int("/minimum_password_length") {
        Err(()) => unknown = Some("/minimum_password_length"),
        Ok(n) if n.unwrap_or(6) < min_length => {
            weak.push((
                format!("minimum length {} (at least {min_length})", n.unwrap_or(6)),
                "/minimum_password_length".to_owned(),
            ));
        }
        Ok(_) => {}
    }
    if config.bool(PASSWORD_POLICY, "require_all_character_classes") {
        for field in [
            "require_lowercase_characters",
            "require_uppercase_characters",
            "require_numbers",
            "require_symbols",
        ] {
            let pointer = format!("/{field}");
            match r.flag(&pointer, false) {
                None => {
                    unknown.get_or_insert("/require_symbols");
                }
                Some(false) => weak.push((format!("{field} is off"), pointer)),
                Some(true) => {}
            }
        }
    }
    let reuse = config.int(PASSWORD_POLICY, "min_reuse_prevention");
    match int("/password_reuse_prevention") {
        Err(()) => {
            unknown.get_or_insert("/password_reuse_prevention");
        }
        Ok(n) if reuse > 0 && n.unwrap_or(0) < reuse => weak.push((
            format!(
                "remembers {} previous passwords (at least {reuse})",
                n.unwrap_or(0)
            ),
            "/password_reuse_prevention".to_owned(),
        )),
        Ok(_) => {}
    }
    let max_age = config.int(PASSWORD_POLICY, "max_password_age_days");
    match int("/max_password_age") {
        Err(()) => {
            unknown.get_or_insert("/max_password_age");
        }
        Ok(n) if max_age > 0 && !matches!(n, Some(d) if d > 0 && d <= max_age) => weak.push((
            match n.filter(|d| *d > 0) {
                Some(d) => format!("passwords expire after {d} days (at most {max_age})"),
                None => format!("passwords never expire (at most {max_age} days)"),
            },
            "/max_password_age".to_owned(),
        )),
        Ok(_) => {}
    }
    if let Some((_, pointer)) = weak.first() {
        let listed: Vec<&str> = weak.iter().map(|(s, _)| s.as_str()).collect();
        out.fail(
            PASSWORD_POLICY,
            i,
            format!(
                "{account}: the password policy is weak: {}",
                listed.join("; ")
            ),
            Some(pointer.clone()),
        );
    } else if let Some(pointer) = unknown {
        out.unknown(
            PASSWORD_POLICY,
            i,
            format!("{account}: a password policy setting is not known until apply"),
            Some(pointer.to_owned()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IamPack;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    const SCAN: &str = "2026-11-01T06:00:00Z";

    #[test]
    fn console_users_need_mfa() {
        let batch = [
            resource(
                "aws_iam_user",
                json!({"name": "a", "password_enabled": true, "mfa_devices": [], "access_keys": []}),
                &[],
            ),
            resource(
                "aws_iam_user",
                json!({"name": "b", "password_enabled": true, "mfa_devices": [{"serial_number": "x"}], "access_keys": []}),
                &[],
            ),
            resource(
                "aws_iam_user",
                json!({"name": "c", "password_enabled": false, "mfa_devices": [], "access_keys": []}),
                &[],
            ),
            resource("aws_iam_user", json!({"name": "d", "access_keys": []}), &[]),
        ];
        let f = run::<IamPack>("aws_iam_user", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, CONSOLE_MFA),
            vec![(0, "fail"), (3, "unknown")]
        );
    }

    #[test]
    fn access_keys_age_and_idle_time() {
        let key = |created: &str, used: Value| json!({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "status": "Active", "create_date": created, "last_used_date": used});
        let user = |keys: Value| {
            resource(
                "aws_iam_user",
                json!({"name": "u", "password_enabled": false, "access_keys": keys}),
                &[],
            )
        };
        let batch = [
            user(json!([key(
                "2026-01-01T00:00:00Z",
                json!("2026-10-30T00:00:00Z")
            )])),
            user(json!([key("2026-10-01T00:00:00Z", Value::Null)])),
            user(json!([key(
                "2026-05-01T00:00:00Z",
                json!("2026-06-01T00:00:00Z")
            )])),
            user(
                json!([{"access_key_id": "AKIAIOSFODNN7EXAMPLE", "status": "Inactive", "create_date": "2020-01-01T00:00:00Z"}]),
            ),
        ];
        let f = run::<IamPack>("aws_iam_user", &batch, json!({"_scan": {"now": SCAN}}));
        assert_eq!(
            verdicts_of(&f, KEY_ROTATION),
            vec![(0, "fail"), (2, "fail")]
        );
        assert_eq!(verdicts_of(&f, UNUSED_KEYS), vec![(2, "fail")]);
        assert!(
            f.0.iter().all(|e| !e.message.contains("IOSFODNN7EXAMPLE")),
            "key ids are masked"
        );
        let lenient = run::<IamPack>(
            "aws_iam_user",
            &batch,
            json!({"_scan": {"now": SCAN}, "PILLAR-IAM-004": {"max_age_days": 365}}),
        );
        assert!(verdicts_of(&lenient, KEY_ROTATION).is_empty());
        let no_time = run::<IamPack>("aws_iam_user", &batch[..1], json!({}));
        assert_eq!(verdicts_of(&no_time, KEY_ROTATION), vec![(0, "unknown")]);
    }

    #[test]
    fn root_user() {
        let batch = [
            resource(
                "aws_iam_account_summary",
                json!({"account_mfa_enabled": false, "account_access_keys_present": true}),
                &[],
            ),
            resource(
                "aws_iam_account_summary",
                json!({"account_mfa_enabled": true, "account_access_keys_present": false}),
                &[],
            ),
            resource(
                "aws_iam_account_summary",
                json!({}),
                &["/account_mfa_enabled", "/account_access_keys_present"],
            ),
        ];
        let f = run::<IamPack>("aws_iam_account_summary", &batch, json!({}));
        assert_eq!(verdicts_of(&f, ROOT_MFA), vec![(0, "fail"), (2, "unknown")]);
        assert_eq!(
            verdicts_of(&f, ROOT_ACCESS_KEYS),
            vec![(0, "fail"), (2, "unknown")]
        );
    }

    #[test]
    fn password_policy_strength() {
        let strong = json!({"configured": true, "minimum_password_length": 14, "require_lowercase_characters": true,
            "require_uppercase_characters": true, "require_numbers": true, "require_symbols": true,
            "password_reuse_prevention": 24, "max_password_age": 90});
        let mut weak = strong.clone();
        weak["minimum_password_length"] = json!(8);
        let batch = [
            resource("aws_iam_account_password_policy", strong.clone(), &[]),
            resource("aws_iam_account_password_policy", weak, &[]),
            resource(
                "aws_iam_account_password_policy",
                json!({"configured": false}),
                &[],
            ),
            resource(
                "aws_iam_account_password_policy",
                strong,
                &["/minimum_password_length"],
            ),
        ];
        let f = run::<IamPack>("aws_iam_account_password_policy", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, PASSWORD_POLICY),
            vec![(1, "fail"), (2, "fail"), (3, "unknown")]
        );
        let relaxed = run::<IamPack>(
            "aws_iam_account_password_policy",
            &batch[1..2],
            json!({"PILLAR-IAM-009": {"min_length": 8}}),
        );
        assert!(relaxed.0.is_empty());
    }
}
