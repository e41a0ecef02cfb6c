//! Host bindings for `pillar:rules@0.1.*` (`wit/v0.1/rules.wit`), the first
//! contract. Kept so that packs built against it load unchanged: see the
//! compatibility policy in wit/README.md for how long.

wasmtime::component::bindgen!({
    path: "../../wit/v0.1",
    world: "rule-pack",
    // Host imports may trap: that is how budgets stop a misbehaving pack.
    imports: { default: trappable },
});

crate::bindings::shared_across_ranges!();

use crate::bindings::{Metadata, RuleMeta};

/// The version these bindings were generated from: the WIT package line.
pub(crate) const VERSION: &str = "0.1.0";

/// Whether a component built against `version` belongs to this range.
#[cfg(test)]
fn compatible(version: &str) -> bool {
    crate::bindings::semver_compatible(VERSION, version)
}

/// 0.1 rules carry neither typed parameters nor compliance references:
/// `declared` stays empty and the host derives both (see `RuleMeta`).
pub(crate) fn metadata(
    instance: &RulePack,
    store: &mut Store<State>,
) -> wasmtime::Result<Metadata> {
    let meta = instance.pillar_rules_rules().call_metadata(store)?;
    Ok(Metadata {
        name: meta.name,
        version: meta.version,
        rules: meta
            .rules
            .into_iter()
            .map(|r| RuleMeta {
                id: r.id,
                title: r.title,
                severity: r.severity.into(),
                pillar: r.pillar.into(),
                best_practice: r.best_practice,
                resource_kinds: r.resource_kinds,
                help: r.help,
                help_uri: r.help_uri,
                declared: None,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_compatibility_follows_wasmtime_semver() {
        assert!(compatible("0.1.0"));
        assert!(compatible("0.1.7"));
        assert!(!compatible("0.2.0"));
        assert!(!compatible("9.0.0"));
        assert!(!compatible("0.1.0-rc1"));
        assert!(!compatible(""));
    }
}
