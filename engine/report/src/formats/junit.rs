//! JUnit XML, for CI systems that show test results (Jenkins, GitLab,
//! GitHub Actions test reporters).
//!
//! One `<testsuite>` per rule pack; in it one `<testcase>` per rule and
//! resource with a finding (classname = rule id, name = resource ARN or
//! address): `<failure>` for a failing finding (message = the finding's
//! message, type = its severity), `<skipped>` for an unknown verdict and
//! for a suppressed or muted failure (its reason in the message), and one
//! passing testcase per rule that counts the resources that passed. What
//! was not checked (collection gaps, packs that failed to load or were
//! stopped) is a last suite of `<error>` testcases, so CI shows it.
//!
//! Every name and message comes from the audited account or a third-party
//! pack, so everything is escaped ([`escape`]), and characters XML 1.0
//! cannot carry at all (control characters) are written as visible
//! `\u{..}` text rather than dropped.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{FindingRow, ReportView};

/// What a testcase holds besides its name.
enum Outcome {
    Pass,
    Failure {
        message: String,
        kind: String,
        body: String,
    },
    Skipped {
        message: String,
    },
    Error {
        message: String,
        kind: String,
    },
}

struct Case {
    classname: String,
    name: String,
    outcome: Outcome,
}

/// The report as JUnit XML (the shape of the Jenkins xunit plugin's
/// `junit-10.xsd`).
pub fn to_junit(view: &ReportView) -> String {
    let mut suites: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for f in &view.findings {
        suites
            .entry(suite_name(&f.pack))
            .or_default()
            .push(finding_case(f));
    }
    for r in view.rules.iter().filter(|r| r.passed > 0) {
        suites.entry(suite_name(&r.pack)).or_default().push(Case {
            classname: r.id.clone(),
            name: format!("{} resource(s) passed", r.passed),
            outcome: Outcome::Pass,
        });
    }
    let mut not_checked: Vec<Case> = view
        .pack_failures
        .iter()
        .map(|(pack, message)| Case {
            classname: "pillar.pack-failure".into(),
            name: pack.clone(),
            outcome: Outcome::Error {
                message: message.clone(),
                kind: "pack-failure".into(),
            },
        })
        .collect();
    not_checked.extend(view.gaps.iter().map(|gap| Case {
        classname: "pillar.collection-gap".into(),
        name: gap.clone(),
        outcome: Outcome::Error {
            message: gap.clone(),
            kind: "collection-gap".into(),
        },
    }));

    let mut all: Vec<(String, Vec<Case>)> = suites.into_iter().collect();
    if !not_checked.is_empty() {
        all.push(("pillar.not-checked".into(), not_checked));
    }
    let total = |pick: fn(&Case) -> bool| -> usize {
        all.iter()
            .map(|(_, cases)| cases.iter().filter(|c| pick(c)).count())
            .sum()
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"pillar\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"0\">",
        total(|_| true),
        total(is_failure),
        total(is_error),
    );
    for (name, cases) in &all {
        write_suite(&mut out, name, cases, &view.collected_at);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite_name(pack: &str) -> String {
    if pack.is_empty() {
        "pillar".into()
    } else {
        pack.to_owned()
    }
}

fn is_failure(c: &Case) -> bool {
    matches!(c.outcome, Outcome::Failure { .. })
}

fn is_error(c: &Case) -> bool {
    matches!(c.outcome, Outcome::Error { .. })
}

fn is_skipped(c: &Case) -> bool {
    matches!(c.outcome, Outcome::Skipped { .. })
}

fn finding_case(f: &FindingRow) -> Case {
    let outcome = match (&f.suppressed, f.is_fail()) {
        (Some((kind, why)), _) => Outcome::Skipped {
            message: format!("suppressed ({kind}): {why}; {}", f.message),
        },
        (None, true) => Outcome::Failure {
            message: f.message.clone(),
            kind: f.severity.clone(),
            body: [
                Some(format!("{}: {}", f.rule_id, f.title)),
                Some(format!("resource: {} ({})", f.resource, f.kind)),
                f.evidence.as_ref().map(|e| format!("attribute: {e}")),
                f.baseline.as_ref().map(|b| format!("baseline: {b}")),
                Some(format!("fingerprint: {}", f.fingerprint)),
                f.help_uri.as_ref().map(|u| format!("help: {u}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n"),
        },
        (None, false) => Outcome::Skipped {
            message: format!("unknown: {}", f.message),
        },
    };
    Case {
        classname: f.rule_id.clone(),
        name: f.resource.clone(),
        outcome,
    }
}

fn write_suite(out: &mut String, name: &str, cases: &[Case], timestamp: &str) {
    let count = |pick: fn(&Case) -> bool| cases.iter().filter(|c| pick(c)).count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\" timestamp=\"{}\">",
        escape(name),
        cases.len(),
        count(is_failure),
        count(is_error),
        count(is_skipped),
        escape(timestamp),
    );
    for c in cases {
        let head = format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
            escape(&c.classname),
            escape(&c.name)
        );
        let _ = match &c.outcome {
            Outcome::Pass => writeln!(out, "{head}/>"),
            Outcome::Failure {
                message,
                kind,
                body,
            } => writeln!(
                out,
                "{head}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                escape(message),
                escape(kind),
                escape(body)
            ),
            Outcome::Skipped { message } => writeln!(
                out,
                "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                escape(message)
            ),
            Outcome::Error { message, kind } => writeln!(
                out,
                "{head}>\n      <error message=\"{}\" type=\"{}\"/>\n    </testcase>",
                escape(message),
                escape(kind)
            ),
        };
    }
    out.push_str("  </testsuite>\n");
}

/// Text safe in an XML 1.0 attribute value or element content: markup
/// characters as entities, tab and line breaks as character references (so
/// attribute values keep them), and characters XML 1.0 forbids as visible
/// `\u{..}` text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed_in_xml(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    out
}

/// XML 1.0's `Char` production, less the whitespace handled above.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn hostile_text_is_escaped_and_control_characters_stay_visible() {
        assert_eq!(
            escape("<a href='x'>&\"]]></a>"),
            "&lt;a href=&apos;x&apos;&gt;&amp;&quot;]]&gt;&lt;/a&gt;"
        );
        assert_eq!(
            escape("a\u{0}b\u{1b}[31mc\u{7f}"),
            "a\\u{0}b\\u{1b}[31mc\u{7f}"
        );
        assert_eq!(escape("l1\nl2\tx\r"), "l1&#10;l2&#9;x&#13;");
        assert_eq!(escape("\u{FFFE}"), "\\u{fffe}");
        assert_eq!(escape("plain ünïcødé"), "plain ünïcødé");
    }
}
