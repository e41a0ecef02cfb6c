//! The HTML report: one self-contained file a person can open offline,
//! filter, sort and print.
//!
//! Nothing is fetched: the stylesheet and script are inlined, the data is
//! embedded once as JSON, charts are inline SVG, and a Content Security
//! Policy forbids every other source so a hostile string that slipped
//! through could not load anything either. Resource ids, tags, messages and
//! rule help come from snapshots and third-party packs, so they are escaped
//! here and set with `textContent` by the script, never parsed as markup.

mod chart;
mod compliance;
mod data;
mod escape;
mod summary;

use crate::ScanReport;

pub use data::DATA_VERSION as HTML_DATA_VERSION;

const CSS: &str = include_str!("../assets/report.css");
const JS: &str = include_str!("../assets/report.js");

/// Inline styles and scripts only, and `data:` images; no connections.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

pub fn to_html(report: &ScanReport<'_>) -> String {
    let d = data::collect(report);
    let json = serde_json::to_string(&d).unwrap_or_else(|_| "{}".to_owned());
    let title = format!("pillar report: {}", d.input);
    [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        &format!(r#"<meta http-equiv="Content-Security-Policy" content="{CSP}">"#),
        r#"<meta name="referrer" content="no-referrer">"#,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
        // An empty icon, so the browser does not ask for /favicon.ico.
        r#"<link rel="icon" href="data:,">"#,
        &format!("<title>{}</title>", escape::text(&title)),
        &format!("<style>{CSS}</style></head><body>"),
        &summary::header(&d),
        "<main>",
        &summary::banner(&d),
        &summary::summary(&d),
        &compliance::view(&report.assessed()),
        FINDINGS,
        &summary::since_baseline(&d),
        &summary::mutes(&d),
        &summary::not_checked(&d),
        &summary::packs(&d),
        "</main>",
        &format!(
            r#"<script type="application/json" id="pillar-data">{}</script>"#,
            escape::script_json(&json)
        ),
        &format!("<script>{JS}</script></body></html>\n"),
    ]
    .concat()
}

/// The findings section's frame; `report.js` fills the filters and rows.
const FINDINGS: &str = r#"<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2>
<noscript><p class="note">The findings table needs JavaScript. The summary above, and the JSON embedded in this file (element <code>pillar-data</code>), hold every finding.</p></noscript>
<form id="filters" class="filters" hidden role="search" aria-label="Filter findings"></form>
<p id="count" class="count" aria-live="polite"></p><p id="active-filters" class="active-filters"></p>
<table id="findings-table" class="findings" hidden><thead><tr></tr></thead><tbody></tbody></table>
</section>"#;

#[cfg(test)]
mod tests {
    use pillar_evaluate::{
        Evaluation, Finding, PackInfo, Pillar, RuleInfo, RuleStats, Severity, Verdict,
    };
    use pillar_snapshot::{Snapshot, Suppression};

    use super::*;

    const HOSTILE: &str = "<img src=x onerror=alert(1)></script><script>alert(2)</script><!--";

    fn snapshot(gaps: bool) -> Snapshot {
        let gap = serde_json::json!([{
            "operation": "s3:GetBucketPolicy", "reason": "access-denied",
            "message": "denied </script>"
        }]);
        serde_json::from_value(serde_json::json!({
            "format_version": 1,
            "source": {"kind": "fixture", "accounts": ["111122223333"], "regions": ["eu-west-1"],
                       "collected_at": "2026-11-01T06:00:00Z", "tool": "test"},
            "gaps": if gaps { gap } else { serde_json::json!([]) },
            "resources": [
                {"id": format!("arn:aws:s3:::{HOSTILE}"), "kind": "aws_s3_bucket",
                 "account": "111122223333", "region": "eu-west-1",
                 "attributes": {"tags": {"Name": HOSTILE}}},
                {"id": "arn:aws:iam::111122223333:user/bob", "kind": "aws_iam_user",
                 "account": "111122223333", "attributes": {}}
            ]
        }))
        .unwrap_or_else(|e| panic!("test snapshot: {e}"))
    }

    fn packs() -> Vec<PackInfo> {
        vec![PackInfo {
            name: "test-pack".into(),
            version: "1.0.0".into(),
            contract: "0.1.0".into(),
            sha256: "ab".repeat(32),
            origin: "builtin:test".into(),
            rules: vec![RuleInfo {
                id: "T-001".into(),
                title: "Buckets are private".into(),
                severity: Severity::High,
                pillar: Pillar::Security,
                best_practice: "SEC01".into(),
                resource_kinds: vec!["aws_s3_bucket".into()],
                help: format!(
                    "## What it checks\n\n{HOSTILE}\n\n## Remediation\n\nMake it private.\n"
                ),
                help_uri: "javascript:alert(3)".into(),
                parameters: Vec::new(),
                compliance: Vec::new(),
            }],
            cache_hit: false,
        }]
    }

    fn evaluation() -> Evaluation {
        let finding = |resource, verdict, severity| Finding {
            rule_id: "T-001".into(),
            pack: "test-pack".into(),
            resource,
            verdict,
            severity,
            message: format!("bucket {HOSTILE} is public"),
            evidence: Some("/acl".into()),
        };
        Evaluation {
            findings: vec![
                finding(0, Verdict::Fail, Severity::High),
                finding(1, Verdict::Fail, Severity::Critical),
                finding(1, Verdict::Unknown, Severity::Low),
            ],
            stats: [(
                "T-001".to_owned(),
                RuleStats {
                    evaluated: 5,
                    failed: 2,
                    unknown: 1,
                },
            )]
            .into(),
            ..Evaluation::default()
        }
    }

    fn render(gaps: bool, suppressions: &[Suppression]) -> String {
        render_triaged(gaps, suppressions, &[])
    }

    fn render_triaged(
        gaps: bool,
        suppressions: &[Suppression],
        mutes: &[pillar_triage::Mute],
    ) -> String {
        let (snap, packs, eval) = (snapshot(gaps), packs(), evaluation());
        let baseline =
            pillar_triage::Baseline::from_findings("last-week.json", &snap, &eval.findings[1..2]);
        let triage = pillar_triage::Triage::build(&pillar_triage::TriageInput {
            snapshot: &snap,
            evaluation: &eval,
            packs: &packs,
            suppressions,
            mutes,
            today: pillar_triage::Date::parse("2026-11-23").expect("date"),
            baseline: (!mutes.is_empty()).then_some(&baseline),
            new_only: false,
        });
        to_html(&ScanReport {
            input: "in<put>.json",
            snapshot: &snap,
            packs: &packs,
            evaluation: &eval,
            failures: &[],
            fail_on: Some(Severity::High),
            triage: &triage,
            compliance: Default::default(),
        })
    }

    /// The embedded JSON, parsed back as the browser would.
    fn embedded(html: &str) -> serde_json::Value {
        let start = r#"<script type="application/json" id="pillar-data">"#;
        let body = html
            .split_once(start)
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(json, _)| json)
            .unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("embedded JSON ({e}): {body}"))
    }

    #[test]
    fn hostile_strings_cannot_break_out_of_the_data_or_the_markup() {
        let html = render(true, &[]);
        // Three script elements would mean the data closed its element.
        assert_eq!(html.matches("<script").count(), 2, "{html}");
        assert_eq!(html.matches("</script>").count(), 2);
        assert!(!html.contains("<img"), "an img element was written");
        assert!(!html.contains("<!--"));
        // The hostile text is still there, as text, for the page to show.
        let data = embedded(&html);
        assert_eq!(
            data["findings"][0]["message"],
            format!("bucket {HOSTILE} is public")
        );
        assert_eq!(data["findings"][0]["resource"]["tags"]["Name"], HOSTILE);
        assert_eq!(data["gaps"][0]["message"], "denied </script>");
        assert!(html.contains("<title>pillar report: in&lt;put&gt;.json</title>"));
        assert!(html.contains("denied &lt;/script&gt;"));
    }

    #[test]
    fn the_script_never_parses_data_as_markup() {
        // The only sinks that parse HTML; the script builds nodes instead.
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!JS.contains(sink), "report.js uses {sink}");
        }
    }

    #[test]
    fn the_page_is_self_contained_under_a_strict_policy() {
        let html = render(false, &[]);
        assert!(html.contains(
            r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">"#
        ));
        for remote in ["http://", "https://", "src=\"", "<link rel=\"stylesheet"] {
            assert!(!html.contains(remote), "the page references {remote}");
        }
        assert!(
            !html.contains(r#"id="incomplete""#),
            "no banner when complete"
        );
    }

    #[test]
    fn summary_counts_open_findings_and_says_when_incomplete() {
        let html = render(true, &[]);
        assert!(html.contains(r#"id="incomplete" role="alert""#));
        assert!(html.contains(r#"<li data-total="open"><span class="n">2</span>"#));
        assert!(html.contains(r#"<li data-total="unknown"><span class="n">1</span>"#));
        assert!(html.contains(r#"<tr data-key="critical"><th scope="row">critical</th><td class="num" data-count="1">1</td></tr>"#));
        assert!(html.contains(r#"<tr data-key="global"><th scope="row">global</th><td class="num" data-count="1">1</td></tr>"#));
        assert!(html.contains(r#"<tr data-key="security"><th scope="row">Security</th><td class="num" data-count="2">2</td></tr>"#));
        let data = embedded(&html);
        assert_eq!(data["complete"], false);
        assert_eq!(
            data["rules"]["T-001"]["sections"][1]["title"],
            "Remediation"
        );
        assert_eq!(data["rules"]["T-001"]["stats"]["passed"], 2);
        assert_eq!(data["severities"][0], "critical");
    }

    #[test]
    fn suppressed_findings_are_marked_and_not_counted_as_open() {
        let bob = Suppression {
            resource: "arn:aws:iam::111122223333:user/bob".into(),
            rule_id: "T-001".into(),
            justification: "break-glass user".into(),
            location: None,
        };
        let html = render(false, &[bob]);
        assert!(html.contains(r#"<li data-total="open"><span class="n">1</span>"#));
        assert!(html.contains(r#"<li data-total="suppressed"><span class="n">1</span>"#));
        let data = embedded(&html);
        assert_eq!(
            data["findings"][1]["suppression"],
            serde_json::json!({"kind": "in-source", "justification": "break-glass user"})
        );
        assert_eq!(data["findings"][0]["suppression"], serde_json::Value::Null);
    }

    #[test]
    fn mutes_and_the_baseline_are_shown_as_such() {
        let mute = |resource: &str, expires: &str| pillar_triage::Mute {
            rule: pillar_triage::Pattern("T-*".into()),
            resource: Some(pillar_triage::Pattern(resource.into())),
            tag: None,
            account: None,
            region: None,
            reason: format!("accepted {HOSTILE}"),
            owner: "alice".into(),
            expires: pillar_triage::Date::parse(expires).expect("date"),
            origin: "pillar.toml".into(),
        };
        let mutes = [
            mute("*user/bob", "2099-01-01"),
            mute("arn:aws:s3:::*", "2020-01-01"),
        ];
        let html = render_triaged(false, &[], &mutes);
        let data = embedded(&html);
        // Last week's report had the findings on bob only: the bucket's is new.
        assert_eq!(data["findings"][0]["baseline"], "new");
        assert_eq!(data["findings"][1]["baseline"], "unchanged");
        // ... and so is bob's unknown, which last week's report lacked.
        assert_eq!(data["baseline"]["new"], 2);
        let muted = &data["findings"][1]["suppression"];
        assert_eq!(
            (muted["kind"].as_str(), muted["owner"].as_str()),
            (Some("mute"), Some("alice"))
        );
        assert_eq!(muted["expires"], "2099-01-01");
        // The expired mute no longer mutes the bucket, and is listed first.
        assert!(data["findings"][0]["suppression"].is_null());
        assert!(
            html.contains(r#"<li data-total="new"><span class="n">1</span>"#),
            "{html}"
        );
        let mutes_at = html.find(r#"<section id="mutes""#).expect("mutes section");
        let expired_at = html[mutes_at..].find("mute-expired").map(|i| i + mutes_at);
        let active_at = html[mutes_at..].find("mute-active").map(|i| i + mutes_at);
        assert!(
            expired_at < active_at && expired_at.is_some(),
            "expired first"
        );
        assert!(html.contains(r#"<section id="baseline""#));
        // Reasons are text, never markup.
        assert!(!html.contains("<img"));
    }
}
