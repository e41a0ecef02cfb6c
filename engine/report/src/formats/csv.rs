//! CSV: one row per finding of the JSON report, for spreadsheets.
//!
//! Quoting follows RFC 4180: every field is quoted, a quote inside is
//! doubled, lines end in CRLF. A spreadsheet reads a cell that starts with
//! `=`, `+`, `-` or `@` (or tab or CR, which some strip first) as a
//! formula, and resource names, tags and messages come from the audited
//! account: OWASP's guidance on CSV injection is to prefix such a cell with
//! a single quote, which the spreadsheet shows and does not evaluate. Every
//! text cell here gets that treatment ([`cell`]).

use super::ReportView;

/// The columns, in order.
pub const COLUMNS: [&str; 16] = [
    "rule_id",
    "title",
    "severity",
    "status",
    "pillar",
    "pack",
    "resource",
    "kind",
    "region",
    "account",
    "message",
    "evidence",
    "fingerprint",
    "suppressed",
    "suppression_reason",
    "baseline",
];

/// The report as CSV, a header row first.
pub fn to_csv(view: &ReportView) -> String {
    let mut out = String::new();
    line(&mut out, COLUMNS.iter().copied());
    for f in &view.findings {
        let (suppressed, reason) = f
            .suppressed
            .as_ref()
            .map_or(("", ""), |(k, why)| (k.as_str(), why.as_str()));
        line(
            &mut out,
            [
                f.rule_id.as_str(),
                &f.title,
                &f.severity,
                &f.verdict,
                f.pillar.as_deref().unwrap_or_default(),
                &f.pack,
                &f.resource,
                &f.kind,
                f.region.as_deref().unwrap_or_default(),
                f.account.as_deref().unwrap_or_default(),
                &f.message,
                f.evidence.as_deref().unwrap_or_default(),
                &f.fingerprint,
                suppressed,
                reason,
                f.baseline.as_deref().unwrap_or_default(),
            ],
        );
    }
    out
}

fn line<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, c) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(c));
    }
    out.push_str("\r\n");
}

/// One field: formula-guarded, then quoted.
pub fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("plain"), "\"plain\"");
        assert_eq!(
            cell("say \"hi\", then\nleave"),
            "\"say \"\"hi\"\", then\nleave\""
        );
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        for lead in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(lead).starts_with("\"'"), "{lead:?}");
        }
        // Only the first character matters: a formula sign inside is text.
        assert_eq!(cell("a=b"), "\"a=b\"");
        assert_eq!(cell(""), "\"\"");
    }
}
