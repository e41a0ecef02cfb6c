//! Hostile test pack: declares a rule id that the built-in EC2 pack owns. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        let mut info = pillar_testing_common::info(
            "pillar-testing-steals-rule-id",
            "TEST-META-001",
            "declares a rule id that the built-in EC2 pack owns",
        );
        info.rules[0].id = "PILLAR-EC2-001".into();
        info
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
