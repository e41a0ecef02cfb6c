//! Built-in WAFv2 rules: web ACLs with no rules at all (PILLAR-WAF-001),
//! with no managed rule group (PILLAR-WAF-002), or whose requests are not
//! logged (PILLAR-WAF-003).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

pub const NO_RULES: &str = "PILLAR-WAF-001";
pub const NO_MANAGED_RULES: &str = "PILLAR-WAF-002";
pub const LOGGING: &str = "PILLAR-WAF-003";

pub struct Wafv2Pack;

impl RulePack for Wafv2Pack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-wafv2", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_wafv2_web_acl" => {
                for (i, acl) in batch.iter().enumerate() {
                    rules(i, acl, out);
                    logging(i, acl, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Wafv2Pack);

/// Whether rule `n`'s statement is a managed rule group: `None` unknown.
fn is_managed(acl: &Resource, n: usize) -> Option<bool> {
    let at = format!("/rule/{n}/statement/0/managed_rule_group_statement");
    match acl.attr(&at) {
        Attr::Known(Value::Array(list)) => Some(!list.is_empty()),
        Attr::Known(Value::Object(_)) => Some(true),
        Attr::Unknown => None,
        _ if acl.has_unknown_within(&format!("/rule/{n}/statement")) => None,
        _ => Some(false),
    }
}

/// PILLAR-WAF-001 and 002: a web ACL with no rules lets everything through
/// to its default action; one without a managed rule group has no
/// protection against the common exploits AWS and vendors keep current.
fn rules(i: usize, acl: &Resource, out: &mut dyn Sink) {
    let name = acl.display_name();
    let list = match acl.attr("/rule") {
        Attr::Known(Value::Array(list)) => list,
        Attr::Unknown => {
            for rule in [NO_RULES, NO_MANAGED_RULES] {
                out.unknown(
                    rule,
                    i,
                    format!("{name}: the web ACL's rules are not known"),
                    Some("/rule".into()),
                );
            }
            return;
        }
        _ => &Vec::new(),
    };
    // An unknown element of the list is still a rule.
    if list.is_empty() && !acl.has_unknown_within("/rule") {
        out.fail(
            NO_RULES,
            i,
            format!("{name}: the web ACL has no rules; every request gets its default action"),
            Some("/rule".into()),
        );
        // PILLAR-WAF-001 says it: an empty web ACL is not judged twice.
        return;
    }
    let mut unknown = acl.has_unknown_within("/rule") && list.is_empty();
    for n in 0..list.len() {
        match is_managed(acl, n) {
            Some(true) => return,
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown {
        out.unknown(
            NO_MANAGED_RULES,
            i,
            format!("{name}: whether a rule uses a managed rule group is not known"),
            Some("/rule".into()),
        );
    } else {
        out.fail(
            NO_MANAGED_RULES,
            i,
            format!("{name}: no rule of the web ACL uses a managed rule group"),
            Some("/rule".into()),
        );
    }
}

/// PILLAR-WAF-003: the web ACL's requests are logged somewhere.
fn logging(i: usize, acl: &Resource, out: &mut dyn Sink) {
    let name = acl.display_name();
    let pointer = "/logging_configuration/log_destination_configs";
    if acl.is_unknown("/logging_configuration") || acl.is_unknown(pointer) {
        out.unknown(
            LOGGING,
            i,
            format!("{name}: whether the web ACL logs its requests is not known"),
            Some(pointer.into()),
        );
        return;
    }
    if acl.attributes.get("logging_configuration").is_none() {
        out.unknown(
            LOGGING,
            i,
            format!("{name}: the web ACL's logging was not read"),
            Some("/logging_configuration".into()),
        );
        return;
    }
    match acl.attr(pointer) {
        Attr::Known(Value::Array(list)) if !list.is_empty() => {}
        Attr::Known(Value::Array(_)) if acl.has_unknown_within(pointer) => {}
        _ => out.fail(
            LOGGING,
            i,
            format!("{name}: the web ACL logs no requests"),
            Some("/logging_configuration".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    fn managed() -> Value {
        json!({"name": "common", "priority": 1, "statement": [{"managed_rule_group_statement": [{"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}], "rule_group_reference_statement": []}]})
    }

    fn own() -> Value {
        json!({"name": "rate", "priority": 2, "statement": [{"managed_rule_group_statement": [], "rule_group_reference_statement": []}]})
    }

    #[test]
    fn rules_and_managed_rule_groups() {
        let logged = json!({"log_destination_configs": ["arn:aws:logs:eu-west-1:1:log-group:aws-waf-logs-x"]});
        let acl =
            |rules: Value| json!({"name": "web", "rule": rules, "logging_configuration": logged});
        let batch = [
            resource("aws_wafv2_web_acl", acl(json!([managed(), own()])), &[]),
            resource("aws_wafv2_web_acl", acl(json!([own()])), &[]),
            resource("aws_wafv2_web_acl", acl(json!([])), &[]),
            resource("aws_wafv2_web_acl", acl(Value::Null), &["/rule"]),
            resource(
                "aws_wafv2_web_acl",
                acl(json!([own()])),
                &["/rule/0/statement"],
            ),
        ];
        let f = run::<Wafv2Pack>("aws_wafv2_web_acl", &batch, json!({}));
        assert_eq!(verdicts_of(&f, NO_RULES), vec![(2, "fail"), (3, "unknown")]);
        assert_eq!(
            verdicts_of(&f, NO_MANAGED_RULES),
            vec![(1, "fail"), (3, "unknown"), (4, "unknown")]
        );
        assert!(verdicts_of(&f, LOGGING).is_empty());
    }

    #[test]
    fn logging_off_fails_and_unread_logging_is_unknown() {
        let batch = [
            resource(
                "aws_wafv2_web_acl",
                json!({"rule": [managed()], "logging_configuration": null}),
                &[],
            ),
            resource(
                "aws_wafv2_web_acl",
                json!({"rule": [managed()], "logging_configuration": null}),
                &["/logging_configuration"],
            ),
            resource("aws_wafv2_web_acl", json!({"rule": [managed()]}), &[]),
        ];
        let f = run::<Wafv2Pack>("aws_wafv2_web_acl", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, LOGGING),
            vec![(0, "fail"), (1, "unknown"), (2, "unknown")]
        );
    }
}
