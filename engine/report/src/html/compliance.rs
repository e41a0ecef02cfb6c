//! The framework view: per `--compliance` framework, its totals, a stacked
//! bar per section (inline SVG), a table of section totals and one of every
//! control. Rendered in Rust, so it reads without JavaScript and in print;
//! every number is also in the embedded data's `compliance` list, the JSON
//! report's section of the same name.

use std::fmt::Write as _;

use pillar_compliance::{Assessed, Totals, Verdict};

use super::escape::text;

const WIDTH: usize = 360;
const LABEL: usize = 70;
const ROW: usize = 20;
const BAR: usize = 14;

/// Every assessed framework's view; nothing when none was selected.
pub fn view(assessed: &[Assessed<'_>]) -> String {
    let mut out = String::new();
    for a in assessed {
        framework(&mut out, a);
    }
    out
}

fn framework(out: &mut String, a: &Assessed<'_>) {
    let f = &a.framework.framework;
    let (covered, of) = a.framework.coverage();
    let id = text(&f.id);
    let _ = write!(
        out,
        r#"<section class="compliance" id="compliance-{id}" data-framework="{id}" aria-labelledby="compliance-{id}-h"><h2 id="compliance-{id}-h">Compliance: {} {}</h2>"#,
        text(&f.name),
        text(&f.version)
    );
    let _ = write!(
        out,
        r#"<p class="note">Framework <code>{id}</code>; pillar's rules cover {covered} of {of} controls. A control passes only when every rule that evidences it ran on complete data and passed on every resource it read; <em>no-resources</em> means its rules found nothing to read, <em>not-checked</em> that a rule did not run or its data is incomplete.</p>"#
    );
    out.push_str(r#"<ul class="totals compliance-totals">"#);
    let _ = write!(
        out,
        r#"<li data-verdict="controls"><span class="num">{}</span> controls</li>"#,
        a.totals.controls
    );
    for v in Verdict::ALL {
        let _ = write!(
            out,
            r#"<li class="v-{v}" data-verdict="{v}"><span class="num">{n}</span> {v}</li>"#,
            v = v.as_str(),
            n = a.totals.get(v)
        );
    }
    out.push_str("</ul>");
    chart(out, a);
    sections(out, a);
    controls(out, a);
    out.push_str("</section>");
}

/// One stacked bar per section: the share of its controls in each verdict.
fn chart(out: &mut String, a: &Assessed<'_>) {
    let height = a.sections.len().max(1) * ROW + ROW;
    let room = WIDTH - LABEL;
    let _ = write!(
        out,
        r#"<figure class="chart-box compliance-chart"><figcaption>Controls by verdict, per section</figcaption><svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" aria-hidden="true" focusable="false">"#
    );
    for (i, s) in a.sections.iter().enumerate() {
        let y = i * ROW;
        let _ = write!(
            out,
            r#"<g data-section="{id}"><text x="0" y="{ty}" class="label">{id}</text>"#,
            id = text(&s.id),
            ty = y + 14
        );
        let mut x = LABEL;
        for v in Verdict::ALL {
            let n = s.totals.get(v);
            if n == 0 {
                continue;
            }
            let w = (n * room / s.totals.controls.max(1)).max(2);
            let _ = write!(
                out,
                r#"<rect class="v-{v}" x="{x}" y="{ry}" width="{w}" height="{BAR}"><title>{title}: {n} {v}</title></rect>"#,
                v = v.as_str(),
                ry = y + 3,
                title = text(&s.title),
            );
            x += w;
        }
        out.push_str("</g>");
    }
    // The legend, on the last row.
    let y = a.sections.len() * ROW + 14;
    let mut x = 0;
    for v in Verdict::ALL {
        let _ = write!(
            out,
            r#"<rect class="v-{v}" x="{x}" y="{ry}" width="8" height="8"></rect><text x="{tx}" y="{y}" class="legend">{v}</text>"#,
            v = v.as_str(),
            ry = y - 8,
            tx = x + 10
        );
        x += 10 + v.as_str().len() * 6 + 8;
    }
    out.push_str("</svg></figure>");
}

fn totals_cells(out: &mut String, t: &Totals) {
    let _ = write!(
        out,
        r#"<td class="num" data-verdict="controls">{}</td>"#,
        t.controls
    );
    for v in Verdict::ALL {
        let _ = write!(
            out,
            r#"<td class="num" data-verdict="{}">{}</td>"#,
            v.as_str(),
            t.get(v)
        );
    }
}

fn sections(out: &mut String, a: &Assessed<'_>) {
    out.push_str(r#"<table class="compliance-sections"><caption>Per section</caption><thead><tr><th scope="col">Section</th><th scope="col" class="num">Controls</th>"#);
    for v in Verdict::ALL {
        let _ = write!(out, r#"<th scope="col" class="num">{}</th>"#, v.as_str());
    }
    out.push_str("</tr></thead><tbody>");
    for s in &a.sections {
        let depth = a.framework.section_chain(&s.id).len().saturating_sub(1);
        let _ = write!(
            out,
            r#"<tr data-section="{id}"><th scope="row" class="depth-{depth}">{id} {title}</th>"#,
            id = text(&s.id),
            title = text(&s.title),
            depth = depth.min(3),
        );
        totals_cells(out, &s.totals);
        out.push_str("</tr>");
    }
    out.push_str(r#"<tr data-section="" class="total"><th scope="row">Total</th>"#);
    totals_cells(out, &a.totals);
    out.push_str("</tr></tbody></table>");
}

fn controls(out: &mut String, a: &Assessed<'_>) {
    out.push_str(r#"<table class="compliance-controls"><caption>Controls</caption><thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Verdict</th><th scope="col" class="num">Checked</th><th scope="col" class="num">Failing</th><th scope="col" class="num">Unknown</th><th scope="col">Rules</th></tr></thead><tbody>"#);
    for c in &a.controls {
        let rules: Vec<String> = c
            .rules
            .iter()
            .map(|r| {
                let why = r
                    .reason
                    .as_deref()
                    .filter(|_| !r.checked)
                    .map(|w| format!(" (not checked: {w})"))
                    .unwrap_or_default();
                format!("{}{why}", r.rule)
            })
            .collect();
        let _ = write!(
            out,
            r#"<tr data-control="{id}" data-verdict="{v}"><td class="mono">{id}</td><td title="{title}">{title}</td><td><span class="badge v-{v}">{v}</span></td><td class="num" data-col="evaluated">{e}</td><td class="num" data-col="failing">{f}</td><td class="num" data-col="unknown">{u}</td><td class="mono">{rules}</td></tr>"#,
            id = text(&c.control.id),
            title = text(&c.control.title),
            v = c.verdict.as_str(),
            e = c.evaluated,
            f = c.failing,
            u = c.unknown,
            rules = text(&rules.join(", ")),
        );
    }
    out.push_str("</tbody></table>");
}
