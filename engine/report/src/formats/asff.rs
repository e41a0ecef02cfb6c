//! ASFF, the AWS Security Finding Format (SchemaVersion 2018-10-08), for
//! AWS Security Hub's `BatchImportFindings`.
//!
//! - `Id` = `pillar/<fingerprint>`: the same finding gets the same Id on
//!   every run, so a re-import updates it instead of adding a duplicate;
//! - `ProductArn` = the custom-integration product of the importing account
//!   (`arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`);
//! - `GeneratorId` = the rule id; `Types` = Software and Configuration
//!   Checks / AWS Well-Architected / the rule's pillar;
//! - `CreatedAt`/`UpdatedAt` = when the snapshot was taken;
//! - `Severity.Label` from pillar's severity (info = INFORMATIONAL);
//! - `Compliance.Status`: FAILED for a failure, WARNING for an unknown
//!   verdict (data missing), PASSED for a baseline finding now fixed;
//! - `Workflow.Status`: SUPPRESSED when muted or ignored in source,
//!   RESOLVED when fixed, else NEW;
//! - `RecordState`: ARCHIVED for findings fixed since `--baseline` (listed
//!   in the report's `fixed`), so Security Hub closes what was imported
//!   before; ACTIVE otherwise;
//! - `Resources[0].Type`: the ASFF resource type for the Terraform kind
//!   where one fits ([`resource_type`]), else `Other`.
//!
//! Security Hub limits `Title` to 256 characters, `Description` to 1024 and
//! `Remediation.Recommendation.Text` to 512. Longer text is cut with
//! " [truncated by pillar]" at its end, and the finding's
//! `ProductFields["pillar/truncated"]` names the fields that were cut.

use serde_json::{Map, Value, json};

use super::text::{limit, remediation};
use super::{FindingRow, FixedRow, FormatError, ReportView};

pub const SCHEMA_VERSION: &str = "2018-10-08";
/// Findings per `BatchImportFindings` call (the API's limit).
pub const BATCH_SIZE: usize = 100;
pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 1024;
pub const RECOMMENDATION_MAX: usize = 512;

/// Where the findings are imported.
#[derive(Debug, Clone, Default)]
pub struct AsffOptions {
    /// The Security Hub region of the `ProductArn`. Default: each
    /// finding's own region, or the report's first region for global
    /// resources.
    pub region: Option<String>,
    /// The importing account of the `ProductArn`. Default: each finding's
    /// own account (findings are imported into the account they concern).
    pub account: Option<String>,
}

/// The report as a JSON array of ASFF findings: its findings, then the
/// baseline's findings fixed since (ARCHIVED).
pub fn to_asff(view: &ReportView, options: &AsffOptions) -> Result<String, FormatError> {
    let findings = asff_findings(view, options)?;
    serde_json::to_string_pretty(&findings)
        .map(|s| s + "\n")
        .map_err(|e| FormatError::Invalid(e.to_string()))
}

/// The findings as ASFF values, in the report's order, fixed ones last.
pub fn asff_findings(view: &ReportView, options: &AsffOptions) -> Result<Vec<Value>, FormatError> {
    let mut out = Vec::with_capacity(view.findings.len() + view.fixed.len());
    for (index, f) in view.findings.iter().enumerate() {
        out.push(
            finding(view, options, f).map_err(|message| FormatError::Finding { index, message })?,
        );
    }
    for f in &view.fixed {
        out.push(fixed(view, options, f).map_err(|message| {
            FormatError::Invalid(format!("fixed finding {}: {message}", f.fingerprint))
        })?);
    }
    Ok(out)
}

/// `BatchImportFindings` requests of at most [`BATCH_SIZE`] findings each.
pub fn batches(findings: &[Value]) -> Vec<Value> {
    findings
        .chunks(BATCH_SIZE)
        .map(|chunk| json!({"Findings": chunk}))
        .collect()
}

/// The ASFF resource type for a Terraform resource kind, `Other` when
/// ASFF has none.
pub fn resource_type(kind: &str) -> &'static str {
    match kind {
        "aws_s3_bucket" => "AwsS3Bucket",
        "aws_instance" => "AwsEc2Instance",
        "aws_security_group" => "AwsEc2SecurityGroup",
        "aws_vpc" => "AwsEc2Vpc",
        "aws_subnet" => "AwsEc2Subnet",
        "aws_ebs_volume" => "AwsEc2Volume",
        "aws_eip" => "AwsEc2Eip",
        "aws_network_acl" => "AwsEc2NetworkAcl",
        "aws_route_table" => "AwsEc2RouteTable",
        "aws_launch_template" => "AwsEc2LaunchTemplate",
        "aws_iam_user" => "AwsIamUser",
        "aws_iam_role" => "AwsIamRole",
        "aws_iam_group" => "AwsIamGroup",
        "aws_iam_policy" => "AwsIamPolicy",
        "aws_iam_access_key" => "AwsIamAccessKey",
        "aws_kms_key" => "AwsKmsKey",
        "aws_db_instance" => "AwsRdsDbInstance",
        "aws_rds_cluster" => "AwsRdsDbCluster",
        "aws_db_snapshot" => "AwsRdsDbSnapshot",
        "aws_db_cluster_snapshot" => "AwsRdsDbClusterSnapshot",
        "aws_lb" | "aws_alb" => "AwsElbv2LoadBalancer",
        "aws_cloudtrail" => "AwsCloudTrailTrail",
        "aws_cloudwatch_metric_alarm" => "AwsCloudWatchAlarm",
        "aws_cloudfront_distribution" => "AwsCloudFrontDistribution",
        "aws_wafv2_web_acl" => "AwsWafv2WebAcl",
        "aws_secretsmanager_secret" => "AwsSecretsManagerSecret",
        "aws_guardduty_detector" => "AwsGuardDutyDetector",
        "aws_lambda_function" => "AwsLambdaFunction",
        "aws_sns_topic" => "AwsSnsTopic",
        "aws_sqs_queue" => "AwsSqsQueue",
        "aws_dynamodb_table" => "AwsDynamoDbTable",
        "aws_ecr_repository" => "AwsEcrRepository",
        "aws_ecs_cluster" => "AwsEcsCluster",
        "aws_ecs_service" => "AwsEcsService",
        "aws_ecs_task_definition" => "AwsEcsTaskDefinition",
        "aws_eks_cluster" => "AwsEksCluster",
        "aws_autoscaling_group" => "AwsAutoScalingAutoScalingGroup",
        "aws_launch_configuration" => "AwsAutoScalingLaunchConfiguration",
        _ => "Other",
    }
}

fn severity_label(severity: &str) -> &'static str {
    match severity {
        "critical" => "CRITICAL",
        "high" => "HIGH",
        "medium" => "MEDIUM",
        "low" => "LOW",
        _ => "INFORMATIONAL",
    }
}

/// A real AWS region name (`eu-west-1`, `us-gov-west-1`), not a
/// snapshot's placeholder such as `global`.
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && s.len() <= 16
}

fn partition(resource: &str) -> &str {
    match resource
        .strip_prefix("arn:")
        .and_then(|r| r.split(':').next())
    {
        Some(p @ ("aws-cn" | "aws-us-gov")) => p,
        _ => "aws",
    }
}

/// What the envelope of a finding needs, from a live or a fixed finding.
struct Common<'a> {
    fingerprint: &'a str,
    rule_id: &'a str,
    title: &'a str,
    description: String,
    severity: &'a str,
    resource: &'a str,
    kind: &'a str,
    account: Option<&'a str>,
    region: Option<&'a str>,
    help_uri: Option<&'a str>,
    pillar: Option<&'a str>,
}

fn envelope(
    view: &ReportView,
    options: &AsffOptions,
    c: &Common<'_>,
) -> Result<(Value, Vec<&'static str>), String> {
    let account = options.account.as_deref().or(c.account).ok_or(
        "no AWS account id for AwsAccountId: the resource names none (a Terraform plan's \
             resource?); `pillar export security-hub` imports it into the caller's account",
    )?;
    let home = options
        .region
        .as_deref()
        .or(c.region.filter(|r| is_region(r)))
        .or(view
            .regions
            .iter()
            .map(String::as_str)
            .find(|r| is_region(r)))
        .ok_or("no AWS region for the ProductArn: the report names none")?;
    let part = partition(c.resource);
    let mut truncated = Vec::new();
    let (title, cut) = limit(c.title, TITLE_MAX);
    if cut {
        truncated.push("Title");
    }
    let (description, cut) = limit(&c.description, DESCRIPTION_MAX);
    if cut {
        truncated.push("Description");
    }
    let mut resource = json!({
        "Type": resource_type(c.kind),
        "Id": c.resource,
        "Partition": part,
    });
    if let Some(region) = c.region.filter(|r| is_region(r)) {
        resource["Region"] = json!(region);
    }
    let mut finding = json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": format!("pillar/{}", c.fingerprint),
        "ProductArn": format!("arn:{part}:securityhub:{home}:{account}:product/{account}/default"),
        "ProductName": "pillar",
        "CompanyName": "pillar",
        "GeneratorId": c.rule_id,
        "AwsAccountId": c.account.unwrap_or(account),
        "Types": [format!(
            "Software and Configuration Checks/AWS Well-Architected/{}",
            c.pillar.unwrap_or("pillar")
        )],
        "CreatedAt": view.collected_at,
        "UpdatedAt": view.collected_at,
        "Severity": {"Label": severity_label(c.severity), "Original": c.severity},
        "Title": title,
        "Description": description,
        "Resources": [resource],
    });
    if let Some(uri) = c.help_uri {
        finding["SourceUrl"] = json!(uri);
    }
    Ok((finding, truncated))
}

fn product_fields(pairs: &[(&str, Option<&str>)], truncated: &[&str]) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            map.insert(format!("pillar/{k}"), json!(limit(v, 2048).0));
        }
    }
    if !truncated.is_empty() {
        map.insert("pillar/truncated".into(), json!(truncated.join(",")));
    }
    Value::Object(map)
}

fn finding(view: &ReportView, options: &AsffOptions, f: &FindingRow) -> Result<Value, String> {
    let description = match &f.evidence {
        Some(e) => format!("{} (attribute {e} of {})", f.message, f.resource),
        None => format!("{} ({})", f.message, f.resource),
    };
    let (mut out, mut truncated) = envelope(
        view,
        options,
        &Common {
            fingerprint: &f.fingerprint,
            rule_id: &f.rule_id,
            title: &f.title,
            description,
            severity: &f.severity,
            resource: &f.resource,
            kind: &f.kind,
            account: f.account.as_deref(),
            region: f.region.as_deref(),
            help_uri: f.help_uri.as_deref(),
            pillar: f.pillar.as_deref(),
        },
    )?;
    if let Some(text) = f.help.as_deref().and_then(remediation) {
        let (text, cut) = limit(&text, RECOMMENDATION_MAX);
        if cut {
            truncated.push("Remediation.Recommendation.Text");
        }
        let mut rec = json!({"Text": text});
        if let Some(uri) = &f.help_uri {
            rec["Url"] = json!(uri);
        }
        out["Remediation"] = json!({"Recommendation": rec});
    }
    out["Compliance"] = json!({"Status": if f.is_fail() { "FAILED" } else { "WARNING" }});
    out["Workflow"] = json!({"Status": if f.suppressed.is_some() { "SUPPRESSED" } else { "NEW" }});
    out["RecordState"] = json!("ACTIVE");
    let reason = f
        .suppressed
        .as_ref()
        .map(|(kind, why)| format!("{kind}: {why}"));
    out["ProductFields"] = product_fields(
        &[
            ("rule", Some(f.rule_id.as_str())),
            ("pack", Some(f.pack.as_str())),
            ("verdict", Some(f.verdict.as_str())),
            ("fingerprint", Some(f.fingerprint.as_str())),
            ("kind", Some(f.kind.as_str())),
            ("evidence", f.evidence.as_deref()),
            ("baseline", f.baseline.as_deref()),
            ("suppressed", reason.as_deref()),
        ],
        &truncated,
    );
    Ok(out)
}

fn fixed(view: &ReportView, options: &AsffOptions, f: &FixedRow) -> Result<Value, String> {
    let (mut out, truncated) = envelope(
        view,
        options,
        &Common {
            fingerprint: &f.fingerprint,
            rule_id: &f.rule_id,
            title: &f.title,
            description: format!("Fixed since the baseline: {} ({})", f.message, f.resource),
            severity: &f.severity,
            resource: &f.resource,
            kind: &f.kind,
            account: f.account.as_deref(),
            region: f.region.as_deref(),
            help_uri: f.help_uri.as_deref(),
            pillar: None,
        },
    )?;
    out["Compliance"] = json!({"Status": "PASSED"});
    out["Workflow"] = json!({"Status": "RESOLVED"});
    out["RecordState"] = json!("ARCHIVED");
    out["ProductFields"] = product_fields(
        &[
            ("rule", Some(f.rule_id.as_str())),
            ("fingerprint", Some(f.fingerprint.as_str())),
            ("baseline", Some("fixed")),
        ],
        &truncated,
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::text::TRUNCATED;
    use super::*;

    #[test]
    fn batches_hold_at_most_one_hundred_findings() {
        let findings: Vec<Value> = (0..250).map(|i| json!({"Id": i})).collect();
        let b = batches(&findings);
        let sizes: Vec<usize> = b
            .iter()
            .map(|r| r["Findings"].as_array().map_or(0, Vec::len))
            .collect();
        assert_eq!(sizes, [100, 100, 50]);
        assert_eq!(b[2]["Findings"][0]["Id"], 200);
        assert!(batches(&[]).is_empty());
        assert_eq!(batches(&findings[..100]).len(), 1);
    }

    #[test]
    fn regions_and_partitions() {
        assert!(
            is_region("eu-west-1") && is_region("us-gov-west-1") && is_region("ap-southeast-2")
        );
        assert!(!is_region("global") && !is_region("") && !is_region("aws-global"));
        assert_eq!(partition("arn:aws-cn:s3:::b"), "aws-cn");
        assert_eq!(partition("arn:aws:s3:::b"), "aws");
        assert_eq!(partition("aws_s3_bucket.logs"), "aws");
    }

    fn view_with(title: &str, message: &str) -> ReportView {
        ReportView {
            tool_version: "0.1.0".into(),
            collected_at: "2026-11-01T06:00:00Z".into(),
            accounts: vec!["111122223333".into()],
            regions: vec!["eu-west-1".into()],
            findings: vec![FindingRow {
                rule_id: "PILLAR-S3-001".into(),
                title: title.into(),
                verdict: "fail".into(),
                severity: "high".into(),
                pillar: Some("security".into()),
                pack: "pillar-s3".into(),
                resource: "arn:aws:s3:::logs".into(),
                kind: "aws_s3_bucket".into(),
                account: Some("111122223333".into()),
                region: Some("global".into()),
                message: message.into(),
                evidence: None,
                fingerprint: "ab12".into(),
                suppressed: None,
                baseline: None,
                help: Some("## Remediation\n\n".to_owned() + &"r".repeat(600)),
                help_uri: None,
            }],
            fixed: vec![],
            gaps: vec![],
            pack_failures: vec![],
            rules: vec![],
        }
    }

    #[test]
    fn long_text_is_cut_with_a_marker_and_the_cut_is_recorded() {
        let view = view_with(&"t".repeat(300), &"m".repeat(2000));
        let f = &asff_findings(&view, &AsffOptions::default()).expect("asff")[0];
        let title = f["Title"].as_str().expect("title");
        assert_eq!(title.chars().count(), TITLE_MAX);
        assert!(title.ends_with(TRUNCATED));
        let desc = f["Description"].as_str().expect("description");
        assert_eq!(desc.chars().count(), DESCRIPTION_MAX);
        assert!(desc.ends_with(TRUNCATED));
        let rec = f["Remediation"]["Recommendation"]["Text"]
            .as_str()
            .expect("text");
        assert_eq!(rec.chars().count(), RECOMMENDATION_MAX);
        assert_eq!(
            f["ProductFields"]["pillar/truncated"],
            "Title,Description,Remediation.Recommendation.Text"
        );
        // A global resource: no Resource.Region, the report's region in the ARN.
        assert!(f["Resources"][0].get("Region").is_none());
        assert_eq!(
            f["ProductArn"],
            "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default"
        );
        assert_eq!(f["Id"], "pillar/ab12");
    }

    #[test]
    fn short_text_is_untouched() {
        let mut view = view_with("Buckets block public access", "logs is public");
        view.findings[0].help = Some("## Remediation\n\nTurn it on.\n".into());
        let f = &asff_findings(&view, &AsffOptions::default()).expect("asff")[0];
        assert_eq!(f["Title"], "Buckets block public access");
        assert_eq!(f["Description"], "logs is public (arn:aws:s3:::logs)");
        assert_eq!(f["Remediation"]["Recommendation"]["Text"], "Turn it on.");
        assert!(f["ProductFields"].get("pillar/truncated").is_none());
    }

    #[test]
    fn a_finding_without_account_is_an_error_unless_the_importer_names_one() {
        let mut view = view_with("t", "m");
        view.findings[0].account = None;
        let err = asff_findings(&view, &AsffOptions::default()).expect_err("no account");
        assert!(err.to_string().contains("AwsAccountId"), "{err}");
        let ok = asff_findings(
            &view,
            &AsffOptions {
                account: Some("444455556666".into()),
                region: None,
            },
        )
        .expect("with --account");
        assert_eq!(ok[0]["AwsAccountId"], "444455556666");
    }
}
