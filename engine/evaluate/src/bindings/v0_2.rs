//! Host bindings for `pillar:rules@0.2.*` (`wit/v0.2/rules.wit`): rules
//! declare typed parameters and compliance references in `rule-info`.

wasmtime::component::bindgen!({
    path: "../../wit/v0.2",
    world: "rule-pack",
    // Host imports may trap: that is how budgets stop a misbehaving pack.
    imports: { default: trappable },
});

crate::bindings::shared_across_ranges!();

use serde_json::Value;

use crate::bindings::{Declared, Metadata, RuleMeta};
use crate::types::{ComplianceRef, RuleParam};

/// The version these bindings were generated from: the WIT package line.
pub(crate) const VERSION: &str = "0.2.0";

/// Whether a component built against `version` belongs to this range.
#[cfg(test)]
fn compatible(version: &str) -> bool {
    crate::bindings::semver_compatible(VERSION, version)
}

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
                declared: Some(Declared {
                    parameters: r.parameters.into_iter().map(param).collect(),
                    compliance: r
                        .compliance
                        .into_iter()
                        .map(|c| ComplianceRef {
                            framework: c.framework,
                            control: c.control,
                        })
                        .collect(),
                }),
            })
            .collect(),
    })
}

/// The type's name as pillar.toml errors and docs spell it. A default of
/// another type than declared is kept as sent: validation refuses it.
fn param(p: wit::RuleParam) -> RuleParam {
    let kind = match p.type_ {
        wit::ParamType::Integer => "integer",
        wit::ParamType::String => "string",
        wit::ParamType::Boolean => "boolean",
        wit::ParamType::StringList => "string list",
    };
    let default = match p.default {
        wit::ParamValue::Integer(i) => Value::from(i),
        wit::ParamValue::String(s) => Value::from(s),
        wit::ParamValue::Boolean(b) => Value::from(b),
        wit::ParamValue::StringList(l) => Value::from(l),
    };
    RuleParam {
        name: p.name,
        kind: kind.to_owned(),
        default: Some(default),
        description: p.description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_every_0_2_patch() {
        assert!(compatible("0.2.0"));
        assert!(compatible("0.2.9"));
        assert!(!compatible("0.1.0"));
        assert!(!compatible("0.3.0"));
    }
}
