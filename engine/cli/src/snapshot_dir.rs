//! `--snapshot-dir DIR`: one snapshot file per account, `DIR/<id>.json`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use pillar_collect::{Collection, Progress};

/// Writes each account's snapshot (an account that could not be read gets
/// one too, holding the gap that says why, so that merging the directory
/// loses nothing). Each file is written through `write_snapshot`: mode 0600
/// and renamed into place, so a reader never sees half a file.
pub fn write(dir: &Path, collection: &Collection, progress: &Progress) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for part in &collection.accounts {
        let Some(id) = &part.account else {
            // Only a role ARN without an account in it gets here; its gap
            // is in the merged snapshot and the report.
            progress.log(&format!(
                "a target without an account id failed; its gap is not in {}",
                dir.display()
            ));
            continue;
        };
        let path = dir.join(file_name(id)?);
        pillar_collect::write_snapshot(&part.snapshot, &path, false)?;
        progress.log(&format!("wrote {}", path.display()));
    }
    Ok(())
}

/// `<id>.json`; an id that is not a plain token (account ids are digits)
/// could name a path outside the directory, and is refused.
fn file_name(id: &str) -> Result<String> {
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        bail!("account id {id:?} cannot name a snapshot file");
    }
    Ok(format!("{id}.json"))
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn only_plain_ids_name_files() {
        assert_eq!(file_name("111122223333").expect("ok"), "111122223333.json");
        for bad in ["", "../etc/passwd", "a/b", "x y"] {
            assert!(file_name(bad).is_err(), "{bad}");
        }
    }
}
