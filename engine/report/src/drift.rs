//! `pillar diff`: drift between two audits of the same estate, as text or
//! JSON. Resources come from [`pillar_snapshot::diff`]; findings from
//! scanning both snapshots with the same packs and comparing fingerprints
//! through the baseline machinery, so "disappeared" is only called "fixed"
//! when the new audit could see the resource.

use std::fmt::Write as _;

use serde_json::{Value, json};

use pillar_evaluate::{Evaluation, Verdict};
use pillar_snapshot::{Resource, Snapshot, SnapshotDiff};

use pillar_triage::{BaselineState, Triage};

/// Everything `pillar diff` shows.
pub struct Drift<'a> {
    pub old_input: &'a str,
    pub new_input: &'a str,
    pub old: &'a Snapshot,
    pub new: &'a Snapshot,
    pub resources: &'a SnapshotDiff,
    /// The new snapshot's evaluation, triaged against the old one's findings.
    pub evaluation: &'a Evaluation,
    pub triage: &'a Triage,
}

impl Drift<'_> {
    /// New findings (and verdict changes) on the new side.
    fn appeared(&self) -> impl Iterator<Item = (usize, BaselineState)> + '_ {
        (0..self.evaluation.findings.len()).filter_map(|i| match self.triage.state(i) {
            Some(s @ (BaselineState::New | BaselineState::Updated)) => Some((i, s)),
            _ => None,
        })
    }

    /// True when nothing differs: no resource, gap or finding.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.appeared().next().is_none() && self.triage.gone.is_empty()
    }
}

fn resource_json(r: &Resource) -> Value {
    json!({"id": r.id, "kind": r.kind, "account": r.account, "region": r.region})
}

/// True when a gap of `snapshot` may hide `r`.
fn hidden_by_gap(snapshot: &Snapshot, r: &Resource) -> bool {
    snapshot.gaps.iter().any(|g| {
        g.may_hide(
            r.account.as_deref(),
            r.region.as_deref(),
            Some(&r.kind),
            Some(&r.id),
        )
    })
}

pub fn drift_to_json(d: &Drift<'_>) -> String {
    let changed: Vec<Value> = d
        .resources
        .changed
        .iter()
        .map(|c| {
            let r = &d.new.resources[c.new];
            let mut v = resource_json(r);
            v["changes"] = c
                .attributes
                .iter()
                .map(|a| {
                    json!({
                        "attribute": a.name,
                        "before": a.before,
                        "after": a.after,
                        "unknown_before": a.unknown_before,
                        "unknown_after": a.unknown_after,
                    })
                })
                .collect();
            v
        })
        .collect();
    let appeared: Vec<Value> = d
        .appeared()
        .map(|(i, state)| {
            let f = &d.evaluation.findings[i];
            json!({
                "rule_id": f.rule_id,
                "verdict": f.verdict,
                "severity": f.severity,
                "resource": d.new.resources.get(f.resource).map(resource_json),
                "message": f.message,
                "evidence": f.evidence,
                "fingerprint": d.triage.fingerprints.get(i),
                "state": state,
            })
        })
        .collect();
    let doc = json!({
        "old": {"input": d.old_input, "source": d.old.source, "resources": d.old.resources.len()},
        "new": {"input": d.new_input, "source": d.new.source, "resources": d.new.resources.len()},
        "resources": {
            "added": d.resources.added.iter().map(|&i| resource_json(&d.new.resources[i])).collect::<Vec<_>>(),
            "removed": d.resources.removed.iter().map(|&i| {
                let r = &d.old.resources[i];
                let mut v = resource_json(r);
                v["maybe_hidden_by_gap"] = json!(hidden_by_gap(d.new, r));
                v
            }).collect::<Vec<_>>(),
            "changed": changed,
        },
        "gaps": {"opened": d.resources.gaps_opened, "closed": d.resources.gaps_closed},
        "findings": {
            "appeared": appeared,
            "disappeared": d.triage.gone,
        },
        "identical": d.is_empty(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// Long values (user data, policies) are cut for the terminal; JSON keeps them.
fn short(v: Option<&Value>, unknown: bool) -> String {
    if unknown {
        return "(unknown)".to_owned();
    }
    let Some(v) = v else {
        return "(absent)".to_owned();
    };
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

pub fn drift_to_text(d: &Drift<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "pillar diff {} (taken {}) -> {} (taken {})",
        d.old_input, d.old.source.collected_at, d.new_input, d.new.source.collected_at
    );
    let r = d.resources;
    let _ = writeln!(
        out,
        "\nResources: {} added, {} removed, {} changed",
        r.added.len(),
        r.removed.len(),
        r.changed.len()
    );
    for &i in &r.added {
        let x = &d.new.resources[i];
        let _ = writeln!(out, "  + {}  {}", x.kind, x.id);
    }
    for &i in &r.removed {
        let x = &d.old.resources[i];
        let note = if hidden_by_gap(d.new, x) {
            "  (maybe not removed: the new snapshot has a collection gap that may hide it)"
        } else {
            ""
        };
        let _ = writeln!(out, "  - {}  {}{note}", x.kind, x.id);
    }
    for c in &r.changed {
        let x = &d.new.resources[c.new];
        let _ = writeln!(out, "  ~ {}  {}", x.kind, x.id);
        for a in &c.attributes {
            let _ = writeln!(
                out,
                "      {}: {} -> {}",
                a.name,
                short(a.before.as_ref(), a.unknown_before),
                short(a.after.as_ref(), a.unknown_after)
            );
        }
    }
    let appeared: Vec<(usize, BaselineState)> = d.appeared().collect();
    let fixed = d.triage.gone.iter().filter(|g| g.verified).count();
    let _ = writeln!(
        out,
        "\nFindings: {} appeared, {} disappeared ({fixed} fixed, {} not rechecked)",
        appeared.len(),
        d.triage.gone.len(),
        d.triage.gone.len() - fixed
    );
    for (i, state) in appeared {
        let f = &d.evaluation.findings[i];
        let id = d
            .new
            .resources
            .get(f.resource)
            .map_or("?", |r| r.id.as_str());
        let what = match (state, f.verdict) {
            (BaselineState::Updated, Verdict::Fail) => " (was unknown)",
            (BaselineState::Updated, Verdict::Unknown) => " (was failing)",
            _ => "",
        };
        let _ = writeln!(
            out,
            "  + {:<8} {}  {id}: {}{what}",
            f.severity.as_str().to_uppercase(),
            f.rule_id,
            f.message
        );
    }
    for g in &d.triage.gone {
        let label = if g.verified { "fixed" } else { "not rechecked" };
        let _ = writeln!(
            out,
            "  - {}  {}: {} ({label}: {})",
            g.entry.rule_id,
            g.entry.resource.as_deref().unwrap_or("?"),
            g.entry.message,
            g.why
        );
    }
    if !r.gaps_opened.is_empty() || !r.gaps_closed.is_empty() {
        let _ = writeln!(
            out,
            "\nGaps: {} opened, {} closed",
            r.gaps_opened.len(),
            r.gaps_closed.len()
        );
        for (sign, gaps) in [("+", &r.gaps_opened), ("-", &r.gaps_closed)] {
            for g in gaps {
                let what = g
                    .operation
                    .as_deref()
                    .or(g.kind.as_deref())
                    .unwrap_or("collection");
                let _ = writeln!(out, "  {sign} {what} ({}): {}", g.reason, g.message);
            }
        }
    }
    if d.is_empty() {
        let _ = writeln!(out, "\nNo differences.");
    }
    out
}
