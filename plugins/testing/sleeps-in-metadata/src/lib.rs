//! Hostile test pack: blocks on a pollable while describing itself, so a
//! host without a stop would hang at load. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        wasip2::clocks::monotonic_clock::subscribe_duration(3_600_000_000_000).block();
        pillar_testing_common::info(
            "pillar-testing-sleeps-in-metadata",
            "TEST-SLEEP-002",
            "Blocks for an hour in metadata",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
