//! The compliance tables of the terminal report: per framework, one line
//! per control, what failed or was not checked under it, then the section
//! and framework totals.

use std::fmt::Write as _;

use pillar_compliance::{Assessed, ControlResult, Totals, Verdict};

/// Titles longer than this are cut, at a word where one is near.
const TITLE_WIDTH: usize = 56;
/// Resources listed per rule under a failing control; the JSON has them all.
const LISTED: usize = 5;

/// Writes one table per assessed framework.
pub(crate) fn write_compliance(
    out: &mut String,
    assessed: &[Assessed<'_>],
    bold: impl Fn(&str) -> String,
) {
    for a in assessed {
        let f = &a.framework.framework;
        let _ = writeln!(
            out,
            "{} {}  {} {}",
            bold("COMPLIANCE"),
            f.id,
            f.name,
            f.version
        );
        let id_width = a
            .controls
            .iter()
            .map(|c| c.control.id.chars().count())
            .max()
            .unwrap_or(0)
            .max("Control".len());
        let _ = writeln!(
            out,
            "  {:<id_width$}  {:<TITLE_WIDTH$}  {:<12}  {:>7}  {:>7}  {:>7}",
            "Control", "Title", "Verdict", "Checked", "Failing", "Unknown"
        );
        for c in &a.controls {
            write_control(out, c, id_width);
        }
        let _ = writeln!(out, "  Sections:");
        for s in &a.sections {
            let depth = a.framework.section_chain(&s.id).len().saturating_sub(1);
            let label = format!("{}{} {}", "  ".repeat(depth), s.id, s.title);
            let _ = writeln!(
                out,
                "    {}: {}",
                truncate(&label, 60),
                totals_line(&s.totals)
            );
        }
        let _ = writeln!(out, "  Total: {}\n", totals_line(&a.totals));
    }
}

fn write_control(out: &mut String, c: &ControlResult<'_>, id_width: usize) {
    let scanned = matches!(
        c.verdict,
        Verdict::Pass
            | Verdict::Fail
            | Verdict::Unknown
            | Verdict::NotChecked
            | Verdict::NoResources
    );
    let count = |n: usize| {
        if scanned {
            n.to_string()
        } else {
            "-".to_owned()
        }
    };
    let _ = writeln!(
        out,
        "  {:<id_width$}  {:<TITLE_WIDTH$}  {:<12}  {:>7}  {:>7}  {:>7}",
        c.control.id,
        truncate(&c.control.title, TITLE_WIDTH),
        c.verdict.as_str(),
        count(c.evaluated),
        count(c.failing),
        count(c.unknown),
    );
    let indent = " ".repeat(id_width + 4);
    for r in &c.rules {
        if c.verdict == Verdict::Fail && !r.failing.is_empty() {
            let shown: Vec<&str> = r.failing.iter().take(LISTED).map(String::as_str).collect();
            let more = r.failing.len().saturating_sub(LISTED);
            let more = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{indent}{} fails on {}{more}",
                r.rule,
                shown.join(", ")
            );
        }
        if let Some(reason) = r.reason.as_deref().filter(|_| !r.checked) {
            let _ = writeln!(out, "{indent}{} not checked: {reason}", r.rule);
        }
    }
}

/// The non-zero verdict counts, in report order.
pub(crate) fn totals_line(t: &Totals) -> String {
    let parts: Vec<String> = Verdict::ALL
        .iter()
        .filter(|v| t.get(**v) > 0)
        .map(|v| format!("{} {}", t.get(*v), v.as_str()))
        .collect();
    format!("{} control(s): {}", t.controls, parts.join(", "))
}

/// `s` cut to `width` characters, ending in an ellipsis when cut, at a word
/// boundary when one is in the last third.
fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let cut: String = s.chars().take(width - 1).collect();
    // Already at a word's end when the next character is a space.
    let at_word_end = s.chars().nth(width - 1) == Some(' ');
    let at = cut
        .rfind(' ')
        .filter(|i| !at_word_end && *i > width * 2 / 3)
        .unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(
            truncate("Ensure MFA is enabled for the root user account", 30),
            "Ensure MFA is enabled for the…"
        );
        assert_eq!(
            truncate("Ensure MFA is enabled for the root", 28),
            "Ensure MFA is enabled for…"
        );
        assert_eq!(truncate("abcdefghijklmnop", 8), "abcdefg…");
        assert!(truncate(&"x".repeat(100), TITLE_WIDTH).chars().count() <= TITLE_WIDTH);
    }
}
