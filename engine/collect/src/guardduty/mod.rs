//! GuardDuty in one region: its detectors (`aws_guardduty_detector`, at
//! most one per region), and pillar's live-only `aws_guardduty_region`
//! saying whether the region has an enabled one at all.

use aws_config::SdkConfig;
use aws_sdk_guardduty::Client;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const DETECTOR: &str = "aws_guardduty_detector";
const REGION: &str = "aws_guardduty_region";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .list_detectors()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed_for(read, scope, "guardduty:ListDetectors", &[DETECTOR, REGION])
    else {
        return part;
    };
    let mut region = Draft::new(
        scope,
        REGION,
        scope.arn("guardduty", "detectors"),
        object(json!({"region": scope.region_str()})),
    );
    let mut listed = Vec::new();
    for (n, id) in pages.iter().flat_map(|p| p.detector_ids()).enumerate() {
        let arn = scope.arn("guardduty", &format!("detector/{id}"));
        let read = {
            let _slot = shared.slot().await;
            client.get_detector().detector_id(id).send().await
        };
        let mut d = Draft::new(
            scope,
            DETECTOR,
            arn.clone(),
            object(json!({"id": id, "arn": arn})),
        );
        let enable = match read {
            Ok(out) => {
                d.attrs.insert(
                    "finding_publishing_frequency".into(),
                    json!(out.finding_publishing_frequency().map(|f| f.as_str())),
                );
                d.attrs.insert(
                    "tags".into(),
                    convert::tags(
                        out.tags()
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
                    ),
                );
                json!(out.status().map(|s| s.as_str()) == Some("ENABLED"))
            }
            Err(e) => {
                let f = Failure::of(&e);
                region.unknown(&format!("/detectors/{n}/enable"));
                d.set("enable", "guardduty:GetDetector", Err(f));
                Value::Null
            }
        };
        if !enable.is_null() {
            d.attrs.insert("enable".into(), enable.clone());
        }
        listed.push(json!({"id": id, "enable": enable}));
        part.add([d.finish()]);
    }
    region
        .attrs
        .insert("detectors".into(), Value::Array(listed));
    part.add([region.finish()]);
    part
}
