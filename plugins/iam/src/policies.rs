//! Policies: full administrator access (PILLAR-IAM-006), service-wide
//! wildcards on every resource (-007), policies attached to users (-008).
//!
//! A principal (user, group, role) is judged on its inline policies and on
//! AWS's AdministratorAccess managed policy; customer-managed policies are
//! judged once, on the `aws_iam_policy` itself, when they are attached.

use pillar_rule_sdk::policy::{self, ADMINISTRATOR_ACCESS, Statement};
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{FULL_ADMIN, SERVICE_WILDCARD, USER_ATTACHED_POLICIES};

/// What a policy document grants that the two rules care about.
#[derive(Default)]
struct Grants {
    admin: Vec<String>,
    wildcards: Vec<String>,
    admin_at: Option<String>,
    wildcard_at: Option<String>,
    unknown_at: Option<String>,
}

impl Grants {
    fn judge(&mut self, label: &str, pointer: &str, statements: &[Statement]) {
        if statements.iter().any(Statement::is_full_admin) {
            self.admin.push(label.to_owned());
            self.admin_at.get_or_insert_with(|| pointer.to_owned());
        }
        let wild: Vec<&str> = statements
            .iter()
            .flat_map(Statement::service_wildcards)
            .collect();
        if !wild.is_empty() {
            self.wildcards
                .push(format!("{label} ({})", wild.join(", ")));
            self.wildcard_at.get_or_insert_with(|| pointer.to_owned());
        }
    }

    fn report(&self, i: usize, subject: &str, out: &mut dyn Sink) {
        for (rule, found, at, what) in [
            (
                FULL_ADMIN,
                &self.admin,
                &self.admin_at,
                "grants every action on every resource",
            ),
            (
                SERVICE_WILDCARD,
                &self.wildcards,
                &self.wildcard_at,
                "grants service-wide wildcards on every resource",
            ),
        ] {
            if let Some(at) = at {
                out.fail(
                    rule,
                    i,
                    format!("{subject}: {} {what}", found.join(", ")),
                    Some(at.clone()),
                );
            } else if let Some(at) = &self.unknown_at {
                out.unknown(
                    rule,
                    i,
                    format!("{subject}: a policy is not known or cannot be read"),
                    Some(at.clone()),
                );
            }
        }
    }
}

/// A user, group or role: inline policies and AdministratorAccess.
pub fn principal(i: usize, r: &Resource, out: &mut dyn Sink) {
    let kind = r.kind.trim_start_matches("aws_iam_");
    let subject = format!("{kind} {}", r.display_name());
    let mut grants = Grants::default();
    match r.attr("/managed_policy_arns") {
        Attr::Unknown => grants.unknown_at = Some("/managed_policy_arns".into()),
        Attr::Known(Value::Array(arns)) => {
            if let Some(n) = arns
                .iter()
                .position(|a| a.as_str() == Some(ADMINISTRATOR_ACCESS))
            {
                grants.admin.push("attached AdministratorAccess".into());
                grants.admin_at = Some(format!("/managed_policy_arns/{n}"));
            }
        }
        _ => {}
    }
    match r.attr("/inline_policies") {
        Attr::Unknown => {
            grants.unknown_at.get_or_insert("/inline_policies".into());
        }
        Attr::Known(Value::Array(list)) => {
            for n in 0..list.len() {
                let pointer = format!("/inline_policies/{n}/policy");
                let label = format!(
                    "inline policy {}",
                    r.attr(&format!("/inline_policies/{n}/name"))
                        .as_str()
                        .unwrap_or("?")
                );
                match r.text(&pointer) {
                    Ok(Some(doc)) => match policy::parse(doc) {
                        Ok(statements) => grants.judge(&label, &pointer, &statements),
                        Err(_) => {
                            grants.unknown_at.get_or_insert(pointer);
                        }
                    },
                    Ok(None) => {}
                    Err(()) => {
                        grants.unknown_at.get_or_insert(pointer);
                    }
                }
            }
        }
        _ => {}
    }
    grants.report(i, &subject, out);
}

/// A customer-managed policy: judged when attached to anyone.
pub fn customer_policy(i: usize, r: &Resource, out: &mut dyn Sink) {
    let subject = format!("policy {}", r.display_name());
    let attached = match r.attr("/attachments") {
        Attr::Unknown => None,
        Attr::Known(v) => Some(
            ["users", "groups", "roles"]
                .iter()
                .map(|k| v.get(k).and_then(Value::as_array).map_or(0, Vec::len))
                .sum::<usize>(),
        ),
        Attr::Absent => Some(0),
    };
    // In a Terraform plan, "attached to nothing" only means nothing in the
    // plan attaches it: another configuration or a later change may. Judge
    // it as a policy whose attachments are not known.
    let planned = matches!(r.attr("/plan_action"), Attr::Known(_));
    let attached = if planned && attached == Some(0) {
        None
    } else {
        attached
    };
    if attached == Some(0) {
        return;
    }
    let mut grants = Grants::default();
    match r.text("/policy") {
        Ok(Some(doc)) => match policy::parse(doc) {
            Ok(statements) => grants.judge("its document", "/policy", &statements),
            Err(_) => grants.unknown_at = Some("/policy".into()),
        },
        Ok(None) => return,
        Err(()) => grants.unknown_at = Some("/policy".into()),
    }
    if attached.is_none() {
        // A grant in a policy attached to nobody is not a grant: with the
        // attachments unknown, only what the document grants is undecided.
        let undecided = grants.unknown_at.is_some();
        for (rule, hit) in [
            (FULL_ADMIN, grants.admin_at.is_some()),
            (SERVICE_WILDCARD, grants.wildcard_at.is_some()),
        ] {
            if hit || undecided {
                out.unknown(
                    rule,
                    i,
                    format!("{subject}: whether the policy is attached to anyone is not known"),
                    Some("/attachments".into()),
                );
            }
        }
        return;
    }
    grants.report(i, &subject, out);
}

pub fn attached_to_user(i: usize, r: &Resource, out: &mut dyn Sink) {
    let name = r.display_name();
    let mut attached = Vec::new();
    let mut evidence = None;
    let mut unknown = None;
    for (field, what) in [
        ("/managed_policy_arns", "managed"),
        ("/inline_policies", "inline"),
    ] {
        match r.attr(field) {
            Attr::Unknown => {
                unknown.get_or_insert(field);
            }
            Attr::Known(Value::Array(list)) if !list.is_empty() => {
                attached.push(format!("{} {what}", list.len()));
                evidence.get_or_insert(field);
            }
            _ => {}
        }
    }
    if let Some(field) = evidence {
        out.fail(
            USER_ATTACHED_POLICIES,
            i,
            format!("{name} has {} polic(ies) attached directly; grant permissions through groups or roles", attached.join(" and ")),
            Some(field.to_owned()),
        );
    } else if let Some(field) = unknown {
        out.unknown(
            USER_ATTACHED_POLICIES,
            i,
            format!("{name}: its policies are not known until apply"),
            Some(field.to_owned()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IamPack;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    const ADMIN: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    const S3_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}]}"#;
    const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn principals() {
        let role = |managed: Value, inline: Value| {
            resource(
                "aws_iam_role",
                json!({"name": "r", "managed_policy_arns": managed, "inline_policies": inline}),
                &[],
            )
        };
        let batch = [
            role(json!([ADMINISTRATOR_ACCESS]), json!([])),
            role(json!([]), json!([{"name": "ops", "policy": S3_ALL}])),
            role(
                json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
                json!([{"name": "read", "policy": READ}]),
            ),
            resource("aws_iam_role", json!({"name": "p"}), &["/inline_policies"]),
        ];
        let f = run::<IamPack>("aws_iam_role", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, FULL_ADMIN),
            vec![(0, "fail"), (3, "unknown")]
        );
        assert_eq!(
            verdicts_of(&f, SERVICE_WILDCARD),
            vec![(1, "fail"), (3, "unknown")]
        );
    }

    #[test]
    fn customer_policies_count_when_attached() {
        let policy = |doc: &str, roles: Value| {
            resource(
                "aws_iam_policy",
                json!({"name": "p", "policy": doc, "attachments": {"users": [], "groups": [], "roles": roles}}),
                &[],
            )
        };
        let batch = [
            policy(ADMIN, json!(["deploy"])),
            policy(ADMIN, json!([])),
            policy(S3_ALL, json!(["app"])),
            resource(
                "aws_iam_policy",
                json!({"name": "p", "policy": ADMIN}),
                &["/attachments"],
            ),
        ];
        let f = run::<IamPack>("aws_iam_policy", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, FULL_ADMIN),
            vec![(0, "fail"), (3, "unknown")]
        );
        // Unknown attachments leave only what the document grants undecided.
        assert_eq!(verdicts_of(&f, SERVICE_WILDCARD), vec![(2, "fail")]);

        // In a plan, attached to nothing there may be attached elsewhere.
        let mut planned = policy(ADMIN, json!([]));
        planned.attributes["plan_action"] = json!("create");
        let mut read_only = policy(READ, json!([]));
        read_only.attributes["plan_action"] = json!("create");
        let f = run::<IamPack>("aws_iam_policy", &[planned, read_only], json!({}));
        assert_eq!(f.verdicts(), vec![(FULL_ADMIN, 0, "unknown")]);
    }

    #[test]
    fn users_get_permissions_through_groups() {
        let batch = [
            resource(
                "aws_iam_user",
                json!({"name": "a", "password_enabled": false, "access_keys": [], "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"], "inline_policies": []}),
                &[],
            ),
            resource(
                "aws_iam_user",
                json!({"name": "b", "password_enabled": false, "access_keys": [], "managed_policy_arns": [], "inline_policies": [], "groups": ["dev"]}),
                &[],
            ),
            resource(
                "aws_iam_user",
                json!({"name": "c", "password_enabled": false, "access_keys": [], "inline_policies": []}),
                &["/managed_policy_arns"],
            ),
        ];
        let f = run::<IamPack>("aws_iam_user", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, USER_ATTACHED_POLICIES),
            vec![(0, "fail"), (2, "unknown")]
        );
    }
}
