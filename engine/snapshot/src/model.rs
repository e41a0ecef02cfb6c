use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One account, plan or fixture at one point in time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version ([`crate::FORMAT_VERSION`]); readers refuse others.
    pub format_version: u32,
    /// Where the resources came from.
    pub source: Source,
    /// What could not be read, and why. Rules cannot judge what is missing,
    /// so reports carry these forward.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<Gap>,
    pub resources: Vec<Resource>,
}

/// The origin of a snapshot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    /// AWS account ids covered (one for a single-account audit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    /// Regions covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// When the snapshot was taken, RFC 3339.
    pub collected_at: String,
    /// The program that wrote it, e.g. "pillar 0.1.0".
    pub tool: String,
    /// Free text for people, e.g. "demo: web shop before its review".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Kinds of source a snapshot can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Collected from a live AWS account.
    AwsAccount,
    /// Read from `terraform show -json`.
    TerraformPlan,
    /// Written by hand or generated (fixtures, benchmarks).
    Fixture,
}

/// Something that could not be collected.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Gap {
    /// The resource kind left incomplete, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The API call or plan element that failed, e.g. "s3:GetBucketPolicy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A resource the gap concerns, if only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Why: "access-denied", "throttled", "unsupported", "error".
    pub reason: String,
    /// The underlying message, for people.
    pub message: String,
}

impl Gap {
    /// True when this gap may hide a resource with these facts: the same
    /// account, region and kind wherever both the gap and the resource say,
    /// and the same resource when the gap names one. Used to tell "gone"
    /// from "not collected" (baselines, `pillar diff`).
    pub fn may_hide(
        &self,
        account: Option<&str>,
        region: Option<&str>,
        kind: Option<&str>,
        resource: Option<&str>,
    ) -> bool {
        let same = |gap: &Option<String>, other: Option<&str>| match (gap.as_deref(), other) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        same(&self.account, account)
            && same(&self.region, region)
            && same(&self.kind, kind)
            && self.resource.as_deref().is_none_or(|r| Some(r) == resource)
    }
}

/// One cloud resource, live or planned.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Resource {
    /// Stable identity: the ARN of a live resource, the Terraform address of
    /// a planned one. Unique within a snapshot; findings are keyed on it.
    pub id: String,
    /// Terraform AWS resource type, e.g. `aws_security_group`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Normalised attributes with the Terraform provider's names.
    #[serde(default)]
    pub attributes: Map<String, Value>,
    /// JSON pointers into `attributes` whose values are not known. A pointer
    /// covers everything below it; `""` makes the whole resource unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
    /// Where the resource is declared, when a source file exists (plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A place in a source file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the repository root or the working directory.
    pub file: String,
    /// 1-based line, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Resource {
    /// The resource as rule packs receive it: the location is host business.
    pub fn plugin_view(&self) -> PluginView<'_> {
        PluginView {
            id: &self.id,
            kind: &self.kind,
            account: self.account.as_deref(),
            region: self.region.as_deref(),
            attributes: &self.attributes,
            unknown: &self.unknown,
        }
    }
}

/// What a rule pack sees of a resource (see `wit/v0.2/rules.wit`).
#[derive(Debug, Serialize)]
pub struct PluginView<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub attributes: &'a Map<String, Value>,
    pub unknown: &'a [String],
}
