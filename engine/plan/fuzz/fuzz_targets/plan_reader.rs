//! Any bytes into the plan reader: an error is fine, a panic is a bug.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = pillar_plan::Options::default();
    let _ = pillar_plan::from_bytes(data, Path::new("fuzz.json"), &options);
});
