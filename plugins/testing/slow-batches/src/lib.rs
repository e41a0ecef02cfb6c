//! Hostile test pack: spends just under the per-call deadline on every
//! batch, so that per-call limits alone let it stretch a scan without end.
//! The deadline it stays under is its setting `TEST-SLOW-001.millis`.
//! Never ship this.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pillar_rule_sdk::prelude::*;

static MILLIS: AtomicU64 = AtomicU64::new(400);

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-slow-batches",
            "TEST-SLOW-001",
            "Spends just under the deadline on every batch",
        )
    }

    fn configure(settings: &serde_json::Value) -> Result<(), EvalError> {
        if let Some(ms) = settings["TEST-SLOW-001"]["millis"].as_u64() {
            MILLIS.store(ms, Ordering::Relaxed);
        }
        Ok(())
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        // Busy, not asleep: reading the clock is allowed, waiting is not.
        let until = Instant::now() + Duration::from_millis(MILLIS.load(Ordering::Relaxed));
        let mut n: u64 = 0;
        while Instant::now() < until {
            n = std::hint::black_box(n.wrapping_add(1));
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
