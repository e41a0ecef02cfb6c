//! `pillar rules new` and `pillar rules test`: writing and testing
//! third-party rule packs.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use pillar_authoring::{CaseOutcome, Verdict};
use pillar_evaluate::PackSource;
use pillar_scan::{Packs, Project, Scan};

use crate::exit::Code;
use crate::output;
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
    /// A pillar.toml whose [rules."ID"] settings apply, as in a scan with
    /// it. Only when given: a project's file names rules of other packs.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub sandbox: SandboxArgs,
}

pub fn new(args: &NewArgs) -> Result<Code> {
    let s = pillar_authoring::new_plugin(&args.name, &args.dir)?;
    let dir = s.dir.display();
    let (name, rule, wasm) = (&args.name, &s.rule_id, s.component.display());
    output::stdout(|out| {
        write!(
            out,
            "created {dir}: pack {name}, rule {rule}\n\n  cd {dir}
  cargo test                                    # the rule, natively
  cargo build --release --target wasm32-wasip2  # the component
  pillar rules test .                           # the component against tests/
  pillar scan --rules {wasm} --snapshot SNAPSHOT\n"
        )
    })?;
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
    let project = match &args.config {
        Some(path) => Project::load(path)?,
        None => Project::default(),
    };

    let host = args.sandbox.host()?;
    let source =
        PackSource::from_file(&wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let pack = match host.load(&source) {
        Ok(p) => p,
        Err(f) => {
            eprintln!("pillar: {f}");
            output::stdout(|out| writeln!(out, "0 passed, {} failed", cases.len()))?;
            return Ok(Code::Findings);
        }
    };
    let info = pack.info.clone();
    let packs = Packs {
        loaded: vec![pack],
        failures: Vec::new(),
    };
    let scan = Scan::new(host, packs, &project, &[])?;
    let (mut passed, mut failed) = (0, 0);
    output::stdout(|out| {
        writeln!(
            out,
            "testing {} {} (pillar:rules@{}, sha256 {}) from {}",
            info.name,
            info.version,
            info.contract,
            info.sha256,
            wasm.display()
        )?;
        for case in &cases {
            let outcome = pillar_authoring::run_case(&scan, case);
            if matches!(outcome, CaseOutcome::Pass { .. }) {
                passed += 1;
            } else {
                failed += 1;
            }
            print_case(out, case, &outcome)?;
        }
        writeln!(out, "{passed} passed, {failed} failed")
    })?;
    Ok(if failed == 0 {
        Code::Clean
    } else {
        Code::Findings
    })
}

fn print_case(
    out: &mut dyn Write,
    case: &pillar_authoring::Case,
    outcome: &CaseOutcome,
) -> io::Result<()> {
    match outcome {
        CaseOutcome::Pass { findings } => {
            writeln!(out, "PASS  {} ({findings} findings)", case.name)
        }
        CaseOutcome::Mismatch {
            missing,
            unexpected,
        } => {
            writeln!(
                out,
                "FAIL  {}: findings differ from {}",
                case.name,
                case.expected.display()
            )?;
            print_diff(out, "-", "missing   ", missing)?;
            print_diff(out, "+", "unexpected", unexpected)
        }
        CaseOutcome::Error(message) => {
            writeln!(out, "FAIL  {}:", case.name)?;
            for line in message.lines() {
                writeln!(out, "      {line}")?;
            }
            Ok(())
        }
    }
}

fn print_diff(out: &mut dyn Write, sign: &str, what: &str, verdicts: &[Verdict]) -> io::Result<()> {
    for v in verdicts {
        writeln!(
            out,
            "    {sign} {what} {:<8} {:<20} {}",
            v.verdict, v.rule_id, v.resource_id
        )?;
    }
    Ok(())
}
