//! Host bindings for `pillar:rules@0.1.*`. A future incompatible contract
//! gets a sibling module; `pack::load` dispatches on the exported name.

wasmtime::component::bindgen!({
    path: "../../wit",
    world: "rule-pack",
    // Host imports may trap: that is how budgets stop a misbehaving pack.
    imports: { default: trappable },
});

pub use exports::pillar::rules::rules::{EvalError, PackInfo as WitPackInfo};
pub use pillar::rules::types::{
    Finding as WitFinding, LogLevel, Pillar as WitPillar, Severity as WitSeverity,
    Verdict as WitVerdict,
};
