//! Hostile test pack: spins forever in evaluate. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        PackInfo {
            name: "pillar-testing-infinite-loop".into(),
            version: "0.0.1".into(),
            rules: vec![rule(
                "TEST-LOOP-001",
                "Spins forever in evaluate",
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
        // Never returns: the host's epoch deadline must stop it.
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
}

pillar_rule_sdk::register!(Pack);
