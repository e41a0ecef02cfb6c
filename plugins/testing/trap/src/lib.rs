//! Hostile test pack: panics in evaluate. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        PackInfo {
            name: "pillar-testing-trap".into(),
            version: "0.0.1".into(),
            rules: vec![rule(
                "TEST-TRAP-001",
                "Panics in evaluate",
                Severity::Low,
                Pillar::Security,
                "SEC01-BP01",
                &["aws_security_group"],
                "A sandbox test. It must be stopped without harming the scan.",
                "https://github.com/pillar-scan/pillar/tree/main/plugins/testing",
            )],
        }
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // panic = "abort" turns this into a wasm trap.
        panic!(
            "rule pack bug: {} resources of {kind} were too many",
            batch.len()
        );
    }
}

pillar_rule_sdk::register!(Pack);
