//! A small horizontal bar chart as inline SVG, with its numbers as a table.
//!
//! Drawn in Rust so the summary reads (and prints) without JavaScript. The
//! SVG is for sighted readers (`aria-hidden`, each bar labelled with its
//! number and a `<title>`); a visually hidden table carries the same
//! numbers for screen readers, and the tests read it.

use std::fmt::Write as _;

use super::escape::text;

/// One bar: a key the page can filter on, its label, and its count.
pub struct Bar {
    pub key: String,
    pub label: String,
    pub count: usize,
    /// A CSS class from a fixed set (e.g. `sev-high`), never from input.
    pub class: &'static str,
}

const WIDTH: usize = 320;
const LABEL: usize = 150;
const ROW: usize = 22;
const BAR: usize = 14;

/// A `<figure>` with the chart and its table; `id` names it for tests.
pub fn render(id: &str, caption: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let height = (bars.len().max(1)) * ROW;
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" aria-hidden="true" focusable="false">"#
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW;
        let room = WIDTH - LABEL - 40;
        // A non-zero count always gets a visible sliver.
        let w = if b.count == 0 {
            0
        } else {
            (b.count * room / max).max(2)
        };
        let _ = write!(
            svg,
            r#"<g class="{class}" data-key="{key}"><title>{label}: {count}</title><text x="0" y="{ty}" class="label">{label}</text><rect x="{LABEL}" y="{ry}" width="{w}" height="{BAR}" rx="2"></rect><text x="{tx}" y="{ty}" class="value">{count}</text></g>"#,
            class = b.class,
            key = text(&b.key),
            label = text(&truncate(&b.label, 22)),
            count = b.count,
            ty = y + 15,
            ry = y + 4,
            tx = LABEL + w + 6,
        );
    }
    if bars.is_empty() {
        let _ = write!(svg, r#"<text x="0" y="15" class="label">none</text>"#);
    }
    svg.push_str("</svg>");

    let mut table = format!(
        r#"<table class="counts visually-hidden" data-chart="{id}"><thead><tr><th scope="col">{caption}</th><th scope="col" class="num">Open</th></tr></thead><tbody>"#,
        id = text(id),
        caption = text(caption),
    );
    for b in bars {
        let _ = write!(
            table,
            r#"<tr data-key="{key}"><th scope="row">{label}</th><td class="num" data-count="{count}">{count}</td></tr>"#,
            key = text(&b.key),
            label = text(&b.label),
            count = b.count,
        );
    }
    table.push_str("</tbody></table>");
    format!(
        r#"<figure class="chart-box" id="chart-{id}"><figcaption>{caption}</figcaption>{svg}{table}</figure>"#,
        id = text(id),
        caption = text(caption),
    )
}

/// At most `max` characters, with an ellipsis when cut (labels are ids).
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(key: &str, count: usize) -> Bar {
        Bar {
            key: key.to_owned(),
            label: key.to_owned(),
            count,
            class: "bar",
        }
    }

    #[test]
    fn bars_scale_to_the_largest_and_the_table_has_every_count() {
        let html = render(
            "region",
            "By region",
            &[bar("eu-west-1", 10), bar("us-east-1", 5)],
        );
        assert!(html.contains(r#"width="130""#), "{html}");
        assert!(html.contains(r#"width="65""#), "{html}");
        assert!(html.contains(r#"<tr data-key="us-east-1"><th scope="row">us-east-1</th><td class="num" data-count="5">5</td></tr>"#));
        assert!(html.contains("<title>eu-west-1: 10</title>"));
    }

    #[test]
    fn labels_are_escaped_and_zero_draws_no_bar() {
        let html = render("account", "By account", &[bar("<b>&", 0)]);
        assert!(html.contains("&lt;b&gt;&amp;"));
        assert!(!html.contains("<b>"));
        assert!(html.contains(r#"width="0""#));
    }

    #[test]
    fn long_labels_are_cut_in_the_chart_only() {
        let long = "a".repeat(40);
        let html = render("x", "X", &[bar(&long, 1)]);
        assert!(html.contains(&format!("{}…", "a".repeat(21))));
        assert!(html.contains(&format!(r#"<th scope="row">{long}</th>"#)));
    }
}
