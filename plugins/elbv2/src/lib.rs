//! Built-in Elastic Load Balancing v2 rules: listeners that serve plain
//! HTTP (PILLAR-ELB-001) or accept TLS older than 1.2 (PILLAR-ELB-002),
//! and load balancers without access logs (003), deletion protection (004),
//! dropping of invalid header fields (005), a WAF web ACL when they face
//! the internet (006), or a second availability zone (007), application
//! load balancers that only monitor HTTP desync (008), and network or
//! gateway load balancers in several zones without cross-zone load
//! balancing (009).

mod tls;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

pub const HTTP_WITHOUT_REDIRECT: &str = "PILLAR-ELB-001";
pub const OLD_TLS_POLICY: &str = "PILLAR-ELB-002";
pub const ACCESS_LOGS: &str = "PILLAR-ELB-003";
pub const DELETION_PROTECTION: &str = "PILLAR-ELB-004";
pub const DROP_INVALID_HEADERS: &str = "PILLAR-ELB-005";
pub const WAF_ON_PUBLIC: &str = "PILLAR-ELB-006";
pub const MULTI_AZ: &str = "PILLAR-ELB-007";
pub const DESYNC_MITIGATION: &str = "PILLAR-ELB-008";
pub const CROSS_ZONE: &str = "PILLAR-ELB-009";

pub struct Elbv2Pack;

impl RulePack for Elbv2Pack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-elbv2", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_lb_listener" => {
                for (i, l) in batch.iter().enumerate() {
                    http_without_redirect(i, l, out);
                    old_tls_policy(i, l, out);
                }
            }
            "aws_lb" => {
                for (i, lb) in batch.iter().enumerate() {
                    let kind = lb.attr("/load_balancer_type");
                    access_logs(i, lb, kind, out);
                    deletion_protection(i, lb, out);
                    drop_invalid_headers(i, lb, kind, out);
                    waf_on_public(i, lb, kind, out);
                    multi_az(i, lb, out);
                    desync_mitigation(i, lb, kind, out);
                    cross_zone(i, lb, kind, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Elbv2Pack);

/// "listener HTTP:80 of arn:..." for messages: listeners have no name.
/// Plans write ports as numbers or strings.
fn listener_name(l: &Resource) -> String {
    let protocol = l.attr("/protocol").as_str().unwrap_or("?");
    let port = match l.attr("/port") {
        Attr::Known(Value::Number(n)) => n.to_string(),
        Attr::Known(Value::String(s)) => s.clone(),
        _ => "?".to_owned(),
    };
    let lb = l.attr("/load_balancer_arn").as_str().unwrap_or(&l.id);
    format!("listener {protocol}:{port} of {lb}")
}

/// PILLAR-ELB-001: an HTTP listener whose default action is not a redirect
/// to HTTPS serves its content in plain text.
fn http_without_redirect(i: usize, l: &Resource, out: &mut dyn Sink) {
    let name = listener_name(l);
    match l.attr("/protocol") {
        Attr::Known(Value::String(p)) if p.eq_ignore_ascii_case("HTTP") => {}
        Attr::Unknown => {
            out.unknown(
                HTTP_WITHOUT_REDIRECT,
                i,
                format!("{name}: the listener's protocol is not known"),
                Some("/protocol".into()),
            );
            return;
        }
        _ => return,
    }
    let actions = match l.attr("/default_action") {
        Attr::Known(Value::Array(a)) => a,
        Attr::Unknown => {
            out.unknown(
                HTTP_WITHOUT_REDIRECT,
                i,
                format!("{name}: the listener's default action is not known"),
                Some("/default_action".into()),
            );
            return;
        }
        _ => {
            out.fail(
                HTTP_WITHOUT_REDIRECT,
                i,
                format!("{name}: serves plain HTTP and has no default action"),
                Some("/default_action".into()),
            );
            return;
        }
    };
    let mut unknown = None;
    for (n, _) in actions.iter().enumerate() {
        let at = format!("/default_action/{n}/redirect/0/protocol");
        match l.attr(&at) {
            Attr::Known(Value::String(p)) if p.eq_ignore_ascii_case("HTTPS") => return,
            Attr::Unknown => unknown = unknown.or(Some(at)),
            _ => {}
        }
        if l.is_unknown(&format!("/default_action/{n}/type")) {
            unknown = unknown.or(Some(format!("/default_action/{n}/type")));
        }
    }
    if let Some(at) = unknown {
        out.unknown(
            HTTP_WITHOUT_REDIRECT,
            i,
            format!("{name}: whether the default action redirects to HTTPS is not known"),
            Some(at),
        );
        return;
    }
    out.fail(
        HTTP_WITHOUT_REDIRECT,
        i,
        format!("{name}: serves plain HTTP instead of redirecting to HTTPS"),
        Some("/default_action".into()),
    );
}

/// PILLAR-ELB-002: an HTTPS or TLS listener whose security policy accepts
/// TLS older than 1.2.
fn old_tls_policy(i: usize, l: &Resource, out: &mut dyn Sink) {
    let name = listener_name(l);
    match l.attr("/protocol") {
        Attr::Known(Value::String(p))
            if p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("TLS") => {}
        Attr::Unknown => {
            out.unknown(
                OLD_TLS_POLICY,
                i,
                format!("{name}: the listener's protocol is not known"),
                Some("/protocol".into()),
            );
            return;
        }
        _ => return,
    }
    let policy = match l.text("/ssl_policy") {
        Ok(Some(p)) => p,
        Ok(None) | Err(()) => {
            out.unknown(
                OLD_TLS_POLICY,
                i,
                format!("{name}: the listener's security policy is not known"),
                Some("/ssl_policy".into()),
            );
            return;
        }
    };
    match tls::oldest_version(policy) {
        Some(v) if v >= (1, 2) => {}
        Some((major, minor)) => out.fail(
            OLD_TLS_POLICY,
            i,
            format!("{name}: security policy {policy} accepts TLS {major}.{minor}"),
            Some("/ssl_policy".into()),
        ),
        None => out.unknown(
            OLD_TLS_POLICY,
            i,
            format!("{name}: security policy {policy} is not one pillar knows"),
            Some("/ssl_policy".into()),
        ),
    }
}

/// The load balancer type, `application` when absent (the provider's
/// default); `None` when unknown.
fn lb_type<'a>(kind: Attr<'a>) -> Option<&'a str> {
    match kind {
        Attr::Known(Value::String(s)) => Some(s.as_str()),
        Attr::Absent => Some("application"),
        _ => None,
    }
}

fn unknown_type(rule: &str, i: usize, lb: &Resource, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!(
            "{}: the load balancer's type is not known",
            lb.display_name()
        ),
        Some("/load_balancer_type".into()),
    );
}

/// PILLAR-ELB-003: access logs written to S3 (gateway load balancers have
/// none to write).
fn access_logs(i: usize, lb: &Resource, kind: Attr<'_>, out: &mut dyn Sink) {
    match lb_type(kind) {
        Some("gateway") => {}
        Some(_) => switch(
            ACCESS_LOGS,
            i,
            lb,
            "/access_logs/enabled",
            "access logging",
            out,
        ),
        None => unknown_type(ACCESS_LOGS, i, lb, out),
    }
}

/// PILLAR-ELB-004: deletion protection, off by default.
fn deletion_protection(i: usize, lb: &Resource, out: &mut dyn Sink) {
    let pointer = "/enable_deletion_protection";
    switch(
        DELETION_PROTECTION,
        i,
        lb,
        pointer,
        "deletion protection",
        out,
    );
}

/// A setting that must be on; absent is the provider's default, off.
fn switch(rule: &str, i: usize, lb: &Resource, pointer: &str, what: &str, out: &mut dyn Sink) {
    let name = lb.display_name();
    match lb.flag(pointer, false) {
        Some(true) => {}
        Some(false) => out.fail(
            rule,
            i,
            format!("{name}: {what} is off"),
            Some(pointer.into()),
        ),
        None => out.unknown(
            rule,
            i,
            format!("{name}: whether {what} is on is not known"),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-ELB-005: an application load balancer passes on requests whose
/// headers are not valid HTTP unless told to drop them. Absent (a provider
/// too old to have the argument, a snapshot that did not read it) is
/// unknown, not AWS's default.
fn drop_invalid_headers(i: usize, lb: &Resource, kind: Attr<'_>, out: &mut dyn Sink) {
    match lb_type(kind) {
        Some("application") => {}
        Some(_) => return,
        None => return unknown_type(DROP_INVALID_HEADERS, i, lb, out),
    }
    let pointer = "/drop_invalid_header_fields";
    match lb.attr(pointer) {
        Attr::Known(Value::Bool(true)) => {}
        Attr::Known(Value::Bool(false)) => out.fail(
            DROP_INVALID_HEADERS,
            i,
            format!(
                "{}: requests with invalid header fields are passed to targets",
                lb.display_name()
            ),
            Some(pointer.into()),
        ),
        _ => out.unknown(
            DROP_INVALID_HEADERS,
            i,
            format!(
                "{}: whether invalid header fields are dropped is not known",
                lb.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-ELB-006: an internet-facing application load balancer with no
/// WAF web ACL in front of it.
fn waf_on_public(i: usize, lb: &Resource, kind: Attr<'_>, out: &mut dyn Sink) {
    match lb_type(kind) {
        Some("application") => {}
        Some(_) => return,
        None => return unknown_type(WAF_ON_PUBLIC, i, lb, out),
    }
    match lb.flag("/internal", false) {
        Some(true) => return,
        Some(false) => {}
        None => {
            out.unknown(
                WAF_ON_PUBLIC,
                i,
                format!(
                    "{}: whether the load balancer faces the internet is not known",
                    lb.display_name()
                ),
                Some("/internal".into()),
            );
            return;
        }
    }
    let pointer = "/web_acl_arn";
    if lb.is_unknown(pointer) || lb.attributes.get("web_acl_arn").is_none() {
        // Absent altogether: the snapshot did not read it.
        out.unknown(
            WAF_ON_PUBLIC,
            i,
            format!(
                "{}: whether a WAF web ACL protects it is not known",
                lb.display_name()
            ),
            Some(pointer.into()),
        );
        return;
    }
    if let Ok(None) = lb.text(pointer) {
        out.fail(
            WAF_ON_PUBLIC,
            i,
            format!(
                "{}: faces the internet with no WAF web ACL associated",
                lb.display_name()
            ),
            Some(pointer.into()),
        );
    }
}

/// The load balancer's zones: it has at most one subnet per zone, so its
/// subnets (or a plan's `subnet_mapping` blocks) count them. `None`: not
/// known. A known count of two or more stands even if some subnet is
/// unknown.
fn zone_count(lb: &Resource) -> Option<usize> {
    let count = |pointer: &str| match lb.attr(pointer) {
        Attr::Known(Value::Array(list)) if !lb.has_unknown_within(pointer) => Some(list.len()),
        Attr::Known(Value::Array(list)) if list.len() >= 2 => Some(list.len()),
        Attr::Absent => Some(0),
        _ => None,
    };
    match (count("/subnets"), count("/subnet_mapping")) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (Some(a), None) if a >= 2 => Some(a),
        (None, Some(b)) if b >= 2 => Some(b),
        _ => None,
    }
}

/// PILLAR-ELB-007: at least two availability zones.
fn multi_az(i: usize, lb: &Resource, out: &mut dyn Sink) {
    match zone_count(lb) {
        Some(n) if n >= 2 => {}
        Some(n) => out.fail(
            MULTI_AZ,
            i,
            format!(
                "{}: spans {n} availability zone(s); one zone's outage takes it down",
                lb.display_name()
            ),
            Some("/subnets".into()),
        ),
        None => out.unknown(
            MULTI_AZ,
            i,
            format!(
                "{}: the load balancer's subnets are not known",
                lb.display_name()
            ),
            Some("/subnets".into()),
        ),
    }
}

/// PILLAR-ELB-008: an application load balancer in `monitor` desync
/// mode passes requests that HTTP desync (request smuggling) attacks use.
/// Absent is AWS's and the provider's default, `defensive`.
fn desync_mitigation(i: usize, lb: &Resource, kind: Attr<'_>, out: &mut dyn Sink) {
    match lb_type(kind) {
        Some("application") => {}
        Some(_) => return,
        None => return unknown_type(DESYNC_MITIGATION, i, lb, out),
    }
    let pointer = "/desync_mitigation_mode";
    match lb.text(pointer) {
        Ok(None) => {}
        Ok(Some(mode))
            if mode.eq_ignore_ascii_case("defensive") || mode.eq_ignore_ascii_case("strictest") => {}
        Ok(Some(mode)) => out.fail(
            DESYNC_MITIGATION,
            i,
            format!(
                "{}: desync mitigation mode is {mode}: requests that may smuggle another request reach the targets",
                lb.display_name()
            ),
            Some(pointer.into()),
        ),
        Err(()) => out.unknown(
            DESYNC_MITIGATION,
            i,
            format!(
                "{}: the desync mitigation mode is not known",
                lb.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-ELB-009: a network or gateway load balancer in more than one
/// zone sends each zone's traffic only to that zone's targets unless
/// cross-zone load balancing is on (off by default for these types;
/// application load balancers always balance across zones).
fn cross_zone(i: usize, lb: &Resource, kind: Attr<'_>, out: &mut dyn Sink) {
    match lb_type(kind) {
        Some("network" | "gateway") => {}
        Some(_) => return,
        None => return unknown_type(CROSS_ZONE, i, lb, out),
    }
    let pointer = "/enable_cross_zone_load_balancing";
    let name = lb.display_name();
    match (lb.flag(pointer, false), zone_count(lb)) {
        (Some(true), _) => {}
        // One zone: nothing to balance across (PILLAR-ELB-007 judges that).
        (Some(false), Some(n)) if n < 2 => {}
        (Some(false), Some(n)) => out.fail(
            CROSS_ZONE,
            i,
            format!("{name}: spans {n} zones with cross-zone load balancing off: a zone whose targets fail drops its share of traffic"),
            Some(pointer.into()),
        ),
        (Some(false), None) => out.unknown(
            CROSS_ZONE,
            i,
            format!("{name}: cross-zone load balancing is off and the load balancer's zones are not known"),
            Some("/subnets".into()),
        ),
        (None, _) => out.unknown(
            CROSS_ZONE,
            i,
            format!("{name}: whether cross-zone load balancing is on is not known"),
            Some(pointer.into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    fn good_lb() -> Value {
        json!({"name": "web", "load_balancer_type": "application", "internal": false,
               "access_logs": {"enabled": true, "bucket": "logs", "prefix": null},
               "enable_deletion_protection": true, "drop_invalid_header_fields": true,
               "web_acl_arn": "arn:acl", "subnets": ["subnet-a", "subnet-b"]})
    }

    const LB_RULES: [&str; 7] = [
        ACCESS_LOGS,
        DELETION_PROTECTION,
        DROP_INVALID_HEADERS,
        WAF_ON_PUBLIC,
        MULTI_AZ,
        DESYNC_MITIGATION,
        CROSS_ZONE,
    ];

    #[test]
    fn desync_mode_monitor_fails_and_absent_is_the_default() {
        let mode = |m: Value, unknown: &[&str]| {
            let mut a = good_lb();
            a["desync_mitigation_mode"] = m;
            resource("aws_lb", a, unknown)
        };
        let mut nlb = good_lb();
        nlb["load_balancer_type"] = json!("network");
        nlb["desync_mitigation_mode"] = json!("monitor");
        let batch = [
            mode(json!("strictest"), &[]),
            mode(json!("monitor"), &[]),
            mode(Value::Null, &["/desync_mitigation_mode"]),
            resource("aws_lb", good_lb(), &[]),
            resource("aws_lb", nlb, &[]),
        ];
        let f = run::<Elbv2Pack>("aws_lb", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, DESYNC_MITIGATION),
            vec![(1, "fail"), (2, "unknown")]
        );
    }

    #[test]
    fn cross_zone_is_judged_on_network_load_balancers_in_several_zones() {
        let nlb = |cross: Value, subnets: Value, unknown: &[&str]| {
            resource(
                "aws_lb",
                json!({"name": "nlb", "load_balancer_type": "network", "internal": true,
                       "enable_cross_zone_load_balancing": cross, "subnets": subnets}),
                unknown,
            )
        };
        let two = json!(["subnet-a", "subnet-b"]);
        let batch = [
            nlb(json!(true), two.clone(), &[]),
            nlb(json!(false), two.clone(), &[]),
            nlb(Value::Null, two.clone(), &[]),
            nlb(json!(false), json!(["subnet-a"]), &[]),
            nlb(json!(false), json!([null]), &["/subnets/0"]),
            nlb(Value::Null, two, &["/enable_cross_zone_load_balancing"]),
            resource("aws_lb", good_lb(), &[]),
        ];
        let f = run::<Elbv2Pack>("aws_lb", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, CROSS_ZONE),
            vec![(1, "fail"), (2, "fail"), (4, "unknown"), (5, "unknown")]
        );
    }

    #[test]
    fn a_compliant_load_balancer_passes_every_rule() {
        let f = run::<Elbv2Pack>("aws_lb", &[resource("aws_lb", good_lb(), &[])], json!({}));
        for rule in LB_RULES {
            assert!(verdicts_of(&f, rule).is_empty(), "{rule}");
        }
    }

    #[test]
    fn a_web_acl_is_judged_only_on_internet_facing_application_load_balancers() {
        let mut none = good_lb();
        none["web_acl_arn"] = Value::Null;
        let mut internal = none.clone();
        internal["internal"] = json!(true);
        let mut missing = good_lb();
        missing.as_object_mut().map(|o| o.remove("web_acl_arn"));
        let batch = [
            resource("aws_lb", none.clone(), &[]),
            resource("aws_lb", none, &["/web_acl_arn"]),
            resource("aws_lb", internal, &[]),
            resource("aws_lb", missing, &[]),
            resource("aws_lb", good_lb(), &["/internal"]),
        ];
        let f = run::<Elbv2Pack>("aws_lb", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, WAF_ON_PUBLIC),
            vec![(0, "fail"), (1, "unknown"), (3, "unknown"), (4, "unknown")]
        );
    }

    #[test]
    fn network_load_balancers_skip_the_application_rules() {
        let attrs = json!({"name": "nlb", "load_balancer_type": "network", "internal": false,
            "access_logs": {"enabled": false}, "enable_deletion_protection": true,
            "subnets": ["subnet-a"]});
        let f = run::<Elbv2Pack>("aws_lb", &[resource("aws_lb", attrs, &[])], json!({}));
        assert_eq!(verdicts_of(&f, ACCESS_LOGS), vec![(0, "fail")]);
        assert_eq!(verdicts_of(&f, MULTI_AZ), vec![(0, "fail")]);
        assert!(verdicts_of(&f, DROP_INVALID_HEADERS).is_empty());
        assert!(verdicts_of(&f, WAF_ON_PUBLIC).is_empty());
    }

    #[test]
    fn an_http_listener_passes_only_when_it_redirects_to_https() {
        let listener = |action: Value, unknown: &[&str]| {
            resource(
                "aws_lb_listener",
                json!({"protocol": "HTTP", "port": 80, "default_action": [action]}),
                unknown,
            )
        };
        let redirect = json!({"type": "redirect", "redirect": [{"protocol": "HTTPS", "status_code": "HTTP_301"}]});
        let forward = json!({"type": "forward", "target_group_arn": "arn:tg", "redirect": []});
        let batch = [
            listener(redirect.clone(), &[]),
            listener(forward, &[]),
            listener(redirect, &["/default_action/0/redirect/0/protocol"]),
        ];
        let f = run::<Elbv2Pack>("aws_lb_listener", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, HTTP_WITHOUT_REDIRECT),
            vec![(1, "fail"), (2, "unknown")]
        );
    }

    #[test]
    fn tls_policies_older_than_1_2_fail_and_unknown_names_are_unknown() {
        let listener = |policy: &str| {
            resource(
                "aws_lb_listener",
                json!({"protocol": "HTTPS", "port": 443, "ssl_policy": policy, "default_action": []}),
                &[],
            )
        };
        let batch = [
            listener("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            listener("ELBSecurityPolicy-2016-08"),
            listener("Custom"),
        ];
        let f = run::<Elbv2Pack>("aws_lb_listener", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, OLD_TLS_POLICY),
            vec![(1, "fail"), (2, "unknown")]
        );
    }
}
