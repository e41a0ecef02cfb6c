//! Secrets kept out of what third-party packs report.
//!
//! A pack that reads `aws_instance` sees decoded user data, secrets and
//! all: it needs the text to judge it. The built-in rules mask what they
//! quote; a third-party pack may not, and its messages land in the SARIF a
//! CI job uploads. So the host masks, before any report sees them, every
//! message, evidence pointer and log line of a third-party pack:
//! - every literal secret value found in the sensitive attributes of the
//!   resources the pack was sent (wherever the pack copied it), and
//! - anything in the text itself that looks like a secret: AWS access key
//!   ids, private key blocks, and values assigned to secret-looking names.
//!
//! This is a net, not a proof: a pack that encodes a secret (reverses it,
//! base64s it) gets it through. docs/sandbox.md says so, and `pillar rules
//! list` shows which packs read kinds that carry sensitive attributes.

use std::borrow::Cow;

/// Attributes whose text may hold secrets, by resource kind.
const SENSITIVE: &[(&str, &[&str])] = &[
    ("aws_instance", &["user_data"]),
    ("aws_launch_template", &["user_data", "latest_user_data"]),
    ("aws_ecs_task_definition", &["container_definitions"]),
    ("aws_lambda_function", &["environment"]),
    ("aws_launch_configuration", &["user_data"]),
];

/// The sensitive attributes a pack reading `kind` is sent.
pub fn sensitive_attributes(kind: &str) -> &'static [&'static str] {
    SENSITIVE
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, attrs)| attrs)
}

/// A sensitive attribute as text to search for secrets: a string as it
/// is (user data); a structure as its string leaves, one a line, with each
/// name written beside its value (`NAME=value`) so that a secret-looking
/// name is seen: a `{name, value}` pair (an ECS container's environment
/// variable) and a `NAME: "value"` entry (a function's
/// `environment.variables`) alike. Numbers, booleans and null hold no text.
pub fn sensitive_text(value: &serde_json::Value) -> Option<Cow<'_, str>> {
    use serde_json::Value;
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(text) => {
                out.push_str(text);
                out.push('\n');
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(map) => {
                if let (Some(Value::String(n)), Some(Value::String(val))) =
                    (map.get("name"), map.get("value"))
                {
                    out.push_str(&format!("{n}={val}\n"));
                }
                for (name, inner) in map {
                    match inner {
                        Value::String(text) => out.push_str(&format!("{name}={text}\n")),
                        other => walk(other, out),
                    }
                }
            }
            _ => {}
        }
    }
    match value {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Array(_) | Value::Object(_) => {
            let mut out = String::new();
            walk(value, &mut out);
            Some(Cow::Owned(out))
        }
        _ => None,
    }
}

/// Names that hold a secret when a value is assigned to them.
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "private_key",
    "credential",
];

/// Shortest value treated as a secret: shorter ones (`pwd=x`) are more
/// likely placeholders, and masking every short word would eat messages.
const MIN_SECRET: usize = 6;

/// The literal secret values in `text`: assigned values, access key ids and
/// private key bodies, as found in a resource's sensitive attributes.
pub fn secrets_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for token in line.split(|c: char| !c.is_ascii_alphanumeric()) {
            if is_access_key_id(token) {
                found.push(token.to_owned());
            }
        }
        found.extend(assigned_values(line).into_iter().map(str::to_owned));
    }
    for block in private_keys(text) {
        // Each line of the key body, so that a partial copy is caught too.
        found.extend(
            block
                .lines()
                .map(str::trim)
                .filter(|l| l.len() >= 16 && !l.starts_with("-----"))
                .map(str::to_owned),
        );
    }
    found.sort();
    found.dedup();
    found
}

/// `text` with `known` secret values and secret-looking parts masked.
pub fn redact<'t>(text: &'t str, known: &[String]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for secret in known.iter().filter(|s| s.len() >= MIN_SECRET) {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), &masked(secret)));
        }
    }
    if let Some(start) = out.find("-----BEGIN")
        && out[start..].contains("PRIVATE KEY")
    {
        // To the end of the "-----END … KEY-----" line, or of the text.
        let end = out[start..]
            .find("-----END")
            .and_then(|e| {
                out[start + e + 8..]
                    .find("-----")
                    .map(|t| start + e + 8 + t + 5)
            })
            .unwrap_or(out.len());
        let replaced = format!(
            "{}[private key masked by pillar]{}",
            &out[..start],
            &out[end..]
        );
        out = Cow::Owned(replaced);
    }
    let key_ids: Vec<String> = out
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| is_access_key_id(t))
        .map(str::to_owned)
        .collect();
    for id in key_ids {
        out = Cow::Owned(out.replace(&id, &masked(&id)));
    }
    let assigned: Vec<String> = assigned_values(&out)
        .into_iter()
        .map(str::to_owned)
        .collect();
    for value in assigned {
        out = Cow::Owned(out.replace(&value, &masked(&value)));
    }
    out
}

/// A secret shown as its first characters and its length: enough to find
/// it, not enough to use it.
fn masked(secret: &str) -> String {
    let chars = secret.chars().count();
    let keep = if is_access_key_id(secret) { 4 } else { 0 };
    let head: String = secret.chars().take(keep).collect();
    format!("{head}[masked by pillar, {chars} chars]")
}

fn is_access_key_id(token: &str) -> bool {
    token.len() == 20
        && (token.starts_with("AKIA") || token.starts_with("ASIA"))
        && token
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The literal values assigned to secret-looking names anywhere in `text`:
/// `NAME=VALUE`, `NAME: VALUE`, `"NAME": "VALUE"`, `export NAME='VALUE'`,
/// where NAME is an identifier containing one of [`SECRET_NAMES`] (any
/// case). Several may share a line, after other text ("i-1: password=…").
fn assigned_values(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for name in SECRET_NAMES {
        let mut from = 0;
        while let Some(at) = lower[from..].find(name) {
            let start = from + at;
            from = start + name.len();
            // The rest of the identifier (DB_PASSWORD_FILE, tokens).
            let mut end = from;
            while end < bytes.len() && is_ident(bytes[end]) {
                end += 1;
            }
            if let Some(value) = value_after(text, end) {
                found.push(value);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The literal after `=` or `:` at `at` (spaces and quotes around it
/// skipped), if it is one: long enough, and not a reference (`$VAR`,
/// `${VAR}`, `{{ template }}`, a path) or a mask pillar already wrote.
fn value_after(text: &str, at: usize) -> Option<&str> {
    let rest = text.get(at..)?;
    let rest = rest.trim_start_matches(['"', '\'', ' ', '\t']);
    let rest = rest.strip_prefix(['=', ':'])?;
    let rest = rest.trim_start_matches(['"', '\'', ' ', '\t']);
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | ',' | '&'))
        .unwrap_or(rest.len());
    let value = &rest[..end];
    let reference = value.starts_with(['$', '{', '/', '[']);
    (value.len() >= MIN_SECRET && !reference).then_some(value)
}

/// The private key blocks in `text`, BEGIN to END.
fn private_keys(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN") {
        let block = &rest[start..];
        let end = block.find("-----END").map_or(block.len(), |e| {
            block[e..].find('\n').map_or(block.len(), |n| e + n)
        });
        if block[..end].contains("PRIVATE KEY") {
            blocks.push(&block[..end]);
        }
        rest = &block[end..];
        if end == 0 {
            break;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER_DATA: &str = "#!/bin/bash\nexport DB_PASSWORD=\"s3cr3t-Pa55word\"\n\
                             AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nHOST=db.internal\n";

    #[test]
    fn secrets_are_found_in_user_data() {
        let found = secrets_in(USER_DATA);
        assert!(found.contains(&"s3cr3t-Pa55word".to_owned()), "{found:?}");
        assert!(found.contains(&"AKIAIOSFODNN7EXAMPLE".to_owned()));
        assert!(!found.iter().any(|s| s.contains("db.internal")));
    }

    #[test]
    fn secrets_are_found_in_environment_variables() {
        let env =
            serde_json::json!({"variables": {"DB_PASSWORD": "s3cr3t-Pa55word", "HOST": "db"}});
        let text = sensitive_text(&env).expect("an object is searched");
        assert_eq!(secrets_in(&text), vec!["s3cr3t-Pa55word".to_owned()]);
        assert!(sensitive_text(&serde_json::json!(3)).is_none());
    }

    #[test]
    fn a_copied_secret_is_masked_wherever_it_appears() {
        let known = secrets_in(USER_DATA);
        let message = "i-1 leaks s3cr3t-Pa55word (and again: xs3cr3t-Pa55wordx)";
        let shown = redact(message, &known);
        assert!(!shown.contains("s3cr3t-Pa55word"), "{shown}");
        assert!(shown.contains("[masked by pillar, 15 chars]"));
    }

    #[test]
    fn secret_looking_text_is_masked_without_knowing_the_value() {
        let shown = redact("key AKIAABCDEFGHIJKLMNOP; token=abcdef123456", &[]);
        assert!(!shown.contains("ABCDEFGHIJKLMNOP"), "{shown}");
        assert!(shown.contains("AKIA[masked by pillar, 20 chars]"));
        assert!(!shown.contains("abcdef123456"), "{shown}");
        let key = "x -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- y";
        assert_eq!(redact(key, &[]), "x [private key masked by pillar] y");
    }

    #[test]
    fn assignments_are_found_after_other_text_and_in_every_spelling() {
        let shown = redact(
            "i-1: password=hunter2x, \"api_key\": \"k-123456\" DB_PASSWORD_FILE: secret99 token : abcdef",
            &[],
        );
        for secret in ["hunter2x", "k-123456", "secret99", "abcdef"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn ordinary_messages_are_left_alone() {
        let message = "i-1: user data hardcodes 10.20.x.x; tags: owner=team-a";
        assert!(matches!(redact(message, &[]), Cow::Borrowed(_)));
        assert!(matches!(
            redact("password: $DB_PASSWORD", &[]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn private_key_bodies_are_known_secrets() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
        let found = secrets_in(pem);
        assert_eq!(found, ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"]);
    }

    #[test]
    fn container_environment_pairs_are_read_as_assignments() {
        let defs = serde_json::json!([{
            "name": "web",
            "environment": [
                {"name": "DB_PASSWORD", "value": "s3cr3t-Pa55word"},
                {"name": "HOST", "value": "db.internal"}
            ]
        }]);
        let text = sensitive_text(&defs).expect("a structure is searched");
        assert!(text.contains("DB_PASSWORD=s3cr3t-Pa55word"));
        assert_eq!(secrets_in(&text), vec!["s3cr3t-Pa55word".to_owned()]);
        let message = "web quotes s3cr3t-Pa55word";
        assert!(!redact(message, &secrets_in(&text)).contains("s3cr3t-Pa55word"));
    }
}
