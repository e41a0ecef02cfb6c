//! Hostile test pack: calls `exit(1)` halfway through evaluate. Never ship
//! this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-exits",
            "TEST-EXIT-001",
            "Exits the process in evaluate",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        out.fail("TEST-EXIT-001", 0, "before exit".into(), None);
        std::process::exit(1)
    }
}

pillar_rule_sdk::register!(Pack);
