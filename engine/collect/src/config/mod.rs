//! AWS Config in one region: configuration recorders with what they record
//! and whether they are recording (`aws_config_configuration_recorder`),
//! and pillar's live-only `aws_config_region` saying whether anything
//! records the region.

use aws_config::SdkConfig;
use aws_sdk_config::Client;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

const RECORDER: &str = "aws_config_configuration_recorder";
const REGION: &str = "aws_config_region";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client.describe_configuration_recorders().send().await
    };
    let Some(out) = part.listed_for(
        read,
        scope,
        "config:DescribeConfigurationRecorders",
        &[RECORDER, REGION],
    ) else {
        return part;
    };
    let recorders = out.configuration_recorders();
    let read = {
        let _slot = shared.slot().await;
        client.describe_configuration_recorder_status().send().await
    };
    let statuses = read.map_err(|e| Failure::of(&e));
    let mut region = Draft::new(
        scope,
        REGION,
        scope.arn("config", "recorders"),
        object(json!({"region": scope.region_str()})),
    );
    let mut listed = Vec::new();
    for (n, r) in recorders.iter().enumerate() {
        let name = r.name().unwrap_or("default");
        let arn = r
            .arn()
            .map(str::to_owned)
            .unwrap_or_else(|| scope.arn("config", &format!("configuration-recorder/{name}")));
        let group = r.recording_group().map(|g| {
            json!({
                "all_supported": g.all_supported(),
                "include_global_resource_types": g.include_global_resource_types(),
                "resource_types": g.resource_types().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            })
        });
        let mut d = Draft::new(
            scope,
            RECORDER,
            arn,
            object(json!({
                "name": name,
                "role_arn": r.role_arn(),
                "recording_group": group.unwrap_or(Value::Null),
            })),
        );
        let recording = match &statuses {
            Ok(out) => Ok(json!(
                out.configuration_recorders_status()
                    .iter()
                    .find(|s| s.name() == Some(name))
                    .map(|s| s.recording())
                    .unwrap_or(false)
            )),
            Err(f) => {
                region.unknown(&format!("/recorders/{n}/is_enabled"));
                Err(f.clone())
            }
        };
        listed.push(json!({"name": name, "is_enabled": recording.clone().unwrap_or(Value::Null)}));
        d.set(
            "is_enabled",
            "config:DescribeConfigurationRecorderStatus",
            recording,
        );
        part.add([d.finish()]);
    }
    region
        .attrs
        .insert("recorders".into(), Value::Array(listed));
    part.add([region.finish()]);
    part
}

fn object(v: Value) -> serde_json::Map<String, Value> {
    crate::convert::object(v)
}
