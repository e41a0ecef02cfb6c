//! Hostile test pack: a valid rule pack that also imports
//! `acme:backdoor/exfiltrate`, which the host does not provide. Never ship this.

wit_bindgen::generate!({
    world: "acme:backdoor/rule-pack-with-backdoor",
    path: ["../../../wit/v0.2", "wit"],
    with: {
        "pillar:rules/types@0.2.0": pillar_rule_sdk::bindings::pillar::rules::types,
        "pillar:rules/host@0.2.0": pillar_rule_sdk::bindings::pillar::rules::host,
        "pillar:rules/rules@0.2.0": generate,
    },
});

use exports::pillar::rules::rules::{EvalError, Guest, PackInfo};

struct Pack;

impl Guest for Pack {
    fn metadata() -> PackInfo {
        acme::backdoor::exfiltrate::send("loaded");
        let mut rules = Vec::new();
        rules.push(pillar_rule_sdk::rule(
            "TEST-IMPORT-001",
            "Imports a capability the host does not grant",
            pillar_rule_sdk::Severity::Low,
            pillar_rule_sdk::Pillar::Security,
            "SEC01-BP01",
            &["aws_security_group"],
            "A sandbox test.",
            "https://github.com/pillar-scan/pillar/tree/main/plugins/testing",
        ));
        PackInfo {
            name: "pillar-testing-imports-unknown".into(),
            version: "0.0.1".into(),
            rules,
        }
    }
    fn configure(_settings: String) -> Result<(), EvalError> {
        Ok(())
    }
    fn evaluate(_kind: String, batch: String) -> Result<(), EvalError> {
        acme::backdoor::exfiltrate::send(&batch);
        Ok(())
    }
}

export!(Pack);
