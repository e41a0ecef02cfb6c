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

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_snapshot::{Resource, Source, SourceKind};
    use serde_json::json;

    fn snapshot() -> Snapshot {
        let resource = |id: &str, attrs: serde_json::Value| Resource {
            id: id.into(),
            kind: "aws_vpc".into(),
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            attributes: match attrs {
                serde_json::Value::Object(m) => m,
                _ => Default::default(),
            },
            unknown: vec!["/z".into(), "/a".into()],
            location: None,
        };
        Snapshot {
            format_version: pillar_snapshot::FORMAT_VERSION,
            source: Source {
                kind: SourceKind::AwsAccount,
                accounts: vec!["111122223333".into()],
                regions: vec!["eu-west-1".into()],
                collected_at: "2026-11-22T00:00:00Z".into(),
                tool: "pillar test".into(),
                description: None,
            },
            gaps: Vec::new(),
            resources: vec![
                resource("arn:b", json!({"zeta": 1, "alpha": 2})),
                resource("arn:a", json!({"id": "vpc-1"})),
            ],
        }
    }

    #[test]
    fn sorted_private_atomic_and_readable_plain_or_compressed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut snap = snapshot();
        normalise(&mut snap);
        assert_eq!(snap.resources[0].id, "arn:a");
        assert_eq!(snap.resources[0].unknown, ["/a", "/z"]);
        for (name, compress) in [("s.json", false), ("s.json.zst", false), ("t.json", true)] {
            let path = dir.path().join(name);
            write_snapshot(&snap, &path, compress).expect("write");
            let bytes = std::fs::read(&path).expect("read");
            assert_eq!(
                bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
                name != "s.json",
                "{name}"
            );
            let back = pillar_snapshot::load(&path).expect("load");
            let ids: Vec<_> = back.resources.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(ids, ["arn:a", "arn:b"]);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
                assert_eq!(mode & 0o777, 0o600);
            }
        }
        let text = std::fs::read_to_string(dir.path().join("s.json")).expect("read");
        let alpha = text.find("\"alpha\"").expect("alpha");
        let zeta = text.find("\"zeta\"").expect("zeta");
        assert!(alpha < zeta, "keys are sorted");
        assert!(text.find("\"format_version\"") < text.find("\"source\""));
        let leftovers = std::fs::read_dir(dir.path())
            .expect("ls")
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".pillar-snapshot-")
            })
            .count();
        assert_eq!(leftovers, 0, "no temporary files left behind");
    }

    #[test]
    fn an_unwritable_directory_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing-dir").join("s.json");
        let err = write_snapshot(&snapshot(), &path, false).expect_err("no such dir");
        assert!(err.to_string().contains("missing-dir"), "{err}");
    }
}
