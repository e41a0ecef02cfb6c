//! ASFF findings as pillar writes them (JSON, `pillar_report::formats::asff`)
//! turned into the SDK's `AwsSecurityFinding`. Only the members pillar
//! writes are read; any other member is an error, so that a field added to
//! the writer is never dropped on the way to Security Hub unnoticed.

use std::collections::HashMap;

use aws_sdk_securityhub::types::{
    AwsSecurityFinding, Compliance, ComplianceStatus, Partition, Recommendation, RecordState,
    Remediation, Resource, Severity, SeverityLabel, Workflow, WorkflowStatus,
};
use serde_json::{Map, Value};

const MEMBERS: [&str; 21] = [
    "SchemaVersion",
    "Id",
    "ProductArn",
    "ProductName",
    "CompanyName",
    "GeneratorId",
    "AwsAccountId",
    "Types",
    "CreatedAt",
    "UpdatedAt",
    "Severity",
    "Title",
    "Description",
    "SourceUrl",
    "Remediation",
    "Resources",
    "Compliance",
    "Workflow",
    "RecordState",
    "ProductFields",
    "Region",
];

/// One ASFF finding for `BatchImportFindings`.
pub fn to_sdk(f: &Value) -> Result<AwsSecurityFinding, String> {
    let obj = f.as_object().ok_or("not a JSON object")?;
    if let Some(other) = obj.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        return Err(format!("member {other} is not handled by the exporter"));
    }
    let s = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
    let severity = obj.get("Severity").and_then(Value::as_object);
    let mut b = AwsSecurityFinding::builder()
        .set_schema_version(s("SchemaVersion"))
        .set_id(s("Id"))
        .set_product_arn(s("ProductArn"))
        .set_product_name(s("ProductName"))
        .set_company_name(s("CompanyName"))
        .set_generator_id(s("GeneratorId"))
        .set_aws_account_id(s("AwsAccountId"))
        .set_created_at(s("CreatedAt"))
        .set_updated_at(s("UpdatedAt"))
        .set_title(s("Title"))
        .set_description(s("Description"))
        .set_source_url(s("SourceUrl"))
        .set_region(s("Region"))
        .set_types(obj.get("Types").map(strings).transpose()?)
        .set_severity(severity.map(|sev| {
            Severity::builder()
                .set_label(str_of(sev, "Label").map(SeverityLabel::from))
                .set_original(str_of(sev, "Original").map(str::to_owned))
                .build()
        }))
        .set_compliance(obj.get("Compliance").and_then(Value::as_object).map(|c| {
            Compliance::builder()
                .set_status(str_of(c, "Status").map(ComplianceStatus::from))
                .build()
        }))
        .set_workflow(obj.get("Workflow").and_then(Value::as_object).map(|w| {
            Workflow::builder()
                .set_status(str_of(w, "Status").map(WorkflowStatus::from))
                .build()
        }))
        .set_record_state(s("RecordState").map(|r| RecordState::from(r.as_str())));
    if let Some(rec) = obj
        .get("Remediation")
        .and_then(|r| r.get("Recommendation"))
        .and_then(Value::as_object)
    {
        b = b.remediation(
            Remediation::builder()
                .recommendation(
                    Recommendation::builder()
                        .set_text(str_of(rec, "Text").map(str::to_owned))
                        .set_url(str_of(rec, "Url").map(str::to_owned))
                        .build(),
                )
                .build(),
        );
    }
    if let Some(fields) = obj.get("ProductFields").and_then(Value::as_object) {
        let map: HashMap<String, String> = fields
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| (k.clone(), v.to_owned()))
                    .ok_or_else(|| format!("ProductFields[{k}] is not a string"))
            })
            .collect::<Result<_, _>>()?;
        b = b.set_product_fields(Some(map));
    }
    let resources = obj
        .get("Resources")
        .and_then(Value::as_array)
        .ok_or("no Resources")?
        .iter()
        .map(resource)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(b.set_resources(Some(resources)).build())
}

fn str_of<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

fn strings(v: &Value) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or("Types is not a list")?
        .iter()
        .map(|t| {
            t.as_str()
                .map(str::to_owned)
                .ok_or_else(|| "Types holds a non-string".to_owned())
        })
        .collect()
}

fn resource(v: &Value) -> Result<Resource, String> {
    let r = v.as_object().ok_or("a resource is not an object")?;
    if let Some(other) = r
        .keys()
        .find(|k| !["Type", "Id", "Partition", "Region"].contains(&k.as_str()))
    {
        return Err(format!(
            "resource member {other} is not handled by the exporter"
        ));
    }
    Ok(Resource::builder()
        .set_type(str_of(r, "Type").map(str::to_owned))
        .set_id(str_of(r, "Id").map(str::to_owned))
        .set_partition(str_of(r, "Partition").map(Partition::from))
        .set_region(str_of(r, "Region").map(str::to_owned))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_member_pillar_writes_arrives_and_others_are_refused() {
        let f = json!({
            "SchemaVersion": "2018-10-08", "Id": "pillar/ab", "ProductArn": "arn:aws:securityhub:eu-west-1:1:product/1/default",
            "GeneratorId": "PILLAR-S3-001", "AwsAccountId": "111122223333", "Types": ["a/b/c"],
            "CreatedAt": "2026-11-01T06:00:00Z", "UpdatedAt": "2026-11-01T06:00:00Z",
            "Severity": {"Label": "HIGH", "Original": "high"}, "Title": "t", "Description": "d",
            "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::b", "Partition": "aws", "Region": "eu-west-1"}],
            "Compliance": {"Status": "FAILED"}, "Workflow": {"Status": "NEW"}, "RecordState": "ARCHIVED",
            "Remediation": {"Recommendation": {"Text": "fix", "Url": "https://x"}},
            "ProductFields": {"pillar/rule": "PILLAR-S3-001"},
        });
        let sdk = to_sdk(&f).expect("converts");
        assert_eq!(sdk.id(), Some("pillar/ab"));
        assert_eq!(
            sdk.severity().and_then(|s| s.label()),
            Some(&SeverityLabel::High)
        );
        assert_eq!(sdk.record_state(), Some(&RecordState::Archived));
        assert_eq!(sdk.resources()[0].partition(), Some(&Partition::Aws));
        assert_eq!(sdk.resources()[0].r#type(), Some("AwsS3Bucket"));
        assert_eq!(
            sdk.remediation()
                .and_then(|r| r.recommendation())
                .and_then(|r| r.text()),
            Some("fix")
        );
        assert_eq!(
            sdk.product_fields()
                .and_then(|p| p.get("pillar/rule"))
                .map(String::as_str),
            Some("PILLAR-S3-001")
        );
        let mut extra = f.clone();
        extra["Note"] = json!({"Text": "x"});
        assert!(
            to_sdk(&extra)
                .expect_err("an unknown member")
                .contains("Note")
        );
    }
}
