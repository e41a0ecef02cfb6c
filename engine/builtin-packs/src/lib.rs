//! The rule packs that ship inside the `pillar` binary, built from
//! `plugins/` by `build.rs`. The hostile packs the sandbox tests load are
//! in the dev-only `pillar-test-packs` crate, never here.

/// A built-in rule pack: a Wasm component embedded at build time.
#[derive(Debug, Clone, Copy)]
pub struct Pack {
    /// The component's file name, e.g. `pillar_pack_ec2.wasm`.
    pub file_name: &'static str,
    /// The component itself.
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/packs.rs"));
