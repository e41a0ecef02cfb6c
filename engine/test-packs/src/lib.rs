//! Paths to the test packs built from `plugins/testing/`: deliberately
//! hostile packs the sandbox tests load from disk (each must be stopped
//! without harming the scan), and `CONTRACT_V0_1`, a well-behaved pack built
//! against the old `wit/v0.1` contract; and [`nested_component`], code
//! too costly to compile, written byte by byte.
//!
//! Dev-only: only tests depend on this crate, so a release build of the
//! CLI compiles none of these packs (wasmtime keeps its test guests in a
//! `test-programs/artifacts` crate for the same reason).

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// A component holding one core module (never instantiated) whose only
/// `() -> ()` function nests `depth` empty blocks: a few bytes per level
/// to write, and, unchecked, gigabytes and minutes to compile.
pub fn nested_component(depth: usize) -> Vec<u8> {
    let mut body = vec![0]; // no locals
    for _ in 0..depth {
        body.extend_from_slice(&[0x02, 0x40]); // block, empty type
    }
    body.extend(std::iter::repeat_n(0x0b, depth + 1)); // the ends
    let mut code = vec![1];
    leb(body.len(), &mut code);
    code.extend_from_slice(&body);
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    section(1, &[1, 0x60, 0, 0], &mut module); // one type: () -> ()
    section(3, &[1, 0], &mut module); // one function of type 0
    section(10, &code, &mut module);
    let mut component = b"\0asm\x0d\0\x01\0".to_vec();
    section(1, &module, &mut component); // a core module section
    component
}

/// LEB128, as the binary format writes sizes and counts.
fn leb(mut n: usize, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len(), out);
    out.extend_from_slice(body);
}
