//! Text a pack hands the host, made safe to show.
//!
//! Finding messages, evidence pointers, log lines, metadata and failure
//! texts all come from untrusted code and end up on a terminal, in SARIF a
//! browser renders, in HTML and in JSON other tools read. A pack must not
//! be able to move the cursor, clear the screen, forge a line of pillar's
//! own output or reorder what the reader sees. So every such string is
//! escaped here, once, at the host boundary: a character that a terminal
//! or a renderer would *interpret* rather than show is replaced by its
//! visible `\u{..}` spelling. Reports downstream can then trust the text.

use std::borrow::Cow;

/// Whether a line break is part of what the text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// Help pages: Markdown, whose line breaks and tabs mean something.
    Keep,
    /// One-line texts (messages, logs, titles): a line break is escaped, so
    /// a pack cannot start a line that looks like pillar's own.
    Escape,
}

/// Whether `c` would be interpreted rather than shown.
fn is_active(c: char, lines: Lines) -> bool {
    match c {
        '\n' | '\t' => lines == Lines::Escape,
        // C0 controls (ESC, BEL, CR, backspace...), DEL and C1 controls
        // (CSI U+009B starts an escape sequence on some terminals).
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidirectional embeddings, overrides, isolates and marks: they
        // reorder what is displayed (the "Trojan Source" class).
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' => {
            true
        }
        // Invisible characters that hide or split text, and the Unicode
        // line and paragraph separators some renderers break on.
        '\u{200b}'..='\u{200d}' | '\u{2028}' | '\u{2029}' | '\u{2060}' | '\u{feff}' => true,
        _ => false,
    }
}

/// `text` with every interpreted character spelled out as `\u{..}`.
/// Borrowed when there is nothing to escape (the common case).
pub(crate) fn shown(text: &str, lines: Lines) -> Cow<'_, str> {
    let Some(first) = text.char_indices().find(|&(_, c)| is_active(c, lines)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first.0]);
    for c in text[first.0..].chars() {
        if is_active(c, lines) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`shown`] for a string the host already owns.
pub(crate) fn shown_owned(text: String, lines: Lines) -> String {
    match shown(&text, lines) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => escaped,
    }
}

/// `text` cut to at most `max` bytes on a character boundary, saying so:
/// pillar never truncates silently.
pub(crate) fn capped(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!(
        "{}… [cut by pillar: the pack sent {} bytes]",
        &text[..end],
        text.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "sg-1: port 22 open to 0.0.0.0/0 — ünïcode is fine";
        assert!(matches!(shown(text, Lines::Escape), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escapes_and_controls_are_spelled_out() {
        let forged = "ok\x1b[2J\x07\rSummary: 0 failed\u{9b}";
        let shown = shown(forged, Lines::Escape);
        assert_eq!(shown, "ok\\u{1b}[2J\\u{7}\\u{d}Summary: 0 failed\\u{9b}");
    }

    #[test]
    fn bidi_overrides_and_invisible_characters_are_spelled_out() {
        let shown = shown("a\u{202e}b\u{2066}c\u{200b}d\u{feff}", Lines::Escape);
        assert_eq!(shown, "a\\u{202e}b\\u{2066}c\\u{200b}d\\u{feff}");
    }

    #[test]
    fn line_breaks_are_kept_only_where_they_mean_something() {
        assert_eq!(shown("a\nb\tc", Lines::Keep), "a\nb\tc");
        assert_eq!(shown("a\nb\tc", Lines::Escape), "a\\u{a}b\\u{9}c");
        assert_eq!(shown("a\r\nb", Lines::Keep), "a\\u{d}\nb");
    }

    #[test]
    fn capping_cuts_on_a_char_boundary_and_says_so() {
        let long = "é".repeat(10);
        let cut = capped(&long, 5);
        assert!(cut.starts_with("éé…"), "{cut}");
        assert!(cut.contains("20 bytes"));
        assert_eq!(capped("short", 5), "short");
    }
}
