//! Hostile test pack: returns a 7 MB error text from evaluate, to blow up
//! the report it is copied into. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-huge-error",
            "TEST-ERROR-001",
            "Returns a 7 MB error",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Err(EvalError::Internal(format!("HUGE{}", "x".repeat(7 << 20))))
    }
}

pillar_rule_sdk::register!(Pack);
