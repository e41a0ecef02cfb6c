//! The `[plugins]` table of pillar.toml: extra rule packs to load and the
//! sha256 pins that guard them.
//!
//! ```toml
//! [plugins]
//! paths = ["rules/acme-tags.wasm", "vendor-rules/"]   # files or directories, relative to this file
//! require_sha256 = true                                # refuse any extra pack not pinned below
//! sha256 = ["3f5a…"]                                    # pins (hex sha256 of the .wasm)
//! ```
//!
//! Only extra packs are pinned: the built-in packs are part of the binary.

use std::path::{Path, PathBuf};

use pillar_evaluate::{FailureKind, PackFailure, PackSource, Stage};
use serde::Deserialize;
use toml::Spanned;

use super::Lines;
use crate::{ProjectError, ScanError};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// Packs to load, resolved against the config file's directory.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Refuse extra packs whose sha256 is not in `sha256`.
    #[serde(default)]
    pub require_sha256: bool,
    /// Pinned hashes (lowercase or uppercase hex).
    #[serde(default)]
    pub sha256: Vec<String>,
}

/// Checks the pins of `[plugins]` in `path` and resolves its paths.
pub(super) fn check(
    plugins: Spanned<PluginConfig>,
    path: &Path,
    lines: &Lines<'_>,
) -> Result<PluginConfig, ProjectError> {
    let line = lines.of(&plugins);
    let mut config = plugins.into_inner();
    for pin in &config.sha256 {
        check_pin(pin)
            .map_err(|e| ProjectError::at(path, line, format!("in [plugins] sha256: {e}")))?;
    }
    let base = path.parent().unwrap_or(Path::new(""));
    for p in &mut config.paths {
        *p = base.join(&*p);
    }
    Ok(config)
}

/// A pin must be a whole hex SHA-256: a prefix would pin nothing.
pub fn check_pin(pin: &str) -> Result<(), String> {
    if pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{pin:?} is not a sha256 (64 hex digits)"));
    }
    Ok(())
}

/// The pin list in force, or `None` when pinning is off. Pinning is on when
/// `--require-sha256` gives any hash or the config sets `require_sha256`.
pub fn pins(config: &PluginConfig, cli: &[String]) -> Result<Option<Vec<String>>, ScanError> {
    for pin in cli {
        check_pin(pin).map_err(ScanError::BadPin)?;
    }
    if cli.is_empty() && !config.require_sha256 {
        return Ok(None);
    }
    Ok(Some(
        config
            .sha256
            .iter()
            .chain(cli)
            .map(|p| p.to_ascii_lowercase())
            .collect(),
    ))
}

/// Splits extra packs into those whose hash is pinned and refusals naming
/// the file and its actual hash.
pub fn enforce(sources: Vec<PackSource>, pins: &[String]) -> (Vec<PackSource>, Vec<PackFailure>) {
    let mut allowed = Vec::new();
    let mut refused = Vec::new();
    for source in sources {
        let actual = source.sha256();
        if pins.contains(&actual) {
            allowed.push(source);
        } else {
            refused.push(PackFailure {
                pack: source.label(),
                origin: source.origin.clone(),
                stage: Stage::Load,
                kind: FailureKind::Unpinned,
                message: format!(
                    "refused {}: its sha256 {actual} is not pinned; if you trust it, add it to \
                     [plugins] sha256 in pillar.toml or pass --require-sha256 {actual}",
                    source.origin
                ),
            });
        }
    }
    (allowed, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a pillar.toml's `[plugins]`, as a project does.
    fn parse(text: &str) -> Result<PluginConfig, ProjectError> {
        Ok(super::super::Project::parse(text, Path::new("pillar.toml"))?.plugins)
    }

    const PIN: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn only_the_plugins_table_is_read() {
        let c = parse(&format!(
            "[rules.PILLAR-EC2-001]\nenabled = false\n\n[plugins]\npaths = [\"a.wasm\"]\n\
             require_sha256 = true\nsha256 = [\"{PIN}\"]\n"
        ))
        .expect("valid");
        assert_eq!(c.paths, [PathBuf::from("a.wasm")]);
        assert!(c.require_sha256);
        assert!(parse("").expect("empty").paths.is_empty());
    }

    #[test]
    fn typos_and_short_pins_are_errors() {
        let typo = parse("[plugins]\npath = [\"a.wasm\"]\n").expect_err("typo");
        assert!(format!("{typo:#}").contains("path"), "{typo:#}");
        let short = parse("[plugins]\nsha256 = [\"9f86d0\"]\n").expect_err("prefix");
        assert!(format!("{short:#}").contains("64 hex digits"));
    }

    #[test]
    fn pinning_is_off_unless_asked_for() {
        let none = PluginConfig::default();
        assert!(pins(&none, &[]).expect("ok").is_none());
        assert_eq!(
            pins(&none, &[PIN.to_uppercase()]).expect("ok"),
            Some(vec![PIN.to_owned()])
        );
        let required = PluginConfig {
            require_sha256: true,
            ..PluginConfig::default()
        };
        assert_eq!(pins(&required, &[]).expect("ok"), Some(vec![]));
    }

    #[test]
    fn unpinned_packs_are_refused_with_their_actual_hash() {
        let source = PackSource {
            origin: "x/test.wasm".into(),
            bytes: b"test".to_vec().into(),
        };
        let (ok, refused) = enforce(vec![source.clone()], &[PIN.to_owned()]);
        // sha256("test") is PIN: allowed.
        assert_eq!((ok.len(), refused.len()), (1, 0));
        let (ok, refused) = enforce(vec![source], &[]);
        assert!(ok.is_empty());
        assert_eq!(refused[0].kind, FailureKind::Unpinned);
        assert!(refused[0].message.contains("x/test.wasm"));
        assert!(refused[0].message.contains(PIN));
    }
}
