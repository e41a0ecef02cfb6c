//! Hostile test pack: metadata whose strings all point at one 16 MiB buffer,
//! so that lifting them would make the host allocate 64 times what the pack
//! itself holds. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

const COPIES: usize = 64;
const BYTES: usize = 16 << 20;

impl RulePack for Pack {
    #[allow(unsafe_code)]
    fn info() -> PackInfo {
        let buffer = std::mem::ManuallyDrop::new("a".repeat(BYTES));
        let (ptr, len) = (buffer.as_ptr().cast_mut(), buffer.len());
        // SAFETY: deliberately unsound. Every String aliases the same bytes;
        // the host is expected to refuse them before the guest frees any.
        let kinds = (0..COPIES)
            .map(|_| unsafe { String::from_raw_parts(ptr, len, len) })
            .collect();
        let mut info = pillar_testing_common::info(
            "pillar-testing-aliased-strings",
            "TEST-ALIAS-001",
            "Returns metadata that aliases one huge string",
        );
        info.rules[0].resource_kinds = kinds;
        info
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
