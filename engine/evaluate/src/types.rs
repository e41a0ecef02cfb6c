//! What an evaluation produces, independent of the Wasm bindings.

use serde::Serialize;

/// Severity, ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses "info", "low", "medium", "high" or "critical" (any case).
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Well-Architected pillar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pillar {
    OperationalExcellence,
    Security,
    Reliability,
    PerformanceEfficiency,
    CostOptimization,
    Sustainability,
}

impl Pillar {
    pub fn title(self) -> &'static str {
        match self {
            Pillar::OperationalExcellence => "Operational Excellence",
            Pillar::Security => "Security",
            Pillar::Reliability => "Reliability",
            Pillar::PerformanceEfficiency => "Performance Efficiency",
            Pillar::CostOptimization => "Cost Optimization",
            Pillar::Sustainability => "Sustainability",
        }
    }
}

/// A parameter a rule takes: set under `[rules."ID"]` in `pillar.toml` and
/// passed to the pack's `configure`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleParam {
    pub name: String,
    /// `integer`, `string`, `boolean` or `string list`. A 0.1 pack's help
    /// table may name another type, which is then not checked.
    #[serde(rename = "type")]
    pub kind: String,
    /// The value the rule uses when the user sets none. `None` only for a
    /// 0.1 pack whose help table shows a default that does not parse.
    pub default: Option<serde_json::Value>,
    pub description: String,
}

impl RuleParam {
    /// Whether `value` is of this parameter's type.
    pub fn accepts(&self, value: &serde_json::Value) -> bool {
        crate::help_params::type_matches(&self.kind, value)
    }
}

/// A control of a compliance framework that a rule gives evidence for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ComplianceRef {
    /// e.g. `aws-well-architected`.
    pub framework: String,
    /// e.g. `SEC05-BP01`.
    pub control: String,
}

impl ComplianceRef {
    /// The framework id of the AWS Well-Architected best practices, which
    /// every rule's `best_practice` names.
    pub const WELL_ARCHITECTED: &'static str = "aws-well-architected";
}

/// What a rule concluded about a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Fail,
    Unknown,
}

/// One verdict on one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule_id: String,
    /// The pack that produced it.
    pub pack: String,
    /// Index into the snapshot's `resources`.
    pub resource: usize,
    pub verdict: Verdict,
    /// The effective severity (the rule's default unless overridden).
    pub severity: Severity,
    pub message: String,
    /// JSON pointer into the resource's attributes.
    pub evidence: Option<String>,
}

/// How many resources a rule judged, and with what outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleStats {
    /// Resources of the rule's kinds that reached it.
    pub evaluated: usize,
    /// Distinct resources with a `fail`.
    pub failed: usize,
    /// Distinct resources with an `unknown` (and no `fail`).
    pub unknown: usize,
}

impl RuleStats {
    pub fn passed(&self) -> usize {
        self.evaluated.saturating_sub(self.failed + self.unknown)
    }
}

/// A line a pack logged.
#[derive(Debug, Clone, Serialize)]
pub struct LogLine {
    pub pack: String,
    pub level: &'static str,
    pub message: String,
}

/// The outcome of running packs over a snapshot.
#[derive(Debug, Default, Serialize)]
pub struct Evaluation {
    /// In a stable order: by resource, then rule.
    pub findings: Vec<Finding>,
    /// Packs that were stopped; their coverage is incomplete.
    pub failures: Vec<crate::PackFailure>,
    /// Per rule id, over the rules of packs that ran.
    pub stats: std::collections::BTreeMap<String, RuleStats>,
    pub logs: Vec<LogLine>,
    /// Log lines dropped over the per-pack cap.
    pub logs_dropped: usize,
}
