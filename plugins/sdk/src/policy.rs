//! IAM and resource policy documents: the statement shapes many rules read.
//!
//! A policy is JSON text (the model keeps policies as strings, URL-decoded).
//! `Action`, `Resource` and principals may be a string or a list; `Statement`
//! may be an object or a list.

use serde_json::Value;

/// One statement, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub allow: bool,
    /// `Action` values, or `NotAction` values when `not_action`.
    pub actions: Vec<String>,
    pub not_action: bool,
    /// `Resource` values, or `NotResource` values when `not_resource`.
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// Principals of every type (`"*"` for a bare `"Principal": "*"`).
    pub principals: Vec<String>,
    pub condition: Option<Value>,
}

/// Parses a policy document. An error says why it cannot be read.
pub fn parse(doc: &str) -> Result<Vec<Statement>, String> {
    let v: Value = serde_json::from_str(doc).map_err(|e| format!("the policy is not JSON: {e}"))?;
    let statements = match v.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return Err("the policy has no Statement".to_owned()),
    };
    Ok(statements.into_iter().map(statement).collect())
}

fn statement(s: &Value) -> Statement {
    let (actions, not_action) = field(s, "Action", "NotAction");
    let (resources, not_resource) = field(s, "Resource", "NotResource");
    let principals = match s.get("Principal") {
        Some(Value::String(p)) => vec![p.clone()],
        Some(Value::Object(map)) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    };
    Statement {
        allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
        actions,
        not_action,
        resources,
        not_resource,
        principals,
        condition: s
            .get("Condition")
            .filter(|c| c.as_object().is_some_and(|m| !m.is_empty()))
            .cloned(),
    }
}

fn field(s: &Value, plain: &str, negated: &str) -> (Vec<String>, bool) {
    match (s.get(plain), s.get(negated)) {
        (Some(v), _) => (strings(v), false),
        (None, Some(v)) => (strings(v), true),
        (None, None) => (Vec::new(), false),
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

impl Statement {
    /// Allows on every resource (`Resource: "*"`, no `NotResource`).
    pub fn on_all_resources(&self) -> bool {
        !self.not_resource && self.resources.iter().any(|r| r == "*")
    }

    /// Allows every action on every resource: `"Action": "*"` (or `"*:*"`)
    /// with `"Resource": "*"`, the AdministratorAccess shape.
    pub fn is_full_admin(&self) -> bool {
        self.allow
            && !self.not_action
            && self.on_all_resources()
            && self.actions.iter().any(|a| a == "*" || a == "*:*")
    }

    /// Service-wide wildcards such as `s3:*` granted on every resource.
    pub fn service_wildcards(&self) -> Vec<&str> {
        if !self.allow || self.not_action || !self.on_all_resources() {
            return Vec::new();
        }
        self.actions
            .iter()
            .filter(|a| a.len() > 2 && a.ends_with(":*") && !a.starts_with('*'))
            .map(String::as_str)
            .collect()
    }

    /// Anyone (`"*"` or `{"AWS": "*"}`) is a principal.
    pub fn anyone(&self) -> bool {
        self.principals.iter().any(|p| p == "*")
    }

    /// A condition key is tested anywhere in the condition block, e.g.
    /// `aws:SecureTransport`; returns the tested values.
    pub fn condition_values(&self, key: &str) -> Vec<String> {
        let Some(Value::Object(ops)) = &self.condition else {
            return Vec::new();
        };
        ops.values()
            .filter_map(Value::as_object)
            .flat_map(|m| m.iter())
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .flat_map(|(_, v)| match v {
                Value::Bool(b) => vec![b.to_string()],
                other => strings(other),
            })
            .collect()
    }
}

/// Condition keys that tie a grant to named accounts, organisations,
/// sources or networks: a statement open to `*` that tests one of them is
/// not open to anyone. Other conditions (`aws:SecureTransport`,
/// `lambda:FunctionUrlAuthType`) leave it open.
pub const RESTRICTING_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:userid",
    "aws:username",
    "lambda:EventSourceToken",
];

impl Statement {
    /// The first condition key of [`RESTRICTING_KEYS`] the statement tests
    /// (whatever its value, even one not known yet).
    pub fn restricting_condition(&self) -> Option<&'static str> {
        let Some(Value::Object(ops)) = &self.condition else {
            return None;
        };
        RESTRICTING_KEYS.iter().copied().find(|key| {
            ops.values()
                .filter_map(Value::as_object)
                .any(|m| m.keys().any(|k| k.eq_ignore_ascii_case(key)))
        })
    }

    /// An `Allow` to anyone (`*` or `{"AWS": "*"}`) that no condition ties
    /// to an account, organisation, source or network.
    pub fn open_to_anyone(&self) -> bool {
        self.allow && self.anyone() && self.restricting_condition().is_none()
    }
}

/// The ARN of AWS's managed full-administrator policy.
pub const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_and_service_wildcards() {
        let s = parse(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
            .expect("parses");
        assert!(s[0].is_full_admin());
        let s = parse(
            r#"{"Statement":[{"Effect":"Allow","Action":["s3:*","ec2:Describe*"],"Resource":["*"]},
               {"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::1:role/x"}]}"#,
        )
        .expect("parses");
        assert!(!s[0].is_full_admin());
        assert_eq!(s[0].service_wildcards(), vec!["s3:*"]);
        assert!(s[1].service_wildcards().is_empty());
        let deny = parse(r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#)
            .expect("parses");
        assert!(!deny[0].is_full_admin());
        assert!(parse("not json").is_err());
    }

    #[test]
    fn open_to_anyone_unless_a_condition_names_who() {
        let s = parse(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sns:Publish"},
               {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:*",
                "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:1:t"}}},
               {"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl",
                "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}},
               {"Effect":"Deny","Principal":"*","Action":"sqs:*"},
               {"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sqs:*"}]}"#,
        )
        .expect("parses");
        let open: Vec<bool> = s.iter().map(Statement::open_to_anyone).collect();
        assert_eq!(open, vec![true, false, true, false, false]);
        assert_eq!(s[1].restricting_condition(), Some("aws:SourceArn"));
    }

    #[test]
    fn principals_and_conditions() {
        let s = parse(
            r#"{"Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*",
                "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
               {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
                "Condition":{"Bool":{"aws:SecureTransport":false}}}]}"#,
        )
        .expect("parses");
        assert!(s[0].anyone());
        assert_eq!(s[0].condition_values("aws:securetransport"), vec!["false"]);
        assert_eq!(s[1].condition_values("aws:SecureTransport"), vec!["false"]);
    }
}
