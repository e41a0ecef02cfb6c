//! Typed rule parameters and compliance references, as contract 0.2
//! declares them in `rule-info`: helpers to build them and to move
//! parameter values between the contract's `param-value` and the JSON that
//! `configure` receives.

use serde_json::Value;

pub use crate::bindings::pillar::rules::types::{ComplianceRef, ParamType, ParamValue, RuleParam};

/// The framework id of the AWS Well-Architected best practices.
pub const WELL_ARCHITECTED: &str = "aws-well-architected";

/// A parameter declaration for a rule's `parameters`.
pub fn param(name: &str, default: ParamValue, description: &str) -> RuleParam {
    RuleParam {
        name: name.to_owned(),
        type_: type_of(&default),
        default,
        description: description.to_owned(),
    }
}

/// The type a value has.
pub fn type_of(v: &ParamValue) -> ParamType {
    match v {
        ParamValue::Integer(_) => ParamType::Integer,
        ParamValue::String(_) => ParamType::String,
        ParamValue::Boolean(_) => ParamType::Boolean,
        ParamValue::StringList(_) => ParamType::StringList,
    }
}

/// The type's name as `pillar.toml` errors and rule pages spell it.
pub fn type_name(t: ParamType) -> &'static str {
    match t {
        ParamType::Integer => "integer",
        ParamType::String => "string",
        ParamType::Boolean => "boolean",
        ParamType::StringList => "string list",
    }
}

/// The type named `name` (`integer`, `string`, `boolean`, `string list`).
pub fn parse_type(name: &str) -> Option<ParamType> {
    [
        ParamType::Integer,
        ParamType::String,
        ParamType::Boolean,
        ParamType::StringList,
    ]
    .into_iter()
    .find(|t| type_name(*t) == name)
}

/// A value as the JSON `configure` carries.
pub fn to_json(v: &ParamValue) -> Value {
    match v {
        ParamValue::Integer(i) => Value::from(*i),
        ParamValue::String(s) => Value::from(s.as_str()),
        ParamValue::Boolean(b) => Value::from(*b),
        ParamValue::StringList(l) => Value::from(l.clone()),
    }
}

/// A JSON value of type `t`, or `None` if it is not one.
pub fn from_json(t: ParamType, v: &Value) -> Option<ParamValue> {
    match t {
        ParamType::Integer => v.as_i64().map(ParamValue::Integer),
        ParamType::String => v.as_str().map(|s| ParamValue::String(s.to_owned())),
        ParamType::Boolean => v.as_bool().map(ParamValue::Boolean),
        ParamType::StringList => v
            .as_array()
            .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_owned)).collect())
            .map(ParamValue::StringList),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_round_trip_through_json() {
        for (t, v) in [
            (ParamType::Integer, json!(90)),
            (ParamType::String, json!("x")),
            (ParamType::Boolean, json!(true)),
            (ParamType::StringList, json!(["a", "b"])),
        ] {
            let typed = from_json(t, &v).expect("of its type");
            assert_eq!(to_json(&typed), v);
            assert_eq!(parse_type(type_name(t)), Some(t));
        }
        assert!(from_json(ParamType::StringList, &json!(["a", 1])).is_none());
        assert_eq!(
            param("n", ParamValue::Boolean(false), "d").type_,
            ParamType::Boolean
        );
    }
}
