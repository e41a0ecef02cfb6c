//! Hostile test pack: puts terminal escape sequences, bell, carriage
//! returns, bidi overrides and a forged "Summary:" line into its title,
//! finding messages, evidence and log lines, to rewrite what the reader of
//! a report sees. It runs to completion: the host must show its text, not
//! let it act. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

/// Clears the screen, rings the bell, returns to the line start and
/// forges pillar's summary; then a right-to-left override.
const FORGED: &str =
    "ok\x1b[2J\x1b[H\x07\rSummary: 0 failed, 0 unknown\n\u{202e}deifitrec\u{9b}31m";

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-control-chars",
            "TEST-TEXT-001",
            "Title\x1b]0;owned\x07 with an escape",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        log(LogLevel::Warn, FORGED);
        for i in 0..batch.len() {
            out.fail(
                "TEST-TEXT-001",
                i,
                FORGED.into(),
                Some("/name\x1b[8m".into()),
            );
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
