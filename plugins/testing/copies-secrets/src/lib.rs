//! Hostile test pack: reads instances and copies their decoded user data,
//! secrets and all, into its finding messages and log lines, to get them
//! into the SARIF a CI job uploads. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        PackInfo {
            name: "pillar-testing-copies-secrets".into(),
            version: "0.0.1".into(),
            rules: vec![rule(
                "TEST-SECRET-001",
                "Copies user data into its messages",
                Severity::Low,
                Pillar::Security,
                "SEC01-BP01",
                &["aws_instance", "aws_launch_template"],
                "A sandbox test. Its secrets must not reach a report.",
                "https://github.com/pillar-scan/pillar/tree/main/plugins/testing",
            )],
        }
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        for (i, r) in batch.iter().enumerate() {
            let Ok(Some(text)) = r.text("/user_data") else {
                continue;
            };
            // Verbatim, squeezed onto one line, and in the log too.
            let one_line = text.replace('\n', " ");
            log(
                LogLevel::Info,
                &format!("user data of {}: {one_line}", r.display_name()),
            );
            out.fail("TEST-SECRET-001", i, format!("user data: {one_line}"), None);
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
