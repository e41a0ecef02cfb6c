//! The rule packs built from `plugins/`.
//!
//! [`BUILTIN`] holds the packs that ship inside the `pillar` binary; the
//! [`testing`] module names the deliberately hostile packs that the sandbox
//! tests load from disk. Both are produced by `build.rs`.

/// A built-in rule pack: a Wasm component embedded at build time.
#[derive(Debug, Clone, Copy)]
pub struct Pack {
    /// The component's file name, e.g. `pillar_pack_ec2.wasm`.
    pub file_name: &'static str,
    /// The component itself.
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/packs.rs"));
