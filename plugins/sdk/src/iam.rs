//! IAM policy documents: statements with their effect, actions, resources,
//! principals and conditions, in the shapes AWS accepts (a single statement
//! or a list; a string or a list for every element).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement of a policy. `not_actions`/`not_resources` hold the
/// `NotAction`/`NotResource` elements, which grant everything *except* them.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub resources: Vec<String>,
    pub not_resources: Vec<String>,
    /// Principals as written: `"*"` for the anonymous principal, else the
    /// values of the `AWS`, `Service`, `Federated` or `CanonicalUser` keys.
    pub principals: Vec<String>,
    /// The `Condition` block, if any (conditions often narrow a grant that
    /// looks open, so rules should say how they treat it).
    pub condition: Option<Value>,
}

/// Parses a policy document given as a JSON string (as the resource model
/// stores `policy` attributes) or an already-parsed value.
pub fn parse_policy(document: &str) -> Result<Vec<Statement>, String> {
    let value: Value =
        serde_json::from_str(document).map_err(|e| format!("policy is not JSON: {e}"))?;
    statements(&value)
}

/// The statements of a parsed policy document.
pub fn statements(document: &Value) -> Result<Vec<Statement>, String> {
    let list = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        Some(_) => return Err("Statement is neither an object nor a list".into()),
        None => return Err("policy has no Statement".into()),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, s)| statement(i, s))
        .collect()
}

fn statement(index: usize, s: &Value) -> Result<Statement, String> {
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        other => return Err(format!("statement {index}: Effect is {other:?}")),
    };
    Ok(Statement {
        sid: s.get("Sid").and_then(Value::as_str).map(str::to_owned),
        effect,
        actions: strings(s.get("Action")),
        not_actions: strings(s.get("NotAction")),
        resources: strings(s.get("Resource")),
        not_resources: strings(s.get("NotResource")),
        principals: principals(s.get("Principal")),
        condition: s.get("Condition").filter(|c| !c.is_null()).cloned(),
    })
}

/// A string or a list of strings; anything else reads as none.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn principals(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Object(map)) => map.values().flat_map(|p| strings(Some(p))).collect(),
        other => strings(other),
    }
}

/// IAM's case-insensitive wildcard match: `*` any run, `?` one character.
pub fn wildcard_match(pattern: &str, value: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let v: Vec<char> = value.to_ascii_lowercase().chars().collect();
    let (mut pi, mut vi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow
    }

    /// True when the statement covers `action` (e.g. `s3:GetObject`),
    /// through `Action` patterns or by not excluding it in `NotAction`.
    pub fn covers_action(&self, action: &str) -> bool {
        if !self.not_actions.is_empty() {
            return !self.not_actions.iter().any(|p| wildcard_match(p, action));
        }
        self.actions.iter().any(|p| wildcard_match(p, action))
    }

    /// True for `"Action": "*"` (or a `NotAction` that leaves everything).
    pub fn all_actions(&self) -> bool {
        self.actions.iter().any(|a| a == "*")
    }

    /// True for `"Resource": "*"` or any `NotResource`.
    pub fn all_resources(&self) -> bool {
        self.resources.iter().any(|r| r == "*") || !self.not_resources.is_empty()
    }

    /// True when anyone may use the grant: principal `*` (or `{"AWS": "*"}`)
    /// and no condition to narrow it.
    pub fn is_public(&self) -> bool {
        self.condition.is_none() && self.principals.iter().any(|p| p == "*")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_statement_and_string_elements() {
        let s = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        )
        .expect("valid");
        assert_eq!(s.len(), 1);
        assert!(s[0].is_allow() && s[0].all_actions() && s[0].all_resources());
    }

    #[test]
    fn principals_and_conditions() {
        let s = parse_policy(
            r#"{"Statement":[
                {"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"},
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*",
                 "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
                {"Effect":"Deny","Principal":{"Service":["logs.amazonaws.com"]},"NotAction":"s3:*","Resource":"*"}]}"#,
        )
        .expect("valid");
        assert!(s[0].is_public());
        assert!(!s[1].is_public(), "a condition narrows it");
        assert_eq!(s[2].principals, ["logs.amazonaws.com"]);
        assert!(!s[2].covers_action("s3:PutObject"));
        assert!(s[2].covers_action("ec2:RunInstances"));
    }

    #[test]
    fn wildcards_are_case_insensitive() {
        assert!(wildcard_match("s3:Get*", "s3:getobject"));
        assert!(wildcard_match("iam:*Policy", "iam:PutUserPolicy"));
        assert!(wildcard_match("ec2:?escribe*", "ec2:DescribeInstances"));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
        assert!(wildcard_match("*", "anything"));
    }

    #[test]
    fn malformed_documents_say_why() {
        assert!(parse_policy("{").is_err());
        assert!(
            parse_policy(r#"{"Statement":[{"Effect":"Maybe"}]}"#)
                .expect_err("bad effect")
                .contains("Effect")
        );
        assert!(
            parse_policy("{}")
                .expect_err("none")
                .contains("no Statement")
        );
    }
}
