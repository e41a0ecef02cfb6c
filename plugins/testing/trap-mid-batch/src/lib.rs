//! Hostile test pack: reports the first resource of a batch, then traps.
//! The host must drop the half-finished batch, not report it. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-trap-mid-batch",
            "TEST-HALF-001",
            "Traps halfway through a batch",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        for (i, r) in batch.iter().enumerate() {
            if i == batch.len() / 2 && i > 0 {
                panic!("rule pack bug at resource {i} of {}", batch.len());
            }
            out.fail("TEST-HALF-001", i, format!("half-done: {}", r.id), None);
        }
        if batch.len() < 2 {
            panic!("rule pack bug on a batch of {}", batch.len());
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
