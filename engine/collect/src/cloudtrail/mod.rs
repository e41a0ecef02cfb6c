//! CloudTrail in one region: the trails whose home is this region, and
//! which trails (of any home region) record this region's events.
//!
//! Each trail's event selectors are read in every region it records
//! (`selectors.rs`), so a region can say which events its trails record.
//!
//! `aws_cloudtrail` is Terraform's kind. `aws_cloudtrail_region` is
//! pillar's own, live only (like `aws_ebs_encryption_by_default`): whether
//! anything records the region is not a property of any one trail, and a
//! plan, which is not the whole account, cannot say it.

use aws_config::SdkConfig;
use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::Trail;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::gap::Failure;
use crate::part::{Draft, Part, Scope};

mod selectors;

const TRAIL: &str = "aws_cloudtrail";
const REGION: &str = "aws_cloudtrail_region";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    // Shadow trails are the multi-region trails of other home regions: they
    // record this region too.
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_trails()
            .include_shadow_trails(true)
            .send()
            .await
    };
    // A failure leaves neither the trails nor the region's coverage known.
    let Some(out) = part.listed_for(read, scope, "cloudtrail:DescribeTrails", &[TRAIL, REGION])
    else {
        return part;
    };
    let trails: Vec<&Trail> = out.trail_list().iter().collect();
    let client = &client;
    let read = futures_util::stream::iter(trails)
        .map(|t| async move {
            let selected = match t.trail_arn() {
                Some(arn) => selectors::read(shared, config, t.home_region(), arn).await,
                None => Ok(Value::Null),
            };
            (t, logging(shared, client, t).await, selected)
        })
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    let mut coverage = Draft::new(
        scope,
        REGION,
        scope.arn("cloudtrail", "trails"),
        object(json!({"region": scope.region_str()})),
    );
    let mut recorders = Vec::new();
    for (n, (t, is_logging, selected)) in read.into_iter().enumerate() {
        let Some(arn) = t.trail_arn() else {
            continue;
        };
        let home = t.home_region() == scope.region.as_deref();
        let logging = match &is_logging {
            Ok(v) => json!(v),
            Err(f) => {
                coverage.failed(
                    &format!("/trails/{n}/is_logging"),
                    "cloudtrail:GetTrailStatus",
                    f,
                );
                Value::Null
            }
        };
        let mut recorder = json!({
            "arn": arn,
            "home_region": t.home_region(),
            "is_multi_region_trail": t.is_multi_region_trail().unwrap_or(false),
            "is_logging": logging,
        });
        for name in SELECTORS {
            recorder[name] = match &selected {
                Ok(v) => v[name].clone(),
                Err(f) => {
                    coverage.failed(&format!("/trails/{n}/{name}"), selectors::OPERATION, f);
                    Value::Null
                }
            };
        }
        recorders.push(recorder);
        if home {
            part.add([trail(shared, client, scope, t, arn, is_logging, selected).await]);
        }
    }
    coverage
        .attrs
        .insert("trails".into(), Value::Array(recorders));
    part.add([coverage.finish()]);
    part
}

/// Whether the trail is logging now (`GetTrailStatus`, by ARN so that a
/// shadow trail is found from its home region).
async fn logging(shared: &Shared, client: &Client, t: &Trail) -> Result<bool, Failure> {
    let Some(arn) = t.trail_arn() else {
        return Ok(false);
    };
    let _slot = shared.slot().await;
    client
        .get_trail_status()
        .name(arn)
        .send()
        .await
        .map(|out| out.is_logging().unwrap_or(false))
        .map_err(|e| Failure::of(&e))
}

/// The two selector attributes, in the trail and in the region's list.
const SELECTORS: [&str; 2] = ["event_selector", "advanced_event_selector"];

async fn trail(
    shared: &Shared,
    client: &Client,
    scope: &Scope,
    t: &Trail,
    arn: &str,
    is_logging: Result<bool, Failure>,
    selected: Result<Value, Failure>,
) -> (pillar_snapshot::Resource, Vec<pillar_snapshot::Gap>) {
    let mut d = Draft::new(
        scope,
        TRAIL,
        arn.to_owned(),
        object(json!({
            "name": t.name(),
            "arn": arn,
            "home_region": t.home_region(),
            "s3_bucket_name": t.s3_bucket_name(),
            "s3_key_prefix": t.s3_key_prefix(),
            "is_multi_region_trail": t.is_multi_region_trail().unwrap_or(false),
            "include_global_service_events": t.include_global_service_events().unwrap_or(false),
            "is_organization_trail": t.is_organization_trail().unwrap_or(false),
            "enable_log_file_validation": t.log_file_validation_enabled().unwrap_or(false),
            "kms_key_id": convert::non_empty(t.kms_key_id()),
            "cloud_watch_logs_group_arn": convert::non_empty(t.cloud_watch_logs_log_group_arn()),
            "cloud_watch_logs_role_arn": convert::non_empty(t.cloud_watch_logs_role_arn()),
        })),
    );
    d.set(
        "enable_logging",
        "cloudtrail:GetTrailStatus",
        is_logging.map(|v| json!(v)),
    );
    // The region's coverage recorded the gap already.
    for name in SELECTORS {
        match &selected {
            Ok(v) => {
                d.attrs.insert(name.into(), v[name].clone());
            }
            Err(_) => {
                d.attrs.insert(name.into(), Value::Null);
                d.unknown(&format!("/{name}"));
            }
        }
    }
    let read = {
        let _slot = shared.slot().await;
        client.list_tags().resource_id_list(arn).send().await
    };
    let tags = read
        .map(|out| {
            convert::tags(
                out.resource_tag_list()
                    .iter()
                    .flat_map(|r| r.tags_list())
                    .map(|t| (Some(t.key()), t.value())),
            )
        })
        .map_err(|e| Failure::of(&e));
    d.set("tags", "cloudtrail:ListTags", tags);
    d.finish()
}
