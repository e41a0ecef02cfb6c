//! Manual DB and cluster snapshots: shared with everyone
//! (PILLAR-RDS-011) and unencrypted (PILLAR-RDS-012).

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{SNAPSHOT_PUBLIC, SNAPSHOT_UNENCRYPTED};

/// The encryption flag of a snapshot kind: `aws_db_snapshot.encrypted`,
/// `aws_db_cluster_snapshot.storage_encrypted`.
fn encryption_pointer(kind: &str) -> &'static str {
    if kind == "aws_db_cluster_snapshot" {
        "/storage_encrypted"
    } else {
        "/encrypted"
    }
}

/// A snapshot's display name: its identifier.
fn name(s: &Resource) -> &str {
    ["db_snapshot_identifier", "db_cluster_snapshot_identifier"]
        .iter()
        .find_map(|f| s.attributes.get(f).and_then(Value::as_str))
        .unwrap_or_else(|| s.display_name())
}

/// PILLAR-RDS-011: `shared_accounts` (the `restore` attribute) does not
/// hold `all`. Absent means shared with no one, the provider's default.
pub(crate) fn public(i: usize, s: &Resource, out: &mut dyn Sink) {
    let pointer = "/shared_accounts";
    match s.attr(pointer) {
        Attr::Unknown => out.unknown(
            SNAPSHOT_PUBLIC,
            i,
            format!("{}: whom the snapshot is shared with is not known", name(s)),
            Some(pointer.into()),
        ),
        Attr::Known(v) => {
            let everyone = v.as_array().is_some_and(|list| {
                list.iter()
                    .any(|a| a.as_str().is_some_and(|a| a.eq_ignore_ascii_case("all")))
            });
            if everyone {
                out.fail(
                    SNAPSHOT_PUBLIC,
                    i,
                    format!("{}: the snapshot is public: any AWS account can copy or restore it (shared with `all`)", name(s)),
                    Some(pointer.into()),
                );
            }
        }
        Attr::Absent => {}
    }
}

/// PILLAR-RDS-012: the snapshot is encrypted. In a plan the flag is
/// computed from the source database and often unknown until apply.
pub(crate) fn encrypted(i: usize, s: &Resource, out: &mut dyn Sink) {
    let pointer = encryption_pointer(&s.kind);
    match s.attr(pointer).as_bool() {
        None | Some(None) => out.unknown(
            SNAPSHOT_UNENCRYPTED,
            i,
            format!("{}: whether the snapshot is encrypted is not known (it follows its source database)", name(s)),
            Some(pointer.into()),
        ),
        Some(Some(false)) => out.fail(
            SNAPSHOT_UNENCRYPTED,
            i,
            format!("{}: the snapshot is not encrypted", name(s)),
            Some(pointer.into()),
        ),
        Some(Some(true)) => {}
    }
}
