//! Pack metadata for unit tests of the configuration readers.

use pillar_evaluate::{PackInfo, Pillar, RuleInfo, Severity};

/// One pack with one low-severity security rule, `id`, whose help is `help`
/// (rule parameters are declared in the help's table, as a 0.1 pack does).
pub fn one_rule(id: &str, help: &str) -> Vec<PackInfo> {
    vec![PackInfo {
        name: "p".into(),
        version: "0.1.0".into(),
        contract: "0.1.0".into(),
        sha256: String::new(),
        origin: "test".into(),
        rules: vec![RuleInfo {
            id: id.into(),
            title: "t".into(),
            severity: Severity::Low,
            pillar: Pillar::Security,
            best_practice: "SEC01-BP01".into(),
            resource_kinds: vec!["aws_security_group".into()],
            help: help.into(),
            help_uri: String::new(),
            parameters: pillar_evaluate::parameters_in_help(help),
            compliance: Vec::new(),
        }],
        cache_hit: false,
    }]
}
