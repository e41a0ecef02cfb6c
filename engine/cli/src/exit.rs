//! Exit codes, documented in the README. When several apply, the first in
//! this order wins: input error (2), findings at the threshold (1), gaps (3).
//! A closed standard output changes none of them (see `output.rs`).

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// No failing finding at or above the threshold, nothing left unchecked.
    Clean = 0,
    /// Failing findings at or above the `--fail-on` threshold.
    Findings = 1,
    /// Usage or input error: bad flags, unreadable or malformed snapshot.
    InputError = 2,
    /// The scan finished but something was not checked: a rule pack failed
    /// or the snapshot records collection gaps.
    Gaps = 3,
}

impl From<Code> for ExitCode {
    fn from(c: Code) -> ExitCode {
        ExitCode::from(c as u8)
    }
}
