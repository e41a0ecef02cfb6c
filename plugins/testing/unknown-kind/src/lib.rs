//! Hostile test pack: declares a resource kind that is not in the resource model. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        let mut info = pillar_testing_common::info(
            "pillar-testing-unknown-kind",
            "TEST-META-001",
            "declares a resource kind that is not in the resource model",
        );
        info.rules[0]
            .resource_kinds
            .push("aws_flux_capacitor".into());
        info
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
