//! Mapping resource addresses to `.tf` files and lines, through local
//! modules, and reading `# pillar:ignore RULE-ID reason` suppressions in
//! resource blocks.
//!
//! Module directories come from `.terraform/modules/modules.json` (written
//! by `terraform init`) when it is there, else from the `source` of each
//! module call in the plan's configuration when it is a local path. Files
//! are parsed with `hcl-edit`; a file it cannot parse is scanned line by
//! line for `resource "type" "name"` headers instead, so one odd file does
//! not lose every location.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};
use pillar_snapshot::Location;
use serde_json::Value;

use crate::config::Configuration;

/// A resource block found in a `.tf` file.
#[derive(Debug, Clone)]
pub struct Declared {
    pub file: PathBuf,
    pub line: u32,
    /// `(rule id, justification, line)` of each `pillar:ignore` comment in
    /// or just above the block.
    pub suppressions: Vec<(String, String, u32)>,
}

pub struct SourceMap<'a> {
    root: PathBuf,
    /// Paths in locations are relative to this directory when under it.
    base: PathBuf,
    config: &'a Configuration,
    /// Module key (`a.b`) → directory, from modules.json.
    installed: HashMap<String, PathBuf>,
    /// Directory → (`data.`?`type.name` → block).
    parsed: HashMap<PathBuf, HashMap<String, Declared>>,
}

impl<'a> SourceMap<'a> {
    pub fn new(root: &Path, base: &Path, config: &'a Configuration) -> SourceMap<'a> {
        SourceMap {
            root: root.to_owned(),
            base: base.to_owned(),
            config,
            installed: installed_modules(root),
            parsed: HashMap::new(),
        }
    }

    /// Where the resource `local` (`type.name`) of module `path` is declared.
    pub fn find(&mut self, path: &[String], local: &str) -> Option<Declared> {
        let dir = self.module_dir(path)?;
        let blocks = self
            .parsed
            .entry(dir.clone())
            .or_insert_with(|| parse_dir(&dir));
        blocks.get(local).cloned()
    }

    /// A location as written into the snapshot: relative to the base
    /// directory when the file is under it.
    pub fn location(&self, declared: &Declared, line: u32) -> Location {
        let file = relative(&declared.file, &self.base);
        Location {
            file: file.to_string_lossy().replace('\\', "/"),
            line: Some(line),
        }
    }

    fn module_dir(&self, path: &[String]) -> Option<PathBuf> {
        if path.is_empty() {
            return Some(self.root.clone());
        }
        if let Some(dir) = self.installed.get(&path.join(".")) {
            return Some(self.root.join(dir));
        }
        // Follow local `source` paths from the root.
        let mut dir = self.root.clone();
        for depth in 0..path.len() {
            let call = self.config.call(&path[..depth], &path[depth])?;
            let source = call.get("source")?.as_str()?;
            if !(source.starts_with("./") || source.starts_with("../")) {
                return None;
            }
            dir = normalise(&dir.join(source));
        }
        Some(dir)
    }
}

fn installed_modules(root: &Path) -> HashMap<String, PathBuf> {
    let file = root.join(".terraform/modules/modules.json");
    let Ok(text) = std::fs::read_to_string(file) else {
        return HashMap::new();
    };
    let Ok(doc) = serde_json::from_str::<Value>(&text) else {
        return HashMap::new();
    };
    doc["Modules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let key = m["Key"].as_str()?;
            let dir = m["Dir"].as_str()?;
            Some((key.to_owned(), PathBuf::from(dir)))
        })
        .collect()
}

/// Lexically removes `.` and `..` (module sources are relative paths).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn relative(file: &Path, base: &Path) -> PathBuf {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| normalise(p));
    let (file_abs, base_abs) = (abs(file), abs(base));
    match file_abs.strip_prefix(&base_abs) {
        Ok(rel) => rel.to_owned(),
        Err(_) => file.to_owned(),
    }
}

fn parse_dir(dir: &Path) -> HashMap<String, Declared> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    let mut out = HashMap::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (local, start, end) in blocks(&text) {
            let line = line_of(&text, start);
            let suppressions = suppressions(&text, start, end);
            out.entry(local).or_insert(Declared {
                file: file.clone(),
                line,
                suppressions,
            });
        }
    }
    out
}

/// `(type.name or data.type.name, start byte, end byte)` of each resource
/// and data block.
pub fn blocks(text: &str) -> Vec<(String, usize, usize)> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => from_body(&body),
        Err(_) => scan_headers(text),
    }
}

fn from_body(body: &Body) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for s in body.iter() {
        let Structure::Block(b) = s else { continue };
        let ident = b.ident.as_str();
        if (ident != "resource" && ident != "data") || b.labels.len() != 2 {
            continue;
        }
        let Some(span) = b.span() else { continue };
        let (t, n) = (b.labels[0].as_str(), b.labels[1].as_str());
        let local = if ident == "data" {
            format!("data.{t}.{n}")
        } else {
            format!("{t}.{n}")
        };
        out.push((local, span.start, span.end));
    }
    out
}

/// Fallback for files the parser refuses: block headers at the start of a
/// line, each block ending where the next top-level one starts.
fn scan_headers(text: &str) -> Vec<(String, usize, usize)> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        for (ident, prefix) in [("resource", ""), ("data", "data.")] {
            let Some(rest) = trimmed.strip_prefix(ident) else {
                continue;
            };
            let labels: Vec<&str> = rest.split('"').collect();
            if labels.len() >= 5 && labels[0].trim().is_empty() && labels[2].trim().is_empty() {
                starts.push((format!("{prefix}{}.{}", labels[1], labels[3]), offset));
            }
        }
        offset += line.len();
    }
    let mut out = Vec::new();
    for (i, (local, start)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |(_, s)| *s);
        out.push((local.clone(), *start, end));
    }
    out
}

fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let n = text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// `pillar:ignore` comments inside the block, or in the comment lines
/// directly above it.
fn suppressions(text: &str, start: usize, end: usize) -> Vec<(String, String, u32)> {
    let first_line = line_of(text, start) as usize;
    let last_line = line_of(text, end.saturating_sub(1)) as usize;
    let lines: Vec<&str> = text.lines().collect();
    let mut from = first_line.saturating_sub(1);
    while from > 0 {
        let above = lines.get(from - 1).map_or("", |l| l.trim());
        if above.starts_with('#') || above.starts_with("//") {
            from -= 1;
        } else {
            break;
        }
    }
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().take(last_line).skip(from) {
        if let Some((rule, why)) = ignore_comment(line) {
            out.push((rule, why, u32::try_from(i + 1).unwrap_or(u32::MAX)));
        }
    }
    out
}

/// Reads `# pillar:ignore RULE-ID reason` (or `//`, `/* */`) on one line.
pub fn ignore_comment(line: &str) -> Option<(String, String)> {
    let at = line.find("pillar:ignore")?;
    let before = line[..at].trim_end();
    if !(before.ends_with('#') || before.ends_with("//") || before.ends_with("/*")) {
        return None;
    }
    let rest = line[at + "pillar:ignore".len()..].trim();
    let rest = rest.strip_suffix("*/").unwrap_or(rest).trim();
    let mut parts = rest.splitn(2, char::is_whitespace);
    let rule = parts.next().filter(|r| !r.is_empty())?.to_owned();
    let why = parts.next().unwrap_or("").trim().to_owned();
    Some((rule, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TF: &str = r#"
terraform {
  required_version = ">= 1.0"
}

# Public web tier.
# pillar:ignore PILLAR-EC2-002 the load balancer needs it
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22 # pillar:ignore PILLAR-EC2-001 bastion, ticket OPS-12
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

data "aws_vpc" "main" {
  default = true
}
"#;

    #[test]
    fn blocks_have_lines_and_suppressions() {
        let found = blocks(TF);
        let names: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, vec!["aws_security_group.web", "data.aws_vpc.main"]);
        let (_, start, end) = &found[0];
        assert_eq!(line_of(TF, *start), 8);
        let s = suppressions(TF, *start, *end);
        assert_eq!(
            s,
            vec![
                (
                    "PILLAR-EC2-002".to_owned(),
                    "the load balancer needs it".to_owned(),
                    7
                ),
                (
                    "PILLAR-EC2-001".to_owned(),
                    "bastion, ticket OPS-12".to_owned(),
                    11
                ),
            ]
        );
    }

    #[test]
    fn unparsable_files_fall_back_to_headers() {
        let broken = "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \n}\nresource \"aws_s3_bucket\" \"b\" {\n}\n";
        let found = blocks(broken);
        assert_eq!(found.len(), 2);
        assert_eq!(line_of(broken, found[1].1), 4);
    }

    #[test]
    fn comments_must_be_comments() {
        assert!(ignore_comment("  user_data = \"pillar:ignore X\"").is_none());
        assert_eq!(
            ignore_comment("/* pillar:ignore PILLAR-S3-001 */"),
            Some(("PILLAR-S3-001".to_owned(), String::new()))
        );
        assert!(ignore_comment("# pillar:ignore").is_none());
    }
}
