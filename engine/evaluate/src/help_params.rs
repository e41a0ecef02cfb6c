//! Rule parameters of a 0.1 pack, read back out of its help.
//!
//! Contract 0.1 (`wit/v0.1/rules.wit`) has no parameter list, so parameters
//! travel in each rule's `help` markdown, in a section of a fixed shape that
//! any pack can write (the built-in 0.1 packs generated it from
//! rules/catalog/):
//!
//! ```markdown
//! ## Parameters
//!
//! | Parameter | Type | Default | Meaning |
//! |---|---|---|---|
//! | `max_age_days` | integer | `90` | Oldest an active access key may be. |
//! ```
//!
//! Types: `integer`, `string`, `boolean`, `string list`. A rule without the
//! section, or with "None.", takes no parameters. Contract 0.2 declares them
//! as typed records instead; this reader only keeps 0.1 packs working.

use serde_json::Value;

use crate::types::RuleParam;

/// The parameters declared in a rule's help markdown.
pub fn declared(help: &str) -> Vec<RuleParam> {
    let mut out = Vec::new();
    let mut in_section = false;
    for line in help.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = title.trim() == "Parameters";
            continue;
        }
        if !in_section || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [name, kind, rest @ ..] = cells.as_slice() else {
            continue;
        };
        let Some(name) = name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) else {
            continue; // the header and the separator row
        };
        out.push(RuleParam {
            name: name.to_owned(),
            kind: (*kind).to_owned(),
            default: rest.first().and_then(|shown| default_value(kind, shown)),
            description: rest.get(1).map_or_else(String::new, |d| (*d).to_owned()),
        });
    }
    out
}

/// A default as the table shows it (`` `90` ``, `` `a`, `b` ``, "(none)"),
/// back as JSON; `None` when it does not read as the declared type.
fn default_value(kind: &str, shown: &str) -> Option<Value> {
    let unquote = |s: &str| s.trim().trim_matches('`').to_owned();
    match kind {
        "integer" => unquote(shown).parse::<i64>().ok().map(Value::from),
        "boolean" => unquote(shown).parse::<bool>().ok().map(Value::from),
        "string" => Some(Value::from(unquote(shown))),
        "string list" if shown.trim() == "(none)" => Some(Value::Array(Vec::new())),
        "string list" => Some(Value::Array(
            shown.split(", ").map(|s| Value::from(unquote(s))).collect(),
        )),
        _ => None,
    }
}

/// Whether `value` has the declared type.
pub fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "integer" => value.as_i64().is_some(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "string list" => value
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)),
        // An undeclared type (a 0.1 pack's table may say anything): accept
        // anything the pack may understand.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_parameters_table_only() {
        let help = "## What it checks\n\n| `x` | integer | 1 | not a parameter |\n\n## Parameters\n\n\
                    | Parameter | Type | Default | Meaning |\n|---|---|---|---|\n\
                    | `max_age_days` | integer | `90` | Oldest key. |\n| `keys` | string list | `a` | Keys. |\n\n## Remediation\n";
        let p = declared(help);
        assert_eq!(
            p.iter()
                .map(|p| (p.name.as_str(), p.kind.as_str()))
                .collect::<Vec<_>>(),
            vec![("max_age_days", "integer"), ("keys", "string list")]
        );
        assert!(declared("## Parameters\n\nNone.\n").is_empty());
        assert!(type_matches("string list", &json!(["a"])));
        assert!(!type_matches("integer", &json!("9")));
    }

    #[test]
    fn defaults_and_descriptions_are_read_back_as_typed_values() {
        let help = "## Parameters\n\n| Parameter | Type | Default | Meaning |\n|---|---|---|---|\n\
                    | `days` | integer | `90` | Oldest key. |\n\
                    | `keys` | string list | `Owner`, `Team` | Tags. |\n\
                    | `none` | string list | (none) | Empty. |\n\
                    | `on` | boolean | `true` | Switch. |\n\
                    | `odd` | duration | `1h` | A type 0.1 never defined. |\n";
        let p = declared(help);
        let defaults: Vec<Option<Value>> = p.iter().map(|p| p.default.clone()).collect();
        assert_eq!(
            defaults,
            vec![
                Some(json!(90)),
                Some(json!(["Owner", "Team"])),
                Some(json!([])),
                Some(json!(true)),
                None
            ]
        );
        assert_eq!(p[0].description, "Oldest key.");
    }
}
