//! `pillar`: scan AWS snapshots with sandboxed Wasm rule packs.
//!
//! This crate is the command line only: arguments, output and exit codes.
//! The pipeline is `pillar-scan`'s; the decisions `pillar-triage`'s; the
//! writers `pillar-report`'s.

mod args;
mod authoring_cmd;
mod collect_cmd;
mod compliance_cmd;
mod demo;
mod diff_cmd;
mod exit;
mod export_cmd;
mod merge_cmd;
mod output;
mod packs;
mod plan_cmd;
mod rules_cmd;
mod sandbox_args;
mod scan;
mod snapshot_dir;
mod timings;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: measured on a 100k-resource
/// scan (docs/performance.md), glibc's malloc and free were about a fifth of
/// the CPU time, and returned memory was faulted back in again and again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Scan(scan) => scan::run(&scan),
        args::Command::Collect(collect) => collect_cmd::run(&collect),
        args::Command::Diff(diff) => diff_cmd::run(&diff),
        args::Command::Merge(merge) => merge_cmd::run(&merge),
        args::Command::Rules { command } => match command {
            args::RulesCommand::List(list) => rules_cmd::list(&list),
            args::RulesCommand::Show(show) => rules_cmd::show(&show),
            args::RulesCommand::Docs(docs) => rules_cmd::docs(&docs),
            args::RulesCommand::New(new) => authoring_cmd::new(&new),
            args::RulesCommand::Test(test) => authoring_cmd::test(&test),
        },
        args::Command::Plan {
            command: args::PlanCommand::Convert(convert),
        } => plan_cmd::convert(&convert),
        args::Command::Compliance { command } => compliance_cmd::run(&command),
        args::Command::Export { command } => export_cmd::run(&command),
    };
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("pillar: error: {e:#}");
            exit::Code::InputError.into()
        }
    }
}
