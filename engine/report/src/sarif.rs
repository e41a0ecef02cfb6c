//! SARIF 2.1.0, shaped for GitHub code scanning.
//!
//! - every rule carries `security-severity`, its pillar and best practice;
//! - every result has a physical location (GitHub requires one: the plan's
//!   `.tf` file or the snapshot file itself, at the resource's line), a
//!   logical location (the ARN or Terraform address), and a stable
//!   `partialFingerprints` entry;
//! - `unknown` verdicts are results of kind `open` with level `none`;
//! - pack failures and collection gaps are tool execution notifications,
//!   and each loaded pack is a `tool.extensions` entry with its sha256.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultKind,
    ResultLevel, Run, RunAutomationDetails, Sarif, Suppression, Tool, ToolComponent,
};

use pillar_evaluate::{Finding, Severity, Verdict};

use pillar_triage::{FINGERPRINT_KEY, MuteState, MuteUse, Suppressed, SuppressionKind};

use crate::{ScanReport, TOOL_VERSION, security_severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/pillar-scan/pillar";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

fn bag(props: Value) -> PropertyBag {
    let additional: BTreeMap<String, Value> = match props {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    };
    PropertyBag::builder()
        .additional_properties(additional)
        .build()
}

fn text(s: &str) -> Message {
    Message::builder().text(s.to_owned()).build()
}

/// The report as a SARIF log, pretty-printed.
pub fn to_sarif(report: &ScanReport<'_>) -> String {
    crate::stream::to_pretty_string(|out| write_sarif(report, out))
}

/// Writes the report as a pretty-printed SARIF log. Results are rendered a
/// window at a time, in parallel (see [`crate::stream`]).
pub fn write_sarif(report: &ScanReport<'_>, out: impl std::io::Write) -> std::io::Result<()> {
    let (log, rule_index) = build(report);
    let log = serde_json::to_value(&log).map_err(std::io::Error::other)?;
    let findings: Vec<(usize, &Finding)> = report.findings().collect();
    crate::stream::write_with_list(out, log, &["runs", "0", "results"], &findings, |&(i, f)| {
        result(report, &rule_index, i, f)
    })
}

/// The log without its results (an empty list stands in their place), and
/// each rule's position in `tool.driver.rules`.
fn build<'r>(report: &ScanReport<'r>) -> (Sarif, BTreeMap<&'r str, usize>) {
    let mut rule_index = BTreeMap::new();
    let mut rules = Vec::new();
    for pack in report.packs {
        for r in &pack.rules {
            rule_index.insert(r.id.as_str(), rules.len());
            // The pillar tag of security rules is "security", which GitHub
            // code scanning keys `security-severity` display on.
            let mut tags = vec![
                "well-architected".to_owned(),
                r.pillar.title().to_lowercase().replace(' ', "-"),
                r.best_practice.clone(),
            ];
            tags.extend(r.resource_kinds.iter().cloned());
            let controls = crate::compliance::rule_controls(report.compliance.known, r);
            tags.extend(controls.iter().map(|(f, c)| format!("{f}/{c}")));
            let mut seen = std::collections::HashSet::new();
            tags.retain(|t| seen.insert(t.clone()));
            let help_markdown = format!("{}\n\n[Rule documentation]({})", r.help, r.help_uri);
            rules.push(
                ReportingDescriptor::builder()
                    .id(r.id.clone())
                    .name(r.id.replace('-', ""))
                    .short_description(
                        MultiformatMessageString::builder()
                            .text(r.title.clone())
                            .build(),
                    )
                    .full_description(
                        MultiformatMessageString::builder()
                            .text(r.help.clone())
                            .build(),
                    )
                    .help(
                        MultiformatMessageString::builder()
                            .text(r.help.clone())
                            .markdown(help_markdown)
                            .build(),
                    )
                    .help_uri(r.help_uri.clone())
                    .default_configuration(
                        ReportingConfiguration::builder()
                            .level(serde_json::to_value(level(r.severity)).unwrap_or(Value::Null))
                            .build(),
                    )
                    .properties(bag(json!({
                        "tags": tags,
                        "security-severity": security_severity(r.severity),
                        "precision": "high",
                        "severity": r.severity.as_str(),
                        "pillar": r.pillar.title(),
                        "best-practice": r.best_practice,
                        "pack": pack.name,
                        "compliance": crate::compliance::controls_json(&controls),
                    })))
                    .build(),
            );
        }
    }

    let mut notifications = Vec::new();
    for failure in report.failures {
        notifications.push(
            Notification::builder()
                .message(text(&failure.to_string()))
                .level(json!("error"))
                .descriptor(
                    ReportingDescriptorReference::builder()
                        .id("pillar/pack-failure".to_owned())
                        .build(),
                )
                .properties(bag(json!({
                    "pack": failure.pack,
                    "origin": failure.origin,
                    "stage": failure.stage,
                    "kind": failure.kind,
                })))
                .build(),
        );
    }
    for gap in &report.snapshot.gaps {
        let what = gap
            .operation
            .as_deref()
            .or(gap.kind.as_deref())
            .unwrap_or("collection");
        let mut message = format!("not collected: {what} ({}): {}", gap.reason, gap.message);
        if let Some(r) = &gap.resource {
            message = format!(
                "not collected: {what} on {r} ({}): {}",
                gap.reason, gap.message
            );
        }
        notifications.push(
            Notification::builder()
                .message(text(&message))
                .level(json!("warning"))
                .descriptor(
                    ReportingDescriptorReference::builder()
                        .id("pillar/collection-gap".to_owned())
                        .build(),
                )
                .properties(bag(serde_json::to_value(gap).unwrap_or(Value::Null)))
                .build(),
        );
    }
    notifications.extend(mute_notifications(report));
    let invocation = Invocation::builder()
        // The scan ran to the end; what it could not cover is in the notifications.
        .execution_successful(report.failures.is_empty())
        .tool_execution_notifications(notifications)
        .build();

    let extensions: Vec<ToolComponent> = report
        .packs
        .iter()
        .map(|p| {
            ToolComponent::builder()
                .name(p.name.clone())
                .version(p.version.clone())
                .properties(bag(json!({
                    "sha256": p.sha256,
                    "contract": format!("pillar:rules@{}", p.contract),
                    "origin": p.origin,
                    "rules": p.rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
                })))
                .build()
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("pillar".to_owned())
        .version(TOOL_VERSION.to_owned())
        .semantic_version(TOOL_VERSION.to_owned())
        .information_uri(INFO_URI.to_owned())
        .rules(rules)
        .build();
    let tool = Tool::builder()
        .driver(driver)
        .extensions(extensions)
        .build();

    let stats = report.rule_stats();
    let source = &report.snapshot.source;
    // GitHub code scanning keeps one set of alerts per category: one per
    // kind of source, so a plan scan does not close a live audit's alerts.
    let kind = serde_json::to_value(source.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let automation = RunAutomationDetails::builder()
        .id(format!("pillar/{kind}/"))
        .build();
    let mut run_properties = json!({
        "input": report.input,
        "source": source,
        "resources": report.snapshot.resources.len(),
        "ruleStats": stats,
    });
    let baseline = baseline_properties(report);
    if !baseline.is_null() {
        run_properties["pillar/baseline"] = baseline;
    }
    // Every mute with what it matched (notifications only name those that
    // need a person), so `pillar merge` can combine shards' counts.
    if !report.triage.mutes.is_empty() {
        run_properties["pillar/mutes"] = json!(report.triage.mutes);
    }
    let run = Run::builder()
        .tool(tool)
        .automation_details(automation)
        .results(Vec::new())
        .invocations(vec![invocation])
        .properties(bag(run_properties))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA.to_owned())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    (log, rule_index)
}

/// The SARIF result of finding `i`; `None` when its resource is not in the
/// snapshot (the evaluation never reports such a finding).
fn result(
    report: &ScanReport<'_>,
    rule_index: &BTreeMap<&str, usize>,
    i: usize,
    f: &Finding,
) -> Option<SarifResult> {
    let triage = report.triage;
    let print = triage.fingerprints.get(i).cloned().unwrap_or_default();
    let resource = report.resource(f.resource)?;
    let mut physical = PhysicalLocation::builder().build();
    if let Some(loc) = &resource.location {
        physical.artifact_location = Some(artifact(&loc.file));
        physical.region = loc
            .line
            .map(|line| Region::builder().start_line(i64::from(line)).build());
    }
    let logical = LogicalLocation::builder()
        .fully_qualified_name(resource.id.clone())
        .name(short_name(&resource.id).to_owned())
        .kind("resource".to_owned())
        .build();
    let mut location = Location::builder()
        .physical_location(physical)
        .logical_locations(vec![logical])
        .build();
    if resource.location.is_none() {
        // Nothing on disk to point at (`scan --aws` without
        // `--save-snapshot`); SARIF refuses a physical location without
        // an artifact, so only the logical location is given.
        location.physical_location = None;
    }
    let (kind, lvl) = match f.verdict {
        Verdict::Fail => (ResultKind::Fail, level(f.severity)),
        Verdict::Unknown => (ResultKind::Open, ResultLevel::None),
    };
    let mut result = SarifResult::builder()
        .rule_id(f.rule_id.clone())
        .message(text(&f.message))
        .kind(kind)
        .level(lvl)
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_owned(), print)]))
        .properties(bag(json!({
            "verdict": f.verdict,
            "severity": f.severity.as_str(),
            "security-severity": security_severity(f.severity),
            "pack": f.pack,
            "resource": resource.id,
            "resourceKind": resource.kind,
            "account": resource.account,
            "region": resource.region,
            "evidence": f.evidence,
        })))
        .build();
    if let Some(&i) = rule_index.get(f.rule_id.as_str()) {
        result.rule_index = i64::try_from(i).ok();
    }
    if let Some(action) = crate::plan_action(resource)
        && let Some(PropertyBag {
            additional_properties,
            ..
        }) = result.properties.as_mut()
    {
        additional_properties.insert("planAction".to_owned(), json!(action));
    }
    if let Some(s) = triage.suppression(i) {
        result.suppressions = Some(vec![suppression(s)]);
    }
    if let Some(state) = triage.state(i) {
        result.baseline_state = serde_json::to_value(state).ok();
    }
    Some(result)
}

/// A SARIF suppression: `inSource` for `# pillar:ignore` comments,
/// `external` for mutes (with their owner and expiry as properties).
fn suppression(s: &Suppressed) -> Suppression {
    let kind = match s.kind {
        SuppressionKind::InSource => "inSource",
        SuppressionKind::Mute => "external",
    };
    let mut out = Suppression::builder()
        .kind(json!(kind))
        .status(json!("accepted"))
        .build();
    if !s.justification.is_empty() {
        out.justification = Some(s.justification.clone());
    }
    out.location = s.location.as_ref().map(|l| {
        let mut physical = PhysicalLocation::builder().build();
        physical.artifact_location = Some(artifact(&l.file));
        physical.region = l
            .line
            .map(|line| Region::builder().start_line(i64::from(line)).build());
        Location::builder().physical_location(physical).build()
    });
    if s.kind == SuppressionKind::Mute {
        out.properties = Some(bag(json!({
            "owner": s.owner,
            "expires": s.expires,
        })));
    }
    out
}

/// Mutes the reader must act on: expired ones (their findings count again),
/// ones expiring soon, and ones that matched nothing (stale configuration).
fn mute_notifications(report: &ScanReport<'_>) -> Vec<Notification> {
    mute_notifications_of(&report.triage.mutes)
}

/// The notifications for `mutes` (also used when merging shards' reports,
/// whose mutes are combined first).
pub(crate) fn mute_notifications_of(mutes: &[MuteUse]) -> Vec<Notification> {
    let mut out = Vec::new();
    for m in mutes {
        let (id, level, message) = match m.state {
            MuteState::Expired => (
                "pillar/mute-expired",
                "warning",
                format!(
                    "mute expired: {}; {} finding(s) it covered are reported again",
                    m.mute.describe(),
                    m.matched
                ),
            ),
            MuteState::ExpiringSoon => (
                "pillar/mute-expiring",
                "note",
                format!("mute expires soon: {}", m.mute.describe()),
            ),
            MuteState::Active if m.matched == 0 => (
                "pillar/mute-unused",
                "note",
                format!("mute matched no finding: {}", m.mute.describe()),
            ),
            MuteState::Active => continue,
        };
        out.push(
            Notification::builder()
                .message(text(&message))
                .level(json!(level))
                .descriptor(
                    ReportingDescriptorReference::builder()
                        .id(id.to_owned())
                        .build(),
                )
                .properties(bag(serde_json::to_value(m).unwrap_or(Value::Null)))
                .build(),
        );
    }
    out
}

/// The baseline comparison, with the findings that are gone: SARIF results
/// only hold what this run found, and GitHub code scanning does not read
/// `kind`, so fixed findings live here rather than as `absent` results.
fn baseline_properties(report: &ScanReport<'_>) -> Value {
    let triage = report.triage;
    let Some(counts) = triage.baseline_counts() else {
        return Value::Null;
    };
    let mut v = serde_json::to_value(counts).unwrap_or(Value::Null);
    v["fixed_findings"] = json!(triage.fixed().collect::<Vec<_>>());
    v["not_rechecked_findings"] = json!(triage.not_rechecked().collect::<Vec<_>>());
    v
}

/// An artifact location: relative paths are relative to the source root
/// (`%SRCROOT%`, the repository checkout for GitHub code scanning).
fn artifact(path: &str) -> ArtifactLocation {
    let mut a = ArtifactLocation::builder().uri(uri(path)).build();
    if !path.starts_with('/') && !path.contains(':') {
        a.uri_base_id = Some("%SRCROOT%".to_owned());
    }
    a
}

/// A relative path as a URI reference: forward slashes, spaces and other
/// reserved characters percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The last segment of an ARN or address: `sg-0abc`, `orders-db`, `aws_s3_bucket.logs`.
fn short_name(id: &str) -> &str {
    id.rsplit([':', '/']).find(|s| !s.is_empty()).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri("./fixtures/demo/web shop.json"),
            "fixtures/demo/web%20shop.json"
        );
        assert_eq!(uri("a\\b.json"), "a/b.json");
    }

    #[test]
    fn short_names() {
        assert_eq!(
            short_name("arn:aws:ec2:eu-west-1:1:security-group/sg-1"),
            "sg-1"
        );
        assert_eq!(short_name("arn:aws:rds:eu-west-1:1:db:orders"), "orders");
        assert_eq!(short_name("arn:aws:s3:::bucket"), "bucket");
    }
}
