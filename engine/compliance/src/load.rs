//! Reading and checking framework files: the built-in ones are compiled in,
//! so `pillar` needs no `rules/` folder at run time.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::model::{Framework, Status};

/// The built-in framework files: name and text, in id order.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "aws-fsbp.toml",
        include_str!("../../../rules/frameworks/aws-fsbp.toml"),
    ),
    (
        "aws-well-architected.toml",
        include_str!("../../../rules/frameworks/aws-well-architected.toml"),
    ),
    (
        "cis-aws-foundations-5.0.toml",
        include_str!("../../../rules/frameworks/cis-aws-foundations-5.0.toml"),
    ),
    (
        "cis-aws-foundations-7.0.toml",
        include_str!("../../../rules/frameworks/cis-aws-foundations-7.0.toml"),
    ),
];

/// A framework file that cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// Not TOML, or not of the format: where, and what.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Well-formed, but inconsistent (a repeated id, a missing section...).
    #[error("{file}: {}", problems.join("; "))]
    Invalid { file: String, problems: Vec<String> },
}

/// The built-in frameworks, parsed and checked once per process.
pub fn builtin() -> Result<&'static [Framework], &'static LoadError> {
    static FRAMEWORKS: OnceLock<Result<Vec<Framework>, LoadError>> = OnceLock::new();
    FRAMEWORKS
        .get_or_init(|| {
            BUILTIN_FILES
                .iter()
                .map(|(file, text)| parse(file, text))
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
}

/// Parses one framework file named `file` and checks it is consistent.
pub fn parse(file: &str, text: &str) -> Result<Framework, LoadError> {
    let framework: Framework = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((1, 1));
        LoadError::Syntax {
            file: file.to_owned(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    })?;
    let problems = problems(&framework, file.trim_end_matches(".toml"));
    if problems.is_empty() {
        Ok(framework)
    } else {
        Err(LoadError::Invalid {
            file: file.to_owned(),
            problems,
        })
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Consistency the format promises beyond its syntax (README "Format").
/// Whether rule ids are built-in rules is checked by the end-to-end test,
/// which can list the packs.
fn problems(f: &Framework, stem: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if f.framework.id != stem {
        problems.push(format!(
            "[framework] id {:?} is not the file name {stem:?}",
            f.framework.id
        ));
    }
    let mut sections = BTreeSet::new();
    for s in &f.sections {
        if !sections.insert(s.id.as_str()) {
            problems.push(format!("section {} listed twice", s.id));
        }
    }
    for s in &f.sections {
        if let Some(parent) = &s.parent {
            if !sections.contains(parent.as_str()) {
                problems.push(format!(
                    "section {}'s parent {parent:?} is not a [[section]]",
                    s.id
                ));
            } else if f.section_chain(&s.id).len() > f.sections.len() {
                problems.push(format!("section {} is its own ancestor", s.id));
            }
        }
    }
    if f.controls.is_empty() {
        problems.push("no [[control]]".to_owned());
    }
    let mut ids = BTreeSet::new();
    for c in &f.controls {
        if !ids.insert(c.id.as_str()) {
            problems.push(format!("control {} listed twice", c.id));
        }
        if !sections.contains(c.section.as_str()) {
            problems.push(format!(
                "control {}'s section {:?} is not a [[section]]",
                c.id, c.section
            ));
        }
        match (c.status, c.rules.is_empty()) {
            (Status::Covered, false) | (Status::Manual | Status::NotCovered, true) => {}
            (status, _) => problems.push(format!(
                "control {} is {} but names {} rule(s)",
                c.id,
                status.as_str(),
                c.rules.len()
            )),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_file_loads_and_is_named_by_its_id() {
        let frameworks = builtin().expect("built-in frameworks load");
        let ids: Vec<&str> = frameworks.iter().map(|f| f.id()).collect();
        assert_eq!(
            ids,
            [
                "aws-fsbp",
                "aws-well-architected",
                "cis-aws-foundations-5.0",
                "cis-aws-foundations-7.0"
            ]
        );
        let cis5 = &frameworks[2];
        assert_eq!(cis5.controls.len(), 63);
        assert_eq!(cis5.framework.version, "5.0.0");
        assert_eq!(frameworks[3].controls.len(), 70);
    }

    #[test]
    fn a_syntax_error_names_the_file_line_and_column() {
        let text = "[framework]\nid = \"x\"\nname = oops\n";
        let err = parse("x.toml", text).expect_err("bad value");
        match &err {
            LoadError::Syntax {
                file, line, column, ..
            } => {
                assert_eq!((file.as_str(), *line, *column), ("x.toml", 3, 8));
            }
            other => panic!("expected a syntax error, got {other}"),
        }
        assert!(err.to_string().starts_with("x.toml:3:8: "), "{err}");
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_place() {
        let text = "[framework]\nid = \"x\"\nnmae = \"typo\"\n";
        let err = parse("x.toml", text).expect_err("unknown key");
        let text = err.to_string();
        assert!(text.starts_with("x.toml:3:1: "), "{text}");
        assert!(text.contains("nmae"), "{text}");
    }

    #[test]
    fn inconsistencies_are_listed() {
        let text = r#"
[framework]
id = "other"
name = "n"
version = "1"
source = "s"
complete = true
description = "d"

[[section]]
id = "1"
title = "One"
parent = "9"

[[control]]
id = "1.1"
title = "t"
section = "1"
status = "covered"
rules = []
description = "d"

[[control]]
id = "1.1"
title = "t"
section = "2"
status = "manual"
rules = ["PILLAR-X-001"]
description = "d"
"#;
        let Err(LoadError::Invalid { file, problems }) = parse("x.toml", text) else {
            panic!("expected problems");
        };
        assert_eq!(file, "x.toml");
        assert_eq!(
            problems,
            [
                "[framework] id \"other\" is not the file name \"x\"",
                "section 1's parent \"9\" is not a [[section]]",
                "control 1.1 is covered but names 0 rule(s)",
                "control 1.1 listed twice",
                "control 1.1's section \"2\" is not a [[section]]",
                "control 1.1 is manual but names 1 rule(s)",
            ]
        );
    }

    #[test]
    fn cis_coverage_counts_automated_controls_only() {
        let frameworks = builtin().expect("load");
        let cis5 = frameworks
            .iter()
            .find(|f| f.id() == "cis-aws-foundations-5.0")
            .expect("cis 5");
        let automated: Vec<_> = cis5
            .controls
            .iter()
            .filter(|c| c.assessment == Some(crate::Assessment::Automated))
            .collect();
        let covered = automated
            .iter()
            .filter(|c| c.status == Status::Covered)
            .count();
        assert_eq!(cis5.coverage(), (covered, automated.len()));
        assert!(automated.len() < cis5.controls.len());
    }
}
