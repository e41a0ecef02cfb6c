//! Rule parameters as packs declare them.
//!
//! The contract (`wit/rules.wit`) has no parameter list, so parameters travel
//! in each rule's `help` markdown, in a section of a fixed shape that any
//! pack can write (the built-in packs generate it from rules/catalog.toml):
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
//! section, or with "None.", takes no parameters. `pillar.toml` is validated
//! against these declarations before any pack runs.

use serde_json::Value;

/// One declared parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub kind: String,
}

/// The parameters declared in a rule's help markdown.
pub fn declared(help: &str) -> Vec<Param> {
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
        let [name, kind, ..] = cells.as_slice() else {
            continue;
        };
        let Some(name) = name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) else {
            continue; // the header and the separator row
        };
        out.push(Param {
            name: name.to_owned(),
            kind: (*kind).to_owned(),
        });
    }
    out
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
        // An undeclared type: accept anything the pack may understand.
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
}
