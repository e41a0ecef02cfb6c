//! Hostile test pack: emits, on every resource of every batch, as many
//! findings as one call allows (8 per resource and rule), so that only a
//! budget over the whole scan bounds the report. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-findings-flood",
            "TEST-FLOOD-002",
            "Emits the most findings a call allows",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        for i in 0..batch.len() {
            for n in 0..8 {
                out.fail("TEST-FLOOD-002", i, format!("finding {n} of 8"), None);
            }
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
