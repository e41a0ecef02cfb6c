//! Generates `$OUT_DIR/catalog.rs` from `rules/catalog/*.toml`: the single
//! source of the built-in rules' metadata, help and parameters. The help
//! markdown is rendered here in fixed sections, so every pack's `help`,
//! `pillar rules show` and the pages in `rules/` say the same thing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    rule: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    id: String,
    pack: String,
    title: String,
    severity: String,
    pillar: String,
    best_practice: String,
    best_practice_title: String,
    kinds: Vec<String>,
    source: String,
    checks: String,
    rationale: String,
    #[serde(default)]
    unknown: String,
    #[serde(default)]
    params: Vec<Param>,
    remediation: String,
    terraform: String,
    #[serde(default)]
    terraform_note: String,
    equivalents: Equivalents,
    references: Vec<String>,
    tests: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Param {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    default: toml::Value,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Equivalents {
    checkov: String,
    prowler: String,
    trivy: String,
    aws_config: String,
    #[serde(default)]
    note: String,
}

const SEVERITIES: &[(&str, &str)] = &[
    ("info", "Info"),
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
];
const PILLARS: &[(&str, &str)] = &[
    ("operational-excellence", "OperationalExcellence"),
    ("security", "Security"),
    ("reliability", "Reliability"),
    ("performance-efficiency", "PerformanceEfficiency"),
    ("cost-optimization", "CostOptimization"),
    ("sustainability", "Sustainability"),
];
const PARAM_TYPES: &[&str] = &["integer", "string", "boolean", "string list"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    // Only pillar's own packs use this crate, so the catalog is always the
    // repository's: `pillar rules new` vendors the SDK, not this.
    let dir = manifest.join("../../rules/catalog");
    println!("cargo:rerun-if-changed={}", dir.display());
    let catalog = read_catalog(&dir);
    let mut code = String::from("pub static RULES: &[CatalogRule] = &[\n");
    let mut seen = std::collections::HashSet::new();
    for (path, r) in &catalog {
        if !seen.insert(r.id.clone()) {
            fail(&format!(
                "{}: rule {} is listed twice in the catalog",
                path.display(),
                r.id
            ));
        }
        let severity = lookup(SEVERITIES, &r.severity, &r.id, "severity");
        let pillar = lookup(PILLARS, &r.pillar, &r.id, "pillar");
        let _ = writeln!(code, "    CatalogRule {{");
        let _ = writeln!(code, "        id: {:?},", r.id);
        let _ = writeln!(code, "        pack: {:?},", r.pack);
        let _ = writeln!(code, "        title: {:?},", r.title);
        let _ = writeln!(code, "        severity: Severity::{severity},");
        let _ = writeln!(code, "        pillar: Pillar::{pillar},");
        let _ = writeln!(code, "        best_practice: {:?},", r.best_practice);
        let _ = writeln!(code, "        kinds: &{:?},", r.kinds);
        let _ = writeln!(code, "        help: {:?},", help(r));
        let _ = writeln!(code, "        params: &[");
        for p in &r.params {
            if !PARAM_TYPES.contains(&p.kind.as_str()) {
                fail(&format!(
                    "{}: parameter {} has type {:?}; use one of {PARAM_TYPES:?}",
                    r.id, p.name, p.kind
                ));
            }
            let _ = writeln!(
                code,
                "            Param {{ name: {:?}, kind: {:?}, default_json: {:?}, description: {:?} }},",
                p.name,
                p.kind,
                json(&p.default),
                p.description.trim()
            );
        }
        let _ = writeln!(code, "        ],");
        let _ = writeln!(code, "    }},");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("catalog.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
}

/// Every rule of every `*.toml` in `dir`, files in name order, each with
/// the file it came from (for error messages).
fn read_catalog(dir: &Path) -> Vec<(PathBuf, Rule)> {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", dir.display())));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut rules = Vec::new();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        let file: Catalog =
            toml::from_str(&text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        rules.extend(file.rule.into_iter().map(|r| (path.clone(), r)));
    }
    rules
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

fn lookup(table: &[(&str, &'static str)], key: &str, id: &str, what: &str) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| fail(&format!("{id}: unknown {what} {key:?}")))
}

/// A TOML value as JSON text (parameters are JSON in `configure`).
fn json(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Array(a) => format!("[{}]", a.iter().map(json).collect::<Vec<_>>().join(",")),
        other => fail(&format!("unsupported parameter default {other}")),
    }
}

/// A parameter default as markdown shows it.
fn shown(v: &toml::Value) -> String {
    match v {
        toml::Value::Array(a) if a.is_empty() => "(none)".to_owned(),
        toml::Value::Array(a) => a
            .iter()
            .map(|x| {
                format!(
                    "`{}`",
                    x.as_str().map_or_else(|| x.to_string(), str::to_owned)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        toml::Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// The help markdown, in fixed sections (the host parses "## Parameters").
fn help(r: &Rule) -> String {
    let mut h = String::new();
    let _ = writeln!(h, "## What it checks\n\n{}\n", r.checks.trim());
    let _ = writeln!(h, "## Why it matters\n\n{}\n", r.rationale.trim());
    h.push_str("## When the verdict is unknown\n\n");
    if r.unknown.trim().is_empty() {
        h.push_str("Never: every value the rule reads is always known.\n\n");
    } else {
        let _ = writeln!(h, "{}\n", r.unknown.trim());
    }
    h.push_str("## Parameters\n\n");
    if r.params.is_empty() {
        h.push_str("None.\n\n");
    } else {
        h.push_str("| Parameter | Type | Default | Meaning |\n|---|---|---|---|\n");
        for p in &r.params {
            let _ = writeln!(
                h,
                "| `{}` | {} | {} | {} |",
                p.name,
                p.kind,
                shown(&p.default),
                p.description.trim()
            );
        }
        let _ = writeln!(
            h,
            "\nSet them in `pillar.toml`:\n\n```toml\n[rules.{:?}]\n{} = {}\n```\n",
            r.id, r.params[0].name, r.params[0].default
        );
    }
    let _ = writeln!(h, "## Remediation\n\n{}\n", r.remediation.trim());
    let _ = writeln!(h, "Terraform:\n\n```hcl\n{}\n```\n", r.terraform.trim());
    if !r.terraform_note.trim().is_empty() {
        let _ = writeln!(h, "{}\n", r.terraform_note.trim());
    }
    h.push_str("## Equivalent checks\n\n| Tool | Id |\n|---|---|\n");
    let e = &r.equivalents;
    for (tool, id) in [
        ("Checkov", &e.checkov),
        ("Prowler", &e.prowler),
        ("Trivy", &e.trivy),
        ("AWS Config", &e.aws_config),
    ] {
        let _ = writeln!(h, "| {tool} | {} |", id.trim());
    }
    if !e.note.trim().is_empty() {
        let _ = writeln!(h, "\n{}", e.note.trim());
    }
    h.push_str("\n## References\n\n");
    if !r
        .references
        .iter()
        .any(|x| x.starts_with("AWS Well-Architected"))
    {
        let _ = writeln!(
            h,
            "- AWS Well-Architected, {} {}",
            r.best_practice, r.best_practice_title
        );
    }
    for reference in &r.references {
        let _ = writeln!(h, "- {}", reference.trim());
    }
    let _ = write!(
        h,
        "\n## Tests\n\n- Source: `{}`; native unit tests: {}\n- `fixtures/rules/builtin-cases.json`: resources whose `pillar:expect` tag names this rule's fail, pass and unknown cases (checked by `tests/e2e/rules.rs`).\n",
        r.source,
        r.tests.trim()
    );
    h
}
