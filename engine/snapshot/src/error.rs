use std::path::PathBuf;

/// Why a snapshot could not be read. Every variant names the file, and
/// where it can, the position or the resource.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}:{line}:{column}: malformed snapshot JSON: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error(
        "{path}: snapshot format version {found} is not supported; this pillar reads version {supported}"
    )]
    Version {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{path}: resource #{index} ({id}): {problem}")]
    Resource {
        path: PathBuf,
        index: usize,
        id: String,
        problem: String,
    },
}
