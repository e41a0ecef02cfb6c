use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

const GROUP: &str = "arn:aws:logs:eu-west-1:111122223333:log-group:/trail:*";

fn trail(filters: Value, unknown: &[&str]) -> Resource {
    trail_with(json!({}), filters, unknown)
}

fn trail_with(over: Value, filters: Value, unknown: &[&str]) -> Resource {
    let mut attrs = json!({"name": "main", "is_multi_region_trail": true, "enable_logging": true,
        "cloud_watch_logs_group_arn": GROUP, "log_metric_filters": filters});
    for (k, v) in over.as_object().into_iter().flatten() {
        attrs[k] = v.clone();
    }
    resource("aws_cloudtrail", attrs, unknown)
}

fn filter(pattern: Value, alarmed: Value) -> Value {
    json!({"name": "f", "pattern": pattern, "metric_name": "M", "metric_namespace": "CIS",
           "alarmed": alarmed, "alarms": []})
}

fn every_event() -> Value {
    Value::Array(
        EVENTS
            .iter()
            .map(|e| filter(json!(e.pattern), json!(true)))
            .collect(),
    )
}

fn verdicts(batch: &[Resource]) -> Vec<Vec<(u32, &'static str)>> {
    let f = run::<CloudWatchPack>("aws_cloudtrail", batch, json!({}));
    EVENTS.iter().map(|e| verdicts_of(&f, e.rule)).collect()
}

#[test]
fn every_event_passes_when_watched_and_fails_when_not() {
    let root = EVENTS[2].pattern;
    let batch = [
        trail(every_event(), &[]),
        trail(json!([]), &[]),
        trail(json!([filter(json!(root), json!(true))]), &[]),
        trail(json!([filter(json!(root), json!(false))]), &[]),
    ];
    for (n, v) in verdicts(&batch).into_iter().enumerate() {
        let root_watched = if n == 2 { vec![] } else { vec![(2, "fail")] };
        assert_eq!(
            v,
            [vec![(1, "fail")], root_watched, vec![(3, "fail")]].concat(),
            "{}",
            EVENTS[n].rule
        );
    }
}

#[test]
fn unknown_links_are_unknown_unless_a_known_one_decides() {
    let root = EVENTS[2].pattern;
    let batch = [
        trail(Value::Null, &["/log_metric_filters"]),
        trail(
            json!([filter(Value::Null, json!(true))]),
            &["/log_metric_filters/0/pattern"],
        ),
        trail(
            json!([filter(json!(root), Value::Null)]),
            &["/log_metric_filters/0/alarmed"],
        ),
        // A known watched filter wins over an unknown one.
        trail(
            json!([
                filter(Value::Null, Value::Null),
                filter(json!(root), json!(true))
            ]),
            &["/log_metric_filters/0"],
        ),
        // An unknown pattern feeding no alarm cannot watch anything.
        trail(
            json!([filter(Value::Null, json!(false))]),
            &["/log_metric_filters/0/pattern"],
        ),
    ];
    let v = verdicts(&batch);
    assert_eq!(
        v[2],
        vec![(0, "unknown"), (1, "unknown"), (2, "unknown"), (4, "fail")]
    );
    // Unauthorized API calls: the root filter does not cover them, whatever
    // its alarm.
    assert_eq!(
        v[0],
        vec![
            (0, "unknown"),
            (1, "unknown"),
            (2, "fail"),
            (3, "unknown"),
            (4, "fail")
        ]
    );
}

#[test]
fn only_multi_region_logging_trails_with_delivery_are_judged() {
    let batch = [
        trail_with(json!({"is_multi_region_trail": false}), json!([]), &[]),
        trail_with(json!({"enable_logging": false}), json!([]), &[]),
        trail_with(json!({"cloud_watch_logs_group_arn": null}), json!([]), &[]),
        trail_with(
            json!({"is_multi_region_trail": null}),
            json!([]),
            &["/is_multi_region_trail"],
        ),
        trail_with(
            json!({"cloud_watch_logs_group_arn": null}),
            Value::Null,
            &["/cloud_watch_logs_group_arn", "/log_metric_filters"],
        ),
        // Watched: a pass, whatever else is unknown.
        trail_with(
            json!({"enable_logging": null}),
            every_event(),
            &["/enable_logging"],
        ),
    ];
    for v in verdicts(&batch) {
        assert_eq!(v, vec![(3, "unknown"), (4, "unknown")]);
    }
}

#[test]
fn other_kinds_are_refused() {
    let mut out = pillar_rule_sdk::Findings::default();
    assert!(CloudWatchPack::evaluate("aws_s3_bucket", &[], &mut out).is_err());
}
