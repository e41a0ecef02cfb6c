//! Any text into the snapshot loader: an error is fine, a panic is a bug.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pillar_snapshot::parse_located(text, Path::new("fuzz.json"));
    }
});
