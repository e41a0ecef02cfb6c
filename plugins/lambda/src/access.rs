//! Who may invoke a function: its URL's authentication (PILLAR-LMB-001)
//! and its resource-based policy (PILLAR-LMB-002).

use pillar_rule_sdk::policy;
use pillar_rule_sdk::prelude::*;
use serde_json::{Value, json};

use crate::{PUBLIC_POLICY, PUBLIC_URL, name, unknown};

/// PILLAR-LMB-001: a function URL whose `authorization_type` is `NONE`.
pub fn public_url(i: usize, f: &Resource, out: &mut dyn Sink) {
    let at = "/function_url/authorization_type";
    match f.attr("/function_url") {
        Attr::Unknown => {
            return unknown(PUBLIC_URL, i, f, "the function URL", "/function_url", out);
        }
        Attr::Known(Value::Object(_)) => {}
        _ => return,
    }
    match f.attr(at) {
        Attr::Unknown => unknown(PUBLIC_URL, i, f, "the function URL's auth type", at, out),
        a if a.as_str() == Some("NONE") => out.fail(
            PUBLIC_URL,
            i,
            format!(
                "{}: the function URL has auth type NONE: anyone on the internet can invoke it",
                name(f)
            ),
            Some(at.into()),
        ),
        _ => {}
    }
}

/// PILLAR-LMB-002: a statement of the function's policy that allows anyone
/// (`*`, `{"AWS": "*"}`) with no condition naming an account, organisation
/// or source. A statement whose principal is not known yet is unknown.
pub fn public_policy(i: usize, f: &Resource, out: &mut dyn Sink) {
    let statements = match f.attr("/policy") {
        Attr::Known(Value::Array(s)) => s,
        Attr::Unknown => {
            return unknown(PUBLIC_POLICY, i, f, "the resource policy", "/policy", out);
        }
        _ => return,
    };
    let mut undecided = None;
    for (n, raw) in statements.iter().enumerate() {
        let at = format!("/policy/{n}");
        if f.is_unknown(&at) || f.is_unknown(&format!("{at}/Principal")) {
            undecided.get_or_insert(at);
            continue;
        }
        let Ok(parsed) = policy::parse(&json!({ "Statement": [raw] }).to_string()) else {
            continue;
        };
        let Some(s) = parsed.first() else { continue };
        if s.open_to_anyone() {
            let sid = raw.get("Sid").and_then(Value::as_str).unwrap_or("(no Sid)");
            out.fail(
                PUBLIC_POLICY,
                i,
                format!(
                    "{}: resource policy statement {sid} allows anyone to {} with no condition on the caller's account or source",
                    name(f),
                    s.actions.join(", ")
                ),
                Some(at),
            );
            return;
        }
    }
    if let Some(at) = undecided {
        unknown(
            PUBLIC_POLICY,
            i,
            f,
            "who a resource policy statement allows",
            &at,
            out,
        );
    }
}
