//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// pillar: AWS Well-Architected checks as sandboxed WebAssembly rule packs.
///
/// Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input
/// error, 3 scan completed with gaps (a pack failed or data was not collected).
/// A reader that closes standard output early (`| head`) is not an error:
/// pillar stops writing and exits with the code it would have had.
#[derive(Debug, Parser)]
#[command(name = "pillar", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// The command line is parsed once per run, so the size of the largest
// variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a snapshot with the built-in and any extra rule packs.
    Scan(ScanArgs),
    /// Collect live AWS accounts into a snapshot file (read-only calls).
    Collect(crate::collect_cmd::CollectArgs),
    /// Merge the SARIF logs, JSON reports or snapshots of shards into one.
    Merge(crate::merge_cmd::MergeArgs),
    /// Inspect rule packs.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// What changed between two snapshots: resources, gaps and findings.
    Diff(crate::diff_cmd::DiffArgs),
    /// Work with Terraform plans (`terraform show -json`).
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Compliance frameworks: the controls pillar's rules evidence.
    Compliance {
        #[command(subcommand)]
        command: crate::compliance_cmd::ComplianceCommand,
    },
    /// Send a report's findings to another system (AWS Security Hub).
    Export {
        #[command(subcommand)]
        command: crate::export_cmd::ExportCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Convert plan JSON into a pillar snapshot file.
    Convert(PlanConvertArgs),
}

#[derive(Debug, Args)]
pub struct PlanConvertArgs {
    /// Plan JSON from `terraform show -json tfplan > plan.json`.
    #[arg(value_name = "FILE")]
    pub plan: PathBuf,
    #[command(flatten)]
    pub source: PlanSourceArgs,
    /// Write the snapshot here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Where a plan's Terraform sources are; shared by `scan --plan` and
/// `plan convert`.
#[derive(Debug, Args)]
pub struct PlanSourceArgs {
    /// The Terraform root module's directory, to point findings at .tf
    /// lines and read `# pillar:ignore RULE-ID reason` comments (default:
    /// the working directory).
    #[arg(long, value_name = "DIR")]
    pub source_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules of the loaded packs, with pack provenance.
    List(ListArgs),
    /// Print one rule's full documentation.
    Show(ShowArgs),
    /// Write the rule catalog (a page per rule and an index) to a directory.
    Docs(DocsArgs),
    /// Scaffold a new rule pack crate (Rust, SDK vendored, example rule and test).
    New(crate::authoring_cmd::NewArgs),
    /// Run a rule pack against fixture cases and compare with expected findings.
    Test(crate::authoring_cmd::TestArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The rule id, e.g. PILLAR-EC2-001.
    pub id: String,
    #[command(flatten)]
    pub packs: PackArgs,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Directory to write <ID>.md pages and README.md into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub packs: PackArgs,
}

/// Where rule packs come from; shared by `scan` and `rules list`.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// Extra rule pack: a component file, or a directory of *.wasm files. Repeatable.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    pub no_builtin: bool,
    #[command(flatten)]
    pub sandbox: crate::sandbox_args::SandboxArgs,
    /// Refuse any extra pack whose sha256 is not pinned; pins this hash. Repeatable.
    #[arg(long = "require-sha256", value_name = "SHA256")]
    pub require_sha256: Vec<String>,
    /// Configuration file (default: ./pillar.toml when it exists): rule
    /// settings in [rules."ID"] tables, extra packs and sha256 pins in [plugins].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Snapshot to scan. Without it (and without --plan or --aws), pillar
    /// scans its bundled demo account.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["aws", "plan"])]
    pub snapshot: Option<PathBuf>,
    /// Terraform plan JSON to scan (`terraform show -json tfplan > plan.json`).
    #[arg(long, value_name = "FILE", conflicts_with = "aws")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub plan_source: PlanSourceArgs,
    /// Collect live AWS accounts first, then scan them (see `pillar collect`).
    #[arg(long)]
    pub aws: bool,
    #[command(flatten)]
    pub aws_args: crate::collect_cmd::AwsArgs,
    /// With --aws: also keep the collected snapshot in this file.
    #[arg(long, value_name = "FILE", requires = "aws")]
    pub save_snapshot: Option<PathBuf>,
    #[command(flatten)]
    pub packs: PackArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a failing finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Info)]
    pub fail_on: FailOn,
    /// Worker threads for evaluation (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// List unknown verdicts one by one in the text report.
    #[arg(long)]
    pub show_unknown: bool,
    /// An earlier pillar report (SARIF or JSON) to compare with: each
    /// finding is marked new or unchanged, and fixed ones are listed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: only new findings (and unknowns that now fail)
    /// count towards --fail-on.
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,
    /// A file of [[mute]] tables (accepted risks with reason, owner and
    /// expiry), besides those in pillar.toml. Repeatable.
    #[arg(long = "mutes", value_name = "FILE")]
    pub mutes: Vec<PathBuf>,
    /// Print how long each stage took (read, packs, derive, evaluate,
    /// triage, report) and the peak memory, on standard error.
    #[arg(long)]
    pub timings: bool,
    /// Give each control of this framework a verdict (pass, fail, unknown,
    /// not-checked, no-resources, manual, not-covered) in the text, JSON
    /// and HTML reports. Repeatable; `pillar compliance list` shows the ids.
    #[arg(long = "compliance", value_name = "FRAMEWORK")]
    pub compliance: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub packs: PackArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// One self-contained page: summary, charts, a filterable findings table.
    Html,
    /// OCSF 1.5.0 Detection Findings (class 2004), a JSON array.
    Ocsf,
    /// AWS Security Finding Format (2018-10-08) for Security Hub, a JSON array.
    Asff,
    /// JUnit XML: a test suite per pack, a test case per rule and resource.
    Junit,
    /// CSV: a row per finding (RFC 4180, formula cells neutralised).
    Csv,
}

impl Format {
    /// The format as one of the report formats written from the JSON
    /// report (`pillar_report::formats`), if it is one.
    pub fn export(self) -> Option<pillar_report::formats::Export> {
        use pillar_report::formats::Export;
        match self {
            Format::Ocsf => Some(Export::Ocsf),
            Format::Asff => Some(Export::Asff),
            Format::Junit => Some(Export::Junit),
            Format::Csv => Some(Export::Csv),
            Format::Text | Format::Json | Format::Sarif | Format::Html => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    /// Never exit 1 because of findings.
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<pillar_evaluate::Severity> {
        use pillar_evaluate::Severity;
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}
