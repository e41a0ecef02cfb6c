//! The errors of reading a project and of running a scan. Every one that
//! comes from a file names it, and the line when there is one: a user with
//! a long pillar.toml must not have to hunt for the table that is wrong.

use std::path::{Path, PathBuf};

/// A configuration file (pillar.toml, an accounts file, a mutes file) that
/// cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("cannot read {}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not TOML, or a table of the wrong shape; the TOML error says where.
    #[error("{}: {error}", path.display())]
    Toml {
        path: PathBuf,
        error: Box<toml::de::Error>,
    },
    /// Well-formed, but wrong: an unknown rule id, a mute without an owner...
    #[error("{}:{line}: {message}", path.display())]
    At {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// Wrong as a whole, e.g. an accounts file that lists no account.
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
}

impl ProjectError {
    pub(crate) fn toml(path: &Path, error: toml::de::Error) -> ProjectError {
        ProjectError::Toml {
            path: path.to_owned(),
            error: Box::new(error),
        }
    }

    pub(crate) fn at(path: &Path, line: usize, message: impl Into<String>) -> ProjectError {
        ProjectError::At {
            path: path.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// Why a scan could not be prepared or run. A pack that fails is not an
/// error: it is a [`pillar_evaluate::PackFailure`] in the outcome, and the
/// other packs' results stand.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// The messages name the command-line flag, which is where such paths
    /// usually come from (`[plugins] paths` are reported the same way).
    #[error("--rules {}: {error}", path.display())]
    RulesPath {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("--rules {}: the directory holds no .wasm files", path.display())]
    EmptyRulesDir { path: PathBuf },
    #[error("--require-sha256: {0}")]
    BadPin(String),
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    #[error("cannot read baseline {}: {error}", path.display())]
    ReadBaseline {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Baseline(#[from] pillar_triage::BaselineError),
}
