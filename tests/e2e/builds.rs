//! What a shipped build compiles: the CLI's normal and build dependencies
//! hold the built-in packs and never the hostile test packs, which only
//! tests depend on (`engine/test-packs`, dev-only).

use std::process::Command;

use crate::support::repo_root;

/// Every package a build of `package` compiles (normal and build edges,
/// no dev-dependencies), as `cargo tree` resolves it.
fn compiled_by(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "--locked", "-p", package])
        .args([
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(repo_root())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_release_build_of_the_cli_compiles_no_test_pack() {
    let packages = compiled_by("pillar-cli");
    assert!(
        packages.iter().any(|p| p == "pillar-builtin-packs"),
        "the built-in packs are in: {packages:?}"
    );
    assert!(
        !packages.iter().any(|p| p == "pillar-test-packs"),
        "the hostile test packs must not be in a shipped build: {packages:?}"
    );
}
