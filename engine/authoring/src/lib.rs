//! Writing third-party rule packs: `pillar rules new` (a plugin crate with
//! the SDK vendored) and `pillar rules test` (run a built pack against
//! fixture cases and compare its findings with the expected ones).

mod harness;
mod scaffold;

use std::path::{Path, PathBuf};

pub use harness::{Case, CaseOutcome, Verdict, build_crate, discover, run_case};
pub use scaffold::{Scaffold, new_plugin};

#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error(
        "{0:?} is not a usable plugin name: use 2-48 lowercase letters, digits and single \
         dashes, starting with a letter and not with \"pillar\" (it becomes the crate, pack \
         and rule-id prefix; PILLAR- ids are the built-in packs')"
    )]
    BadName(String),
    #[error("{} already exists and is not empty", .0.display())]
    Exists(PathBuf),
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Cases(String),
    #[error("building {}: {message}", dir.display())]
    Build { dir: PathBuf, message: String },
}

impl AuthoringError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> AuthoringError {
        AuthoringError::Io {
            path: path.to_owned(),
            source,
        }
    }
}
