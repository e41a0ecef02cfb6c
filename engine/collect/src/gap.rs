//! Turning SDK errors into gaps: what could not be read, and why.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use pillar_snapshot::Gap;

use crate::part::Scope;

/// A failed call, classified: the error code (if the service sent one) and
/// the gap reason.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub code: Option<String>,
    pub reason: &'static str,
    pub message: String,
}

impl Failure {
    /// Classifies an SDK error. Retries (adaptive) have already run out when
    /// this is called, so throttling here is throttling that never cleared.
    pub(crate) fn of<E>(err: &SdkError<E, Response>) -> Failure
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let code = err.code().map(str::to_owned);
        let status = err.raw_response().map(|r| r.status().as_u16());
        let body_says_unimplemented = err
            .raw_response()
            .and_then(|r| r.body().bytes())
            .map(|b| {
                let text = String::from_utf8_lossy(b);
                text.contains("not been implemented") || text.contains("NotImplemented")
            })
            .unwrap_or(false);
        let reason = classify(code.as_deref(), status, body_says_unimplemented);
        let mut message = summary(err, code.as_deref());
        if let Some(status) = status {
            message = format!("HTTP {status}: {message}");
        }
        Failure {
            code,
            reason,
            message,
        }
    }

    /// The failure when the error code is one of `codes` (a "not configured"
    /// answer such as `NoSuchBucketPolicy`), else `None`.
    pub(crate) fn is(&self, codes: &[&str]) -> bool {
        self.code.as_deref().is_some_and(|c| codes.contains(&c))
    }

    pub(crate) fn gap(
        &self,
        scope: &Scope,
        operation: &str,
        kind: &str,
        resource: Option<&str>,
    ) -> Gap {
        Gap {
            kind: Some(kind.to_owned()),
            operation: Some(operation.to_owned()),
            account: Some(scope.account.clone()),
            region: scope.region.clone(),
            resource: resource.map(str::to_owned),
            reason: self.reason.to_owned(),
            message: self.message.clone(),
        }
    }
}

/// A one-line account of the error: the service's code and message when it
/// sent them, else the chain of causes (never the raw response, which can
/// be a whole listing).
fn summary<E>(err: &SdkError<E, Response>, code: Option<&str>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(code) = code {
        return match err.message() {
            Some(m) if !m.is_empty() => format!("{code}: {m}"),
            _ => code.to_owned(),
        };
    }
    chain(err)
}

/// An error and its causes on one line, cut to a readable length.
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.dedup();
    let mut text = parts.join(": ");
    if text.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

const MAX_MESSAGE: usize = 400;

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthFailure",
    "AuthorizationError",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "AllAccessDisabled",
];

const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
    "RequestLimitExceededException",
    "BandwidthLimitExceeded",
];

const UNSUPPORTED: &[&str] = &[
    "OptInRequired",
    "UnsupportedOperation",
    "UnsupportedOperationException",
    "InvalidAction",
    "NotImplemented",
    "UnknownOperationException",
    "InvalidClientTokenId.RegionDisabled",
    "UnrecognizedClientException",
];

fn classify(code: Option<&str>, status: Option<u16>, unimplemented_body: bool) -> &'static str {
    match code {
        Some(c) if ACCESS_DENIED.contains(&c) => return "access-denied",
        Some(c) if THROTTLED.contains(&c) => return "throttled",
        Some(c) if UNSUPPORTED.contains(&c) => return "unsupported",
        _ => {}
    }
    match status {
        Some(403) => "access-denied",
        Some(429) => "throttled",
        Some(501) => "unsupported",
        // An emulator (moto) answers an API it lacks with a 500 whose body
        // says so; real AWS never does.
        Some(500) if unimplemented_body => "unsupported",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn codes_win_over_status() {
        assert_eq!(
            classify(Some("AccessDenied"), Some(403), false),
            "access-denied"
        );
        assert_eq!(classify(Some("Throttling"), Some(400), false), "throttled");
        assert_eq!(classify(Some("SlowDown"), Some(503), false), "throttled");
        assert_eq!(
            classify(Some("OptInRequired"), Some(401), false),
            "unsupported"
        );
    }

    #[test]
    fn status_decides_without_a_code() {
        assert_eq!(classify(None, Some(403), false), "access-denied");
        assert_eq!(classify(None, Some(429), false), "throttled");
        assert_eq!(classify(None, Some(500), true), "unsupported");
        assert_eq!(classify(None, Some(500), false), "error");
        assert_eq!(classify(None, None, false), "error");
    }
}
