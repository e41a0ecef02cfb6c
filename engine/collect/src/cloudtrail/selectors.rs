//! A trail's event selectors (`GetEventSelectors`), in the provider's
//! block shapes: which management and data events the trail records.
//!
//! A trail has basic selectors (`event_selector`) or advanced ones
//! (`advanced_event_selector`), never both. A trail created without
//! selectors records every management event, read and write, and no data
//! event; AWS answers that as one basic selector.

use aws_config::{Region, SdkConfig};
use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector, EventSelector};
use serde_json::{Value, json};

use crate::account::Shared;
use crate::gap::Failure;

/// The operation, for gaps and the IAM policy.
pub(super) const OPERATION: &str = "cloudtrail:GetEventSelectors";

/// `{event_selector, advanced_event_selector}` of the trail `arn`, read in
/// its home region: a multi-region trail's selectors are the same in every
/// region it records, and its home region is where the API knows it.
pub(super) async fn read(
    shared: &Shared,
    config: &SdkConfig,
    home: Option<&str>,
    arn: &str,
) -> Result<Value, Failure> {
    let mut conf = aws_sdk_cloudtrail::config::Builder::from(config);
    if let Some(home) = home {
        conf = conf.region(Region::new(home.to_owned()));
    }
    let client = Client::from_conf(conf.build());
    let _slot = shared.slot().await;
    let out = client
        .get_event_selectors()
        .trail_name(arn)
        .send()
        .await
        .map_err(|e| Failure::of(&e))?;
    Ok(json!({
        "event_selector": out.event_selectors().iter().map(basic).collect::<Vec<_>>(),
        "advanced_event_selector": out.advanced_event_selectors().iter().map(advanced).collect::<Vec<_>>(),
    }))
}

fn basic(s: &EventSelector) -> Value {
    json!({
        // AWS's default when the field is left out.
        "read_write_type": s.read_write_type().map_or("All", |t| t.as_str()),
        "include_management_events": s.include_management_events().unwrap_or(true),
        "exclude_management_event_sources": s.exclude_management_event_sources(),
        "data_resource": s.data_resources().iter().map(|d| json!({
            "type": d.r#type(),
            "values": d.values(),
        })).collect::<Vec<_>>(),
    })
}

fn advanced(s: &AdvancedEventSelector) -> Value {
    json!({
        "name": s.name(),
        "field_selector": s.field_selectors().iter().map(field).collect::<Vec<_>>(),
    })
}

fn field(f: &AdvancedFieldSelector) -> Value {
    json!({
        "field": f.field(),
        "equals": f.equals(),
        "not_equals": f.not_equals(),
        "starts_with": f.starts_with(),
        "not_starts_with": f.not_starts_with(),
        "ends_with": f.ends_with(),
        "not_ends_with": f.not_ends_with(),
    })
}
