//! `pillar rules list`, `show` and `docs`.

use std::io::Write;

use anyhow::{Context, Result, bail};
use pillar_evaluate::PackInfo;
use pillar_report::rule_docs;
use serde_json::json;

use crate::args::{DocsArgs, ListArgs, ListFormat, ShowArgs};
use crate::exit::Code;
use crate::{output, packs};

pub fn list(args: &ListArgs) -> Result<Code> {
    let (_, packs) = packs::load_for(&args.packs)?;
    let (loaded, failures) = (&packs.loaded, &packs.failures);
    match args.format {
        ListFormat::Json => {
            let packs: Vec<serde_json::Value> = loaded
                .iter()
                .map(|p| listed(&p.info))
                .collect::<Result<_>>()?;
            let doc = json!({
                "packs": packs,
                "failures": failures,
            });
            let text = serde_json::to_string_pretty(&doc)?;
            output::stdout(|out| writeln!(out, "{text}"))?;
        }
        ListFormat::Text => {
            output::stdout(|out| {
                for p in loaded {
                    let i = &p.info;
                    writeln!(
                        out,
                        "{} {}  pillar:rules@{}  sha256:{}  {}",
                        i.name,
                        i.version,
                        i.contract,
                        &i.sha256[..16],
                        i.origin
                    )?;
                    let sensitive = i.sensitive_attributes();
                    if !sensitive.is_empty() {
                        let masked = if i.is_builtin() {
                            "built in: masks what it quotes"
                        } else {
                            "third-party: pillar masks secrets in its messages and logs"
                        };
                        writeln!(
                            out,
                            "  reads sensitive attributes: {} ({masked})",
                            sensitive.join(", ")
                        )?;
                    }
                    for r in &i.rules {
                        writeln!(
                            out,
                            "  {:<16} {:<8} {:<22} {:<10} {:<40} {}",
                            r.id,
                            r.severity.as_str(),
                            r.pillar.title(),
                            r.best_practice,
                            r.resource_kinds.join(","),
                            r.title
                        )?;
                    }
                }
                Ok(())
            })?;
            for f in failures {
                eprintln!("pillar: {f}");
            }
        }
    }
    Ok(if failures.is_empty() {
        Code::Clean
    } else {
        Code::Gaps
    })
}

/// A pack as `rules list --format json` shows it: its report provenance,
/// plus what the report leaves out (each rule's parameters and compliance
/// references, and the sensitive attributes the pack is sent).
fn listed(info: &PackInfo) -> Result<serde_json::Value> {
    let mut doc = serde_json::to_value(info)?;
    if let Some(rules) = doc.get_mut("rules").and_then(|r| r.as_array_mut()) {
        for (listed, rule) in rules.iter_mut().zip(&info.rules) {
            listed["parameters"] = serde_json::to_value(&rule.parameters)?;
            listed["compliance"] = serde_json::to_value(&rule.compliance)?;
        }
    }
    doc["sensitive_attributes"] = json!(info.sensitive_attributes());
    Ok(doc)
}

/// `pillar rules show ID`: the rule's page, as `rules/<ID>.md` holds it.
pub fn show(args: &ShowArgs) -> Result<Code> {
    let (_, packs) = packs::load_for(&args.packs)?;
    for f in &packs.failures {
        eprintln!("pillar: {f}");
    }
    let found = packs.loaded.iter().find_map(|p| {
        p.info
            .rules
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(&args.id))
            .map(|r| (&p.info, r))
    });
    let Some((pack, rule)) = found else {
        bail!(
            "no loaded pack has a rule {:?} (see `pillar rules list`)",
            args.id
        );
    };
    let page = rule_docs::page(pack, rule);
    output::stdout(|out| out.write_all(page.as_bytes()))?;
    Ok(Code::Clean)
}

/// `pillar rules docs --out DIR`: a page per rule and an index.
pub fn docs(args: &DocsArgs) -> Result<Code> {
    let (_, packs) = packs::load_for(&args.packs)?;
    if !packs.failures.is_empty() {
        for f in &packs.failures {
            eprintln!("pillar: {f}");
        }
        bail!("a pack failed to load; the catalog would be incomplete");
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let infos: Vec<_> = packs.loaded.iter().map(|p| p.info.clone()).collect();
    let write = |name: String, text: String| {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    for p in &infos {
        for r in &p.rules {
            write(format!("{}.md", r.id), rule_docs::page(p, r))?;
        }
    }
    write("README.md".to_owned(), rule_docs::index(&infos))?;
    let rules: usize = infos.iter().map(|p| p.rules.len()).sum();
    eprintln!(
        "pillar: wrote {rules} rule pages and README.md to {}",
        args.out.display()
    );
    Ok(Code::Clean)
}
