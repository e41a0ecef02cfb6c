//! Merging snapshots: the per-account files of `--snapshot-dir`, or the
//! snapshots of several shards.

use pillar_snapshot::{FORMAT_VERSION, Gap, Snapshot};
use serde_json::Value;

use super::{MergeError, merge_sources, union_by};

/// Resources unioned by id (the same id in two inputs must be the same
/// resource, attribute for attribute), gaps unioned, sources merged; the
/// result in the collector's order (resources by id, gaps by account,
/// region, operation, resource, message).
pub(crate) fn merge(inputs: &[(&str, &Snapshot)]) -> Result<Snapshot, MergeError> {
    let sources: Vec<_> = inputs.iter().map(|(n, s)| (*n, s.source.clone())).collect();
    let source = merge_sources(&sources)?;
    let resources = union_by(
        "resource",
        inputs.iter().flat_map(|(n, s)| {
            s.resources
                .iter()
                .map(move |r| (*n, serde_json::to_value(r).unwrap_or(Value::Null)))
        }),
        |r| r["id"].as_str().unwrap_or_default().to_owned(),
    )?;
    let resources = resources
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| MergeError::Unreadable {
            name: inputs.first().map_or("", |(n, _)| n).to_owned(),
            message: format!("a resource does not read back: {e}"),
        })?;
    let mut gaps: Vec<Gap> = Vec::new();
    for (_, s) in inputs {
        for g in &s.gaps {
            if !gaps.contains(g) {
                gaps.push(g.clone());
            }
        }
    }
    gaps.sort_by_key(|g| {
        (
            g.account.clone(),
            g.region.clone(),
            g.operation.clone(),
            g.resource.clone(),
            g.message.clone(),
        )
    });
    Ok(Snapshot {
        format_version: FORMAT_VERSION,
        source,
        gaps,
        resources,
    })
}
