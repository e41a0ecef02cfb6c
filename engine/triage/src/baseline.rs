//! Baselines: an earlier pillar report (SARIF or JSON) to compare a scan
//! with. Findings are matched by their stable fingerprint
//! (`partialFingerprints["pillarFinding/v1"]` in SARIF, `fingerprint` in
//! JSON), never by line or message.

use serde::Serialize;
use serde_json::Value;

use pillar_evaluate::{Severity, Verdict};

/// The SARIF `partialFingerprints` key pillar writes.
pub const FINGERPRINT_KEY: &str = "pillarFinding/v1";

/// The findings of an earlier report.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// The file as the user named it.
    pub path: String,
    pub entries: Vec<BaselineEntry>,
}

/// One finding of the earlier report, with what is needed to show it once
/// it is gone.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The resource's id (ARN or address).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: not JSON ({source}); a baseline is a pillar SARIF or JSON report")]
    NotJson {
        path: String,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{path}: not a pillar report (expected SARIF 2.1.0 from pillar, or `pillar scan --format json`)"
    )]
    NotAReport { path: String },
    #[error("{path}: {what} has no pillar fingerprint; was it written by pillar?")]
    NoFingerprint { path: String, what: String },
}

impl Baseline {
    /// Reads a report's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Baseline, BaselineError> {
        let doc: Value = serde_json::from_str(text).map_err(|source| BaselineError::NotJson {
            path: path.to_owned(),
            source,
        })?;
        let entries = if doc.get("runs").is_some_and(Value::is_array) {
            from_sarif(&doc, path)?
        } else if doc.get("report_version").is_some() && doc.get("findings").is_some() {
            from_json(&doc, path)?
        } else {
            return Err(BaselineError::NotAReport {
                path: path.to_owned(),
            });
        };
        Ok(Baseline {
            path: path.to_owned(),
            entries,
        })
    }
}

impl Baseline {
    /// The findings of a scan made in this run (`pillar diff` compares two
    /// snapshots this way, without writing a report in between).
    pub fn from_findings(
        path: &str,
        snapshot: &pillar_snapshot::Snapshot,
        findings: &[pillar_evaluate::Finding],
    ) -> Baseline {
        let prints = crate::fingerprint::compute(snapshot, findings);
        let entries = findings
            .iter()
            .zip(prints)
            .map(|(f, fingerprint)| {
                let r = snapshot.resources.get(f.resource);
                BaselineEntry {
                    fingerprint,
                    rule_id: f.rule_id.clone(),
                    verdict: f.verdict,
                    severity: Some(f.severity),
                    resource: r.map(|r| r.id.clone()),
                    kind: r.map(|r| r.kind.clone()),
                    account: r.and_then(|r| r.account.clone()),
                    region: r.and_then(|r| r.region.clone()),
                    message: f.message.clone(),
                }
            })
            .collect();
        Baseline {
            path: path.to_owned(),
            entries,
        }
    }
}

fn str_at(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn verdict(text: Option<&str>) -> Verdict {
    match text {
        Some("unknown") => Verdict::Unknown,
        _ => Verdict::Fail,
    }
}

fn from_sarif(doc: &Value, path: &str) -> Result<Vec<BaselineEntry>, BaselineError> {
    let mut entries = Vec::new();
    let runs = doc["runs"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (r, run) in runs.iter().enumerate() {
        let results = run["results"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (i, result) in results.iter().enumerate() {
            let fingerprint = str_at(
                result,
                &format!(
                    "/partialFingerprints/{}",
                    FINGERPRINT_KEY.replace('/', "~1")
                ),
            )
            .ok_or_else(|| BaselineError::NoFingerprint {
                path: path.to_owned(),
                what: format!("runs[{r}].results[{i}]"),
            })?;
            let props = &result["properties"];
            entries.push(BaselineEntry {
                fingerprint,
                rule_id: str_at(result, "/ruleId").unwrap_or_default(),
                verdict: verdict(props["verdict"].as_str()),
                severity: props["severity"].as_str().and_then(Severity::parse),
                resource: str_at(props, "/resource"),
                kind: str_at(props, "/resourceKind"),
                account: str_at(props, "/account"),
                region: str_at(props, "/region"),
                message: str_at(result, "/message/text").unwrap_or_default(),
            });
        }
    }
    Ok(entries)
}

fn from_json(doc: &Value, path: &str) -> Result<Vec<BaselineEntry>, BaselineError> {
    let findings = doc["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Ok(BaselineEntry {
                fingerprint: str_at(f, "/fingerprint").ok_or_else(|| {
                    BaselineError::NoFingerprint {
                        path: path.to_owned(),
                        what: format!("findings[{i}]"),
                    }
                })?,
                rule_id: str_at(f, "/rule_id").unwrap_or_default(),
                verdict: verdict(f["verdict"].as_str()),
                severity: f["severity"].as_str().and_then(Severity::parse),
                resource: str_at(f, "/resource/id"),
                kind: str_at(f, "/resource/kind"),
                account: str_at(f, "/resource/account"),
                region: str_at(f, "/resource/region"),
                message: str_at(f, "/message").unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_sarif_and_json_reports() {
        let sarif = json!({"version": "2.1.0", "runs": [{"results": [{
            "ruleId": "PILLAR-EC2-001",
            "message": {"text": "SSH open"},
            "partialFingerprints": {"pillarFinding/v1": "abc"},
            "properties": {"verdict": "fail", "severity": "high", "resource": "arn:1",
                           "resourceKind": "aws_security_group", "account": "1", "region": "eu-west-1"}
        }]}]});
        let b = Baseline::parse(&sarif.to_string(), "old.sarif").expect("sarif");
        assert_eq!(b.entries.len(), 1);
        let e = &b.entries[0];
        assert_eq!(
            (
                e.fingerprint.as_str(),
                e.rule_id.as_str(),
                e.severity,
                e.resource.as_deref()
            ),
            ("abc", "PILLAR-EC2-001", Some(Severity::High), Some("arn:1"))
        );

        let report = json!({"report_version": 1, "findings": [{
            "rule_id": "PILLAR-RDS-001", "verdict": "unknown", "severity": "medium",
            "resource": {"id": "aws_db_instance.x", "kind": "aws_db_instance"},
            "message": "m", "fingerprint": "def"
        }]});
        let b = Baseline::parse(&report.to_string(), "old.json").expect("json");
        assert_eq!(b.entries[0].verdict, Verdict::Unknown);
        assert_eq!(b.entries[0].fingerprint, "def");
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        let cases = [
            ("{", "not JSON"),
            ("{\"resources\": []}", "not a pillar report"),
            (
                "{\"runs\": [{\"results\": [{\"ruleId\": \"x\"}]}]}",
                "runs[0].results[0] has no pillar fingerprint",
            ),
        ];
        for (text, want) in cases {
            let err = Baseline::parse(text, "b.json").expect_err(text).to_string();
            assert!(err.contains(want) && err.starts_with("b.json"), "{err}");
        }
    }
}
