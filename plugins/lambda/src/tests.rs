use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

/// A function that passes every rule.
fn good() -> Value {
    json!({
        "function_name": "worker",
        "arn": "arn:aws:lambda:eu-west-1:111122223333:function:worker",
        "runtime": "python3.13",
        "package_type": "Zip",
        "environment": {"variables": {"LOG_LEVEL": "info", "DB_PASSWORD_PARAM": "arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db/password"}},
        "dead_letter_config": {"target_arn": "arn:aws:sqs:eu-west-1:111122223333:dlq"},
        "tracing_config": {"mode": "Active"},
        "policy": [{"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": "lambda:InvokeFunction",
                    "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}}],
        "function_url": {"authorization_type": "AWS_IAM", "cors": null},
        "event_invoke_config": null,
    })
}

fn with(changes: &[(&str, Value)]) -> Value {
    let mut d = good();
    for (pointer, v) in changes {
        if let Some(slot) = d.pointer_mut(pointer) {
            *slot = v.clone();
        }
    }
    d
}

fn function(attrs: Value, unknown: &[&str]) -> Resource {
    resource("aws_lambda_function", attrs, unknown)
}

fn judge(batch: &[Resource]) -> pillar_rule_sdk::Findings {
    run::<LambdaPack>("aws_lambda_function", batch, json!({}))
}

#[test]
fn a_compliant_function_passes_every_rule() {
    let f = judge(&[function(good(), &[])]);
    assert_eq!(f.0.len(), 0, "{:?}", f.0);
}

#[test]
fn function_urls_without_auth_fail() {
    let batch = [
        function(
            with(&[("/function_url/authorization_type", json!("NONE"))]),
            &[],
        ),
        function(with(&[("/function_url", Value::Null)]), &[]),
        function(good(), &["/function_url/authorization_type"]),
    ];
    assert_eq!(
        verdicts_of(&judge(&batch), PUBLIC_URL),
        vec![(0, "fail"), (2, "unknown")]
    );
}

#[test]
fn policies_open_to_anyone_fail_unless_a_condition_names_the_source() {
    let open = json!([{"Sid": "any", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]);
    let url_only = json!([{"Sid": "url", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
        "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}]);
    let account = json!([{"Sid": "acct", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "lambda:InvokeFunction",
        "Condition": {"StringEquals": {"AWS:SourceAccount": null}}}]);
    let batch = [
        function(with(&[("/policy", open)]), &[]),
        function(with(&[("/policy", url_only)]), &[]),
        function(
            with(&[("/policy", account)]),
            &["/policy/0/Condition/StringEquals/AWS:SourceAccount"],
        ),
        function(
            with(&[("/policy/0/Principal", Value::Null)]),
            &["/policy/0/Principal"],
        ),
        function(good(), &["/policy"]),
        function(with(&[("/policy", json!([]))]), &[]),
    ];
    let f = judge(&batch);
    assert_eq!(
        verdicts_of(&f, PUBLIC_POLICY),
        vec![(0, "fail"), (1, "fail"), (3, "unknown"), (4, "unknown")]
    );
}

#[test]
fn secrets_in_the_environment_fail_masked() {
    let batch = [
        function(
            with(&[(
                "/environment/variables",
                json!({"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}),
            )]),
            &[],
        ),
        function(
            with(&[(
                "/environment/variables",
                json!({"DB_PASSWORD": "DB_PASSWORD"}),
            )]),
            &[],
        ),
        function(with(&[("/environment", Value::Null)]), &[]),
        function(
            with(&[("/environment/variables", json!({"DB_PASSWORD": null}))]),
            &["/environment/variables/DB_PASSWORD"],
        ),
        function(good(), &["/environment"]),
    ];
    let f = judge(&batch);
    assert_eq!(
        verdicts_of(&f, SECRETS),
        vec![(0, "fail"), (3, "unknown"), (4, "unknown")]
    );
    let message = &f.0[0].message;
    assert!(
        !message.contains("IOSFODNN7EXAMPLE") && !message.contains("K7MDENG"),
        "{message}"
    );
    assert!(
        message.contains("secret_key") && message.contains("AKIA"),
        "{message}"
    );
}

#[test]
fn deprecated_runtimes_fail_and_images_are_not_judged() {
    let batch = [
        function(with(&[("/runtime", json!("nodejs12.x"))]), &[]),
        function(with(&[("/runtime", json!("python3.7"))]), &[]),
        function(
            with(&[("/runtime", Value::Null), ("/package_type", json!("Image"))]),
            &[],
        ),
        function(with(&[("/runtime", Value::Null)]), &["/runtime"]),
        function(with(&[("/runtime", json!("nodejs22.x"))]), &[]),
    ];
    assert_eq!(
        verdicts_of(&judge(&batch), DEPRECATED_RUNTIME),
        vec![(0, "fail"), (1, "fail"), (3, "unknown")]
    );
    assert!(DEPRECATED_RUNTIME.starts_with("PILLAR-LMB"));
    assert_eq!(runtimes::deprecated_since("python3.9"), Some("2025-12-15"));
    assert_eq!(runtimes::deprecated_since("python3.13"), None);
}

#[test]
fn failures_need_a_dead_letter_queue_or_an_on_failure_destination() {
    let on_failure = json!({"destination_config": {"on_failure": {"destination": "arn:aws:sqs:eu-west-1:1:q"}, "on_success": null}});
    let batch = [
        function(with(&[("/dead_letter_config", Value::Null)]), &[]),
        function(
            with(&[
                ("/dead_letter_config", Value::Null),
                ("/event_invoke_config", on_failure),
            ]),
            &[],
        ),
        function(
            with(&[("/dead_letter_config", Value::Null)]),
            &["/event_invoke_config"],
        ),
        function(
            with(&[("/dead_letter_config", json!({"target_arn": null}))]),
            &["/dead_letter_config/target_arn"],
        ),
        function(
            with(&[
                (
                    "/event_invoke_config",
                    json!({"destination_config": {"on_failure": null, "on_success": {"destination": "x"}}}),
                ),
                ("/dead_letter_config", Value::Null),
            ]),
            &[],
        ),
    ];
    assert_eq!(
        verdicts_of(&judge(&batch), FAILURE_DESTINATION),
        vec![(0, "fail"), (2, "unknown"), (4, "fail")]
    );
}

#[test]
fn tracing_off_fails() {
    let batch = [
        function(with(&[("/tracing_config/mode", json!("PassThrough"))]), &[]),
        function(with(&[("/tracing_config", Value::Null)]), &[]),
        function(good(), &["/tracing_config"]),
    ];
    assert_eq!(
        verdicts_of(&judge(&batch), TRACING),
        vec![(0, "fail"), (1, "fail"), (2, "unknown")]
    );
}
