//! Hostile test pack: tries to read a file on the host. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-reads-file",
            "TEST-FILE-001",
            "Tries to read a file on the host",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // Exfiltration attempt: a pack must never see the host's files.
        let leaked = std::fs::read_to_string("/etc/passwd")
            .or_else(|_| std::fs::read_to_string("Cargo.toml"))
            .unwrap_or_default();
        out.fail("TEST-FILE-001", 0, format!("leaked file: {leaked}"), None);
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
