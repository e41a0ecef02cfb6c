//! Lambda's answers in the provider's shapes: `environment`,
//! `dead_letter_config`, `tracing_config` and `vpc_config` as objects
//! (the provider's one-element blocks), the resource policy as its list of
//! statements.

use aws_sdk_lambda::types::{Cors, FunctionConfiguration, FunctionEventInvokeConfig};
use serde_json::{Value, json};

use crate::convert;

/// The attributes `ListFunctions` gives.
pub(super) fn configuration(f: &FunctionConfiguration) -> Value {
    let environment = f
        .environment()
        .and_then(|e| e.variables())
        .filter(|v| !v.is_empty())
        .map(|vars| {
            let vars: serde_json::Map<String, Value> =
                vars.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            json!({ "variables": vars })
        });
    let dead_letter = f
        .dead_letter_config()
        .and_then(|d| d.target_arn())
        .filter(|a| !a.is_empty())
        .map(|a| json!({ "target_arn": a }));
    let vpc = f
        .vpc_config()
        .filter(|v| !v.subnet_ids().is_empty())
        .map(|v| {
            json!({
                "subnet_ids": convert::strings(v.subnet_ids().iter().map(String::as_str)),
                "security_group_ids": convert::strings(v.security_group_ids().iter().map(String::as_str)),
                "vpc_id": convert::non_empty(v.vpc_id()),
            })
        });
    json!({
        "function_name": f.function_name(),
        "arn": f.function_arn(),
        "runtime": f.runtime().map(|r| r.as_str()),
        // Absent in old answers: Zip is the only type there was.
        "package_type": f.package_type().map_or("Zip", |p| p.as_str()),
        "role": f.role(),
        "handler": convert::non_empty(f.handler()),
        "environment": environment,
        "dead_letter_config": dead_letter,
        "tracing_config": {
            "mode": f.tracing_config().and_then(|t| t.mode()).map_or("PassThrough", |m| m.as_str()),
        },
        "vpc_config": vpc,
        "kms_key_arn": convert::non_empty(f.kms_key_arn()),
    })
}

/// The statements of a resource policy (`GetPolicy`), as a list; `None`
/// when the document is not a JSON policy.
pub(super) fn policy_statements(document: Option<&str>) -> Option<Value> {
    let Some(text) = document else {
        return Some(json!([]));
    };
    let doc: Value = serde_json::from_str(&convert::policy_document(text)).ok()?;
    match doc.get("Statement") {
        Some(Value::Array(list)) => Some(Value::Array(list.clone())),
        Some(one @ Value::Object(_)) => Some(json!([one])),
        None => Some(json!([])),
        Some(_) => None,
    }
}

/// A function URL's CORS block under the provider's names.
pub(super) fn cors(c: &Cors) -> Value {
    json!({
        "allow_credentials": c.allow_credentials(),
        "allow_headers": convert::strings(c.allow_headers().iter().map(String::as_str)),
        "allow_methods": convert::strings(c.allow_methods().iter().map(String::as_str)),
        "allow_origins": convert::strings(c.allow_origins().iter().map(String::as_str)),
        "expose_headers": convert::strings(c.expose_headers().iter().map(String::as_str)),
        "max_age": c.max_age(),
    })
}

/// The unqualified function's asynchronous invocation configuration, as
/// `aws_lambda_function_event_invoke_config` holds it.
pub(super) fn event_invoke_config(c: &FunctionEventInvokeConfig) -> Value {
    let destination = |d: Option<&str>| match d.filter(|d| !d.is_empty()) {
        Some(d) => json!({ "destination": d }),
        None => Value::Null,
    };
    let dest = c.destination_config().map(|d| {
        json!({
            "on_failure": destination(d.on_failure().and_then(|f| f.destination())),
            "on_success": destination(d.on_success().and_then(|s| s.destination())),
        })
    });
    json!({
        "destination_config": dest,
        "maximum_retry_attempts": c.maximum_retry_attempts(),
        "maximum_event_age_in_seconds": c.maximum_event_age_in_seconds(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_documents_become_statement_lists() {
        assert_eq!(policy_statements(None), Some(json!([])));
        assert_eq!(
            policy_statements(Some(r#"{"Statement":{"Effect":"Allow","Principal":"*"}}"#)),
            Some(json!([{"Effect": "Allow", "Principal": "*"}]))
        );
        assert_eq!(
            policy_statements(Some(
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"a"}]}"#
            )),
            Some(json!([{"Sid": "a"}]))
        );
        assert_eq!(policy_statements(Some("not json")), None);
    }
}
