//! What a finding means for the people reading the report, beyond its
//! verdict: is it suppressed (in source, or by a mute in force), and is it
//! new since the baseline? Computed once per scan and shared by every
//! writer, so SARIF, JSON, text and HTML always agree.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use pillar_evaluate::{Evaluation, Finding, PackInfo, Verdict};
use pillar_snapshot::{Location, Resource, Snapshot, Suppression};

use crate::baseline::{Baseline, BaselineEntry};
use crate::fingerprint;
use crate::mute::{Mute, MuteState};
use pillar_snapshot::Date;

/// Why a finding does not count: accepted in source or by a mute.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suppressed {
    pub kind: SuppressionKind,
    pub justification: String,
    /// The `# pillar:ignore` comment, for in-source suppressions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// Index into [`Triage::mutes`] for a mute.
    #[serde(skip)]
    pub mute: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// `# pillar:ignore RULE-ID reason` in a `.tf` file.
    InSource,
    /// A mute from the configuration.
    Mute,
}

/// A finding's state against the baseline (SARIF `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    New,
    Unchanged,
    /// Present before with another verdict (an unknown now failing, or the
    /// reverse).
    Updated,
}

/// A baseline finding that this scan did not report.
#[derive(Debug, Clone, Serialize)]
pub struct Gone {
    #[serde(flatten)]
    pub entry: BaselineEntry,
    /// True when this scan looked and the finding is no longer there; false
    /// when this scan could not have seen it (its rule did not run, or its
    /// resource is missing where collection had gaps or another account).
    pub verified: bool,
    pub why: String,
}

/// How the findings compare with the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineCounts<'a> {
    pub file: Option<&'a str>,
    pub new: usize,
    pub unchanged: usize,
    pub updated: usize,
    pub fixed: usize,
    pub not_rechecked: usize,
    /// `--fail-on-new`: only new findings count towards `--fail-on`.
    pub fail_on_new_only: bool,
}

/// A mute and what it did in this scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MuteUse {
    #[serde(flatten)]
    pub mute: Mute,
    pub state: MuteState,
    /// Findings it names (muted while in force; no longer muted once expired).
    pub matched: usize,
}

/// Per-finding dispositions and the baseline comparison.
#[derive(Debug, Clone, Default)]
pub struct Triage {
    /// One per finding, in the evaluation's order.
    pub fingerprints: Vec<String>,
    /// One per finding: why it is suppressed, if it is.
    pub suppressed: Vec<Option<Suppressed>>,
    /// One per finding when a baseline was given.
    pub baseline: Option<Vec<BaselineState>>,
    /// The baseline file, as named.
    pub baseline_path: Option<String>,
    /// Baseline findings not reported now: fixed, or not rechecked.
    pub gone: Vec<Gone>,
    pub mutes: Vec<MuteUse>,
    /// When true, only new (or newly failing) findings count towards `--fail-on`.
    pub new_only: bool,
}

/// What the triage is computed from.
pub struct TriageInput<'a> {
    pub snapshot: &'a Snapshot,
    pub evaluation: &'a Evaluation,
    /// The packs that ran, after the configuration disabled rules.
    pub packs: &'a [PackInfo],
    pub suppressions: &'a [Suppression],
    pub mutes: &'a [Mute],
    pub today: Date,
    pub baseline: Option<&'a Baseline>,
    pub new_only: bool,
}

impl Triage {
    pub fn build(input: &TriageInput<'_>) -> Triage {
        let findings = &input.evaluation.findings;
        let fingerprints = fingerprint::compute(input.snapshot, findings);
        let mut mutes: Vec<MuteUse> = input
            .mutes
            .iter()
            .map(|m| MuteUse {
                mute: m.clone(),
                state: m.state(input.today),
                matched: 0,
            })
            .collect();
        let suppressed = findings
            .iter()
            .map(|f| {
                let resource = input.snapshot.resources.get(f.resource)?;
                suppression_of(f, resource, input.suppressions, &mut mutes)
            })
            .collect();
        let (baseline, gone) = match input.baseline {
            Some(b) => {
                let (states, gone) = compare(input, &fingerprints, b);
                (Some(states), gone)
            }
            None => (None, Vec::new()),
        };
        Triage {
            fingerprints,
            suppressed,
            baseline,
            baseline_path: input.baseline.map(|b| b.path.clone()),
            gone,
            mutes,
            new_only: input.new_only && input.baseline.is_some(),
        }
    }

    /// True when finding `i` counts towards `--fail-on`: it fails, is not
    /// suppressed, and (with `new_only`) is new or newly failing.
    pub fn counts(&self, i: usize, finding: &Finding) -> bool {
        if finding.verdict != Verdict::Fail || self.suppressed.get(i).is_some_and(Option::is_some) {
            return false;
        }
        if !self.new_only {
            return true;
        }
        matches!(
            self.baseline.as_ref().and_then(|b| b.get(i)),
            Some(BaselineState::New | BaselineState::Updated)
        )
    }

    pub fn state(&self, i: usize) -> Option<BaselineState> {
        self.baseline.as_ref().and_then(|b| b.get(i).copied())
    }

    pub fn suppression(&self, i: usize) -> Option<&Suppressed> {
        self.suppressed.get(i).and_then(Option::as_ref)
    }

    /// Counts against the baseline, when there is one.
    pub fn baseline_counts(&self) -> Option<BaselineCounts<'_>> {
        let states = self.baseline.as_ref()?;
        let count = |s: BaselineState| states.iter().filter(|x| **x == s).count();
        Some(BaselineCounts {
            file: self.baseline_path.as_deref(),
            new: count(BaselineState::New),
            unchanged: count(BaselineState::Unchanged),
            updated: count(BaselineState::Updated),
            fixed: self.fixed().count(),
            not_rechecked: self.not_rechecked().count(),
            fail_on_new_only: self.new_only,
        })
    }

    /// Baseline findings this scan saw to be gone.
    pub fn fixed(&self) -> impl Iterator<Item = &Gone> {
        self.gone.iter().filter(|g| g.verified)
    }

    /// Baseline findings this scan could not have seen.
    pub fn not_rechecked(&self) -> impl Iterator<Item = &Gone> {
        self.gone.iter().filter(|g| !g.verified)
    }

    /// Expired mutes that named findings of this scan: the risks they
    /// accepted are reported again.
    pub fn expired_mutes(&self) -> impl Iterator<Item = &MuteUse> {
        self.mutes.iter().filter(|m| m.state == MuteState::Expired)
    }
}

fn suppression_of(
    finding: &Finding,
    resource: &Resource,
    in_source: &[Suppression],
    mutes: &mut [MuteUse],
) -> Option<Suppressed> {
    let mut found = in_source
        .iter()
        .find(|s| s.covers(&resource.id, &finding.rule_id))
        .map(|s| Suppressed {
            kind: SuppressionKind::InSource,
            justification: s.justification.clone(),
            location: s.location.clone(),
            owner: None,
            expires: None,
            mute: None,
        });
    // Every matching mute is counted, in force or not, so the report can say
    // what an expired mute would have covered.
    for (i, m) in mutes.iter_mut().enumerate() {
        if !m.mute.matches(finding, resource) {
            continue;
        }
        m.matched += 1;
        if found.is_none() && m.state != MuteState::Expired {
            found = Some(Suppressed {
                kind: SuppressionKind::Mute,
                justification: m.mute.reason.clone(),
                location: None,
                owner: Some(m.mute.owner.clone()),
                expires: Some(m.mute.expires),
                mute: Some(i),
            });
        }
    }
    found
}

fn compare(
    input: &TriageInput<'_>,
    fingerprints: &[String],
    baseline: &Baseline,
) -> (Vec<BaselineState>, Vec<Gone>) {
    let before: HashMap<&str, &BaselineEntry> = baseline
        .entries
        .iter()
        .map(|e| (e.fingerprint.as_str(), e))
        .collect();
    // Baseline entries matched by a finding of this scan.
    let now: HashSet<&str> = fingerprints.iter().map(String::as_str).collect();
    let mut consumed: Vec<bool> = baseline
        .entries
        .iter()
        .map(|e| now.contains(e.fingerprint.as_str()))
        .collect();
    let mut states: Vec<Option<BaselineState>> = fingerprints
        .iter()
        .zip(&input.evaluation.findings)
        .map(|(print, f)| {
            let e = before.get(print.as_str())?;
            Some(if e.verdict == f.verdict {
                BaselineState::Unchanged
            } else {
                BaselineState::Updated
            })
        })
        .collect();
    // A fingerprint tells several findings of one rule on one resource apart
    // by their evidence only while there are several; when their number
    // changes (two open ports, then one), the survivor's fingerprint does
    // too. Match what is left by rule and resource before calling anything
    // new or fixed.
    let mut spare: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, e) in baseline.entries.iter().enumerate() {
        if !consumed[i] {
            let resource = e.resource.as_deref().unwrap_or("");
            spare
                .entry((e.rule_id.as_str(), resource))
                .or_default()
                .push(i);
        }
    }
    for (state, f) in states.iter_mut().zip(&input.evaluation.findings) {
        if state.is_some() {
            continue;
        }
        let resource = input
            .snapshot
            .resources
            .get(f.resource)
            .map_or("", |r| r.id.as_str());
        let Some(i) = spare
            .get_mut(&(f.rule_id.as_str(), resource))
            .and_then(Vec::pop)
        else {
            continue;
        };
        consumed[i] = true;
        *state = Some(if baseline.entries[i].verdict == f.verdict {
            BaselineState::Unchanged
        } else {
            BaselineState::Updated
        });
    }
    let states = states
        .into_iter()
        .map(|s| s.unwrap_or(BaselineState::New))
        .collect();

    let rules: HashSet<&str> = input
        .packs
        .iter()
        .flat_map(|p| &p.rules)
        .map(|r| r.id.as_str())
        .collect();
    let resources: HashSet<&str> = input
        .snapshot
        .resources
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let source = &input.snapshot.source;
    let mut seen = HashSet::new();
    let gone = baseline
        .entries
        .iter()
        .zip(&consumed)
        .filter(|(_, used)| !**used)
        .map(|(e, _)| e)
        .filter(|e| seen.insert(e.fingerprint.as_str()))
        .map(|e| {
            let (verified, why) = if !rules.contains(e.rule_id.as_str()) {
                (
                    false,
                    format!("rule {} did not run in this scan", e.rule_id),
                )
            } else if e.resource.as_deref().is_some_and(|r| resources.contains(r)) {
                (true, "the rule no longer reports this resource".to_owned())
            } else if let Some(gap) = input.snapshot.gaps.iter().find(|g| {
                g.may_hide(
                    e.account.as_deref(),
                    e.region.as_deref(),
                    e.kind.as_deref(),
                    e.resource.as_deref(),
                )
            }) {
                (
                    false,
                    format!(
                        "resource not found, and collection had a gap that may hide it ({}: {})",
                        gap.reason,
                        gap.operation
                            .as_deref()
                            .or(gap.kind.as_deref())
                            .unwrap_or("collection")
                    ),
                )
            } else if e
                .account
                .as_ref()
                .is_some_and(|a| !source.accounts.is_empty() && !source.accounts.contains(a))
            {
                (false, "its account is not in this scan".to_owned())
            } else if e.region.as_ref().is_some_and(|r| {
                !source.regions.is_empty() && !source.regions.contains(r) && r != "global"
            }) {
                (false, "its region is not in this scan".to_owned())
            } else {
                (true, "the resource no longer exists".to_owned())
            };
            Gone {
                entry: e.clone(),
                verified,
                why,
            }
        })
        .collect();
    (states, gone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mute::Pattern;
    use pillar_evaluate::{Pillar, RuleInfo, Severity};
    use pillar_snapshot::Gap;
    use serde_json::json;

    fn snapshot(ids: &[&str], gaps: Vec<Gap>) -> Snapshot {
        let resources: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "kind": "aws_security_group", "account": "1", "region": "eu-west-1"}))
            .collect();
        let mut s: Snapshot = serde_json::from_value(json!({
            "format_version": 1,
            "source": {"kind": "fixture", "accounts": ["1"], "regions": ["eu-west-1"],
                       "collected_at": "2026-11-23T00:00:00Z", "tool": "test"},
            "resources": resources,
        }))
        .expect("snapshot");
        s.gaps = gaps;
        s
    }
    use serde_json::Value;

    fn finding(resource: usize, verdict: Verdict) -> Finding {
        Finding {
            rule_id: "R-1".into(),
            pack: "p".into(),
            resource,
            verdict,
            severity: Severity::High,
            message: "m".into(),
            evidence: None,
        }
    }

    fn packs() -> Vec<PackInfo> {
        vec![PackInfo {
            name: "p".into(),
            version: "1".into(),
            contract: "0.1.0".into(),
            sha256: String::new(),
            origin: "test".into(),
            rules: vec![RuleInfo {
                id: "R-1".into(),
                title: "t".into(),
                severity: Severity::High,
                pillar: Pillar::Security,
                best_practice: "SEC".into(),
                resource_kinds: vec!["aws_security_group".into()],
                help: String::new(),
                help_uri: String::new(),
                parameters: Vec::new(),
                compliance: Vec::new(),
            }],
            cache_hit: false,
        }]
    }

    fn evaluation(findings: Vec<Finding>) -> Evaluation {
        Evaluation {
            findings,
            failures: Vec::new(),
            stats: Default::default(),
            logs: Vec::new(),
            logs_dropped: 0,
        }
    }

    fn entry(print: &str, resource: &str, verdict: Verdict) -> BaselineEntry {
        BaselineEntry {
            fingerprint: print.into(),
            rule_id: "R-1".into(),
            verdict,
            severity: Some(Severity::High),
            resource: Some(resource.into()),
            kind: Some("aws_security_group".into()),
            account: Some("1".into()),
            region: Some("eu-west-1".into()),
            message: "m".into(),
        }
    }

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn findings_are_new_unchanged_or_updated_and_gone_ones_are_fixed_only_when_seen() {
        let snap = snapshot(&["sg-a", "sg-b", "sg-c", "sg-d"], vec![]);
        // sg-a fails as before, sg-b fails now but was unknown, sg-c is new.
        let eval = evaluation(vec![
            finding(0, Verdict::Fail),
            finding(1, Verdict::Fail),
            finding(2, Verdict::Fail),
        ]);
        let prints = fingerprint::compute(&snap, &eval.findings);
        let baseline = Baseline {
            path: "old.json".into(),
            entries: vec![
                entry(&prints[0], "sg-a", Verdict::Fail),
                entry(&prints[1], "sg-b", Verdict::Unknown),
                // sg-d is still there and no longer fails: fixed.
                entry("d", "sg-d", Verdict::Fail),
                // sg-x is gone, and nothing hides it: fixed (removed).
                entry("x", "sg-x", Verdict::Fail),
                // Another account: not rechecked.
                BaselineEntry {
                    account: Some("2".into()),
                    ..entry("y", "sg-y", Verdict::Fail)
                },
                // A rule that did not run: not rechecked.
                BaselineEntry {
                    rule_id: "R-9".into(),
                    ..entry("z", "sg-a", Verdict::Fail)
                },
            ],
        };
        let packs = packs();
        let input = TriageInput {
            snapshot: &snap,
            evaluation: &eval,
            packs: &packs,
            suppressions: &[],
            mutes: &[],
            today: day("2026-11-23"),
            baseline: Some(&baseline),
            new_only: true,
        };
        let t = Triage::build(&input);
        assert_eq!(
            t.baseline.as_deref(),
            Some(
                &[
                    BaselineState::Unchanged,
                    BaselineState::Updated,
                    BaselineState::New
                ][..]
            )
        );
        let gone: Vec<(&str, bool)> = t
            .gone
            .iter()
            .map(|g| (g.entry.fingerprint.as_str(), g.verified))
            .collect();
        assert_eq!(gone, [("d", true), ("x", true), ("y", false), ("z", false)]);
        // Only the new and the newly failing finding count with new_only.
        let counted: Vec<bool> = eval
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| t.counts(i, f))
            .collect();
        assert_eq!(counted, [false, true, true]);

        // A gap that may hide sg-x makes its absence unproven.
        let gap: Gap = serde_json::from_value(json!({
            "kind": "aws_security_group", "account": "1", "region": "eu-west-1",
            "reason": "access-denied", "message": "denied"
        }))
        .expect("gap");
        let snap = snapshot(&["sg-a", "sg-b", "sg-c", "sg-d"], vec![gap]);
        let t = Triage::build(&TriageInput {
            snapshot: &snap,
            ..input
        });
        let x = t
            .gone
            .iter()
            .find(|g| g.entry.fingerprint == "x")
            .expect("x");
        assert!(!x.verified && x.why.contains("access-denied"), "{}", x.why);
    }

    #[test]
    fn mutes_in_force_suppress_and_expired_ones_do_not() {
        let snap = snapshot(&["sg-a", "sg-b"], vec![]);
        let eval = evaluation(vec![finding(0, Verdict::Fail), finding(1, Verdict::Fail)]);
        let mute = |resource: &str, expires: &str| Mute {
            rule: Pattern("r-*".into()),
            resource: Some(Pattern(resource.into())),
            tag: None,
            account: None,
            region: None,
            reason: "accepted".into(),
            owner: "alice".into(),
            expires: day(expires),
            origin: "test".into(),
        };
        let mutes = [
            mute("sg-a", "2027-01-31"),
            mute("sg-b", "2026-11-01"),
            mute("sg-none", "2027-01-31"),
        ];
        let in_source = [Suppression {
            resource: "sg-a".into(),
            rule_id: "R-1".into(),
            justification: "in the .tf".into(),
            location: None,
        }];
        let packs = packs();
        let t = Triage::build(&TriageInput {
            snapshot: &snap,
            evaluation: &eval,
            packs: &packs,
            suppressions: &in_source,
            mutes: &mutes,
            today: day("2026-11-23"),
            baseline: None,
            new_only: true,
        });
        // In source wins over a mute; the expired mute no longer mutes.
        assert_eq!(
            t.suppression(0).map(|s| s.kind),
            Some(SuppressionKind::InSource)
        );
        assert_eq!(t.suppression(1), None);
        assert!(!t.new_only, "new_only needs a baseline");
        assert!(t.counts(1, &eval.findings[1]) && !t.counts(0, &eval.findings[0]));
        let states: Vec<(MuteState, usize)> =
            t.mutes.iter().map(|m| (m.state, m.matched)).collect();
        assert_eq!(
            states,
            [
                (MuteState::Active, 1),
                (MuteState::Expired, 1),
                (MuteState::Active, 0)
            ]
        );
        assert_eq!(t.expired_mutes().count(), 1);

        // Without the in-source comment the mute applies, with owner and expiry.
        let t = Triage::build(&TriageInput {
            snapshot: &snap,
            evaluation: &eval,
            packs: &packs,
            suppressions: &[],
            mutes: &mutes,
            today: day("2026-11-23"),
            baseline: None,
            new_only: false,
        });
        let s = t.suppression(0).expect("muted");
        assert_eq!(
            (s.kind, s.owner.as_deref()),
            (SuppressionKind::Mute, Some("alice"))
        );
        assert_eq!(s.expires, Some(day("2027-01-31")));
    }

    #[test]
    fn a_finding_whose_siblings_went_away_is_not_new() {
        // Last week R-1 failed twice on sg-a (two open ports: fingerprints
        // with evidence); now once (a fingerprint without). The survivor is
        // unchanged, and only one of last week's two is gone.
        let snap = snapshot(&["sg-a"], vec![]);
        let two = evaluation(vec![
            Finding {
                evidence: Some("/ingress/0".into()),
                ..finding(0, Verdict::Fail)
            },
            Finding {
                evidence: Some("/ingress/1".into()),
                ..finding(0, Verdict::Fail)
            },
        ]);
        let baseline = Baseline::from_findings("old.json", &snap, &two.findings);
        let one = evaluation(vec![finding(0, Verdict::Fail)]);
        let packs = packs();
        let t = Triage::build(&TriageInput {
            snapshot: &snap,
            evaluation: &one,
            packs: &packs,
            suppressions: &[],
            mutes: &[],
            today: day("2026-11-23"),
            baseline: Some(&baseline),
            new_only: true,
        });
        assert_eq!(t.baseline.as_deref(), Some(&[BaselineState::Unchanged][..]));
        assert_eq!(t.gone.len(), 1);
        assert!(t.gone[0].verified);
    }
}
