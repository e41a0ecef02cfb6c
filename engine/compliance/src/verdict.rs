//! A verdict per control from what a scan saw of each evidencing rule.
//!
//! The order of precedence is what an auditor needs first:
//! 1. `fail`: some evidencing rule failed on some resource. A failure is a
//!    fact whatever else was or was not checked.
//! 2. `not-checked`: some evidencing rule did not run (its pack failed to
//!    load or stopped, the rule is disabled, or a collection gap covers a
//!    kind it reads), so a pass would claim more than was seen.
//! 3. `unknown`: every rule ran, none failed, some reached no verdict on
//!    some resource.
//! 4. `no-resources`: every rule ran and none found a resource to read. It
//!    is kept apart from `pass` so that "pass" never means "not looked at".
//! 5. `pass`: every rule ran and passed on every resource it read, and
//!    together they read at least one.
//!
//! `manual` and `not-covered` come from the file's `status` and do not
//! depend on the scan.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Control, Framework, Status};

/// What the scan saw of each rule, by rule id. A rule that is absent did
/// not run: no loaded pack has it.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    pub rules: BTreeMap<String, RuleEvidence>,
}

/// One rule's outcome over the scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleEvidence {
    /// Resources of its kinds that reached it.
    pub evaluated: usize,
    /// Resources it failed, by id.
    pub failing: Vec<String>,
    /// Resources it reached no verdict on (and did not fail), by id.
    pub unknown: Vec<String>,
    /// Why its view is incomplete, if it is: its pack stopped, or a
    /// collection gap covers a kind it reads. Its failures still count.
    pub incomplete: Option<String>,
}

impl RuleEvidence {
    /// A rule that ran on complete data.
    pub fn ran(evaluated: usize, failing: Vec<String>, unknown: Vec<String>) -> Self {
        RuleEvidence {
            evaluated,
            failing,
            unknown,
            incomplete: None,
        }
    }
}

/// The reason given for a rule that no loaded pack has.
pub const NOT_LOADED: &str =
    "no loaded pack has this rule (its pack failed to load, or the rule is disabled)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Fail,
    Unknown,
    NotChecked,
    NoResources,
    Manual,
    NotCovered,
}

impl Verdict {
    /// In the order reports list them.
    pub const ALL: [Verdict; 7] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::Unknown,
        Verdict::NotChecked,
        Verdict::NoResources,
        Verdict::Manual,
        Verdict::NotCovered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
            Verdict::NotChecked => "not-checked",
            Verdict::NoResources => "no-resources",
            Verdict::Manual => "manual",
            Verdict::NotCovered => "not-covered",
        }
    }
}

/// One evidencing rule of a control, as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub rule: String,
    /// It ran on complete data; else `reason` says what is missing.
    pub checked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub evaluated: usize,
    pub failing: Vec<String>,
    pub unknown: Vec<String>,
}

/// A control and its verdict.
#[derive(Debug, Clone)]
pub struct ControlResult<'a> {
    pub control: &'a Control,
    pub verdict: Verdict,
    /// Resource evaluations over its rules (a resource two rules read
    /// counts twice): how much was looked at.
    pub evaluated: usize,
    /// Distinct resources some rule failed.
    pub failing: usize,
    /// Distinct resources some rule left unknown and none failed.
    pub unknown: usize,
    pub rules: Vec<RuleResult>,
}

/// How many controls have each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub controls: usize,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
    pub not_checked: usize,
    pub no_resources: usize,
    pub manual: usize,
    pub not_covered: usize,
}

impl Totals {
    pub fn add(&mut self, v: Verdict) {
        self.controls += 1;
        *self.slot(v) += 1;
    }

    pub fn get(&self, v: Verdict) -> usize {
        let mut copy = *self;
        *copy.slot(v)
    }

    fn slot(&mut self, v: Verdict) -> &mut usize {
        match v {
            Verdict::Pass => &mut self.pass,
            Verdict::Fail => &mut self.fail,
            Verdict::Unknown => &mut self.unknown,
            Verdict::NotChecked => &mut self.not_checked,
            Verdict::NoResources => &mut self.no_resources,
            Verdict::Manual => &mut self.manual,
            Verdict::NotCovered => &mut self.not_covered,
        }
    }
}

/// A section's totals: its own controls and those of its subsections.
#[derive(Debug, Clone, Serialize)]
pub struct SectionTotals {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub totals: Totals,
}

/// A framework with a verdict per control.
#[derive(Debug, Clone)]
pub struct Assessed<'a> {
    pub framework: &'a Framework,
    pub controls: Vec<ControlResult<'a>>,
    /// In file order, every section with at least one control below it.
    pub sections: Vec<SectionTotals>,
    pub totals: Totals,
}

/// Every control of `framework`, judged on `evidence`.
pub fn assess<'a>(framework: &'a Framework, evidence: &Evidence) -> Assessed<'a> {
    let controls: Vec<ControlResult> = framework
        .controls
        .iter()
        .map(|c| judge(c, evidence))
        .collect();
    let mut totals = Totals::default();
    let mut by_section: BTreeMap<&str, Totals> = BTreeMap::new();
    for r in &controls {
        totals.add(r.verdict);
        for s in framework.section_chain(&r.control.section) {
            by_section.entry(s).or_default().add(r.verdict);
        }
    }
    let sections = framework
        .sections
        .iter()
        .filter_map(|s| {
            by_section.get(s.id.as_str()).map(|t| SectionTotals {
                id: s.id.clone(),
                title: s.title.clone(),
                parent: s.parent.clone(),
                totals: *t,
            })
        })
        .collect();
    Assessed {
        framework,
        controls,
        sections,
        totals,
    }
}

fn judge<'a>(control: &'a Control, evidence: &Evidence) -> ControlResult<'a> {
    let rules: Vec<RuleResult> = control
        .rules
        .iter()
        .map(|id| match evidence.rules.get(id) {
            Some(e) => RuleResult {
                rule: id.clone(),
                checked: e.incomplete.is_none(),
                reason: e.incomplete.clone(),
                evaluated: e.evaluated,
                failing: e.failing.clone(),
                unknown: e.unknown.clone(),
            },
            None => RuleResult {
                rule: id.clone(),
                checked: false,
                reason: Some(NOT_LOADED.to_owned()),
                evaluated: 0,
                failing: Vec::new(),
                unknown: Vec::new(),
            },
        })
        .collect();
    let failing: BTreeSet<&str> = rules
        .iter()
        .flat_map(|r| r.failing.iter().map(String::as_str))
        .collect();
    let unknown: BTreeSet<&str> = rules
        .iter()
        .flat_map(|r| r.unknown.iter().map(String::as_str))
        .filter(|id| !failing.contains(id))
        .collect();
    let evaluated = rules.iter().map(|r| r.evaluated).sum();
    let verdict = match control.status {
        Status::Manual => Verdict::Manual,
        Status::NotCovered => Verdict::NotCovered,
        Status::Covered if !failing.is_empty() => Verdict::Fail,
        Status::Covered if rules.iter().any(|r| !r.checked) => Verdict::NotChecked,
        Status::Covered if !unknown.is_empty() => Verdict::Unknown,
        Status::Covered if evaluated == 0 => Verdict::NoResources,
        Status::Covered => Verdict::Pass,
    };
    ControlResult {
        control,
        verdict,
        evaluated,
        failing: failing.len(),
        unknown: unknown.len(),
        rules,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[framework]
id = "t"
name = "Test"
version = "1"
source = "s"
complete = true
description = "d"

[[section]]
id = "1"
title = "One"

[[section]]
id = "1.1"
title = "One one"
parent = "1"

[[section]]
id = "2"
title = "Two"

[[control]]
id = "1.1.1"
title = "two rules"
section = "1.1"
status = "covered"
rules = ["R-A", "R-B"]
description = "d"

[[control]]
id = "1.2"
title = "a person decides"
section = "1"
status = "manual"
rules = []
description = "d"

[[control]]
id = "2.1"
title = "no rule yet"
section = "2"
status = "not-covered"
rules = []
description = "d"
"#;

    fn framework() -> Framework {
        crate::parse("t.toml", FILE).expect("test framework")
    }

    fn ran(evaluated: usize, failing: &[&str], unknown: &[&str]) -> RuleEvidence {
        RuleEvidence::ran(
            evaluated,
            failing.iter().map(|s| (*s).to_owned()).collect(),
            unknown.iter().map(|s| (*s).to_owned()).collect(),
        )
    }

    fn gap(reason: &str) -> RuleEvidence {
        RuleEvidence {
            incomplete: Some(reason.to_owned()),
            ..RuleEvidence::default()
        }
    }

    fn evidence(a: Option<RuleEvidence>, b: Option<RuleEvidence>) -> Evidence {
        let mut e = Evidence::default();
        if let Some(a) = a {
            e.rules.insert("R-A".into(), a);
        }
        if let Some(b) = b {
            e.rules.insert("R-B".into(), b);
        }
        e
    }

    fn first(e: &Evidence) -> (Verdict, usize, usize, usize) {
        let f = framework();
        let a = assess(&f, e);
        let c = &a.controls[0];
        (c.verdict, c.evaluated, c.failing, c.unknown)
    }

    #[test]
    fn pass_needs_every_rule_to_run_and_pass_on_something() {
        let e = evidence(Some(ran(3, &[], &[])), Some(ran(0, &[], &[])));
        assert_eq!(first(&e), (Verdict::Pass, 3, 0, 0));
    }

    #[test]
    fn rules_that_read_nothing_are_no_resources_not_pass() {
        let e = evidence(Some(ran(0, &[], &[])), Some(ran(0, &[], &[])));
        assert_eq!(first(&e), (Verdict::NoResources, 0, 0, 0));
    }

    #[test]
    fn a_failure_wins_over_everything_and_counts_distinct_resources() {
        let e = evidence(Some(ran(4, &["r1", "r2"], &["r3"])), Some(gap("gap")));
        assert_eq!(first(&e), (Verdict::Fail, 4, 2, 1));
        let e = evidence(Some(ran(2, &["r1"], &[])), Some(ran(2, &["r1"], &["r2"])));
        assert_eq!(first(&e), (Verdict::Fail, 4, 1, 1));
    }

    #[test]
    fn a_resource_failed_by_one_rule_is_not_also_unknown() {
        let e = evidence(Some(ran(1, &["r1"], &[])), Some(ran(1, &[], &["r1"])));
        assert_eq!(first(&e), (Verdict::Fail, 2, 1, 0));
    }

    #[test]
    fn a_rule_that_did_not_run_makes_a_clean_control_not_checked() {
        let e = evidence(Some(ran(5, &[], &["r9"])), None);
        assert_eq!(first(&e), (Verdict::NotChecked, 5, 0, 1));
        let f = framework();
        let a = assess(&f, &e);
        let b = &a.controls[0].rules[1];
        assert_eq!((b.checked, b.reason.as_deref()), (false, Some(NOT_LOADED)));
        let e = evidence(
            Some(ran(5, &[], &[])),
            Some(gap("collection gap on aws_s3_bucket")),
        );
        assert_eq!(first(&e), (Verdict::NotChecked, 5, 0, 0));
    }

    #[test]
    fn an_incomplete_rule_still_reports_its_failures() {
        let mut partial = gap("pack stopped");
        partial.failing = vec!["r1".into()];
        partial.evaluated = 1;
        let e = evidence(Some(ran(2, &[], &[])), Some(partial));
        assert_eq!(first(&e), (Verdict::Fail, 3, 1, 0));
    }

    #[test]
    fn unknown_when_nothing_failed_and_something_was_unknown() {
        let e = evidence(Some(ran(2, &[], &["r1"])), Some(ran(1, &[], &[])));
        assert_eq!(first(&e), (Verdict::Unknown, 3, 0, 1));
    }

    #[test]
    fn manual_and_not_covered_do_not_depend_on_the_scan() {
        let f = framework();
        let a = assess(&f, &Evidence::default());
        let verdicts: Vec<Verdict> = a.controls.iter().map(|c| c.verdict).collect();
        assert_eq!(
            verdicts,
            [Verdict::NotChecked, Verdict::Manual, Verdict::NotCovered]
        );
    }

    #[test]
    fn section_totals_include_subsections_and_sum_to_the_framework() {
        let f = framework();
        let e = evidence(Some(ran(1, &["r"], &[])), Some(ran(1, &[], &[])));
        let a = assess(&f, &e);
        let totals: Vec<(&str, usize, usize, usize)> = a
            .sections
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.totals.controls,
                    s.totals.fail,
                    s.totals.manual,
                )
            })
            .collect();
        assert_eq!(totals, [("1", 2, 1, 1), ("1.1", 1, 1, 0), ("2", 1, 0, 0)]);
        assert_eq!(
            a.totals,
            Totals {
                controls: 3,
                fail: 1,
                manual: 1,
                not_covered: 1,
                ..Totals::default()
            }
        );
        let sum: usize = Verdict::ALL.iter().map(|v| a.totals.get(*v)).sum();
        assert_eq!(sum, a.totals.controls);
    }
}
