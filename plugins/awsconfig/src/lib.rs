//! Built-in AWS Config rules: regions no recorder records (PILLAR-CFG-001,
//! live only), recorders that leave resource types out (PILLAR-CFG-002),
//! and recorders that are stopped (PILLAR-CFG-003).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::checks::AnyTrue;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

pub const REGION_RECORDED: &str = "PILLAR-CFG-001";
pub const ALL_SUPPORTED: &str = "PILLAR-CFG-002";
pub const RECORDING: &str = "PILLAR-CFG-003";

pub struct AwsConfigPack;

impl RulePack for AwsConfigPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-awsconfig", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_config_region" => {
                for (i, r) in batch.iter().enumerate() {
                    region_recorded(i, r, out);
                }
            }
            "aws_config_configuration_recorder" => {
                for (i, r) in batch.iter().enumerate() {
                    all_supported(i, r, out);
                    recording(i, r, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(AwsConfigPack);

/// PILLAR-CFG-001: a recorder of the region is recording.
fn region_recorded(i: usize, r: &Resource, out: &mut dyn Sink) {
    let region = r.attr("/region").as_str().unwrap_or("this region");
    match checks::any_true(r, "/recorders", "is_enabled") {
        AnyTrue::Found => {}
        AnyTrue::None(n) => out.fail(
            REGION_RECORDED,
            i,
            format!("{region}: no AWS Config recorder is recording ({n} recorder(s))"),
            Some("/recorders".into()),
        ),
        AnyTrue::Unknown(at) => out.unknown(
            REGION_RECORDED,
            i,
            format!("{region}: whether the region's recorder is recording is not known"),
            Some(at),
        ),
    }
}

/// PILLAR-CFG-002: the recorder records every supported resource type.
fn all_supported(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/recording_group/all_supported";
    match r.attr(pointer) {
        Attr::Known(Value::Bool(true)) => {}
        Attr::Unknown => out.unknown(
            ALL_SUPPORTED,
            i,
            format!(
                "{}: what the recorder records is not known",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
        _ => out.fail(
            ALL_SUPPORTED,
            i,
            format!(
                "{}: records only the resource types it lists, not every supported type",
                r.display_name()
            ),
            Some("/recording_group".into()),
        ),
    }
}

/// PILLAR-CFG-003: the recorder is recording.
fn recording(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/is_enabled";
    match r.flag(pointer, false) {
        Some(true) => {}
        Some(false) => out.fail(
            RECORDING,
            i,
            format!("{}: the recorder is stopped", r.display_name()),
            Some(pointer.into()),
        ),
        None => out.unknown(
            RECORDING,
            i,
            format!(
                "{}: whether the recorder is recording is not known",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    #[test]
    fn recorders_and_regions() {
        let rec = |group: Value, enabled: Value, unknown: &[&str]| {
            resource(
                "aws_config_configuration_recorder",
                json!({"name": "default", "recording_group": group, "is_enabled": enabled}),
                unknown,
            )
        };
        let all = json!({"all_supported": true, "include_global_resource_types": true, "resource_types": []});
        let some = json!({"all_supported": false, "resource_types": ["AWS::EC2::Instance"]});
        let batch = [
            rec(all.clone(), json!(true), &[]),
            rec(some, json!(false), &[]),
            rec(all, Value::Null, &["/is_enabled"]),
        ];
        let f = run::<AwsConfigPack>("aws_config_configuration_recorder", &batch, json!({}));
        assert_eq!(verdicts_of(&f, ALL_SUPPORTED), vec![(1, "fail")]);
        assert_eq!(
            verdicts_of(&f, RECORDING),
            vec![(1, "fail"), (2, "unknown")]
        );
        let region = |r: Value| {
            resource(
                "aws_config_region",
                json!({"region": "eu-west-1", "recorders": r}),
                &[],
            )
        };
        let batch = [
            region(json!([{"name": "default", "is_enabled": true}])),
            region(json!([])),
        ];
        let f = run::<AwsConfigPack>("aws_config_region", &batch, json!({}));
        assert_eq!(verdicts_of(&f, REGION_RECORDED), vec![(1, "fail")]);
    }
}
