//! The accounts list: `[[account]]` tables in an accounts file
//! (`--accounts FILE`) or in pillar.toml.
//!
//! ```toml
//! [[account]]
//! id = "111111111111"                                    # required
//! name = "prod"                                          # optional label
//! role_arn = "arn:aws:iam::111111111111:role/pillar-audit"
//! external_id = "acme-audit"                             # optional
//! regions = ["eu-west-1"]                                # optional
//! ```
//!
//! Every mistake (an unknown key, an id that is not 12 digits, an id listed
//! twice, a role in another account than its id) is an error naming the
//! file and the line, before any call is made: a typo must not silently
//! skip an account.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::Lines;
use crate::ProjectError;

/// One account to collect. The command line turns it into the collector's
/// own type; this crate stays free of the AWS SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSpec {
    pub id: String,
    pub name: Option<String>,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub regions: Vec<String>,
}

/// An `[[account]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccount {
    id: String,
    name: Option<String>,
    role_arn: Option<String>,
    external_id: Option<String>,
    #[serde(default)]
    regions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    account: Vec<Spanned<RawAccount>>,
}

/// Reads an accounts file (`--accounts FILE`): `[[account]]` tables and
/// nothing else.
pub fn load_file(path: &Path) -> Result<Vec<AccountSpec>, ProjectError> {
    let text = super::read(path)?;
    parse_file(&text, path)
}

fn parse_file(text: &str, path: &Path) -> Result<Vec<AccountSpec>, ProjectError> {
    let file: AccountsFile = toml::from_str(text).map_err(|e| ProjectError::toml(path, e))?;
    if file.account.is_empty() {
        return Err(ProjectError::File {
            path: path.to_owned(),
            message: "no [[account]] table: an accounts file lists at least one account".into(),
        });
    }
    check(file.account, path, &Lines(text))
}

pub(super) fn check(
    entries: Vec<Spanned<RawAccount>>,
    path: &Path,
    lines: &Lines<'_>,
) -> Result<Vec<AccountSpec>, ProjectError> {
    let mut seen = BTreeSet::new();
    let mut accounts = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let line = lines.of(&entry);
        let e = entry.into_inner();
        let fail = |what: String| {
            ProjectError::at(
                path,
                line,
                format!("[[account]] number {} (id {:?}): {what}", i + 1, e.id),
            )
        };
        if e.id.len() != 12 || !e.id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail("an account id is 12 digits".into()));
        }
        if !seen.insert(e.id.clone()) {
            return Err(fail(format!("account {} is listed twice", e.id)));
        }
        if let Some(arn) = &e.role_arn {
            let parts: Vec<&str> = arn.split(':').collect();
            let is_role = parts.len() == 6
                && parts[0] == "arn"
                && parts[2] == "iam"
                && parts[5].starts_with("role/");
            if !is_role {
                return Err(fail(format!(
                    "role_arn {arn:?} is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
                )));
            }
            if parts[4] != e.id {
                return Err(fail(format!(
                    "role_arn {arn:?} is in account {}, not {}",
                    parts[4], e.id
                )));
            }
        }
        if let Some(r) = e.regions.iter().find(|r| r.trim().is_empty()) {
            return Err(fail(format!("region {r:?} is empty")));
        }
        accounts.push(AccountSpec {
            id: e.id,
            name: e.name,
            role_arn: e.role_arn,
            external_id: e.external_id,
            regions: e.regions,
        });
    }
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_file(text: &str) -> Result<Vec<AccountSpec>, ProjectError> {
        super::parse_file(text, Path::new("accounts.toml"))
    }

    /// The `[[account]]` tables of a pillar.toml, as a project reads them.
    fn parse_config(text: &str) -> Result<Option<Vec<AccountSpec>>, ProjectError> {
        Ok(super::super::Project::parse(text, Path::new("pillar.toml"))?.accounts)
    }

    const GOOD: &str = r#"
[[account]]
id = "222222222222"
name = "staging"
role_arn = "arn:aws:iam::222222222222:role/pillar-audit"
external_id = "x"
regions = ["eu-west-1"]

[[account]]
id = "111111111111"
"#;

    #[test]
    fn a_file_lists_accounts_with_their_settings() {
        let accounts = parse_file(GOOD).expect("valid");
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0].id, "222222222222");
        assert_eq!(accounts[0].name.as_deref(), Some("staging"));
        assert_eq!(accounts[0].external_id.as_deref(), Some("x"));
        assert_eq!(accounts[0].regions, ["eu-west-1"]);
        assert_eq!(accounts[1].role_arn, None);
        assert!(accounts[1].regions.is_empty());
    }

    #[test]
    fn the_config_may_carry_accounts_among_other_tables() {
        let text = format!("[rules.\"PILLAR-EC2-001\"]\nenabled = false\n{GOOD}");
        let accounts = parse_config(&text).expect("valid").expect("some");
        assert_eq!(accounts.len(), 2);
        assert_eq!(parse_config("[plugins]\n").expect("valid"), None);
        let typo = parse_config("[[account]]\nid = \"111111111111\"\nrole = \"x\"\n")
            .expect_err("unknown key");
        assert!(format!("{typo:#}").contains("role"), "{typo:#}");
    }

    #[test]
    fn mistakes_are_errors_that_say_what_is_wrong() {
        for (text, expected) in [
            ("", "no [[account]] table"),
            ("[[account]]\nname = \"x\"\n", "missing field `id`"),
            ("[[account]]\nid = \"1234\"\n", "12 digits"),
            ("[[account]]\nid = 111111111111\n", "invalid type"),
            (
                "[[account]]\nid = \"111111111111\"\n[[account]]\nid = \"111111111111\"\n",
                "listed twice",
            ),
            (
                "[[account]]\nid = \"111111111111\"\nrole_arn = \"arn:aws:iam::222222222222:role/a\"\n",
                "is in account 222222222222, not 111111111111",
            ),
            (
                "[[account]]\nid = \"111111111111\"\nrole_arn = \"pillar-audit\"\n",
                "is not a role ARN",
            ),
            (
                "[[account]]\nid = \"111111111111\"\nregion = [\"x\"]\n",
                "region",
            ),
            ("[[accounts]]\nid = \"111111111111\"\n", "accounts"),
            (
                "[[account]]\nid = \"111111111111\"\nregions = [\"\"]\n",
                "empty",
            ),
            ("[[account]\n", "TOML"),
        ] {
            let err = format!("{:#}", parse_file(text).expect_err(text));
            assert!(
                err.contains(expected) || (expected == "TOML" && !err.is_empty()),
                "{text}: {err}"
            );
        }
    }
}
