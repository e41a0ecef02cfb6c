//! The checks on `aws_eks_cluster`.

use pillar_rule_sdk::net::cidr_is_world;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{
    CONTROL_PLANE_LOGGING, PRIVATE_ENDPOINT, PUBLIC_ENDPOINT, SECRETS_ENCRYPTION, SUPPORTED_VERSION,
};

fn unknown(rule: &str, i: usize, r: &Resource, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{}: {what} is not known", r.display_name()),
        Some(at.into()),
    );
}

/// PILLAR-EKS-001: a public API endpoint that admits every address. An
/// absent `public_access_cidrs` is AWS's default, `0.0.0.0/0`.
pub fn public_endpoint(i: usize, r: &Resource, out: &mut dyn Sink) {
    let public = "/vpc_config/endpoint_public_access";
    match r.flag(public, true) {
        None => {
            return unknown(
                PUBLIC_ENDPOINT,
                i,
                r,
                "whether the endpoint is public",
                public,
                out,
            );
        }
        Some(false) => return,
        Some(true) => {}
    }
    let pointer = "/vpc_config/public_access_cidrs";
    let open = match r.attr(pointer) {
        Attr::Unknown => None,
        Attr::Absent => Some("0.0.0.0/0 (the default)".to_owned()),
        Attr::Known(Value::Array(cidrs)) => {
            let world = cidrs
                .iter()
                .filter_map(Value::as_str)
                .find(|c| cidr_is_world(c));
            match world {
                Some(c) => Some(c.to_owned()),
                None if r.has_unknown_within(pointer) => None,
                None => return,
            }
        }
        Attr::Known(_) => None,
    };
    match open {
        None => unknown(
            PUBLIC_ENDPOINT,
            i,
            r,
            "who may reach the public endpoint",
            pointer,
            out,
        ),
        Some(cidr) => out.fail(
            PUBLIC_ENDPOINT,
            i,
            format!(
                "{}: the Kubernetes API endpoint is public and admits {cidr}",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-EKS-002: every log type in `required` is sent to CloudWatch Logs.
pub fn logging(i: usize, r: &Resource, required: &[String], out: &mut dyn Sink) {
    let pointer = "/enabled_cluster_log_types";
    let enabled: Vec<&str> = match r.attr(pointer) {
        Attr::Unknown => {
            return unknown(
                CONTROL_PLANE_LOGGING,
                i,
                r,
                "the control-plane log types",
                pointer,
                out,
            );
        }
        Attr::Absent => Vec::new(),
        Attr::Known(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Attr::Known(_) => {
            return unknown(
                CONTROL_PLANE_LOGGING,
                i,
                r,
                "the control-plane log types",
                pointer,
                out,
            );
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .map(String::as_str)
        .filter(|want| !enabled.iter().any(|e| e.eq_ignore_ascii_case(want)))
        .collect();
    if missing.is_empty() {
        return;
    }
    if r.has_unknown_within(pointer) {
        return unknown(
            CONTROL_PLANE_LOGGING,
            i,
            r,
            "some control-plane log types",
            pointer,
            out,
        );
    }
    out.fail(
        CONTROL_PLANE_LOGGING,
        i,
        format!(
            "{}: control-plane logs not sent to CloudWatch Logs: {}",
            r.display_name(),
            missing.join(", ")
        ),
        Some(pointer.into()),
    );
}

/// PILLAR-EKS-003: an `encryption_config` covers the `secrets` resource
/// (its `provider` names the KMS key).
pub fn secrets_encryption(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/encryption_config";
    let configs = match r.attr(pointer) {
        Attr::Unknown => {
            return unknown(
                SECRETS_ENCRYPTION,
                i,
                r,
                "the encryption configuration",
                pointer,
                out,
            );
        }
        Attr::Absent => &Vec::new(),
        Attr::Known(Value::Array(items)) => items,
        Attr::Known(_) => {
            return unknown(
                SECRETS_ENCRYPTION,
                i,
                r,
                "the encryption configuration",
                pointer,
                out,
            );
        }
    };
    let covers_secrets = configs.iter().any(|c| {
        c.get("resources")
            .and_then(Value::as_array)
            .is_some_and(|rs| rs.iter().any(|x| x.as_str() == Some("secrets")))
    });
    if covers_secrets {
        return;
    }
    if r.has_unknown_within(pointer) {
        return unknown(
            SECRETS_ENCRYPTION,
            i,
            r,
            "what the encryption configuration covers",
            pointer,
            out,
        );
    }
    out.fail(
        SECRETS_ENCRYPTION,
        i,
        format!(
            "{}: Kubernetes secrets are not envelope-encrypted with a KMS key",
            r.display_name()
        ),
        Some(pointer.into()),
    );
}

/// `"1.29"` (or `"1.29.3"`, `"v1.29"`) as `(1, 29)`.
pub fn minor_version(text: &str) -> Option<(u32, u32)> {
    let text = text.trim();
    let text = text.strip_prefix('v').unwrap_or(text);
    let mut parts = text.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor_part = parts.next()?;
    // "1.29-eks" style suffixes: the digits before them.
    let digits: String = minor_part
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let minor = digits.parse().ok()?;
    Some((major, minor))
}

/// PILLAR-EKS-004: the cluster's Kubernetes version is at least
/// `minimum` (the oldest version in standard support).
pub fn version(i: usize, r: &Resource, minimum: &str, out: &mut dyn Sink) {
    let pointer = "/version";
    let text = match r.text(pointer) {
        Ok(Some(t)) => t,
        _ => {
            return unknown(
                SUPPORTED_VERSION,
                i,
                r,
                "the Kubernetes version",
                pointer,
                out,
            );
        }
    };
    let (Some(have), Some(want)) = (minor_version(text), minor_version(minimum)) else {
        return out.unknown(
            SUPPORTED_VERSION,
            i,
            format!(
                "{}: the Kubernetes version \"{text}\" (or the minimum \"{minimum}\") is not a version the rule can compare",
                r.display_name()
            ),
            Some(pointer.into()),
        );
    };
    if have < want {
        out.fail(
            SUPPORTED_VERSION,
            i,
            format!(
                "{}: Kubernetes {text} is past the end of standard support (the oldest version in standard support is {minimum})",
                r.display_name()
            ),
            Some(pointer.into()),
        );
    }
}

/// PILLAR-EKS-005: the private endpoint is on, so nodes and tools in the
/// VPC reach the API without leaving it. Absent is the default, off.
pub fn private_endpoint(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/vpc_config/endpoint_private_access";
    match r.flag(pointer, false) {
        None => unknown(PRIVATE_ENDPOINT, i, r, "whether the private endpoint is on", pointer, out),
        Some(true) => {}
        Some(false) => out.fail(
            PRIVATE_ENDPOINT,
            i,
            format!(
                "{}: the private API endpoint is off: nodes reach the control plane over its public endpoint",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}
