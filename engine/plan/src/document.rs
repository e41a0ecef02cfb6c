//! Recognising plan JSON: the binary plan, HCL and other JSON are refused
//! with a message saying what to run instead.

use std::path::Path;

use serde_json::Value;

use crate::PlanError;

/// Parses `text` as `terraform show -json` output and checks that it is one.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Value, PlanError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Err(PlanError::BinaryPlan {
            path: path.to_owned(),
        });
    }
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if looks_like_hcl(trimmed) {
        return Err(PlanError::Hcl {
            path: path.to_owned(),
        });
    }
    let doc: Value = serde_json::from_str(trimmed.trim_end()).map_err(|e| {
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
    })?;
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

fn check(doc: &Value, path: &Path) -> Result<(), PlanError> {
    let not_a_plan = |problem: &str| PlanError::NotAPlan {
        path: path.to_owned(),
        problem: problem.to_owned(),
    };
    let Some(obj) = doc.as_object() else {
        return Err(not_a_plan("the document is not a JSON object"));
    };
    if obj.contains_key("resources") && obj.contains_key("source") {
        return Err(not_a_plan(
            "this is a pillar snapshot; scan it with --snapshot",
        ));
    }
    let version = match obj.get("format_version") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => other.to_string(),
        None => return Err(not_a_plan("it has no `format_version`")),
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
        .any(|k| obj.contains_key(*k));
    if !has_plan_parts {
        if obj.contains_key("values") {
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
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(_)) if key == "resource_changes" => {}
            Some(Value::Object(_)) if key != "resource_changes" => {}
            Some(_) => return Err(not_a_plan(&format!("`{key}` has the wrong JSON type"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        parse(bytes, Path::new("plan.json"))
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
            b"\n{\"format_version\": \"0.1\", \"resource_changes\": []}\n",
            Path::new("p.json"),
        )
        .expect("plan");
        assert_eq!(doc["format_version"], "0.1");
    }
}
