//! CloudWatch metric alarms in one region (`DescribeAlarms`), in
//! Terraform's `aws_cloudwatch_metric_alarm` shape. The CIS monitoring
//! rules read them, through the derived `aws_cloudtrail.log_metric_filters`:
//! an alarm that watches a log metric filter's metric and notifies someone
//! is what turns a recorded event into an alert.
//!
//! Composite alarms (`aws_cloudwatch_composite_alarm`) watch other alarms,
//! not metrics, and are not read.

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{Dimension, MetricAlarm, MetricDataQuery};
use serde_json::{Map, Value, json};

use crate::account::Shared;
use crate::convert::{self, object};
use crate::part::{Part, Scope};

const KIND: &str = "aws_cloudwatch_metric_alarm";

pub(crate) async fn collect(shared: &Shared, config: &SdkConfig, scope: &Scope) -> Part {
    let client = Client::new(config);
    let mut part = Part::default();
    let read = {
        let _slot = shared.slot().await;
        client
            .describe_alarms()
            .into_paginator()
            .send()
            .try_collect()
            .await
    };
    let Some(pages) = part.listed(read, scope, "cloudwatch:DescribeAlarms", KIND) else {
        return part;
    };
    for a in pages.iter().flat_map(|p| p.metric_alarms()) {
        let name = a.alarm_name().unwrap_or_default();
        let arn = a
            .alarm_arn()
            .map(str::to_owned)
            .unwrap_or_else(|| scope.arn("cloudwatch", &format!("alarm:{name}")));
        part.resources
            .push(scope.resource(KIND, arn.clone(), attributes(a, &arn)));
    }
    part
}

/// An alarm in Terraform's shape.
fn attributes(a: &MetricAlarm, arn: &str) -> Map<String, Value> {
    object(json!({
        "alarm_name": a.alarm_name(),
        "arn": arn,
        "alarm_description": a.alarm_description(),
        "metric_name": a.metric_name(),
        "namespace": a.namespace(),
        "dimensions": dimensions(a.dimensions()),
        "statistic": a.statistic().map(|s| s.as_str()),
        "extended_statistic": a.extended_statistic(),
        "period": a.period(),
        "evaluation_periods": a.evaluation_periods(),
        "datapoints_to_alarm": a.datapoints_to_alarm(),
        "threshold": a.threshold(),
        "comparison_operator": a.comparison_operator().map(|c| c.as_str()),
        "treat_missing_data": a.treat_missing_data(),
        // The API omits it only for alarms created before it existed, which
        // act; Terraform's default is `true` as well.
        "actions_enabled": a.actions_enabled().unwrap_or(true),
        "alarm_actions": convert::strings(a.alarm_actions().iter().map(String::as_str)),
        "ok_actions": convert::strings(a.ok_actions().iter().map(String::as_str)),
        "insufficient_data_actions":
            convert::strings(a.insufficient_data_actions().iter().map(String::as_str)),
        "metric_query": a.metrics().iter().map(query).collect::<Vec<_>>(),
        "state_value": a.state_value().map(|s| s.as_str()),
    }))
}

/// Terraform's `dimensions` is a map, the API's a list of pairs.
fn dimensions(dims: &[Dimension]) -> Value {
    Value::Object(
        dims.iter()
            .filter_map(|d| Some((d.name()?.to_owned(), json!(d.value()))))
            .collect(),
    )
}

/// One `metric_query` block of a metric-math alarm; its `metric` is a
/// one-element block list in Terraform.
fn query(q: &MetricDataQuery) -> Value {
    let metric: Vec<Value> = q
        .metric_stat()
        .map(|s| {
            json!({
                "metric_name": s.metric().and_then(|m| m.metric_name()),
                "namespace": s.metric().and_then(|m| m.namespace()),
                "dimensions": dimensions(s.metric().map(|m| m.dimensions()).unwrap_or_default()),
                "period": s.period(),
                "stat": s.stat(),
            })
        })
        .into_iter()
        .collect();
    json!({
        "id": q.id(),
        "expression": q.expression(),
        "label": q.label(),
        "return_data": q.return_data(),
        "metric": metric,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudwatch::types::{ComparisonOperator, Metric, MetricStat};

    #[test]
    fn an_alarm_reads_in_terraform_shape() {
        let a = MetricAlarm::builder()
            .alarm_name("root-usage")
            .metric_name("RootUsage")
            .namespace("CISBenchmark")
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .threshold(1.0)
            .alarm_actions("arn:aws:sns:eu-west-1:111122223333:security")
            .dimensions(Dimension::builder().name("Group").value("trail").build())
            .build();
        let v = Value::Object(attributes(&a, "arn:alarm"));
        assert_eq!(v["alarm_name"], "root-usage");
        assert_eq!(v["metric_name"], "RootUsage");
        assert_eq!(v["namespace"], "CISBenchmark");
        assert_eq!(v["actions_enabled"], true, "absent: the alarm acts");
        assert_eq!(
            v["alarm_actions"],
            json!(["arn:aws:sns:eu-west-1:111122223333:security"])
        );
        assert_eq!(v["comparison_operator"], "GreaterThanOrEqualToThreshold");
        assert_eq!(v["threshold"], 1.0);
        assert_eq!(v["dimensions"], json!({"Group": "trail"}));
        assert_eq!(v["metric_query"], json!([]));
    }

    #[test]
    fn a_metric_math_alarm_lists_its_metrics() {
        let stat = MetricStat::builder()
            .metric(
                Metric::builder()
                    .metric_name("RootUsage")
                    .namespace("CISBenchmark")
                    .build(),
            )
            .period(300)
            .stat("Sum")
            .build();
        let a = MetricAlarm::builder()
            .alarm_name("math")
            .actions_enabled(false)
            .metrics(
                MetricDataQuery::builder()
                    .id("m1")
                    .metric_stat(stat)
                    .build(),
            )
            .metrics(
                MetricDataQuery::builder()
                    .id("e1")
                    .expression("m1 * 2")
                    .build(),
            )
            .build();
        let v = Value::Object(attributes(&a, "arn:alarm"));
        assert_eq!(v["actions_enabled"], false);
        assert_eq!(v["metric_name"], Value::Null);
        assert_eq!(
            v["metric_query"][0]["metric"][0]["metric_name"],
            "RootUsage"
        );
        assert_eq!(
            v["metric_query"][0]["metric"][0]["namespace"],
            "CISBenchmark"
        );
        assert_eq!(v["metric_query"][1]["metric"], json!([]));
        assert_eq!(v["metric_query"][1]["expression"], "m1 * 2");
    }
}
