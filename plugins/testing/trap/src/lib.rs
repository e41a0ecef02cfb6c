//! Hostile test pack: panics in evaluate. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info("pillar-testing-trap", "TEST-TRAP-001", "Panics in evaluate")
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // panic = "abort" turns this into a wasm trap.
        panic!(
            "rule pack bug: {} resources of {kind} were too many",
            batch.len()
        );
    }
}

pillar_rule_sdk::register!(Pack);
