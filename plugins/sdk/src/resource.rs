//! Resources as a pack sees them, with tri-state attribute access.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use crate::EvalError;
use crate::attributes::{Attributes, RawAttributes};

/// One resource of a batch, in the snapshot format (docs/resource-model.md).
#[derive(Debug, Clone, Deserialize)]
pub struct Resource {
    /// ARN for live resources, Terraform address for planned ones.
    pub id: String,
    /// Terraform resource type name, e.g. `aws_security_group`.
    pub kind: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Normalised attributes, named as in the Terraform AWS provider.
    /// Parsed lazily, one top-level attribute at a time (see [`Attributes`]).
    #[serde(default)]
    pub attributes: Attributes,
    /// JSON pointers (into `attributes`) whose values are not known.
    #[serde(default)]
    pub unknown: Vec<String>,
}

/// The value of an attribute, as far as it can be known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attr<'a> {
    /// Known and set.
    Known(&'a Value),
    /// Known to be absent or null.
    Absent,
    /// Not known (e.g. computed at apply time): a rule must not judge it.
    Unknown,
}

impl<'a> Attr<'a> {
    /// `Some(Some(b))` if known boolean, `Some(None)` if absent, `None` if unknown.
    /// A known value of another type reads as absent.
    pub fn as_bool(self) -> Option<Option<bool>> {
        match self {
            Attr::Known(v) => Some(v.as_bool()),
            Attr::Absent => Some(None),
            Attr::Unknown => None,
        }
    }

    /// The known string, if any.
    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Attr::Known(v) => v.as_str(),
            _ => None,
        }
    }

    /// The known array, if any.
    pub fn as_array(self) -> Option<&'a Vec<Value>> {
        match self {
            Attr::Known(v) => v.as_array(),
            _ => None,
        }
    }

    pub fn is_unknown(self) -> bool {
        matches!(self, Attr::Unknown)
    }
}

impl Resource {
    /// The attribute at a JSON pointer into `attributes` (e.g.
    /// `/ingress/0/from_port`). A pointer at or below an unknown value reads
    /// as [`Attr::Unknown`]; a null reads as [`Attr::Absent`].
    pub fn attr(&self, pointer: &str) -> Attr<'_> {
        if self.is_unknown(pointer) {
            return Attr::Unknown;
        }
        match self.attributes.pointer(pointer) {
            None | Some(Value::Null) => Attr::Absent,
            Some(v) => Attr::Known(v),
        }
    }

    /// True when `pointer` or one of its ancestors is marked unknown.
    pub fn is_unknown(&self, pointer: &str) -> bool {
        self.unknown.iter().any(|u| {
            u.is_empty()
                || pointer == u
                || (pointer.starts_with(u.as_str())
                    && pointer.as_bytes().get(u.len()) == Some(&b'/'))
        })
    }

    /// True when some value at or below `pointer` is unknown: the known part
    /// of a list may still be judged, but "nothing matched" cannot be claimed.
    pub fn has_unknown_within(&self, pointer: &str) -> bool {
        self.is_unknown(pointer)
            || self
                .unknown
                .iter()
                .any(|u| u.starts_with(pointer) && u.as_bytes().get(pointer.len()) == Some(&b'/'))
    }

    /// A boolean attribute, `default` when absent (the provider's default);
    /// `None` when unknown. A known non-boolean reads as the default.
    pub fn flag(&self, pointer: &str, default: bool) -> Option<bool> {
        self.attr(pointer).as_bool().map(|b| b.unwrap_or(default))
    }

    /// A non-empty string attribute; `Err(())` when unknown. `""` reads as absent.
    #[allow(clippy::result_unit_err)]
    pub fn text(&self, pointer: &str) -> Result<Option<&str>, ()> {
        match self.attr(pointer) {
            Attr::Unknown => Err(()),
            a => Ok(a.as_str().filter(|s| !s.trim().is_empty())),
        }
    }

    /// A tag value, from `tags` (Terraform's `tags_all` is preferred when known).
    pub fn tag(&self, key: &str) -> Option<&str> {
        ["tags_all", "tags"].iter().find_map(|field| {
            self.attributes
                .get(field)
                .and_then(|t| t.get(key))
                .and_then(Value::as_str)
        })
    }

    /// A tag value, matching the key without regard to case
    /// (`Environment` and `environment` are the same key to people).
    pub fn tag_ignore_case(&self, key: &str) -> Option<&str> {
        ["tags_all", "tags"].iter().find_map(|field| {
            self.attributes
                .get(field)
                .and_then(Value::as_object)
                .and_then(|t| t.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .and_then(|(_, v)| v.as_str())
        })
    }

    /// True when the resource's tags are not known (computed at apply).
    pub fn tags_unknown(&self) -> bool {
        self.is_unknown("/tags") || self.is_unknown("/tags_all")
    }

    /// A short, human name for messages: the first of `name`, `identifier`,
    /// `cluster_identifier`, `bucket`, the `Name` tag; else the id.
    pub fn display_name(&self) -> &str {
        ["name", "identifier", "cluster_identifier", "bucket"]
            .iter()
            .find_map(|f| self.attributes.get(f).and_then(Value::as_str))
            .or_else(|| self.tag("Name"))
            .unwrap_or(&self.id)
    }
}

/// A resource as read from a batch, its attributes still text.
#[derive(Deserialize)]
struct RawResource<'a> {
    id: String,
    kind: String,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default, borrow)]
    attributes: RawAttributes<'a>,
    #[serde(default)]
    unknown: Vec<String>,
}

/// Parses a batch passed to `evaluate`. The whole batch is checked as JSON
/// here; each attribute is turned into a `Value` only when a rule reads it.
pub fn parse_batch(batch: &str) -> Result<Vec<Resource>, EvalError> {
    // One copy of the batch, shared by its resources' attributes.
    let text: Arc<str> = Arc::from(batch);
    let raw: Vec<RawResource<'_>> =
        serde_json::from_str(&text).map_err(|e| EvalError::BadInput(format!("batch: {e}")))?;
    Ok(raw
        .into_iter()
        .map(|r| Resource {
            id: r.id,
            kind: r.kind,
            account: r.account,
            region: r.region,
            attributes: r.attributes.into_attributes(&text),
            unknown: r.unknown,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(attrs: Value, unknown: &[&str]) -> Resource {
        Resource {
            id: "r".into(),
            kind: "k".into(),
            account: None,
            region: None,
            attributes: attrs.into(),
            unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn unknown_covers_descendants_but_not_siblings_with_shared_prefix() {
        let r = res(json!({"a": {"b": 1}, "ab": 2}), &["/a"]);
        assert_eq!(r.attr("/a/b"), Attr::Unknown);
        assert_eq!(r.attr("/ab"), Attr::Known(&json!(2)));
    }

    #[test]
    fn null_is_absent() {
        let r = res(json!({"a": null}), &[]);
        assert_eq!(r.attr("/a"), Attr::Absent);
        assert_eq!(r.attr("/missing"), Attr::Absent);
    }

    #[test]
    fn unknown_within_sees_children() {
        let r = res(json!({"ingress": [{}]}), &["/ingress/0/cidr_blocks"]);
        assert!(r.has_unknown_within("/ingress"));
        assert!(!r.has_unknown_within("/egress"));
        assert!(!r.is_unknown("/ingress"));
    }
}
