use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

/// A distribution that passes every rule.
fn good() -> Value {
    json!({
        "id": "E2GOOD",
        "enabled": true,
        "default_cache_behavior": {"target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https"},
        "ordered_cache_behavior": [{"path_pattern": "/api/*", "target_origin_id": "api", "viewer_protocol_policy": "https-only"}],
        "origin": [
            {"origin_id": "site", "domain_name": "site.s3.eu-west-1.amazonaws.com", "origin_access_control_id": "E3OAC", "s3_origin_config": null, "custom_origin_config": null},
            {"origin_id": "api", "domain_name": "api.example.com", "origin_access_control_id": null, "s3_origin_config": null,
             "custom_origin_config": {"origin_protocol_policy": "match-viewer", "origin_ssl_protocols": ["TLSv1.2"]}},
        ],
        "origin_group": [{"origin_id": "group", "member": [{"origin_id": "site"}, {"origin_id": "api"}]}],
        "viewer_certificate": {"cloudfront_default_certificate": false, "acm_certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x", "minimum_protocol_version": "TLSv1.2_2021", "ssl_support_method": "sni-only"},
        "logging_config": {"bucket": "logs.s3.amazonaws.com", "prefix": "cf/", "include_cookies": false},
        "web_acl_id": "arn:aws:wafv2:us-east-1:1:global/webacl/edge/x",
        "default_root_object": "index.html",
    })
}

fn with(changes: &[(&str, Value)]) -> Value {
    let mut d = good();
    for (pointer, v) in changes {
        if let Some(slot) = d.pointer_mut(pointer) {
            *slot = v.clone();
        }
    }
    d
}

fn judge(batch: &[Resource]) -> pillar_rule_sdk::Findings {
    run::<CloudFrontPack>("aws_cloudfront_distribution", batch, json!({}))
}

fn dist(attrs: Value, unknown: &[&str]) -> Resource {
    resource("aws_cloudfront_distribution", attrs, unknown)
}

#[test]
fn a_compliant_distribution_passes_every_rule() {
    let f = judge(&[dist(good(), &[])]);
    assert_eq!(f.0.len(), 0);
}

#[test]
fn viewers_on_http_fail_and_unknown_policies_stay_unknown() {
    let batch = [
        dist(
            with(&[(
                "/default_cache_behavior/viewer_protocol_policy",
                json!("allow-all"),
            )]),
            &[],
        ),
        dist(
            with(&[(
                "/ordered_cache_behavior/0/viewer_protocol_policy",
                json!("allow-all"),
            )]),
            &[],
        ),
        dist(
            good(),
            &["/ordered_cache_behavior/0/viewer_protocol_policy"],
        ),
        dist(good(), &["/ordered_cache_behavior"]),
    ];
    let f = judge(&batch);
    assert_eq!(
        verdicts_of(&f, HTTPS_VIEWERS),
        vec![(0, "fail"), (1, "fail"), (2, "unknown"), (3, "unknown")]
    );
    // match-viewer towards the API origin follows the viewers.
    assert_eq!(
        verdicts_of(&f, HTTPS_ORIGINS),
        vec![(0, "fail"), (1, "fail"), (2, "unknown"), (3, "unknown")]
    );
}

#[test]
fn viewer_tls_below_1_2_and_the_default_certificate_fail() {
    let default_cert = json!({"cloudfront_default_certificate": true, "acm_certificate_arn": null, "minimum_protocol_version": "TLSv1", "ssl_support_method": null});
    let batch = [
        dist(with(&[("/viewer_certificate", default_cert)]), &[]),
        dist(
            with(&[(
                "/viewer_certificate/minimum_protocol_version",
                json!("TLSv1.1_2016"),
            )]),
            &[],
        ),
        dist(
            with(&[(
                "/viewer_certificate/minimum_protocol_version",
                json!("TLSv1.3_2025"),
            )]),
            &[],
        ),
        dist(good(), &["/viewer_certificate/minimum_protocol_version"]),
        dist(
            with(&[("/viewer_certificate", Value::Null)]),
            &["/viewer_certificate"],
        ),
    ];
    let f = judge(&batch);
    assert_eq!(
        verdicts_of(&f, VIEWER_TLS),
        vec![(0, "fail"), (1, "fail"), (3, "unknown"), (4, "unknown")]
    );
}

#[test]
fn settings_left_out_fail_and_unknown_ones_stay_unknown() {
    let batch = [
        dist(
            with(&[
                ("/web_acl_id", Value::Null),
                ("/logging_config", Value::Null),
                ("/default_root_object", json!("")),
                ("/origin_group", json!([])),
            ]),
            &[],
        ),
        dist(
            with(&[
                ("/web_acl_id", Value::Null),
                ("/logging_config", Value::Null),
                ("/default_root_object", Value::Null),
                ("/origin_group", Value::Null),
            ]),
            &[
                "/web_acl_id",
                "/logging_config",
                "/default_root_object",
                "/origin_group",
            ],
        ),
        // A logging block whose bucket is computed is logging on.
        dist(good(), &["/logging_config/bucket"]),
    ];
    let f = judge(&batch);
    for rule in [WAF, LOGGING, ROOT_OBJECT, FAILOVER] {
        assert_eq!(
            verdicts_of(&f, rule),
            vec![(0, "fail"), (1, "unknown")],
            "{rule}"
        );
    }
}

#[test]
fn origins_over_http_or_old_tls_fail() {
    let batch = [
        dist(
            with(&[(
                "/origin/1/custom_origin_config/origin_protocol_policy",
                json!("http-only"),
            )]),
            &[],
        ),
        dist(
            with(&[(
                "/origin/1/custom_origin_config/origin_ssl_protocols",
                json!(["TLSv1", "TLSv1.1", "TLSv1.2"]),
            )]),
            &[],
        ),
        dist(
            good(),
            &["/origin/1/custom_origin_config/origin_ssl_protocols"],
        ),
        dist(good(), &["/origin"]),
    ];
    let f = judge(&batch);
    assert_eq!(
        verdicts_of(&f, HTTPS_ORIGINS),
        vec![(0, "fail"), (3, "unknown")]
    );
    // An http-only origin negotiates no TLS at all: only CF-005 judges it.
    assert_eq!(
        verdicts_of(&f, ORIGIN_TLS),
        vec![(1, "fail"), (2, "unknown"), (3, "unknown")]
    );
}

#[test]
fn s3_origins_need_origin_access_control_or_identity() {
    let open = json!({"origin_id": "site", "domain_name": "site.s3.eu-west-1.amazonaws.com", "origin_access_control_id": null, "s3_origin_config": {"origin_access_identity": ""}, "custom_origin_config": null});
    let by_domain = json!({"origin_id": "site", "domain_name": "site.s3.amazonaws.com", "origin_access_control_id": null, "s3_origin_config": null, "custom_origin_config": null});
    let website = json!({"origin_id": "site", "domain_name": "site.s3-website-eu-west-1.amazonaws.com", "origin_access_control_id": null, "s3_origin_config": null, "custom_origin_config": null});
    let oai = json!({"origin_id": "site", "domain_name": "site.s3.amazonaws.com", "origin_access_control_id": null, "s3_origin_config": {"origin_access_identity": "origin-access-identity/cloudfront/E1OAI"}, "custom_origin_config": null});
    let batch = [
        dist(with(&[("/origin/0", open.clone())]), &[]),
        dist(with(&[("/origin/0", by_domain)]), &[]),
        dist(with(&[("/origin/0", website)]), &[]),
        dist(with(&[("/origin/0", oai)]), &[]),
        // Computed from a reference in a plan: an OAC is attached.
        dist(
            with(&[("/origin/0", open.clone())]),
            &["/origin/0/origin_access_control_id"],
        ),
        dist(with(&[("/origin/0", open)]), &["/origin/0"]),
    ];
    let f = judge(&batch);
    assert_eq!(
        verdicts_of(&f, S3_ORIGIN_ACCESS),
        vec![(0, "fail"), (1, "fail"), (5, "unknown")]
    );
}
