//! Hostile test pack: lists the same rule id twice. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        let mut info = pillar_testing_common::info(
            "pillar-testing-duplicate-rule-ids",
            "TEST-META-001",
            "lists the same rule id twice",
        );
        let again = info.rules[0].clone();
        info.rules.push(again);
        info
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
