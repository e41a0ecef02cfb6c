//! `pillar rules new`: a standalone plugin crate with the SDK vendored, one
//! example rule, a fixture case and a native test.

use std::path::{Path, PathBuf};

use crate::AuthoringError;

include!(concat!(env!("OUT_DIR"), "/vendored.rs"));

const CARGO_TOML: &str = include_str!("template/Cargo.toml.tmpl");
const SDK_CARGO_TOML: &str = include_str!("template/sdk-Cargo.toml.tmpl");
const LIB_RS: &str = include_str!("template/lib.rs.tmpl");
const NATIVE_RS: &str = include_str!("template/native.rs.tmpl");
const SNAPSHOT: &str = include_str!("template/buckets.snapshot.json");
const EXPECTED: &str = include_str!("template/buckets.expected.json");
const README: &str = include_str!("template/README.md.tmpl");
const GITIGNORE: &str = include_str!("template/gitignore.tmpl");

/// What `new_plugin` wrote.
#[derive(Debug)]
pub struct Scaffold {
    pub dir: PathBuf,
    /// The example rule's id, e.g. `ACME-TAGS-001`.
    pub rule_id: String,
    /// The component `cargo build --release --target wasm32-wasip2` makes,
    /// relative to `dir` (without a CARGO_TARGET_DIR override).
    pub component: PathBuf,
}

/// Writes a new plugin crate `name` into `parent/name`.
pub fn new_plugin(name: &str, parent: &Path) -> Result<Scaffold, AuthoringError> {
    check_name(name)?;
    let dir = parent.join(name);
    if dir.exists() && dir.read_dir().map_or(true, |mut d| d.next().is_some()) {
        return Err(AuthoringError::Exists(dir));
    }
    let crate_ident = name.replace('-', "_");
    let rule_id = format!("{}-001", name.to_ascii_uppercase());
    let fill = |template: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{crate}}", &crate_ident)
            .replace("{{rule_id}}", &rule_id)
            .replace("{{pillar_version}}", env!("CARGO_PKG_VERSION"))
            .replace("{{contract}}", pillar_evaluate::CONTRACT_VERSION)
    };
    let mut files: Vec<(String, String)> = vec![
        ("Cargo.toml".into(), fill(CARGO_TOML)),
        ("src/lib.rs".into(), fill(LIB_RS)),
        ("tests/native.rs".into(), fill(NATIVE_RS)),
        ("tests/buckets.snapshot.json".into(), SNAPSHOT.to_owned()),
        ("tests/buckets.expected.json".into(), fill(EXPECTED)),
        ("README.md".into(), fill(README)),
        (".gitignore".into(), GITIGNORE.to_owned()),
        (
            "vendor/pillar-rule-sdk/Cargo.toml".into(),
            fill(SDK_CARGO_TOML),
        ),
    ];
    files.extend(
        VENDORED
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned())),
    );
    for (relative, text) in &files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| AuthoringError::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| AuthoringError::io(&path, e))?;
    }
    Ok(Scaffold {
        component: Path::new("target/wasm32-wasip2/release").join(format!("{crate_ident}.wasm")),
        dir,
        rule_id,
    })
}

/// A crate name that also makes a valid pack name and rule-id prefix.
fn check_name(name: &str) -> Result<(), AuthoringError> {
    let ok = (2..=48).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        // The rule-id prefix would read as a built-in one, which the host
        // refuses from a third-party pack.
        && !pillar_evaluate::is_reserved_rule_id(name);
    if ok {
        Ok(())
    } else {
        Err(AuthoringError::BadName(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("acme-tags").is_ok());
        for bad in [
            "",
            "A",
            "Acme",
            "1pack",
            "pack-",
            "a--b",
            "a_b",
            "x",
            "pillar-tags",
            "p1llar",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_scaffold_vendors_the_sdk_and_the_contract() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let s = new_plugin("acme-tags", tmp.path()).expect("scaffold");
        assert_eq!(s.rule_id, "ACME-TAGS-001");
        for file in [
            "Cargo.toml",
            "src/lib.rs",
            "tests/native.rs",
            "tests/buckets.expected.json",
            "vendor/pillar-rule-sdk/src/lib.rs",
            "vendor/pillar-rule-sdk/src/tags.rs",
            "wit/v0.2/rules.wit",
        ] {
            let text = std::fs::read_to_string(s.dir.join(file)).expect(file);
            assert!(!text.contains("{{"), "{file} has an unfilled placeholder");
        }
        let lib = std::fs::read_to_string(s.dir.join("src/lib.rs")).expect("lib.rs");
        assert!(lib.contains("\"ACME-TAGS-001\"") && lib.contains("name: \"acme-tags\""));
        // pillar's own catalog stays out of a third-party pack.
        assert!(!s.dir.join("vendor/pillar-rule-sdk/catalog.toml").exists());
        assert!(!s.dir.join("vendor/pillar-rule-sdk/build.rs").exists());
        assert!(VENDORED.iter().all(|(path, _)| !path.contains("catalog")));
        let err = new_plugin("acme-tags", tmp.path()).expect_err("exists");
        assert!(matches!(err, AuthoringError::Exists(_)), "{err}");
    }

    /// The vendored SDK must build like the in-tree one: same dependencies.
    #[test]
    fn vendored_sdk_dependencies_match_the_plugins_workspace() {
        let workspace = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plugins/Cargo.toml"),
        )
        .expect("plugins/Cargo.toml");
        for line in SDK_CARGO_TOML
            .lines()
            .filter(|l| l.starts_with("serde") || l.starts_with("wit-bindgen"))
        {
            assert!(
                workspace.lines().any(|w| w == line),
                "{line:?} is not in plugins/Cargo.toml [workspace.dependencies]"
            );
        }
    }
}
