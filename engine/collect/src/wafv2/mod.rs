//! WAFv2 in one region: the regional web ACLs (those that protect load
//! balancers and API stages), with their rules and logging configuration.
//!
//! CloudFront's web ACLs (scope `CLOUDFRONT`, read in us-east-1 only) are
//! not read yet. Which load balancer a web ACL protects is read from the
//! load balancer's side (`aws_lb.web_acl_arn`, in `elbv2`).

use aws_config::SdkConfig;
use aws_sdk_wafv2::Client;
use aws_sdk_wafv2::types::{Rule, Scope as WafScope, Statement, WebAcl, WebAclSummary};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{object, strings};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

/// ListWebACLs answers at most this many per page.
const PAGE: i32 = 100;

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let mut summaries: Vec<WebAclSummary> = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let read = {
            let _slot = shared.slot().await;
            client
                .list_web_acls()
                .scope(WafScope::Regional)
                .limit(PAGE)
                .set_next_marker(marker.clone())
                .send()
                .await
        };
        let Some(page) = part.listed(read, scope, "wafv2:ListWebACLs", "aws_wafv2_web_acl") else {
            return part;
        };
        summaries.extend(page.web_acls().iter().cloned());
        // An empty page ends the listing whatever the marker says: moto
        // and AWS both hand back a marker on the last page at times.
        match page.next_marker() {
            Some(next) if !page.web_acls().is_empty() && marker.as_deref() != Some(next) => {
                marker = Some(next.to_owned());
            }
            _ => break,
        }
    }
    let client = &client;
    let results = futures_util::stream::iter(summaries)
        .map(|s| async move { web_acl(shared, client, scope, &s).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    part.add(results.into_iter().flatten());
    part
}

async fn web_acl(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    s: &WebAclSummary,
) -> Option<(pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>)> {
    let arn = s.arn()?.to_owned();
    let mut d = Draft::new(
        scope,
        "aws_wafv2_web_acl",
        arn.clone(),
        object(json!({
            "name": s.name(),
            "id": s.id(),
            "arn": arn,
            "scope": "REGIONAL",
        })),
    );
    let read = {
        let _slot = shared.slot().await;
        client
            .get_web_acl()
            .scope(WafScope::Regional)
            .set_name(s.name().map(str::to_owned))
            .set_id(s.id().map(str::to_owned))
            .send()
            .await
    };
    match read {
        Ok(out) => match out.web_acl() {
            Some(acl) => described(&mut d, acl),
            None => {
                for name in ["rule", "default_action"] {
                    d.unknown(&format!("/{name}"));
                    d.attrs.insert(name.into(), Value::Null);
                }
            }
        },
        Err(e) => {
            let f = Failure::of(&e);
            d.attrs.insert("default_action".into(), Value::Null);
            d.unknown("/default_action");
            d.set("rule", "wafv2:GetWebACL", Err(f));
        }
    }
    let read = {
        let _slot = shared.slot().await;
        client
            .get_logging_configuration()
            .resource_arn(&arn)
            .send()
            .await
    };
    let logging = match read {
        Ok(out) => Ok(out
            .logging_configuration()
            .map(|c| {
                json!({"log_destination_configs": strings(c.log_destination_configs().iter().map(String::as_str))})
            })
            .unwrap_or(Value::Null)),
        Err(e) => {
            let f = Failure::of(&e);
            // No logging configured is an answer, not a failure.
            if f.is(&["WAFNonexistentItemException"]) {
                Ok(Value::Null)
            } else {
                Err(f)
            }
        }
    };
    d.set(
        "logging_configuration",
        "wafv2:GetLoggingConfiguration",
        logging,
    );
    Some(d.finish())
}

fn described(d: &mut Draft<'_>, acl: &WebAcl) {
    let default_action = acl.default_action().map(|a| {
        if a.block().is_some() {
            "block"
        } else {
            "allow"
        }
    });
    d.attrs
        .insert("default_action".into(), json!(default_action));
    d.attrs.insert(
        "rule".into(),
        Value::Array(acl.rules().iter().map(rule).collect()),
    );
}

/// A rule in the provider's block shape, keeping what rules read: its
/// name, priority and which kind of statement it is (a managed rule group,
/// a reference to the account's own rule group, or another statement).
fn rule(r: &Rule) -> Value {
    json!({
        "name": r.name(),
        "priority": r.priority(),
        "statement": r.statement().map(statement).into_iter().collect::<Vec<_>>(),
    })
}

fn statement(s: &Statement) -> Value {
    let managed: Vec<Value> = s
        .managed_rule_group_statement()
        .map(|m| json!({"name": m.name(), "vendor_name": m.vendor_name()}))
        .into_iter()
        .collect();
    let reference: Vec<Value> = s
        .rule_group_reference_statement()
        .map(|r| json!({"arn": r.arn()}))
        .into_iter()
        .collect();
    json!({
        "managed_rule_group_statement": managed,
        "rule_group_reference_statement": reference,
    })
}
