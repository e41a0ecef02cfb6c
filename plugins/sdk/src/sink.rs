//! Where findings go: the host (in Wasm) or a vector (in native tests).

use crate::{Finding, Severity, Verdict};

/// Receives findings. Packs write to `&mut dyn Sink`.
pub trait Sink {
    fn emit(&mut self, finding: Finding);
}

impl dyn Sink + '_ {
    /// The resource at `resource` fails `rule_id`.
    pub fn fail(
        &mut self,
        rule_id: &str,
        resource: usize,
        message: String,
        evidence: Option<String>,
    ) {
        self.emit(make(
            rule_id,
            resource,
            Verdict::Fail,
            message,
            evidence,
            None,
        ));
    }

    /// Like [`fail`](Self::fail) with a severity other than the rule's default.
    pub fn fail_with_severity(
        &mut self,
        rule_id: &str,
        resource: usize,
        severity: Severity,
        message: String,
        evidence: Option<String>,
    ) {
        self.emit(make(
            rule_id,
            resource,
            Verdict::Fail,
            message,
            evidence,
            Some(severity),
        ));
    }

    /// The rule cannot decide for this resource; `evidence` points at the unknown value.
    pub fn unknown(
        &mut self,
        rule_id: &str,
        resource: usize,
        message: String,
        evidence: Option<String>,
    ) {
        self.emit(make(
            rule_id,
            resource,
            Verdict::Unknown,
            message,
            evidence,
            None,
        ));
    }
}

fn make(
    rule_id: &str,
    resource: usize,
    verdict: Verdict,
    message: String,
    evidence: Option<String>,
    severity: Option<Severity>,
) -> Finding {
    Finding {
        rule_id: rule_id.to_owned(),
        // Batches are far smaller than u32::MAX; saturate rather than wrap so
        // the host rejects an impossible index instead of misattributing it.
        resource_index: u32::try_from(resource).unwrap_or(u32::MAX),
        verdict,
        message,
        evidence,
        severity,
    }
}

/// Sends findings to the host through the `emit` import.
pub struct HostSink;

impl Sink for HostSink {
    fn emit(&mut self, finding: Finding) {
        #[cfg(target_arch = "wasm32")]
        crate::bindings::pillar::rules::host::emit(&finding);
        #[cfg(not(target_arch = "wasm32"))]
        let _ = finding;
    }
}

/// A finding as collected by [`Findings`], comparable in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emitted {
    pub rule_id: String,
    pub resource: u32,
    pub verdict: &'static str,
    pub evidence: Option<String>,
    pub message: String,
}

/// Collects findings in memory: run a pack's `evaluate` natively in tests.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Emitted>);

impl Sink for Findings {
    fn emit(&mut self, f: Finding) {
        self.0.push(Emitted {
            rule_id: f.rule_id,
            resource: f.resource_index,
            verdict: match f.verdict {
                Verdict::Fail => "fail",
                Verdict::Unknown => "unknown",
            },
            evidence: f.evidence,
            message: f.message,
        });
    }
}

impl Findings {
    /// `(rule id, resource index, verdict)` triples, for compact assertions.
    pub fn verdicts(&self) -> Vec<(&str, u32, &str)> {
        self.0
            .iter()
            .map(|e| (e.rule_id.as_str(), e.resource, e.verdict))
            .collect()
    }
}
