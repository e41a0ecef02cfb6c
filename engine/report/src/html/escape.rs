//! Putting untrusted text into HTML: as element text or attribute values,
//! and as JSON inside a `<script>` element.

/// Escapes text for an element's content or a quoted attribute value.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe as the content of a `<script type="application/json">`.
///
/// The HTML parser ends a script element at the first `</script` and treats
/// `<!--` specially, whatever the JSON means, so no `<` may appear. In JSON
/// a `<` can only occur inside a string, where `\u003c` means the same, so
/// `JSON.parse` gives back the exact text. `>` and `&` are escaped too, and
/// U+2028/U+2029 for readers that treat the content as JavaScript.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_quotes() {
        assert_eq!(
            text(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn script_json_has_no_angle_brackets_and_round_trips() {
        let original = serde_json::json!({"m": "</script><script>alert(1)</script><!-- \u{2028}&"});
        let embedded = script_json(&original.to_string());
        assert!(!embedded.contains('<') && !embedded.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&embedded).unwrap_or_default();
        assert_eq!(back, original);
    }
}
