//! What every hostile test pack declares: one low-severity rule on security
//! groups, so that the host sends it the same batches as the built-in packs.

use pillar_rule_sdk::prelude::*;

/// Metadata for a hostile pack named `name` with one rule `rule_id`.
pub fn info(name: &str, rule_id: &str, title: &str) -> PackInfo {
    PackInfo {
        name: name.into(),
        version: "0.0.1".into(),
        rules: vec![rule(
            rule_id,
            title,
            Severity::Low,
            Pillar::Security,
            "SEC01-BP01",
            &["aws_security_group"],
            "A sandbox test. It must be stopped without harming the scan.",
            "https://github.com/pillar-scan/pillar/tree/main/plugins/testing",
        )],
    }
}
