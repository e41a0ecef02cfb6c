//! Hostile test pack: unbounded recursion in evaluate. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

/// Recurses until the wasm stack limit traps. Only scalars, so the frames
/// live on the engine's wasm stack (not on the guest's shadow stack in linear
/// memory); `black_box` keeps the compiler from turning it into a loop.
#[allow(unconditional_recursion)]
fn descend(depth: u64) -> u64 {
    std::hint::black_box(descend(std::hint::black_box(depth + 1))).wrapping_add(1)
}

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-stack-overflow",
            "TEST-STACK-001",
            "Recurses without bound in evaluate",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let depth = descend(batch.len() as u64);
        out.fail("TEST-STACK-001", 0, format!("reached {depth}"), None);
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
