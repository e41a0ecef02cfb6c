//! pillar's report writers: SARIF, JSON, terminal text, a self-contained
//! HTML page, drift between two audits and the rule catalog's pages; and
//! [`merge`], which combines the reports of shards.
//!
//! The decisions the writers show (fingerprints, suppressions, mutes, the
//! baseline comparison) are made before, by `pillar-triage`; a writer only
//! renders a [`Triage`].
//!
//! Every writer renders one [`ScanReport`]: the snapshot that was scanned,
//! the packs that ran (with their provenance), the evaluation, and every gap
//! (collection gaps from the snapshot, packs that failed to load or were
//! stopped). Gaps are never dropped: a reader must be able to tell "no
//! findings" from "not checked".

mod compliance;
mod drift;
pub mod formats;
mod html;
mod json;
pub mod merge;
pub mod rule_docs;
mod sarif;
mod stream;
mod text;

use pillar_evaluate::{Evaluation, Finding, PackFailure, PackInfo, RuleInfo, Severity};
use pillar_snapshot::{Resource, Snapshot};
use pillar_triage::Triage;

pub use compliance::ComplianceSelection;
pub use drift::{Drift, drift_to_json, drift_to_text};
pub use html::{HTML_DATA_VERSION, to_html};
pub use json::{to_json, write_json};
pub use pillar_compliance;
pub use pillar_snapshot::{Date, DateError};
pub use sarif::{to_sarif, write_sarif};
pub use text::{TextOptions, to_text};

/// Everything a report shows.
pub struct ScanReport<'a> {
    /// The file the snapshot was read from, as the user named it.
    pub input: &'a str,
    pub snapshot: &'a Snapshot,
    pub packs: &'a [PackInfo],
    pub evaluation: &'a Evaluation,
    /// Packs that failed to load, followed by packs stopped during evaluation.
    pub failures: &'a [PackFailure],
    /// The threshold for the exit code, if any, so reports can say it.
    pub fail_on: Option<Severity>,
    /// Per finding: fingerprint, suppression (in source or by a mute) and
    /// baseline state ([`Triage::build`]). Suppressed findings are reported
    /// as such and do not count towards the threshold.
    pub triage: &'a Triage,
    /// The compliance frameworks known, and those assessed (`--compliance`).
    pub compliance: ComplianceSelection<'a>,
}

impl ScanReport<'_> {
    /// The rule with this id, from the loaded packs.
    pub fn rule(&self, id: &str) -> Option<(&PackInfo, &RuleInfo)> {
        self.packs
            .iter()
            .find_map(|p| p.rules.iter().find(|r| r.id == id).map(|r| (p, r)))
    }

    pub fn resource(&self, index: usize) -> Option<&Resource> {
        self.snapshot.resources.get(index)
    }

    /// Failing findings at or above `threshold` that count: not suppressed,
    /// and new when only new findings count (`--fail-on-new`).
    pub fn failing_at(&self, threshold: Severity) -> usize {
        self.evaluation
            .findings
            .iter()
            .enumerate()
            .filter(|(i, f)| f.severity >= threshold && self.triage.counts(*i, f))
            .count()
    }

    /// The findings with their index, for writers that need the triage.
    pub fn findings(&self) -> impl Iterator<Item = (usize, &Finding)> {
        self.evaluation.findings.iter().enumerate()
    }

    /// Per rule id: resources evaluated, passed, failed and unknown.
    pub fn rule_stats(&self) -> std::collections::BTreeMap<&str, serde_json::Value> {
        self.evaluation
            .stats
            .iter()
            .map(|(id, s)| {
                let counts = serde_json::json!({
                    "evaluated": s.evaluated,
                    "passed": s.passed(),
                    "failed": s.failed,
                    "unknown": s.unknown,
                });
                (id.as_str(), counts)
            })
            .collect()
    }

    /// The counts in one line, for a message beside a report written to a file.
    pub fn one_line(&self) -> String {
        let findings = &self.evaluation.findings;
        let fails = findings
            .iter()
            .filter(|f| f.verdict == pillar_evaluate::Verdict::Fail)
            .count();
        format!(
            "{fails} failing, {} unknown, {} pack failure(s), {} collection gap(s)",
            findings.len() - fails,
            self.failures.len(),
            self.snapshot.gaps.len()
        )
    }

    /// True when something was not checked: a collection gap or a pack failure.
    pub fn has_gaps(&self) -> bool {
        !self.failures.is_empty() || !self.snapshot.gaps.is_empty()
    }
}

/// GitHub code scanning's `security-severity` score for a severity
/// (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// What a plan does to a resource (`create`, `update`, `replace`,
/// `no-op`), as the plan reader records it in `plan_action`.
pub fn plan_action(r: &Resource) -> Option<&str> {
    r.attributes.get("plan_action").and_then(|v| v.as_str())
}

/// The tool's own version, for report headers.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
