//! A project's `pillar.toml`, read and parsed once into one typed struct.
//!
//! ```toml
//! [rules."PILLAR-IAM-004"]   # rule settings (rules.rs)
//! max_age_days = 60
//!
//! [plugins]                  # extra packs and sha256 pins (plugins.rs)
//! paths = ["rules/"]
//!
//! [[mute]]                   # accepted risks (mutes.rs)
//! rule = "PILLAR-EC2-001"
//! # ...
//!
//! [[account]]                # accounts to collect (accounts.rs)
//! id = "111111111111"
//! ```
//!
//! [`Project::load`] checks everything a file can be checked for alone:
//! TOML syntax, unknown sections and keys, pins, accounts, mutes' required
//! fields. What needs the loaded packs (that a rule id exists, that a
//! parameter is declared and of its type) is checked by
//! [`Project::config`] and [`Project::mutes`], before any pack runs. Every
//! error names the file and, when it can, the line.

pub mod accounts;
pub mod mutes;
pub mod plugins;
mod raw;
pub mod rules;

use std::path::{Path, PathBuf};

use pillar_evaluate::PackInfo;
use pillar_triage::Mute;

use crate::{Config, ProjectError};

pub use accounts::AccountSpec;
pub use mutes::MuteSpec;
pub use plugins::PluginConfig;
pub use rules::RuleSettings;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "pillar.toml";

/// A value and the line of the file it was written on (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub line: usize,
    pub value: T,
}

/// A parsed `pillar.toml`; the default is the project without one.
#[derive(Debug, Default)]
pub struct Project {
    /// Where it was read from, if anywhere.
    pub path: Option<PathBuf>,
    /// `[rules."ID"]` tables, in id order, as written.
    pub rules: Vec<RuleSettings>,
    /// `[plugins]`, with `paths` resolved against the file's directory.
    pub plugins: PluginConfig,
    /// `[[mute]]` tables, in file order.
    pub mutes: Vec<Located<MuteSpec>>,
    /// `[[account]]` tables; `None` when the file has none, so that other
    /// ways of naming accounts (`--assume-role`) apply.
    pub accounts: Option<Vec<AccountSpec>>,
}

impl Project {
    /// The file to read: `explicit` (`--config`), else `./pillar.toml` if
    /// it exists.
    pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
        match explicit {
            Some(p) => Some(p.to_owned()),
            None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
        }
    }

    /// The project of [`Project::locate`], or the empty one when there is no
    /// file. An explicit file that is missing or malformed is an error.
    pub fn discover(explicit: Option<&Path>) -> Result<Project, ProjectError> {
        match Project::locate(explicit) {
            Some(path) => Project::load(&path),
            None => Ok(Project::default()),
        }
    }

    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Project, ProjectError> {
        let text = read(path)?;
        Project::parse(&text, path)
    }

    /// Parses the text of `path` (which names it in errors and anchors
    /// relative `[plugins] paths`).
    pub fn parse(text: &str, path: &Path) -> Result<Project, ProjectError> {
        let raw: raw::RawProject = toml::from_str(text).map_err(|e| ProjectError::toml(path, e))?;
        let lines = Lines(text);
        if let Some(key) = raw.unknown.first() {
            return Err(ProjectError::at(
                path,
                lines.of(key),
                format!(
                    "unknown section [{}]; pillar.toml has [rules.\"ID\"] tables, [plugins], [[mute]] and [[account]]",
                    key.get_ref()
                ),
            ));
        }
        let plugins = match raw.plugins {
            Some(p) => plugins::check(p, path, &lines)?,
            None => PluginConfig::default(),
        };
        let accounts = match raw.accounts {
            Some(list) => Some(accounts::check(list, path, &lines)?),
            None => None,
        };
        Ok(Project {
            path: Some(path.to_owned()),
            rules: rules::locate(raw.rules, &lines),
            plugins,
            mutes: mutes::locate(raw.mutes, &lines),
            accounts,
        })
    }

    /// The `[rules]` settings, checked against the rules of `packs`.
    pub fn config(&self, packs: &[PackInfo]) -> Result<Config, ProjectError> {
        Config::new(&self.rules, self.name(), packs)
    }

    /// The `[[mute]]` tables, checked against the rules of `packs`.
    pub fn mutes(&self, packs: &[PackInfo]) -> Result<Vec<Mute>, ProjectError> {
        mutes::check_all(&self.mutes, self.name(), packs)
    }

    /// How errors and mute origins name the file.
    fn name(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(DEFAULT_FILE))
    }
}

pub(crate) fn read(path: &Path) -> Result<String, ProjectError> {
    std::fs::read_to_string(path).map_err(|error| ProjectError::Read {
        path: path.to_owned(),
        error,
    })
}

/// Turns the byte offsets of `toml::Spanned` into line numbers.
pub(crate) struct Lines<'a>(pub &'a str);

impl Lines<'_> {
    pub fn of<T>(&self, spanned: &toml::Spanned<T>) -> usize {
        let start = spanned.span().start.min(self.0.len());
        self.0.as_bytes()[..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    pub fn locate<T>(&self, spanned: toml::Spanned<T>) -> Located<T> {
        Located {
            line: self.of(&spanned),
            value: spanned.into_inner(),
        }
    }
}
