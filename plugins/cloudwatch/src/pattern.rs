//! Reading a CloudWatch Logs JSON filter pattern as a set of terms, so that
//! an account's pattern can be compared with the one CIS publishes without
//! regard to whitespace, quoting, parentheses or the order of the terms.
//!
//! `{ ($.eventName = CreateTrail) || ($.eventName = "DeleteTrail") }` reads
//! as the terms `$.eventName = CreateTrail` and `$.eventName = DeleteTrail`.
//! How the terms are combined (`&&`, `||`, nesting) is not read: a pattern
//! covers an event when it holds every term the event's definition lists
//! (docs: rules/catalog/cloudwatch.toml, "checks").

/// One comparison of a JSON filter pattern: `$.field = value`,
/// `$.field != value`, or `$.field NOT EXISTS` (value empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub field: String,
    pub op: Op,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    NotExists,
    Exists,
}

impl Term {
    pub fn new(field: &str, op: Op, value: &str) -> Term {
        Term {
            field: field.to_owned(),
            op,
            value: value.to_owned(),
        }
    }
}

/// The terms of a JSON filter pattern; empty for anything else (a
/// space-delimited or empty pattern, which no CIS event definition uses).
pub fn terms(pattern: &str) -> Vec<Term> {
    let body = pattern.trim();
    let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) else {
        return Vec::new();
    };
    split(inner).iter().filter_map(|t| term(t)).collect()
}

/// Splits at `&&` and `||` outside double quotes.
fn split(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let (mut parts, mut start, mut quoted, mut i) = (Vec::new(), 0, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'&' | b'|' if !quoted && bytes.get(i + 1) == Some(&bytes[i]) => {
                parts.push(&s[start..i]);
                start = i + 2;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// One comparison, its grouping parentheses and surrounding space removed.
fn term(raw: &str) -> Option<Term> {
    let t = raw.trim_matches(|c: char| c.is_whitespace() || c == '(' || c == ')');
    for (suffix, op) in [
        (" NOT EXISTS", Op::NotExists),
        (" IS NULL", Op::NotExists),
        (" EXISTS", Op::Exists),
    ] {
        if let Some(field) = t.strip_suffix(suffix) {
            return Some(Term::new(field.trim(), op, ""));
        }
    }
    let (field, op, value) = if let Some((f, v)) = t.split_once("!=") {
        (f, Op::Ne, v)
    } else {
        let (f, v) = t.split_once('=')?;
        (f, Op::Eq, v)
    };
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    let field = field.trim();
    field.starts_with("$.").then(|| Term::new(field, op, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_ignore_space_quotes_parentheses_and_grouping() {
        let a = terms(r#"{ ($.eventName = CreateTrail) || ($.eventName = "DeleteTrail") }"#);
        let b = terms(r#"{$.eventName="DeleteTrail"||$.eventName=CreateTrail}"#);
        assert_eq!(a.len(), 2);
        assert!(a.iter().all(|t| b.contains(t)));
        assert_eq!(a[1], Term::new("$.eventName", Op::Eq, "DeleteTrail"));
    }

    #[test]
    fn operators_and_quoted_values_with_spaces() {
        let t = terms(
            r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && ($.additionalEventData.MFAUsed != "Yes") && $.userIdentity.invokedBy NOT EXISTS }"#,
        );
        assert_eq!(
            t,
            vec![
                Term::new("$.eventName", Op::Eq, "ConsoleLogin"),
                Term::new("$.errorMessage", Op::Eq, "Failed authentication"),
                Term::new("$.additionalEventData.MFAUsed", Op::Ne, "Yes"),
                Term::new("$.userIdentity.invokedBy", Op::NotExists, ""),
            ]
        );
    }

    #[test]
    fn nested_groups_read_as_their_terms() {
        let t = terms(
            "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
        );
        assert_eq!(t.len(), 3);
        assert_eq!(
            t[2],
            Term::new("$.eventName", Op::Eq, "ScheduleKeyDeletion")
        );
    }

    #[test]
    fn a_quoted_operator_does_not_split() {
        let t = terms(r#"{ $.errorMessage = "a && b" }"#);
        assert_eq!(t, vec![Term::new("$.errorMessage", Op::Eq, "a && b")]);
    }

    #[test]
    fn other_patterns_have_no_terms() {
        assert!(terms("").is_empty());
        assert!(terms("ERROR Exception").is_empty());
        assert!(terms("[ip, user, ...]").is_empty());
        assert!(terms("{ }").is_empty());
    }
}
