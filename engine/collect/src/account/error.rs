//! Why an account could not be read at all, and the gap that says so.

use pillar_snapshot::Gap;

use crate::gap::Failure;
use crate::options::Target;

/// Why an account could not be read at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AccountError {
    #[error("cannot assume the role (sts:AssumeRole): {message}")]
    AssumeRole {
        reason: &'static str,
        message: String,
    },
    #[error("cannot establish the caller identity (sts:GetCallerIdentity): {}", .0.message)]
    Identity(Failure),
    #[error(
        "the credentials are for account {actual}, not {expected} (sts:GetCallerIdentity); \
         nothing was collected"
    )]
    Mismatch { expected: String, actual: String },
}

impl AccountError {
    /// The gap recording that nothing of the account was read, naming it.
    pub(crate) fn into_gap(self, target: &Target) -> Gap {
        let (operation, reason) = match &self {
            AccountError::AssumeRole { reason, .. } => ("sts:AssumeRole", *reason),
            AccountError::Identity(failure) => ("sts:GetCallerIdentity", failure.reason),
            AccountError::Mismatch { .. } => ("sts:GetCallerIdentity", "error"),
        };
        Gap {
            kind: None,
            operation: Some(operation.into()),
            account: target.account_hint(),
            region: None,
            resource: None,
            reason: reason.to_owned(),
            message: format!("{}: {self}", target.label()),
        }
    }
}
