//! The metric filters of one region (`DescribeMetricFilters`, every log
//! group at once): each turns the log events its pattern matches into a
//! CloudWatch metric, which an alarm can then watch. The CIS monitoring
//! rules read them, through the derived `aws_cloudtrail.log_metric_filters`.
//!
//! `aws_cloudwatch_log_metric_filter` is Terraform's kind, with its
//! attribute names: `pattern` (the API's `filterPattern`) and the
//! `metric_transformation` block list (`metricTransformations`).

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::{MetricFilter, MetricTransformation};
use serde_json::{Map, Value, json};

use crate::account::Shared;
use crate::convert::object;
use crate::part::{Part, Scope};

const KIND: &str = "aws_cloudwatch_log_metric_filter";

pub(super) async fn collect(shared: &Shared, client: &Client, scope: &Scope) -> Part {
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_metric_filters()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "logs:DescribeMetricFilters", KIND) else {
        return part;
    };
    for f in pages.iter().flat_map(|p| p.metric_filters()) {
        let group = f.log_group_name().unwrap_or_default();
        let name = f.filter_name().unwrap_or_default();
        // Filters have no ARN; a name is unique within its log group.
        let id = scope.arn("logs", &format!("log-group:{group}:metric-filter:{name}"));
        part.resources.push(scope.resource(KIND, id, attributes(f)));
    }
    part
}

/// A filter in Terraform's shape.
fn attributes(f: &MetricFilter) -> Map<String, Value> {
    object(json!({
        "name": f.filter_name(),
        "log_group_name": f.log_group_name(),
        // An empty pattern matches every event: kept as "", not absent.
        "pattern": f.filter_pattern().unwrap_or_default(),
        "metric_transformation": f
            .metric_transformations()
            .iter()
            .map(transformation)
            .collect::<Vec<_>>(),
    }))
}

fn transformation(t: &MetricTransformation) -> Value {
    json!({
        "name": t.metric_name(),
        "namespace": t.metric_namespace(),
        "value": t.metric_value(),
        "default_value": t.default_value(),
        "unit": t.unit().map(|u| u.as_str()),
        "dimensions": t.dimensions().cloned().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_in_terraform_shape() {
        let t = MetricTransformation::builder()
            .metric_name("RootUsage")
            .metric_namespace("CISBenchmark")
            .metric_value("1")
            .build()
            .expect("required fields set");
        let f = MetricFilter::builder()
            .filter_name("root")
            .log_group_name("/trail")
            .filter_pattern(r#"{ $.userIdentity.type = "Root" }"#)
            .metric_transformations(t)
            .build();
        let a = Value::Object(attributes(&f));
        assert_eq!(a["name"], "root");
        assert_eq!(a["log_group_name"], "/trail");
        assert_eq!(a["pattern"], r#"{ $.userIdentity.type = "Root" }"#);
        assert_eq!(
            a["metric_transformation"],
            json!([{"name": "RootUsage", "namespace": "CISBenchmark", "value": "1",
                    "default_value": null, "unit": null, "dimensions": {}}])
        );
    }

    #[test]
    fn a_filter_without_pattern_matches_everything() {
        let f = MetricFilter::builder().filter_name("all").build();
        let a = Value::Object(attributes(&f));
        assert_eq!(a["pattern"], "");
        assert_eq!(a["metric_transformation"], json!([]));
    }
}
