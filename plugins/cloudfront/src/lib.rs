//! Built-in CloudFront rules, on `aws_cloudfront_distribution`: viewers on
//! HTTPS (PILLAR-CF-001) with TLS 1.2 or newer (002), a WAF web ACL (003),
//! standard logging (004), origins reached over HTTPS (005) with current
//! TLS (007), S3 origins behind origin access control (006), a default root
//! object (008) and origin failover (009).
//!
//! Disabled distributions are judged like enabled ones: enabling one is a
//! single switch that serves the configuration exactly as it stands.

mod origins;
mod viewers;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

pub const HTTPS_VIEWERS: &str = "PILLAR-CF-001";
pub const VIEWER_TLS: &str = "PILLAR-CF-002";
pub const WAF: &str = "PILLAR-CF-003";
pub const LOGGING: &str = "PILLAR-CF-004";
pub const HTTPS_ORIGINS: &str = "PILLAR-CF-005";
pub const S3_ORIGIN_ACCESS: &str = "PILLAR-CF-006";
pub const ORIGIN_TLS: &str = "PILLAR-CF-007";
pub const ROOT_OBJECT: &str = "PILLAR-CF-008";
pub const FAILOVER: &str = "PILLAR-CF-009";

pub struct CloudFrontPack;

impl RulePack for CloudFrontPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-cloudfront", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_cloudfront_distribution" => {
                for (i, d) in batch.iter().enumerate() {
                    let http = viewers::http_behaviours(d);
                    viewers::https_viewers(i, d, &http, out);
                    viewers::viewer_tls(i, d, out);
                    web_acl(i, d, out);
                    logging(i, d, out);
                    origins::https_origins(i, d, &http, out);
                    origins::s3_origin_access(i, d, out);
                    origins::origin_tls(i, d, out);
                    root_object(i, d, out);
                    failover(i, d, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(CloudFrontPack);

/// A distribution in messages: its `Name` tag, else its id (`E2QWRUHEXAMPLE`
/// live), else the resource id (the Terraform address in a plan).
fn name(d: &Resource) -> &str {
    d.tag("Name")
        .or_else(|| d.attributes.get("id").and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .unwrap_or(&d.id)
}

/// A non-empty string setting: pass when set, fail when not, unknown when
/// not known.
fn required_text(i: usize, d: &Resource, rule: &str, attr: &str, what: &str, out: &mut dyn Sink) {
    let at = format!("/{attr}");
    match d.text(&at) {
        Ok(Some(_)) => {}
        Ok(None) => out.fail(rule, i, format!("{}: {what}", name(d)), Some(at)),
        Err(()) => out.unknown(
            rule,
            i,
            format!("{}: `{attr}` is not known", name(d)),
            Some(at),
        ),
    }
}

/// PILLAR-CF-003.
fn web_acl(i: usize, d: &Resource, out: &mut dyn Sink) {
    required_text(
        i,
        d,
        WAF,
        "web_acl_id",
        "no WAF web ACL filters the distribution's requests",
        out,
    );
}

/// PILLAR-CF-008.
fn root_object(i: usize, d: &Resource, out: &mut dyn Sink) {
    required_text(
        i,
        d,
        ROOT_OBJECT,
        "default_root_object",
        "no default root object: a request for `/` goes to the origin's root as it is",
        out,
    );
}

/// PILLAR-CF-004: standard logging is the `logging_config` block with a
/// bucket.
fn logging(i: usize, d: &Resource, out: &mut dyn Sink) {
    let n = name(d);
    match d.attr("/logging_config") {
        Attr::Known(Value::Object(_)) => match d.text("/logging_config/bucket") {
            Ok(Some(_)) | Err(()) => {}
            Ok(None) => out.fail(
                LOGGING,
                i,
                format!("{n}: the logging block names no bucket"),
                Some("/logging_config/bucket".into()),
            ),
        },
        Attr::Unknown => out.unknown(
            LOGGING,
            i,
            format!("{n}: whether the distribution logs its requests is not known"),
            Some("/logging_config".into()),
        ),
        _ if d.attributes.get("logging_config").is_none() => out.unknown(
            LOGGING,
            i,
            format!("{n}: the distribution's logging was not read"),
            Some("/logging_config".into()),
        ),
        _ => out.fail(
            LOGGING,
            i,
            format!("{n}: standard logging is off; no access log records the requests"),
            Some("/logging_config".into()),
        ),
    }
}

/// PILLAR-CF-009: an origin group gives CloudFront a second origin to try.
fn failover(i: usize, d: &Resource, out: &mut dyn Sink) {
    let n = name(d);
    match d.attr("/origin_group") {
        Attr::Known(Value::Array(groups)) if !groups.is_empty() => {}
        Attr::Known(Value::Array(_)) if !d.has_unknown_within("/origin_group") => out.fail(
            FAILOVER,
            i,
            format!("{n}: no origin group; when the origin fails, requests fail"),
            Some("/origin_group".into()),
        ),
        _ => out.unknown(
            FAILOVER,
            i,
            format!("{n}: the distribution's origin groups are not known"),
            Some("/origin_group".into()),
        ),
    }
}

#[cfg(test)]
mod tests;
