//! Text helpers shared by the writers: length limits with a visible
//! marker, and the "## Remediation" section of a rule's help.

/// Appended to text cut to a format's length limit, so that a reader sees
/// it was cut (and the writer records which fields it cut).
pub const TRUNCATED: &str = " [truncated by pillar]";

/// `text` at most `max` characters long: unchanged when it fits, else cut
/// on a character boundary with [`TRUNCATED`] at the end. The bool says
/// whether it was cut.
pub fn limit(text: &str, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        return (text.to_owned(), false);
    }
    let keep = max.saturating_sub(TRUNCATED.chars().count());
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(TRUNCATED);
    (cut, true)
}

/// The body of the "## Remediation" section of a rule's help markdown,
/// trimmed; `None` when the help has no such section or it is empty.
pub fn remediation(help: &str) -> Option<String> {
    let start = help.find("## Remediation")?;
    let body = &help[start + "## Remediation".len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let body = body[..end].trim();
    (!body.is_empty()).then(|| body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_keeps_short_text_and_marks_cut_text() {
        assert_eq!(limit("short", 10), ("short".to_owned(), false));
        let long = "é".repeat(300);
        let (cut, was_cut) = limit(&long, 256);
        assert!(was_cut);
        assert_eq!(cut.chars().count(), 256);
        assert!(cut.ends_with(TRUNCATED));
        assert!(cut.starts_with("éé"));
    }

    #[test]
    fn remediation_is_the_section_body() {
        let help = "# T\n\n## Why it matters\n\nx\n\n## Remediation\n\nTurn it on.\n\n## References\n\n- a";
        assert_eq!(remediation(help).as_deref(), Some("Turn it on."));
        assert_eq!(remediation("## Why\n\nx"), None);
        assert_eq!(remediation("## Remediation\n\n"), None);
    }
}
