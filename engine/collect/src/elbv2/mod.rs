//! Elastic Load Balancing v2 in one region: load balancers (with their
//! attributes, tags and WAF web ACL) and their listeners.
//!
//! The kinds are Terraform's `aws_lb` and `aws_lb_listener`; the
//! attributes AWS keeps as key/value pairs (`access_logs.s3.enabled`,
//! `deletion_protection.enabled`, ...) are written under the provider's
//! argument names.

use aws_config::SdkConfig;
use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{Action, Listener, LoadBalancer};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::account::Shared;
use crate::convert::{self, object, strings};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let waf = aws_sdk_wafv2::Client::new(config);
    let mut part = Part::default();
    let Some(pages) = part.listed(
        client
            .describe_load_balancers()
            .into_paginator()
            .send()
            .try_collect()
            .await,
        scope,
        "elasticloadbalancing:DescribeLoadBalancers",
        "aws_lb",
    ) else {
        return part;
    };
    let balancers: Vec<&LoadBalancer> = pages.iter().flat_map(|p| p.load_balancers()).collect();
    let (client, waf) = (&client, &waf);
    let results = futures_util::stream::iter(balancers)
        .map(|lb| async move { load_balancer(shared, client, waf, scope, lb).await })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    for (lb, listeners) in results {
        part.add([lb]);
        part.absorb(listeners);
    }
    part
}

/// One load balancer, and its listeners as their own resources.
async fn load_balancer(
    shared: &Shared,
    client: &Client,
    waf: &aws_sdk_wafv2::Client,
    scope: &Scope,
    lb: &LoadBalancer,
) -> ((pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>), Part) {
    let arn = lb.load_balancer_arn().unwrap_or_default().to_owned();
    let kind = lb.r#type().map(|t| t.as_str().to_owned());
    // One subnet per zone: AWS allows no more, so the count of subnets is
    // the count of zones.
    let zones = lb.availability_zones();
    let mut d = Draft::new(
        scope,
        "aws_lb",
        arn.clone(),
        object(json!({
            "name": lb.load_balancer_name(),
            "arn": arn,
            "dns_name": lb.dns_name(),
            "load_balancer_type": kind,
            "internal": lb.scheme().map(|s| s.as_str() == "internal"),
            "ip_address_type": lb.ip_address_type().map(|t| t.as_str()),
            "vpc_id": lb.vpc_id(),
            "subnets": strings(zones.iter().filter_map(|z| z.subnet_id())),
            "availability_zones": strings(zones.iter().filter_map(|z| z.zone_name())),
            "security_groups": strings(lb.security_groups().iter().map(String::as_str)),
        })),
    );

    let read = {
        let _slot = shared.slot().await;
        client
            .describe_load_balancer_attributes()
            .load_balancer_arn(&arn)
            .send()
            .await
    };
    match read {
        Ok(out) => {
            let pairs: Map<String, Value> = out
                .attributes()
                .iter()
                .filter_map(|a| Some((a.key()?.to_owned(), json!(a.value()))))
                .collect();
            for (name, value) in settings(&pairs) {
                d.attrs.insert(name.into(), value);
            }
            // AWS always answers the access-log switch; an emulator that
            // leaves it out has not told us, and off is not assumed.
            if !pairs.contains_key(ACCESS_LOGS_ENABLED) {
                d.unknown("/access_logs/enabled");
            }
            // AWS answers the desync mode of every application load
            // balancer; moto only once it is set.
            if kind.as_deref() == Some("application") && !pairs.contains_key(DESYNC_MODE) {
                d.attrs.insert("desync_mitigation_mode".into(), Value::Null);
                d.unknown("/desync_mitigation_mode");
            }
        }
        Err(e) => {
            // One gap for the call; every setting it would have given is unknown.
            let f = Failure::of(&e);
            for name in SETTINGS {
                d.attrs.insert(name.into(), Value::Null);
                d.unknown(&format!("/{name}"));
            }
            d.failed(
                "/access_logs",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                &f,
            );
        }
    }

    let tags = {
        let _slot = shared.slot().await;
        client.describe_tags().resource_arns(&arn).send().await
    };
    let tags = tags
        .map(|out| {
            convert::tags(
                out.tag_descriptions()
                    .iter()
                    .flat_map(|t| t.tags())
                    .map(|t| (t.key(), t.value())),
            )
        })
        .map_err(|e| Failure::of(&e));
    d.set("tags", "elasticloadbalancing:DescribeTags", tags);

    // Only application load balancers take a web ACL; for the others the
    // attribute is absent, not "none".
    if kind.as_deref() == Some("application") {
        let read = {
            let _slot = shared.slot().await;
            waf.get_web_acl_for_resource()
                .resource_arn(&arn)
                .send()
                .await
        };
        let acl = read
            .map(|out| json!(out.web_acl().map(|a| a.arn())))
            .map_err(|e| Failure::of(&e));
        d.set("web_acl_arn", "wafv2:GetWebACLForResource", acl);
    }

    let listeners = listeners(client, scope, &arn).await;
    (d.finish(), listeners)
}

/// The load balancer attributes pillar models, by provider argument name.
const SETTINGS: [&str; 5] = [
    "access_logs",
    "enable_deletion_protection",
    "drop_invalid_header_fields",
    "desync_mitigation_mode",
    "enable_cross_zone_load_balancing",
];

const ACCESS_LOGS_ENABLED: &str = "access_logs.s3.enabled";
const DESYNC_MODE: &str = "routing.http.desync_mitigation_mode";

/// AWS's attribute pairs under the provider's names. A pair AWS does not
/// return for this type of load balancer (network load balancers have no
/// header setting) is left out; a missing access-log switch is `null`.
fn settings(pairs: &Map<String, Value>) -> Vec<(&'static str, Value)> {
    let flag = |key: &str| {
        pairs
            .get(key)
            .and_then(Value::as_str)
            .map(|v| json!(v == "true"))
    };
    let text = |key: &str| pairs.get(key).cloned().unwrap_or(Value::Null);
    let mut out = vec![(
        "access_logs",
        json!({
            "enabled": flag(ACCESS_LOGS_ENABLED),
            "bucket": convert::non_empty(text("access_logs.s3.bucket").as_str()),
            "prefix": convert::non_empty(text("access_logs.s3.prefix").as_str()),
        }),
    )];
    if let Some(v) = flag("deletion_protection.enabled") {
        out.push(("enable_deletion_protection", v));
    }
    if let Some(v) = flag("routing.http.drop_invalid_header_fields.enabled") {
        out.push(("drop_invalid_header_fields", v));
    }
    if let Some(mode) = pairs.get(DESYNC_MODE).filter(|v| v.is_string()) {
        out.push(("desync_mitigation_mode", mode.clone()));
    }
    if let Some(v) = flag("load_balancing.cross_zone.enabled") {
        out.push(("enable_cross_zone_load_balancing", v));
    }
    out
}

/// The listeners of one load balancer. A failed listing is a gap for the
/// listener kind, naming the load balancer.
async fn listeners(client: &Client, scope: &Scope, lb_arn: &str) -> Part {
    let mut part = Part::default();
    let read = client
        .describe_listeners()
        .load_balancer_arn(lb_arn)
        .into_paginator()
        .send()
        .try_collect()
        .await;
    let pages = match read {
        Ok(pages) => pages,
        Err(e) => {
            part.gaps.push(Failure::of(&e).gap(
                scope,
                "elasticloadbalancing:DescribeListeners",
                "aws_lb_listener",
                Some(lb_arn),
            ));
            return part;
        }
    };
    for l in pages.iter().flat_map(|p| p.listeners()) {
        let Some(arn) = l.listener_arn() else {
            continue;
        };
        part.resources.push(scope.resource(
            "aws_lb_listener",
            arn.to_owned(),
            object(listener(l, lb_arn)),
        ));
    }
    part
}

fn listener(l: &Listener, lb_arn: &str) -> Value {
    let certificate = l
        .certificates()
        .iter()
        .find(|c| c.is_default() != Some(false))
        .and_then(|c| c.certificate_arn());
    json!({
        "arn": l.listener_arn(),
        "load_balancer_arn": l.load_balancer_arn().unwrap_or(lb_arn),
        "port": l.port(),
        "protocol": l.protocol().map(|p| p.as_str()),
        "ssl_policy": l.ssl_policy(),
        "certificate_arn": certificate,
        "default_action": l.default_actions().iter().map(action).collect::<Vec<_>>(),
    })
}

/// An action in the provider's block shape: nested blocks are lists of
/// one element, or empty.
fn action(a: &Action) -> Value {
    let redirect: Vec<Value> = a
        .redirect_config()
        .map(|r| {
            json!({
                "protocol": r.protocol(),
                "port": r.port(),
                "host": r.host(),
                "path": r.path(),
                "query": r.query(),
                "status_code": r.status_code().map(|s| s.as_str()),
            })
        })
        .into_iter()
        .collect();
    let fixed: Vec<Value> = a
        .fixed_response_config()
        .map(|f| {
            json!({
                "status_code": f.status_code(),
                "content_type": f.content_type(),
            })
        })
        .into_iter()
        .collect();
    json!({
        "type": a.r#type().map(|t| t.as_str()),
        "order": a.order(),
        "target_group_arn": a.target_group_arn(),
        "redirect": redirect,
        "fixed_response": fixed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Map<String, Value> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect()
    }

    #[test]
    fn attribute_pairs_take_the_provider_names() {
        let got: Map<String, Value> = settings(&pairs(&[
            ("access_logs.s3.enabled", "true"),
            ("access_logs.s3.bucket", "logs"),
            ("access_logs.s3.prefix", ""),
            ("deletion_protection.enabled", "false"),
            ("routing.http.drop_invalid_header_fields.enabled", "true"),
            ("routing.http.desync_mitigation_mode", "strictest"),
            ("load_balancing.cross_zone.enabled", "true"),
        ]))
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        assert_eq!(
            Value::Object(got),
            json!({
                "access_logs": {"enabled": true, "bucket": "logs", "prefix": null},
                "enable_deletion_protection": false,
                "drop_invalid_header_fields": true,
                "desync_mitigation_mode": "strictest",
                "enable_cross_zone_load_balancing": true,
            })
        );
    }

    #[test]
    fn a_setting_aws_does_not_return_is_left_out() {
        let got = settings(&pairs(&[("deletion_protection.enabled", "true")]));
        let names: Vec<&str> = got.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["access_logs", "enable_deletion_protection"]);
        assert_eq!(got[0].1["enabled"], Value::Null);
    }
}
