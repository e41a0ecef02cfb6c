//! Just enough CBOR (RFC 8949) to serve a recorded response to a Smithy
//! RPC v2 CBOR client: the recorded responses are kept as JSON in the
//! shape AWS documents (readable, reviewable) and encoded when served.
//! JSON has no timestamps or blobs, so recorded responses carry neither.

use serde_json::Value;

/// The CBOR encoding of a JSON value: integers as integers, other numbers
/// as 64-bit floats (write `1.0` for a double field).
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    item(v, &mut out);
    out
}

fn item(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(0xf6),
        Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                head(0, u, out);
            } else if let Some(i) = n.as_i64() {
                // Major type 1 holds -1 - n.
                head(1, i.unsigned_abs() - 1, out);
            } else {
                out.push(0xfb);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_be_bytes());
            }
        }
        Value::String(s) => {
            head(3, s.len() as u64, out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            head(4, items.len() as u64, out);
            for i in items {
                item(i, out);
            }
        }
        Value::Object(map) => {
            head(5, map.len() as u64, out);
            for (k, v) in map {
                head(3, k.len() as u64, out);
                out.extend_from_slice(k.as_bytes());
                item(v, out);
            }
        }
    }
}

/// A major type and its argument, in the shortest form.
fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if let Ok(b) = u8::try_from(n) {
        out.extend_from_slice(&[m | 24, b]);
    } else if let Ok(b) = u16::try_from(n) {
        out.push(m | 25);
        out.extend_from_slice(&b.to_be_bytes());
    } else if let Ok(b) = u32::try_from(n) {
        out.push(m | 26);
        out.extend_from_slice(&b.to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Expected bytes from RFC 8949, Appendix A.
    #[test]
    fn rfc_examples() {
        assert_eq!(encode(&json!(0)), [0x00]);
        assert_eq!(encode(&json!(24)), [0x18, 0x18]);
        assert_eq!(encode(&json!(1000)), [0x19, 0x03, 0xe8]);
        assert_eq!(encode(&json!(-1)), [0x20]);
        assert_eq!(encode(&json!(-1000)), [0x39, 0x03, 0xe7]);
        assert_eq!(
            encode(&json!(1.1)),
            [0xfb, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]
        );
        assert_eq!(encode(&json!(false)), [0xf4]);
        assert_eq!(encode(&json!(null)), [0xf6]);
        assert_eq!(encode(&json!("IETF")), [0x64, 0x49, 0x45, 0x54, 0x46]);
        assert_eq!(encode(&json!([1, [2, 3]])), [0x82, 0x01, 0x82, 0x02, 0x03]);
        assert_eq!(encode(&json!({"a": 1})), [0xa1, 0x61, 0x61, 0x01]);
    }
}
