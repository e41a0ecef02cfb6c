//! Stable finding identities for SARIF `partialFingerprints` and baselines.
//!
//! A finding is identified by its rule and its resource's stable id (ARN or
//! Terraform address), never by a line number or message text, so that it
//! survives reformatting and re-collection. When one rule reports several
//! findings on one resource, the evidence pointer tells them apart.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use pillar_evaluate::Finding;
use pillar_snapshot::Snapshot;

/// One hex fingerprint per finding, in the evaluation's order; computed
/// once per scan, in [`crate::Triage`].
pub(crate) fn compute(snapshot: &Snapshot, findings: &[Finding]) -> Vec<String> {
    let mut per_key: HashMap<(&str, usize), usize> = HashMap::new();
    for f in findings {
        *per_key.entry((&f.rule_id, f.resource)).or_default() += 1;
    }
    findings
        .iter()
        .map(|f| {
            let id = snapshot
                .resources
                .get(f.resource)
                .map_or("", |r| r.id.as_str());
            let mut h = Sha256::new();
            h.update(f.rule_id.as_bytes());
            h.update([0]);
            h.update(id.as_bytes());
            if per_key
                .get(&(f.rule_id.as_str(), f.resource))
                .copied()
                .unwrap_or(0)
                > 1
            {
                h.update([0]);
                h.update(f.evidence.as_deref().unwrap_or("").as_bytes());
                h.update([0]);
                h.update(f.message.as_bytes());
            }
            hex::encode(&h.finalize()[..16])
        })
        .collect()
}
