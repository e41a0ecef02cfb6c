//! `pillar scan`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use pillar_report::{Baseline, Date, ScanReport, TextOptions, Triage, TriageInput};

use crate::args::{Format, ScanArgs};
use crate::config::{self, Config};
use crate::exit::Code;
use crate::timings::Timings;
use crate::{collect_cmd, demo, mutes, packs, plan_cmd};

pub fn run(args: &ScanArgs) -> Result<Code> {
    let mut timings = Timings::new(args.timings);
    let mut suppressions = Vec::new();
    let (mut snapshot, input) = match (&args.snapshot, &args.plan) {
        (Some(path), _) => (pillar_snapshot::load(path)?, display_path(path)),
        (None, Some(path)) => {
            let converted = plan_cmd::read(path, &args.plan_source)?;
            suppressions = converted.suppressions;
            (converted.snapshot, display_path(path))
        }
        (None, None) if args.aws => collect_cmd::for_scan(
            &args.aws_args,
            args.save_snapshot.as_deref(),
            args.packs.config.as_deref(),
        )?,
        (None, None) => (demo::snapshot()?, demo::PATH.to_owned()),
    };

    timings.stage("read");
    let host = packs::host(&args.packs)?;
    let (loaded, mut failures) = packs::load(&host, &args.packs)?;
    if loaded.is_empty() && failures.is_empty() {
        anyhow::bail!("no rule packs to run: drop --no-builtin or add --rules PATH");
    }

    let mut infos: Vec<_> = loaded.iter().map(|p| p.info.clone()).collect();
    let config_path = config::locate(args.packs.config.as_deref());
    let config = match &config_path {
        Some(path) => Config::load(path, &infos)?,
        None => Config::default(),
    };
    // Mutes and the baseline are checked before any pack runs, so a typo
    // costs nothing.
    let mute_files: Vec<&Path> = config_path
        .iter()
        .map(PathBuf::as_path)
        .chain(args.mutes.iter().map(PathBuf::as_path))
        .collect();
    let mutes = mutes::load(&mute_files, &infos)?;
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    let settings = config.settings(&snapshot.source.collected_at);

    timings.stage("packs");
    pillar_snapshot::derive(&mut snapshot);
    timings.stage("derive");
    let mut evaluation = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .context("cannot start worker threads")?
            .install(|| host.evaluate(&loaded, &snapshot, &settings)),
        None => host.evaluate(&loaded, &snapshot, &settings),
    };
    config.apply_to_evaluation(&mut evaluation);
    config.apply_to_packs(&mut infos);
    failures.extend(evaluation.failures.iter().cloned());

    timings.stage("evaluate");
    let triage = Triage::build(&TriageInput {
        snapshot: &snapshot,
        evaluation: &evaluation,
        packs: &infos,
        suppressions: &suppressions,
        mutes: &mutes,
        today: Date::today(),
        baseline: baseline.as_ref(),
        new_only: args.fail_on_new,
    });
    let report = ScanReport {
        input: &input,
        snapshot: &snapshot,
        packs: &infos,
        evaluation: &evaluation,
        failures: &failures,
        fail_on: args.fail_on.threshold(),
        triage: &triage,
    };

    timings.stage("triage");
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    // SARIF and JSON are written as they are built: at 100k resources the
    // rendered text alone was hundreds of MB.
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            Format::Text => out.write_all(
                pillar_report::to_text(
                    &report,
                    TextOptions {
                        color: to_terminal && std::env::var_os("NO_COLOR").is_none(),
                        show_unknown: args.show_unknown,
                    },
                )
                .as_bytes(),
            ),
            Format::Json => pillar_report::write_json(&report, out),
            Format::Sarif => pillar_report::write_sarif(&report, out),
            Format::Html => out.write_all(pillar_report::to_html(&report).as_bytes()),
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::File::create(path)
                .and_then(|mut file| write(&mut file))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("pillar: wrote {} ({})", path.display(), one_line(&report));
        }
        None => write(&mut std::io::stdout().lock()).context("cannot write the report")?,
    }
    timings.stage("report");
    timings.print();

    let findings = report.fail_on.is_some_and(|t| report.failing_at(t) > 0);
    Ok(if findings {
        Code::Findings
    } else if report.has_gaps() {
        Code::Gaps
    } else {
        Code::Clean
    })
}

fn read_baseline(path: &Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    Ok(Baseline::parse(&text, &display_path(path))?)
}

fn one_line(report: &ScanReport<'_>) -> String {
    let fails = report
        .evaluation
        .findings
        .iter()
        .filter(|f| f.verdict == pillar_evaluate::Verdict::Fail)
        .count();
    let unknown = report.evaluation.findings.len() - fails;
    format!(
        "{fails} failing, {unknown} unknown, {} pack failure(s), {} collection gap(s)",
        report.failures.len(),
        report.snapshot.gaps.len()
    )
}

/// The path as the user gave it, relative when it is under the working
/// directory: SARIF locations must be relative for GitHub code scanning.
pub(crate) fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let relative = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .filter(|_| path.is_absolute());
    relative.unwrap_or(path).display().to_string()
}
