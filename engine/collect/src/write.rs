//! Writing a snapshot file: deterministic, private, atomic, optionally
//! zstd-compressed.

use std::io::Write;
use std::path::{Path, PathBuf};

use pillar_snapshot::Snapshot;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot serialise the snapshot: {0}")]
    Json(#[from] serde_json::Error),
}

/// Sorts resources by id, gaps by their fields and `unknown` pointers, so
/// two snapshots of the same account diff cleanly. Object keys are already
/// sorted (serde_json maps are ordered by key).
pub(crate) fn normalise(snapshot: &mut Snapshot) {
    snapshot.resources.sort_by(|a, b| a.id.cmp(&b.id));
    for r in &mut snapshot.resources {
        r.unknown.sort();
        r.unknown.dedup();
    }
    snapshot.gaps.sort_by(|a, b| {
        let key = |g: &pillar_snapshot::Gap| {
            (
                g.account.clone(),
                g.region.clone(),
                g.operation.clone(),
                g.resource.clone(),
                g.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    snapshot.gaps.dedup();
}

/// Writes `snapshot` to `path`: JSON with sorted keys, zstd-compressed when
/// `compress` is set or the name ends in `.zst`, mode 0600 (a snapshot maps
/// an account's attack surface), through a temporary file in the same
/// directory renamed into place, so a reader never sees half a file.
pub fn write_snapshot(snapshot: &Snapshot, path: &Path, compress: bool) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_owned(),
        source,
    };
    // Through `Value`, whose objects are key-sorted, so struct fields are too.
    let value = serde_json::to_value(snapshot)?;
    let mut json = serde_json::to_vec_pretty(&value)?;
    json.push(b'\n');
    let compress = compress || path.extension().is_some_and(|e| e == "zst");
    let bytes = if compress {
        ruzstd::encoding::compress_to_vec(
            json.as_slice(),
            ruzstd::encoding::CompressionLevel::Fastest,
        )
    } else {
        json
    };

    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".pillar-snapshot-")
        .tempfile_in(&dir)
        .map_err(io)?;
    // tempfile creates the file 0600 on Unix; say so explicitly anyway.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    temp.write_all(&bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
