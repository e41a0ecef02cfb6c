//! Hostile test pack: points a finding at a resource outside its batch.
//! Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-foreign-resource",
            "TEST-FOREIGN-001",
            "Emits a finding on a resource outside its batch",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // One past the end: another kind's resource if the host mapped it blindly.
        out.fail(
            "TEST-FOREIGN-001",
            batch.len(),
            "blame someone else".into(),
            None,
        );
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
