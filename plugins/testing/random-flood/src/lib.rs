//! Hostile test pack: asks the host for a gigabyte of random bytes in one
//! call (the host allocates the answer before the guest sees it). Never
//! ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-random-flood",
            "TEST-RANDOM-001",
            "Asks for a gigabyte of random bytes",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let bytes = wasip2::random::random::get_random_bytes(1 << 30);
        out.fail("TEST-RANDOM-001", 0, format!("got {}", bytes.len()), None);
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
