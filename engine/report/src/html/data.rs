//! The facts the HTML report embeds once, as JSON, for its script to render.
//!
//! The page's summary is rendered in Rust from these same rows (so it reads
//! without JavaScript) and the findings table by `report.js` from the JSON,
//! so one predicate ([`Row::is_open`]) decides what both count. Every string
//! here may come from a snapshot or a third-party pack: the page treats all
//! of it as text.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use pillar_evaluate::{PackFailure, Pillar, RuleInfo, Severity, Verdict};
use pillar_snapshot::{Gap, Location, Resource, Source};

use pillar_triage::{BaselineCounts, BaselineState, Gone, MuteUse, Suppressed};

use crate::{ScanReport, TOOL_VERSION, plan_action};

/// Version of the embedded data's shape, for anyone scraping it.
pub const DATA_VERSION: u32 = 1;

/// Every pillar, for labels and chart order.
const PILLARS: [Pillar; 6] = [
    Pillar::Security,
    Pillar::Reliability,
    Pillar::OperationalExcellence,
    Pillar::PerformanceEfficiency,
    Pillar::CostOptimization,
    Pillar::Sustainability,
];

#[derive(Serialize)]
pub struct Data<'a> {
    pub version: u32,
    pub tool: Tool,
    pub input: &'a str,
    pub source: &'a Source,
    pub resources: usize,
    /// False when a pack failed or the snapshot records collection gaps.
    pub complete: bool,
    pub fail_on: Option<Severity>,
    /// Severity names, worst first: the rank the table sorts by.
    pub severities: Vec<&'static str>,
    /// Pillar slug to title, in chart order.
    pub pillars: Vec<PillarLabel>,
    pub packs: Vec<PackRow<'a>>,
    pub failures: &'a [PackFailure],
    pub gaps: &'a [Gap],
    pub rules: BTreeMap<&'a str, RuleRow<'a>>,
    pub findings: Vec<Row<'a>>,
    /// Against `--baseline`: counts, and the findings gone since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCounts<'a>>,
    pub fixed: Vec<&'a Gone>,
    pub not_rechecked: Vec<&'a Gone>,
    /// Every mute, with its state and what it matched.
    pub mutes: &'a [MuteUse],
    /// Per `--compliance` framework, the verdicts: the JSON report's
    /// `compliance` list.
    pub compliance: Value,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct PillarLabel {
    pub id: Pillar,
    pub title: &'static str,
}

#[derive(Serialize)]
pub struct PackRow<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub contract: &'a str,
    pub sha256: &'a str,
    pub origin: &'a str,
}

#[derive(Serialize)]
pub struct RuleRow<'a> {
    pub title: &'a str,
    /// The rule's own severity; a finding carries the effective one.
    pub severity: Severity,
    pub pillar: Pillar,
    pub best_practice: &'a str,
    pub pack: &'a str,
    pub help_uri: &'a str,
    /// The help markdown cut at its `## ` headings, so the page can show
    /// "Remediation" first without parsing markdown in the browser.
    pub sections: Vec<Section<'a>>,
    pub stats: Stats,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Section<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

#[derive(Serialize, Default)]
pub struct Stats {
    pub evaluated: usize,
    pub passed: usize,
    pub failed: usize,
    pub unknown: usize,
}

#[derive(Serialize)]
pub struct Row<'a> {
    pub rule_id: &'a str,
    pub verdict: Verdict,
    pub severity: Severity,
    /// From the rule; absent if the rule is not among the loaded packs.
    pub pillar: Option<Pillar>,
    pub message: &'a str,
    /// JSON pointer into the resource's attributes.
    pub evidence: Option<&'a str>,
    pub resource: Option<ResourceRow<'a>>,
    pub fingerprint: &'a str,
    /// Why the finding does not count, when it does not: in source
    /// (`# pillar:ignore`) or by a mute in force (with owner and expiry).
    pub suppression: Option<&'a Suppressed>,
    /// `new`, `unchanged` or `updated`, with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
}

impl Row<'_> {
    /// A failing finding nobody has accepted: what the summary counts.
    pub fn is_open(&self) -> bool {
        self.verdict == Verdict::Fail && self.suppression.is_none()
    }

    pub fn account(&self) -> &str {
        self.resource
            .as_ref()
            .and_then(|r| r.account)
            .unwrap_or(NO_ACCOUNT)
    }

    pub fn region(&self) -> &str {
        self.resource
            .as_ref()
            .and_then(|r| r.region)
            .unwrap_or(GLOBAL)
    }
}

/// Labels for resources without an account or region (IAM is global); the
/// script uses the same words.
pub const NO_ACCOUNT: &str = "(none)";
pub const GLOBAL: &str = "global";

#[derive(Serialize)]
pub struct ResourceRow<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub location: Option<&'a Location>,
    pub plan_action: Option<&'a str>,
    /// The resource's `tags` attribute when it is an object.
    pub tags: Option<&'a serde_json::Map<String, Value>>,
}

pub fn collect<'a>(report: &'a ScanReport<'a>) -> Data<'a> {
    let triage = report.triage;
    let findings = report
        .findings()
        .map(|(i, f)| Row {
            rule_id: &f.rule_id,
            verdict: f.verdict,
            severity: f.severity,
            pillar: report.rule(&f.rule_id).map(|(_, r)| r.pillar),
            message: &f.message,
            evidence: f.evidence.as_deref(),
            resource: report.resource(f.resource).map(resource_row),
            fingerprint: triage.fingerprints.get(i).map_or("", String::as_str),
            suppression: triage.suppression(i),
            baseline: triage.state(i),
        })
        .collect();
    let rules = report
        .packs
        .iter()
        .flat_map(|p| p.rules.iter().map(move |r| (p.name.as_str(), r)))
        .map(|(pack, r)| (r.id.as_str(), rule_row(report, pack, r)))
        .collect();
    Data {
        version: DATA_VERSION,
        tool: Tool {
            name: "pillar",
            version: TOOL_VERSION,
        },
        input: report.input,
        source: &report.snapshot.source,
        resources: report.snapshot.resources.len(),
        complete: !report.has_gaps(),
        fail_on: report.fail_on,
        severities: Severity::ALL.iter().rev().map(|s| s.as_str()).collect(),
        pillars: PILLARS
            .iter()
            .map(|&p| PillarLabel {
                id: p,
                title: p.title(),
            })
            .collect(),
        packs: report
            .packs
            .iter()
            .map(|p| PackRow {
                name: &p.name,
                version: &p.version,
                contract: &p.contract,
                sha256: &p.sha256,
                origin: &p.origin,
            })
            .collect(),
        failures: report.failures,
        gaps: &report.snapshot.gaps,
        rules,
        findings,
        baseline: triage.baseline_counts(),
        fixed: triage.fixed().collect(),
        not_rechecked: triage.not_rechecked().collect(),
        mutes: &triage.mutes,
        compliance: crate::compliance::compliance_json(report),
    }
}

fn resource_row(r: &Resource) -> ResourceRow<'_> {
    ResourceRow {
        id: &r.id,
        kind: &r.kind,
        account: r.account.as_deref(),
        region: r.region.as_deref(),
        location: r.location.as_ref(),
        plan_action: plan_action(r),
        tags: r.attributes.get("tags").and_then(Value::as_object),
    }
}

fn rule_row<'a>(report: &ScanReport<'_>, pack: &'a str, r: &'a RuleInfo) -> RuleRow<'a> {
    let stats = report
        .evaluation
        .stats
        .get(&r.id)
        .map(|s| Stats {
            evaluated: s.evaluated,
            passed: s.passed(),
            failed: s.failed,
            unknown: s.unknown,
        })
        .unwrap_or_default();
    RuleRow {
        title: &r.title,
        severity: r.severity,
        pillar: r.pillar,
        best_practice: &r.best_practice,
        pack,
        help_uri: &r.help_uri,
        sections: sections(&r.help),
        stats,
    }
}

/// Cuts markdown at lines starting with `## `. Text before the first
/// heading becomes a section titled "Overview"; fenced code is kept whole,
/// so a `## ` inside a code block does not cut it.
pub fn sections(help: &str) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut title = "Overview";
    let mut start = 0;
    let mut in_fence = false;
    let mut offset = 0;
    for line in help.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && let Some(heading) = line.strip_prefix("## ") {
            push_section(&mut out, title, &help[start..offset]);
            title = heading.trim();
            start = offset + line.len();
        }
        offset += line.len();
    }
    push_section(&mut out, title, &help[start..]);
    out
}

fn push_section<'a>(out: &mut Vec<Section<'a>>, title: &'a str, body: &'a str) {
    let body = body.trim();
    if !body.is_empty() {
        out.push(Section { title, body });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_is_cut_at_headings_but_not_inside_code() {
        let help =
            "intro\n## What it checks\n\nports\n## Remediation\n\n```hcl\n## not a heading\n```\n";
        let s = sections(help);
        assert_eq!(
            s,
            vec![
                Section {
                    title: "Overview",
                    body: "intro"
                },
                Section {
                    title: "What it checks",
                    body: "ports"
                },
                Section {
                    title: "Remediation",
                    body: "```hcl\n## not a heading\n```"
                },
            ]
        );
    }

    #[test]
    fn empty_help_has_no_sections() {
        assert!(sections("").is_empty());
        assert!(sections("## Parameters\n\n").is_empty());
    }
}
