//! pillar's own JSON report: the same facts as SARIF in a flat shape that
//! is easy to query with `jq` and to diff between runs.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use pillar_evaluate::{Finding, Severity, Verdict};

use pillar_triage::SuppressionKind;

use crate::{ScanReport, TOOL_VERSION, plan_action};

/// Version of this JSON report's shape.
pub const REPORT_VERSION: u32 = 1;

/// The report as pillar's JSON, pretty-printed.
pub fn to_json(report: &ScanReport<'_>) -> String {
    crate::stream::to_pretty_string(|out| write_json(report, out))
}

/// Writes the report as pretty-printed JSON. Findings are rendered a window
/// at a time, in parallel (see [`crate::stream`]).
pub fn write_json(report: &ScanReport<'_>, out: impl std::io::Write) -> std::io::Result<()> {
    let findings: Vec<(usize, &Finding)> = report.findings().collect();
    let mut document = document(report);
    document["compliance"] = crate::compliance::compliance_json(report);
    crate::stream::write_with_list(out, document, &["findings"], &findings, |&(i, f)| {
        Some(finding(report, i, f))
    })
}

/// One finding as the report lists it.
fn finding(report: &ScanReport<'_>, i: usize, f: &Finding) -> Value {
    let triage = report.triage;
    let fingerprint = triage.fingerprints.get(i);
    let resource = report.resource(f.resource);
    let rule = report.rule(&f.rule_id).map(|(_, r)| r);
    json!({
        "rule_id": f.rule_id,
        "title": rule.map(|r| r.title.as_str()),
        "verdict": f.verdict,
        "severity": f.severity,
        "pillar": rule.map(|r| r.pillar),
        "best_practice": rule.map(|r| r.best_practice.as_str()),
        "pack": f.pack,
        "resource": resource.map(|r| json!({
            "id": r.id, "kind": r.kind, "account": r.account, "region": r.region,
        })),
        "message": f.message,
        "evidence": f.evidence,
        "location": resource.and_then(|r| r.location.as_ref()),
        "plan_action": resource.and_then(|r| plan_action(r)),
        "suppressed": triage.suppression(i),
        "baseline": triage.state(i),
        "fingerprint": fingerprint,
    })
}

/// The report without its findings (an empty list stands in their place).
fn document(report: &ScanReport<'_>) -> Value {
    let triage = report.triage;
    let fails = || {
        report
            .evaluation
            .findings
            .iter()
            .filter(|f| f.verdict == Verdict::Fail)
    };
    let by_severity: BTreeMap<&str, usize> = Severity::ALL
        .iter()
        .map(|s| (s.as_str(), fails().filter(|f| f.severity == *s).count()))
        .collect();
    let rules = report.rule_stats();
    json!({
        "report_version": REPORT_VERSION,
        "tool": {"name": "pillar", "version": TOOL_VERSION},
        "input": report.input,
        "source": report.snapshot.source,
        "resources": report.snapshot.resources.len(),
        "gaps": report.snapshot.gaps,
        "packs": report.packs,
        "failures": report.failures,
        "summary": {
            "failed": fails().count(),
            "suppressed": report.findings().filter(|(i, f)| f.verdict == Verdict::Fail && triage.suppression(*i).is_some()).count(),
            "muted": report.findings().filter(|(i, _)| triage.suppression(*i).is_some_and(|s| s.kind == SuppressionKind::Mute)).count(),
            "unknown": report.evaluation.findings.iter().filter(|f| f.verdict == Verdict::Unknown).count(),
            "by_severity": by_severity,
            "fail_on": report.fail_on,
            "failing_at_threshold": report.fail_on.map(|t| report.failing_at(t)),
            "complete": !report.has_gaps(),
            "rules": rules,
            "baseline": triage.baseline_counts(),
        },
        "fixed": triage.fixed().collect::<Vec<_>>(),
        "not_rechecked": triage.not_rechecked().collect::<Vec<_>>(),
        "mutes": triage.mutes,
        "findings": [],
        "logs": report.evaluation.logs,
        "logs_dropped": report.evaluation.logs_dropped,
    })
}
