//! A distribution's configuration in the provider's shapes: the one-element
//! blocks (`default_cache_behavior`, `viewer_certificate`, `logging_config`,
//! an origin's `s3_origin_config` and `custom_origin_config`) as objects,
//! the repeated ones (`origin`, `ordered_cache_behavior`, `origin_group`)
//! as lists. The plan reader gives a planned distribution the same shape.

use aws_sdk_cloudfront::types::{
    CacheBehavior, CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, LoggingConfig,
    Origin, OriginGroup, ViewerCertificate,
};
use serde_json::{Value, json};

use crate::convert::{non_empty, strings};

/// The attributes a distribution's configuration gives, by name.
pub(super) fn config(c: &DistributionConfig) -> Vec<(&'static str, Value)> {
    vec![
        ("enabled", json!(c.enabled())),
        (
            "default_cache_behavior",
            c.default_cache_behavior()
                .map(default_behavior)
                .unwrap_or(Value::Null),
        ),
        (
            "ordered_cache_behavior",
            Value::Array(
                c.cache_behaviors()
                    .map(|b| b.items())
                    .unwrap_or_default()
                    .iter()
                    .map(ordered_behavior)
                    .collect(),
            ),
        ),
        (
            "origin",
            Value::Array(
                c.origins()
                    .map(|o| o.items())
                    .unwrap_or_default()
                    .iter()
                    .map(origin)
                    .collect(),
            ),
        ),
        (
            "origin_group",
            Value::Array(
                c.origin_groups()
                    .map(|g| g.items())
                    .unwrap_or_default()
                    .iter()
                    .map(origin_group)
                    .collect(),
            ),
        ),
        (
            "viewer_certificate",
            c.viewer_certificate()
                .map(viewer_certificate)
                .unwrap_or(Value::Null),
        ),
        ("logging_config", logging(c.logging())),
        ("web_acl_id", non_empty(c.web_acl_id())),
        ("default_root_object", non_empty(c.default_root_object())),
        ("http_version", json!(c.http_version().map(|v| v.as_str()))),
        ("price_class", json!(c.price_class().map(|v| v.as_str()))),
    ]
}

fn default_behavior(b: &DefaultCacheBehavior) -> Value {
    json!({
        "target_origin_id": b.target_origin_id(),
        "viewer_protocol_policy": b.viewer_protocol_policy().as_str(),
        "field_level_encryption_id": non_empty(b.field_level_encryption_id()),
    })
}

fn ordered_behavior(b: &CacheBehavior) -> Value {
    json!({
        "path_pattern": b.path_pattern(),
        "target_origin_id": b.target_origin_id(),
        "viewer_protocol_policy": b.viewer_protocol_policy().as_str(),
        "field_level_encryption_id": non_empty(b.field_level_encryption_id()),
    })
}

fn origin(o: &Origin) -> Value {
    json!({
        "origin_id": o.id(),
        "domain_name": o.domain_name(),
        "origin_access_control_id": non_empty(o.origin_access_control_id()),
        "s3_origin_config": o.s3_origin_config().map(|s| json!({
            "origin_access_identity": s.origin_access_identity(),
        })),
        "custom_origin_config": o.custom_origin_config().map(custom_origin),
    })
}

fn custom_origin(c: &CustomOriginConfig) -> Value {
    json!({
        "http_port": c.http_port(),
        "https_port": c.https_port(),
        "origin_protocol_policy": c.origin_protocol_policy().as_str(),
        "origin_ssl_protocols": strings(
            c.origin_ssl_protocols()
                .map(|p| p.items())
                .unwrap_or_default()
                .iter()
                .map(|p| p.as_str()),
        ),
    })
}

fn origin_group(g: &OriginGroup) -> Value {
    let members: Vec<Value> = g
        .members()
        .map(|m| m.items())
        .unwrap_or_default()
        .iter()
        .map(|m| json!({"origin_id": m.origin_id()}))
        .collect();
    json!({"origin_id": g.id(), "member": members})
}

fn viewer_certificate(v: &ViewerCertificate) -> Value {
    json!({
        "cloudfront_default_certificate": v.cloud_front_default_certificate().unwrap_or(false),
        "acm_certificate_arn": non_empty(v.acm_certificate_arn()),
        "iam_certificate_id": non_empty(v.iam_certificate_id()),
        "minimum_protocol_version": v.minimum_protocol_version().map(|m| m.as_str()),
        "ssl_support_method": v.ssl_support_method().map(|m| m.as_str()),
    })
}

/// Standard logging off is the block left out, as in the provider: the API
/// always answers a `Logging` element, with `Enabled` false when off.
fn logging(l: Option<&LoggingConfig>) -> Value {
    match l {
        Some(l) if l.enabled() && !l.bucket().is_empty() => json!({
            "bucket": l.bucket(),
            "prefix": l.prefix(),
            "include_cookies": l.include_cookies(),
        }),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudfront::types::{
        OriginProtocolPolicy, OriginSslProtocols, S3OriginConfig, SslProtocol,
    };

    #[test]
    fn origins_keep_the_provider_block_shapes() {
        let s3 = Origin::builder()
            .id("assets")
            .domain_name("assets.s3.eu-west-1.amazonaws.com")
            .origin_access_control_id("E2OAC")
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .build()
            .expect("origin");
        let custom = Origin::builder()
            .id("api")
            .domain_name("api.example.com")
            .origin_access_control_id("")
            .custom_origin_config(
                CustomOriginConfig::builder()
                    .http_port(80)
                    .https_port(443)
                    .origin_protocol_policy(OriginProtocolPolicy::MatchViewer)
                    .origin_ssl_protocols(
                        OriginSslProtocols::builder()
                            .quantity(2)
                            .items(SslProtocol::TlSv1)
                            .items(SslProtocol::TlSv12)
                            .build()
                            .expect("protocols"),
                    )
                    .build()
                    .expect("custom origin config"),
            )
            .build()
            .expect("origin");
        assert_eq!(
            origin(&s3),
            json!({
                "origin_id": "assets",
                "domain_name": "assets.s3.eu-west-1.amazonaws.com",
                "origin_access_control_id": "E2OAC",
                "s3_origin_config": {"origin_access_identity": ""},
                "custom_origin_config": null,
            })
        );
        assert_eq!(
            origin(&custom)["custom_origin_config"],
            json!({
                "http_port": 80,
                "https_port": 443,
                "origin_protocol_policy": "match-viewer",
                "origin_ssl_protocols": ["TLSv1", "TLSv1.2"],
            })
        );
        assert_eq!(origin(&custom)["origin_access_control_id"], Value::Null);
    }

    #[test]
    fn logging_off_is_no_block() {
        let off = LoggingConfig::builder()
            .enabled(false)
            .include_cookies(false)
            .bucket("")
            .prefix("")
            .build();
        let on = LoggingConfig::builder()
            .enabled(true)
            .include_cookies(false)
            .bucket("logs.s3.amazonaws.com")
            .prefix("cf/")
            .build();
        assert_eq!(logging(Some(&off)), Value::Null);
        assert_eq!(logging(None), Value::Null);
        assert_eq!(
            logging(Some(&on)),
            json!({"bucket": "logs.s3.amazonaws.com", "prefix": "cf/", "include_cookies": false})
        );
    }
}
