//! `pillar rules list`.

use anyhow::Result;
use serde_json::json;

use crate::args::{ListArgs, ListFormat};
use crate::exit::Code;
use crate::packs;

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
