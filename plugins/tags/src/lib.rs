//! Built-in tagging rules: required tags (PILLAR-TAG-001) and production
//! and non-production resources in one account (PILLAR-TAG-002, from the
//! host-derived `account_production_resources`).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::checks::as_i64;
use pillar_rule_sdk::prelude::*;

pub const REQUIRED_TAGS: &str = "PILLAR-TAG-001";
pub const MIXED_ENVIRONMENTS: &str = "PILLAR-TAG-002";

pub struct TagsPack;

impl RulePack for TagsPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-tags", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let declared = catalog::get(REQUIRED_TAGS).map_or(&[][..], |r| r.kinds);
        if !declared.contains(&kind) {
            return Err(EvalError::UnsupportedKind(kind.to_owned()));
        }
        let config = config::current();
        // Read once per batch, not once per resource.
        let keys = config.strings(REQUIRED_TAGS, "keys");
        let exact = config.bool(REQUIRED_TAGS, "case_sensitive");
        for (i, r) in batch.iter().enumerate() {
            required_tags(i, r, &keys, exact, out);
            mixed_environments(i, r, out);
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(TagsPack);

fn required_tags(i: usize, r: &Resource, keys: &[String], exact: bool, out: &mut dyn Sink) {
    if r.tags_unknown() {
        return out.unknown(
            REQUIRED_TAGS,
            i,
            format!("{}: its tags are not known until apply", r.display_name()),
            Some("/tags".into()),
        );
    }
    let missing: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| {
            let value = if exact {
                r.tag(k)
            } else {
                r.tag_ignore_case(k)
            };
            value.is_none_or(|v| v.trim().is_empty())
        })
        .collect();
    if !missing.is_empty() {
        out.fail(
            REQUIRED_TAGS,
            i,
            format!(
                "{} lacks the required tag(s) {}",
                r.display_name(),
                missing.join(", ")
            ),
            Some("/tags".into()),
        );
    }
}

fn mixed_environments(i: usize, r: &Resource, out: &mut dyn Sink) {
    // Only a finding needs the name: most resources produce none.
    let name = || r.display_name();
    let environment = match r.text("/environment_class") {
        Err(()) => {
            return out.unknown(
                MIXED_ENVIRONMENTS,
                i,
                format!("{}: its environment tag is not known until apply", name()),
                Some("/environment_class".into()),
            );
        }
        Ok(Some("non-production")) => "non-production",
        Ok(_) => return,
    };
    match r.attr("/account_production_resources") {
        Attr::Unknown => out.unknown(
            MIXED_ENVIRONMENTS,
            i,
            format!(
                "{}: whether its account holds production resources is not known",
                name()
            ),
            Some("/account_production_resources".into()),
        ),
        Attr::Known(v) if as_i64(v).unwrap_or(0) > 0 => out.fail(
            MIXED_ENVIRONMENTS,
            i,
            format!(
                "{} is {environment} ({}) but shares account {} with {} production resource(s)",
                name(),
                r.attr("/environment_tag").as_str().unwrap_or("?"),
                r.account.as_deref().unwrap_or("?"),
                as_i64(v).unwrap_or(0)
            ),
            Some("/account_production_resources".into()),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    #[test]
    fn required_tags_with_defaults_and_parameters() {
        let batch = [
            resource(
                "aws_instance",
                json!({"tags": {"Environment": "prod", "Owner": "shop", "cost-center": "cc-1"}}),
                &[],
            ),
            resource(
                "aws_instance",
                json!({"tags": {"environment": "prod"}}),
                &[],
            ),
            resource("aws_instance", json!({}), &["/tags"]),
        ];
        let f = run::<TagsPack>("aws_instance", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, REQUIRED_TAGS),
            vec![(1, "fail"), (2, "unknown")]
        );
        assert!(
            f.0[0].message.contains("owner, cost-center"),
            "{}",
            f.0[0].message
        );
        let strict = run::<TagsPack>(
            "aws_instance",
            &batch[..1],
            json!({"PILLAR-TAG-001": {"case_sensitive": true}}),
        );
        assert_eq!(verdicts_of(&strict, REQUIRED_TAGS), vec![(0, "fail")]);
        let custom = run::<TagsPack>(
            "aws_instance",
            &batch[1..2],
            json!({"PILLAR-TAG-001": {"keys": ["environment"]}}),
        );
        assert!(custom.0.is_empty());
    }

    #[test]
    fn non_production_next_to_production_fails() {
        let tags = json!({"environment": "x", "owner": "o", "cost-center": "c"});
        let batch = [
            resource(
                "aws_instance",
                json!({"tags": tags, "environment_tag": "dev", "environment_class": "non-production", "account_production_resources": 12}),
                &[],
            ),
            resource(
                "aws_instance",
                json!({"tags": tags, "environment_tag": "prod", "environment_class": "production", "account_production_resources": 12}),
                &[],
            ),
            resource(
                "aws_instance",
                json!({"tags": tags, "environment_tag": "dev", "environment_class": "non-production", "account_production_resources": 0}),
                &[],
            ),
            resource(
                "aws_instance",
                json!({"tags": tags, "environment_tag": "dev", "environment_class": "non-production"}),
                &["/account_production_resources"],
            ),
        ];
        let f = run::<TagsPack>("aws_instance", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, MIXED_ENVIRONMENTS),
            vec![(0, "fail"), (3, "unknown")]
        );
        assert!(unsupported());
    }

    fn unsupported() -> bool {
        let mut f = pillar_rule_sdk::Findings::default();
        TagsPack::evaluate("aws_iam_account_summary", &[], &mut f).is_err()
    }
}
