//! Credentials never reach a snapshot: plans of every version carry
//! passwords and keys in clear (`after_sensitive` only hides them from the
//! terminal), so they are removed by name, at any depth, whatever
//! `after_sensitive` says, and also wherever `after_sensitive` marks a value
//! whose name looks like a credential.

use serde_json::{Map, Value};

const CREDENTIALS: &[&str] = &[
    "password",
    "master_password",
    "master_user_password",
    "password_data",
    "secret",
    "secret_key",
    "secret_access_key",
    "ses_smtp_password_v4",
    "encrypted_secret",
    "encrypted_password",
    "client_secret",
    "private_key",
    "private_key_pem",
    "private_key_openssh",
    "auth_token",
    "access_token",
    "token",
    "secret_string",
    "secret_binary",
];

fn looks_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    CREDENTIALS.contains(&k.as_str())
}

fn credential_word(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "secret", "token", "private_key", "credential"]
        .iter()
        .any(|w| k.contains(w))
        && !k.ends_with("_arn")
        && !k.ends_with("_id")
}

/// Removes credentials from `attrs`, using `sensitive` (the mirrored
/// `after_sensitive`, `Value::Null` when the plan predates it) as extra
/// evidence. Returns the top-level names removed.
pub fn strip(attrs: &mut Map<String, Value>, sensitive: &Value) -> Vec<String> {
    let mut removed = Vec::new();
    strip_object(attrs, sensitive, &mut removed, 0, true);
    removed
}

fn strip_object(
    map: &mut Map<String, Value>,
    sensitive: &Value,
    removed: &mut Vec<String>,
    depth: usize,
    top: bool,
) {
    if depth > 64 {
        return;
    }
    let keys: Vec<String> = map.keys().cloned().collect();
    for k in keys {
        let marked = sensitive.get(&k);
        let drop = looks_secret(&k) || (marked == Some(&Value::Bool(true)) && credential_word(&k));
        if drop {
            map.remove(&k);
            if top {
                removed.push(k);
            }
            continue;
        }
        if let Some(v) = map.get_mut(&k) {
            strip_value(v, marked.unwrap_or(&Value::Null), removed, depth + 1);
        }
    }
}

fn strip_value(v: &mut Value, sensitive: &Value, removed: &mut Vec<String>, depth: usize) {
    match v {
        Value::Object(map) => strip_object(map, sensitive, removed, depth, false),
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                strip_value(
                    item,
                    sensitive.get(i).unwrap_or(&Value::Null),
                    removed,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn passwords_go_whatever_after_sensitive_says() {
        let mut attrs = json!({
            "password": "foobarbaz",
            "username": "admin",
            "master_password_secret_arn": "arn:aws:secretsmanager:x",
            "nested": [{"secret_key": "k", "db_token_value": "t", "keep": 1}]
        })
        .as_object()
        .cloned()
        .expect("object");
        let sensitive = json!({"nested": [{"db_token_value": true}]});
        let removed = strip(&mut attrs, &sensitive);
        assert_eq!(removed, vec!["password".to_owned()]);
        let text = serde_json::to_string(&attrs).expect("json");
        for secret in ["foobarbaz", "\"k\"", "\"t\""] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert!(text.contains("admin") && text.contains("keep"));
        assert!(
            text.contains("master_password_secret_arn"),
            "ARNs are not secrets"
        );
    }
}
