//! Hostile test pack: emits findings without end. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-output-flood",
            "TEST-FLOOD-001",
            "Emits findings without end",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // Valid findings, forever: the host's finding budget must stop it.
        let mut n: u64 = 0;
        loop {
            n += 1;
            out.fail(
                "TEST-FLOOD-001",
                0,
                format!("finding number {n} {}", "x".repeat(200)),
                None,
            );
        }
    }
}

pillar_rule_sdk::register!(Pack);
