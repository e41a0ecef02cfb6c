//! A framework file's contents, as `rules/frameworks/README.md` describes
//! them. Unknown keys are errors, so a misspelt field is not silently
//! ignored.

use serde::{Deserialize, Serialize};

/// One framework file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub framework: FrameworkInfo,
    #[serde(rename = "section", default)]
    pub sections: Vec<Section>,
    #[serde(rename = "control", default)]
    pub controls: Vec<Control>,
}

/// The `[framework]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    /// Equal to the file name without `.toml`.
    pub id: String,
    pub name: String,
    pub version: String,
    pub source: String,
    /// Every control of that version is listed.
    pub complete: bool,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub section: String,
    /// CIS profile level, `L1` or `L2`.
    #[serde(default)]
    pub level: Option<String>,
    /// CIS's own judgement of whether a tool can check it.
    #[serde(default)]
    pub assessment: Option<Assessment>,
    pub status: Status,
    /// The built-in rules that evidence the control.
    pub rules: Vec<String>,
    /// Rules that bear on it without evidencing it; never coverage.
    #[serde(default)]
    pub related: Vec<String>,
    pub description: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Assessment {
    Automated,
    Manual,
}

/// Whether pillar's rules evidence a control: the file's mapping, before
/// any scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Covered,
    Manual,
    NotCovered,
}

impl Framework {
    pub fn id(&self) -> &str {
        &self.framework.id
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// The coverage ratio `(covered, of)`: covered controls over all
    /// controls, counting only those the publisher calls automated when it
    /// says (CIS), since a manual recommendation is not a tool's to cover.
    pub fn coverage(&self) -> (usize, usize) {
        let judged = self.controls.iter().any(|c| c.assessment.is_some());
        let counted: Vec<&Control> = self
            .controls
            .iter()
            .filter(|c| !judged || c.assessment == Some(Assessment::Automated))
            .collect();
        let covered = counted
            .iter()
            .filter(|c| c.status == Status::Covered)
            .count();
        (covered, counted.len())
    }

    /// The sections from `id` up to its root: `id`, its parent, and so on.
    pub fn section_chain<'a>(&'a self, id: &'a str) -> Vec<&'a str> {
        let mut chain = Vec::new();
        let mut next = Some(id);
        while let Some(s) = next {
            // A cycle would be a file error; validation rejects it, and the
            // bound keeps this total anyway.
            if chain.contains(&s) || chain.len() > self.sections.len() {
                break;
            }
            chain.push(s);
            next = self.section(s).and_then(|s| s.parent.as_deref());
        }
        chain
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Covered => "covered",
            Status::Manual => "manual",
            Status::NotCovered => "not-covered",
        }
    }
}
