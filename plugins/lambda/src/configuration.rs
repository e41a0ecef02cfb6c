//! What a function is configured with: secrets in its environment
//! (PILLAR-LMB-003), where failed asynchronous invocations go
//! (PILLAR-LMB-005) and X-Ray tracing (PILLAR-LMB-006).

use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::secrets;
use serde_json::Value;

use crate::{FAILURE_DESTINATION, SECRETS, TRACING, name, unknown};

/// PILLAR-LMB-003: a literal secret in an environment variable. Messages
/// name the variable and mask the value. Variables whose value is not
/// known yet are skipped; with no secret elsewhere, the verdict is unknown.
pub fn secrets(i: usize, f: &Resource, out: &mut dyn Sink) {
    let at = "/environment/variables";
    let vars = match f.attr(at) {
        Attr::Known(Value::Object(vars)) => vars,
        Attr::Unknown => return unknown(SECRETS, i, f, "the environment variables", at, out),
        _ if f.is_unknown("/environment") => {
            return unknown(SECRETS, i, f, "the environment", "/environment", out);
        }
        _ => return,
    };
    let mut undecided = None;
    let known = vars.iter().filter_map(|(k, v)| {
        let pointer = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
        if f.is_unknown(&pointer) {
            undecided.get_or_insert(pointer);
            None
        } else {
            v.as_str().map(|v| (k.as_str(), v))
        }
    });
    let found = secrets::in_variables(known.collect::<Vec<_>>());
    if !found.is_empty() {
        out.fail(
            SECRETS,
            i,
            format!(
                "{}: environment variables hold secrets in plain text: {}",
                name(f),
                found.join("; ")
            ),
            Some(at.into()),
        );
    } else if let Some(pointer) = undecided {
        unknown(
            SECRETS,
            i,
            f,
            "an environment variable's value",
            &pointer,
            out,
        );
    }
}

/// Whether a destination is set: `Some(true)` set (even to a value not
/// known yet), `Some(false)` not set, `None` not known.
fn destination_set(f: &Resource, block: &str, target: &str) -> Option<bool> {
    match f.attr(block) {
        Attr::Unknown => None,
        Attr::Absent => Some(false),
        Attr::Known(_) => match f.attr(target) {
            Attr::Unknown => Some(true),
            Attr::Absent => Some(false),
            Attr::Known(v) => Some(v.as_str().is_none_or(|s| !s.is_empty())),
        },
    }
}

/// PILLAR-LMB-005: neither a dead-letter queue nor an on-failure
/// destination: events of asynchronous invocations that still fail after
/// Lambda's retries are dropped.
pub fn failure_destination(i: usize, f: &Resource, out: &mut dyn Sink) {
    let dlq = destination_set(f, "/dead_letter_config", "/dead_letter_config/target_arn");
    let on_failure = match f.attr("/event_invoke_config") {
        Attr::Unknown => None,
        Attr::Absent => Some(false),
        Attr::Known(_) => destination_set(
            f,
            "/event_invoke_config/destination_config/on_failure",
            "/event_invoke_config/destination_config/on_failure/destination",
        )
        .filter(|_| !f.is_unknown("/event_invoke_config/destination_config")),
    };
    match (dlq, on_failure) {
        (Some(true), _) | (_, Some(true)) => {}
        (Some(false), Some(false)) => out.fail(
            FAILURE_DESTINATION,
            i,
            format!(
                "{}: no dead-letter queue and no on-failure destination: events that fail every retry of an asynchronous invocation are lost",
                name(f)
            ),
            Some("/dead_letter_config".into()),
        ),
        (None, _) => unknown(
            FAILURE_DESTINATION,
            i,
            f,
            "the dead-letter queue",
            "/dead_letter_config",
            out,
        ),
        (_, None) => unknown(
            FAILURE_DESTINATION,
            i,
            f,
            "the on-failure destination",
            "/event_invoke_config",
            out,
        ),
    }
}

/// PILLAR-LMB-006: active X-Ray tracing is off (`PassThrough`).
pub fn tracing(i: usize, f: &Resource, out: &mut dyn Sink) {
    let at = "/tracing_config/mode";
    match f.attr(at) {
        Attr::Unknown => unknown(TRACING, i, f, "the tracing mode", at, out),
        _ if f.is_unknown("/tracing_config") => {
            unknown(TRACING, i, f, "the tracing mode", at, out);
        }
        a if a.as_str() == Some("Active") => {}
        a => out.fail(
            TRACING,
            i,
            format!(
                "{}: X-Ray tracing is {} (not Active)",
                name(f),
                a.as_str().unwrap_or("off")
            ),
            Some(at.into()),
        ),
    }
}
