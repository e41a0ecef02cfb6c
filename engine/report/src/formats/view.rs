//! A pillar JSON report read back for the format writers: its findings as
//! rows with the facts every format needs, checked once here so that the
//! writers never guess at a missing field.

use std::collections::HashMap;

use serde_json::Value;

use super::FormatError;

/// One finding of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub rule_id: String,
    /// The rule's title, or its id when the report does not carry the rule.
    pub title: String,
    /// `fail` or `unknown`.
    pub verdict: String,
    /// `info`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// The Well-Architected pillar, e.g. `security`.
    pub pillar: Option<String>,
    pub pack: String,
    /// The resource's stable id: an ARN, or a Terraform address for plans.
    pub resource: String,
    pub kind: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub message: String,
    /// JSON pointer into the resource.
    pub evidence: Option<String>,
    pub fingerprint: String,
    /// `in-source` or `mute` when suppressed, with the reason.
    pub suppressed: Option<(String, String)>,
    /// `new`, `unchanged` or `updated` against the baseline, if one.
    pub baseline: Option<String>,
    /// The rule's help markdown and page, when the report carries the rule.
    pub help: Option<String>,
    pub help_uri: Option<String>,
}

impl FindingRow {
    pub fn is_fail(&self) -> bool {
        self.verdict == "fail"
    }

    /// True for findings that count: failing and not suppressed.
    pub fn counts(&self) -> bool {
        self.is_fail() && self.suppressed.is_none()
    }
}

/// A finding of the baseline that this scan saw to be gone.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedRow {
    pub rule_id: String,
    pub title: String,
    pub severity: String,
    pub resource: String,
    pub kind: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub message: String,
    pub fingerprint: String,
    pub help_uri: Option<String>,
}

/// The report as the writers read it.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub tool_version: String,
    /// The snapshot's `collected_at` (RFC 3339).
    pub collected_at: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub findings: Vec<FindingRow>,
    pub fixed: Vec<FixedRow>,
    /// Collection gaps and pack failures, one line each.
    pub gaps: Vec<String>,
    pub pack_failures: Vec<(String, String)>,
    /// Per rule id: (pack, title, resources passed).
    pub rules: Vec<RuleRow>,
}

/// A rule that ran, with its pass count (reports list only failing and
/// unknown findings one by one).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRow {
    pub id: String,
    pub pack: String,
    pub title: String,
    pub passed: u64,
}

struct RuleMeta<'a> {
    pack: &'a str,
    title: &'a str,
    help: &'a str,
    help_uri: &'a str,
}

impl ReportView {
    /// Reads a pillar JSON report (as `scan --format json` or `merge`
    /// write it).
    pub fn read(doc: &Value) -> Result<ReportView, FormatError> {
        if doc.get("report_version").is_none() {
            return Err(FormatError::NotAReport("no report_version".into()));
        }
        let findings = doc["findings"]
            .as_array()
            .ok_or_else(|| FormatError::NotAReport("no findings list".into()))?;
        let mut meta: HashMap<&str, RuleMeta<'_>> = HashMap::new();
        for pack in doc["packs"].as_array().into_iter().flatten() {
            let pack_name = pack["name"].as_str().unwrap_or_default();
            for rule in pack["rules"].as_array().into_iter().flatten() {
                if let Some(id) = rule["id"].as_str() {
                    meta.insert(
                        id,
                        RuleMeta {
                            pack: pack_name,
                            title: rule["title"].as_str().unwrap_or(id),
                            help: rule["help"].as_str().unwrap_or_default(),
                            help_uri: rule["help_uri"].as_str().unwrap_or_default(),
                        },
                    );
                }
            }
        }
        let rows = findings
            .iter()
            .enumerate()
            .map(|(index, f)| {
                finding_row(f, &meta).map_err(|message| FormatError::Finding { index, message })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let fixed = doc["fixed"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(index, f)| {
                fixed_row(f, &meta).map_err(|message| {
                    FormatError::Invalid(format!("fixed finding {index}: {message}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        let source = &doc["source"];
        let mut rules: Vec<RuleRow> = doc["summary"]["rules"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(id, stats)| {
                let m = meta.get(id.as_str());
                RuleRow {
                    id: id.clone(),
                    pack: m.map_or("", |m| m.pack).to_owned(),
                    title: m.map_or(id.as_str(), |m| m.title).to_owned(),
                    passed: stats["passed"].as_u64().unwrap_or(0),
                }
            })
            .collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(ReportView {
            tool_version: doc["tool"]["version"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            collected_at: source["collected_at"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            accounts: strings(&source["accounts"]),
            regions: strings(&source["regions"]),
            findings: rows,
            fixed,
            gaps: doc["gaps"]
                .as_array()
                .into_iter()
                .flatten()
                .map(gap_line)
                .collect(),
            pack_failures: doc["failures"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    (
                        f["pack"].as_str().unwrap_or("unknown pack").to_owned(),
                        format!(
                            "{} ({}): {}",
                            f["kind"].as_str().unwrap_or("failure"),
                            f["origin"].as_str().unwrap_or_default(),
                            f["message"].as_str().unwrap_or_default()
                        ),
                    )
                })
                .collect(),
            rules,
        })
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("no `{key}`"))
}

fn opt(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

fn finding_row(f: &Value, meta: &HashMap<&str, RuleMeta<'_>>) -> Result<FindingRow, String> {
    let rule_id = text(f, "rule_id")?;
    let m = meta.get(rule_id);
    let resource = &f["resource"];
    let verdict = text(f, "verdict")?;
    if !matches!(verdict, "fail" | "unknown") {
        return Err(format!("verdict `{verdict}` is neither fail nor unknown"));
    }
    let suppressed = f["suppressed"].as_object().map(|s| {
        (
            s.get("kind")
                .and_then(Value::as_str)
                .unwrap_or("suppressed")
                .to_owned(),
            s.get("justification")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        )
    });
    Ok(FindingRow {
        rule_id: rule_id.to_owned(),
        title: opt(&f["title"]).unwrap_or_else(|| m.map_or(rule_id, |m| m.title).to_owned()),
        verdict: verdict.to_owned(),
        severity: text(f, "severity")?.to_owned(),
        pillar: opt(&f["pillar"]),
        pack: opt(&f["pack"]).unwrap_or_else(|| m.map_or("", |m| m.pack).to_owned()),
        resource: text(resource, "id")
            .map_err(|e| format!("resource: {e}"))?
            .to_owned(),
        kind: opt(&resource["kind"]).unwrap_or_default(),
        account: opt(&resource["account"]),
        region: opt(&resource["region"]),
        message: f["message"].as_str().unwrap_or_default().to_owned(),
        evidence: opt(&f["evidence"]),
        fingerprint: text(f, "fingerprint")?.to_owned(),
        suppressed,
        baseline: opt(&f["baseline"]),
        help: m.map(|m| m.help.to_owned()).filter(|h| !h.is_empty()),
        help_uri: m.map(|m| m.help_uri.to_owned()).filter(|u| !u.is_empty()),
    })
}

fn fixed_row(f: &Value, meta: &HashMap<&str, RuleMeta<'_>>) -> Result<FixedRow, String> {
    let rule_id = text(f, "rule_id")?;
    let m = meta.get(rule_id);
    Ok(FixedRow {
        rule_id: rule_id.to_owned(),
        title: m.map_or(rule_id, |m| m.title).to_owned(),
        severity: opt(&f["severity"]).unwrap_or_else(|| "info".to_owned()),
        resource: text(f, "resource")?.to_owned(),
        kind: opt(&f["kind"]).unwrap_or_default(),
        account: opt(&f["account"]),
        region: opt(&f["region"]),
        message: f["message"].as_str().unwrap_or_default().to_owned(),
        fingerprint: text(f, "fingerprint")?.to_owned(),
        help_uri: m.map(|m| m.help_uri.to_owned()).filter(|u| !u.is_empty()),
    })
}

/// A collection gap as one line: what was not collected, where, and why.
fn gap_line(g: &Value) -> String {
    let part = |k: &str| g[k].as_str().unwrap_or_default();
    let what = [part("operation"), part("resource"), part("kind")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("data");
    let mut line = format!("not collected: {what}");
    for k in ["account", "region"] {
        if !part(k).is_empty() {
            line.push_str(&format!(" {k}={}", part(k)));
        }
    }
    line.push_str(&format!(" ({}): {}", part("reason"), part("message")));
    line
}
