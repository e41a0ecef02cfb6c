//! The parts of the page rendered in Rust, readable without JavaScript and
//! on paper: the header, the "incomplete" banner, the summary with its
//! charts, what was not checked, and the packs that ran.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pillar_evaluate::{Severity, Verdict};

use super::chart::{self, Bar};
use super::data::{Data, Row};
use super::escape::text;
use pillar_triage::{BaselineState, MuteState};

pub fn header(d: &Data<'_>) -> String {
    let s = d.source;
    let kind = serde_json::to_value(s.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    let mut facts = vec![
        ("Input", d.input.to_owned()),
        ("Source", kind),
        ("Accounts", list(&s.accounts)),
        ("Regions", list(&s.regions)),
        ("Collected at", s.collected_at.clone()),
        ("Collected by", s.tool.clone()),
        ("Resources", d.resources.to_string()),
        ("Report by", format!("{} {}", d.tool.name, d.tool.version)),
        (
            "Completeness",
            if d.complete {
                "complete: every pack ran and nothing was left uncollected".to_owned()
            } else {
                format!(
                    "incomplete: {} pack failure(s), {} collection gap(s)",
                    d.failures.len(),
                    d.gaps.len()
                )
            },
        ),
    ];
    if let Some(t) = d.fail_on {
        facts.push(("Fail on", format!("{} and above", t.as_str())));
    }
    let mut out = String::from(r#"<header class="top"><h1>pillar report</h1>"#);
    if let Some(desc) = &s.description {
        let _ = write!(out, r#"<p class="desc">{}</p>"#, text(desc));
    }
    out.push_str(r#"<dl class="facts">"#);
    for (k, v) in facts {
        let _ = write!(out, "<div><dt>{k}</dt><dd>{}</dd></div>", text(&v));
    }
    out.push_str("</dl></header>");
    out
}

/// A banner that cannot be missed when anything was not checked.
pub fn banner(d: &Data<'_>) -> String {
    if d.complete {
        return String::new();
    }
    let mut what = Vec::new();
    if !d.failures.is_empty() {
        what.push(format!("{} rule pack failure(s)", d.failures.len()));
    }
    if !d.gaps.is_empty() {
        what.push(format!("{} collection gap(s)", d.gaps.len()));
    }
    format!(
        r##"<div class="banner" id="incomplete" role="alert"><strong>Incomplete scan:</strong> {}. Some resources or rules were not checked, so "no finding" does not mean "passed". <a href="#not-checked">See what was not checked.</a></div>"##,
        what.join(" and ")
    )
}

pub fn summary(d: &Data<'_>) -> String {
    let open: Vec<&Row<'_>> = d.findings.iter().filter(|r| r.is_open()).collect();
    let suppressed = d
        .findings
        .iter()
        .filter(|r| r.verdict == Verdict::Fail && r.suppression.is_some())
        .count();
    let unknown = d
        .findings
        .iter()
        .filter(|r| r.verdict == Verdict::Unknown)
        .count();
    let evaluated: usize = d.rules.values().map(|r| r.stats.evaluated).sum();
    let passed: usize = d.rules.values().map(|r| r.stats.passed).sum();

    let mut out = String::from(
        r#"<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><ul class="totals">"#,
    );
    let passed_label = format!("of {evaluated} resource checks passed or did not apply");
    let new = open
        .iter()
        .filter(|r| {
            matches!(
                r.baseline,
                Some(BaselineState::New | BaselineState::Updated)
            )
        })
        .count();
    let new_label = d
        .baseline
        .as_ref()
        .map(|b| format!("of them new since {}", b.file.unwrap_or("the baseline")));
    let mut totals = vec![("open", "open failing findings", open.len())];
    if let Some(label) = &new_label {
        totals.push(("new", label.as_str(), new));
    }
    totals.extend([
        ("suppressed", "suppressed in source or muted", suppressed),
        ("unknown", "unknown (could not be decided)", unknown),
        ("passed", passed_label.as_str(), passed),
    ]);
    for (key, label, n) in totals {
        let _ = write!(
            out,
            r#"<li data-total="{key}"><span class="n">{n}</span> {}</li>"#,
            text(label)
        );
    }
    out.push_str(r#"</ul><div class="charts">"#);

    let by_severity: Vec<Bar> = d
        .severities
        .iter()
        .map(|&s| Bar {
            key: s.to_owned(),
            label: s.to_owned(),
            count: open.iter().filter(|r| r.severity.as_str() == s).count(),
            class: severity_class(Severity::parse(s)),
        })
        .collect();
    out.push_str(&chart::render("severity", "By severity", &by_severity));

    let by_pillar: Vec<Bar> = d
        .pillars
        .iter()
        .map(|p| Bar {
            key: slug(&p.id),
            label: p.title.to_owned(),
            count: open.iter().filter(|r| r.pillar == Some(p.id)).count(),
            class: "bar",
        })
        .collect();
    out.push_str(&chart::render("pillar", "By pillar", &by_pillar));

    out.push_str(&chart::render(
        "account",
        "By account",
        &tally(&open, |r| r.account()),
    ));
    out.push_str(&chart::render(
        "region",
        "By region",
        &tally(&open, |r| r.region()),
    ));
    out.push_str("</div></section>");
    out
}

/// Counts per key, largest first (ties by key), for accounts and regions.
fn tally<'a>(rows: &[&'a Row<'a>], key: impl Fn(&'a Row<'a>) -> &'a str) -> Vec<Bar> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        *counts.entry(key(r)).or_default() += 1;
    }
    let mut bars: Vec<Bar> = counts
        .into_iter()
        .map(|(k, n)| Bar {
            key: k.to_owned(),
            label: k.to_owned(),
            count: n,
            class: "bar",
        })
        .collect();
    bars.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    bars
}

fn severity_class(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Critical) => "sev-critical",
        Some(Severity::High) => "sev-high",
        Some(Severity::Medium) => "sev-medium",
        Some(Severity::Low) => "sev-low",
        Some(Severity::Info) | None => "sev-info",
    }
}

/// A serde enum's string form (the pillar slugs the data uses).
fn slug<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Against `--baseline`: the counts, and the findings that are gone, fixed
/// or not rechecked (never silently called fixed).
pub fn since_baseline(d: &Data<'_>) -> String {
    let Some(b) = &d.baseline else {
        return String::new();
    };
    let mut out = format!(
        r#"<section id="baseline" aria-labelledby="baseline-h"><h2 id="baseline-h">Since the baseline</h2><p>Compared with <span class="mono">{}</span>: {} new, {} unchanged, {} with another verdict, {} fixed, {} not rechecked.</p>"#,
        text(b.file.unwrap_or("")),
        b.new,
        b.unchanged,
        b.updated,
        b.fixed,
        b.not_rechecked
    );
    for (id, title, gone) in [
        ("fixed", "Fixed", &d.fixed),
        ("not-rechecked", "Not rechecked", &d.not_rechecked),
    ] {
        if gone.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            r#"<h3>{title} ({})</h3><table class="list" id="{id}"><thead><tr><th>Rule</th><th>Resource</th><th>Message</th><th>Why</th></tr></thead><tbody>"#,
            gone.len()
        );
        for g in gone.iter() {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td class="mono">{}</td><td>{}</td><td>{}</td></tr>"#,
                text(&g.entry.rule_id),
                text(g.entry.resource.as_deref().unwrap_or("—")),
                text(&g.entry.message),
                text(&g.why)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    out
}

/// Every mute: expired ones first (their findings count again), then those
/// expiring soon, then the rest.
pub fn mutes(d: &Data<'_>) -> String {
    if d.mutes.is_empty() {
        return String::new();
    }
    let mut rows: Vec<_> = d.mutes.iter().collect();
    rows.sort_by_key(|m| std::cmp::Reverse(m.state));
    let mut out = format!(
        r#"<section id="mutes" aria-labelledby="mutes-h"><h2 id="mutes-h">Mutes ({})</h2><table class="list"><thead><tr><th>State</th><th>Mute</th><th>Reason</th><th>Findings named</th></tr></thead><tbody>"#,
        d.mutes.len()
    );
    for m in rows {
        let state = match m.state {
            MuteState::Expired => "expired: its findings count again",
            MuteState::ExpiringSoon => "expires soon",
            MuteState::Active if m.matched == 0 => "in force, matched nothing",
            MuteState::Active => "in force",
        };
        let _ = write!(
            out,
            r#"<tr class="mute-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            slug(&m.state),
            text(state),
            text(&m.mute.describe()),
            text(&m.mute.reason),
            m.matched
        );
    }
    out.push_str("</tbody></table></section>");
    out
}

/// Pack failures and collection gaps, each as a table.
pub fn not_checked(d: &Data<'_>) -> String {
    let mut out = String::from(
        r#"<section id="not-checked" aria-labelledby="not-checked-h"><h2 id="not-checked-h">Not checked</h2>"#,
    );
    if d.complete {
        out.push_str("<p>Every rule pack ran and every resource was collected.</p></section>");
        return out;
    }
    if !d.failures.is_empty() {
        let _ = write!(
            out,
            r#"<h3>Rule pack failures ({})</h3><table class="list" id="failures"><thead><tr><th>Pack</th><th>Origin</th><th>Stage</th><th>Kind</th><th>Message</th></tr></thead><tbody>"#,
            d.failures.len()
        );
        for f in d.failures {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&f.pack),
                text(&f.origin),
                text(&slug(&f.stage)),
                text(&slug(&f.kind)),
                text(&f.message)
            );
        }
        out.push_str("</tbody></table>");
    }
    if !d.gaps.is_empty() {
        let _ = write!(
            out,
            r#"<h3>Collection gaps ({})</h3><table class="list" id="gaps"><thead><tr><th>What</th><th>Account</th><th>Region</th><th>Resource</th><th>Reason</th><th>Message</th></tr></thead><tbody>"#,
            d.gaps.len()
        );
        for g in d.gaps {
            let what = g
                .operation
                .as_deref()
                .or(g.kind.as_deref())
                .unwrap_or("collection");
            let opt = |v: &Option<String>| text(v.as_deref().unwrap_or("—"));
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(what),
                opt(&g.account),
                opt(&g.region),
                opt(&g.resource),
                text(&g.reason),
                text(&g.message)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    out
}

/// The packs that ran, with their hashes: the report's provenance.
pub fn packs(d: &Data<'_>) -> String {
    let rules: usize = d.rules.len();
    let mut out = format!(
        r#"<section id="packs" aria-labelledby="packs-h"><h2 id="packs-h">Rule packs</h2><p>{rules} rules from {} pack(s).</p><table class="list"><thead><tr><th>Pack</th><th>Version</th><th>Contract</th><th>Origin</th><th>SHA-256</th></tr></thead><tbody>"#,
        d.packs.len()
    );
    for p in &d.packs {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="mono">{}</td></tr>"#,
            text(p.name),
            text(p.version),
            text(p.contract),
            text(p.origin),
            text(p.sha256)
        );
    }
    out.push_str("</tbody></table></section>");
    out
}
