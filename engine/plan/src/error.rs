use std::path::PathBuf;

/// Why a plan could not be read. Every variant names the file; malformed
/// JSON names the line and column; a file that is not plan JSON says what to
/// run instead.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read plan {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "{path}: this is a binary Terraform plan (a zip file), not plan JSON; \
         convert it with `terraform show -json tfplan > plan.json` and scan plan.json"
    )]
    BinaryPlan { path: PathBuf },

    #[error(
        "{path}: this looks like Terraform configuration (HCL), not a plan; \
         run `terraform plan -out tfplan && terraform show -json tfplan > plan.json` \
         and scan plan.json (use --source-dir to point findings at the .tf files)"
    )]
    Hcl { path: PathBuf },

    #[error("{path}:{line}:{column}: malformed plan JSON: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error(
        "{path}: not a Terraform plan: {problem}; produce one with \
         `terraform show -json tfplan > plan.json`"
    )]
    NotAPlan { path: PathBuf, problem: String },

    #[error(
        "{path}: plan format version {found} is not supported; this pillar reads \
         `terraform show -json` format versions 0.x and 1.x"
    )]
    Version { path: PathBuf, found: String },
}
