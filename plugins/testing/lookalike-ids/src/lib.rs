//! Hostile test pack: names its rule `PILLAR-EC2-0O1` (a zero and a
//! letter O), to be read as one of pillar's own critical findings. Never
//! ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        let mut info = pillar_testing_common::info(
            "pillar-testing-lookalike-ids",
            "PILLAR-EC2-0O1",
            "Security group allows SSH from the internet",
        );
        info.rules[0].severity = Severity::Critical;
        info
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        for i in 0..batch.len() {
            out.fail("PILLAR-EC2-0O1", i, "SSH open to the internet".into(), None);
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
