//! Builds every package under `plugins/testing/` for `wasm32-wasip2` and
//! generates `$OUT_DIR/packs.rs`: one path constant per component, named
//! after the package (`pillar-testing-infinite-loop` -> `INFINITE_LOOP`).

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use pillar_guest_build::{Guests, packages_under, repository_root, watch};

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let root = repository_root()?;
    watch(&root.join("wit"));
    let packages = packages_under(&root, "testing")?;
    let built = Guests {
        root: &root,
        packages: &packages,
        label: "testing",
    }
    .build()?;
    let mut code = String::new();
    for c in &built {
        let Some(name) = c.stem.strip_prefix("pillar_testing_") else {
            return Err(format!("{}: test packs are named pillar-testing-*", c.stem));
        };
        let _ = writeln!(
            code,
            "pub const {}: &str = {:?};",
            name.to_uppercase(),
            c.path
        );
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    fs::write(out.join("packs.rs"), code).map_err(|e| format!("writing packs.rs: {e}"))
}
