//! Recognising plan JSON: the binary plan, HCL and other JSON are refused
//! with a message saying what to run instead.

use std::collections::HashMap;
use std::path::Path;

use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::PlanError;

/// A plan document whose members are kept as their JSON text, parsed when
/// asked for. A plan's `resource_changes`, `planned_values` and
/// `prior_state` repeat every resource's attributes; parsing the whole
/// document into one tree held them all at once (several times the file's
/// size), where the reader needs one resource at a time.
#[derive(Debug)]
pub struct Document<'a> {
    members: HashMap<String, &'a RawValue>,
    path: &'a Path,
}

impl<'a> Document<'a> {
    /// The JSON text of member `key`; `None` when it is absent or `null`.
    pub fn raw(&self, key: &str) -> Option<&'a str> {
        self.members
            .get(key)
            .map(|raw| raw.get())
            .filter(|text| *text != "null")
    }

    /// Member `key` parsed (`Null` when absent). For the small members; the
    /// large ones are read piece by piece from [`Document::raw`].
    pub fn value(&self, key: &str) -> Result<Value, PlanError> {
        match self.raw(key) {
            Some(text) => self.parse_part(text),
            None => Ok(Value::Null),
        }
    }

    /// Parses JSON text that is part of this plan. The whole document was
    /// checked when it was read, so this fails only on what that check does
    /// not see (nesting beyond the parser's depth limit).
    pub fn parse_part<'de, T: serde::Deserialize<'de>>(
        &self,
        text: &'de str,
    ) -> Result<T, PlanError> {
        serde_json::from_str(text).map_err(|e| PlanError::Json {
            path: self.path.to_owned(),
            line: 0,
            column: 0,
            message: e.to_string(),
        })
    }
}

/// Refuses a binary plan (a zip file), before its bytes are read as text.
pub fn refuse_binary(bytes: &[u8], path: &Path) -> Result<(), PlanError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Err(PlanError::BinaryPlan {
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// Reads `text` as `terraform show -json` output and checks that it is one.
pub fn parse<'a>(text: &'a str, path: &'a Path) -> Result<Document<'a>, PlanError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if looks_like_hcl(trimmed) {
        return Err(PlanError::Hcl {
            path: path.to_owned(),
        });
    }
    let json_error = |e: serde_json::Error| {
        // Positions are in the trimmed text; leading whitespace lines are rare
        // enough that re-counting them is not worth the complexity, but keep
        // the line right when the file starts with blank lines.
        let skipped_lines = text.len() - text.trim_start().len();
        let extra = text[..skipped_lines].matches('\n').count();
        PlanError::Json {
            path: path.to_owned(),
            line: e.line() + extra,
            column: e.column(),
            message: e.to_string(),
        }
    };
    let body = trimmed.trim_end();
    if !body.starts_with('{') {
        // Malformed JSON is reported as such before "not an object".
        serde_json::from_str::<IgnoredAny>(body).map_err(json_error)?;
        return Err(PlanError::NotAPlan {
            path: path.to_owned(),
            problem: "the document is not a JSON object".to_owned(),
        });
    }
    // Every member's text is checked for syntax here, though kept unparsed.
    let members: HashMap<String, &RawValue> = serde_json::from_str(body).map_err(json_error)?;
    let doc = Document { members, path };
    check(&doc, path)?;
    Ok(doc)
}

/// HCL starts with a block (`resource "x" "y" {`, `terraform {`), an
/// attribute (`a = 1`) or a comment; JSON starts with `{` or `[`.
fn looks_like_hcl(text: &str) -> bool {
    if text.starts_with('{') || text.starts_with('[') || text.is_empty() {
        return false;
    }
    if text.starts_with('#') || text.starts_with("//") || text.starts_with("/*") {
        return true;
    }
    let first = text.lines().next().unwrap_or_default();
    let word: String = first
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    !word.is_empty() && {
        let rest = first[word.len()..].trim_start();
        rest.starts_with('=') || rest.starts_with('{') || rest.starts_with('"')
    }
}

fn check(doc: &Document<'_>, path: &Path) -> Result<(), PlanError> {
    let not_a_plan = |problem: &str| PlanError::NotAPlan {
        path: path.to_owned(),
        problem: problem.to_owned(),
    };
    let has = |key: &str| doc.members.contains_key(key);
    if has("resources") && has("source") {
        return Err(not_a_plan(
            "this is a pillar snapshot; scan it with --snapshot",
        ));
    }
    let version = match doc.value("format_version")? {
        Value::String(v) => v,
        Value::Null => return Err(not_a_plan("it has no `format_version`")),
        other => other.to_string(),
    };
    let major = version.split('.').next().unwrap_or_default();
    if major != "0" && major != "1" {
        return Err(PlanError::Version {
            path: path.to_owned(),
            found: version,
        });
    }
    let has_plan_parts = ["resource_changes", "planned_values", "configuration"]
        .iter()
        .any(|k| has(k));
    if !has_plan_parts {
        if has("values") {
            return Err(not_a_plan(
                "this is Terraform state (`terraform show -json` without a plan file)",
            ));
        }
        return Err(not_a_plan(
            "it has none of `resource_changes`, `planned_values`, `configuration`",
        ));
    }
    for key in [
        "resource_changes",
        "planned_values",
        "configuration",
        "prior_state",
    ] {
        let expected = if key == "resource_changes" { '[' } else { '{' };
        match doc.raw(key) {
            None => {}
            Some(text) if text.starts_with(expected) => {}
            Some(_) => return Err(not_a_plan(&format!("`{key}` has the wrong JSON type"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        let path = Path::new("plan.json");
        let text = String::from_utf8_lossy(bytes);
        refuse_binary(bytes, path)
            .and_then(|()| parse(&text, path).map(|_| ()))
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn binary_plan_says_what_to_run() {
        let e = err(b"PK\x03\x04\x14\x00\x00\x00tfplan");
        assert!(e.contains("terraform show -json tfplan > plan.json"), "{e}");
        assert!(e.contains("binary Terraform plan"), "{e}");
    }

    #[test]
    fn hcl_is_recognised() {
        for text in [
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n",
            "# comment\nterraform {}\n",
            "terraform {\n}\n",
            "region = \"eu-west-1\"\n",
        ] {
            let e = err(text.as_bytes());
            assert!(e.contains("Terraform configuration (HCL)"), "{text}: {e}");
            assert!(e.contains("terraform show -json"), "{e}");
        }
    }

    #[test]
    fn truncated_json_names_line_and_column() {
        let e = err(
            b"{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [\n    {\"address\": ",
        );
        assert!(e.starts_with("plan.json:4:"), "{e}");
        assert!(e.contains("malformed plan JSON"), "{e}");
    }

    #[test]
    fn other_json_is_not_a_plan() {
        assert!(err(b"[1, 2]").contains("not a JSON object"));
        assert!(err(b"{\"a\": 1}").contains("no `format_version`"));
        assert!(err(b"{\"format_version\": \"1.0\", \"values\": {}}").contains("state"));
        assert!(
            err(b"{\"format_version\": 1, \"source\": {}, \"resources\": []}")
                .contains("--snapshot")
        );
        assert!(err(b"{\"format_version\": \"2.0\", \"resource_changes\": []}").contains("2.0"));
        assert!(
            err(b"{\"format_version\": \"1.0\", \"resource_changes\": {}}")
                .contains("wrong JSON type")
        );
    }

    #[test]
    fn minimal_plan_is_accepted() {
        let doc = parse(
            "\n{\"format_version\": \"0.1\", \"resource_changes\": []}\n",
            Path::new("p.json"),
        )
        .expect("plan");
        assert_eq!(doc.value("format_version").ok(), Some(Value::from("0.1")));
        assert_eq!(doc.raw("resource_changes"), Some("[]"));
        assert_eq!(doc.raw("planned_values"), None);
    }
}
