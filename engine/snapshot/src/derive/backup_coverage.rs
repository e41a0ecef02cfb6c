//! Which AWS Backup plans select each critical resource
//! (`backup_plans` on [`CRITICAL`] kinds), with where each plan copies its
//! recovery points: so that "is it backed up" and "does a copy leave the
//! region or account" can be judged on the resource, which a rule pack
//! cannot do (it sees one kind at a time).
//!
//! A plan's selections (`aws_backup_plan.selections`, joined from
//! `aws_backup_selection` in a plan) assign resources as AWS Backup does:
//! - `resources`: ARN patterns (`*` matches any run of characters), any of
//!   which selects; empty means every resource;
//! - `selection_tag` (ListOfTags): any matching tag selects;
//! - `condition`: every `string_equals`, `string_not_equals`,
//!   `string_like`, `string_not_like` on `aws:ResourceTag/<key>` must hold;
//! - `not_resources`: ARN patterns that exclude.
//!
//! When a selection gives both `resources` and `selection_tag`, the
//! resource must match both or neither to be decided: AWS documents each
//! on its own, so a resource matching only one is left unknown rather
//! than guessed. A plan selects resources of its own account and region.
//!
//! The list holds one element per selecting plan: `{arn, name,
//! copy_regions, copy_accounts}` from its copy actions' destination vault
//! ARNs. A plan whose selection cannot be decided for the resource (an
//! unknown ARN pattern, unknown tags, selections not read) adds one wholly
//! unknown element at the end; a destination that is not known leaves
//! that plan's `copy_regions` and `copy_accounts` unknown. When the plans
//! of the resource's region could not be listed, the attribute is unknown.
//!
//! A Terraform plan is not the whole account: a backup plan in another
//! stack, or one an organisation backup policy deploys, may select the
//! resource. In a plan every list therefore ends with the wholly unknown
//! element, so "no plan selects it" is never concluded from a plan (a plan
//! that does select the resource still shows it).

use serde_json::{Value, json};

use super::{Derived, is_unknown, tags_unknown, unknown_within};
use crate::{Gap, Resource};

const PLAN: &str = "aws_backup_plan";

/// The kinds whose backup coverage is derived, with the ARN service and
/// resource prefix of their ARNs (to rule out patterns when an ARN is not
/// yet known).
pub(super) const CRITICAL: &[(&str, &str, &str)] = &[
    ("aws_db_instance", "rds", "db:"),
    ("aws_rds_cluster", "rds", "cluster:"),
    ("aws_ebs_volume", "ec2", "volume/"),
    ("aws_dynamodb_table", "dynamodb", "table/"),
    ("aws_efs_file_system", "elasticfilesystem", "file-system/"),
];

/// Per resource: its `backup_plans` for a critical kind, `None` otherwise.
pub(super) fn backup_coverage(
    resources: &[Resource],
    gaps: &[Gap],
    plan: bool,
) -> Vec<Option<Derived>> {
    let plans: Vec<&Resource> = resources.iter().filter(|r| r.kind == PLAN).collect();
    resources
        .iter()
        .map(|r| {
            let (_, service, prefix) = CRITICAL.iter().find(|(k, _, _)| *k == r.kind)?;
            Some(coverage(r, (service, prefix), &plans, gaps, plan))
        })
        .collect()
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

fn coverage(
    r: &Resource,
    arn_shape: (&str, &str),
    plans: &[&Resource],
    gaps: &[Gap],
    partial: bool,
) -> Derived {
    let unlisted = gaps.iter().any(|g| {
        g.kind.as_deref() == Some(PLAN)
            && g.resource.is_none()
            && same(g.account.as_deref(), r.account.as_deref())
            && same(g.region.as_deref(), r.region.as_deref())
    });
    if unlisted {
        return Derived::Unknown;
    }
    let target = Target::of(r, arn_shape);
    let (mut list, mut unknown, mut undecided) = (Vec::new(), Vec::new(), false);
    for plan in plans {
        if !same(plan.account.as_deref(), r.account.as_deref())
            || !same(plan.region.as_deref(), r.region.as_deref())
        {
            continue;
        }
        match selects(plan, &target) {
            Some(true) => {
                let n = list.len();
                let (element, copies_known) = element(plan);
                if !copies_known {
                    unknown.push(format!("/{n}/copy_regions"));
                    unknown.push(format!("/{n}/copy_accounts"));
                }
                list.push(element);
            }
            Some(false) => {}
            None => undecided = true,
        }
    }
    if undecided || partial {
        unknown.push(format!("/{}", list.len()));
        list.push(Value::Null);
    }
    if unknown.is_empty() {
        Derived::Known(Value::Array(list))
    } else {
        Derived::Partial(Value::Array(list), unknown)
    }
}

/// A selecting plan's element, and whether its copy destinations are known.
fn element(plan: &Resource) -> (Value, bool) {
    let mut regions: Vec<String> = Vec::new();
    let mut accounts: Vec<String> = Vec::new();
    let mut known = !is_unknown(plan, "/rule");
    let rules = plan.attributes.get("rule").and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let at = format!("/rule/{i}/copy_action");
        if is_unknown(plan, &at) {
            known = false;
            continue;
        }
        let copies = rule.get("copy_action").and_then(Value::as_array);
        for (j, copy) in copies.into_iter().flatten().enumerate() {
            let pointer = format!("{at}/{j}/destination_vault_arn");
            let arn = copy.get("destination_vault_arn").and_then(Value::as_str);
            match arn.filter(|_| !is_unknown(plan, &pointer)) {
                Some(arn) => {
                    let mut parts = arn.split(':');
                    let (region, account) = (parts.nth(3), parts.next());
                    regions.extend(region.filter(|s| !s.is_empty()).map(str::to_owned));
                    accounts.extend(account.filter(|s| !s.is_empty()).map(str::to_owned));
                }
                None => known = false,
            }
        }
    }
    for list in [&mut regions, &mut accounts] {
        list.sort();
        list.dedup();
    }
    let text = |name: &str| plan.attributes.get(name).cloned().unwrap_or(Value::Null);
    let (regions, accounts) = if known {
        (json!(regions), json!(accounts))
    } else {
        (Value::Null, Value::Null)
    };
    (
        json!({"arn": text("arn"), "name": text("name"), "copy_regions": regions, "copy_accounts": accounts}),
        known,
    )
}

/// The resource as a selection sees it.
struct Target<'a> {
    r: &'a Resource,
    /// `None` when the ARN is not known.
    arn: Option<&'a str>,
    service: &'a str,
    prefix: &'a str,
}

impl<'a> Target<'a> {
    fn of(r: &'a Resource, (service, prefix): (&'a str, &'a str)) -> Target<'a> {
        let arn = if is_unknown(r, "/arn") {
            None
        } else {
            r.attributes.get("arn").and_then(Value::as_str)
        };
        Target {
            r,
            arn: arn.filter(|a| !a.is_empty()),
            service,
            prefix,
        }
    }

    /// Whether an ARN pattern matches; `None` when the ARN is not known
    /// and the pattern could match an ARN of this kind.
    fn matches(&self, pattern: &str) -> Option<bool> {
        if pattern == "*" {
            return Some(true);
        }
        if let Some(arn) = self.arn {
            return Some(glob(pattern, arn));
        }
        let fields: Vec<&str> = pattern.splitn(6, ':').collect();
        // Every resource of this type (`arn:aws:rds:*:*:db:*`) in a place
        // that holds this one: selected whatever its id.
        let place = |n: usize, own: Option<&str>| {
            fields
                .get(n)
                .is_some_and(|f| *f == "*" || own.is_some_and(|o| o == *f))
        };
        let whole_type = fields.get(5) == Some(&format!("{}*", self.prefix).as_str());
        if fields.get(2) == Some(&self.service)
            && place(3, self.r.region.as_deref())
            && place(4, self.r.account.as_deref())
            && whole_type
        {
            return Some(true);
        }
        let service_differs = fields
            .get(2)
            .is_some_and(|s| !s.contains(['*', '?']) && *s != self.service);
        let literal = fields
            .get(5)
            .map(|rest| rest.split(['*', '?']).next().unwrap_or_default())
            .unwrap_or_default();
        let prefix_differs = !self.prefix.starts_with(literal) && !literal.starts_with(self.prefix);
        if service_differs || (fields.len() == 6 && prefix_differs) {
            Some(false)
        } else {
            None
        }
    }

    /// The tag's value: `Err(())` when the tags are not known.
    fn tag(&self, key: &str) -> Result<Option<&'a str>, ()> {
        if tags_unknown(self.r) {
            return Err(());
        }
        Ok(["tags_all", "tags"].iter().find_map(|field| {
            self.r
                .attributes
                .get(*field)
                .and_then(|t| t.get(key))
                .and_then(Value::as_str)
        }))
    }
}

/// Three-valued logic: `None` is unknown.
fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn any(items: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut result = Some(false);
    for item in items {
        match item {
            Some(true) => return Some(true),
            None => result = None,
            Some(false) => {}
        }
    }
    result
}

/// Whether any selection of `plan` selects the target.
fn selects(plan: &Resource, target: &Target) -> Option<bool> {
    if is_unknown(plan, "/selections") {
        return None;
    }
    let selections = plan.attributes.get("selections").and_then(Value::as_array);
    any(selections
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, s)| selection(plan, &format!("/selections/{i}"), s, target)))
}

/// The patterns of a list attribute: `None` for an unknown element, and
/// whether the list is given at all.
fn patterns(plan: &Resource, at: &str, v: Option<&Value>) -> Option<Vec<Option<String>>> {
    if is_unknown(plan, at) {
        return Some(vec![None]);
    }
    let list = v.and_then(Value::as_array).filter(|l| !l.is_empty())?;
    Some(
        list.iter()
            .enumerate()
            .map(|(j, p)| {
                p.as_str()
                    .filter(|_| !is_unknown(plan, &format!("{at}/{j}")))
                    .map(str::to_owned)
            })
            .collect(),
    )
}

fn selection(plan: &Resource, at: &str, s: &Value, target: &Target) -> Option<bool> {
    if is_unknown(plan, at) {
        return None;
    }
    let by_arn = |list: Vec<Option<String>>| {
        any(list.into_iter().map(|p| p.and_then(|p| target.matches(&p))))
    };
    let resources = patterns(plan, &format!("{at}/resources"), s.get("resources")).map(by_arn);
    let excluded = patterns(plan, &format!("{at}/not_resources"), s.get("not_resources"))
        .map(by_arn)
        .unwrap_or(Some(false));
    let tags = list_of_tags(plan, at, s, target);
    let base = match (resources, tags) {
        (Some(r), None) => r,
        (None, Some(t)) => t,
        (None, None) => Some(true),
        // Both given: decided only where they agree.
        (Some(r), Some(t)) => match (r, t) {
            (Some(a), Some(b)) if a == b => Some(a),
            _ => None,
        },
    };
    let conditions = conditions(plan, at, s, target);
    and(and(base, conditions), excluded.map(|e| !e))
}

/// `selection_tag` (ListOfTags, STRINGEQUALS): `None` when not given.
fn list_of_tags(plan: &Resource, at: &str, s: &Value, target: &Target) -> Option<Option<bool>> {
    let pointer = format!("{at}/selection_tag");
    if unknown_within(plan, &pointer) {
        return Some(None);
    }
    let list = s
        .get("selection_tag")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())?;
    Some(any(list.iter().map(|t| {
        let key = t.get("key").and_then(Value::as_str)?;
        let value = t.get("value").and_then(Value::as_str)?;
        let kind = t
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("STRINGEQUALS");
        if !kind.eq_ignore_ascii_case("STRINGEQUALS") {
            return None;
        }
        target.tag(key).ok().map(|v| v == Some(value))
    })))
}

/// `condition`: every operator's every entry must hold.
fn conditions(plan: &Resource, at: &str, s: &Value, target: &Target) -> Option<bool> {
    let pointer = format!("{at}/condition");
    if unknown_within(plan, &pointer) {
        return None;
    }
    let Some(block) = s.get("condition").filter(|c| !c.is_null()) else {
        return Some(true);
    };
    let mut result = Some(true);
    for (op, entries) in block.as_object().into_iter().flatten() {
        for entry in entries.as_array().into_iter().flatten() {
            result = and(result, condition(op, entry, target));
        }
    }
    result
}

fn condition(op: &str, entry: &Value, target: &Target) -> Option<bool> {
    let key = entry.get("key").and_then(Value::as_str)?;
    let expected = entry.get("value").and_then(Value::as_str)?;
    // Only tag conditions exist; another key is not something to guess.
    let tag = key.strip_prefix("aws:ResourceTag/")?;
    let actual = target.tag(tag).ok()?;
    let like = |v: Option<&str>| v.is_some_and(|v| glob(expected, v));
    match op {
        "string_equals" => Some(actual == Some(expected)),
        "string_not_equals" => Some(actual != Some(expected)),
        "string_like" => Some(like(actual)),
        "string_not_like" => Some(!like(actual)),
        _ => None,
    }
}

/// `*` matches any run of characters, `?` any one character.
pub(super) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}
