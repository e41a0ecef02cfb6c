//! Builds every package under `plugins/testing/` for `wasm32-wasip2` and
//! generates `$OUT_DIR/packs.rs`: one path constant per component, named
//! after the package (`pillar-testing-infinite-loop` -> `INFINITE_LOOP`).

use std::fmt::Write as _;

use pillar_guest_build::{Guests, packages_under, repository_root, watch};

fn main() {
    pillar_guest_build::main(run);
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
    pillar_guest_build::write_generated("packs.rs", &code)
}
