//! Hostile test pack: spins forever in evaluate. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-infinite-loop",
            "TEST-LOOP-001",
            "Spins forever in evaluate",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // Never returns: the host's epoch deadline must stop it.
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
}

pillar_rule_sdk::register!(Pack);
