//! Built-in GuardDuty rules: regions with no enabled detector
//! (PILLAR-GD-001, live only) and detectors that are disabled
//! (PILLAR-GD-002).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::checks::AnyTrue;
use pillar_rule_sdk::prelude::*;

pub const REGION_DETECTOR: &str = "PILLAR-GD-001";
pub const DETECTOR_ENABLED: &str = "PILLAR-GD-002";

pub struct GuardDutyPack;

impl RulePack for GuardDutyPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-guardduty", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_guardduty_region" => {
                for (i, r) in batch.iter().enumerate() {
                    region_detector(i, r, out);
                }
            }
            "aws_guardduty_detector" => {
                for (i, d) in batch.iter().enumerate() {
                    detector_enabled(i, d, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(GuardDutyPack);

/// PILLAR-GD-001: some detector of the region is enabled.
fn region_detector(i: usize, r: &Resource, out: &mut dyn Sink) {
    let region = r.attr("/region").as_str().unwrap_or("this region");
    match checks::any_true(r, "/detectors", "enable") {
        AnyTrue::Found => {}
        AnyTrue::None(0) => out.fail(
            REGION_DETECTOR,
            i,
            format!("{region}: GuardDuty was never enabled in the region"),
            Some("/detectors".into()),
        ),
        AnyTrue::None(_) => out.fail(
            REGION_DETECTOR,
            i,
            format!("{region}: the region's GuardDuty detector is suspended"),
            Some("/detectors".into()),
        ),
        AnyTrue::Unknown(at) => out.unknown(
            REGION_DETECTOR,
            i,
            format!("{region}: whether the region's detector is enabled is not known"),
            Some(at),
        ),
    }
}

/// PILLAR-GD-002: a detector is enabled (the provider's default).
fn detector_enabled(i: usize, d: &Resource, out: &mut dyn Sink) {
    let pointer = "/enable";
    match d.flag(pointer, true) {
        Some(true) => {}
        Some(false) => out.fail(
            DETECTOR_ENABLED,
            i,
            format!(
                "{}: the detector is suspended; no findings are produced",
                d.display_name()
            ),
            Some(pointer.into()),
        ),
        None => out.unknown(
            DETECTOR_ENABLED,
            i,
            format!(
                "{}: whether the detector is enabled is not known",
                d.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    #[test]
    fn a_region_needs_an_enabled_detector() {
        let region = |d: Value, unknown: &[&str]| {
            resource(
                "aws_guardduty_region",
                json!({"region": "eu-west-1", "detectors": d}),
                unknown,
            )
        };
        let batch = [
            region(json!([{"id": "d1", "enable": true}]), &[]),
            region(json!([]), &[]),
            region(json!([{"id": "d1", "enable": false}]), &[]),
            region(
                json!([{"id": "d1", "enable": null}]),
                &["/detectors/0/enable"],
            ),
        ];
        let f = run::<GuardDutyPack>("aws_guardduty_region", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, REGION_DETECTOR),
            vec![(1, "fail"), (2, "fail"), (3, "unknown")]
        );
        let batch = [
            resource("aws_guardduty_detector", json!({"enable": false}), &[]),
            resource("aws_guardduty_detector", json!({}), &[]),
        ];
        let f = run::<GuardDutyPack>("aws_guardduty_detector", &batch, json!({}));
        assert_eq!(verdicts_of(&f, DETECTOR_ENABLED), vec![(0, "fail")]);
    }
}
