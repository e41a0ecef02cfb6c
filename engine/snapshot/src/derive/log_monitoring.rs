//! What watches a trail's CloudWatch Logs group
//! (`aws_cloudtrail.log_metric_filters`): the metric filters on the group
//! the trail delivers to, and for each whether an alarm that notifies
//! someone watches its metric. The CIS monitoring rules (PILLAR-CW-*) judge
//! the patterns; this module only links the three kinds, which a rule pack
//! cannot do (it sees one kind at a time).
//!
//! Links are by name, as AWS makes them: a trail names its group by ARN, a
//! filter names its group by name, an alarm names a metric by name and
//! namespace (directly, or in a metric-math `metric_query`). All three live
//! in the trail's home region, so a filter or alarm must share the group's
//! account and region wherever both say (a plan's resources say neither).
//!
//! A plan is not the whole account: filters and alarms outside it may exist.
//! In a plan, each trail's list therefore ends with one wholly unknown
//! element (filters the plan does not show), and no `alarmed` is `false`
//! (an alarm the plan does not show may watch the metric): a plan can pass
//! a trail, never fail it.
//!
//! Unknowns never become "none": a trail whose group is unknown, or whose
//! region's filters could not be listed, gets `null`; a filter whose group
//! is unknown is listed with its whole element unknown (it may or may not
//! be on the group); an `alarmed` that depends on an unknown alarm, or on
//! alarms that could not be listed, is `null` unless a known alarm decides.

use serde_json::{Map, Value, json};

use super::{Derived, is_unknown, unknown_within};
use crate::{Gap, Resource};

pub(super) const TRAIL: &str = "aws_cloudtrail";
const FILTER: &str = "aws_cloudwatch_log_metric_filter";
const ALARM: &str = "aws_cloudwatch_metric_alarm";

/// Per resource: for a trail, its `log_metric_filters` and the pointers
/// inside it that are unknown; `None` for other kinds.
pub(super) type Monitoring = Option<(Derived, Vec<String>)>;

/// `partial`: the snapshot is a plan, not the whole account.
pub(super) fn log_monitoring(
    resources: &[Resource],
    gaps: &[Gap],
    partial: bool,
) -> Vec<Monitoring> {
    let seen = Seen { gaps, partial };
    let filters: Vec<&Resource> = resources.iter().filter(|r| r.kind == FILTER).collect();
    let alarms: Vec<&Resource> = resources.iter().filter(|r| r.kind == ALARM).collect();
    resources
        .iter()
        .map(|r| (r.kind == TRAIL).then(|| trail(r, &filters, &alarms, &seen)))
        .collect()
}

/// What the snapshot may not show: listing gaps, and for a plan anything
/// outside it.
struct Seen<'a> {
    gaps: &'a [Gap],
    partial: bool,
}

/// A place named by an ARN or a resource: empty parts (a plan's) match any.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    account: &'a str,
    region: &'a str,
}

impl<'a> Place<'a> {
    fn of(r: &'a Resource) -> Place<'a> {
        Place {
            account: r.account.as_deref().unwrap_or_default(),
            region: r.region.as_deref().unwrap_or_default(),
        }
    }

    fn holds(&self, other: &Place) -> bool {
        let same = |a: &str, b: &str| a.is_empty() || b.is_empty() || a == b;
        same(self.account, other.account) && same(self.region, other.region)
    }

    /// Whether a listing gap of `kind` may hide resources here.
    fn hidden(&self, gaps: &[Gap], kind: &str) -> bool {
        let opt = |s: &'a str| (!s.is_empty()).then_some(s);
        gaps.iter()
            .any(|g| g.may_hide(opt(self.account), opt(self.region), Some(kind), None))
    }
}

/// The group a trail delivers to, from `arn:<p>:logs:<region>:<account>:log-group:<name>[:*]`.
fn group_of(arn: &str) -> Option<(Place<'_>, &str)> {
    let mut parts = arn.splitn(7, ':');
    let (_, _, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let name = parts.next()?.split(':').next()?;
    (service == "logs" && resource == "log-group" && !name.is_empty())
        .then_some((Place { account, region }, name))
}

fn trail(
    t: &Resource,
    filters: &[&Resource],
    alarms: &[&Resource],
    seen: &Seen,
) -> (Derived, Vec<String>) {
    if is_unknown(t, "/cloud_watch_logs_group_arn") {
        return (Derived::Unknown, vec![]);
    }
    let Some(arn) = t
        .attributes
        .get("cloud_watch_logs_group_arn")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    else {
        // No delivery: nothing can watch the trail's events.
        return (Derived::Known(json!([])), vec![]);
    };
    let Some((place, group)) = group_of(arn) else {
        return (Derived::Unknown, vec![]);
    };
    if place.hidden(seen.gaps, FILTER) {
        return (Derived::Unknown, vec![]);
    }
    let mut list = Vec::new();
    let mut unknown = Vec::new();
    for f in filters.iter().filter(|f| Place::of(f).holds(&place)) {
        let at = format!("/log_metric_filters/{}", list.len());
        let on_group = if is_unknown(f, "/log_group_name") {
            None
        } else {
            Some(f.attributes.get("log_group_name").and_then(Value::as_str) == Some(group))
        };
        match on_group {
            Some(false) => continue,
            None => unknown.push(at.clone()),
            Some(true) => {}
        }
        let (entry, inner) = entry(f, &place, alarms, seen);
        unknown.extend(inner.into_iter().map(|p| format!("{at}{p}")));
        list.push(Value::Object(entry));
    }
    if seen.partial {
        // The filters on the group that the plan does not show.
        unknown.push(format!("/log_metric_filters/{}", list.len()));
        list.push(json!({"name": null, "pattern": null, "metric_name": null,
            "metric_namespace": null, "alarmed": null, "alarms": []}));
    }
    (Derived::Known(Value::Array(list)), unknown)
}

/// One filter on the group: its pattern, its metric and whether an acting
/// alarm watches that metric; with the pointers (relative to the entry)
/// that are unknown.
fn entry(
    f: &Resource,
    group: &Place,
    alarms: &[&Resource],
    seen: &Seen,
) -> (Map<String, Value>, Vec<String>) {
    let mut unknown = Vec::new();
    let pattern = if is_unknown(f, "/pattern") {
        unknown.push("/pattern".to_owned());
        Value::Null
    } else {
        // An absent pattern is an empty one: it matches every event.
        json!(
            f.attributes
                .get("pattern")
                .and_then(Value::as_str)
                .unwrap_or_default()
        )
    };
    let metric = metric_of(f);
    let place = match Place::of(f) {
        p if p.account.is_empty() && p.region.is_empty() => *group,
        p => p,
    };
    let (alarmed, names) = match metric {
        Some((name, namespace)) => alarmed(name, namespace, &place, alarms, seen),
        None => (None, vec![]),
    };
    if alarmed.is_none() {
        unknown.push("/alarmed".to_owned());
    }
    let mut m = Map::new();
    m.insert("name".into(), json!(f.attributes.get("name")));
    m.insert("pattern".into(), pattern);
    m.insert("metric_name".into(), json!(metric.map(|m| m.0)));
    m.insert("metric_namespace".into(), json!(metric.map(|m| m.1)));
    m.insert("alarmed".into(), json!(alarmed));
    m.insert("alarms".into(), json!(names));
    (m, unknown)
}

/// The filter's metric (name, namespace); `None` when unknown. Terraform's
/// `metric_transformation` is a one-element block list; an object is read
/// the same.
fn metric_of(f: &Resource) -> Option<(&str, &str)> {
    if unknown_within(f, "/metric_transformation") {
        return None;
    }
    let t = f.attributes.get("metric_transformation")?;
    let t = t.as_array().map_or(Some(t), |l| l.first())?;
    Some((t.get("name")?.as_str()?, t.get("namespace")?.as_str()?))
}

/// Whether an alarm that acts (actions enabled, at least one alarm action)
/// watches the metric, and the names of those known to: `None` when no
/// known alarm does and an unknown one might.
fn alarmed(
    name: &str,
    namespace: &str,
    place: &Place,
    alarms: &[&Resource],
    seen: &Seen,
) -> (Option<bool>, Vec<String>) {
    let mut names = Vec::new();
    let mut unsure = seen.partial || place.hidden(seen.gaps, ALARM);
    for a in alarms.iter().filter(|a| Place::of(a).holds(place)) {
        match watches(a, name, namespace).and_then(|w| Some(w && acts(a)?)) {
            Some(true) => names.push(
                a.attributes
                    .get("alarm_name")
                    .and_then(Value::as_str)
                    .unwrap_or(&a.id)
                    .to_owned(),
            ),
            Some(false) => {}
            None => unsure = true,
        }
    }
    names.sort_unstable();
    if !names.is_empty() {
        (Some(true), names)
    } else if unsure {
        (None, names)
    } else {
        (Some(false), names)
    }
}

/// Whether the alarm watches the metric, directly or in a `metric_query`;
/// `None` when that is unknown.
fn watches(a: &Resource, name: &str, namespace: &str) -> Option<bool> {
    let same = |m: &Map<String, Value>| {
        m.get("metric_name").and_then(Value::as_str) == Some(name)
            && m.get("namespace").and_then(Value::as_str) == Some(namespace)
    };
    if same(&a.attributes) {
        return Some(true);
    }
    if is_unknown(a, "/metric_name")
        || is_unknown(a, "/namespace")
        || unknown_within(a, "/metric_query")
    {
        return None;
    }
    let queried = a
        .attributes
        .get("metric_query")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|q| q.get("metric"))
        .flat_map(|m| m.as_array().cloned().unwrap_or_else(|| vec![m.clone()]))
        .any(|m| m.as_object().is_some_and(same));
    Some(queried)
}

/// Whether the alarm notifies someone; `None` when unknown.
fn acts(a: &Resource) -> Option<bool> {
    if is_unknown(a, "/actions_enabled") {
        return None;
    }
    // Terraform's and the API's default is enabled.
    let enabled = a
        .attributes
        .get("actions_enabled")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if !enabled {
        return Some(false);
    }
    if unknown_within(a, "/alarm_actions") {
        return None;
    }
    Some(
        a.attributes
            .get("alarm_actions")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|v| v.as_str().is_some_and(|s| !s.is_empty()))),
    )
}
