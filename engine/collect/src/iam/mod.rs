//! IAM (global): users with console, MFA and keys; groups, roles,
//! customer-managed policies; the account summary and password policy.

mod account;
mod authorization;
mod credential_report;
mod users;

use aws_sdk_iam::Client;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, strings};
use crate::part::Part;

fn iam_tags(tags: &[aws_sdk_iam::types::Tag]) -> Value {
    convert::tags(tags.iter().map(|t| (Some(t.key()), Some(t.value()))))
}

fn inline(policies: &[aws_sdk_iam::types::PolicyDetail]) -> Value {
    Value::Array(
        policies
            .iter()
            .map(|p| {
                json!({
                    "name": p.policy_name(),
                    "policy": p.policy_document().map(convert::policy_document),
                })
            })
            .collect(),
    )
}

fn attached(policies: &[aws_sdk_iam::types::AttachedPolicy]) -> Value {
    strings(policies.iter().filter_map(|p| p.policy_arn()))
}

pub(crate) async fn collect(shared: &Shared) -> Part {
    let client = Client::new(&shared.config);
    let scope = shared.scope.global();
    let mut part = Part::default();
    let report = credential_report::credential_report(&client, &scope, &mut part).await;
    account::account_summary(&client, &scope, report.as_ref(), &mut part).await;
    account::password_policy(&client, &scope, &mut part).await;
    authorization::authorization_details(shared, &client, &scope, report.as_ref(), &mut part).await;
    part
}
