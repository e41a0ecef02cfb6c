//! The bundled demo account, so `pillar scan` works with no AWS account.

use std::path::Path;

use pillar_snapshot::{Snapshot, SnapshotError};

/// Where the demo lives in the repository; findings point into it.
pub const PATH: &str = "fixtures/demo/webshop.json";

const TEXT: &str = include_str!("../../../fixtures/demo/webshop.json");

pub fn snapshot() -> Result<Snapshot, SnapshotError> {
    pillar_snapshot::parse_located(TEXT, Path::new(PATH))
}
