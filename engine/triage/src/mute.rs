//! Mutes: accepted risks, written down with a reason, an owner and an
//! expiry date. A mute in force marks matching findings as suppressed (they
//! stay in every report, and out of `--fail-on`); once expired it stops
//! muting and the report says so, so an accepted risk is never forgotten.

use pillar_evaluate::Finding;
use pillar_snapshot::Resource;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use pillar_snapshot::Date;

/// How many days before expiry a mute is reported as expiring soon.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

/// One accepted risk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mute {
    /// A rule id, or a pattern such as `PILLAR-TAG-*` (case-insensitive).
    pub rule: Pattern,
    /// The resource's id (ARN or Terraform address), as a pattern.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Pattern>,
    /// A tag the resource carries: `Key=Value`, or `Key` for any value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<TagMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Pattern>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Pattern>,
    pub reason: String,
    pub owner: String,
    /// The last day the mute is in force.
    pub expires: Date,
    /// Where it was written, e.g. `pillar.toml, mute #2`.
    pub origin: String,
}

/// Whether a mute is in force on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MuteState {
    Active,
    /// In force, but for fewer than [`EXPIRY_WARNING_DAYS`] more days.
    ExpiringSoon,
    Expired,
}

impl Mute {
    pub fn state(&self, today: Date) -> MuteState {
        let left = today.days_until(self.expires);
        if left < 0 {
            MuteState::Expired
        } else if left < EXPIRY_WARNING_DAYS {
            MuteState::ExpiringSoon
        } else {
            MuteState::Active
        }
    }

    /// True when the mute names this finding, whether or not it is in force.
    pub fn matches(&self, finding: &Finding, resource: &Resource) -> bool {
        self.rule.matches_ignore_case(&finding.rule_id)
            && self
                .resource
                .as_ref()
                .is_none_or(|p| p.matches(&resource.id))
            && self
                .account
                .as_ref()
                .is_none_or(|p| resource.account.as_deref().is_some_and(|a| p.matches(a)))
            && self
                .region
                .as_ref()
                .is_none_or(|p| resource.region.as_deref().is_some_and(|r| p.matches(r)))
            && self.tag.as_ref().is_none_or(|t| t.matches(resource))
    }

    /// One line for people: `PILLAR-EC2-001 on sg-* (owner alice, until 2027-01-31)`.
    pub fn describe(&self) -> String {
        let mut on = Vec::new();
        if let Some(r) = &self.resource {
            on.push(r.0.clone());
        }
        if let Some(t) = &self.tag {
            on.push(format!("tag {t}"));
        }
        if let Some(a) = &self.account {
            on.push(format!("account {}", a.0));
        }
        if let Some(r) = &self.region {
            on.push(format!("region {}", r.0));
        }
        let on = if on.is_empty() {
            String::new()
        } else {
            format!(" on {}", on.join(", "))
        };
        format!(
            "{}{on} (owner {}, until {})",
            self.rule.0, self.owner, self.expires
        )
    }
}

/// A glob: `*` matches any run of characters, `?` any one character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pattern(pub String);

impl Pattern {
    pub fn matches(&self, text: &str) -> bool {
        glob(self.0.as_bytes(), text.as_bytes())
    }

    pub fn matches_ignore_case(&self, text: &str) -> bool {
        glob(
            self.0.to_ascii_lowercase().as_bytes(),
            text.to_ascii_lowercase().as_bytes(),
        )
    }
}

/// Iterative glob matching with one backtrack point: linear in practice and
/// never exponential, whatever the pattern.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

/// `Key=Value` or `Key`: the resource's `tags` (or, failing that, its
/// `tags_all`) hold the key, with that value when one is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagMatch {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl TagMatch {
    pub fn parse(text: &str) -> Option<TagMatch> {
        let (key, value) = match text.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim().to_owned())),
            None => (text.trim(), None),
        };
        (!key.is_empty()).then(|| TagMatch {
            key: key.to_owned(),
            value,
        })
    }

    fn matches(&self, resource: &Resource) -> bool {
        ["tags", "tags_all"].iter().any(|field| {
            resource
                .attributes
                .get(*field)
                .and_then(Value::as_object)
                .and_then(|tags| tags.get(&self.key))
                .is_some_and(|v| match (&self.value, v) {
                    (None, _) => true,
                    (Some(want), Value::String(have)) => want == have,
                    (Some(_), _) => false,
                })
        })
    }
}

impl std::fmt::Display for TagMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Some(v) => write!(f, "{}={v}", self.key),
            None => write!(f, "{}", self.key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_evaluate::{Severity, Verdict};
    use serde_json::json;

    fn resource() -> Resource {
        serde_json::from_value(json!({
            "id": "arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0abc",
            "kind": "aws_security_group",
            "account": "111111111111",
            "region": "eu-west-1",
            "attributes": {"tags": {"Environment": "sandbox", "Team": "web"}}
        }))
        .expect("resource")
    }

    fn finding(rule: &str) -> Finding {
        Finding {
            rule_id: rule.into(),
            pack: "p".into(),
            resource: 0,
            verdict: Verdict::Fail,
            severity: Severity::High,
            message: "m".into(),
            evidence: None,
        }
    }

    fn mute() -> Mute {
        Mute {
            rule: Pattern("pillar-ec2-*".into()),
            resource: Some(Pattern("arn:aws:ec2:*:security-group/sg-0a*".into())),
            tag: None,
            account: None,
            region: None,
            reason: "bastion".into(),
            owner: "alice".into(),
            expires: Date::parse("2027-01-31").expect("date"),
            origin: "test".into(),
        }
    }

    #[test]
    fn globs() {
        for (p, t, want) in [
            ("*", "", true),
            ("a*c", "abbbc", true),
            ("a*c", "abbb", false),
            ("a?c", "abc", true),
            ("*sg-1", "arn:x/sg-1", true),
            ("*sg-1", "arn:x/sg-12", false),
            ("a*b*c*d", "aXbYcZd", true),
            ("exact", "exact", true),
            ("exact", "exactly", false),
        ] {
            assert_eq!(Pattern(p.into()).matches(t), want, "{p} ~ {t}");
        }
        // Pathological patterns stay fast.
        let long = "a".repeat(10_000);
        assert!(!Pattern("*a*a*a*a*a*a*b".into()).matches(&long));
    }

    #[test]
    fn a_mute_matches_rule_resource_account_region_and_tag() {
        let r = resource();
        let m = mute();
        assert!(m.matches(&finding("PILLAR-EC2-001"), &r));
        assert!(!m.matches(&finding("PILLAR-RDS-001"), &r));
        let mut other = m.clone();
        other.account = Some(Pattern("222222222222".into()));
        assert!(!other.matches(&finding("PILLAR-EC2-001"), &r));
        let mut by_tag = m.clone();
        by_tag.resource = None;
        by_tag.tag = TagMatch::parse("Environment=sandbox");
        by_tag.region = Some(Pattern("eu-*".into()));
        assert!(by_tag.matches(&finding("PILLAR-EC2-001"), &r));
        by_tag.tag = TagMatch::parse("Environment=prod");
        assert!(!by_tag.matches(&finding("PILLAR-EC2-001"), &r));
        by_tag.tag = TagMatch::parse("Team");
        assert!(by_tag.matches(&finding("PILLAR-EC2-001"), &r));
    }

    #[test]
    fn expiry_is_inclusive_and_warned_ahead() {
        let m = mute();
        let day = |s| Date::parse(s).expect("date");
        assert_eq!(m.state(day("2026-11-23")), MuteState::Active);
        assert_eq!(m.state(day("2027-01-20")), MuteState::ExpiringSoon);
        assert_eq!(m.state(day("2027-01-31")), MuteState::ExpiringSoon);
        assert_eq!(m.state(day("2027-02-01")), MuteState::Expired);
        assert!(m.describe().contains("until 2027-01-31"));
    }
}
