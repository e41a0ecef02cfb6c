//! `pillar`: scan AWS snapshots with sandboxed Wasm rule packs.

mod args;
mod authoring_cmd;
mod demo;
mod exit;
mod limit_args;
mod packs;
mod plugin_config;
mod rules_cmd;
mod scan;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Scan(scan) => scan::run(&scan),
        args::Command::Rules {
            command: args::RulesCommand::List(list),
        } => rules_cmd::list(&list),
        args::Command::Rules {
            command: args::RulesCommand::New(new),
        } => authoring_cmd::new(&new),
        args::Command::Rules {
            command: args::RulesCommand::Test(test),
        } => authoring_cmd::test(&test),
    };
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!("pillar: error: {e:#}");
            exit::Code::InputError.into()
        }
    }
}
