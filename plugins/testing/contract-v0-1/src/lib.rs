//! A rule pack exactly as a third party built one against contract 0.1
//! (`wit/v0.1/rules.wit`), before 0.2 existed: raw bindings, no SDK, and
//! its one parameter declared the 0.1 way, as a table in `help`. The host
//! must load it unchanged, read the parameter out of the help, and run it
//! beside 0.2 packs in one scan.
//!
//! TEST-V01-001: every security group has a description of at least
//! `min_length` characters.

use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::Value;

wit_bindgen::generate!({ world: "rule-pack", path: "../../../wit/v0.1" });

use exports::pillar::rules::rules::{EvalError, Guest, PackInfo};
use pillar::rules::host;
use pillar::rules::types::{Finding, Pillar, RuleInfo, Severity, Verdict};

const RULE_ID: &str = "TEST-V01-001";
const KIND: &str = "aws_security_group";

/// What `configure` set; 1 until then.
static MIN_LENGTH: AtomicI64 = AtomicI64::new(1);

const HELP: &str = "## What it checks\n\n\
Every security group has a description, so that whoever reads the rules \
knows what they are for.\n\n\
## Parameters\n\n\
| Parameter | Type | Default | Meaning |\n\
|---|---|---|---|\n\
| `min_length` | integer | `1` | Shortest description accepted. |\n";

struct Pack;

impl Guest for Pack {
    fn metadata() -> PackInfo {
        PackInfo {
            name: "pillar-testing-contract-v0-1".into(),
            version: "0.1.0".into(),
            rules: vec![RuleInfo {
                id: RULE_ID.into(),
                title: "Security groups describe themselves".into(),
                severity: Severity::Low,
                pillar: Pillar::OperationalExcellence,
                best_practice: "OPS05-BP01".into(),
                resource_kinds: vec![KIND.into()],
                help: HELP.into(),
                help_uri:
                    "https://github.com/pillar-scan/pillar/tree/main/plugins/testing/contract-v0-1"
                        .into(),
            }],
        }
    }

    fn configure(settings: String) -> Result<(), EvalError> {
        let settings: Value = serde_json::from_str(&settings)
            .map_err(|e| EvalError::BadInput(format!("settings: {e}")))?;
        if let Some(n) = settings
            .get(RULE_ID)
            .and_then(|r| r.get("min_length"))
            .and_then(Value::as_i64)
        {
            MIN_LENGTH.store(n, Ordering::Relaxed);
        }
        Ok(())
    }

    fn evaluate(kind: String, batch: String) -> Result<(), EvalError> {
        if kind != KIND {
            return Err(EvalError::UnsupportedKind(kind));
        }
        let batch: Vec<Value> =
            serde_json::from_str(&batch).map_err(|e| EvalError::BadInput(format!("batch: {e}")))?;
        let min = usize::try_from(MIN_LENGTH.load(Ordering::Relaxed)).unwrap_or(0);
        for (i, sg) in batch.iter().enumerate() {
            let unknown = sg["unknown"]
                .as_array()
                .is_some_and(|u| u.iter().any(|p| p == "/description" || p == ""));
            let description = sg["attributes"]["description"].as_str().unwrap_or_default();
            let (verdict, message) = if unknown {
                (
                    Verdict::Unknown,
                    "the description is not known until apply".to_owned(),
                )
            } else if description.chars().count() < min {
                (
                    Verdict::Fail,
                    format!("the description {description:?} is shorter than {min} characters"),
                )
            } else {
                continue;
            };
            host::emit(&Finding {
                rule_id: RULE_ID.into(),
                resource_index: u32::try_from(i).unwrap_or(u32::MAX),
                verdict,
                message,
                evidence: Some("/description".into()),
                severity: None,
            });
        }
        Ok(())
    }
}

export!(Pack);
