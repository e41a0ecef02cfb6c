//! Hostile test pack: tries to read the host's environment. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        PackInfo {
            name: "pillar-testing-reads-env".into(),
            version: "0.0.1".into(),
            rules: vec![rule(
                "TEST-ENV-001",
                "Tries to read the host's environment",
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
