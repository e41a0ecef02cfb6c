//! Backup plan rules: copies to another region (PILLAR-BAK-002) and to
//! another account (003), and how long recovery points are kept (006).

use pillar_rule_sdk::checks::as_i64;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{CROSS_ACCOUNT_COPY, CROSS_REGION_COPY, RETENTION};

/// The known destination vault ARNs of every rule's copy actions, or the
/// pointer of one that is not known.
fn destinations(plan: &Resource) -> Result<Vec<String>, String> {
    let rules = match plan.attr("/rule") {
        Attr::Unknown => return Err("/rule".into()),
        a => a.as_array().cloned().unwrap_or_default(),
    };
    let mut arns = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("/rule/{i}/copy_action");
        if plan.is_unknown(&at) {
            return Err(at);
        }
        let copies = rule.get("copy_action").and_then(Value::as_array);
        for (j, copy) in copies.into_iter().flatten().enumerate() {
            let pointer = format!("{at}/{j}/destination_vault_arn");
            match copy.get("destination_vault_arn").and_then(Value::as_str) {
                Some(arn) if !plan.is_unknown(&pointer) => arns.push(arn.to_owned()),
                _ => return Err(pointer),
            }
        }
    }
    Ok(arns)
}

/// Field `n` of an ARN (3 = region, 4 = account), if set.
fn arn_field(arn: &str, n: usize) -> Option<&str> {
    arn.split(':').nth(n).filter(|s| !s.is_empty())
}

/// Shared by 002 and 003: a copy leaves the plan's own `home` (region or
/// account, field `n` of the destination ARN).
fn copies_elsewhere(
    (rule, i): (&str, usize),
    plan: &Resource,
    (home, n, what): (Option<&str>, usize, &str),
    out: &mut dyn Sink,
) {
    let name = plan.display_name();
    let arns = match destinations(plan) {
        Ok(arns) => arns,
        Err(pointer) => {
            return out.unknown(
                rule,
                i,
                format!("{name}: a copy action's destination vault is not known until apply"),
                Some(pointer),
            );
        }
    };
    let fields: Vec<&str> = arns.iter().filter_map(|a| arn_field(a, n)).collect();
    match home {
        Some(home) if fields.iter().any(|f| *f != home) => {}
        None if !fields.is_empty() => out.unknown(
            rule,
            i,
            format!(
                "{name}: the plan's own {what} is not known, so whether its copies leave it is not"
            ),
            Some("/rule".into()),
        ),
        _ => {
            let detail = if arns.is_empty() {
                "its rules have no copy action".to_owned()
            } else {
                format!("its copy actions stay in the same {what}")
            };
            out.fail(
                rule,
                i,
                format!("{name}: recovery points are not copied to another {what} ({detail})"),
                Some("/rule".into()),
            );
        }
    }
}

/// PILLAR-BAK-002: some rule copies recovery points to a vault in another
/// region.
pub(crate) fn cross_region(i: usize, plan: &Resource, out: &mut dyn Sink) {
    copies_elsewhere(
        (CROSS_REGION_COPY, i),
        plan,
        (plan.region.as_deref(), 3, "region"),
        out,
    );
}

/// PILLAR-BAK-003: when `required`, some rule copies recovery points to a
/// vault in another account.
pub(crate) fn cross_account(i: usize, plan: &Resource, config: &Config, out: &mut dyn Sink) {
    if !config.bool(CROSS_ACCOUNT_COPY, "required") {
        return;
    }
    copies_elsewhere(
        (CROSS_ACCOUNT_COPY, i),
        plan,
        (plan.account.as_deref(), 4, "account"),
        out,
    );
}

/// PILLAR-BAK-006: no rule deletes its recovery points (or their copies)
/// sooner than `min_retention_days`. No `delete_after` keeps them.
pub(crate) fn retention(i: usize, plan: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = plan.display_name();
    let minimum = config.int(RETENTION, "min_retention_days");
    let rules = match plan.attr("/rule") {
        Attr::Unknown => {
            return out.unknown(
                RETENTION,
                i,
                format!("{name}: the plan's rules are not known until apply"),
                Some("/rule".into()),
            );
        }
        a => a.as_array().cloned().unwrap_or_default(),
    };
    let mut short = Vec::new();
    let mut unknown = None;
    for (n, rule) in rules.iter().enumerate() {
        let label = rule
            .get("rule_name")
            .and_then(Value::as_str)
            .unwrap_or("a rule")
            .to_owned();
        let mut places = vec![(
            format!("/rule/{n}/lifecycle"),
            rule.get("lifecycle"),
            label.clone(),
        )];
        let copies = rule.get("copy_action").and_then(Value::as_array);
        for (j, copy) in copies.into_iter().flatten().enumerate() {
            places.push((
                format!("/rule/{n}/copy_action/{j}/lifecycle"),
                copy.get("lifecycle"),
                format!("{label}'s copy {j}"),
            ));
        }
        for (at, lifecycle, label) in places {
            let pointer = format!("{at}/delete_after");
            if plan.is_unknown(&at) || plan.is_unknown(&pointer) {
                unknown.get_or_insert(pointer);
                continue;
            }
            let days = lifecycle
                .and_then(|l| l.get("delete_after"))
                .and_then(as_i64);
            if let Some(d) = days.filter(|d| *d < minimum) {
                short.push((label, d, pointer));
            }
        }
    }
    if let Some((label, days, pointer)) = short.first() {
        out.fail(
            RETENTION,
            i,
            format!("{name}: {label} deletes recovery points after {days} day(s); at least {minimum} required"),
            Some(pointer.clone()),
        );
    } else if let Some(pointer) = unknown {
        out.unknown(
            RETENTION,
            i,
            format!("{name}: a rule's retention is not known until apply"),
            Some(pointer),
        );
    }
}
