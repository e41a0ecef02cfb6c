//! Writing a large report without holding it twice.
//!
//! A report is a small document (tool, packs, summary) around one long
//! list (the results). Building the list as values and then the whole
//! document as text held every finding three times over at the peak: at
//! 100k resources that was most of the scan's memory. Here the small part
//! is built as a [`Value`] and the long list is produced one element at a
//! time while the serialiser writes it.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// Serialises `value` with the member at `path` (object keys and array
/// indexes from the root) replaced by `with`. When nothing is at `path`,
/// `value` is written as it is.
pub(crate) struct Spliced<'a, T> {
    pub value: &'a Value,
    pub path: &'a [&'a str],
    pub with: &'a T,
}

impl<T: Serialize> Serialize for Spliced<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some((head, rest)) = self.path.split_first() else {
            return self.with.serialize(s);
        };
        let inner = |value| Spliced {
            value,
            path: rest,
            with: self.with,
        };
        match self.value {
            Value::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    if k == head {
                        m.serialize_entry(k, &inner(v))?;
                    } else {
                        m.serialize_entry(k, v)?;
                    }
                }
                m.end()
            }
            Value::Array(items) => {
                let at: Option<usize> = head.parse().ok();
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for (n, v) in items.iter().enumerate() {
                    if Some(n) == at {
                        seq.serialize_element(&inner(v))?;
                    } else {
                        seq.serialize_element(v)?;
                    }
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

/// A list written element by element as `items()` yields them; nothing of
/// it is kept.
pub(crate) struct Streamed<F>(pub F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in (self.0)() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// Writes `doc` pretty-printed, with a final newline, through a buffer.
pub(crate) fn write_pretty(out: impl Write, doc: &impl Serialize) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// What [`write_pretty`] writes, as a string (tests, small reports).
pub(crate) fn to_pretty_string(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    // Writing into memory fails only if serialising does, which plain data
    // structures do not.
    match write(&mut bytes) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spliced(value: &Value, path: &[&str], items: &[Value]) -> Value {
        let with = Streamed(|| items.iter());
        let doc = Spliced {
            value,
            path,
            with: &with,
        };
        let text = to_pretty_string(|out| write_pretty(out, &doc));
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    #[test]
    fn splices_a_list_into_nested_objects_and_arrays() {
        let head =
            json!({"a": 1, "runs": [{"results": [], "tool": "t"}, {"results": []}], "z": [1]});
        let items = vec![json!({"n": 1}), json!("two")];
        let out = spliced(&head, &["runs", "0", "results"], &items);
        let mut expected = head.clone();
        expected["runs"][0]["results"] = json!(items);
        assert_eq!(out, expected);
    }

    #[test]
    fn a_path_that_is_not_there_leaves_the_document_as_it_is() {
        let head = json!({"a": {"b": 1}, "c": [1, 2]});
        let items = vec![json!(1)];
        assert_eq!(spliced(&head, &["x", "y"], &items), head);
        assert_eq!(spliced(&head, &["c", "7"], &items), head);
        assert_eq!(spliced(&head, &["a", "b", "c"], &items), head);
    }

    #[test]
    fn an_empty_list_is_written_as_one() {
        let head = json!({"findings": [], "k": "v"});
        assert_eq!(spliced(&head, &["findings"], &[]), head);
    }
}
