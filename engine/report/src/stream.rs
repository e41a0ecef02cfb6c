//! Writing a large report without holding it twice.
//!
//! A report is a small document (tool, packs, summary) around one long
//! list (the results). Building the list as values and then the whole
//! document as text held every finding three times over at the peak: at
//! 100k resources that was most of the scan's memory. Here the small part
//! is built as a [`Value`], and the long list is rendered a window at a
//! time, in parallel, and written in order ([`write_with_list`]).

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

/// Stands in for the list in the rendered document. Only the member
/// `"<key>": "<this>"` is looked for: keys and values are escaped text,
/// so no string of the report can contain that sequence of quotes.
const PLACEHOLDER: &str = "pillar:list-written-here";

/// Items rendered at once: enough for both cores, few enough that the
/// window's text stays small (about 1.5 KB per SARIF result).
const WINDOW: usize = 8192;

/// Writes `doc` pretty-printed, with the list at `path` (object keys and
/// array indexes from the root; the member must exist) made of `item(x)`
/// for each of `items` that gives one. The same text as serialising the
/// whole document at once, with a final newline.
pub(crate) fn write_with_list<X, T>(
    out: impl Write,
    mut doc: Value,
    path: &[&str],
    items: &[X],
    item: impl Fn(&X) -> Option<T> + Sync,
) -> io::Result<()>
where
    X: Sync,
    T: Serialize,
{
    let Some((key, _)) = path.split_last() else {
        return Err(io::Error::other("no list to write"));
    };
    let pointer: String = path.iter().map(|p| format!("/{p}")).collect();
    let Some(slot) = doc.pointer_mut(&pointer) else {
        return Err(io::Error::other(format!("no list at {pointer}")));
    };
    *slot = Value::String(PLACEHOLDER.to_owned());
    let text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
    let member = format!("{}: \"{PLACEHOLDER}\"", Value::String((*key).to_owned()));
    let mut found = text.match_indices(&member);
    let (Some((at, _)), None) = (found.next(), found.next()) else {
        // Not reachable with pillar's reports (no report text sits under
        // the list's key), but never a misplaced list: the whole document
        // at once, as values.
        let list: Vec<Value> = items
            .iter()
            .filter_map(|x| item(x).map(|v| serde_json::to_value(v)))
            .collect::<Result<_, _>>()
            .map_err(io::Error::other)?;
        if let Some(slot) = doc.pointer_mut(&pointer) {
            *slot = Value::Array(list);
        }
        let mut out = io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut out, &doc)?;
        out.write_all(b"\n")?;
        return out.flush();
    };
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let outer = " ".repeat(at - line_start);
    let inner = format!("{outer}  ");
    let value_at = at + member.len() - PLACEHOLDER.len() - 2;

    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(&text.as_bytes()[..value_at])?;
    let mut first = true;
    for window in items.chunks(WINDOW) {
        let rendered: Vec<Vec<u8>> = window
            .par_chunks(256)
            .map(|chunk| render(chunk, &item, &inner))
            .collect::<Result<_, _>>()?;
        for part in rendered.iter().filter(|p| !p.is_empty()) {
            out.write_all(if first { b"[\n" } else { b",\n" })?;
            out.write_all(part)?;
            first = false;
        }
    }
    if first {
        out.write_all(b"[]")?;
    } else {
        write!(out, "\n{outer}]")?;
    }
    out.write_all(&text.as_bytes()[value_at + PLACEHOLDER.len() + 2..])?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The items of `chunk` rendered pretty at indentation `indent`, joined by
/// commas; empty when none gives an item.
fn render<X, T: Serialize>(
    chunk: &[X],
    item: &(impl Fn(&X) -> Option<T> + Sync),
    indent: &str,
) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    let mut one = Vec::new();
    for x in chunk {
        let Some(value) = item(x) else { continue };
        one.clear();
        serde_json::to_writer_pretty(&mut one, &value)?;
        if !text.is_empty() {
            text.extend_from_slice(b",\n");
        }
        text.extend_from_slice(indent.as_bytes());
        // Strings hold no raw newlines (JSON escapes them), so every
        // newline starts a line of the item, to be indented.
        for &b in &one {
            text.push(b);
            if b == b'\n' {
                text.extend_from_slice(indent.as_bytes());
            }
        }
    }
    Ok(text)
}

/// What a writer writes, as a string (tests, small reports).
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

    /// `write_with_list` of `head` with `items` at `path`, and what
    /// serialising the whole document at once gives.
    fn both(head: &Value, path: &[&str], items: &[Value]) -> (String, String) {
        let written = to_pretty_string(|out| {
            write_with_list(out, head.clone(), path, items, |v| {
                (!v.is_null()).then(|| v.clone())
            })
        });
        let mut whole = head.clone();
        let pointer: String = path.iter().map(|p| format!("/{p}")).collect();
        if let Some(slot) = whole.pointer_mut(&pointer) {
            *slot = Value::Array(items.iter().filter(|v| !v.is_null()).cloned().collect());
        }
        let expected = serde_json::to_string_pretty(&whole).unwrap_or_default() + "\n";
        (written, expected)
    }

    #[test]
    fn the_same_text_as_serialising_the_whole_document() {
        let head = json!({"$schema": "s", "runs": [{"results": [], "tool": {"a": [1, {"b": "c"}]}}], "version": "2.1.0"});
        // More items than a window, nested values, skipped items (null).
        let items: Vec<Value> = (0..WINDOW * 2 + 7)
            .map(|n| match n % 5 {
                0 => Value::Null,
                1 => json!({"n": n, "nested": {"list": [n, "x\ny"], "empty": []}}),
                2 => json!([n, {"k": "v"}]),
                3 => json!("text with \"quotes\" and \\ backslash"),
                _ => json!(n),
            })
            .collect();
        let (written, expected) = both(&head, &["runs", "0", "results"], &items);
        assert_eq!(written, expected);
        let (written, expected) =
            both(&json!({"findings": [], "z": 1}), &["findings"], &items[..3]);
        assert_eq!(written, expected);
    }

    #[test]
    fn no_items_is_an_empty_list() {
        let head = json!({"findings": [], "k": "v"});
        let (written, expected) = both(&head, &["findings"], &[Value::Null, Value::Null]);
        assert_eq!(written, expected);
        assert!(written.contains("\"findings\": []"), "{written}");
    }

    #[test]
    fn report_text_that_looks_like_the_placeholder_is_written_as_it_is() {
        // Text equal to the placeholder, even under the list's key.
        let head = json!({"findings": [], "source": {"findings": PLACEHOLDER, "x": PLACEHOLDER}});
        let items = vec![json!(PLACEHOLDER), json!({"findings": PLACEHOLDER})];
        let (written, expected) = both(&head, &["findings"], &items);
        assert_eq!(written, expected);
        let (written, expected) = both(
            &json!({"findings": [], "x": PLACEHOLDER}),
            &["findings"],
            &items,
        );
        assert_eq!(written, expected);
    }

    #[test]
    fn a_missing_list_is_an_error() {
        let out = to_pretty_string(|out| {
            write_with_list(out, json!({"a": 1}), &["findings"], &[json!(1)], |v| {
                Some(v.clone())
            })
        });
        assert!(out.is_empty());
    }
}
