//! Report formats for the tools auditors and security platforms read:
//! OCSF (Detection Finding), AWS Security Hub's ASFF, JUnit XML and CSV.
//!
//! Each writer renders pillar's own JSON report (`crate::json`), read back
//! as a [`ReportView`]: the same document `pillar scan --format json`
//! writes and `pillar merge` merges. So a scan and a merge of shards give
//! the same output for the same findings, and every format shows the
//! triage (fingerprints, suppressions, mutes, the baseline comparison)
//! exactly as the JSON report does: suppressed and muted findings are
//! marked, never omitted, and findings fixed since the baseline are listed
//! where the format has a way to say "resolved" (OCSF, ASFF).

pub mod asff;
pub mod csv;
pub mod junit;
pub mod ocsf;
mod text;
mod time;
mod view;

pub use view::{FindingRow, FixedRow, ReportView};

use serde_json::Value;

/// Why a report could not be rendered in one of these formats.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("not a pillar JSON report: {0}")]
    NotAReport(String),
    #[error("finding {index} of the report: {message}")]
    Finding { index: usize, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// The formats of this module, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Ocsf,
    Asff,
    Junit,
    Csv,
}

impl Export {
    /// Renders `doc` (a pillar JSON report) in this format.
    pub fn render(self, doc: &Value) -> Result<String, FormatError> {
        let view = ReportView::read(doc)?;
        match self {
            Export::Ocsf => ocsf::to_ocsf(&view),
            Export::Asff => asff::to_asff(&view, &asff::AsffOptions::default()),
            Export::Junit => Ok(junit::to_junit(&view)),
            Export::Csv => Ok(csv::to_csv(&view)),
        }
    }
}

/// Renders a scan's report in one of these formats, through its JSON
/// report (so scan and merge share one path).
pub fn render_scan(report: &crate::ScanReport<'_>, format: Export) -> Result<String, FormatError> {
    let text = crate::to_json(report);
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| FormatError::Invalid(format!("cannot read the JSON report back: {e}")))?;
    format.render(&doc)
}
