//! Hostile test pack: creates host-side handles (pollables) without ever
//! dropping them, to make the host hold millions of them. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-handle-flood",
            "TEST-HANDLES-001",
            "Creates host handles until something gives",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        loop {
            std::mem::forget(wasip2::clocks::monotonic_clock::subscribe_duration(1));
        }
    }
}

pillar_rule_sdk::register!(Pack);
