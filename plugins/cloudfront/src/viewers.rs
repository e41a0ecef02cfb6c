//! The viewer side: HTTP allowed by a cache behaviour (PILLAR-CF-001) and
//! the viewer certificate's minimum TLS version (PILLAR-CF-002).

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{HTTPS_VIEWERS, VIEWER_TLS, name};

/// The cache behaviours that let viewers use plain HTTP, by path (`*` for
/// the default behaviour), and whether some behaviour's policy is unknown.
pub(crate) struct HttpBehaviours {
    pub paths: Vec<String>,
    pub unknown: bool,
}

impl HttpBehaviours {
    /// `Some(true)` when viewers may use HTTP somewhere, `None` unknown.
    pub(crate) fn any(&self) -> Option<bool> {
        if !self.paths.is_empty() {
            Some(true)
        } else if self.unknown {
            None
        } else {
            Some(false)
        }
    }
}

/// `allow-all` serves HTTP as it comes; `redirect-to-https` and
/// `https-only` do not.
pub(crate) fn http_behaviours(d: &Resource) -> HttpBehaviours {
    let mut found = HttpBehaviours {
        paths: Vec::new(),
        unknown: false,
    };
    judge(
        d,
        "/default_cache_behavior/viewer_protocol_policy",
        "*",
        &mut found,
    );
    match d.attr("/ordered_cache_behavior") {
        Attr::Known(Value::Array(list)) => {
            for (n, b) in list.iter().enumerate() {
                let path = b.get("path_pattern").and_then(Value::as_str).unwrap_or("?");
                let at = format!("/ordered_cache_behavior/{n}/viewer_protocol_policy");
                judge(d, &at, path, &mut found);
            }
        }
        Attr::Unknown => found.unknown = true,
        _ => {}
    }
    found
}

fn judge(d: &Resource, pointer: &str, path: &str, found: &mut HttpBehaviours) {
    match d.text(pointer) {
        Ok(Some(p)) if p.eq_ignore_ascii_case("allow-all") => found.paths.push(path.to_owned()),
        Ok(_) => {}
        Err(()) => found.unknown = true,
    }
}

/// PILLAR-CF-001.
pub(crate) fn https_viewers(i: usize, d: &Resource, http: &HttpBehaviours, out: &mut dyn Sink) {
    let n = name(d);
    match http.any() {
        Some(true) => out.fail(
            HTTPS_VIEWERS,
            i,
            format!(
                "{n}: viewers may use plain HTTP (viewer_protocol_policy allow-all on {})",
                http.paths.join(", ")
            ),
            Some(if http.paths.iter().any(|p| p == "*") {
                "/default_cache_behavior/viewer_protocol_policy".into()
            } else {
                "/ordered_cache_behavior".into()
            }),
        ),
        Some(false) => {}
        None => out.unknown(
            HTTPS_VIEWERS,
            i,
            format!("{n}: a cache behaviour's viewer protocol policy is not known"),
            Some("/default_cache_behavior".into()),
        ),
    }
}

/// TLS 1.2 and newer security policies (`TLSv1.2_2021`, `TLSv1.3_2025`);
/// `SSLv3`, `TLSv1`, `TLSv1_2016` and `TLSv1.1_2016` accept older clients.
fn is_current_tls(policy: &str) -> bool {
    policy.starts_with("TLSv1.2") || policy.starts_with("TLSv1.3")
}

/// PILLAR-CF-002. The default `*.cloudfront.net` certificate accepts TLSv1
/// whatever `minimum_protocol_version` says, so it fails: raising the
/// minimum takes a certificate of one's own.
pub(crate) fn viewer_tls(i: usize, d: &Resource, out: &mut dyn Sink) {
    let n = name(d);
    let unknown = |out: &mut dyn Sink, at: &str| {
        out.unknown(
            VIEWER_TLS,
            i,
            format!("{n}: the viewer certificate's TLS settings are not known"),
            Some(at.into()),
        )
    };
    match d.attr("/viewer_certificate") {
        Attr::Known(Value::Object(_)) => {}
        Attr::Unknown | Attr::Absent | Attr::Known(_) => {
            return unknown(out, "/viewer_certificate");
        }
    }
    match d.flag("/viewer_certificate/cloudfront_default_certificate", false) {
        Some(true) => {
            return out.fail(
                VIEWER_TLS,
                i,
                format!(
                    "{n}: the default CloudFront certificate accepts TLSv1 from viewers; \
                     a certificate of its own with TLSv1.2_2021 is needed to refuse it"
                ),
                Some("/viewer_certificate/cloudfront_default_certificate".into()),
            );
        }
        Some(false) => {}
        None => return unknown(out, "/viewer_certificate/cloudfront_default_certificate"),
    }
    let at = "/viewer_certificate/minimum_protocol_version";
    match d.text(at) {
        Ok(Some(p)) if is_current_tls(p) => {}
        // The provider's and the API's default is TLSv1.
        Ok(p) => out.fail(
            VIEWER_TLS,
            i,
            format!(
                "{n}: viewers may connect with TLS older than 1.2 (minimum protocol version {})",
                p.unwrap_or("TLSv1")
            ),
            Some(at.into()),
        ),
        Err(()) => unknown(out, at),
    }
}
