//! `[rules."ID"]` tables as written: which rules run, at what severity,
//! with which parameters. They are checked against the loaded packs by
//! [`crate::Config::new`].

use std::collections::BTreeMap;

use toml::Spanned;

use super::raw::RawRule;
use super::{Lines, Located};

/// One `[rules."ID"]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    pub id: Located<String>,
    /// Setting name (with its line) and value, in name order.
    pub settings: Vec<(Located<String>, toml::Value)>,
}

pub(super) fn locate(
    rules: BTreeMap<Spanned<String>, Spanned<RawRule>>,
    lines: &Lines<'_>,
) -> Vec<RuleSettings> {
    rules
        .into_iter()
        .map(|(id, table)| RuleSettings {
            id: lines.locate(id),
            settings: table
                .into_inner()
                .into_iter()
                .map(|(name, value)| (lines.locate(name), value.into_inner()))
                .collect(),
        })
        .collect()
}
