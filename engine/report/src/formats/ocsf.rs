//! OCSF: one Detection Finding (class 2004) per pillar finding, OCSF
//! schema 1.5.0 with the `cloud` profile.
//!
//! Why Detection Finding and not Compliance Finding (2003): a pillar
//! finding is one rule's verdict on one resource, which is what Detection
//! Finding describes (`finding_info`, `resources`, `remediation`); a
//! Compliance Finding is the verdict on a framework's control and requires
//! a `compliance` object naming a standard, which most pillar rules do not
//! map to one-to-one. Prowler writes its checks as Detection Findings too
//! (OCSF 1.x), so consumers of Prowler's OCSF (AWS Security Lake, SIEM
//! pipelines) read these the same way.
//!
//! Mapping:
//! - `finding_info.uid` = pillar's fingerprint (stable across runs);
//!   `finding_info.analytic` = the rule (type Rule, uid = rule id);
//! - `severity_id` from pillar's severity (info 1 .. critical 5);
//! - `status_code` = pillar's verdict (`FAIL`, `UNKNOWN`; `PASS` for a
//!   baseline finding now fixed); `status_id` = the finding's workflow:
//!   New (1), Suppressed (3) when muted or ignored in source, Resolved (4)
//!   when fixed since the baseline (with `activity_id` Close);
//! - `resources[0]` = the resource (uid = ARN or Terraform address, type =
//!   its Terraform kind, region); `cloud.account.uid` = its account;
//! - `remediation.desc` = the rule help's Remediation section;
//! - `unmapped.pillar` = what OCSF has no field for (rule, pack, pillar,
//!   attribute pointer, baseline state, suppression reason).

use serde_json::{Value, json};

use super::{FindingRow, FixedRow, FormatError, ReportView, time::epoch_millis};

/// The OCSF schema version written to `metadata.version`.
pub const OCSF_VERSION: &str = "1.5.0";
pub const CLASS_UID: u32 = 2004;
const CATEGORY_UID: u32 = 2;

const ACTIVITY_CREATE: u32 = 1;
const ACTIVITY_CLOSE: u32 = 3;

/// The report as a JSON array of OCSF Detection Findings: its findings,
/// then the baseline's findings fixed since.
pub fn to_ocsf(view: &ReportView) -> Result<String, FormatError> {
    let time = epoch_millis(&view.collected_at).ok_or_else(|| {
        FormatError::Invalid(format!(
            "the snapshot's collected_at `{}` is not an RFC 3339 date-time",
            view.collected_at
        ))
    })?;
    let mut events: Vec<Value> = view
        .findings
        .iter()
        .map(|f| finding(view, f, time))
        .collect();
    events.extend(view.fixed.iter().map(|f| fixed(view, f, time)));
    serde_json::to_string_pretty(&events)
        .map(|s| s + "\n")
        .map_err(|e| FormatError::Invalid(e.to_string()))
}

/// OCSF `severity_id` for a pillar severity.
pub fn severity_id(severity: &str) -> u32 {
    match severity {
        "info" => 1,
        "low" => 2,
        "medium" => 3,
        "high" => 4,
        "critical" => 5,
        _ => 0,
    }
}

fn severity_name(id: u32) -> &'static str {
    match id {
        1 => "Informational",
        2 => "Low",
        3 => "Medium",
        4 => "High",
        5 => "Critical",
        _ => "Unknown",
    }
}

/// What the event's envelope holds for every finding.
struct Envelope<'a> {
    activity_id: u32,
    severity: &'a str,
    status_id: u32,
    status_code: &'a str,
    account: Option<&'a str>,
    region: Option<&'a str>,
}

fn envelope(view: &ReportView, e: &Envelope<'_>, time: i64) -> Value {
    let severity_id = severity_id(e.severity);
    let mut cloud = json!({"provider": "AWS"});
    if let Some(account) = e.account {
        cloud["account"] = json!({"uid": account, "type_id": 10, "type": "AWS Account"});
    }
    if let Some(region) = e.region {
        cloud["region"] = json!(region);
    }
    json!({
        "activity_id": e.activity_id,
        "activity_name": if e.activity_id == ACTIVITY_CLOSE { "Close" } else { "Create" },
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + e.activity_id,
        "type_name": format!(
            "Detection Finding: {}",
            if e.activity_id == ACTIVITY_CLOSE { "Close" } else { "Create" }
        ),
        "severity_id": severity_id,
        "severity": severity_name(severity_id),
        "status_id": e.status_id,
        "status": match e.status_id { 3 => "Suppressed", 4 => "Resolved", _ => "New" },
        "status_code": e.status_code,
        "time": time,
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": ["cloud"],
            "product": {
                "name": "pillar",
                "vendor_name": "pillar",
                "version": view.tool_version,
            },
        },
        "cloud": cloud,
    })
}

fn resource(uid: &str, kind: &str, region: Option<&str>) -> Value {
    let mut r = json!({"uid": uid, "type": kind});
    if let Some(region) = region {
        r["region"] = json!(region);
    }
    if let Some(partition) = uid
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').next())
    {
        r["cloud_partition"] = json!(partition);
    }
    r
}

fn analytic(rule_id: &str, title: &str) -> Value {
    json!({"uid": rule_id, "name": title, "type_id": 1, "type": "Rule"})
}

fn finding(view: &ReportView, f: &FindingRow, time: i64) -> Value {
    let status_id = if f.suppressed.is_some() { 3 } else { 1 };
    let mut event = envelope(
        view,
        &Envelope {
            activity_id: ACTIVITY_CREATE,
            severity: &f.severity,
            status_id,
            status_code: if f.is_fail() { "FAIL" } else { "UNKNOWN" },
            account: f.account.as_deref(),
            region: f.region.as_deref(),
        },
        time,
    );
    event["message"] = json!(f.message);
    event["status_detail"] = json!(f.message);
    let mut info = json!({
        "uid": f.fingerprint,
        "title": f.title,
        "desc": f.message,
        "analytic": analytic(&f.rule_id, &f.title),
        "types": [f.pillar.as_deref().unwrap_or("pillar")],
    });
    if let Some(uri) = &f.help_uri {
        info["src_url"] = json!(uri);
    }
    event["finding_info"] = info;
    event["resources"] = json!([resource(&f.resource, &f.kind, f.region.as_deref())]);
    let desc = f
        .help
        .as_deref()
        .and_then(super::text::remediation)
        .unwrap_or_else(|| format!("See the rule's documentation for {}.", f.rule_id));
    let mut remediation = json!({"desc": desc});
    if let Some(uri) = &f.help_uri {
        remediation["references"] = json!([uri]);
    }
    event["remediation"] = remediation;
    event["unmapped"] = json!({"pillar": {
        "rule_id": f.rule_id,
        "pack": f.pack,
        "pillar": f.pillar,
        "verdict": f.verdict,
        "evidence": f.evidence,
        "baseline": f.baseline,
        "suppressed": f.suppressed.as_ref().map(|(kind, why)| json!({"kind": kind, "justification": why})),
    }});
    event
}

fn fixed(view: &ReportView, f: &FixedRow, time: i64) -> Value {
    let mut event = envelope(
        view,
        &Envelope {
            activity_id: ACTIVITY_CLOSE,
            severity: &f.severity,
            status_id: 4,
            status_code: "PASS",
            account: f.account.as_deref(),
            region: f.region.as_deref(),
        },
        time,
    );
    event["message"] = json!(format!("fixed since the baseline: {}", f.message));
    event["finding_info"] = json!({
        "uid": f.fingerprint,
        "title": f.title,
        "desc": f.message,
        "analytic": analytic(&f.rule_id, &f.title),
    });
    event["resources"] = json!([resource(&f.resource, &f.kind, f.region.as_deref())]);
    event["unmapped"] = json!({"pillar": {"rule_id": f.rule_id, "baseline": "fixed"}});
    event
}
