//! pillar.toml as written, with the position of every table, before any
//! checking. Sections are matched by hand rather than with
//! `deny_unknown_fields` so that an unknown one gets a message that lists
//! the sections there are, and its line.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use toml::Spanned;

use super::accounts::RawAccount;
use super::mutes::{MuteList, MuteSpec};
use super::plugins::PluginConfig;

/// One `[rules."ID"]` table: setting name to value.
pub(super) type RawRule = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Default)]
pub(super) struct RawProject {
    pub rules: BTreeMap<Spanned<String>, Spanned<RawRule>>,
    pub plugins: Option<Spanned<PluginConfig>>,
    pub mutes: Vec<Spanned<MuteSpec>>,
    pub accounts: Option<Vec<Spanned<RawAccount>>>,
    /// Keys that are no section of pillar.toml.
    pub unknown: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawProject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawProject, D::Error> {
        d.deserialize_map(Sections)
    }
}

struct Sections;

impl<'de> Visitor<'de> for Sections {
    type Value = RawProject;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the tables of a pillar.toml")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawProject, A::Error> {
        let mut raw = RawProject::default();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            match key.get_ref().as_str() {
                "rules" => raw.rules = map.next_value()?,
                "plugins" => raw.plugins = Some(map.next_value()?),
                "mute" => raw.mutes = map.next_value::<MuteList>()?.0,
                "account" => raw.accounts = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    raw.unknown.push(key);
                }
            }
        }
        Ok(raw)
    }
}
