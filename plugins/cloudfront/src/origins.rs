//! The origin side: custom origins reached over plain HTTP (PILLAR-CF-005)
//! or with deprecated SSL/TLS (PILLAR-CF-007), and S3 origins without
//! origin access control (PILLAR-CF-006).

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::viewers::HttpBehaviours;
use crate::{HTTPS_ORIGINS, ORIGIN_TLS, S3_ORIGIN_ACCESS, name};

/// Protocols CloudFront still offers towards origins that are broken or
/// deprecated.
const DEPRECATED: &[&str] = &["SSLv3", "TLSv1", "TLSv1.1"];

/// The origins, or `None` (after saying so for `rule`) when the list is not
/// known.
fn origins<'a>(i: usize, d: &'a Resource, rule: &str, out: &mut dyn Sink) -> Option<&'a [Value]> {
    match d.attr("/origin") {
        Attr::Known(Value::Array(list)) => Some(list),
        Attr::Absent => Some(&[]),
        _ => {
            out.unknown(
                rule,
                i,
                format!("{}: the distribution's origins are not known", name(d)),
                Some("/origin".into()),
            );
            None
        }
    }
}

fn origin_id(o: &Value) -> &str {
    o.get("origin_id").and_then(Value::as_str).unwrap_or("?")
}

/// Tallies one rule's verdict over the origins: any failing origin fails
/// the distribution; else any unknown one leaves it unknown.
#[derive(Default)]
struct Tally {
    failing: Vec<String>,
    unknown: Vec<String>,
}

impl Tally {
    fn emit(self, i: usize, d: &Resource, rule: &str, what: &str, out: &mut dyn Sink) {
        let n = name(d);
        if !self.failing.is_empty() {
            out.fail(
                rule,
                i,
                format!("{n}: {what}: {}", self.failing.join(", ")),
                Some("/origin".into()),
            );
        } else if !self.unknown.is_empty() {
            out.unknown(
                rule,
                i,
                format!("{n}: not known for origin {}", self.unknown.join(", ")),
                Some("/origin".into()),
            );
        }
    }
}

/// The origins with a known `custom_origin_config`, as (index, origin id);
/// those whose block is unknown are counted unknown in `tally`. S3 REST
/// origins (no such block) always speak HTTPS and are left out.
fn custom_origins<'a>(d: &Resource, list: &'a [Value], tally: &mut Tally) -> Vec<(usize, &'a str)> {
    let mut custom = Vec::new();
    for (n, o) in list.iter().enumerate() {
        match d.attr(&format!("/origin/{n}/custom_origin_config")) {
            Attr::Known(Value::Object(_)) => custom.push((n, origin_id(o))),
            Attr::Unknown => tally.unknown.push(origin_id(o).to_owned()),
            _ => {}
        }
    }
    custom
}

/// PILLAR-CF-005. `match-viewer` speaks HTTP to the origin whenever a viewer
/// does, so it fails when any cache behaviour lets viewers use HTTP.
pub(crate) fn https_origins(i: usize, d: &Resource, http: &HttpBehaviours, out: &mut dyn Sink) {
    let Some(list) = origins(i, d, HTTPS_ORIGINS, out) else {
        return;
    };
    let mut tally = Tally::default();
    for (n, id) in custom_origins(d, list, &mut tally) {
        match d.text(&format!(
            "/origin/{n}/custom_origin_config/origin_protocol_policy"
        )) {
            Ok(Some("http-only")) => tally.failing.push(format!("{id} (http-only)")),
            Ok(Some("match-viewer")) => match http.any() {
                Some(true) => tally
                    .failing
                    .push(format!("{id} (match-viewer while viewers may use HTTP)")),
                Some(false) => {}
                None => tally.unknown.push(id.to_owned()),
            },
            Ok(_) => {}
            Err(()) => tally.unknown.push(id.to_owned()),
        }
    }
    tally.emit(
        i,
        d,
        HTTPS_ORIGINS,
        "CloudFront may reach these origins over plain HTTP",
        out,
    );
}

/// PILLAR-CF-007. An `http-only` origin never negotiates TLS: PILLAR-CF-005
/// judges it, not this rule.
pub(crate) fn origin_tls(i: usize, d: &Resource, out: &mut dyn Sink) {
    let Some(list) = origins(i, d, ORIGIN_TLS, out) else {
        return;
    };
    let mut tally = Tally::default();
    for (n, id) in custom_origins(d, list, &mut tally) {
        let base = format!("/origin/{n}/custom_origin_config");
        if d.text(&format!("{base}/origin_protocol_policy")) == Ok(Some("http-only")) {
            continue;
        }
        let at = format!("{base}/origin_ssl_protocols");
        let protocols = match d.attr(&at) {
            Attr::Known(Value::Array(p)) => p,
            Attr::Absent => continue,
            _ => {
                tally.unknown.push(id.to_owned());
                continue;
            }
        };
        let old: Vec<&str> = protocols
            .iter()
            .filter_map(Value::as_str)
            .filter(|p| DEPRECATED.contains(p))
            .collect();
        if !old.is_empty() {
            tally.failing.push(format!("{id} ({})", old.join(", ")));
        } else if d.has_unknown_within(&at) {
            tally.unknown.push(id.to_owned());
        }
    }
    tally.emit(
        i,
        d,
        ORIGIN_TLS,
        "origins accept deprecated SSL/TLS versions",
        out,
    );
}

/// An S3 REST endpoint (`bucket.s3.region.amazonaws.com`); website
/// endpoints (`s3-website`) are custom origins and cannot use origin access
/// control.
fn is_s3_domain(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    !domain.contains("s3-website")
        && (domain.contains(".s3.") || domain.contains(".s3-"))
        && domain.ends_with(".amazonaws.com")
}

/// An origin access control or identity set on origin `n`: `Ok(true)` set,
/// `Err(())` not known.
///
/// A value unknown at plan time, itself rather than a block around it, is
/// one the configuration computes from a reference (the provider never
/// computes these by itself), such as
/// `aws_cloudfront_origin_access_control.x.id` on create: it is set.
fn has_origin_access(d: &Resource, n: usize) -> Result<bool, ()> {
    for at in [
        format!("/origin/{n}/origin_access_control_id"),
        format!("/origin/{n}/s3_origin_config/origin_access_identity"),
    ] {
        match d.text(&at) {
            Ok(Some(_)) => return Ok(true),
            Ok(None) => {}
            // The value itself computed, not a block or origin around it.
            Err(()) if d.unknown.contains(&at) => return Ok(true),
            Err(()) => return Err(()),
        }
    }
    Ok(false)
}

/// PILLAR-CF-006.
pub(crate) fn s3_origin_access(i: usize, d: &Resource, out: &mut dyn Sink) {
    let Some(list) = origins(i, d, S3_ORIGIN_ACCESS, out) else {
        return;
    };
    let mut tally = Tally::default();
    for (n, o) in list.iter().enumerate() {
        let id = origin_id(o);
        let s3_block = d.attr(&format!("/origin/{n}/s3_origin_config"));
        let custom_block = d.attr(&format!("/origin/{n}/custom_origin_config"));
        let domain = d.text(&format!("/origin/{n}/domain_name"));
        let is_s3 = match (s3_block, custom_block, domain) {
            (Attr::Known(Value::Object(_)), _, _) => Some(true),
            (_, Attr::Known(Value::Object(_)), _) => Some(false),
            (Attr::Unknown, _, _) | (_, Attr::Unknown, _) => None,
            (_, _, Ok(Some(domain))) => Some(is_s3_domain(domain)),
            (_, _, Ok(None)) => Some(false),
            (_, _, Err(())) => None,
        };
        match (is_s3, has_origin_access(d, n)) {
            (Some(false), _) | (_, Ok(true)) => {}
            (Some(true), Ok(false)) => tally.failing.push(id.to_owned()),
            _ => tally.unknown.push(id.to_owned()),
        }
    }
    tally.emit(
        i,
        d,
        S3_ORIGIN_ACCESS,
        "S3 origins without origin access control, so the bucket must be readable without CloudFront",
        out,
    );
}
