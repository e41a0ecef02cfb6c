//! Lambda: a function's permissions (its resource-based policy), URL and
//! asynchronous invocation configuration, each its own Terraform resource,
//! onto the function.

use serde_json::{Map, Value, json};

use super::read::{attr, first, rebase, value_or_none};
use super::{Join, Kinds, Plan, onto, push, set};
use crate::world::World;

const FUNCTION: Kinds = &["aws_lambda_function"];

pub(super) const JOINS: &[Join] = &[
    ("aws_lambda_permission", permission),
    ("aws_lambda_function_url", function_url),
    (
        "aws_lambda_function_event_invoke_config",
        event_invoke_config,
    ),
];

/// The condition each `aws_lambda_permission` argument becomes in the
/// function's policy, as Lambda writes it (`AddPermission`).
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("source_arn", "ArnLike", "AWS:SourceArn"),
    ("source_account", "StringEquals", "AWS:SourceAccount"),
    ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
    (
        "function_url_auth_type",
        "StringEquals",
        "lambda:FunctionUrlAuthType",
    ),
    (
        "event_source_token",
        "StringEquals",
        "lambda:EventSourceToken",
    ),
];

/// `aws_lambda_permission` is one statement of the function's policy,
/// written as `GetPolicy` would return it. An unknown argument that the
/// configuration declares is an unknown value in the statement (a
/// condition whose value is computed still restricts).
fn permission(w: &World, i: usize) -> Option<Plan> {
    let mut unknown = Vec::new();
    let principal = value_or_none(w, i, "principal", &mut unknown, "/Principal");
    let principal = match principal.as_str() {
        Some("*") => json!("*"),
        Some(p) if p.ends_with(".amazonaws.com") => json!({ "Service": p }),
        Some(p) => json!({ "AWS": p }),
        None => Value::Null,
    };
    let mut condition = Map::new();
    for (arg, operator, key) in CONDITIONS {
        let at = format!("/Condition/{operator}/{key}");
        let value = value_or_none(w, i, arg, &mut unknown, &at);
        if value.is_null() && !unknown.contains(&at) {
            continue;
        }
        let entry = condition
            .entry((*operator).to_owned())
            .or_insert_with(|| json!({}));
        entry[*key] = value;
    }
    let mut statement = json!({
        "Sid": attr(w, i, "statement_id"),
        "Effect": "Allow",
        "Action": attr(w, i, "action"),
        "Principal": principal,
    });
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    Some(onto(
        "function_name",
        FUNCTION,
        push("policy", statement, unknown),
    ))
}

/// `aws_lambda_function_url` onto the function's `function_url`. A URL of
/// an alias (`qualifier`) is not the function's own and is left out.
fn function_url(w: &World, i: usize) -> Option<Plan> {
    if !attr(w, i, "qualifier").is_null() {
        return None;
    }
    let mut unknown = Vec::new();
    let auth = value_or_none(
        w,
        i,
        "authorization_type",
        &mut unknown,
        "/authorization_type",
    );
    let cors = first(&value_or_none(w, i, "cors", &mut unknown, "/cors"));
    let value = json!({ "authorization_type": auth, "cors": cors });
    Some(onto(
        "function_name",
        FUNCTION,
        set("function_url", value, unknown),
    ))
}

/// `aws_lambda_function_event_invoke_config` of the unqualified function
/// onto its `event_invoke_config`, blocks as objects.
fn event_invoke_config(w: &World, i: usize) -> Option<Plan> {
    let qualifier = attr(w, i, "qualifier");
    if !(qualifier.is_null() || qualifier == json!("$LATEST")) {
        return None;
    }
    let mut unknown = Vec::new();
    let dest = first(&value_or_none(
        w,
        i,
        "destination_config",
        &mut unknown,
        "/destination_config",
    ));
    let destination_config = if dest.is_null() {
        Value::Null
    } else {
        let side = |name: &str| {
            let block = first(dest.get(name).unwrap_or(&Value::Null));
            if block.is_null() {
                Value::Null
            } else {
                json!({ "destination": block.get("destination").cloned().unwrap_or(Value::Null) })
            }
        };
        json!({ "on_failure": side("on_failure"), "on_success": side("on_success") })
    };
    // A destination computed in the plan (a queue created in the same
    // apply) is unknown at its place in the blocks-as-objects shape.
    if !dest.is_null() {
        unknown.extend(
            rebase(w, i, "destination_config", "")
                .into_iter()
                .filter(|u| !u.is_empty())
                .map(|u| format!("/destination_config{}", u.replace("/0", ""))),
        );
    }
    let value = json!({
        "destination_config": destination_config,
        "maximum_retry_attempts": attr(w, i, "maximum_retry_attempts"),
        "maximum_event_age_in_seconds": attr(w, i, "maximum_event_age_in_seconds"),
    });
    Some(onto(
        "function_name",
        FUNCTION,
        set("event_invoke_config", value, unknown),
    ))
}
