//! Hostile test pack: lists a rule id a kilobyte long. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        let mut info = pillar_testing_common::info(
            "pillar-testing-long-rule-id",
            "TEST-META-001",
            "lists a rule id a kilobyte long",
        );
        info.rules[0].id = "X".repeat(1024);
        info
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
