//! Which events a region's logging trails record, read from their event
//! selectors as the region's `aws_cloudtrail_region` lists them: every
//! management event, reads and writes (PILLAR-CT-009), and S3 object-level
//! writes (010) and reads (011) for every bucket.
//!
//! A trail has basic selectors or advanced ones. With neither it records
//! every management event and no data event (AWS's default). A selector
//! counts only if it records the class whole: a basic selector that leaves
//! out management event sources, or an advanced one that filters on an
//! event source, an event name or some buckets, does not.

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{MANAGEMENT_EVENTS, S3_READ_EVENTS, S3_WRITE_EVENTS};

/// A class of events a rule wants recorded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    ManagementRead,
    ManagementWrite,
    S3Read,
    S3Write,
}

impl Class {
    fn reads(self) -> bool {
        matches!(self, Class::ManagementRead | Class::S3Read)
    }

    fn describe(self) -> &'static str {
        match self {
            Class::ManagementRead => "read management events",
            Class::ManagementWrite => "write management events",
            Class::S3Read => "S3 object-level read events for every bucket",
            Class::S3Write => "S3 object-level write events for every bucket",
        }
    }
}

/// Whether a trail element's selectors (`event_selector`,
/// `advanced_event_selector`) record `class`.
pub(crate) fn records(trail: &Value, class: Class) -> bool {
    let list = |name: &str| {
        trail
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (basic, advanced) = (list("event_selector"), list("advanced_event_selector"));
    if basic.is_empty() && advanced.is_empty() {
        return matches!(class, Class::ManagementRead | Class::ManagementWrite);
    }
    basic.iter().any(|s| basic_records(s, class))
        || advanced.iter().any(|s| advanced_records(s, class))
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// `arn:<partition>:s3` alone or followed by `:::` (or `:::/`): every
/// bucket, as the console and the API spell it.
fn every_bucket(value: &str) -> bool {
    let mut parts = value.splitn(3, ':');
    let (Some("arn"), Some(_partition), Some(rest)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(rest, "s3" | "s3:::" | "s3:::/")
}

fn basic_records(s: &Value, class: Class) -> bool {
    let rw = s
        .get("read_write_type")
        .and_then(Value::as_str)
        .unwrap_or("All");
    let direction = rw.eq_ignore_ascii_case("All")
        || (class.reads() && rw.eq_ignore_ascii_case("ReadOnly"))
        || (!class.reads() && rw.eq_ignore_ascii_case("WriteOnly"));
    if !direction {
        return false;
    }
    match class {
        Class::ManagementRead | Class::ManagementWrite => {
            s.get("include_management_events")
                .and_then(Value::as_bool)
                .unwrap_or(true)
                && strings(s.get("exclude_management_event_sources")).is_empty()
        }
        Class::S3Read | Class::S3Write => s
            .get("data_resource")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|d| {
                d.get("type").and_then(Value::as_str) == Some("AWS::S3::Object")
                    && strings(d.get("values")).iter().any(|v| every_bucket(v))
            }),
    }
}

/// The operators of a field selector other than `equals`.
const OTHER_OPERATORS: [&str; 5] = [
    "not_equals",
    "starts_with",
    "not_starts_with",
    "ends_with",
    "not_ends_with",
];

/// A `resources.ARN` field selector that only keeps to a prefix every
/// bucket matches, so the selector still covers them all.
fn every_bucket_prefix(f: &Value) -> bool {
    strings(f.get("starts_with"))
        .iter()
        .all(|v| every_bucket(v))
        && [
            "equals",
            "not_equals",
            "not_starts_with",
            "ends_with",
            "not_ends_with",
        ]
        .iter()
        .all(|op| strings(f.get(*op)).is_empty())
}

fn advanced_records(s: &Value, class: Class) -> bool {
    let fields = s
        .get("field_selector")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut category = None;
    let mut s3_objects = false;
    let mut reads = true;
    let mut writes = true;
    for f in &fields {
        let name = f.get("field").and_then(Value::as_str).unwrap_or_default();
        let equals = strings(f.get("equals"));
        let others: Vec<&str> = OTHER_OPERATORS
            .iter()
            .flat_map(|op| strings(f.get(*op)))
            .collect();
        match name {
            "eventCategory" if others.is_empty() && equals.len() == 1 => category = Some(equals[0]),
            "readOnly" if others.is_empty() => match equals.as_slice() {
                ["true"] => writes = false,
                ["false"] => reads = false,
                [] => {}
                _ => return false,
            },
            "resources.type" if others.is_empty() => {
                s3_objects = equals.contains(&"AWS::S3::Object")
            }
            "resources.ARN" if every_bucket_prefix(f) => {}
            // An event source, event name or other filter: not the whole class.
            _ => return false,
        }
    }
    let direction = if class.reads() { reads } else { writes };
    direction
        && match class {
            Class::ManagementRead | Class::ManagementWrite => category == Some("Management"),
            Class::S3Read | Class::S3Write => category == Some("Data") && s3_objects,
        }
}

/// What the region's trails say of one class.
enum Verdict {
    Recorded,
    NotRecorded,
    /// A trail that might record it has its logging status or selectors
    /// unknown: where.
    Unsure(String),
}

fn region_verdict(r: &Resource, class: Class) -> Verdict {
    let trails = match r.attr("/trails") {
        Attr::Known(Value::Array(t)) => t,
        Attr::Unknown => return Verdict::Unsure("/trails".into()),
        _ => return Verdict::NotRecorded,
    };
    let mut unsure = None;
    for (n, trail) in trails.iter().enumerate() {
        let at = format!("/trails/{n}");
        let logging = r.flag(&format!("{at}/is_logging"), false);
        let selectors_unknown = ["event_selector", "advanced_event_selector"]
            .iter()
            .any(|s| r.has_unknown_within(&format!("{at}/{s}")));
        match (logging, selectors_unknown) {
            (Some(false), _) => {}
            (Some(true), false) if records(trail, class) => return Verdict::Recorded,
            (Some(true), false) => {}
            (Some(true), true) => {
                unsure.get_or_insert(format!("{at}/event_selector"));
            }
            (None, true) => {
                unsure.get_or_insert(format!("{at}/is_logging"));
            }
            (None, false) if records(trail, class) => {
                unsure.get_or_insert(format!("{at}/is_logging"));
            }
            (None, false) => {}
        }
    }
    unsure.map_or(Verdict::NotRecorded, Verdict::Unsure)
}

/// PILLAR-CT-009, 010 and 011 on one region.
pub(crate) fn judge(i: usize, r: &Resource, out: &mut dyn Sink) {
    let region = r.attr("/region").as_str().unwrap_or("this region");
    for (rule, classes) in [
        (
            MANAGEMENT_EVENTS,
            &[Class::ManagementRead, Class::ManagementWrite][..],
        ),
        (S3_WRITE_EVENTS, &[Class::S3Write][..]),
        (S3_READ_EVENTS, &[Class::S3Read][..]),
    ] {
        let mut missing = Vec::new();
        let mut unsure = None;
        for class in classes {
            match region_verdict(r, *class) {
                Verdict::Recorded => {}
                Verdict::NotRecorded => missing.push(class.describe()),
                Verdict::Unsure(at) => {
                    unsure.get_or_insert((class.describe(), at));
                }
            }
        }
        if !missing.is_empty() {
            out.fail(
                rule,
                i,
                format!(
                    "{region}: no logging trail records {}",
                    missing.join(" or ")
                ),
                Some("/trails".into()),
            );
        } else if let Some((what, at)) = unsure {
            out.unknown(
                rule,
                i,
                format!("{region}: whether a logging trail records {what} is not known"),
                Some(at),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_selectors_is_every_management_event_and_no_data_event() {
        let t = json!({"event_selector": [], "advanced_event_selector": []});
        assert!(records(&t, Class::ManagementRead) && records(&t, Class::ManagementWrite));
        assert!(!records(&t, Class::S3Write));
    }

    #[test]
    fn basic_selectors() {
        let t = |rw: &str, mgmt: bool, excluded: &[&str], buckets: &[&str]| {
            json!({"event_selector": [{"read_write_type": rw, "include_management_events": mgmt,
                "exclude_management_event_sources": excluded,
                "data_resource": [{"type": "AWS::S3::Object", "values": buckets}]}]})
        };
        let all = t("All", true, &[], &["arn:aws:s3"]);
        for class in [
            Class::ManagementRead,
            Class::ManagementWrite,
            Class::S3Read,
            Class::S3Write,
        ] {
            assert!(records(&all, class), "{class:?}");
        }
        let write_only = t("WriteOnly", true, &[], &["arn:aws:s3:::"]);
        assert!(records(&write_only, Class::S3Write) && !records(&write_only, Class::S3Read));
        assert!(!records(&write_only, Class::ManagementRead));
        let one_bucket = t("All", false, &[], &["arn:aws:s3:::logs/"]);
        assert!(
            !records(&one_bucket, Class::S3Write) && !records(&one_bucket, Class::ManagementWrite)
        );
        let no_kms = t("All", true, &["kms.amazonaws.com"], &[]);
        assert!(!records(&no_kms, Class::ManagementRead));
    }

    #[test]
    fn advanced_selectors() {
        let field = |name: &str, equals: &[&str]| json!({"field": name, "equals": equals});
        let sel = |fields: Vec<Value>| json!({"event_selector": [], "advanced_event_selector": [{"name": "x", "field_selector": fields}]});
        let management = sel(vec![field("eventCategory", &["Management"])]);
        assert!(
            records(&management, Class::ManagementRead)
                && records(&management, Class::ManagementWrite)
        );
        let writes = sel(vec![
            field("eventCategory", &["Management"]),
            field("readOnly", &["false"]),
        ]);
        assert!(
            records(&writes, Class::ManagementWrite) && !records(&writes, Class::ManagementRead)
        );
        let s3 = sel(vec![
            field("eventCategory", &["Data"]),
            field("resources.type", &["AWS::S3::Object"]),
        ]);
        assert!(records(&s3, Class::S3Read) && records(&s3, Class::S3Write));
        assert!(!records(&s3, Class::ManagementRead));
        let some_buckets = sel(vec![
            field("eventCategory", &["Data"]),
            field("resources.type", &["AWS::S3::Object"]),
            json!({"field": "resources.ARN", "starts_with": ["arn:aws:s3:::logs/"]}),
        ]);
        assert!(!records(&some_buckets, Class::S3Write));
        let no_kms = sel(vec![
            field("eventCategory", &["Management"]),
            json!({"field": "eventSource", "not_equals": ["kms.amazonaws.com"]}),
        ]);
        assert!(!records(&no_kms, Class::ManagementWrite));
    }

    #[test]
    fn a_region_needs_one_logging_trail_recording_each_class() {
        use pillar_rule_sdk::testing::{resource, run, verdicts_of};
        let s3_writes = json!([{"read_write_type": "WriteOnly", "include_management_events": true,
            "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]);
        let trail = |logging: Value, basic: Value| json!({"arn": "arn:t", "is_logging": logging, "event_selector": basic, "advanced_event_selector": []});
        let region = |trails: Value, unknown: &[&str]| {
            resource(
                "aws_cloudtrail_region",
                json!({"region": "eu-west-1", "trails": trails}),
                unknown,
            )
        };
        let batch = [
            // Defaults: every management event, no data event.
            region(json!([trail(json!(true), json!([]))]), &[]),
            // Writes only, the trail that would add reads is stopped.
            region(
                json!([
                    trail(json!(true), s3_writes.clone()),
                    trail(json!(false), json!([]))
                ]),
                &[],
            ),
            // The only trail's selectors could not be read.
            region(
                json!([trail(json!(true), Value::Null)]),
                &["/trails/0/event_selector"],
            ),
            // A trail recording everything whose status is unknown.
            region(
                json!([trail(Value::Null, json!([]))]),
                &["/trails/0/is_logging"],
            ),
        ];
        let f = run::<crate::CloudTrailPack>("aws_cloudtrail_region", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, MANAGEMENT_EVENTS),
            vec![(1, "fail"), (2, "unknown"), (3, "unknown")]
        );
        assert_eq!(
            verdicts_of(&f, S3_WRITE_EVENTS),
            vec![(0, "fail"), (2, "unknown"), (3, "fail")]
        );
        assert_eq!(
            verdicts_of(&f, S3_READ_EVENTS),
            vec![(0, "fail"), (1, "fail"), (2, "unknown"), (3, "fail")]
        );
        assert!(f.0.iter().any(|e| {
            e.message
                .contains("no logging trail records read management events")
        }));
    }

    #[test]
    fn every_bucket_in_any_partition() {
        for v in ["arn:aws:s3", "arn:aws:s3:::", "arn:aws-us-gov:s3:::/"] {
            assert!(every_bucket(v), "{v}");
        }
        for v in ["arn:aws:s3:::b/", "s3", "arn:aws:s3:::b"] {
            assert!(!every_bucket(v), "{v}");
        }
    }
}
