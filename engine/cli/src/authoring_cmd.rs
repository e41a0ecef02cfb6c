//! `pillar rules new` and `pillar rules test`: writing and testing
//! third-party rule packs.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use pillar_authoring::{CaseOutcome, Verdict};
use pillar_evaluate::PackSource;

use crate::exit::Code;
use crate::sandbox_args::SandboxArgs;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Crate and pack name: lowercase letters, digits and dashes (e.g. acme-tags).
    pub name: String,
    /// Where to create the crate's directory.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// A built pack (.wasm), or a plugin crate directory to build first.
    pub path: PathBuf,
    /// Directory of <case>.snapshot.json + <case>.expected.json
    /// (default: tests/ of the crate, or beside the .wasm).
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
}

pub fn new(args: &NewArgs) -> Result<Code> {
    let s = pillar_authoring::new_plugin(&args.name, &args.dir)?;
    let dir = s.dir.display();
    println!("created {dir}: pack {}, rule {}", args.name, s.rule_id);
    println!();
    println!("  cd {dir}");
    println!("  cargo test                                    # the rule, natively");
    println!("  cargo build --release --target wasm32-wasip2  # the component");
    println!("  pillar rules test .                           # the component against tests/");
    println!(
        "  pillar scan --rules {} --snapshot SNAPSHOT",
        s.component.display()
    );
    Ok(Code::Clean)
}

pub fn test(args: &TestArgs) -> Result<Code> {
    let (wasm, default_cases) = if args.path.is_dir() {
        let wasm = pillar_authoring::build_crate(&args.path)?;
        (wasm, args.path.join("tests"))
    } else {
        let beside = args
            .path
            .parent()
            .map(|p| p.join("tests"))
            .unwrap_or_else(|| PathBuf::from("tests"));
        (args.path.clone(), beside)
    };
    let cases_dir = args.cases.clone().unwrap_or(default_cases);
    let cases = pillar_authoring::discover(&cases_dir)?;

    let host = args.sandbox.host()?;
    let source =
        PackSource::from_file(&wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let pack = match host.load(&source) {
        Ok(p) => p,
        Err(f) => {
            eprintln!("pillar: {f}");
            println!("0 passed, {} failed", cases.len());
            return Ok(Code::Findings);
        }
    };
    let info = &pack.info;
    println!(
        "testing {} {} (pillar:rules@{}, sha256 {}) from {}",
        info.name,
        info.version,
        info.contract,
        info.sha256,
        wasm.display()
    );
    let packs = [pack];
    let (mut passed, mut failed) = (0, 0);
    for case in &cases {
        match pillar_authoring::run_case(&host, &packs, case) {
            CaseOutcome::Pass { findings } => {
                passed += 1;
                println!("PASS  {} ({findings} findings)", case.name);
            }
            CaseOutcome::Mismatch {
                missing,
                unexpected,
            } => {
                failed += 1;
                println!(
                    "FAIL  {}: findings differ from {}",
                    case.name,
                    case.expected.display()
                );
                print_diff("-", "missing   ", &missing);
                print_diff("+", "unexpected", &unexpected);
            }
            CaseOutcome::Error(message) => {
                failed += 1;
                println!("FAIL  {}:", case.name);
                for line in message.lines() {
                    println!("      {line}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        Code::Clean
    } else {
        Code::Findings
    })
}

fn print_diff(sign: &str, what: &str, verdicts: &[Verdict]) {
    for v in verdicts {
        println!(
            "    {sign} {what} {:<8} {:<20} {}",
            v.verdict, v.rule_id, v.resource_id
        );
    }
}
