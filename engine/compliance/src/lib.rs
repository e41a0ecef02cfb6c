//! pillar's compliance frameworks and the verdicts a scan gives their
//! controls.
//!
//! The frameworks are the TOML files of `rules/frameworks/` (their format is
//! in that folder's README), compiled into the binary so pillar reads them
//! from any directory. [`builtin`] parses and checks them once; [`assess`]
//! turns what a scan saw of each evidencing rule ([`Evidence`]) into a
//! verdict per control, with per-section and framework totals.
//!
//! The crate knows nothing of packs, snapshots or reports: the report crate
//! builds the [`Evidence`] from a scan, which keeps these rules testable on
//! their own.

mod load;
mod model;
mod verdict;

pub use load::{BUILTIN_FILES, LoadError, builtin, parse};
pub use model::{Assessment, Control, Framework, FrameworkInfo, Section, Status};
pub use verdict::{
    Assessed, ControlResult, Evidence, NOT_LOADED, RuleEvidence, RuleResult, SectionTotals, Totals,
    Verdict, assess,
};

/// The frameworks named by `ids`, in the order given; an unknown id is an
/// error that lists the known ones.
pub fn select<'a>(
    known: &'a [Framework],
    ids: &[String],
) -> Result<Vec<&'a Framework>, UnknownFramework> {
    let mut chosen: Vec<&Framework> = Vec::new();
    for id in ids {
        let Some(f) = known.iter().find(|f| f.framework.id == *id) else {
            return Err(UnknownFramework {
                id: id.clone(),
                known: known.iter().map(|f| f.framework.id.clone()).collect(),
            });
        };
        // Naming a framework twice shows it once.
        if !chosen.iter().any(|c| c.framework.id == f.framework.id) {
            chosen.push(f);
        }
    }
    Ok(chosen)
}

/// `--compliance` named a framework pillar does not have.
#[derive(Debug, thiserror::Error)]
#[error("unknown compliance framework {id:?}; the known ones are: {}", known.join(", "))]
pub struct UnknownFramework {
    pub id: String,
    pub known: Vec<String>,
}

/// The controls each rule evidences, over every framework: `(framework id,
/// control id)` pairs per rule id, in file order. For SARIF tags and rule
/// pages, which show them whether or not a framework was selected.
pub fn controls_by_rule(
    known: &[Framework],
) -> std::collections::BTreeMap<&str, Vec<(&str, &str)>> {
    let mut map: std::collections::BTreeMap<&str, Vec<(&str, &str)>> = Default::default();
    for f in known {
        for c in &f.controls {
            for rule in &c.rules {
                map.entry(rule.as_str())
                    .or_default()
                    .push((f.framework.id.as_str(), c.id.as_str()));
            }
        }
    }
    map
}
