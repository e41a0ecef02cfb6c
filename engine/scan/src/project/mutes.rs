//! Mutes: `[[mute]]` tables in pillar.toml or in a file named by `--mutes`.
//!
//! ```toml
//! [[mute]]
//! rule = "PILLAR-EC2-001"                 # a rule id, or a pattern: "PILLAR-TAG-*"
//! resource = "arn:aws:ec2:*:*:security-group/sg-0bastion*"   # ARN or address pattern
//! tag = "Environment=sandbox"             # or: the resource carries this tag
//! account = "111111111111"                # optional pattern
//! region = "eu-*"                         # optional pattern
//! reason = "bastion host, reviewed in SEC-142"
//! owner = "alice@example.com"
//! expires = 2027-01-31                    # last day in force
//! ```
//!
//! `reason`, `owner` and `expires` are mandatory: an accepted risk without
//! them is how risks get forgotten. A mute must name its resources (with
//! `resource`, `tag` or both; `resource = "*"` mutes the rule everywhere,
//! which is then a choice written down, not an accident). A rule id with no
//! wildcard must be a rule of the loaded packs, so typos are caught.
//!
//! A mute is read with its line ([`MuteSpec`]) when the file is parsed, and
//! becomes a [`Mute`] once the packs are loaded, before any pack runs.

use std::fmt;
use std::path::Path;

use pillar_evaluate::PackInfo;
use pillar_triage::{Date, Mute, Pattern, TagMatch};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use super::{Lines, Located};
use crate::ProjectError;

/// One `[[mute]]` table as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MuteSpec {
    pub rule: String,
    pub resource: Option<String>,
    pub tag: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<toml::Value>,
}

/// The `mute` key: an array of tables, with each table's position. Its
/// own visitor so that `mute = 1` is told what shape a mute has.
#[derive(Default)]
pub(super) struct MuteList(pub Vec<Spanned<MuteSpec>>);

impl<'de> Deserialize<'de> for MuteList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MuteList, D::Error> {
        d.deserialize_seq(MuteListVisitor)
    }
}

struct MuteListVisitor;

impl<'de> Visitor<'de> for MuteListVisitor {
    type Value = MuteList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`mute` as an array of tables: [[mute]]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MuteList, A::Error> {
        let mut list = Vec::new();
        while let Some(spec) = seq.next_element()? {
            list.push(spec);
        }
        Ok(MuteList(list))
    }
}

/// A `--mutes FILE`: its `[[mute]]` tables; other tables are ignored, so
/// that a pillar.toml can serve as a mutes file too.
#[derive(Deserialize)]
struct MutesFile {
    #[serde(default)]
    mute: MuteList,
}

pub(super) fn locate(list: Vec<Spanned<MuteSpec>>, lines: &Lines<'_>) -> Vec<Located<MuteSpec>> {
    list.into_iter().map(|m| lines.locate(m)).collect()
}

/// Reads the `[[mute]]` tables of a `--mutes` file and checks them against
/// the loaded packs.
pub fn load_file(path: &Path, packs: &[PackInfo]) -> Result<Vec<Mute>, ProjectError> {
    let text = super::read(path)?;
    parse_file(&text, path, packs)
}

fn parse_file(text: &str, path: &Path, packs: &[PackInfo]) -> Result<Vec<Mute>, ProjectError> {
    let file: MutesFile = toml::from_str(text).map_err(|e| ProjectError::toml(path, e))?;
    check_all(&locate(file.mute.0, &Lines(text)), path, packs)
}

/// Turns the mutes written in `path` into [`Mute`]s, numbered from 1.
pub(super) fn check_all(
    specs: &[Located<MuteSpec>],
    path: &Path,
    packs: &[PackInfo],
) -> Result<Vec<Mute>, ProjectError> {
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let origin = format!("{}, mute #{}", path.display(), i + 1);
            check(spec.value.clone(), packs, &origin).map_err(|message| {
                ProjectError::at(path, spec.line, format!("mute #{}: {message}", i + 1))
            })
        })
        .collect()
}

fn check(spec: MuteSpec, packs: &[PackInfo], origin: &str) -> Result<Mute, String> {
    let required = |v: Option<String>, name: &str| -> Result<String, String> {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("`{name}` is required (reason, owner and expires always are)"))
    };
    let reason = required(spec.reason, "reason")?;
    let owner = required(spec.owner, "owner")?;
    let expires = match spec.expires {
        None => return Err("`expires` is required (reason, owner and expires always are)".into()),
        // A bare TOML date (`2027-01-31`) or a string.
        Some(toml::Value::Datetime(d)) => Date::parse(&d.to_string()),
        Some(toml::Value::String(s)) => Date::parse(&s),
        Some(other) => {
            return Err(format!(
                "`expires` must be a date such as 2027-01-31, not {other}"
            ));
        }
    }
    .map_err(|e| e.to_string())?;
    if spec.resource.is_none() && spec.tag.is_none() {
        return Err(
            "name the resources with `resource` (an ARN or address pattern; \"*\" for all) or `tag`"
                .into(),
        );
    }
    let is_pattern = spec.rule.contains(['*', '?']);
    let known = packs
        .iter()
        .flat_map(|p| &p.rules)
        .any(|r| r.id.eq_ignore_ascii_case(&spec.rule));
    if !is_pattern && !known {
        return Err(format!(
            "unknown rule id {:?} (see `pillar rules list`)",
            spec.rule
        ));
    }
    let tag = match spec.tag {
        Some(t) => Some(
            TagMatch::parse(&t).ok_or_else(|| format!("`tag` {t:?} must be Key=Value or Key"))?,
        ),
        None => None,
    };
    Ok(Mute {
        rule: Pattern(spec.rule),
        resource: spec.resource.map(Pattern),
        tag,
        account: spec.account.map(Pattern),
        region: spec.region.map(Pattern),
        reason,
        owner,
        expires,
        origin: origin.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a mutes file named `file`, as `--mutes` does.
    fn parse(text: &str, file: &str, packs: &[PackInfo]) -> Result<Vec<Mute>, ProjectError> {
        parse_file(text, Path::new(file), packs)
    }

    fn packs() -> Vec<PackInfo> {
        crate::test_packs::one_rule("PILLAR-EC2-001", "")
    }

    const GOOD: &str = "[[mute]]\nrule = \"PILLAR-EC2-001\"\nresource = \"arn:*:sg-1\"\n\
        reason = \"bastion\"\nowner = \"alice\"\nexpires = 2027-01-31\n\n\
        [[mute]]\nrule = \"PILLAR-*\"\ntag = \"Environment=sandbox\"\nregion = \"eu-*\"\n\
        reason = \"sandbox\"\nowner = \"bob\"\nexpires = \"2026-01-01\"\n";

    #[test]
    fn mutes_are_read_with_their_expiry() {
        let mutes = parse(GOOD, "pillar.toml", &packs()).expect("valid");
        assert_eq!(mutes.len(), 2);
        assert_eq!(mutes[0].expires.to_string(), "2027-01-31");
        assert_eq!(mutes[0].origin, "pillar.toml, mute #1");
        assert_eq!(
            mutes[1].tag.as_ref().map(ToString::to_string).as_deref(),
            Some("Environment=sandbox")
        );
        assert!(
            parse("[rules]\n", "f", &packs())
                .expect("no mutes")
                .is_empty()
        );
    }

    #[test]
    fn incomplete_or_wrong_mutes_are_errors_that_say_why() {
        let base = "[[mute]]\nrule = \"PILLAR-EC2-001\"\nresource = \"*\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-31\n";
        for (text, want) in [
            (base.replace("reason = \"r\"\n", ""), "`reason` is required"),
            (base.replace("owner = \"o\"\n", ""), "`owner` is required"),
            (
                base.replace("expires = 2027-01-31\n", ""),
                "`expires` is required",
            ),
            (base.replace("2027-01-31", "\"next week\""), "not a date"),
            (base.replace("2027-01-31", "\"2027-02-30\""), "not a date"),
            (base.replace("resource = \"*\"\n", ""), "name the resources"),
            (
                base.replace("PILLAR-EC2-001", "PILLAR-EC2-999"),
                "unknown rule id",
            ),
            (base.replace("owner", "ownr"), "unknown field `ownr`"),
            ("mute = 1\n".to_owned(), "[[mute]]"),
        ] {
            let err = format!("{:#}", parse(&text, "f", &packs()).expect_err(&text));
            assert!(err.contains(want), "{text}\n=> {err}");
        }
    }
}
