//! Reading and checking snapshot files.

use std::collections::HashSet;
use std::path::Path;

use crate::{FORMAT_VERSION, Location, Snapshot, SnapshotError};

/// Reads and checks a snapshot file. Resources without a location are
/// located in the snapshot file itself, at the line of their `"id"`, so every
/// finding can point somewhere a person (and GitHub code scanning) can open.
pub fn load(path: &Path) -> Result<Snapshot, SnapshotError> {
    let text = read_text(path)?;
    parse_located(&text, path)
}

/// A file's text, decompressed when it is a zstd frame (whatever its name):
/// what `load` parses, for readers that look at the content first
/// (`pillar merge` tells snapshots from reports by it).
pub fn read_text(path: &Path) -> Result<String, SnapshotError> {
    let io = |source| SnapshotError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let text = if bytes.starts_with(&ZSTD_MAGIC) {
        decompress(&bytes).map_err(io)?
    } else {
        String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?
    };
    Ok(text)
}

/// Snapshots may be zstd-compressed (`pillar collect --compress`, or a
/// `.zst` name); the frame's magic number tells, whatever the file is called.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

fn decompress(bytes: &[u8]) -> std::io::Result<String> {
    use std::io::Read;
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let mut source = bytes;
    let mut decoder = ruzstd::decoding::StreamingDecoder::new(&mut source)
        .map_err(|e| invalid(format!("not a zstd snapshot: {e}")))?;
    let mut text = String::new();
    decoder
        .read_to_string(&mut text)
        .map_err(|e| invalid(format!("corrupt zstd snapshot: {e}")))?;
    Ok(text)
}

/// Parses and checks snapshot JSON read from `path` (used for messages and
/// as the location of resources that have none).
pub fn parse_located(text: &str, path: &Path) -> Result<Snapshot, SnapshotError> {
    let mut snapshot = from_str(text, path)?;
    locate_in_file(&mut snapshot, text, &path.display().to_string());
    Ok(snapshot)
}

/// Parses and checks snapshot JSON; `path` is only used in error messages.
pub fn from_str(text: &str, path: &Path) -> Result<Snapshot, SnapshotError> {
    let json_error = |e: serde_json::Error| SnapshotError::Json {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    };
    let version_error = |found: u32| SnapshotError::Version {
        path: path.to_owned(),
        found,
        supported: FORMAT_VERSION,
    };
    // One parse when the snapshot is good (a second pass over a large file
    // cost a fifth of reading it). Only when it fails is the version looked
    // at, so a newer format gets a version error rather than a confusing
    // field error.
    match serde_json::from_str::<Snapshot>(text) {
        Ok(snapshot) if snapshot.format_version == FORMAT_VERSION => {
            check(&snapshot, path)?;
            Ok(snapshot)
        }
        Ok(snapshot) => Err(version_error(snapshot.format_version)),
        Err(e) => {
            #[derive(serde::Deserialize)]
            struct Header {
                format_version: Option<u32>,
            }
            match serde_json::from_str::<Header>(text) {
                Ok(Header {
                    format_version: Some(found),
                }) if found != FORMAT_VERSION => Err(version_error(found)),
                Ok(Header {
                    format_version: None,
                }) => Err(SnapshotError::Json {
                    path: path.to_owned(),
                    line: 1,
                    column: 1,
                    message: "missing field `format_version`: is this a pillar snapshot? \
                              (Terraform plans are read with --plan)"
                        .into(),
                }),
                _ => Err(json_error(e)),
            }
        }
    }
}

fn check(snapshot: &Snapshot, path: &Path) -> Result<(), SnapshotError> {
    let mut seen = HashSet::with_capacity(snapshot.resources.len());
    for (index, r) in snapshot.resources.iter().enumerate() {
        let fail = |problem: String| SnapshotError::Resource {
            path: path.to_owned(),
            index,
            id: r.id.clone(),
            problem,
        };
        if r.id.trim().is_empty() {
            return Err(fail("empty `id`".into()));
        }
        if r.kind.trim().is_empty() {
            return Err(fail("empty `kind`".into()));
        }
        if !seen.insert(r.id.as_str()) {
            return Err(fail(
                "duplicate `id`: ids must be unique within a snapshot".into(),
            ));
        }
        if let Some(bad) = r
            .unknown
            .iter()
            .find(|p| !p.is_empty() && !p.starts_with('/'))
        {
            return Err(fail(format!(
                "`unknown` entry {bad:?} is not a JSON pointer"
            )));
        }
    }
    Ok(())
}

/// Fills in `location` for resources that have none: the snapshot file,
/// at the line where the resource's object starts.
fn locate_in_file(snapshot: &mut Snapshot, text: &str, file: &str) {
    let lines = resource_lines(text);
    for (i, r) in snapshot.resources.iter_mut().enumerate() {
        if r.location.is_none() {
            r.location = Some(Location {
                file: file.to_owned(),
                line: lines.get(i).copied(),
            });
        }
    }
}

/// The 1-based line of each element of the top-level `resources` array, in
/// order. A minimal scan of already-validated JSON: it tracks nesting and
/// skips strings, so nested objects and "resources" keys elsewhere are
/// not mistaken for resources.
fn resource_lines(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let (mut i, mut line, mut depth) = (0usize, 1u32, 0usize);
    // The last string seen directly inside the root object, and whether we
    // are inside the root's `resources` array.
    let mut root_key: Option<(usize, usize)> = None;
    let mut in_resources = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 {
                    root_key = Some((start, i.min(bytes.len())));
                }
            }
            b'{' | b'[' => {
                if depth == 1 && bytes[i] == b'[' {
                    in_resources = root_key.is_some_and(|(s, e)| &text[s..e] == "resources");
                } else if depth == 2 && in_resources && bytes[i] == b'{' {
                    lines.push(line);
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    in_resources = false;
                }
            }
            b',' if depth == 1 => root_key = None,
            _ => {}
        }
        i += 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
  "format_version": 1,
  "source": {"kind": "fixture", "collected_at": "2026-11-01T00:00:00Z", "tool": "test"},
  "resources": [
    {"id": "a", "kind": "aws_vpc", "attributes": {"x": {"id": "b"}}},
    {
      "id": "b", "kind": "aws_subnet", "unknown": ["/cidr_block"]
    }
  ]
}"#;

    fn parse(text: &str) -> Result<Snapshot, SnapshotError> {
        from_str(text, Path::new("snap.json"))
    }

    #[test]
    fn parses_and_locates_resources_by_their_id_member() {
        let mut s = parse(GOOD).expect("valid");
        locate_in_file(&mut s, GOOD, "snap.json");
        let lines: Vec<_> = s
            .resources
            .iter()
            .map(|r| r.location.as_ref().and_then(|l| l.line))
            .collect();
        // A nested "resources" array inside a's attributes is not the root's.
        assert_eq!(lines, vec![Some(5), Some(6)]);
        assert_eq!(s.resources[1].unknown, vec!["/cidr_block".to_owned()]);
    }

    #[test]
    fn malformed_json_names_file_line_and_column() {
        let broken = GOOD.replace("\"kind\": \"aws_subnet\",", "\"kind\": \"aws_subnet\",,");
        let err = parse(&broken).expect_err("malformed").to_string();
        assert!(err.starts_with("snap.json:7:"), "{err}");
    }

    #[test]
    fn wrong_version_and_missing_version_are_explained() {
        let v2 = GOOD.replace("\"format_version\": 1", "\"format_version\": 2");
        assert!(
            parse(&v2)
                .expect_err("v2")
                .to_string()
                .contains("version 2 is not supported")
        );
        let plan = r#"{"format_version": "1.2", "resource_changes": []}"#;
        assert!(parse(plan).is_err());
        let none = r#"{"resources": []}"#;
        assert!(
            parse(none)
                .expect_err("none")
                .to_string()
                .contains("--plan")
        );
    }

    #[test]
    fn duplicate_ids_and_bad_pointers_are_refused() {
        let dup = GOOD.replace("\"id\": \"b\", \"kind\"", "\"id\": \"a\", \"kind\"");
        assert!(
            parse(&dup)
                .expect_err("dup")
                .to_string()
                .contains("resource #1 (a): duplicate")
        );
        let ptr = GOOD.replace("[\"/cidr_block\"]", "[\"cidr_block\"]");
        assert!(
            parse(&ptr)
                .expect_err("ptr")
                .to_string()
                .contains("not a JSON pointer")
        );
    }

    #[test]
    fn missing_file_is_an_io_error_naming_it() {
        let err = load(Path::new("/nonexistent/pillar.json"))
            .expect_err("missing")
            .to_string();
        assert!(err.contains("/nonexistent/pillar.json"), "{err}");
    }
}
