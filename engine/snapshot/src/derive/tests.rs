use super::*;
use serde_json::json;

use crate::{Source, SourceKind};

fn res(id: &str, kind: &str, region: &str, attrs: Value, unknown: &[&str]) -> Resource {
    Resource {
        id: id.to_owned(),
        kind: kind.to_owned(),
        account: Some("111122223333".to_owned()),
        region: Some(region.to_owned()),
        attributes: attrs.as_object().cloned().unwrap_or_default(),
        unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
        location: None,
    }
}

fn snapshot(resources: Vec<Resource>) -> Snapshot {
    Snapshot {
        format_version: 1,
        source: Source {
            kind: SourceKind::Fixture,
            accounts: vec![],
            regions: vec![],
            collected_at: "2026-11-01T06:00:00Z".to_owned(),
            tool: "test".to_owned(),
            description: None,
        },
        gaps: vec![],
        resources,
    }
}

fn get<'a>(s: &'a Snapshot, id: &str, attr: &str) -> &'a Value {
    s.resources
        .iter()
        .find(|r| r.id == id)
        .and_then(|r| r.attributes.get(attr))
        .unwrap_or(&Value::Null)
}

fn unknown(s: &Snapshot, id: &str, attr: &str) -> bool {
    s.resources
        .iter()
        .find(|r| r.id == id)
        .is_some_and(|r| r.unknown.contains(&format!("/{attr}")))
}

fn network() -> Vec<Resource> {
    vec![
        res(
            "subnet-pub",
            "aws_subnet",
            "eu-west-1",
            json!({"id": "subnet-pub", "vpc_id": "vpc-1"}),
            &[],
        ),
        res(
            "subnet-priv",
            "aws_subnet",
            "eu-west-1",
            json!({"id": "subnet-priv", "vpc_id": "vpc-1"}),
            &[],
        ),
        res(
            "subnet-main",
            "aws_subnet",
            "eu-west-1",
            json!({"id": "subnet-main", "vpc_id": "vpc-1"}),
            &[],
        ),
        res(
            "rtb-pub",
            "aws_route_table",
            "eu-west-1",
            json!({"vpc_id": "vpc-1",
            "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}],
            "associations": [{"subnet_id": "subnet-pub", "main": false}]}),
            &[],
        ),
        res(
            "rtb-priv",
            "aws_route_table",
            "eu-west-1",
            json!({"vpc_id": "vpc-1",
            "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": null, "nat_gateway_id": "nat-1"}],
            "associations": [{"subnet_id": "subnet-priv", "main": false}]}),
            &[],
        ),
        res(
            "rtb-main",
            "aws_route_table",
            "eu-west-1",
            json!({"vpc_id": "vpc-1",
            "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}],
            "associations": [{"subnet_id": null, "main": true}]}),
            &[],
        ),
    ]
}

#[test]
fn subnets_follow_explicit_then_main_route_tables() {
    let mut s = snapshot(network());
    derive(&mut s);
    assert_eq!(get(&s, "subnet-pub", "internet_routed"), &json!(true));
    assert_eq!(get(&s, "subnet-priv", "internet_routed"), &json!(false));
    assert_eq!(get(&s, "subnet-main", "internet_routed"), &json!(true));
}

#[test]
fn unknown_routes_or_missing_tables_are_unknown() {
    let mut r = network();
    r[4].unknown.push("/route".into()); // rtb-priv's routes unknown
    r.push(res(
        "subnet-lost",
        "aws_subnet",
        "eu-west-1",
        json!({"id": "subnet-lost", "vpc_id": "vpc-9"}),
        &[],
    ));
    let mut s = snapshot(r);
    derive(&mut s);
    assert!(unknown(&s, "subnet-priv", "internet_routed"));
    assert_eq!(get(&s, "subnet-priv", "internet_routed"), &Value::Null);
    assert!(
        unknown(&s, "subnet-lost", "internet_routed"),
        "no route table for vpc-9"
    );
    assert_eq!(get(&s, "subnet-pub", "internet_routed"), &json!(true));
}

#[test]
fn databases_get_their_internet_routed_subnets() {
    let mut r = network();
    r.push(res(
        "db-public",
        "aws_db_instance",
        "eu-west-1",
        json!({"subnet_ids": ["subnet-priv", "subnet-pub"]}),
        &[],
    ));
    r.push(res(
        "db-private",
        "aws_db_instance",
        "eu-west-1",
        json!({"db_subnet_group_name": "private"}),
        &[],
    ));
    r.push(res(
        "grp",
        "aws_db_subnet_group",
        "eu-west-1",
        json!({"name": "private", "subnet_ids": ["subnet-priv"]}),
        &[],
    ));
    r.push(res(
        "db-planned",
        "aws_db_instance",
        "eu-west-1",
        json!({}),
        &["/subnet_ids"],
    ));
    let mut s = snapshot(r);
    derive(&mut s);
    assert_eq!(
        get(&s, "db-public", "internet_routed_subnet_ids"),
        &json!(["subnet-pub"])
    );
    assert_eq!(
        get(&s, "db-private", "internet_routed_subnet_ids"),
        &json!([])
    );
    assert!(unknown(&s, "db-planned", "internet_routed_subnet_ids"));
}

#[test]
fn workloads_count_running_instances_and_zones() {
    let inst = |id: &str, app: Option<&str>, az: &str, state: &str| {
        let tags = app.map_or(json!({}), |a| json!({"app": a}));
        res(
            id,
            "aws_instance",
            "eu-west-1",
            json!({"tags": tags, "availability_zone": az, "instance_state": state, "subnet_id": "subnet-pub"}),
            &[],
        )
    };
    let mut r = network();
    r.push(inst("w1", Some("web"), "eu-west-1a", "running"));
    r.push(inst("w2", Some("web"), "eu-west-1a", "running"));
    r.push(inst("w3", Some("web"), "eu-west-1b", "stopped"));
    r.push(inst("lone", None, "eu-west-1a", "running"));
    let mut s = snapshot(r.clone());
    derive(&mut s);
    assert_eq!(get(&s, "w1", "workload"), &json!("app=web"));
    assert_eq!(get(&s, "w1", "workload_running_instances"), &json!(2));
    assert_eq!(
        get(&s, "w3", "workload_running_azs"),
        &json!(["eu-west-1a"])
    );
    assert_eq!(get(&s, "lone", "workload_running_instances"), &json!(1));
    assert_eq!(get(&s, "lone", "internet_routed"), &json!(true));
    // An instance whose tags are unknown could belong to any workload.
    r.push(res(
        "planned",
        "aws_instance",
        "eu-west-1",
        json!({}),
        &["/tags"],
    ));
    let mut s = snapshot(r);
    derive(&mut s);
    assert!(unknown(&s, "w1", "workload_running_instances"));
    assert!(unknown(&s, "planned", "workload"));
    assert_eq!(
        get(&s, "lone", "workload_running_instances"),
        &json!(1),
        "untagged is alone"
    );
}

#[test]
fn overlap_lists_are_capped_per_block() {
    // An organisation's default VPCs all use 172.31.0.0/16.
    let vpcs: Vec<Resource> = (0..MAX_OVERLAPS_LISTED + 5)
        .map(|n| {
            let mut v = res(
                &format!("vpc-{n}"),
                "aws_vpc",
                "eu-west-1",
                json!({"id": format!("vpc-{n}"), "cidr_block": "172.31.0.0/16"}),
                &[],
            );
            v.account = Some(format!("{n:012}"));
            v
        })
        .collect();
    let mut s = snapshot(vpcs);
    derive(&mut s);
    let listed = get(&s, "vpc-0", "overlapping_vpcs_other_accounts");
    assert_eq!(listed.as_array().map(Vec::len), Some(MAX_OVERLAPS_LISTED));
}

#[test]
fn indexed_overlaps_equal_comparing_every_pair() {
    // Nested and equal blocks, several per VPC, unknown ones, four
    // accounts (one of them none), enough VPCs for the cap to bite.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let cidr = |next: &mut dyn FnMut(u64) -> u64| {
        let len = if next(40) == 0 {
            8
        } else {
            [12, 16, 16, 16, 20, 24][next(6) as usize]
        };
        format!("10.{}.{}.0/{len}", next(64) * 4, next(4) * 64)
    };
    let vpcs: Vec<Resource> = (0..300)
        .map(|n| {
            let mut blocks = vec![cidr(&mut next)];
            for _ in 0..next(3) {
                blocks.push(cidr(&mut next));
            }
            let associations: Vec<Value> =
                blocks.iter().map(|b| json!({"cidr_block": b})).collect();
            let unknown: &[&str] = if next(10) == 0 { &["/cidr_block"] } else { &[] };
            let mut v = res(
                &format!("vpc-{n}"),
                "aws_vpc",
                "eu-west-1",
                json!({"id": format!("vpc-{n}"), "cidr_block": blocks[0],
                    "cidr_block_associations": associations}),
                unknown,
            );
            v.account =
                [None, Some("a"), Some("b"), Some("c")][next(4) as usize].map(str::to_owned);
            v
        })
        .collect();
    let indexed = vpc_overlaps(&vpcs);
    assert_eq!(indexed, vpc_overlaps_by_scan(&vpcs));
    let lengths: Vec<usize> = indexed
        .iter()
        .flatten()
        .filter_map(|(_, d)| match d {
            Derived::Known(Value::Array(list)) => Some(list.len()),
            _ => None,
        })
        .collect();
    // The case must reach the cap (several blocks each) and leave lists
    // short of it too.
    assert!(
        lengths.iter().any(|n| *n > MAX_OVERLAPS_LISTED),
        "{lengths:?}"
    );
    assert!(
        lengths.iter().any(|n| (1..MAX_OVERLAPS_LISTED).contains(n)),
        "{lengths:?}"
    );
}

#[test]
fn vpc_overlaps_across_regions_and_accounts() {
    let vpc = |id: &str, region: &str, cidr: &str| {
        res(
            id,
            "aws_vpc",
            region,
            json!({"id": id, "cidr_block": cidr}),
            &[],
        )
    };
    let mut other = vpc("vpc-c", "us-east-1", "10.0.128.0/17");
    other.account = Some("444455556666".into());
    let mut s = snapshot(vec![
        vpc("vpc-a", "eu-west-1", "10.0.0.0/16"),
        vpc("vpc-b", "eu-central-1", "10.1.0.0/16"),
        other,
    ]);
    derive(&mut s);
    let a = get(&s, "vpc-a", "overlapping_vpcs_other_accounts");
    assert_eq!(a.as_array().map(Vec::len), Some(1));
    assert_eq!(a[0]["account"], json!("444455556666"));
    assert_eq!(a[0]["other_cidr_block"], json!("10.0.128.0/17"));
    assert_eq!(
        get(&s, "vpc-a", "overlapping_vpcs_same_account"),
        &json!([])
    );
    assert_eq!(
        get(&s, "vpc-b", "overlapping_vpcs_same_account"),
        &json!([])
    );
    // An unknown neighbour makes "no overlap" unknown in its group, but
    // not a known overlap, and not the other group.
    s.resources.push(res(
        "vpc-d",
        "aws_vpc",
        "eu-west-1",
        json!({}),
        &["/cidr_block"],
    ));
    s.resources.push(res(
        "vpc-e",
        "aws_vpc",
        "us-east-1",
        json!({"id": "vpc-e", "cidr_block": "10.1.0.0/24"}),
        &[],
    ));
    derive(&mut s);
    assert!(unknown(&s, "vpc-a", "overlapping_vpcs_same_account"));
    assert_eq!(
        get(&s, "vpc-a", "overlapping_vpcs_other_accounts")
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        get(&s, "vpc-b", "overlapping_vpcs_same_account")[0]["vpc_id"],
        json!("vpc-e")
    );
    assert!(unknown(&s, "vpc-d", "overlapping_vpcs_other_accounts"));
}

#[test]
fn environments_are_classed_and_counted_per_account() {
    let tagged = |id: &str, env: &str| {
        res(
            id,
            "aws_instance",
            "eu-west-1",
            json!({"tags": {"Environment": env}}),
            &[],
        )
    };
    let mut s = snapshot(vec![
        tagged("p1", "prod"),
        tagged("d1", "dev"),
        tagged("x", "blue"),
    ]);
    derive(&mut s);
    assert_eq!(get(&s, "d1", "environment_class"), &json!("non-production"));
    assert_eq!(get(&s, "d1", "environment_tag"), &json!("dev"));
    assert_eq!(get(&s, "x", "environment_class"), &Value::Null);
    assert_eq!(get(&s, "d1", "account_production_resources"), &json!(1));
    let mut s = snapshot(vec![
        tagged("d1", "dev"),
        res("u", "aws_instance", "eu-west-1", json!({}), &["/tags"]),
    ]);
    derive(&mut s);
    assert!(unknown(&s, "d1", "account_production_resources"));
    assert!(unknown(&s, "u", "environment_class"));
}

#[test]
fn derive_is_idempotent_and_overwrites_what_a_source_wrote() {
    let mut r = network();
    r[0].attributes
        .insert("internet_routed".into(), json!(false));
    r[1].unknown.push("/internet_routed".into());
    let mut once = snapshot(r);
    derive(&mut once);
    let mut twice = once.clone();
    derive(&mut twice);
    assert_eq!(once.resources, twice.resources);
    assert_eq!(get(&once, "subnet-pub", "internet_routed"), &json!(true));
    assert!(!unknown(&once, "subnet-priv", "internet_routed"));
}

#[test]
fn kms_keys_list_the_resources_that_name_them_by_arn_or_id() {
    let key_arn = "arn:aws:kms:eu-west-1:111122223333:key/k-1";
    let s = |extra: Vec<Resource>| {
        let mut all = vec![
            res(
                "arn:k1",
                "aws_kms_key",
                "eu-west-1",
                json!({"arn": key_arn, "key_id": "k-1"}),
                &[],
            ),
            res(
                "arn:k2",
                "aws_kms_key",
                "eu-west-1",
                json!({"arn": "arn:aws:kms:eu-west-1:111122223333:key/k-2", "key_id": "k-2"}),
                &[],
            ),
            res(
                "db",
                "aws_db_instance",
                "eu-west-1",
                json!({"kms_key_id": key_arn}),
                &[],
            ),
            res(
                "vol",
                "aws_ebs_volume",
                "eu-west-1",
                json!({"kms_key_id": "k-1"}),
                &[],
            ),
            res(
                "vol-elsewhere",
                "aws_ebs_volume",
                "us-east-1",
                json!({"kms_key_id": "k-1"}),
                &[],
            ),
            res(
                "bucket",
                "aws_s3_bucket",
                "eu-west-1",
                json!({"server_side_encryption_configuration": {"rule": [
                {"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/k-2"}]}]}}),
                &[],
            ),
        ];
        all.extend(extra);
        let mut snap = snapshot(all);
        derive(&mut snap);
        snap
    };
    let known = s(vec![]);
    assert_eq!(
        get(&known, "arn:k1", "used_by"),
        &json!(["db", "vol"]),
        "an id names a key in its own region only"
    );
    assert_eq!(
        get(&known, "arn:k2", "used_by"),
        &json!([]),
        "aliases are not resolved"
    );
    let unsure = s(vec![res(
        "planned-db",
        "aws_db_instance",
        "eu-west-1",
        json!({"kms_key_id": null}),
        &["/kms_key_id"],
    )]);
    assert_eq!(
        get(&unsure, "arn:k1", "used_by"),
        &json!(["db", "vol"]),
        "a known user decides"
    );
    assert!(
        unknown(&unsure, "arn:k2", "used_by"),
        "none known, one reference unknown"
    );
}

fn trail_to(group_arn: Value, unknown: &[&str]) -> Resource {
    res(
        "arn:trail",
        "aws_cloudtrail",
        "eu-west-1",
        json!({"name": "main", "cloud_watch_logs_group_arn": group_arn}),
        unknown,
    )
}

fn metric_filter(name: &str, group: &str, metric: &str) -> Resource {
    res(
        &format!("arn:filter:{name}"),
        "aws_cloudwatch_log_metric_filter",
        "eu-west-1",
        json!({"name": name, "log_group_name": group, "pattern": "{ $.userIdentity.type = \"Root\" }",
               "metric_transformation": [{"name": metric, "namespace": "CIS", "value": "1"}]}),
        &[],
    )
}

fn alarm(name: &str, metric: &str, actions: Value, unknown: &[&str]) -> Resource {
    res(
        &format!("arn:alarm:{name}"),
        "aws_cloudwatch_metric_alarm",
        "eu-west-1",
        json!({"alarm_name": name, "metric_name": metric, "namespace": "CIS", "alarm_actions": actions}),
        unknown,
    )
}

const GROUP_ARN: &str = "arn:aws:logs:eu-west-1:111122223333:log-group:/trail:*";

#[test]
fn trails_list_the_filters_on_their_group_and_whether_an_acting_alarm_watches_each() {
    let mut s = snapshot(vec![
        trail_to(json!(GROUP_ARN), &[]),
        metric_filter("root", "/trail", "Root"),
        metric_filter("silent", "/trail", "Silent"),
        metric_filter("elsewhere", "/other", "Root"),
        alarm("root-alarm", "Root", json!(["arn:sns:topic"]), &[]),
        alarm("silent-alarm", "Silent", json!([]), &[]),
    ]);
    derive(&mut s);
    let list = get(&s, "arn:trail", "log_metric_filters");
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    assert_eq!(list[0]["name"], "root");
    assert_eq!(list[0]["alarmed"], true);
    assert_eq!(list[0]["alarms"], json!(["root-alarm"]));
    assert_eq!(list[0]["metric_name"], "Root");
    assert_eq!(list[1]["name"], "silent");
    assert_eq!(list[1]["alarmed"], false, "an alarm without actions");
    let trail = s.resources.iter().find(|r| r.id == "arn:trail");
    assert_eq!(trail.map(|t| monitoring_unknown(t).len()), Some(0));
}

#[test]
fn trail_monitoring_is_unknown_where_its_inputs_are() {
    // The group itself.
    let mut s = snapshot(vec![trail_to(
        Value::Null,
        &["/cloud_watch_logs_group_arn"],
    )]);
    derive(&mut s);
    assert!(unknown(&s, "arn:trail", "log_metric_filters"));
    // No delivery: nothing watches, known.
    let mut s = snapshot(vec![trail_to(Value::Null, &[])]);
    derive(&mut s);
    assert_eq!(get(&s, "arn:trail", "log_metric_filters"), &json!([]));
    // The region's filters could not be listed.
    let mut s = snapshot(vec![trail_to(json!(GROUP_ARN), &[])]);
    s.gaps.push(crate::Gap {
        kind: Some("aws_cloudwatch_log_metric_filter".into()),
        operation: Some("logs:DescribeMetricFilters".into()),
        account: Some("111122223333".into()),
        region: Some("eu-west-1".into()),
        resource: None,
        reason: "access-denied".into(),
        message: "denied".into(),
    });
    derive(&mut s);
    assert!(unknown(&s, "arn:trail", "log_metric_filters"));
    // Alarms could not be listed: `alarmed` unknown; a filter whose group is
    // unknown is listed, wholly unknown; an unknown pattern is unknown.
    let mut on_unknown_group = metric_filter("maybe", "", "Maybe");
    on_unknown_group.unknown.push("/log_group_name".into());
    let mut planned = metric_filter("planned", "/trail", "Planned");
    planned.unknown.push("/pattern".into());
    let mut s = snapshot(vec![
        trail_to(json!(GROUP_ARN), &[]),
        metric_filter("root", "/trail", "Root"),
        on_unknown_group,
        planned,
        alarm("planned", "Planned", Value::Null, &["/alarm_actions"]),
    ]);
    s.gaps.push(crate::Gap {
        kind: Some("aws_cloudwatch_metric_alarm".into()),
        operation: Some("cloudwatch:DescribeAlarms".into()),
        account: None,
        region: Some("us-east-1".into()),
        resource: None,
        reason: "error".into(),
        message: "another region".into(),
    });
    derive(&mut s);
    let trail = s.resources.iter().find(|r| r.id == "arn:trail");
    assert_eq!(
        trail.map(monitoring_unknown),
        Some(vec![
            "/log_metric_filters/1".to_owned(),
            "/log_metric_filters/2/pattern".to_owned(),
            "/log_metric_filters/2/alarmed".to_owned(),
        ])
    );
    let list = get(&s, "arn:trail", "log_metric_filters");
    assert_eq!(
        list[0]["alarmed"], false,
        "a gap in another region hides nothing here"
    );
    // Idempotent: the pointers are not repeated.
    derive(&mut s);
    let trail = s.resources.iter().find(|r| r.id == "arn:trail");
    assert_eq!(trail.map(|t| monitoring_unknown(t).len()), Some(3));
}

#[test]
fn metric_math_alarms_and_disabled_actions() {
    let mut math = alarm("math", "", json!(["arn:sns:topic"]), &[]);
    math.attributes.remove("metric_name");
    math.attributes.insert(
        "metric_query".into(),
        json!([{"id": "m1", "metric": [{"metric_name": "Root", "namespace": "CIS"}]}]),
    );
    let mut off = alarm("off", "Silent", json!(["arn:sns:topic"]), &[]);
    off.attributes
        .insert("actions_enabled".into(), json!(false));
    let mut s = snapshot(vec![
        trail_to(json!(GROUP_ARN), &[]),
        metric_filter("root", "/trail", "Root"),
        metric_filter("silent", "/trail", "Silent"),
        math,
        off,
    ]);
    derive(&mut s);
    let list = get(&s, "arn:trail", "log_metric_filters");
    assert_eq!(list[0]["alarmed"], true);
    assert_eq!(list[1]["alarmed"], false);
}

#[test]
fn a_plan_can_pass_a_trail_but_not_rule_out_what_it_does_not_show() {
    let mut s = snapshot(vec![
        trail_to(json!(GROUP_ARN), &[]),
        metric_filter("root", "/trail", "Root"),
        metric_filter("unwatched", "/trail", "Unwatched"),
        alarm("root-alarm", "Root", json!(["arn:sns:topic"]), &[]),
    ]);
    s.source.kind = SourceKind::TerraformPlan;
    derive(&mut s);
    let list = get(&s, "arn:trail", "log_metric_filters");
    assert_eq!(list[0]["alarmed"], true, "a known alarm decides");
    assert_eq!(
        list[1]["alarmed"],
        Value::Null,
        "an alarm outside the plan may watch it"
    );
    assert_eq!(list.as_array().map(Vec::len), Some(3), "{list}");
    let trail = s.resources.iter().find(|r| r.id == "arn:trail");
    assert_eq!(
        trail.map(monitoring_unknown),
        Some(vec![
            "/log_metric_filters/1/alarmed".to_owned(),
            "/log_metric_filters/2".to_owned(),
        ])
    );
}

/// A trail's unknown pointers from its log monitoring (the other derived
/// attributes, such as `s3_bucket`, have their own tests).
fn monitoring_unknown(t: &Resource) -> Vec<String> {
    t.unknown
        .iter()
        .filter(|u| u.starts_with("/log_metric_filters"))
        .cloned()
        .collect()
}

#[test]
fn service_subnet_zones_are_looked_up_and_unknown_when_unresolved() {
    let subnet = |id: &str, az: &str| {
        res(
            id,
            "aws_subnet",
            "eu-west-1",
            json!({"id": id, "availability_zone": az}),
            &[],
        )
    };
    let service = |id: &str, network: Value, unknown: &[&str]| {
        res(
            id,
            "aws_ecs_service",
            "eu-west-1",
            json!({"name": id, "network_configuration": network}),
            unknown,
        )
    };
    let mut s = snapshot(vec![
        subnet("subnet-a", "eu-west-1a"),
        subnet("subnet-b", "eu-west-1b"),
        subnet("subnet-a2", "eu-west-1a"),
        service(
            "two",
            json!({"subnets": ["subnet-b", "subnet-a", "subnet-a2"]}),
            &[],
        ),
        service("one", json!({"subnets": ["subnet-a", "subnet-a2"]}), &[]),
        service(
            "elsewhere",
            json!({"subnets": ["subnet-a", "subnet-x"]}),
            &[],
        ),
        service("bridge", Value::Null, &[]),
        service(
            "computed",
            json!({"subnets": null}),
            &["/network_configuration/subnets"],
        ),
    ]);
    derive(&mut s);
    let zones = |id: &str| get(&s, id, "subnet_availability_zones").clone();
    assert_eq!(zones("two"), json!(["eu-west-1a", "eu-west-1b"]));
    assert_eq!(zones("one"), json!(["eu-west-1a"]));
    for id in ["elsewhere", "bridge", "computed"] {
        assert!(zones(id).is_null(), "{id}");
        assert!(unknown(&s, id, "subnet_availability_zones"), "{id}");
    }
    assert!(!unknown(&s, "two", "subnet_availability_zones"));
}

#[test]
fn group_zones_come_from_the_group_or_its_subnets() {
    let subnet = |id: &str, az: Value, unknown: &[&str]| {
        res(
            id,
            "aws_subnet",
            "eu-west-1",
            json!({"id": id, "availability_zone": az}),
            unknown,
        )
    };
    let group = |id: &str, attrs: Value, unknown: &[&str]| {
        res(id, "aws_autoscaling_group", "eu-west-1", attrs, unknown)
    };
    let mut s = snapshot(vec![
        subnet("subnet-a", json!("eu-west-1a"), &[]),
        subnet("subnet-b", json!("eu-west-1b"), &[]),
        subnet("subnet-a2", json!("eu-west-1a"), &[]),
        subnet("subnet-x", Value::Null, &["/availability_zone"]),
        group(
            "listed",
            json!({"availability_zones": ["eu-west-1b", "eu-west-1a", "eu-west-1a"]}),
            &[],
        ),
        group(
            "two-subnets",
            json!({"vpc_zone_identifier": ["subnet-a", "subnet-b", "subnet-x"]}),
            &["/availability_zones"],
        ),
        group(
            "one-zone",
            json!({"availability_zones": [], "vpc_zone_identifier": ["subnet-a", "subnet-a2"]}),
            &[],
        ),
        group(
            "unresolved",
            json!({"vpc_zone_identifier": ["subnet-a", "subnet-x"]}),
            &["/availability_zones"],
        ),
        group(
            "outside",
            json!({"vpc_zone_identifier": ["subnet-elsewhere"]}),
            &[],
        ),
        group(
            "computed",
            json!({}),
            &["/availability_zones", "/vpc_zone_identifier"],
        ),
    ]);
    derive(&mut s);
    assert_eq!(
        get(&s, "listed", "zones"),
        &json!(["eu-west-1a", "eu-west-1b"])
    );
    assert_eq!(
        get(&s, "two-subnets", "zones"),
        &json!(["eu-west-1a", "eu-west-1b"])
    );
    assert_eq!(get(&s, "one-zone", "zones"), &json!(["eu-west-1a"]));
    for id in ["unresolved", "outside", "computed"] {
        assert!(unknown(&s, id, "zones"), "{id}");
        assert_eq!(get(&s, id, "zones"), &Value::Null, "{id}");
    }
    // Idempotent.
    derive(&mut s);
    assert_eq!(get(&s, "one-zone", "zones"), &json!(["eu-west-1a"]));
}

fn backup_plan(id: &str, selections: Value, copy_to: &[&str], unknown: &[&str]) -> Resource {
    let copies: Vec<Value> = copy_to
        .iter()
        .map(|arn| json!({"destination_vault_arn": arn}))
        .collect();
    res(
        id,
        "aws_backup_plan",
        "eu-west-1",
        json!({"arn": format!("arn:aws:backup:eu-west-1:111122223333:backup-plan:{id}"), "name": id,
               "rule": [{"rule_name": "daily", "copy_action": copies}], "selections": selections}),
        unknown,
    )
}

fn database(id: &str, tags: Value, unknown: &[&str]) -> Resource {
    res(
        id,
        "aws_db_instance",
        "eu-west-1",
        json!({"arn": format!("arn:aws:rds:eu-west-1:111122223333:db:{id}"), "tags": tags}),
        unknown,
    )
}

#[test]
fn backup_plans_select_by_arn_pattern_tag_and_condition_minus_exclusions() {
    let dr = "arn:aws:backup:eu-central-1:444455556666:backup-vault:dr";
    let mut s = snapshot(vec![
        backup_plan(
            "by-arn",
            json!([{"resources": ["arn:aws:rds:*:*:db:orders*"], "not_resources": ["arn:aws:rds:eu-west-1:111122223333:db:orders-test"]}]),
            &[dr],
            &[],
        ),
        backup_plan(
            "by-tag",
            json!([{"selection_tag": [{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]}]),
            &[],
            &[],
        ),
        backup_plan(
            "by-condition",
            json!([{"resources": ["*"], "condition": {"string_like": [{"key": "aws:ResourceTag/tier", "value": "gold*"}],
                     "string_not_equals": [{"key": "aws:ResourceTag/env", "value": "dev"}]}}]),
            &[],
            &[],
        ),
        database("orders", json!({}), &[]),
        database("orders-test", json!({}), &[]),
        database("ledger", json!({"backup": "daily"}), &[]),
        database("gold", json!({"tier": "gold-1"}), &[]),
        database("gold-dev", json!({"tier": "gold-1", "env": "dev"}), &[]),
        res(
            "vol",
            "aws_ebs_volume",
            "eu-west-1",
            json!({"arn": "arn:aws:ec2:eu-west-1:111122223333:volume/vol-1"}),
            &[],
        ),
    ]);
    derive(&mut s);
    let names = |id: &str| -> Vec<String> {
        get(&s, id, "backup_plans")
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(names("orders"), vec!["by-arn"]);
    assert_eq!(
        get(&s, "orders", "backup_plans")[0]["copy_regions"],
        json!(["eu-central-1"])
    );
    assert_eq!(
        get(&s, "orders", "backup_plans")[0]["copy_accounts"],
        json!(["444455556666"])
    );
    assert!(names("orders-test").is_empty());
    assert_eq!(names("ledger"), vec!["by-tag"]);
    assert_eq!(names("gold"), vec!["by-condition"]);
    assert!(names("gold-dev").is_empty());
    assert!(names("vol").is_empty());
    assert!(get(&s, "vol", "backup_plans").is_array());
}

#[test]
fn a_plan_never_concludes_that_no_backup_plan_selects_a_resource() {
    let dr = "arn:aws:backup:eu-central-1:111122223333:backup-vault:dr";
    let mut s = snapshot(vec![
        backup_plan(
            "dbs",
            json!([{"resources": ["arn:aws:rds:*:*:db:orders"]}]),
            &[dr],
            &[],
        ),
        database("orders", json!({}), &[]),
        database("ledger", json!({}), &[]),
    ]);
    s.source.kind = SourceKind::TerraformPlan;
    derive(&mut s);
    // Selected in the plan: the plan is shown, then what the plan cannot show.
    let orders = get(&s, "orders", "backup_plans");
    assert_eq!(orders[0]["name"], "dbs");
    assert_eq!(orders[0]["copy_regions"], json!(["eu-central-1"]));
    assert_eq!(orders[1], Value::Null);
    assert!(unknown(&s, "orders", "backup_plans/1"));
    // Selected by nothing in the plan: unknown, not "no plan".
    assert_eq!(get(&s, "ledger", "backup_plans"), &json!([null]));
    assert!(unknown(&s, "ledger", "backup_plans/0"));
    // The same resources live: "no plan" is a fact.
    s.source.kind = SourceKind::AwsAccount;
    derive(&mut s);
    assert_eq!(get(&s, "ledger", "backup_plans"), &json!([]));
    assert!(!unknown(&s, "ledger", "backup_plans"));
}

#[test]
fn backup_coverage_is_unknown_where_a_selection_or_the_listing_is() {
    // A planned selection naming an ARN known only after apply.
    let mut s = snapshot(vec![
        backup_plan(
            "planned",
            json!([{"resources": [null, "arn:aws:ec2:*:*:volume/*"]}]),
            &[],
            &["/selections/0/resources/0"],
        ),
        backup_plan("unread", Value::Null, &[], &["/selections"]),
        database("orders", json!({}), &[]),
        // An unknown ARN can still be ruled out by a pattern of another service.
        database("new", json!({}), &["/arn"]),
    ]);
    derive(&mut s);
    let r = s.resources.iter().find(|r| r.id == "orders").expect("db");
    assert_eq!(get(&s, "orders", "backup_plans"), &json!([null]));
    assert!(r.unknown.contains(&"/backup_plans/0".to_owned()));
    // Tags unknown: a tag selection cannot be decided.
    let mut s = snapshot(vec![
        backup_plan(
            "by-tag",
            json!([{"selection_tag": [{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]}]),
            &[],
            &[],
        ),
        database("orders", Value::Null, &["/tags"]),
    ]);
    derive(&mut s);
    assert_eq!(get(&s, "orders", "backup_plans"), &json!([null]));
    // The region's plans could not be listed.
    let mut s = snapshot(vec![database("orders", json!({}), &[])]);
    s.gaps.push(crate::Gap {
        kind: Some("aws_backup_plan".into()),
        operation: Some("backup:ListBackupPlans".into()),
        account: Some("111122223333".into()),
        region: Some("eu-west-1".into()),
        resource: None,
        reason: "access-denied".into(),
        message: String::new(),
    });
    derive(&mut s);
    assert!(unknown(&s, "orders", "backup_plans"));
    // An unknown copy destination leaves the copies unknown, not empty.
    let mut s = snapshot(vec![
        backup_plan(
            "dr",
            json!([{"resources": ["*"]}]),
            &["x"],
            &["/rule/0/copy_action/0/destination_vault_arn"],
        ),
        database("orders", json!({}), &[]),
    ]);
    derive(&mut s);
    let r = s.resources.iter().find(|r| r.id == "orders").expect("db");
    assert!(
        r.unknown
            .contains(&"/backup_plans/0/copy_regions".to_owned())
    );
    assert_eq!(
        get(&s, "orders", "backup_plans")[0]["copy_regions"],
        Value::Null
    );
}

#[test]
fn an_unknown_arn_is_ruled_out_only_by_another_service_or_resource_type() {
    let mut s = snapshot(vec![
        backup_plan(
            "volumes",
            json!([{"resources": ["arn:aws:ec2:*:*:volume/*"]}]),
            &[],
            &[],
        ),
        database("new", json!({}), &["/arn"]),
    ]);
    derive(&mut s);
    assert_eq!(get(&s, "new", "backup_plans"), &json!([]));
    let mut s = snapshot(vec![
        backup_plan(
            "dbs",
            json!([{"resources": ["arn:aws:rds:*:*:db:*"]}]),
            &[],
            &[],
        ),
        backup_plan(
            "some",
            json!([{"resources": ["arn:aws:rds:*:*:db:orders-*"]}]),
            &[],
            &[],
        ),
        database("new", json!({}), &["/arn"]),
    ]);
    derive(&mut s);
    // Every DB instance is selected whatever its id; a pattern on the id
    // cannot be decided.
    assert_eq!(get(&s, "new", "backup_plans")[0]["name"], "dbs");
    assert_eq!(get(&s, "new", "backup_plans")[1], Value::Null);
}
