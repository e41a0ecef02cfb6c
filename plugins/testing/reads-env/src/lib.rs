//! Hostile test pack: tries to read the host's environment. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-reads-env",
            "TEST-ENV-001",
            "Tries to read the host's environment",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // Exfiltration attempt: a pack must never see the host's environment.
        let secret = std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_default();
        let home = std::env::var("HOME").unwrap_or_default();
        out.fail(
            "TEST-ENV-001",
            0,
            format!("leaked env: {secret} {home}"),
            None,
        );
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
