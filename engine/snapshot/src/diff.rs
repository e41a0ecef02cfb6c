//! What changed between two snapshots of the same estate: resources added,
//! removed and changed, and collection gaps that opened or closed.
//!
//! A snapshot holds only the modelled attributes (`docs/resource-model.md`),
//! which are the attributes rules read, so every difference reported here
//! is one a rule could see. Source locations (lines in a file) are not
//! attributes and are ignored.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::{Gap, Snapshot};

/// The differences between an old and a new snapshot.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SnapshotDiff {
    /// Indices into the new snapshot's resources.
    pub added: Vec<usize>,
    /// Indices into the old snapshot's resources.
    pub removed: Vec<usize>,
    pub changed: Vec<ChangedResource>,
    /// Gaps of the new snapshot that the old one did not have.
    pub gaps_opened: Vec<Gap>,
    /// Gaps of the old snapshot that the new one no longer has.
    pub gaps_closed: Vec<Gap>,
}

/// A resource present in both snapshots with different attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedResource {
    pub old: usize,
    pub new: usize,
    /// Top-level attributes whose value differs, sorted.
    pub attributes: Vec<AttributeChange>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeChange {
    pub name: String,
    /// `None` when the attribute is absent on that side.
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Whether the value is unknown (not collected, or not known until
    /// apply) on each side: a change to or from unknown is reported too.
    pub unknown_before: bool,
    pub unknown_after: bool,
}

impl SnapshotDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.gaps_opened.is_empty()
            && self.gaps_closed.is_empty()
    }
}

/// Compares resources by id, and gaps by their whole content.
pub fn diff(old: &Snapshot, new: &Snapshot) -> SnapshotDiff {
    let old_ids: HashMap<&str, usize> = old
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let new_ids: HashMap<&str, usize> = new
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut out = SnapshotDiff::default();
    for (n, r) in new.resources.iter().enumerate() {
        match old_ids.get(r.id.as_str()) {
            None => out.added.push(n),
            Some(&o) => {
                let attributes = attribute_changes(old, o, new, n);
                if !attributes.is_empty() {
                    out.changed.push(ChangedResource {
                        old: o,
                        new: n,
                        attributes,
                    });
                }
            }
        }
    }
    out.removed = (0..old.resources.len())
        .filter(|&o| !new_ids.contains_key(old.resources[o].id.as_str()))
        .collect();
    out.gaps_opened = new
        .gaps
        .iter()
        .filter(|g| !old.gaps.contains(g))
        .cloned()
        .collect();
    out.gaps_closed = old
        .gaps
        .iter()
        .filter(|g| !new.gaps.contains(g))
        .cloned()
        .collect();
    out
}

fn attribute_changes(old: &Snapshot, o: usize, new: &Snapshot, n: usize) -> Vec<AttributeChange> {
    let (a, b) = (&old.resources[o], &new.resources[n]);
    let names: BTreeSet<&String> = a.attributes.keys().chain(b.attributes.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (before, after) = (a.attributes.get(name), b.attributes.get(name));
            let unknown_before = is_unknown(&a.unknown, name);
            let unknown_after = is_unknown(&b.unknown, name);
            (before != after || unknown_before != unknown_after).then(|| AttributeChange {
                name: name.clone(),
                before: before.cloned(),
                after: after.cloned(),
                unknown_before,
                unknown_after,
            })
        })
        .collect()
}

/// True when an unknown pointer covers the top-level attribute `name` or
/// something below it.
fn is_unknown(unknown: &[String], name: &str) -> bool {
    let prefix = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
    unknown.iter().any(|p| {
        p.is_empty()
            || p == &prefix
            || p.strip_prefix(&prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snap(resources: Value, gaps: Value) -> Snapshot {
        serde_json::from_value(json!({
            "format_version": 1,
            "source": {"kind": "fixture", "collected_at": "2026-11-23T00:00:00Z", "tool": "t"},
            "gaps": gaps,
            "resources": resources,
        }))
        .expect("snapshot")
    }

    #[test]
    fn added_removed_changed_and_gaps() {
        let gap =
            json!({"operation": "s3:GetBucketPolicy", "reason": "access-denied", "message": "no"});
        let old = snap(
            json!([
                {"id": "a", "kind": "aws_vpc", "attributes": {"cidr_block": "10.0.0.0/16"}},
                {"id": "b", "kind": "aws_vpc", "attributes": {"cidr_block": "10.1.0.0/16", "tags": {}}},
                {"id": "c", "kind": "aws_vpc", "attributes": {"x": 1}, "location": {"file": "a.json", "line": 3}},
                {"id": "d", "kind": "aws_vpc", "attributes": {"x": 1}},
            ]),
            json!([gap]),
        );
        let new = snap(
            json!([
                {"id": "b", "kind": "aws_vpc", "attributes": {"cidr_block": "10.2.0.0/16"}},
                {"id": "c", "kind": "aws_vpc", "attributes": {"x": 1}, "location": {"file": "b.json", "line": 9}},
                {"id": "d", "kind": "aws_vpc", "attributes": {"x": null}, "unknown": ["/x"]},
                {"id": "e", "kind": "aws_vpc", "attributes": {}},
            ]),
            json!([]),
        );
        let d = diff(&old, &new);
        assert_eq!(d.added, [3]);
        assert_eq!(d.removed, [0]);
        let changed: Vec<(&str, Vec<&str>)> = d
            .changed
            .iter()
            .map(|c| {
                (
                    new.resources[c.new].id.as_str(),
                    c.attributes.iter().map(|a| a.name.as_str()).collect(),
                )
            })
            .collect();
        // c moved lines only: not a change.
        assert_eq!(
            changed,
            [("b", vec!["cidr_block", "tags"]), ("d", vec!["x"])]
        );
        let tags = &d.changed[0].attributes[1];
        assert_eq!(
            (tags.before.clone(), tags.after.clone()),
            (Some(json!({})), None)
        );
        assert!(d.changed[1].attributes[0].unknown_after);
        assert_eq!(d.gaps_closed.len(), 1);
        assert!(d.gaps_opened.is_empty());
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn unknown_pointers_cover_their_attribute_only() {
        let u = vec!["/tags/Name".to_owned(), "/a~1b".to_owned()];
        assert!(is_unknown(&u, "tags"));
        assert!(is_unknown(&u, "a/b"));
        assert!(!is_unknown(&u, "tag"));
        assert!(!is_unknown(&u, "tags_all"));
        assert!(is_unknown(&[String::new()], "anything"));
    }
}
