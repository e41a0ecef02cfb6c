//! The terminal report: findings grouped by rule, worst first, then what
//! was not checked, then a one-line verdict a person can act on.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pillar_evaluate::{Finding, Severity, Verdict};

use pillar_triage::{BaselineState, MuteState, Suppressed, SuppressionKind};

use crate::ScanReport;

/// How to render the terminal report.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (only when writing to a terminal that wants them).
    pub color: bool,
    /// List unknown verdicts one by one rather than only counting them.
    pub show_unknown: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<8}", s.as_str().to_uppercase());
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, &label)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

pub fn to_text(report: &ScanReport<'_>, options: TextOptions) -> String {
    let paint = Paint { on: options.color };
    let mut out = String::new();
    let snap = report.snapshot;
    let source = &snap.source;
    let accounts = if source.accounts.is_empty() {
        "no account".to_owned()
    } else {
        source.accounts.join(", ")
    };
    let _ = writeln!(
        out,
        "{} {} scanned {} ({}, {}, {} region{}, {} resources, taken {})",
        paint.bold("pillar"),
        crate::TOOL_VERSION,
        report.input,
        serde_json::to_value(source.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        accounts,
        source.regions.len(),
        if source.regions.len() == 1 { "" } else { "s" },
        snap.resources.len(),
        source.collected_at,
    );
    write_plan_actions(&mut out, report);
    let rule_count: usize = report.packs.iter().map(|p| p.rules.len()).sum();
    let packs: Vec<String> = report
        .packs
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    let _ = writeln!(
        out,
        "{rule_count} rules from {} pack(s): {}\n",
        report.packs.len(),
        packs.join(", ")
    );

    // Failing findings grouped by rule, worst severity first.
    type Indexed<'f> = Vec<(usize, &'f Finding)>;
    let mut by_rule: BTreeMap<(std::cmp::Reverse<Severity>, &str), Indexed<'_>> = BTreeMap::new();
    let mut unknown: BTreeMap<&str, Indexed<'_>> = BTreeMap::new();
    let mut suppressed: Indexed<'_> = Vec::new();
    for (i, f) in report.findings() {
        if f.verdict == Verdict::Fail && report.triage.suppression(i).is_some() {
            suppressed.push((i, f));
            continue;
        }
        match f.verdict {
            Verdict::Fail => by_rule
                .entry((std::cmp::Reverse(f.severity), &f.rule_id))
                .or_default()
                .push((i, f)),
            Verdict::Unknown => unknown.entry(&f.rule_id).or_default().push((i, f)),
        }
    }
    for ((std::cmp::Reverse(severity), rule_id), findings) in &by_rule {
        let title = report.rule(rule_id).map_or("", |(_, r)| r.title.as_str());
        let _ = writeln!(
            out,
            "{} {}  {}{}",
            paint.severity(*severity),
            paint.bold(rule_id),
            title,
            provenance(report, rule_id, &paint)
        );
        for (i, f) in findings {
            write_finding(&mut out, report, *i, f, &paint);
        }
        out.push('\n');
    }
    if !unknown.is_empty() {
        let total: usize = unknown.values().map(Vec::len).sum();
        let _ = writeln!(
            out,
            "{} {total} verdict(s) could not be decided (values unknown):",
            paint.bold("UNKNOWN ")
        );
        for (rule_id, findings) in &unknown {
            let from = provenance(report, rule_id, &paint);
            if options.show_unknown {
                let _ = writeln!(out, "  {rule_id}{from}");
                for (i, f) in findings {
                    write_finding(&mut out, report, *i, f, &paint);
                }
            } else {
                let _ = writeln!(out, "  {rule_id}: {} resource(s){from}", findings.len());
            }
        }
        if !options.show_unknown {
            let _ = writeln!(out, "  {}", paint.dim("(--show-unknown lists them)"));
        }
        out.push('\n');
    }

    if !suppressed.is_empty() {
        let _ = writeln!(
            out,
            "{} {} finding(s) suppressed in source or muted:",
            paint.bold("SUPPRESSED"),
            suppressed.len()
        );
        for (i, f) in suppressed {
            let why = report.triage.suppression(i).map(describe_suppression);
            let _ = writeln!(out, "  {} ({})", f.rule_id, why.unwrap_or_default());
            write_finding(&mut out, report, i, f, &paint);
        }
        out.push('\n');
    }

    write_baseline(&mut out, report, &paint);
    write_mutes(&mut out, report, &paint);
    write_gaps(&mut out, report, &paint);
    crate::compliance::write_compliance(&mut out, &report.assessed(), |s| paint.bold(s));
    write_summary(&mut out, report, &paint);
    out
}

/// Where a rule comes from, when it is not one of pillar's own: a
/// third-party rule is always shown with its pack's name, so that it cannot
/// pass for a built-in finding.
fn provenance(report: &ScanReport<'_>, rule_id: &str, paint: &Paint) -> String {
    match report.rule(rule_id) {
        Some((pack, _)) if !pack.is_builtin() => {
            paint.dim(&format!("  [third-party pack '{}']", pack.name))
        }
        _ => String::new(),
    }
}

/// For a plan: how many resources each action touches, in Terraform's order.
fn write_plan_actions(out: &mut String, report: &ScanReport<'_>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &report.snapshot.resources {
        if let Some(action) = crate::plan_action(r) {
            *counts.entry(action).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return;
    }
    let order = ["create", "update", "replace", "no-op", "planned"];
    let parts: Vec<String> = order
        .iter()
        .filter_map(|a| counts.get(a).map(|n| format!("{n} to {a}")))
        .map(|s| {
            s.replace("to no-op", "unchanged")
                .replace("to planned", "planned")
        })
        .collect();
    let _ = writeln!(out, "Plan: {}", parts.join(", "));
}

fn describe_suppression(s: &Suppressed) -> String {
    let reason = if s.justification.is_empty() {
        "no reason given"
    } else {
        s.justification.as_str()
    };
    match s.kind {
        SuppressionKind::InSource => format!("in source: {reason}"),
        SuppressionKind::Mute => format!(
            "muted by {} until {}: {reason}",
            s.owner.as_deref().unwrap_or("?"),
            s.expires.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// New, unchanged and gone findings against `--baseline`.
fn write_baseline(out: &mut String, report: &ScanReport<'_>, paint: &Paint) {
    let triage = report.triage;
    let Some(counts) = triage.baseline_counts() else {
        return;
    };
    let _ = writeln!(
        out,
        "{} {}: {} new, {} unchanged, {} changed verdict, {} fixed, {} not rechecked",
        paint.bold("SINCE BASELINE"),
        counts.file.unwrap_or(""),
        counts.new,
        counts.unchanged,
        counts.updated,
        counts.fixed,
        counts.not_rechecked
    );
    for g in triage.fixed() {
        let _ = writeln!(
            out,
            "  fixed  {}  {}  ({})",
            g.entry.rule_id,
            g.entry.resource.as_deref().unwrap_or("?"),
            g.why
        );
    }
    for g in triage.not_rechecked() {
        let _ = writeln!(
            out,
            "  {}  {}  {}  ({})",
            paint.dim("not rechecked"),
            g.entry.rule_id,
            g.entry.resource.as_deref().unwrap_or("?"),
            g.why
        );
    }
    out.push('\n');
}

/// Mutes that need a person: expired, expiring soon, or matching nothing.
fn write_mutes(out: &mut String, report: &ScanReport<'_>, paint: &Paint) {
    let mut lines = Vec::new();
    for m in &report.triage.mutes {
        match m.state {
            MuteState::Expired => lines.push(format!(
                "  ! expired: {} (reason: {}); {} finding(s) no longer muted",
                m.mute.describe(),
                m.mute.reason,
                m.matched
            )),
            MuteState::ExpiringSoon => lines.push(format!(
                "  expires soon: {}; {} finding(s) muted",
                m.mute.describe(),
                m.matched
            )),
            MuteState::Active if m.matched == 0 => lines.push(format!(
                "  unused: {} matched no finding",
                m.mute.describe()
            )),
            MuteState::Active => {}
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint.bold("MUTES"));
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    out.push('\n');
}

fn write_finding(
    out: &mut String,
    report: &ScanReport<'_>,
    index: usize,
    f: &Finding,
    paint: &Paint,
) {
    let Some(r) = report.resource(f.resource) else {
        return;
    };
    let marker = match report.triage.state(index) {
        Some(BaselineState::New) => "[new] ",
        Some(BaselineState::Updated) => "[changed] ",
        _ => "",
    };
    let region = r.region.as_deref().unwrap_or("global");
    let place = r.location.as_ref().map(|l| match l.line {
        Some(line) => format!("{}:{line}", l.file),
        None => l.file.clone(),
    });
    let _ = writeln!(
        out,
        "  {} {}{}",
        paint.dim(&format!("{region:<14}")),
        paint.bold(marker),
        f.message
    );
    let mut detail = format!("{:16}{}", "", r.id);
    if let Some(action) = crate::plan_action(r) {
        let _ = write!(detail, " ({action})");
    }
    if let Some(e) = &f.evidence {
        let _ = write!(detail, "  at {e}");
    }
    if let Some(p) = place {
        let _ = write!(detail, "  ({p})");
    }
    let _ = writeln!(out, "{}", paint.dim(&detail));
}

fn write_gaps(out: &mut String, report: &ScanReport<'_>, paint: &Paint) {
    if !report.has_gaps() {
        return;
    }
    let _ = writeln!(out, "{}", paint.bold("NOT CHECKED"));
    for f in report.failures {
        let _ = writeln!(out, "  ! {f}");
    }
    for g in &report.snapshot.gaps {
        let what = g
            .operation
            .as_deref()
            .or(g.kind.as_deref())
            .unwrap_or("collection");
        let on = g
            .resource
            .as_deref()
            .map(|r| format!(" on {r}"))
            .unwrap_or_default();
        let region = g
            .region
            .as_deref()
            .map(|r| format!(" in {r}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  ! not collected: {what}{on}{region} ({}): {}",
            g.reason, g.message
        );
    }
    out.push('\n');
}

fn write_summary(out: &mut String, report: &ScanReport<'_>, paint: &Paint) {
    let findings = &report.evaluation.findings;
    let triage = report.triage;
    let failed: Vec<&Finding> = report
        .findings()
        .filter(|(i, f)| f.verdict == Verdict::Fail && triage.suppression(*i).is_none())
        .map(|(_, f)| f)
        .collect();
    let suppressed = report
        .findings()
        .filter(|(i, f)| f.verdict == Verdict::Fail && triage.suppression(*i).is_some())
        .count();
    let new = report
        .findings()
        .filter(|(i, f)| {
            f.verdict == Verdict::Fail
                && triage.suppression(*i).is_none()
                && matches!(
                    triage.state(*i),
                    Some(BaselineState::New | BaselineState::Updated)
                )
        })
        .count();
    let unknown = findings
        .iter()
        .filter(|f| f.verdict == Verdict::Unknown)
        .count();
    let mut parts = Vec::new();
    for s in Severity::ALL.iter().rev() {
        let n = failed.iter().filter(|f| f.severity == *s).count();
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    let passed: usize = report.evaluation.stats.values().map(|s| s.passed()).sum();
    let evaluated: usize = report.evaluation.stats.values().map(|s| s.evaluated).sum();
    let mut by_pillar: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &failed {
        if let Some((_, rule)) = report.rule(&f.rule_id) {
            *by_pillar.entry(rule.pillar.title()).or_default() += 1;
        }
    }
    let pillars: Vec<String> = by_pillar.iter().map(|(p, n)| format!("{p} {n}")).collect();
    let severity = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let suppressed = if suppressed > 0 {
        format!(", {suppressed} suppressed")
    } else {
        String::new()
    };
    let new = if triage.baseline.is_some() {
        format!(" ({new} new)")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} {} failing{severity}{new}, {unknown} unknown{suppressed}, {passed} of {evaluated} resource checks passed or did not apply",
        paint.bold("Summary:"),
        failed.len(),
    );
    if !pillars.is_empty() {
        let _ = writeln!(out, "By pillar: {}", pillars.join(", "));
    }
    if report.has_gaps() {
        let _ = writeln!(
            out,
            "Incomplete: {} pack failure(s), {} collection gap(s); see NOT CHECKED above.",
            report.failures.len(),
            report.snapshot.gaps.len()
        );
    }
    if let Some(t) = report.fail_on {
        let n = report.failing_at(t);
        let scope = if triage.new_only { "new " } else { "" };
        let _ = writeln!(
            out,
            "Threshold --fail-on {}: {n} {scope}finding(s) at or above it.",
            t.as_str()
        );
    }
}
