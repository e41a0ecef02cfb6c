//! The container rules of a task definition (PILLAR-ECS-001, 003 to 006).
//! `container_definitions` is known or unknown as a whole (in a plan it is
//! one JSON string); each container is judged on its own fields, in the
//! ECS API's names (`privileged`, `user`, `readonlyRootFilesystem`,
//! `logConfiguration`, `environment`).

use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::secrets::find_secrets;
use serde_json::Value;

use crate::{ENV_SECRETS, NO_LOGS, PRIVILEGED, ROOT_USER, WRITABLE_ROOT_FS, task_name};

const POINTER: &str = "/container_definitions";
const RULES: [&str; 5] = [
    PRIVILEGED,
    ROOT_USER,
    WRITABLE_ROOT_FS,
    NO_LOGS,
    ENV_SECRETS,
];

pub fn check(i: usize, td: &Resource, out: &mut dyn Sink) {
    let containers = match td.attr(POINTER) {
        Attr::Known(Value::Array(items)) => items,
        Attr::Absent => return,
        _ => {
            for rule in RULES {
                out.unknown(
                    rule,
                    i,
                    format!(
                        "{}: the container definitions are not known (computed at apply, or not JSON)",
                        task_name(td)
                    ),
                    Some(POINTER.into()),
                );
            }
            return;
        }
    };
    let name = task_name(td);
    for (n, c) in containers.iter().enumerate() {
        let at = |field: &str| format!("{POINTER}/{n}/{field}");
        let container = c.get("name").and_then(Value::as_str).unwrap_or("?");
        let who = format!("{name}: container {container}");
        if c.get("privileged").and_then(Value::as_bool) == Some(true) {
            out.fail(
                PRIVILEGED,
                i,
                format!("{who} runs privileged (root on the host)"),
                Some(at("privileged")),
            );
        }
        if let Some(why) = runs_as_root(c) {
            out.fail(ROOT_USER, i, format!("{who} {why}"), Some(at("user")));
        }
        if c.get("readonlyRootFilesystem").and_then(Value::as_bool) != Some(true) {
            out.fail(
                WRITABLE_ROOT_FS,
                i,
                format!(
                    "{who} has a writable root filesystem (readonlyRootFilesystem is not true)"
                ),
                Some(at("readonlyRootFilesystem")),
            );
        }
        let driver = c
            .get("logConfiguration")
            .and_then(|l| l.get("logDriver"))
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty());
        if driver.is_none() {
            out.fail(
                NO_LOGS,
                i,
                format!("{who} has no log configuration: its output is lost with the task"),
                Some(at("logConfiguration")),
            );
        }
        let found = environment_secrets(c);
        if !found.is_empty() {
            out.fail(
                ENV_SECRETS,
                i,
                format!(
                    "{who} has secrets in plain environment variables: {}",
                    found.join("; ")
                ),
                Some(at("environment")),
            );
        }
    }
}

/// Why the container runs as root, if it does: `user` is `root` or UID 0
/// (alone or with a group), or unset, when the image's USER decides, and
/// that is root unless the image says otherwise (Docker's default).
fn runs_as_root(c: &Value) -> Option<String> {
    match c.get("user").and_then(Value::as_str).map(str::trim) {
        None | Some("") => Some(
            "sets no user: it runs as the image's default user, root unless the image names another"
                .to_owned(),
        ),
        Some(u) => {
            let who = u.split(':').next().unwrap_or(u);
            matches!(who, "root" | "0").then(|| format!("runs as user {u:?} (root)"))
        }
    }
}

/// Secrets in the container's plain `environment`: each variable read as
/// `NAME=value` by the SDK's detector, so a secret-looking name with a
/// literal value, an access key id or a private key is found. What is
/// found is masked.
fn environment_secrets(c: &Value) -> Vec<String> {
    let Some(env) = c.get("environment").and_then(Value::as_array) else {
        return Vec::new();
    };
    env.iter()
        .filter_map(|kv| {
            let name = kv.get("name").and_then(Value::as_str)?;
            let value = kv.get("value").and_then(Value::as_str)?;
            Some(
                find_secrets(&format!("{name}={value}"))
                    .into_iter()
                    .map(|f| f.replace(" (line 1)", "")),
            )
        })
        .flatten()
        .collect()
}
