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

use std::path::Path;

use anyhow::{Context, Result, bail};
use pillar_evaluate::PackInfo;
use pillar_report::{Date, Mute, Pattern, TagMatch};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MuteSpec {
    rule: String,
    resource: Option<String>,
    tag: Option<String>,
    account: Option<String>,
    region: Option<String>,
    reason: Option<String>,
    owner: Option<String>,
    expires: Option<toml::Value>,
}

/// Reads the `[[mute]]` tables of each file (the configuration file first,
/// then `--mutes` files) and checks them against the loaded packs.
pub fn load(files: &[&Path], packs: &[PackInfo]) -> Result<Vec<Mute>> {
    let mut mutes = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let found = parse(&text, &path.display().to_string(), packs)
            .with_context(|| path.display().to_string())?;
        mutes.extend(found);
    }
    Ok(mutes)
}

fn parse(text: &str, file: &str, packs: &[PackInfo]) -> Result<Vec<Mute>> {
    let mut table: toml::Table = toml::from_str(text)?;
    let Some(value) = table.remove("mute") else {
        return Ok(Vec::new());
    };
    let specs: Vec<MuteSpec> = value
        .try_into()
        .context("`mute` must be an array of tables: [[mute]]")?;
    specs
        .into_iter()
        .enumerate()
        .map(|(i, spec)| {
            let origin = format!("{file}, mute #{}", i + 1);
            check(spec, packs, &origin).with_context(|| format!("mute #{} ", i + 1))
        })
        .collect()
}

fn check(spec: MuteSpec, packs: &[PackInfo], origin: &str) -> Result<Mute> {
    let required = |v: Option<String>, name: &str| -> Result<String> {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .with_context(|| format!("`{name}` is required (reason, owner and expires always are)"))
    };
    let reason = required(spec.reason, "reason")?;
    let owner = required(spec.owner, "owner")?;
    let expires = match spec.expires {
        None => bail!("`expires` is required (reason, owner and expires always are)"),
        // A bare TOML date (`2027-01-31`) or a string.
        Some(toml::Value::Datetime(d)) => Date::parse(&d.to_string())?,
        Some(toml::Value::String(s)) => Date::parse(&s)?,
        Some(other) => bail!("`expires` must be a date such as 2027-01-31, not {other}"),
    };
    if spec.resource.is_none() && spec.tag.is_none() {
        bail!(
            "name the resources with `resource` (an ARN or address pattern; \"*\" for all) or `tag`"
        );
    }
    let is_pattern = spec.rule.contains(['*', '?']);
    let known = packs
        .iter()
        .flat_map(|p| &p.rules)
        .any(|r| r.id.eq_ignore_ascii_case(&spec.rule));
    if !is_pattern && !known {
        bail!("unknown rule id {:?} (see `pillar rules list`)", spec.rule);
    }
    let tag = match spec.tag {
        Some(t) => Some(
            TagMatch::parse(&t).with_context(|| format!("`tag` {t:?} must be Key=Value or Key"))?,
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
