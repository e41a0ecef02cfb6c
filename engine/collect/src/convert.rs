//! Small conversions from SDK values to the model's JSON shapes.

use std::time::SystemTime;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use base64::Engine;
use serde_json::{Map, Value, json};

/// Now, RFC 3339 UTC, to the second.
pub(crate) fn now_rfc3339() -> String {
    let now = DateTime::from(SystemTime::now());
    let secs = DateTime::from_secs(now.secs());
    secs.fmt(Format::DateTime).unwrap_or_default()
}

/// A timestamp as RFC 3339 (`null` when absent).
pub(crate) fn time(t: Option<&DateTime>) -> Value {
    t.and_then(|t| t.fmt(Format::DateTime).ok())
        .map(Value::String)
        .unwrap_or(Value::Null)
}

pub(crate) fn opt_str(s: Option<&str>) -> Value {
    s.map(|s| Value::String(s.to_owned()))
        .unwrap_or(Value::Null)
}

/// Optional strings where the API sends `""` for "none" (moto does for EIPs).
pub(crate) fn non_empty(s: Option<&str>) -> Value {
    opt_str(s.filter(|s| !s.is_empty()))
}

pub(crate) fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    Value::Array(
        items
            .into_iter()
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    )
}

/// Tags as a sorted object; `{}` when none.
pub(crate) fn tags<'a>(
    pairs: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        if let Some(k) = k {
            map.insert(k.to_owned(), json!(v.unwrap_or("")));
        }
    }
    Value::Object(map)
}

/// Tags a service answers as a name-to-value map (Lambda's `ListTags`,
/// SQS's `ListQueueTags`, CloudWatch Logs' `ListTagsForResource`).
pub(crate) fn tag_map(map: Option<&std::collections::HashMap<String, String>>) -> Value {
    tags(
        map.into_iter()
            .flatten()
            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
    )
}

/// Decoded user data: `Ok(None)` when there is none, `Err(())` when it is
/// not UTF-8 text after base64 (e.g. gzip), which the model lists as unknown.
pub(crate) fn user_data(base64: Option<&str>) -> Result<Option<String>, ()> {
    let Some(encoded) = base64.filter(|s| !s.trim().is_empty()) else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ())?;
    String::from_utf8(bytes).map(Some).map_err(|_| ())
}

/// IAM returns policy documents URL-encoded (RFC 3986); decoding raw JSON is
/// a no-op unless it holds a `%`, so every document goes through this.
pub(crate) fn policy_document(doc: &str) -> String {
    percent_encoding::percent_decode_str(doc)
        .decode_utf8_lossy()
        .into_owned()
}

/// `stopped_since` from `StateTransitionReason`, e.g.
/// "User initiated (2024-01-01 10:00:00 GMT)" → "2024-01-01T10:00:00Z".
pub(crate) fn stopped_since(reason: Option<&str>) -> Option<String> {
    let reason = reason?;
    let open = reason.rfind('(')?;
    let inner = reason[open + 1..].strip_suffix(')')?;
    let stamp = inner.strip_suffix(" GMT")?;
    let (date, clock) = stamp.split_once(' ')?;
    let well_formed = date.len() == 10
        && clock.len() == 8
        && date.chars().all(|c| c.is_ascii_digit() || c == '-')
        && clock.chars().all(|c| c.is_ascii_digit() || c == ':');
    well_formed.then(|| format!("{date}T{clock}Z"))
}

/// A `json!({...})` literal as a map (always an object here).
pub(crate) fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The last path segment of an ARN (`…:instance-profile/web` → `web`).
pub(crate) fn arn_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// The region field of an ARN.
pub(crate) fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopped_since_parses_the_aws_form() {
        assert_eq!(
            stopped_since(Some("User initiated (2024-01-01 10:00:00 GMT)")).as_deref(),
            Some("2024-01-01T10:00:00Z")
        );
        assert_eq!(stopped_since(Some("")), None);
        assert_eq!(stopped_since(Some("Server.SpotInstanceTermination")), None);
        assert_eq!(stopped_since(None), None);
    }

    #[test]
    fn user_data_is_decoded_or_refused() {
        assert_eq!(user_data(Some("aGVsbG8=")), Ok(Some("hello".into())));
        assert_eq!(user_data(None), Ok(None));
        assert_eq!(user_data(Some("")), Ok(None));
        // gzip magic bytes: not text
        assert_eq!(user_data(Some("H4sIAAAAAAAA")), Err(()));
    }

    #[test]
    fn policy_documents_are_url_decoded_once() {
        assert_eq!(policy_document("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(policy_document("{\"a\":1}"), "{\"a\":1}");
    }

    #[test]
    fn arn_parts() {
        assert_eq!(arn_name("arn:aws:iam::1:instance-profile/web"), "web");
        assert_eq!(
            arn_region("arn:aws:rds:us-west-2:1:auto-backup:ab-1"),
            Some("us-west-2")
        );
        assert_eq!(arn_region("arn:aws:iam::1:user/x"), None);
    }
}
