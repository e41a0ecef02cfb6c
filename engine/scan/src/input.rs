//! Naming inputs as the user gave them, and reading a baseline.

use std::path::Path;

use pillar_triage::Baseline;

use crate::ScanError;

/// The path as the user gave it, relative when it is under the working
/// directory: SARIF locations must be relative for GitHub code scanning.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let relative = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .filter(|_| path.is_absolute());
    relative.unwrap_or(path).display().to_string()
}

/// An earlier report to compare a scan with (`--baseline FILE`).
pub fn read_baseline(path: &Path) -> Result<Baseline, ScanError> {
    let text = std::fs::read_to_string(path).map_err(|error| ScanError::ReadBaseline {
        path: path.to_owned(),
        error,
    })?;
    Ok(Baseline::parse(&text, &display_path(path))?)
}
