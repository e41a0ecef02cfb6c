//! `pillar rules list`, `show` and `docs`.

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::args::{DocsArgs, ListArgs, ListFormat, ShowArgs};
use crate::exit::Code;
use crate::{packs, rule_docs};

pub fn list(args: &ListArgs) -> Result<Code> {
    let host = packs::host(&args.packs)?;
    let (loaded, failures) = packs::load(&host, &args.packs)?;
    match args.format {
        ListFormat::Json => {
            let doc = json!({
                "packs": loaded.iter().map(|p| &p.info).collect::<Vec<_>>(),
                "failures": failures,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        ListFormat::Text => {
            for p in &loaded {
                let i = &p.info;
                println!(
                    "{} {}  pillar:rules@{}  sha256:{}  {}",
                    i.name,
                    i.version,
                    i.contract,
                    &i.sha256[..16],
                    i.origin
                );
                for r in &i.rules {
                    println!(
                        "  {:<16} {:<8} {:<22} {:<10} {:<40} {}",
                        r.id,
                        r.severity.as_str(),
                        r.pillar.title(),
                        r.best_practice,
                        r.resource_kinds.join(","),
                        r.title
                    );
                }
            }
            for f in &failures {
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

/// `pillar rules show ID`: the rule's page, as `rules/<ID>.md` holds it.
pub fn show(args: &ShowArgs) -> Result<Code> {
    let host = packs::host(&args.packs)?;
    let (loaded, failures) = packs::load(&host, &args.packs)?;
    for f in &failures {
        eprintln!("pillar: {f}");
    }
    let found = loaded.iter().find_map(|p| {
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
    print!("{}", rule_docs::page(pack, rule));
    Ok(Code::Clean)
}

/// `pillar rules docs --out DIR`: a page per rule and an index.
pub fn docs(args: &DocsArgs) -> Result<Code> {
    let host = packs::host(&args.packs)?;
    let (loaded, failures) = packs::load(&host, &args.packs)?;
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("pillar: {f}");
        }
        bail!("a pack failed to load; the catalog would be incomplete");
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let infos: Vec<_> = loaded.iter().map(|p| p.info.clone()).collect();
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
