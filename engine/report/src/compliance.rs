//! The compliance view of a report: which frameworks it knows and assesses,
//! the evidence a scan gives each rule, and the per-control verdicts the
//! text, JSON, HTML and SARIF writers show (see `pillar-compliance`).

mod json;
mod text;

use std::collections::{BTreeMap, BTreeSet};

use pillar_compliance::{Assessed, Evidence, Framework, RuleEvidence};
use pillar_evaluate::{RuleInfo, Verdict};
use pillar_snapshot::Gap;

use crate::ScanReport;

pub(crate) use json::{compliance_json, merged_compliance};
pub(crate) use text::write_compliance;

/// The frameworks a report knows, and those `--compliance` selected.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComplianceSelection<'a> {
    /// Every framework pillar knows: SARIF rule tags and properties name
    /// their controls whether or not one is selected.
    pub known: &'a [Framework],
    /// Assessed control by control in the text, JSON and HTML reports.
    pub selected: &'a [&'a Framework],
}

impl ScanReport<'_> {
    /// What the scan saw of each loaded rule, for the verdicts.
    pub fn compliance_evidence(&self) -> Evidence {
        let mut failing: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut unknown: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for f in &self.evaluation.findings {
            let Some(resource) = self.resource(f.resource) else {
                continue;
            };
            let into = match f.verdict {
                Verdict::Fail => &mut failing,
                Verdict::Unknown => &mut unknown,
            };
            into.entry(f.rule_id.as_str())
                .or_default()
                .insert(resource.id.as_str());
        }
        let mut evidence = Evidence::default();
        for pack in self.packs {
            let stopped = self.failures.iter().find(|f| f.pack == pack.name);
            for rule in &pack.rules {
                let id = rule.id.as_str();
                let failed = failing.get(id);
                let unknown: Vec<String> = unknown
                    .get(id)
                    .into_iter()
                    .flatten()
                    .filter(|r| !failed.is_some_and(|f| f.contains(*r)))
                    .map(|r| (*r).to_owned())
                    .collect();
                let incomplete = match stopped {
                    Some(f) => Some(format!("pack {} stopped: {}", f.pack, f.message)),
                    None => gap_over(&self.snapshot.gaps, rule),
                };
                evidence.rules.insert(
                    rule.id.clone(),
                    RuleEvidence {
                        evaluated: self.evaluation.stats.get(id).map_or(0, |s| s.evaluated),
                        failing: failed
                            .into_iter()
                            .flatten()
                            .map(|r| (*r).to_owned())
                            .collect(),
                        unknown,
                        incomplete,
                    },
                );
            }
        }
        evidence
    }

    /// Every selected framework with a verdict per control.
    pub fn assessed(&self) -> Vec<Assessed<'_>> {
        if self.compliance.selected.is_empty() {
            return Vec::new();
        }
        let evidence = self.compliance_evidence();
        self.compliance
            .selected
            .iter()
            .map(|f| pillar_compliance::assess(f, &evidence))
            .collect()
    }
}

/// The first collection gap that may hide a resource `rule` reads: one on a
/// kind it reads, or one on no kind in particular (a region or an account
/// that could not be listed), said as the reason.
fn gap_over(gaps: &[Gap], rule: &RuleInfo) -> Option<String> {
    let gap = gaps.iter().find(|g| {
        g.kind
            .as_ref()
            .is_none_or(|k| rule.resource_kinds.iter().any(|r| r == k))
    })?;
    let what = gap
        .operation
        .as_deref()
        .or(gap.kind.as_deref())
        .unwrap_or("collection");
    Some(format!(
        "collection gap: {what} not collected ({}{})",
        gap.reason,
        gap.region
            .as_deref()
            .map(|r| format!(" in {r}"))
            .unwrap_or_default()
    ))
}

/// The controls `rule` evidences, `framework/control`: those the framework
/// files map to it, then those its pack declares, without repeats.
pub(crate) fn rule_controls(known: &[Framework], rule: &RuleInfo) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for f in known {
        for c in f.controls.iter().filter(|c| c.rules.contains(&rule.id)) {
            out.push((f.id().to_owned(), c.id.clone()));
        }
    }
    for r in &rule.compliance {
        let pair = (r.framework.clone(), r.control.clone());
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

/// Controls as `{framework: [control, ...]}`, for SARIF's rule properties
/// and the HTML page.
pub(crate) fn controls_json(controls: &[(String, String)]) -> serde_json::Value {
    let mut by_framework: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (f, c) in controls {
        by_framework.entry(f).or_default().push(c);
    }
    serde_json::json!(by_framework)
}

#[cfg(test)]
mod tests;
