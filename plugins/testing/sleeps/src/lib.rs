//! Hostile test pack: sleeps inside a WASI host call (a monotonic-clock
//! wait on a pollable) in evaluate, where epoch interruption cannot reach
//! it. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-sleeps",
            "TEST-SLEEP-001",
            "Sleeps for an hour in evaluate",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // std's sleep waits on wasi:io/poll; blocking a pollable directly
        // is the other road to the same wait.
        std::thread::sleep(std::time::Duration::from_secs(3600));
        wasip2::clocks::monotonic_clock::subscribe_duration(3_600_000_000_000).block();
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
