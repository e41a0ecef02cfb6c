//! IAM: policy attachments (both sides: the policy's ARN onto the
//! principal, the principal onto the policy's `attachments`), group
//! memberships (both sides), inline policies and console login profiles.

use serde_json::{Value, json};

use super::read::{attr, declared, resolved_name, unknown_at, unknown_if_null, value_or_none};
use super::{Join, Kinds, Piece, Plan, onto, push, set};
use crate::world::World;

const USER: Kinds = &["aws_iam_user"];
const ROLE: Kinds = &["aws_iam_role"];
const GROUP: Kinds = &["aws_iam_group"];
const POLICY: Kinds = &["aws_iam_policy"];

pub(super) const JOINS: &[Join] = &[
    ("aws_iam_user_policy_attachment", |w, i| {
        Some(attachment(w, i, "user", USER, "users"))
    }),
    ("aws_iam_role_policy_attachment", |w, i| {
        Some(attachment(w, i, "role", ROLE, "roles"))
    }),
    ("aws_iam_group_policy_attachment", |w, i| {
        Some(attachment(w, i, "group", GROUP, "groups"))
    }),
    ("aws_iam_policy_attachment", policy_attachment),
    ("aws_iam_user_policy", |w, i| {
        Some(inline_policy(w, i, "user", USER))
    }),
    ("aws_iam_role_policy", |w, i| {
        Some(inline_policy(w, i, "role", ROLE))
    }),
    ("aws_iam_group_policy", |w, i| {
        Some(inline_policy(w, i, "group", GROUP))
    }),
    ("aws_iam_user_group_membership", user_group_membership),
    ("aws_iam_group_membership", group_membership),
    ("aws_iam_user_login_profile", login_profile),
];

/// `aws_iam_*_policy_attachment`: the policy's ARN onto the principal, and
/// the principal's name onto the policy's `attachments`.
fn attachment(w: &World, i: usize, arg: &'static str, kinds: Kinds, list: &'static str) -> Plan {
    let mut u = Vec::new();
    let arn = resolved_name(w, i, "policy_arn", POLICY, "arn", &mut u, "");
    let mut plan = onto(arg, kinds, push("managed_policy_arns", arn, u));
    let mut un = Vec::new();
    let name = resolved_name(w, i, arg, kinds, "name", &mut un, "");
    plan.extend(onto("policy_arn", POLICY, push(list_attr(list), name, un)));
    plan
}

/// The policy side of an attachment is `attachments.<list>`; the model
/// keeps it as three lists on one object, so pushes go to a flat staging
/// attribute merged by [`merge_policy_attachments`].
fn list_attr(list: &str) -> &'static str {
    match list {
        "users" => "__attached_users",
        "roles" => "__attached_roles",
        _ => "__attached_groups",
    }
}

/// `aws_iam_policy_attachment`: one policy, lists of users, roles, groups.
fn policy_attachment(w: &World, i: usize) -> Option<Plan> {
    let mut plan = Vec::new();
    for (arg, kinds, list) in [
        ("users", USER, "users"),
        ("roles", ROLE, "roles"),
        ("groups", GROUP, "groups"),
    ] {
        plan.extend(many_attachment(w, i, arg, kinds, list));
    }
    Some(plan)
}

/// One list of principals of an `aws_iam_policy_attachment`.
fn many_attachment(
    w: &World,
    i: usize,
    arg: &'static str,
    kinds: Kinds,
    list: &'static str,
) -> Plan {
    let mut plan: Plan = Vec::new();
    let mut u = Vec::new();
    let arn = resolved_name(w, i, "policy_arn", POLICY, "arn", &mut u, "");
    let names = attr(w, i, arg);
    if unknown_at(w, i, arg) {
        if declared(w, i, arg) {
            plan.extend(onto(
                arg,
                kinds,
                push("managed_policy_arns", arn.clone(), u.clone()),
            ));
        }
        return plan;
    }
    if names.as_array().is_some_and(|n| !n.is_empty()) {
        plan.extend(onto(arg, kinds, push("managed_policy_arns", arn, u)));
        for name in names.as_array().cloned().unwrap_or_default() {
            plan.extend(onto(
                "policy_arn",
                POLICY,
                push(list_attr(list), name, Vec::new()),
            ));
        }
    }
    plan
}

fn inline_policy(w: &World, i: usize, arg: &'static str, kinds: Kinds) -> Plan {
    let mut u = Vec::new();
    let name = value_or_none(w, i, "name", &mut u, "/name");
    let policy = value_or_none(w, i, "policy", &mut u, "/policy");
    if unknown_at(w, i, "policy") && !u.iter().any(|p| p == "/policy") {
        u.push("/policy".into());
    }
    onto(
        arg,
        kinds,
        push(
            "inline_policies",
            json!({"name": name, "policy": policy}),
            u,
        ),
    )
}

/// `aws_iam_user_group_membership`: the groups onto the user, and the user
/// onto each group (found by its literal name) as a member.
fn user_group_membership(w: &World, i: usize) -> Option<Plan> {
    Some(membership(
        w,
        i,
        Side {
            arg: "user",
            kinds: USER,
            list: "groups",
        },
        Side {
            arg: "groups",
            kinds: GROUP,
            list: "members",
        },
    ))
}

/// `aws_iam_group_membership`: the users onto the group, and the group onto
/// each user (found by its literal name).
fn group_membership(w: &World, i: usize) -> Option<Plan> {
    Some(membership(
        w,
        i,
        Side {
            arg: "group",
            kinds: GROUP,
            list: "members",
        },
        Side {
            arg: "users",
            kinds: USER,
            list: "groups",
        },
    ))
}

/// One side of a membership: the argument naming it on the membership
/// resource, its kinds, and the list on it that names the other side.
struct Side {
    arg: &'static str,
    kinds: Kinds,
    list: &'static str,
}

/// A membership resource joins both ways: each name in its `many` argument
/// onto the `one` principal it refers to, and the `one` principal's name
/// onto each of the `many` (found by literal name). An unknown `many` list
/// is an unknown element on the `one` side.
fn membership(w: &World, i: usize, one: Side, many: Side) -> Plan {
    let name = resolved_name(w, i, one.arg, one.kinds, "name", &mut Vec::new(), "");
    let mut plan: Plan = Vec::new();
    for other in attr(w, i, many.arg).as_array().cloned().unwrap_or_default() {
        plan.extend(onto(
            one.arg,
            one.kinds,
            push(one.list, other.clone(), Vec::new()),
        ));
        plan.push(Piece::by_name(
            other,
            many.kinds,
            push(many.list, name.clone(), unknown_if_null(&name)),
        ));
    }
    if unknown_at(w, i, many.arg) {
        plan.extend(onto(
            one.arg,
            one.kinds,
            push(one.list, Value::Null, vec![String::new()]),
        ));
    }
    plan
}

/// A console password exists; without this resource the plan cannot tell
/// (one may be set outside Terraform): unknown.
fn login_profile(_: &World, _: usize) -> Option<Plan> {
    Some(onto(
        "user",
        USER,
        set("password_enabled", json!(true), Vec::new()),
    ))
}

/// Moves the staging lists of attached principals into
/// `aws_iam_policy.attachments`.
pub(crate) fn merge_policy_attachments(w: &mut World) {
    w.forget_names();
    for p in w.planned.iter_mut().filter(|p| p.kind == "aws_iam_policy") {
        for (staging, list) in [
            ("__attached_users", "users"),
            ("__attached_roles", "roles"),
            ("__attached_groups", "groups"),
        ] {
            let Some(Value::Array(items)) = p.attrs.remove(staging) else {
                continue;
            };
            let base = p.attrs["attachments"][list].as_array().map_or(0, Vec::len);
            let moved: Vec<String> = p
                .unknown
                .iter()
                .filter(|u| u.starts_with(&format!("/{staging}")))
                .cloned()
                .collect();
            for u in moved {
                p.unknown.remove(&u);
                let rest = u.get(staging.len() + 2..).unwrap_or("");
                let (idx, tail) = rest.split_once('/').map_or((rest, ""), |(a, b)| (a, b));
                let idx: usize = idx.parse().unwrap_or(0);
                let tail = if tail.is_empty() {
                    String::new()
                } else {
                    format!("/{tail}")
                };
                p.unknown
                    .insert(format!("/attachments/{list}/{}{tail}", base + idx));
            }
            if let Some(target) = p
                .attrs
                .get_mut("attachments")
                .and_then(|a| a.get_mut(list))
                .and_then(Value::as_array_mut)
            {
                target.extend(items);
            }
        }
    }
}
