//! `pillar scan`: read the input, run the pipeline, write the report.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use pillar_report::{ScanReport, TextOptions};
use pillar_scan::{Project, Scan, ScanOptions, display_path, read_baseline};

use crate::args::{Format, ScanArgs};
use crate::exit::Code;
use crate::timings::Timings;
use crate::{collect_cmd, compliance_cmd, demo, output, packs, plan_cmd};

pub fn run(args: &ScanArgs) -> Result<Code> {
    let mut timings = Timings::new(args.timings);
    // Checked first, so a misspelt framework costs nothing.
    let frameworks = compliance_cmd::known()?;
    let selected = compliance_cmd::select(frameworks, &args.compliance)?;
    let project = Project::discover(args.packs.config.as_deref())?;
    let mut suppressions = Vec::new();
    let (snapshot, input) = match (&args.snapshot, &args.plan) {
        (Some(path), _) => (pillar_snapshot::load(path)?, display_path(path)),
        (None, Some(path)) => {
            let converted = plan_cmd::read(path, &args.plan_source)?;
            suppressions = converted.suppressions;
            (converted.snapshot, display_path(path))
        }
        (None, None) if args.aws => {
            collect_cmd::for_scan(&args.aws_args, args.save_snapshot.as_deref(), &project)?
        }
        (None, None) => (demo::snapshot()?, demo::PATH.to_owned()),
    };

    timings.stage("read");
    let (host, packs) = packs::load(&args.packs, &project)?;
    if packs.loaded.is_empty() && packs.failures.is_empty() {
        anyhow::bail!("no rule packs to run: drop --no-builtin or add --rules PATH");
    }
    let scan = Scan::new(host, packs, &project, &args.mutes)?;
    // Read before any pack runs, so a typo costs nothing.
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    timings.stage("packs");
    let outcome = scan.run(
        snapshot,
        &ScanOptions {
            suppressions: &suppressions,
            baseline: baseline.as_ref(),
            new_only: args.fail_on_new,
            threads: args.threads,
            ..ScanOptions::default()
        },
    )?;
    timings.stages(&outcome.stages);

    let report = ScanReport {
        input: &input,
        snapshot: &outcome.snapshot,
        packs: &outcome.packs,
        evaluation: &outcome.evaluation,
        failures: &outcome.failures,
        fail_on: args.fail_on.threshold(),
        triage: &outcome.triage,
        compliance: pillar_report::ComplianceSelection {
            known: frameworks,
            selected: &selected,
        },
    };
    // The formats for other tools are rendered before any file is made,
    // so a report they cannot express (an ASFF finding without an account)
    // leaves no half-written file behind.
    let rendered = args
        .format
        .export()
        .map(|export| pillar_report::formats::render_scan(&report, export))
        .transpose()
        .with_context(|| format!("cannot write the report as {:?}", args.format))?;
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
            Format::Ocsf | Format::Asff | Format::Junit | Format::Csv => {
                out.write_all(rendered.as_deref().unwrap_or_default().as_bytes())
            }
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::File::create(path)
                .and_then(|mut file| write(&mut file))
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("pillar: wrote {} ({})", path.display(), report.one_line());
        }
        None => output::stdout(|out| write(out)).context("cannot write the report")?,
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
