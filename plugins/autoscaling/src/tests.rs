use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

fn judge(kind: &str, batch: &[Resource]) -> pillar_rule_sdk::Findings {
    run::<AutoScalingPack>(kind, batch, json!({}))
}

fn group(attrs: Value, unknown: &[&str]) -> Resource {
    resource("aws_autoscaling_group", attrs, unknown)
}

fn configuration(attrs: Value, unknown: &[&str]) -> Resource {
    resource("aws_launch_configuration", attrs, unknown)
}

fn good_group() -> Value {
    json!({"name": "web", "zones": ["eu-west-1a", "eu-west-1b"], "target_group_arns": ["arn:tg"],
           "load_balancers": [], "health_check_type": "ELB", "launch_configuration": null,
           "launch_template": {"id": "lt-1", "name": "web", "version": "$Latest"}})
}

fn good_configuration() -> Value {
    json!({"name": "web-lc", "associate_public_ip_address": false,
           "metadata_options": {"http_tokens": "required", "http_endpoint": "enabled"},
           "root_block_device": {"encrypted": true},
           "ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": true}]})
}

fn with(mut base: Value, changes: &[(&str, Value)]) -> Value {
    for (key, v) in changes {
        base[*key] = v.clone();
    }
    base
}

#[test]
fn compliant_groups_and_configurations_pass() {
    assert!(
        judge("aws_autoscaling_group", &[group(good_group(), &[])])
            .0
            .is_empty()
    );
    assert!(
        judge(
            "aws_launch_configuration",
            &[configuration(good_configuration(), &[])]
        )
        .0
        .is_empty()
    );
}

#[test]
fn one_zone_fails_and_unresolved_zones_are_unknown() {
    let f = judge(
        "aws_autoscaling_group",
        &[
            group(with(good_group(), &[("zones", json!(["eu-west-1a"]))]), &[]),
            group(with(good_group(), &[("zones", Value::Null)]), &["/zones"]),
        ],
    );
    assert_eq!(
        verdicts_of(&f, SINGLE_AZ),
        vec![(0, "fail"), (1, "unknown")]
    );
}

#[test]
fn ec2_health_checks_behind_a_load_balancer_fail() {
    let f = judge(
        "aws_autoscaling_group",
        &[
            group(
                with(good_group(), &[("health_check_type", json!("EC2"))]),
                &[],
            ),
            // Absent is EC2; a classic load balancer counts too.
            group(
                with(
                    good_group(),
                    &[
                        ("health_check_type", Value::Null),
                        ("target_group_arns", json!([])),
                        ("load_balancers", json!(["web-elb"])),
                    ],
                ),
                &[],
            ),
            // Not behind a load balancer: not judged.
            group(
                with(
                    good_group(),
                    &[
                        ("health_check_type", json!("EC2")),
                        ("target_group_arns", json!([])),
                    ],
                ),
                &[],
            ),
            group(
                with(good_group(), &[("health_check_type", json!("EC2,ELB"))]),
                &[],
            ),
            group(
                with(good_group(), &[("health_check_type", Value::Null)]),
                &["/health_check_type"],
            ),
            group(
                with(
                    good_group(),
                    &[
                        ("health_check_type", json!("EC2")),
                        ("target_group_arns", Value::Null),
                    ],
                ),
                &["/target_group_arns"],
            ),
        ],
    );
    assert_eq!(
        verdicts_of(&f, ELB_HEALTH_CHECK),
        vec![(0, "fail"), (1, "fail"), (4, "unknown"), (5, "unknown")]
    );
}

#[test]
fn launch_configurations_fail_and_a_known_template_settles_an_unknown_one() {
    let f = judge(
        "aws_autoscaling_group",
        &[
            group(
                with(
                    good_group(),
                    &[
                        ("launch_configuration", json!("web-lc")),
                        ("launch_template", Value::Null),
                    ],
                ),
                &[],
            ),
            group(
                with(good_group(), &[("launch_configuration", Value::Null)]),
                &["/launch_configuration"],
            ),
            group(
                with(
                    good_group(),
                    &[
                        ("launch_configuration", Value::Null),
                        ("launch_template", Value::Null),
                    ],
                ),
                &["/launch_configuration"],
            ),
        ],
    );
    assert_eq!(
        verdicts_of(&f, LAUNCH_CONFIGURATION),
        vec![(0, "fail"), (2, "unknown")]
    );
}

#[test]
fn imdsv1_fails_unless_tokens_are_required_or_the_endpoint_is_off() {
    let f = judge(
        "aws_launch_configuration",
        &[
            configuration(
                with(good_configuration(), &[("metadata_options", Value::Null)]),
                &[],
            ),
            configuration(
                with(
                    good_configuration(),
                    &[("metadata_options", json!({"http_tokens": "optional"}))],
                ),
                &[],
            ),
            configuration(
                with(
                    good_configuration(),
                    &[(
                        "metadata_options",
                        json!({"http_tokens": "optional", "http_endpoint": "disabled"}),
                    )],
                ),
                &[],
            ),
            configuration(
                with(good_configuration(), &[("metadata_options", Value::Null)]),
                &["/metadata_options"],
            ),
            configuration(
                with(
                    good_configuration(),
                    &[("metadata_options", json!({"http_tokens": null}))],
                ),
                &["/metadata_options/http_tokens"],
            ),
        ],
    );
    assert_eq!(
        verdicts_of(&f, IMDSV2),
        vec![(0, "fail"), (1, "fail"), (3, "unknown"), (4, "unknown")]
    );
}

#[test]
fn public_ips_fail_and_unknown_stays_unknown() {
    let f = judge(
        "aws_launch_configuration",
        &[
            configuration(
                with(
                    good_configuration(),
                    &[("associate_public_ip_address", json!(true))],
                ),
                &[],
            ),
            configuration(
                with(
                    good_configuration(),
                    &[("associate_public_ip_address", Value::Null)],
                ),
                &[],
            ),
            configuration(
                with(
                    good_configuration(),
                    &[("associate_public_ip_address", Value::Null)],
                ),
                &["/associate_public_ip_address"],
            ),
        ],
    );
    assert_eq!(
        verdicts_of(&f, PUBLIC_IP),
        vec![(0, "fail"), (2, "unknown")]
    );
}

#[test]
fn declared_unencrypted_volumes_fail() {
    let f = judge(
        "aws_launch_configuration",
        &[
            configuration(
                with(
                    good_configuration(),
                    &[("root_block_device", json!({"encrypted": false}))],
                ),
                &[],
            ),
            configuration(
                with(
                    good_configuration(),
                    &[(
                        "ebs_block_device",
                        json!([{"device_name": "/dev/sdf", "encrypted": null}]),
                    )],
                ),
                &[],
            ),
            // From a snapshot, encryption follows the snapshot; none declared is not judged.
            configuration(
                with(
                    good_configuration(),
                    &[
                        (
                            "ebs_block_device",
                            json!([{"device_name": "/dev/sdf", "snapshot_id": "snap-1"}]),
                        ),
                        ("root_block_device", Value::Null),
                    ],
                ),
                &[],
            ),
            configuration(
                with(good_configuration(), &[("root_block_device", Value::Null)]),
                &["/root_block_device"],
            ),
            // A known failure wins over an unknown device.
            configuration(
                with(
                    good_configuration(),
                    &[
                        ("root_block_device", json!({"encrypted": false})),
                        ("ebs_block_device", Value::Null),
                    ],
                ),
                &["/ebs_block_device"],
            ),
        ],
    );
    assert_eq!(
        verdicts_of(&f, EBS_ENCRYPTED),
        vec![(0, "fail"), (1, "fail"), (3, "unknown"), (4, "fail")]
    );
    assert!(f.0.iter().any(|e| e.message.contains("/dev/sdf")));
}
