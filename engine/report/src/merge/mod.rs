//! `pillar merge`: one report (or snapshot) from the outputs of shards that
//! each scanned part of an organisation's accounts.
//!
//! Each input's kind is told from its content: a SARIF 2.1.0 log, a pillar
//! JSON report, or a snapshot. Inputs must all be of one kind. The merge is
//! a union: findings, results, resources and gaps are concatenated, what
//! describes the run (rules, packs, sources) is unioned by id, and totals
//! are recomputed from the merged items. Something present in two inputs
//! must be identical there, else it is an error naming both files: shards
//! of one scan never disagree, so a disagreement means the inputs are not
//! shards of one scan (different pillar versions, rule settings or times).
//!
//! Output order is canonical (account, rule id, resource id, fingerprint
//! for findings; id for rules, packs and resources), so the merge of the
//! same inputs is byte-identical whatever order they are given in.

mod json;
mod sarif;
mod snapshot;
mod triage;

use std::collections::BTreeMap;

use pillar_snapshot::{Snapshot, Source};
use serde_json::Value;

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sarif,
    Json,
    Snapshot,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Sarif => "a SARIF log",
            Kind::Json => "a pillar JSON report",
            Kind::Snapshot => "a pillar snapshot",
        }
    }
}

/// Why inputs could not be merged. Every variant names the file(s).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge: give at least one file")]
    NoInput,
    #[error("{name}: {message}")]
    Unreadable { name: String, message: String },
    #[error(
        "{name} is {}, but {first} is {}: merge files of one kind \
         (all SARIF, all JSON reports, or all snapshots)",
        found.describe(),
        expected.describe()
    )]
    Mixed {
        name: String,
        found: Kind,
        first: String,
        expected: Kind,
    },
    #[error("{what} differs between {a} and {b}: these are not shards of one scan")]
    Conflict { what: String, a: String, b: String },
}

/// One input, read and classified.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    doc: Doc,
}

#[derive(Debug, Clone)]
enum Doc {
    Sarif(Value),
    Json(Value),
    Snapshot(Snapshot),
}

impl Input {
    /// Reads `text` (named `name` in messages) and tells what it is.
    pub fn read(name: &str, text: &str) -> Result<Input, MergeError> {
        let unreadable = |message: String| MergeError::Unreadable {
            name: name.to_owned(),
            message,
        };
        let value: Value =
            serde_json::from_str(text).map_err(|e| unreadable(format!("not JSON: {e}")))?;
        let doc = if value.get("runs").is_some() && value.get("version").is_some() {
            if value["version"] != "2.1.0" {
                return Err(unreadable(format!(
                    "SARIF version {} is not 2.1.0",
                    value["version"]
                )));
            }
            Doc::Sarif(value)
        } else if value.get("report_version").is_some() && value.get("findings").is_some() {
            if value["report_version"] != json::REPORT_VERSION {
                return Err(unreadable(format!(
                    "JSON report version {} is not {}",
                    value["report_version"],
                    json::REPORT_VERSION
                )));
            }
            Doc::Json(value)
        } else if value.get("format_version").is_some() {
            let snapshot = pillar_snapshot::from_str(text, std::path::Path::new(name))
                .map_err(|e| unreadable(e.to_string()))?;
            Doc::Snapshot(snapshot)
        } else {
            return Err(unreadable(
                "neither a SARIF log, a pillar JSON report nor a pillar snapshot".into(),
            ));
        };
        Ok(Input {
            name: name.to_owned(),
            doc,
        })
    }

    pub fn kind(&self) -> Kind {
        match self.doc {
            Doc::Sarif(_) => Kind::Sarif,
            Doc::Json(_) => Kind::Json,
            Doc::Snapshot(_) => Kind::Snapshot,
        }
    }
}

/// The merged document.
#[derive(Debug, Clone)]
pub enum Merged {
    Sarif(Value),
    Json(Value),
    Snapshot(Snapshot),
}

impl Merged {
    pub fn kind(&self) -> Kind {
        match self {
            Merged::Sarif(_) => Kind::Sarif,
            Merged::Json(_) => Kind::Json,
            Merged::Snapshot(_) => Kind::Snapshot,
        }
    }

    /// SARIF or JSON as pretty-printed text (snapshots are written by the
    /// collector's writer, which makes them private and atomic).
    pub fn to_text(&self) -> Option<String> {
        let value = match self {
            Merged::Sarif(v) | Merged::Json(v) => v,
            Merged::Snapshot(_) => return None,
        };
        serde_json::to_string_pretty(value).ok().map(|s| s + "\n")
    }

    /// False when the merged result records something left unchecked
    /// (collection gaps, pack failures), as the scan of everything would.
    pub fn is_complete(&self) -> bool {
        match self {
            Merged::Snapshot(s) => s.gaps.is_empty(),
            Merged::Json(v) => v["summary"]["complete"] != false,
            Merged::Sarif(v) => {
                let invocation = &v["runs"][0]["invocations"][0];
                invocation["executionSuccessful"] != false
                    && invocation["toolExecutionNotifications"]
                        .as_array()
                        .is_none_or(Vec::is_empty)
            }
        }
    }
}

/// Merges inputs of one kind.
pub fn merge(inputs: &[Input]) -> Result<Merged, MergeError> {
    let first = inputs.first().ok_or(MergeError::NoInput)?;
    if let Some(other) = inputs.iter().find(|i| i.kind() != first.kind()) {
        return Err(MergeError::Mixed {
            name: other.name.clone(),
            found: other.kind(),
            first: first.name.clone(),
            expected: first.kind(),
        });
    }
    match first.kind() {
        Kind::Sarif => sarif::merge(&docs(inputs)).map(Merged::Sarif),
        Kind::Json => json::merge(&docs(inputs)).map(Merged::Json),
        Kind::Snapshot => {
            let snapshots: Vec<(&str, &Snapshot)> = inputs
                .iter()
                .filter_map(|i| match &i.doc {
                    Doc::Snapshot(s) => Some((i.name.as_str(), s)),
                    _ => None,
                })
                .collect();
            snapshot::merge(&snapshots).map(Merged::Snapshot)
        }
    }
}

fn docs(inputs: &[Input]) -> Vec<(&str, &Value)> {
    inputs
        .iter()
        .filter_map(|i| match &i.doc {
            Doc::Sarif(v) | Doc::Json(v) => Some((i.name.as_str(), v)),
            Doc::Snapshot(_) => None,
        })
        .collect()
}

/// Unions items keyed by `key`: the first occurrence is kept, a later one
/// with the same key must be identical, else a conflict naming both files.
/// The result is sorted by key.
pub(crate) fn union_by<'a>(
    what: &str,
    items: impl IntoIterator<Item = (&'a str, Value)>,
    key: impl Fn(&Value) -> String,
) -> Result<Vec<Value>, MergeError> {
    let mut seen: BTreeMap<String, (&'a str, Value)> = BTreeMap::new();
    for (name, item) in items {
        let k = key(&item);
        match seen.get(&k) {
            Some((first, kept)) if *kept != item => {
                return Err(MergeError::Conflict {
                    what: format!("{what} {k}"),
                    a: (*first).to_owned(),
                    b: name.to_owned(),
                });
            }
            Some(_) => {}
            None => {
                seen.insert(k, (name, item));
            }
        }
    }
    Ok(seen.into_values().map(|(_, v)| v).collect())
}

/// One value that every input must share (the tool, the report version,
/// the threshold); the first input's, or a conflict naming both files.
pub(crate) fn same<'a>(
    what: &str,
    values: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<Value, MergeError> {
    let mut first: Option<(&str, &Value)> = None;
    for (name, v) in values {
        match first {
            None => first = Some((name, v)),
            Some((a, kept)) if kept != v => {
                return Err(MergeError::Conflict {
                    what: what.to_owned(),
                    a: a.to_owned(),
                    b: name.to_owned(),
                });
            }
            Some(_) => {}
        }
    }
    Ok(first.map(|(_, v)| v.clone()).unwrap_or(Value::Null))
}

/// The sources of several shards as one: the same kind and tool, accounts
/// and regions unioned, the earliest collection time (shards of one nightly
/// run start within minutes), a description only if all agree.
pub(crate) fn merge_sources(sources: &[(&str, Source)]) -> Result<Source, MergeError> {
    let Some((first_name, first)) = sources.first() else {
        return Err(MergeError::NoInput);
    };
    let mut merged = first.clone();
    for (name, s) in &sources[1..] {
        if s.kind != first.kind {
            return Err(MergeError::Conflict {
                what: "the kind of source".into(),
                a: (*first_name).to_owned(),
                b: (*name).to_owned(),
            });
        }
        if s.tool != first.tool {
            return Err(MergeError::Conflict {
                what: format!("the tool ({} and {})", first.tool, s.tool),
                a: (*first_name).to_owned(),
                b: (*name).to_owned(),
            });
        }
        merged.accounts.extend(s.accounts.iter().cloned());
        merged.regions.extend(s.regions.iter().cloned());
        if s.collected_at < merged.collected_at {
            merged.collected_at = s.collected_at.clone();
        }
        if s.description != merged.description {
            merged.description = None;
        }
    }
    merged.accounts.sort();
    merged.accounts.dedup();
    merged.regions.sort();
    merged.regions.dedup();
    Ok(merged)
}

/// A source from a report's `source` value.
pub(crate) fn source_of(name: &str, value: &Value) -> Result<Source, MergeError> {
    serde_json::from_value(value.clone()).map_err(|e| MergeError::Unreadable {
        name: name.to_owned(),
        message: format!("its `source` is not a snapshot source: {e}"),
    })
}

/// The inputs' own `input` names, sorted and joined: what was merged.
pub(crate) fn joined_inputs<'a>(values: impl IntoIterator<Item = &'a Value>) -> Value {
    let mut names: Vec<&str> = values.into_iter().filter_map(Value::as_str).collect();
    names.sort_unstable();
    names.dedup();
    Value::String(names.join(", "))
}

/// Sums per-rule counters (`{"R": {"evaluated": 3, ...}}`) field by field.
pub(crate) fn sum_stats<'a>(stats: impl IntoIterator<Item = &'a Value>) -> Value {
    let mut total: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for s in stats {
        let Some(rules) = s.as_object() else { continue };
        for (id, counts) in rules {
            let entry = total.entry(id.clone()).or_default();
            for (field, n) in counts.as_object().into_iter().flatten() {
                *entry.entry(field.clone()).or_default() += n.as_u64().unwrap_or(0);
            }
        }
    }
    serde_json::to_value(total).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests;
