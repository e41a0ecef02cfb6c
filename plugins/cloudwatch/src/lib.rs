//! Built-in CloudWatch monitoring rules: the CIS AWS Foundations metric
//! filters and alarms (PILLAR-CW-001 to 015, CIS 4.1–4.15), one rule per
//! event, all judged by one table ([`events::EVENTS`]) over one derived
//! attribute, `aws_cloudtrail.log_metric_filters`: the metric filters on
//! the trail's CloudWatch Logs group, each with whether an alarm that
//! notifies someone watches its metric (engine/snapshot derive).
//!
//! Judged: multi-region, logging trails that deliver to CloudWatch Logs.
//! Other trails are not this family's concern (PILLAR-CT-002, 005 and 006
//! fail them) and get no verdict.

mod events;
mod pattern;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

use events::{EVENTS, Event};

const FILTERS: &str = "/log_metric_filters";

pub struct CloudWatchPack;

impl RulePack for CloudWatchPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-cloudwatch", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        if kind != "aws_cloudtrail" {
            return Err(EvalError::UnsupportedKind(kind.to_owned()));
        }
        for (i, t) in batch.iter().enumerate() {
            for e in EVENTS {
                judge(e, i, t, out);
            }
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(CloudWatchPack);

/// What the trail's filters say about one event.
#[derive(Debug, PartialEq)]
enum Watch {
    /// A filter covering the event feeds an acting alarm.
    Alarmed,
    /// Known: none does.
    Missing,
    /// None known to, and one might: the pointer that is unknown.
    Unsure(String),
}

fn watch(e: &Event, t: &Resource) -> Watch {
    let len = match t.attr(FILTERS) {
        Attr::Unknown => return Watch::Unsure(FILTERS.into()),
        a => a.as_array().map_or(0, Vec::len),
    };
    let mut unsure = None;
    for n in 0..len {
        let at = format!("{FILTERS}/{n}");
        let alarmed = t.flag(&format!("{at}/alarmed"), false);
        if alarmed == Some(false) {
            continue;
        }
        let covers = match t.attr(&format!("{at}/pattern")) {
            Attr::Unknown => None,
            a => Some(a.as_str().is_some_and(|p| e.covered_by(p))),
        };
        // A filter whose group is unknown is listed whole-unknown.
        let covers = if t.is_unknown(&at) { None } else { covers };
        match (covers, alarmed) {
            (Some(true), Some(true)) => return Watch::Alarmed,
            (Some(false), _) => {}
            (None, _) => unsure = unsure.or(Some(format!("{at}/pattern"))),
            (Some(true), _) => unsure = unsure.or(Some(format!("{at}/alarmed"))),
        }
    }
    unsure.map_or(Watch::Missing, Watch::Unsure)
}

/// Whether the trail is one these rules judge: `Ok(true)` judged,
/// `Ok(false)` not, `Err` not known (the unknown pointer).
fn judged(t: &Resource) -> Result<bool, &'static str> {
    match t.flag("/is_multi_region_trail", false) {
        Some(false) => return Ok(false),
        None => return Err("/is_multi_region_trail"),
        Some(true) => {}
    }
    match t.flag("/enable_logging", true) {
        Some(false) => return Ok(false),
        None => return Err("/enable_logging"),
        Some(true) => {}
    }
    match t.text("/cloud_watch_logs_group_arn") {
        Ok(Some(_)) => Ok(true),
        Ok(None) => Ok(false),
        Err(()) => Err("/cloud_watch_logs_group_arn"),
    }
}

fn judge(e: &Event, i: usize, t: &Resource, out: &mut dyn Sink) {
    let watch = watch(e, t);
    // Watched is a pass whatever else is unknown about the trail.
    if watch == Watch::Alarmed {
        return;
    }
    let name = t.display_name();
    let cis = format!("(CIS {})", e.cis);
    match judged(t) {
        Ok(false) => {}
        Err(at) => out.unknown(
            e.rule,
            i,
            format!("{name}: whether the trail is judged is not known ({} is unknown) {cis}", &at[1..]),
            Some(at.into()),
        ),
        Ok(true) => match watch {
            Watch::Missing => out.fail(
                e.rule,
                i,
                format!("{name}: no metric filter on the trail's log group matches {} with an alarm that notifies anyone {cis}", e.what),
                Some(FILTERS.into()),
            ),
            Watch::Unsure(at) => out.unknown(
                e.rule,
                i,
                format!("{name}: whether a metric filter and alarm watch {} is not known {cis}", e.what),
                Some(at),
            ),
            Watch::Alarmed => {}
        },
    }
}

#[cfg(test)]
mod tests;
