use serde::{Deserialize, Serialize};

use crate::Location;

/// A finding the user has suppressed in source (`# pillar:ignore RULE-ID
/// reason` in a Terraform resource block). Suppressed findings stay in the
/// reports, marked as such, and do not count towards `--fail-on`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Suppression {
    /// The resource's `id` (a Terraform address for plans).
    pub resource: String,
    /// The rule suppressed, e.g. `PILLAR-EC2-001`.
    pub rule_id: String,
    /// Why, as written after the rule id; may be empty.
    pub justification: String,
    /// Where the comment is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Suppression {
    /// True when this suppression covers `rule_id` on `resource`.
    pub fn covers(&self, resource: &str, rule_id: &str) -> bool {
        self.resource == resource && self.rule_id.eq_ignore_ascii_case(rule_id)
    }
}
