//! Reading and checking snapshot files.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use serde_json::value::RawValue;

use crate::{FORMAT_VERSION, Gap, Location, Resource, Snapshot, SnapshotError, Source};

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
    let (mut snapshot, lines) = parse(text, path)?;
    let file = path.display().to_string();
    for (r, line) in snapshot.resources.iter_mut().zip(lines) {
        if r.location.is_none() {
            r.location = Some(Location {
                file: file.clone(),
                line: Some(line),
            });
        }
    }
    Ok(snapshot)
}

/// Parses and checks snapshot JSON; `path` is only used in error messages.
pub fn from_str(text: &str, path: &Path) -> Result<Snapshot, SnapshotError> {
    parse(text, path).map(|(snapshot, _)| snapshot)
}

/// The snapshot with its resources' text unparsed: reading it checks the
/// whole document's syntax, and tells where each resource is.
#[derive(serde::Deserialize)]
struct Outline<'a> {
    format_version: u32,
    source: Source,
    #[serde(default)]
    gaps: Vec<Gap>,
    #[serde(borrow)]
    resources: Vec<&'a RawValue>,
}

/// Parses and checks snapshot JSON, with the 1-based line where each
/// resource starts. Resources are parsed in parallel: they are nearly all
/// of a snapshot, and parsing them one after another was a fifth of a
/// 100k-resource scan.
fn parse(text: &str, path: &Path) -> Result<(Snapshot, Vec<u32>), SnapshotError> {
    let outline = match serde_json::from_str::<Outline<'_>>(text) {
        Ok(outline) => outline,
        Err(_) => return Err(explain(text, path)),
    };
    if outline.format_version != FORMAT_VERSION {
        return Err(SnapshotError::Version {
            path: path.to_owned(),
            found: outline.format_version,
            supported: FORMAT_VERSION,
        });
    }
    let resources: Result<Vec<Resource>, _> = outline
        .resources
        .par_iter()
        .map(|raw| serde_json::from_str::<Resource>(raw.get()))
        .collect();
    // A resource of the wrong shape: the whole text is parsed again, one
    // piece after another, for the message and position serde gives then.
    let Ok(resources) = resources else {
        return Err(explain(text, path));
    };
    let lines = starting_lines(text, &outline.resources);
    let snapshot = Snapshot {
        format_version: outline.format_version,
        source: outline.source,
        gaps: outline.gaps,
        resources,
    };
    check(&snapshot, path)?;
    Ok((snapshot, lines))
}

/// Why `text` is not a snapshot, as a plain sequential parse reports it:
/// a version error for another format (rather than a confusing field error),
/// else the parser's error with its line and column.
fn explain(text: &str, path: &Path) -> SnapshotError {
    #[derive(serde::Deserialize)]
    struct Header {
        format_version: Option<u32>,
    }
    let error = match serde_json::from_str::<Snapshot>(text) {
        Err(e) => e,
        // Not expected (the parallel parse failed), but never a silent pass.
        Ok(_) => {
            return SnapshotError::Json {
                path: path.to_owned(),
                line: 1,
                column: 1,
                message: "the snapshot could not be read".into(),
            };
        }
    };
    match serde_json::from_str::<Header>(text) {
        Ok(Header {
            format_version: Some(found),
        }) if found != FORMAT_VERSION => SnapshotError::Version {
            path: path.to_owned(),
            found,
            supported: FORMAT_VERSION,
        },
        Ok(Header {
            format_version: None,
        }) => SnapshotError::Json {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "missing field `format_version`: is this a pillar snapshot? \
                      (Terraform plans are read with --plan)"
                .into(),
        },
        _ => SnapshotError::Json {
            path: path.to_owned(),
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        },
    }
}

/// The 1-based line of the start of each of `parts`, which are slices of
/// `text` in order: one pass over the text.
fn starting_lines(text: &str, parts: &[&RawValue]) -> Vec<u32> {
    let base = text.as_ptr() as usize;
    let (mut line, mut counted) = (1u32, 0usize);
    parts
        .iter()
        .map(|raw| {
            let at = (raw.get().as_ptr() as usize)
                .saturating_sub(base)
                .clamp(counted, text.len());
            let newlines = text.as_bytes()[counted..at]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            counted = at;
            line
        })
        .collect()
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
        let s = parse_located(GOOD, Path::new("snap.json")).expect("valid");
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
