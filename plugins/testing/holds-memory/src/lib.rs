//! Hostile test pack: holds 24 MiB in every instance, under the
//! per-memory limit, so that only a limit on what the pack holds on all
//! threads together stops it from multiplying with the worker threads.
//! Never ship this.

use std::sync::Mutex;

use pillar_rule_sdk::prelude::*;

static HELD: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-holds-memory",
            "TEST-MEMORY-002",
            "Holds 24 MiB in every instance",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        if let Ok(mut held) = HELD.lock()
            && held.is_empty()
        {
            // Touched, so that it is really held.
            *held = vec![1; 24 << 20];
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
