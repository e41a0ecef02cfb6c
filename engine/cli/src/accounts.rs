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
//! file, before any call is made: a typo must not silently skip an account.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result, bail};
use pillar_collect::Account;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    account: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    name: Option<String>,
    role_arn: Option<String>,
    external_id: Option<String>,
    #[serde(default)]
    regions: Vec<String>,
}

/// Reads an accounts file: `[[account]]` tables and nothing else.
pub fn load_file(path: &Path) -> Result<Vec<Account>> {
    let text = read(path)?;
    parse_file(&text).with_context(|| format!("in {}", path.display()))
}

/// The `[[account]]` tables of a pillar.toml, or `None` when it has none.
/// Other tables belong to other parts of the configuration.
pub fn load_config(path: &Path) -> Result<Option<Vec<Account>>> {
    let text = read(path)?;
    parse_config(&text).with_context(|| format!("in {}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn parse_file(text: &str) -> Result<Vec<Account>> {
    let file: AccountsFile = toml::from_str(text)?;
    if file.account.is_empty() {
        bail!("no [[account]] table: an accounts file lists at least one account");
    }
    check(file.account)
}

fn parse_config(text: &str) -> Result<Option<Vec<Account>>> {
    let mut table: toml::Table = toml::from_str(text)?;
    let Some(accounts) = table.remove("account") else {
        return Ok(None);
    };
    let file: AccountsFile = toml::Table::from_iter([("account".to_owned(), accounts)])
        .try_into()
        .context("in [[account]]")?;
    check(file.account).map(Some)
}

fn check(entries: Vec<Entry>) -> Result<Vec<Account>> {
    let mut seen = BTreeSet::new();
    let mut accounts = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        let at = || format!("[[account]] number {} (id {:?})", i + 1, e.id);
        if e.id.len() != 12 || !e.id.bytes().all(|b| b.is_ascii_digit()) {
            bail!("{}: an account id is 12 digits", at());
        }
        if !seen.insert(e.id.clone()) {
            bail!("{}: account {} is listed twice", at(), e.id);
        }
        if let Some(arn) = &e.role_arn {
            let parts: Vec<&str> = arn.split(':').collect();
            let is_role = parts.len() == 6
                && parts[0] == "arn"
                && parts[2] == "iam"
                && parts[5].starts_with("role/");
            if !is_role {
                bail!(
                    "{}: role_arn {arn:?} is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                    at()
                );
            }
            if parts[4] != e.id {
                bail!(
                    "{}: role_arn {arn:?} is in account {}, not {}",
                    at(),
                    parts[4],
                    e.id
                );
            }
        }
        if let Some(r) = e.regions.iter().find(|r| r.trim().is_empty()) {
            bail!("{}: region {r:?} is empty", at());
        }
        accounts.push(Account {
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
