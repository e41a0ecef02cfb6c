//! Reader tests: whole plans in, snapshot resources out.

use std::path::{Path, PathBuf};

use pillar_snapshot::Resource;
use serde_json::{Value, json};

use crate::{Converted, Options, from_bytes};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/plans/webapp")
}

fn convert(plan: &Value, options: &Options) -> Converted {
    let bytes = serde_json::to_vec(plan).expect("json");
    from_bytes(&bytes, Path::new("plan.json"), options).expect("plan reads")
}

fn webapp(source: bool) -> Converted {
    let dir = fixture_dir();
    let bytes = std::fs::read(dir.join("plan.json")).expect("fixture");
    let options = Options {
        source_dir: source.then(|| dir.clone()),
        base_dir: Some(dir.clone()),
        tool: "test".into(),
        display_path: None,
    };
    from_bytes(&bytes, &dir.join("plan.json"), &options).expect("fixture reads")
}

fn get<'a>(c: &'a Converted, id: &str) -> &'a Resource {
    c.snapshot
        .resources
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no resource {id}"))
}

fn unknown(r: &Resource, pointer: &str) -> bool {
    r.unknown.iter().any(|u| u == pointer)
}

/// A plan with one change per `(address, type, after, after_unknown)` and a
/// root configuration of `(address, expressions)`.
fn plan(changes: &[(&str, &str, Value, Value)], config: &[(&str, Value)]) -> Value {
    let resource_changes: Vec<Value> = changes
        .iter()
        .map(|(address, kind, after, au)| {
            json!({"address": address, "mode": "managed", "type": kind,
                "name": address.rsplit('.').next(),
                "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": au}})
        })
        .collect();
    let resources: Vec<Value> = config
        .iter()
        .map(|(address, expressions)| {
            json!({"address": address, "mode": "managed", "provider_config_key": "aws",
                "expressions": expressions})
        })
        .collect();
    json!({
        "format_version": "1.2",
        "terraform_version": "1.5.7",
        "resource_changes": resource_changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"resources": resources}
        }
    })
}

fn refs(r: &[&str]) -> Value {
    json!({ "references": r })
}

#[test]
fn fixture_joins_and_regions() {
    let c = webapp(false);
    assert_eq!(c.snapshot.source.regions, vec!["eu-central-1", "eu-west-1"]);
    let orders = get(&c, "aws_db_instance.orders");
    assert_eq!(orders.region.as_deref(), Some("eu-west-1"));
    let repl = &orders.attributes["automated_backups_replications"];
    assert_eq!(
        repl[0]["destination_region"], "eu-central-1",
        "the dr provider's region"
    );
    assert_eq!(repl[0]["retention_period"], 14);
    assert!(unknown(
        orders,
        "/automated_backups_replications/0/source_db_instance_arn"
    ));
    // The subnet group's subnets come from a module output of unknown ids.
    assert!(unknown(orders, "/subnet_ids"));
    let reports = get(&c, "aws_db_instance.reports");
    assert_eq!(
        reports.attributes["automated_backups_replications"],
        json!([])
    );
    assert_eq!(reports.attributes["master_password_literal"], true);
    assert_eq!(orders.attributes["master_password_literal"], false);

    let bucket = get(&c, "aws_s3_bucket.logs");
    assert_eq!(bucket.attributes["versioning"]["enabled"], true);
    assert_eq!(
        bucket.attributes["public_access_block"]["block_public_policy"],
        true
    );
    assert_eq!(
        bucket.attributes["server_side_encryption_configuration"],
        Value::Null
    );
    assert!(!unknown(bucket, "/server_side_encryption_configuration"));
    assert_eq!(bucket.attributes["region"], "eu-west-1");

    let db_sg = get(&c, "module.network.aws_security_group.db");
    let ingress = db_sg.attributes["ingress"].as_array().expect("ingress");
    assert_eq!(
        ingress.len(),
        2,
        "aws_security_group_rule and the vpc ingress rule"
    );
    assert_eq!(ingress[0]["cidr_blocks"], json!(["0.0.0.0/0"]));
    assert_eq!(
        ingress[1]["security_groups"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(unknown(db_sg, "/ingress/1/security_groups/0"));
    assert_eq!(
        db_sg.attributes["egress"],
        json!([]),
        "undeclared egress is none"
    );

    let vpc = get(&c, "module.network.aws_vpc.main");
    assert_eq!(
        vpc.attributes["cidr_block_associations"],
        json!([{"cidr_block": "10.0.0.0/16"}, {"cidr_block": "10.1.0.0/16"}])
    );
    assert_eq!(
        vpc.attributes["flow_logs"],
        json!([]),
        "no aws_flow_log in the plan: none, not unknown"
    );
    assert_eq!(
        get(&c, "aws_db_instance.orders").attributes["plan_action"],
        "create"
    );
}

#[test]
fn fixture_user_data_is_plaintext() {
    let c = webapp(false);
    let web = get(&c, "aws_instance.web");
    let ud = web.attributes["user_data"]
        .as_str()
        .expect("literal recovered");
    assert!(ud.contains("orders-db.abc123xyz.eu-west-1.rds.amazonaws.com"));
    assert_eq!(
        web.attributes["metadata_options"]["http_tokens"],
        "required"
    );
    let lt = get(&c, "aws_launch_template.app");
    assert_eq!(lt.attributes["user_data"], "#!/bin/bash\necho hello\n");
}

#[test]
fn credentials_never_reach_the_snapshot() {
    let c = webapp(false);
    let text = serde_json::to_string(&c.snapshot).expect("json");
    for secret in ["correct-horse-battery", "hunter2-literal"] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}

#[test]
fn fixture_locations_and_suppressions() {
    let c = webapp(true);
    let loc = |id: &str| get(&c, id).location.clone().expect("located");
    let orders = loc("aws_db_instance.orders");
    assert_eq!((orders.file.as_str(), orders.line), ("main.tf", Some(55)));
    let bastion = loc("module.network.aws_security_group.bastion");
    assert_eq!(
        (bastion.file.as_str(), bastion.line),
        ("modules/network/main.tf", Some(23))
    );
    let sub = loc("module.network.aws_subnet.private[1]");
    assert_eq!(
        (sub.file.as_str(), sub.line),
        ("modules/network/main.tf", Some(17))
    );
    let mut s: Vec<(String, String, String)> = c
        .suppressions
        .iter()
        .map(|s| {
            (
                s.resource.clone(),
                s.rule_id.clone(),
                s.justification.clone(),
            )
        })
        .collect();
    s.sort();
    assert_eq!(
        s,
        vec![
            (
                "aws_db_instance.reports".into(),
                "PILLAR-RDS-009".into(),
                "reporting data is rebuilt from orders-db nightly".into()
            ),
            (
                "module.network.aws_security_group.bastion".into(),
                "PILLAR-EC2-001".into(),
                "bastion, source-restricted by the NACL (OPS-42)".into()
            ),
        ]
    );
    // Without sources, resources point into the plan file.
    let plain = webapp(false);
    let l = get(&plain, "aws_db_instance.orders")
        .location
        .clone()
        .expect("plan line");
    assert!(l.file.ends_with("plan.json"), "{l:?}");
    // The entry in `resource_changes`, not the earlier `planned_values` one.
    let text = std::fs::read_to_string(fixture_dir().join("plan.json")).expect("plan");
    let changes = text.find("\"resource_changes\"").expect("changes");
    let entry = changes
        + text[changes..]
            .find("\"address\": \"aws_db_instance.orders\"")
            .expect("entry");
    let expected = text[..entry].matches('\n').count() + 1;
    assert_eq!(l.line, u32::try_from(expected).ok());
}

#[test]
fn modules_json_maps_installed_modules() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    std::fs::create_dir_all(root.join(".terraform/modules/net")).expect("mkdir");
    std::fs::write(
        root.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"net","Source":"registry.terraform.io/x/net/aws","Dir":".terraform/modules/net"}]}"#,
    )
    .expect("write");
    std::fs::write(
        root.join(".terraform/modules/net/sg.tf"),
        "\n\nresource \"aws_security_group\" \"this\" {\n  # pillar:ignore PILLAR-EC2-002,PILLAR-EC2-001 test\n}\n",
    )
    .expect("write");
    let mut p = plan(
        &[(
            "module.net.aws_security_group.this[\"a\"]",
            "aws_security_group",
            json!({"name": "a", "ingress": []}),
            json!({}),
        )],
        &[],
    );
    p["configuration"]["root_module"]["module_calls"] = json!({"net": {"source": "x/net/aws", "module": {
        "resources": [{"address": "aws_security_group.this", "mode": "managed", "expressions": {}}]}}});
    let c = convert(
        &p,
        &Options {
            source_dir: Some(root.to_owned()),
            base_dir: Some(root.to_owned()),
            ..Options::default()
        },
    );
    let r = get(&c, "module.net.aws_security_group.this[\"a\"]");
    let l = r.location.clone().expect("located");
    assert_eq!(
        (l.file.as_str(), l.line),
        (".terraform/modules/net/sg.tf", Some(3))
    );
    let rules: Vec<&str> = c.suppressions.iter().map(|s| s.rule_id.as_str()).collect();
    assert_eq!(rules, vec!["PILLAR-EC2-002", "PILLAR-EC2-001"]);
    assert_eq!(
        c.suppressions[0].location.as_ref().and_then(|l| l.line),
        Some(4)
    );
}

#[test]
fn nested_unknowns_survive_normalisation() {
    let c = convert(
        &plan(
            &[(
                "aws_security_group.a",
                "aws_security_group",
                json!({"name": "a", "ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22,
                    "cidr_blocks": ["10.0.0.0/8", null]}]}),
                json!({"ingress": [{"cidr_blocks": [false, true]}], "egress": true}),
            )],
            &[(
                "aws_security_group.a",
                json!({"ingress": {"references": ["var.x"]}, "egress": {"references": ["var.y"]}}),
            )],
        ),
        &Options::default(),
    );
    let sg = get(&c, "aws_security_group.a");
    assert!(unknown(sg, "/ingress/0/cidr_blocks/1"));
    assert!(
        unknown(sg, "/egress"),
        "declared by reference: stays unknown"
    );
}

#[test]
fn references_resolve_unknowns_from_known_values() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_vpc.main",
                    "aws_vpc",
                    json!({"cidr_block": "172.16.0.0/16"}),
                    json!({"id": true}),
                ),
                (
                    "aws_security_group.db",
                    "aws_security_group",
                    json!({"name": "db", "ingress": []}),
                    json!({"id": true}),
                ),
                (
                    "aws_security_group_rule.in",
                    "aws_security_group_rule",
                    json!({"type": "ingress", "protocol": "tcp", "from_port": 3306, "to_port": 3306, "cidr_blocks": [null]}),
                    json!({"cidr_blocks": [true], "security_group_id": true, "source_security_group_id": true}),
                ),
            ],
            &[
                ("aws_security_group.db", json!({})),
                (
                    "aws_vpc.main",
                    json!({"cidr_block": {"constant_value": "172.16.0.0/16"}}),
                ),
                (
                    "aws_security_group_rule.in",
                    json!({
                    "cidr_blocks": refs(&["aws_vpc.main.cidr_block", "aws_vpc.main"]),
                    "security_group_id": refs(&["aws_security_group.db.id", "aws_security_group.db"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let sg = get(&c, "aws_security_group.db");
    assert_eq!(
        sg.attributes["ingress"][0]["cidr_blocks"],
        json!(["172.16.0.0/16"])
    );
    assert_eq!(sg.attributes["ingress"][0]["security_groups"], json!([]));
    assert!(
        sg.unknown.iter().all(|u| !u.starts_with("/ingress")),
        "{:?}",
        sg.unknown
    );
}

#[test]
fn unresolvable_join_targets_are_unknown_not_guessed() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_s3_bucket.a",
                    "aws_s3_bucket",
                    json!({"bucket": "a"}),
                    json!({"versioning": true}),
                ),
                (
                    "aws_s3_bucket.b",
                    "aws_s3_bucket",
                    json!({"bucket": "b"}),
                    json!({"versioning": true}),
                ),
                (
                    "aws_s3_bucket_versioning.v",
                    "aws_s3_bucket_versioning",
                    json!({"versioning_configuration": [{"status": "Enabled"}]}),
                    json!({"bucket": true}),
                ),
                (
                    "aws_security_group.x",
                    "aws_security_group",
                    json!({"name": "x", "ingress": [
                    {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]}),
                    json!({}),
                ),
                (
                    "aws_security_group_rule.r",
                    "aws_security_group_rule",
                    json!({"type": "ingress", "protocol": "tcp", "from_port": 1, "to_port": 2, "cidr_blocks": ["10.0.0.0/8"]}),
                    json!({"security_group_id": true}),
                ),
            ],
            &[
                (
                    "aws_s3_bucket_versioning.v",
                    json!({"bucket": refs(&["local.bucket_id"])}),
                ),
                (
                    "aws_security_group_rule.r",
                    json!({"security_group_id": refs(&["local.sg"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    for b in ["aws_s3_bucket.a", "aws_s3_bucket.b"] {
        assert!(unknown(get(&c, b), "/versioning"), "{b}");
    }
    let sg = get(&c, "aws_security_group.x");
    // The known world-open rule is still there to judge; one more is unknown.
    assert_eq!(sg.attributes["ingress"].as_array().map(Vec::len), Some(2));
    assert!(unknown(sg, "/ingress/1"));
    assert_eq!(c.snapshot.gaps.len(), 2);
}

#[test]
fn literal_names_match_only_known_names() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_s3_bucket.a",
                    "aws_s3_bucket",
                    json!({"bucket": "logs-a"}),
                    json!({}),
                ),
                (
                    "aws_s3_bucket_policy.p",
                    "aws_s3_bucket_policy",
                    json!({"bucket": "logs-a", "policy": "{}"}),
                    json!({}),
                ),
                (
                    "aws_s3_bucket_public_access_block.elsewhere",
                    "aws_s3_bucket_public_access_block",
                    json!({"bucket": "not-in-plan", "block_public_acls": true}),
                    json!({}),
                ),
            ],
            &[(
                "aws_s3_bucket_policy.p",
                json!({"bucket": {"constant_value": "logs-a"}}),
            )],
        ),
        &Options::default(),
    );
    let b = get(&c, "aws_s3_bucket.a");
    assert_eq!(b.attributes["policy"], "{}");
    assert_eq!(
        b.attributes["public_access_block"],
        Value::Null,
        "a literal matching no planned bucket is outside"
    );
    assert!(c.snapshot.gaps.is_empty());
}

#[test]
fn iam_attachments_and_memberships() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_iam_user.u",
                    "aws_iam_user",
                    json!({"name": "alice"}),
                    json!({"arn": true}),
                ),
                (
                    "aws_iam_group.g",
                    "aws_iam_group",
                    json!({"name": "devs"}),
                    json!({"arn": true}),
                ),
                (
                    "aws_iam_role.r",
                    "aws_iam_role",
                    json!({"name": "app"}),
                    json!({"managed_policy_arns": true, "inline_policy": true}),
                ),
                (
                    "aws_iam_policy.p",
                    "aws_iam_policy",
                    json!({"name": "s3", "policy": "{}"}),
                    json!({"arn": true}),
                ),
                (
                    "aws_iam_user_policy_attachment.a",
                    "aws_iam_user_policy_attachment",
                    json!({"user": "alice", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
                    json!({}),
                ),
                (
                    "aws_iam_role_policy_attachment.b",
                    "aws_iam_role_policy_attachment",
                    json!({"role": "app"}),
                    json!({"policy_arn": true}),
                ),
                (
                    "aws_iam_role_policy.inline",
                    "aws_iam_role_policy",
                    json!({"role": "app", "name": "inline", "policy": "{\"Statement\":[]}"}),
                    json!({}),
                ),
                (
                    "aws_iam_user_group_membership.m",
                    "aws_iam_user_group_membership",
                    json!({"user": "alice", "groups": ["devs"]}),
                    json!({}),
                ),
            ],
            &[
                (
                    "aws_iam_user_policy_attachment.a",
                    json!({"user": refs(&["aws_iam_user.u.name", "aws_iam_user.u"]),
                    "policy_arn": {"constant_value": "arn:aws:iam::aws:policy/AdministratorAccess"}}),
                ),
                (
                    "aws_iam_role_policy_attachment.b",
                    json!({"role": refs(&["aws_iam_role.r.name", "aws_iam_role.r"]),
                    "policy_arn": refs(&["aws_iam_policy.p.arn", "aws_iam_policy.p"])}),
                ),
                (
                    "aws_iam_role_policy.inline",
                    json!({"role": refs(&["aws_iam_role.r.id", "aws_iam_role.r"])}),
                ),
                (
                    "aws_iam_user_group_membership.m",
                    json!({"user": refs(&["aws_iam_user.u.name", "aws_iam_user.u"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let u = get(&c, "aws_iam_user.u");
    assert_eq!(
        u.attributes["managed_policy_arns"],
        json!(["arn:aws:iam::aws:policy/AdministratorAccess"])
    );
    assert_eq!(u.attributes["groups"], json!(["devs"]));
    assert!(
        unknown(u, "/mfa_devices") && unknown(u, "/password_enabled"),
        "not in a plan"
    );
    assert_eq!(
        get(&c, "aws_iam_group.g").attributes["members"],
        json!(["alice"])
    );
    let r = get(&c, "aws_iam_role.r");
    assert_eq!(
        r.attributes["managed_policy_arns"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        unknown(r, "/managed_policy_arns/0"),
        "the policy's ARN is not known yet"
    );
    assert_eq!(r.attributes["inline_policies"][0]["name"], "inline");
    let p = get(&c, "aws_iam_policy.p");
    assert_eq!(p.attributes["attachments"]["roles"], json!(["app"]));
}

#[test]
fn routes_volumes_and_default_security_groups() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_route_table.rt",
                    "aws_route_table",
                    json!({"vpc_id": "vpc-1"}),
                    json!({"route": true, "id": true}),
                ),
                (
                    "aws_route.igw",
                    "aws_route",
                    json!({"destination_cidr_block": "0.0.0.0/0"}),
                    json!({"gateway_id": true, "route_table_id": true}),
                ),
                (
                    "aws_route_table_association.a",
                    "aws_route_table_association",
                    json!({"subnet_id": "subnet-1"}),
                    json!({"route_table_id": true}),
                ),
                (
                    "aws_ebs_volume.v",
                    "aws_ebs_volume",
                    json!({"size": 10, "encrypted": true}),
                    json!({"id": true}),
                ),
                (
                    "aws_volume_attachment.att",
                    "aws_volume_attachment",
                    json!({"device_name": "/dev/sdh"}),
                    json!({"volume_id": true, "instance_id": true}),
                ),
                (
                    "aws_default_security_group.d",
                    "aws_default_security_group",
                    json!({"vpc_id": "vpc-1", "ingress": []}),
                    json!({"name": true, "egress": true}),
                ),
            ],
            &[
                (
                    "aws_route.igw",
                    json!({"route_table_id": refs(&["aws_route_table.rt.id", "aws_route_table.rt"]),
                    "gateway_id": refs(&["aws_internet_gateway.gw.id", "aws_internet_gateway.gw"])}),
                ),
                (
                    "aws_route_table_association.a",
                    json!({"route_table_id": refs(&["aws_route_table.rt.id", "aws_route_table.rt"])}),
                ),
                (
                    "aws_volume_attachment.att",
                    json!({"volume_id": refs(&["aws_ebs_volume.v.id", "aws_ebs_volume.v"]),
                    "instance_id": refs(&["aws_instance.i.id", "aws_instance.i"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let rt = get(&c, "aws_route_table.rt");
    assert_eq!(rt.attributes["route"][0]["cidr_block"], "0.0.0.0/0");
    assert!(unknown(rt, "/route/0/gateway_id"));
    assert_eq!(
        rt.attributes["associations"],
        json!([{"subnet_id": "subnet-1", "main": false}])
    );
    let v = get(&c, "aws_ebs_volume.v");
    assert_eq!(v.attributes["attachments"][0]["device"], "/dev/sdh");
    assert!(unknown(v, "/attachments/0/instance_id"));
    let d = get(&c, "aws_default_security_group.d");
    assert_eq!(
        (d.kind.as_str(), &d.attributes["name"]),
        ("aws_security_group", &json!("default"))
    );
}

#[test]
fn counted_and_for_each_instances_join_to_their_own_target() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_s3_bucket.b[0]",
                    "aws_s3_bucket",
                    json!({"bucket": "b0"}),
                    json!({"id": true}),
                ),
                (
                    "aws_s3_bucket.b[1]",
                    "aws_s3_bucket",
                    json!({"bucket": "b1"}),
                    json!({"id": true}),
                ),
                (
                    "aws_s3_bucket_policy.p[1]",
                    "aws_s3_bucket_policy",
                    json!({"policy": "{\"p\":1}"}),
                    json!({"bucket": true}),
                ),
            ],
            &[(
                "aws_s3_bucket_policy.p",
                json!({"bucket": refs(&["aws_s3_bucket.b", "count.index"])}),
            )],
        ),
        &Options::default(),
    );
    assert_eq!(
        get(&c, "aws_s3_bucket.b[1]").attributes["policy"],
        "{\"p\":1}"
    );
    assert_eq!(
        get(&c, "aws_s3_bucket.b[0]").attributes["policy"],
        Value::Null
    );
}

#[test]
fn old_plans_without_after_unknown_details_and_destroy_only_plans() {
    // 0.12-style: no after_sensitive, no module_address; a pure delete.
    let p = json!({
        "format_version": "0.1",
        "terraform_version": "0.12.31",
        "resource_changes": [
            {"address": "aws_s3_bucket.gone", "mode": "managed", "type": "aws_s3_bucket", "name": "gone",
             "change": {"actions": ["delete"], "before": {"bucket": "gone"}, "after": null}},
            {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me",
             "change": {"actions": ["read"], "before": null, "after": {}}}
        ],
        "planned_values": {"root_module": {}}
    });
    let c = convert(&p, &Options::default());
    assert!(c.snapshot.resources.is_empty());
}

#[test]
fn rds_cluster_storage_default_only_for_fresh_provisioned_clusters() {
    let cluster = |extra: Value| {
        let mut after = json!({"engine": "aurora-postgresql", "engine_mode": "provisioned", "snapshot_identifier": null});
        if let (Some(a), Some(e)) = (after.as_object_mut(), extra.as_object()) {
            a.extend(e.clone());
        }
        convert(
            &plan(
                &[(
                    "aws_rds_cluster.c",
                    "aws_rds_cluster",
                    after,
                    json!({"storage_encrypted": true}),
                )],
                &[("aws_rds_cluster.c", json!({}))],
            ),
            &Options::default(),
        )
    };
    let fresh = cluster(json!({}));
    assert_eq!(
        get(&fresh, "aws_rds_cluster.c").attributes["storage_encrypted"],
        false
    );
    let restored = cluster(json!({"snapshot_identifier": "snap-1"}));
    assert!(unknown(
        get(&restored, "aws_rds_cluster.c"),
        "/storage_encrypted"
    ));
}

#[test]
fn references_are_followed_through_module_outputs_and_variables() {
    let mut p = plan(
        &[
            (
                "aws_s3_bucket.root",
                "aws_s3_bucket",
                json!({"bucket": "root"}),
                json!({"id": true}),
            ),
            (
                "aws_s3_bucket_policy.p",
                "aws_s3_bucket_policy",
                json!({"policy": "{\"out\":1}"}),
                json!({"bucket": true}),
            ),
            (
                "module.store.aws_s3_bucket.b",
                "aws_s3_bucket",
                json!({"bucket": "inner"}),
                json!({"id": true}),
            ),
            (
                "module.store.aws_s3_bucket_versioning.v",
                "aws_s3_bucket_versioning",
                json!({"versioning_configuration": [{"status": "Enabled"}]}),
                json!({"bucket": true}),
            ),
        ],
        &[(
            "aws_s3_bucket_policy.p",
            json!({"bucket": refs(&["module.store.bucket_id", "module.store"])}),
        )],
    );
    p["configuration"]["root_module"]["module_calls"] = json!({"store": {
        "source": "./store",
        "expressions": {"logs_bucket": refs(&["aws_s3_bucket.root.id", "aws_s3_bucket.root"])},
        "module": {
            "outputs": {"bucket_id": {"expression": refs(&["aws_s3_bucket.b.id", "aws_s3_bucket.b"])}},
            "resources": [
                {"address": "aws_s3_bucket.b", "mode": "managed", "expressions": {}},
                {"address": "aws_s3_bucket_versioning.v", "mode": "managed",
                 "expressions": {"bucket": refs(&["var.logs_bucket"])}}
            ]
        }
    }});
    let c = convert(&p, &Options::default());
    // The root policy reaches the module's bucket through its output...
    assert_eq!(
        get(&c, "module.store.aws_s3_bucket.b").attributes["policy"],
        "{\"out\":1}"
    );
    assert_eq!(
        get(&c, "aws_s3_bucket.root").attributes["policy"],
        Value::Null
    );
    // ...and the module's versioning reaches the root bucket through its variable.
    assert_eq!(
        get(&c, "aws_s3_bucket.root").attributes["versioning"]["enabled"],
        true
    );
    assert_eq!(
        get(&c, "module.store.aws_s3_bucket.b").attributes["versioning"]["enabled"],
        false
    );
    assert!(c.snapshot.gaps.is_empty());
}

#[test]
fn planned_values_alone_are_read_through_child_modules() {
    let p = json!({
        "format_version": "0.1",
        "terraform_version": "0.12.0",
        "planned_values": {"root_module": {
            "resources": [{"address": "aws_db_instance.a", "mode": "managed", "type": "aws_db_instance",
                "name": "a", "values": {"engine": "mysql", "storage_encrypted": true, "password": "pw-in-values"}}],
            "child_modules": [{"address": "module.m", "resources": [], "child_modules": [{
                "address": "module.m.module.n",
                "resources": [{"address": "module.m.module.n.aws_ebs_volume.v[\"x\"]", "mode": "managed",
                    "type": "aws_ebs_volume", "name": "v", "index": "x", "values": {"encrypted": false}}]
            }]}]
        }}
    });
    let c = convert(&p, &Options::default());
    let v = get(&c, "module.m.module.n.aws_ebs_volume.v[\"x\"]");
    assert_eq!(v.attributes["plan_action"], "planned");
    assert_eq!(v.attributes["encrypted"], false);
    let db = get(&c, "aws_db_instance.a");
    assert!(db.attributes.get("password").is_none());
    assert_eq!(db.attributes["automated_backups_replications"], json!([]));
}

#[test]
fn snapshot_permissions_join_onto_snapshots() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_ebs_snapshot.s",
                    "aws_ebs_snapshot",
                    json!({"encrypted": false}),
                    json!({"id": true}),
                ),
                (
                    "aws_snapshot_create_volume_permission.p",
                    "aws_snapshot_create_volume_permission",
                    json!({"account_id": "111122223333"}),
                    json!({"snapshot_id": true}),
                ),
            ],
            &[(
                "aws_snapshot_create_volume_permission.p",
                json!({"snapshot_id": refs(&["aws_ebs_snapshot.s.id", "aws_ebs_snapshot.s"])}),
            )],
        ),
        &Options::default(),
    );
    let s = get(&c, "aws_ebs_snapshot.s");
    assert_eq!(s.attributes["shared_with"], json!(["111122223333"]));
    assert_eq!(s.attributes["public"], false);
}

#[test]
fn login_profiles_and_eip_associations() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_iam_user.u",
                    "aws_iam_user",
                    json!({"name": "bob"}),
                    json!({}),
                ),
                (
                    "aws_iam_user_login_profile.p",
                    "aws_iam_user_login_profile",
                    json!({"user": "bob"}),
                    json!({"password": true}),
                ),
                (
                    "aws_eip.ip",
                    "aws_eip",
                    json!({"domain": "vpc"}),
                    json!({"id": true, "association_id": true, "instance": true}),
                ),
                (
                    "aws_eip_association.a",
                    "aws_eip_association",
                    json!({}),
                    json!({"allocation_id": true, "instance_id": true}),
                ),
            ],
            &[
                (
                    "aws_iam_user_login_profile.p",
                    json!({"user": refs(&["aws_iam_user.u.name", "aws_iam_user.u"])}),
                ),
                (
                    "aws_eip_association.a",
                    json!({"allocation_id": refs(&["aws_eip.ip.id", "aws_eip.ip"]),
                    "instance_id": refs(&["aws_instance.web.id", "aws_instance.web"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let u = get(&c, "aws_iam_user.u");
    assert_eq!(u.attributes["password_enabled"], true);
    assert!(!unknown(u, "/password_enabled"));
    assert!(unknown(u, "/mfa_devices"));
    let ip = get(&c, "aws_eip.ip");
    assert!(unknown(ip, "/instance") && unknown(ip, "/association_id"));
}

#[test]
fn new_instances_will_run_so_their_state_is_not_unknown() {
    let c = convert(
        &plan(
            &[(
                "aws_instance.web",
                "aws_instance",
                json!({"ami": "ami-1", "instance_state": null}),
                json!({"instance_state": true, "public_ip": true}),
            )],
            &[("aws_instance.web", json!({}))],
        ),
        &Options::default(),
    );
    let web = get(&c, "aws_instance.web");
    assert!(web.attributes.get("instance_state").is_none());
    assert!(!unknown(web, "/instance_state"));
    // Other computed values stay unknown.
    assert!(unknown(web, "/public_ip"));
}

#[test]
fn tags_all_is_the_tags_without_provider_default_tags() {
    let change = [(
        "aws_ebs_volume.v",
        "aws_ebs_volume",
        json!({"tags": {"owner": "shop"}, "tags_all": null}),
        json!({"tags_all": true}),
    )];
    let config = [("aws_ebs_volume.v", json!({}))];
    let c = convert(&plan(&change, &config), &Options::default());
    let v = get(&c, "aws_ebs_volume.v");
    assert_eq!(v.attributes["tags_all"], json!({"owner": "shop"}));
    assert!(!unknown(v, "/tags_all"));

    // Declared default tags are added at apply: still unknown.
    let mut with_defaults = plan(&change, &config);
    with_defaults["configuration"]["provider_config"]["aws"]["expressions"]["default_tags"] =
        json!([{"tags": {"constant_value": {"team": "x"}}}]);
    let c = convert(&with_defaults, &Options::default());
    assert!(unknown(get(&c, "aws_ebs_volume.v"), "/tags_all"));
}

#[test]
fn password_literals_are_followed_through_variables() {
    let db = |expr: Value, root_vars: Value, values: Value| {
        let mut doc = plan(
            &[(
                "aws_db_instance.d",
                "aws_db_instance",
                json!({"engine": "postgres"}),
                json!({}),
            )],
            &[("aws_db_instance.d", json!({ "password": expr }))],
        );
        doc["configuration"]["root_module"]["variables"] = root_vars;
        doc["variables"] = values;
        let c = convert(&doc, &Options::default());
        let d = get(&c, "aws_db_instance.d");
        (
            d.attributes["master_password_literal"].clone(),
            unknown(d, "/master_password_literal"),
        )
    };
    let default = json!({"pw": {"default": "s3cret"}});
    // A variable left at its literal default is a literal in code.
    assert_eq!(
        db(
            refs(&["var.pw"]),
            default.clone(),
            json!({"pw": {"value": "s3cret"}})
        ),
        (json!(true), false)
    );
    // A value given at run time (tfvars, -var, environment) is not.
    assert_eq!(
        db(
            refs(&["var.pw"]),
            default,
            json!({"pw": {"value": "other"}})
        ),
        (json!(false), false)
    );
    // Locals are not in a plan: unknown.
    assert_eq!(
        db(refs(&["local.pw"]), json!({}), json!({})),
        (Value::Null, true)
    );
    assert_eq!(
        db(json!({"constant_value": "x"}), json!({}), json!({})),
        (json!(true), false)
    );
}

#[test]
fn network_acl_rules_and_associations_join_their_acl() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_network_acl.app",
                    "aws_network_acl",
                    json!({"vpc_id": "vpc-1"}),
                    json!({"id": true, "ingress": true, "egress": true, "subnet_ids": true}),
                ),
                (
                    "aws_network_acl_rule.ssh",
                    "aws_network_acl_rule",
                    json!({"rule_number": 100, "egress": false, "protocol": "tcp", "rule_action": "allow",
                           "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22}),
                    json!({"network_acl_id": true}),
                ),
                (
                    "aws_network_acl_rule.out",
                    "aws_network_acl_rule",
                    json!({"rule_number": 100, "egress": true, "protocol": "-1", "rule_action": "allow",
                           "from_port": 0, "to_port": 0}),
                    json!({"network_acl_id": true, "cidr_block": true}),
                ),
                (
                    "aws_network_acl_association.a",
                    "aws_network_acl_association",
                    json!({}),
                    json!({"network_acl_id": true, "subnet_id": true}),
                ),
                (
                    "aws_default_network_acl.d",
                    "aws_default_network_acl",
                    json!({"default_network_acl_id": "acl-1"}),
                    json!({"id": true, "ingress": true, "egress": true, "subnet_ids": true}),
                ),
            ],
            &[
                (
                    "aws_network_acl_rule.ssh",
                    json!({"network_acl_id": refs(&["aws_network_acl.app.id", "aws_network_acl.app"])}),
                ),
                (
                    "aws_network_acl_rule.out",
                    json!({"network_acl_id": refs(&["aws_network_acl.app.id", "aws_network_acl.app"]),
                           "cidr_block": refs(&["var.office"])}),
                ),
                (
                    "aws_network_acl_association.a",
                    json!({"network_acl_id": refs(&["aws_network_acl.app.id", "aws_network_acl.app"]),
                           "subnet_id": refs(&["aws_subnet.a.id", "aws_subnet.a"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let acl = get(&c, "aws_network_acl.app");
    assert_eq!(
        acl.attributes["ingress"],
        json!([{"rule_no": 100, "protocol": "tcp", "action": "allow", "cidr_block": "0.0.0.0/0",
                "ipv6_cidr_block": null, "from_port": 22, "to_port": 22, "icmp_type": null,
                "icmp_code": null}])
    );
    assert_eq!(acl.attributes["egress"][0]["protocol"], "-1");
    assert!(unknown(acl, "/egress/0/cidr_block"), "a declared reference");
    assert!(
        !unknown(acl, "/ingress/0/ipv6_cidr_block"),
        "undeclared: none"
    );
    assert_eq!(
        acl.attributes["subnet_ids"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        unknown(acl, "/subnet_ids/0"),
        "the subnet's id is not known yet"
    );
    assert_eq!(acl.attributes["is_default"], false);
    let d = get(&c, "aws_default_network_acl.d");
    assert_eq!(
        (
            &d.attributes["ingress"],
            &d.attributes["subnet_ids"],
            &d.attributes["is_default"]
        ),
        (&json!([]), &json!([]), &json!(true)),
        "undeclared entries of a default ACL are none: Terraform removes them"
    );
}

#[test]
fn web_acl_associations_and_logging_join_their_targets_and_aws_alb_is_aws_lb() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_alb.web",
                    "aws_alb",
                    json!({"name": "web", "internal": false, "load_balancer_type": "application",
                           "access_logs": [], "enable_deletion_protection": false}),
                    json!({"arn": true}),
                ),
                (
                    "aws_lb.api",
                    "aws_lb",
                    json!({"name": "api", "access_logs": [{"bucket": "logs", "enabled": true, "prefix": ""}],
                           "drop_invalid_header_fields": true}),
                    json!({"arn": true, "internal": true, "load_balancer_type": true}),
                ),
                (
                    "aws_alb_listener.http",
                    "aws_alb_listener",
                    json!({"port": 80, "protocol": "HTTP", "default_action": [{"type": "redirect",
                           "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}]}]}),
                    json!({"load_balancer_arn": true}),
                ),
                (
                    "aws_wafv2_web_acl.edge",
                    "aws_wafv2_web_acl",
                    json!({"name": "edge", "scope": "REGIONAL", "default_action": [{"allow": [{}], "block": []}],
                           "rule": []}),
                    json!({"arn": true}),
                ),
                (
                    "aws_wafv2_web_acl.json",
                    "aws_wafv2_web_acl",
                    json!({"name": "json", "scope": "REGIONAL", "rule_json": "[{\"Name\":\"x\"}]", "rule": []}),
                    json!({"arn": true}),
                ),
                (
                    "aws_wafv2_web_acl_association.web",
                    "aws_wafv2_web_acl_association",
                    json!({}),
                    json!({"resource_arn": true, "web_acl_arn": true}),
                ),
                (
                    "aws_wafv2_web_acl_logging_configuration.edge",
                    "aws_wafv2_web_acl_logging_configuration",
                    json!({"log_destination_configs": ["arn:aws:logs:eu-west-1:1:log-group:aws-waf-logs-edge"]}),
                    json!({"resource_arn": true}),
                ),
            ],
            &[
                (
                    "aws_wafv2_web_acl_association.web",
                    json!({"resource_arn": refs(&["aws_alb.web.arn", "aws_alb.web"]),
                           "web_acl_arn": refs(&["aws_wafv2_web_acl.edge.arn", "aws_wafv2_web_acl.edge"])}),
                ),
                (
                    "aws_wafv2_web_acl_logging_configuration.edge",
                    json!({"resource_arn": refs(&["aws_wafv2_web_acl.edge.arn", "aws_wafv2_web_acl.edge"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let web = get(&c, "aws_alb.web");
    assert_eq!(web.kind, "aws_lb");
    assert_eq!(
        web.attributes["access_logs"],
        json!({"enabled": false, "bucket": null, "prefix": null}),
        "no access_logs block is logs off"
    );
    assert!(web.attributes["web_acl_arn"].is_null());
    assert!(
        unknown(web, "/web_acl_arn"),
        "associated with a web ACL not yet created"
    );
    let api = get(&c, "aws_lb.api");
    assert_eq!(api.attributes["access_logs"]["enabled"], true);
    assert_eq!(
        (
            &api.attributes["internal"],
            &api.attributes["load_balancer_type"]
        ),
        (&json!(false), &json!("application")),
        "undeclared: the provider's defaults"
    );
    assert!(api.attributes["web_acl_arn"].is_null() && !unknown(api, "/web_acl_arn"));
    assert_eq!(get(&c, "aws_alb_listener.http").kind, "aws_lb_listener");
    let edge = get(&c, "aws_wafv2_web_acl.edge");
    assert_eq!(edge.attributes["default_action"], "allow");
    assert_eq!(
        edge.attributes["logging_configuration"]["log_destination_configs"][0],
        "arn:aws:logs:eu-west-1:1:log-group:aws-waf-logs-edge"
    );
    let json_rules = get(&c, "aws_wafv2_web_acl.json");
    assert!(unknown(json_rules, "/rule"), "rule_json is not read");
    assert!(json_rules.attributes["logging_configuration"].is_null());
}

#[test]
fn kms_keys_take_their_policy_resource_and_their_state_from_is_enabled() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_kms_key.data",
                    "aws_kms_key",
                    json!({"enable_key_rotation": false, "is_enabled": false,
                           "customer_master_key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT"}),
                    json!({"arn": true, "key_id": true, "policy": true}),
                ),
                (
                    "aws_kms_key.plain",
                    "aws_kms_key",
                    json!({}),
                    json!({"arn": true, "key_id": true, "policy": true}),
                ),
                (
                    "aws_kms_key_policy.data",
                    "aws_kms_key_policy",
                    json!({"policy": "{\"Statement\":[]}"}),
                    json!({"key_id": true}),
                ),
            ],
            &[(
                "aws_kms_key_policy.data",
                json!({"key_id": refs(&["aws_kms_key.data.id", "aws_kms_key.data"])}),
            )],
        ),
        &Options::default(),
    );
    let data = get(&c, "aws_kms_key.data");
    assert_eq!(data.attributes["policy"], "{\"Statement\":[]}");
    assert!(!unknown(data, "/policy"));
    assert_eq!(
        (
            &data.attributes["key_state"],
            &data.attributes["key_manager"]
        ),
        (&json!("Disabled"), &json!("CUSTOMER"))
    );
    let plain = get(&c, "aws_kms_key.plain");
    assert!(
        plain.attributes["policy"].is_null() && !unknown(plain, "/policy"),
        "undeclared: AWS's default key policy"
    );
    assert_eq!(plain.attributes["enable_key_rotation"], false);
    assert_eq!(plain.attributes["key_state"], "Enabled");
}

#[test]
fn a_secret_rotation_resource_turns_rotation_on_for_its_secret() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_secretsmanager_secret.db",
                    "aws_secretsmanager_secret",
                    json!({"name": "prod/db"}),
                    json!({"arn": true, "id": true}),
                ),
                (
                    "aws_secretsmanager_secret.api",
                    "aws_secretsmanager_secret",
                    json!({"name": "prod/api"}),
                    json!({"arn": true, "id": true}),
                ),
                (
                    "aws_secretsmanager_secret_rotation.db",
                    "aws_secretsmanager_secret_rotation",
                    json!({"rotation_rules": [{"automatically_after_days": 30}]}),
                    json!({"secret_id": true, "rotation_lambda_arn": true}),
                ),
            ],
            &[(
                "aws_secretsmanager_secret_rotation.db",
                json!({"secret_id": refs(&["aws_secretsmanager_secret.db.id", "aws_secretsmanager_secret.db"])}),
            )],
        ),
        &Options::default(),
    );
    let db = get(&c, "aws_secretsmanager_secret.db");
    assert_eq!(db.attributes["rotation_enabled"], true);
    assert_eq!(
        db.attributes["rotation_rules"]["automatically_after_days"],
        30
    );
    let api = get(&c, "aws_secretsmanager_secret.api");
    assert_eq!(
        api.attributes["rotation_enabled"], false,
        "no rotation resource: off"
    );
}

#[test]
fn a_recorder_runs_only_when_a_status_resource_starts_it() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_config_configuration_recorder.main",
                    "aws_config_configuration_recorder",
                    json!({"name": "main", "role_arn": "arn:aws:iam::1:role/config"}),
                    json!({"id": true, "recording_group": true}),
                ),
                (
                    "aws_config_configuration_recorder.idle",
                    "aws_config_configuration_recorder",
                    json!({"name": "idle", "recording_group": [{"all_supported": false, "resource_types": ["AWS::S3::Bucket"]}]}),
                    json!({"id": true}),
                ),
                (
                    "aws_config_configuration_recorder_status.main",
                    "aws_config_configuration_recorder_status",
                    json!({"name": "main", "is_enabled": true}),
                    json!({}),
                ),
            ],
            &[(
                "aws_config_configuration_recorder_status.main",
                json!({"name": refs(&["aws_config_configuration_recorder.main.name", "aws_config_configuration_recorder.main"])}),
            )],
        ),
        &Options::default(),
    );
    let main = get(&c, "aws_config_configuration_recorder.main");
    assert_eq!(main.attributes["is_enabled"], true);
    assert_eq!(
        main.attributes["recording_group"]["all_supported"], true,
        "undeclared: AWS's default group"
    );
    let idle = get(&c, "aws_config_configuration_recorder.idle");
    assert_eq!(
        idle.attributes["is_enabled"], false,
        "no status resource: stopped"
    );
    assert_eq!(idle.attributes["recording_group"]["all_supported"], false);
}

#[test]
fn a_trail_names_the_bucket_it_refers_to_when_the_bucket_name_is_known() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_s3_bucket.trail",
                    "aws_s3_bucket",
                    json!({"bucket": "acme-trail"}),
                    json!({"id": true, "arn": true}),
                ),
                (
                    "aws_s3_bucket.prefixed",
                    "aws_s3_bucket",
                    json!({"bucket_prefix": "acme-"}),
                    json!({"id": true, "bucket": true}),
                ),
                (
                    "aws_cloudtrail.main",
                    "aws_cloudtrail",
                    json!({"name": "main"}),
                    json!({"s3_bucket_name": true, "arn": true}),
                ),
                (
                    "aws_cloudtrail.prefixed",
                    "aws_cloudtrail",
                    json!({"name": "prefixed"}),
                    json!({"s3_bucket_name": true, "arn": true}),
                ),
                (
                    "aws_cloudtrail.literal",
                    "aws_cloudtrail",
                    json!({"name": "literal", "s3_bucket_name": "org-archive"}),
                    json!({"arn": true}),
                ),
            ],
            &[
                (
                    "aws_cloudtrail.main",
                    json!({"s3_bucket_name": refs(&["aws_s3_bucket.trail.id", "aws_s3_bucket.trail"])}),
                ),
                (
                    "aws_cloudtrail.prefixed",
                    json!({"s3_bucket_name": refs(&["aws_s3_bucket.prefixed.id", "aws_s3_bucket.prefixed"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let main = get(&c, "aws_cloudtrail.main");
    assert_eq!(main.attributes["s3_bucket_name"], "acme-trail");
    assert!(!unknown(main, "/s3_bucket_name"));
    // The bucket's own name is unknown (a prefix): so is the trail's.
    let prefixed = get(&c, "aws_cloudtrail.prefixed");
    assert!(unknown(prefixed, "/s3_bucket_name"));
    let literal = get(&c, "aws_cloudtrail.literal");
    assert_eq!(literal.attributes["s3_bucket_name"], "org-archive");
}

/// A planned distribution in the live collector's shape: one-element blocks
/// (top-level and inside origins) as objects, `""` as `null`; a web ACL and
/// an origin access control created in the same apply stay unknown.
#[test]
fn a_distribution_takes_the_live_shape_and_keeps_computed_ids_unknown() {
    let plan: Value =
        serde_json::from_str(include_str!("../../../fixtures/plans/cloudfront/plan.json"))
            .expect("fixture");
    let c = convert(&plan, &Options::default());
    let d = get(&c, "aws_cloudfront_distribution.site");
    let a = &d.attributes;
    assert_eq!(
        a["default_cache_behavior"]["viewer_protocol_policy"],
        "redirect-to-https"
    );
    assert_eq!(a["ordered_cache_behavior"][0]["path_pattern"], "/api/*");
    assert_eq!(
        a["viewer_certificate"]["cloudfront_default_certificate"],
        true
    );
    assert_eq!(a["logging_config"], Value::Null);
    assert_eq!(a["origin_group"], json!([]));
    assert_eq!(a["default_root_object"], Value::Null);
    assert_eq!(a["origin"][0]["s3_origin_config"], Value::Null);
    assert_eq!(a["origin"][0]["custom_origin_config"], Value::Null);
    assert_eq!(
        a["origin"][1]["custom_origin_config"]["origin_protocol_policy"],
        "https-only"
    );
    assert_eq!(a["origin"][1]["origin_access_control_id"], Value::Null);
    assert!(unknown(d, "/web_acl_id"));
    assert!(unknown(d, "/origin/0/origin_access_control_id"));
    assert!(unknown(d, "/origin/0/domain_name"));
    assert!(!unknown(d, "/logging_config"));
}

#[test]
fn task_definitions_parse_their_container_definitions_and_unknown_stays_unknown() {
    let containers = json!([{"name": "app", "image": "app:1", "privileged": true,
        "environment": [{"name": "DB_PASSWORD", "value": "hunter2hunter2"}]}]);
    let c = convert(
        &plan(
            &[
                (
                    "aws_ecs_task_definition.known",
                    "aws_ecs_task_definition",
                    json!({"family": "known", "container_definitions": containers.to_string()}),
                    json!({"arn": true, "revision": true, "network_mode": true}),
                ),
                (
                    "aws_ecs_task_definition.computed",
                    "aws_ecs_task_definition",
                    json!({"family": "computed", "network_mode": "host"}),
                    json!({"container_definitions": true}),
                ),
                (
                    "aws_ecs_task_definition.broken",
                    "aws_ecs_task_definition",
                    json!({"family": "broken", "network_mode": "awsvpc", "container_definitions": "{not json"}),
                    json!({}),
                ),
            ],
            &[
                ("aws_ecs_task_definition.known", json!({})),
                (
                    "aws_ecs_task_definition.computed",
                    json!({"network_mode": {"constant_value": "host"}}),
                ),
            ],
        ),
        &Options::default(),
    );
    let known = get(&c, "aws_ecs_task_definition.known");
    assert_eq!(known.attributes["container_definitions"], containers);
    assert!(!unknown(known, "/container_definitions"));
    assert_eq!(
        known.attributes["network_mode"], "bridge",
        "undeclared: EC2's default"
    );
    let computed = get(&c, "aws_ecs_task_definition.computed");
    assert!(computed.attributes["container_definitions"].is_null());
    assert!(unknown(computed, "/container_definitions"));
    assert_eq!(computed.attributes["network_mode"], "host");
    let broken = get(&c, "aws_ecs_task_definition.broken");
    assert!(unknown(broken, "/container_definitions"));
}

#[test]
fn services_and_clusters_take_the_live_shape() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_ecs_service.web",
                    "aws_ecs_service",
                    json!({"name": "web", "desired_count": 1,
                        "network_configuration": [{"subnets": ["subnet-a"], "security_groups": [], "assign_public_ip": null}]}),
                    json!({"id": true, "cluster": true, "network_configuration": [{"subnets": [false]}]}),
                ),
                (
                    "aws_ecs_service.computed_subnets",
                    "aws_ecs_service",
                    json!({"name": "computed", "network_configuration": [{"assign_public_ip": true}]}),
                    json!({"network_configuration": [{"subnets": true}]}),
                ),
                (
                    "aws_ecs_cluster.main",
                    "aws_ecs_cluster",
                    json!({"name": "main", "setting": [{"name": "containerInsights", "value": "enabled"}]}),
                    json!({"arn": true}),
                ),
                (
                    "aws_ecs_cluster.bare",
                    "aws_ecs_cluster",
                    json!({"name": "bare"}),
                    json!({"arn": true, "setting": true}),
                ),
            ],
            &[],
        ),
        &Options::default(),
    );
    let web = get(&c, "aws_ecs_service.web");
    assert_eq!(
        web.attributes["network_configuration"],
        json!({"subnets": ["subnet-a"], "security_groups": [], "assign_public_ip": false})
    );
    let computed = get(&c, "aws_ecs_service.computed_subnets");
    assert!(unknown(computed, "/network_configuration/subnets"));
    assert_eq!(
        computed.attributes["network_configuration"]["assign_public_ip"],
        true
    );
    assert_eq!(
        get(&c, "aws_ecs_cluster.main").attributes["setting"],
        json!([{"name": "containerInsights", "value": "enabled"}])
    );
    let bare = get(&c, "aws_ecs_cluster.bare");
    assert_eq!(bare.attributes["setting"], json!([]), "undeclared: none");
    assert!(!unknown(bare, "/setting"));
}

#[test]
fn repository_policies_and_lifecycle_policies_join_their_repository() {
    let open = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"}]}"#;
    let c = convert(
        &plan(
            &[
                (
                    "aws_ecr_repository.app",
                    "aws_ecr_repository",
                    json!({"name": "app", "image_scanning_configuration": [{"scan_on_push": true}],
                        "encryption_configuration": [{"encryption_type": "KMS", "kms_key": ""}]}),
                    json!({"arn": true, "repository_url": true}),
                ),
                (
                    "aws_ecr_repository.bare",
                    "aws_ecr_repository",
                    json!({"name": "bare", "image_tag_mutability": "MUTABLE"}),
                    json!({"arn": true}),
                ),
                (
                    "aws_ecr_repository_policy.app",
                    "aws_ecr_repository_policy",
                    json!({"policy": open}),
                    json!({"repository": true}),
                ),
                (
                    "aws_ecr_lifecycle_policy.app",
                    "aws_ecr_lifecycle_policy",
                    json!({}),
                    json!({"repository": true, "policy": true}),
                ),
            ],
            &[
                (
                    "aws_ecr_repository_policy.app",
                    json!({"repository": refs(&["aws_ecr_repository.app.name", "aws_ecr_repository.app"])}),
                ),
                (
                    "aws_ecr_lifecycle_policy.app",
                    json!({"repository": refs(&["aws_ecr_repository.app.name", "aws_ecr_repository.app"]),
                        "policy": refs(&["data.aws_ecr_lifecycle_policy_document.app.json"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let app = get(&c, "aws_ecr_repository.app");
    assert_eq!(app.attributes["policy"], open);
    assert!(app.attributes["lifecycle_policy"].is_null());
    assert!(unknown(app, "/lifecycle_policy"), "computed at apply");
    assert_eq!(
        app.attributes["image_scanning_configuration"],
        json!({"scan_on_push": true})
    );
    assert_eq!(
        app.attributes["encryption_configuration"],
        json!({"encryption_type": "KMS", "kms_key": null})
    );
    let bare = get(&c, "aws_ecr_repository.bare");
    assert!(bare.attributes["policy"].is_null() && !unknown(bare, "/policy"));
    assert!(bare.attributes["lifecycle_policy"].is_null() && !unknown(bare, "/lifecycle_policy"));
    assert_eq!(
        bare.attributes["image_scanning_configuration"],
        json!({"scan_on_push": false})
    );
    assert_eq!(
        bare.attributes["encryption_configuration"],
        json!({"encryption_type": "AES256", "kms_key": null})
    );
}

#[test]
fn lambda_permissions_urls_and_invoke_configs_fold_onto_their_function() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_lambda_function.api",
                    "aws_lambda_function",
                    json!({"function_name": "api", "runtime": "nodejs12.x", "dead_letter_config": [],
                           "environment": [{"variables": {"DB_PASSWORD": "hunter2hunter2"}}], "kms_key_arn": "",
                           "vpc_config": []}),
                    json!({"arn": true, "tracing_config": true, "environment": [{"variables": {}}]}),
                ),
                (
                    "aws_lambda_function.bare",
                    "aws_lambda_function",
                    json!({"function_name": "bare", "package_type": "Image",
                           "tracing_config": [{"mode": "Active"}]}),
                    json!({"arn": true}),
                ),
                (
                    "aws_lambda_permission.public",
                    "aws_lambda_permission",
                    json!({"statement_id": "anyone", "action": "lambda:InvokeFunction", "principal": "*"}),
                    json!({"function_name": true}),
                ),
                (
                    "aws_lambda_permission.s3",
                    "aws_lambda_permission",
                    json!({"statement_id": "s3", "action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com"}),
                    json!({"function_name": true, "source_arn": true}),
                ),
                (
                    "aws_lambda_function_url.api",
                    "aws_lambda_function_url",
                    json!({"authorization_type": "NONE", "cors": []}),
                    json!({"function_name": true}),
                ),
                (
                    "aws_lambda_function_event_invoke_config.api",
                    "aws_lambda_function_event_invoke_config",
                    json!({"destination_config": [{"on_failure": [{}], "on_success": []}]}),
                    json!({"function_name": true, "destination_config": [{"on_failure": [{"destination": true}]}]}),
                ),
            ],
            &[
                (
                    "aws_lambda_function.api",
                    json!({"function_name": {"constant_value": "api"}}),
                ),
                (
                    "aws_lambda_permission.public",
                    json!({"function_name": refs(&["aws_lambda_function.api.function_name", "aws_lambda_function.api"])}),
                ),
                (
                    "aws_lambda_permission.s3",
                    json!({"function_name": refs(&["aws_lambda_function.api.arn", "aws_lambda_function.api"]),
                    "source_arn": refs(&["aws_s3_bucket.uploads.arn", "aws_s3_bucket.uploads"])}),
                ),
                (
                    "aws_lambda_function_url.api",
                    json!({"function_name": refs(&["aws_lambda_function.api.function_name", "aws_lambda_function.api"])}),
                ),
                (
                    "aws_lambda_function_event_invoke_config.api",
                    json!({"function_name": refs(&["aws_lambda_function.api.function_name", "aws_lambda_function.api"]),
                    "destination_config": [{"on_failure": [{"destination": refs(&["aws_sqs_queue.dlq.arn", "aws_sqs_queue.dlq"])}]}]}),
                ),
            ],
        ),
        &Options::default(),
    );
    let api = get(&c, "aws_lambda_function.api");
    let a = &api.attributes;
    assert_eq!(
        a["environment"],
        json!({"variables": {"DB_PASSWORD": "hunter2hunter2"}})
    );
    assert_eq!(
        a["tracing_config"],
        json!({"mode": "PassThrough"}),
        "undeclared: Lambda's default"
    );
    assert!(!unknown(api, "/tracing_config"));
    assert_eq!(a["dead_letter_config"], Value::Null);
    assert_eq!(a["vpc_config"], Value::Null);
    assert_eq!(a["kms_key_arn"], Value::Null);
    assert_eq!(a["package_type"], "Zip");
    assert_eq!(
        a["policy"][0],
        json!({"Sid": "anyone", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Principal": "*"})
    );
    assert_eq!(
        a["policy"][1]["Principal"],
        json!({"Service": "s3.amazonaws.com"})
    );
    assert!(
        unknown(api, "/policy/1/Condition/ArnLike/AWS:SourceArn"),
        "{:?}",
        api.unknown
    );
    assert_eq!(
        a["function_url"],
        json!({"authorization_type": "NONE", "cors": null})
    );
    assert!(
        unknown(
            api,
            "/event_invoke_config/destination_config/on_failure/destination"
        ),
        "{:?}",
        api.unknown
    );
    let bare = get(&c, "aws_lambda_function.bare");
    assert_eq!(bare.attributes["policy"], json!([]));
    assert_eq!(bare.attributes["function_url"], Value::Null);
    assert_eq!(bare.attributes["event_invoke_config"], Value::Null);
    assert_eq!(bare.attributes["tracing_config"], json!({"mode": "Active"}));
    assert_eq!(bare.attributes["package_type"], "Image");
}

#[test]
fn topics_and_queues_take_their_policies_and_sqs_default_encryption() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_sns_topic.events",
                    "aws_sns_topic",
                    json!({"name": "events", "kms_master_key_id": ""}),
                    json!({"arn": true, "policy": true}),
                ),
                (
                    "aws_sns_topic_policy.events",
                    "aws_sns_topic_policy",
                    json!({"policy": "{\"Statement\":[]}"}),
                    json!({"arn": true}),
                ),
                (
                    "aws_sqs_queue.work",
                    "aws_sqs_queue",
                    json!({"name": "work", "redrive_policy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:dlq\",\"maxReceiveCount\":4}"}),
                    json!({"arn": true, "id": true, "policy": true, "sqs_managed_sse_enabled": true, "kms_master_key_id": true}),
                ),
                (
                    "aws_sqs_queue.off",
                    "aws_sqs_queue",
                    json!({"name": "off", "sqs_managed_sse_enabled": false}),
                    json!({"arn": true, "id": true, "policy": true, "redrive_policy": true}),
                ),
                (
                    "aws_sqs_queue.keyed",
                    "aws_sqs_queue",
                    json!({"name": "keyed"}),
                    json!({"arn": true, "id": true, "sqs_managed_sse_enabled": true, "kms_master_key_id": true, "redrive_policy": true}),
                ),
                (
                    "aws_sqs_queue_policy.work",
                    "aws_sqs_queue_policy",
                    json!({}),
                    json!({"queue_url": true, "policy": true}),
                ),
            ],
            &[
                (
                    "aws_sns_topic_policy.events",
                    json!({"arn": refs(&["aws_sns_topic.events.arn", "aws_sns_topic.events"])}),
                ),
                (
                    "aws_sqs_queue.keyed",
                    json!({"kms_master_key_id": refs(&["aws_kms_key.q.arn", "aws_kms_key.q"]),
                    "redrive_policy": refs(&["aws_sqs_queue.work.arn", "aws_sqs_queue.work"])}),
                ),
                (
                    "aws_sqs_queue_policy.work",
                    json!({"queue_url": refs(&["aws_sqs_queue.work.id", "aws_sqs_queue.work"]),
                    "policy": refs(&["data.aws_iam_policy_document.q.json", "data.aws_iam_policy_document.q"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let topic = get(&c, "aws_sns_topic.events");
    assert_eq!(topic.attributes["policy"], "{\"Statement\":[]}");
    assert_eq!(topic.attributes["kms_master_key_id"], Value::Null);
    let work = get(&c, "aws_sqs_queue.work");
    assert_eq!(
        work.attributes["sqs_managed_sse_enabled"], true,
        "AWS's default"
    );
    assert_eq!(work.attributes["kms_master_key_id"], Value::Null);
    assert_eq!(work.attributes["redrive_policy"]["maxReceiveCount"], 4);
    assert!(unknown(work, "/policy"), "computed by the policy resource");
    let off = get(&c, "aws_sqs_queue.off");
    assert_eq!(off.attributes["sqs_managed_sse_enabled"], false);
    assert_eq!(off.attributes["redrive_policy"], Value::Null);
    assert!(!unknown(off, "/redrive_policy"));
    assert_eq!(off.attributes["policy"], Value::Null);
    let keyed = get(&c, "aws_sqs_queue.keyed");
    assert_eq!(keyed.attributes["sqs_managed_sse_enabled"], false);
    assert!(unknown(keyed, "/kms_master_key_id"));
    assert!(unknown(keyed, "/redrive_policy"));
}

#[test]
fn dynamodb_tables_say_whose_key_encrypts_them() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_dynamodb_table.owned",
                    "aws_dynamodb_table",
                    json!({"name": "owned", "billing_mode": "PAY_PER_REQUEST"}),
                    json!({"arn": true, "point_in_time_recovery": true, "server_side_encryption": true,
                        "deletion_protection_enabled": true}),
                ),
                (
                    "aws_dynamodb_table.managed",
                    "aws_dynamodb_table",
                    json!({"name": "managed", "point_in_time_recovery": [{"enabled": true}],
                        "server_side_encryption": [{"enabled": true}], "deletion_protection_enabled": true}),
                    json!({"arn": true, "server_side_encryption": [{"kms_key_arn": true}]}),
                ),
                (
                    "aws_dynamodb_table.customer",
                    "aws_dynamodb_table",
                    json!({"name": "customer", "server_side_encryption": [{"enabled": true}]}),
                    json!({"arn": true, "server_side_encryption": [{"kms_key_arn": true}]}),
                ),
            ],
            &[
                ("aws_dynamodb_table.owned", json!({})),
                (
                    "aws_dynamodb_table.managed",
                    json!({"server_side_encryption": [{"enabled": {"constant_value": true}}]}),
                ),
                (
                    "aws_dynamodb_table.customer",
                    json!({"server_side_encryption": [{"enabled": {"constant_value": true},
                        "kms_key_arn": refs(&["aws_kms_key.k.arn", "aws_kms_key.k"])}]}),
                ),
            ],
        ),
        &Options::default(),
    );
    let owned = get(&c, "aws_dynamodb_table.owned");
    assert_eq!(
        owned.attributes["point_in_time_recovery"],
        json!({"enabled": false})
    );
    assert_eq!(
        owned.attributes["server_side_encryption"],
        json!({"enabled": false, "kms_key_arn": null, "key_manager": null})
    );
    assert_eq!(owned.attributes["deletion_protection_enabled"], false);
    assert_eq!(owned.attributes["billing_mode"], "PAY_PER_REQUEST");
    let managed = get(&c, "aws_dynamodb_table.managed");
    assert_eq!(
        managed.attributes["server_side_encryption"]["key_manager"],
        "AWS"
    );
    assert!(!unknown(managed, "/server_side_encryption/kms_key_arn"));
    assert_eq!(
        managed.attributes["point_in_time_recovery"]["enabled"],
        true
    );
    let customer = get(&c, "aws_dynamodb_table.customer");
    assert_eq!(
        customer.attributes["server_side_encryption"]["key_manager"],
        "CUSTOMER"
    );
    assert!(unknown(customer, "/server_side_encryption/kms_key_arn"));
}

#[test]
fn replication_groups_keep_whether_a_token_is_set_never_the_token() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_elasticache_replication_group.literal",
                    "aws_elasticache_replication_group",
                    json!({"replication_group_id": "a", "auth_token": "s3cr3t-token-value-1234",
                        "auto_minor_version_upgrade": "false"}),
                    json!({"arn": true}),
                ),
                (
                    "aws_elasticache_replication_group.computed",
                    "aws_elasticache_replication_group",
                    json!({"replication_group_id": "b", "at_rest_encryption_enabled": true}),
                    json!({"arn": true, "auth_token": true, "transit_encryption_enabled": true}),
                ),
                (
                    "aws_elasticache_replication_group.none",
                    "aws_elasticache_replication_group",
                    json!({"replication_group_id": "c", "auth_token": null}),
                    json!({"arn": true, "snapshot_retention_limit": true}),
                ),
                (
                    "aws_elasticache_cluster.memcached",
                    "aws_elasticache_cluster",
                    json!({"cluster_id": "m", "engine": "memcached", "num_cache_nodes": 2}),
                    json!({"arn": true, "az_mode": true, "replication_group_id": true}),
                ),
            ],
            &[
                ("aws_elasticache_replication_group.none", json!({})),
                (
                    "aws_elasticache_replication_group.computed",
                    json!({"auth_token": refs(&["random_password.t.result", "random_password.t"]),
                        "transit_encryption_enabled": {"constant_value": true}}),
                ),
                ("aws_elasticache_cluster.memcached", json!({})),
            ],
        ),
        &Options::default(),
    );
    let text = serde_json::to_string(&c.snapshot).expect("json");
    assert!(!text.contains("s3cr3t-token-value-1234"), "{text}");
    let literal = get(&c, "aws_elasticache_replication_group.literal");
    assert_eq!(literal.attributes["auth_token_enabled"], true);
    assert_eq!(literal.attributes["auto_minor_version_upgrade"], false);
    assert_eq!(literal.attributes["engine"], "redis");
    assert_eq!(literal.attributes["user_group_ids"], json!([]));
    let computed = get(&c, "aws_elasticache_replication_group.computed");
    assert_eq!(computed.attributes["auth_token_enabled"], true);
    assert!(unknown(computed, "/transit_encryption_enabled"));
    let none = get(&c, "aws_elasticache_replication_group.none");
    assert_eq!(none.attributes["auth_token_enabled"], false);
    assert_eq!(none.attributes["snapshot_retention_limit"], 0);
    assert_eq!(none.attributes["at_rest_encryption_enabled"], false);
    assert_eq!(none.attributes["auto_minor_version_upgrade"], true);
    let memcached = get(&c, "aws_elasticache_cluster.memcached");
    assert_eq!(memcached.attributes["az_mode"], "single-az");
    assert_eq!(memcached.attributes["replication_group_id"], Value::Null);
    assert_eq!(memcached.attributes["snapshot_retention_limit"], 0);
}

#[test]
fn efs_backup_and_file_system_policies_join_their_file_system() {
    let policy = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount"}]}"#;
    let c = convert(
        &plan(
            &[
                (
                    "aws_efs_file_system.shared",
                    "aws_efs_file_system",
                    json!({"creation_token": "shared"}),
                    json!({"arn": true, "id": true, "encrypted": true, "availability_zone_name": true}),
                ),
                (
                    "aws_efs_file_system.scratch",
                    "aws_efs_file_system",
                    json!({"creation_token": "scratch", "encrypted": true, "availability_zone_name": "eu-west-1a"}),
                    json!({"arn": true, "id": true}),
                ),
                (
                    "aws_efs_file_system.computed_zone",
                    "aws_efs_file_system",
                    json!({"creation_token": "z", "encrypted": true}),
                    json!({"arn": true, "id": true, "availability_zone_name": true}),
                ),
                (
                    "aws_efs_backup_policy.shared",
                    "aws_efs_backup_policy",
                    json!({"backup_policy": [{"status": "ENABLED"}]}),
                    json!({"file_system_id": true}),
                ),
                (
                    "aws_efs_file_system_policy.shared",
                    "aws_efs_file_system_policy",
                    json!({"policy": policy}),
                    json!({"file_system_id": true}),
                ),
            ],
            &[
                ("aws_efs_file_system.shared", json!({})),
                (
                    "aws_efs_file_system.computed_zone",
                    json!({"availability_zone_name": refs(&["data.aws_availability_zones.z.names"])}),
                ),
                (
                    "aws_efs_backup_policy.shared",
                    json!({"file_system_id": refs(&["aws_efs_file_system.shared.id", "aws_efs_file_system.shared"])}),
                ),
                (
                    "aws_efs_file_system_policy.shared",
                    json!({"file_system_id": refs(&["aws_efs_file_system.shared.id", "aws_efs_file_system.shared"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let shared = get(&c, "aws_efs_file_system.shared");
    assert_eq!(shared.attributes["encrypted"], false);
    assert_eq!(shared.attributes["availability_zone_name"], Value::Null);
    assert_eq!(
        shared.attributes["backup_policy"],
        json!({"status": "ENABLED"})
    );
    assert_eq!(shared.attributes["policy"], policy);
    let scratch = get(&c, "aws_efs_file_system.scratch");
    // One Zone: AWS turns automatic backups on by default.
    assert_eq!(
        scratch.attributes["backup_policy"],
        json!({"status": "ENABLED"})
    );
    assert_eq!(scratch.attributes["policy"], Value::Null);
    let zone = get(&c, "aws_efs_file_system.computed_zone");
    assert!(unknown(zone, "/backup_policy/status"));
    assert!(unknown(zone, "/availability_zone_name"));
}

#[test]
fn auto_scaling_groups_and_launch_configurations_in_the_live_shape() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_autoscaling_group.web",
                    "aws_autoscaling_group",
                    json!({"availability_zones": ["eu-west-1a"], "launch_template": [{"version": "$Latest"}],
                        "mixed_instances_policy": [], "tag": [{"key": "team", "value": "web", "propagate_at_launch": true}]}),
                    json!({"launch_template": [{"id": true, "name": true}], "health_check_type": true,
                        "target_group_arns": true, "load_balancers": true, "vpc_zone_identifier": true,
                        "mixed_instances_policy": true}),
                ),
                (
                    "aws_launch_configuration.web",
                    "aws_launch_configuration",
                    json!({"image_id": "ami-1", "associate_public_ip_address": false}),
                    json!({"root_block_device": true, "ebs_block_device": true, "metadata_options": true}),
                ),
            ],
            &[
                (
                    "aws_autoscaling_group.web",
                    json!({"availability_zones": {"constant_value": ["eu-west-1a"]},
                        "launch_template": [{"id": refs(&["aws_launch_template.web.id"]), "version": {"constant_value": "$Latest"}}]}),
                ),
                (
                    "aws_launch_configuration.web",
                    json!({"image_id": {"constant_value": "ami-1"}, "metadata_options": [{"http_tokens": refs(&["var.tokens"])}]}),
                ),
            ],
        ),
        &Options::default(),
    );
    let g = get(&c, "aws_autoscaling_group.web");
    let a = &g.attributes;
    assert_eq!(a["launch_template"]["version"], "$Latest");
    assert!(unknown(g, "/launch_template/id"));
    // Undeclared load balancing is none; the health check the default.
    assert_eq!(a["target_group_arns"], json!([]));
    assert_eq!(a["load_balancers"], json!([]));
    assert_eq!(a["health_check_type"], "EC2");
    assert_eq!(a["vpc_zone_identifier"], json!([]));
    assert_eq!(a["tags"], json!({"team": "web"}));
    // Not declared: computed by the provider, none.
    assert!(!unknown(g, "/mixed_instances_policy"));
    let lc = get(&c, "aws_launch_configuration.web");
    // Undeclared devices come from the image: none declared.
    assert_eq!(lc.attributes.get("root_block_device"), None);
    assert_eq!(lc.attributes["ebs_block_device"], json!([]));
    assert!(!unknown(lc, "/root_block_device"));
    assert!(unknown(lc, "/metadata_options"), "declared by reference");
}

#[test]
fn eks_clusters_in_the_live_shape() {
    let c = convert(
        &plan(
            &[(
                "aws_eks_cluster.prod",
                "aws_eks_cluster",
                json!({"name": "prod", "enabled_cluster_log_types": null,
                    "vpc_config": [{"endpoint_private_access": true, "endpoint_public_access": true}],
                    "encryption_config": [{"resources": ["secrets"], "provider": [{}]}]}),
                json!({"version": true, "vpc_config": [{"public_access_cidrs": true, "subnet_ids": true}],
                    "encryption_config": [{"provider": [{"key_arn": true}]}]}),
            )],
            &[(
                "aws_eks_cluster.prod",
                json!({"vpc_config": [{"endpoint_private_access": {"constant_value": true}}],
                    "encryption_config": [{"resources": {"constant_value": ["secrets"]},
                        "provider": [{"key_arn": refs(&["aws_kms_key.eks.arn"])}]}]}),
            )],
        ),
        &Options::default(),
    );
    let e = get(&c, "aws_eks_cluster.prod");
    let a = &e.attributes;
    assert_eq!(a["vpc_config"]["public_access_cidrs"], json!(["0.0.0.0/0"]));
    assert!(!unknown(e, "/vpc_config/public_access_cidrs"));
    assert!(unknown(e, "/vpc_config/subnet_ids"));
    assert_eq!(a["enabled_cluster_log_types"], json!([]));
    assert!(a["encryption_config"][0]["provider"].is_object());
    assert!(unknown(e, "/encryption_config/0/provider/key_arn"));
    assert!(unknown(e, "/version"));
}

#[test]
fn backup_selections_fold_onto_their_plan_and_locks_and_policies_onto_their_vault() {
    let c = convert(
        &plan(
            &[
                (
                    "aws_backup_plan.daily",
                    "aws_backup_plan",
                    json!({"name": "daily", "rule": [{"rule_name": "daily", "target_vault_name": "main",
                        "lifecycle": [{"delete_after": 35}],
                        "copy_action": [{"destination_vault_arn": null, "lifecycle": [{"delete_after": 35}]}]}]}),
                    json!({"arn": true, "id": true, "rule": [{"copy_action": [{"destination_vault_arn": true}]}]}),
                ),
                (
                    "aws_backup_selection.dbs",
                    "aws_backup_selection",
                    json!({"name": "dbs", "resources": ["arn:aws:rds:*:*:db:*", null],
                        "condition": [{"string_equals": [{"key": "aws:ResourceTag/backup", "value": "daily"}],
                            "string_like": [], "string_not_equals": [], "string_not_like": []}]}),
                    json!({"plan_id": true, "resources": [false, true]}),
                ),
                (
                    "aws_backup_vault.main",
                    "aws_backup_vault",
                    json!({"name": "main"}),
                    json!({"arn": true, "kms_key_arn": true}),
                ),
                (
                    "aws_backup_vault_lock_configuration.main",
                    "aws_backup_vault_lock_configuration",
                    json!({"min_retention_days": 7, "max_retention_days": 365}),
                    json!({"backup_vault_name": true}),
                ),
                (
                    "aws_backup_vault_policy.main",
                    "aws_backup_vault_policy",
                    json!({"policy": null}),
                    json!({"backup_vault_name": true, "policy": true}),
                ),
            ],
            &[
                (
                    "aws_backup_selection.dbs",
                    json!({"plan_id": refs(&["aws_backup_plan.daily.id", "aws_backup_plan.daily"])}),
                ),
                (
                    "aws_backup_vault_lock_configuration.main",
                    json!({"backup_vault_name": refs(&["aws_backup_vault.main.name", "aws_backup_vault.main"])}),
                ),
                (
                    "aws_backup_vault_policy.main",
                    json!({"backup_vault_name": refs(&["aws_backup_vault.main.name", "aws_backup_vault.main"]),
                        "policy": refs(&["data.aws_iam_policy_document.vault.json"])}),
                ),
            ],
        ),
        &Options::default(),
    );
    let daily = get(&c, "aws_backup_plan.daily");
    assert_eq!(daily.attributes["rule"][0]["lifecycle"]["delete_after"], 35);
    assert_eq!(
        daily.attributes["rule"][0]["copy_action"][0]["lifecycle"]["delete_after"],
        35
    );
    assert!(unknown(
        daily,
        "/rule/0/copy_action/0/destination_vault_arn"
    ));
    let selection = &daily.attributes["selections"][0];
    assert_eq!(selection["resources"][0], "arn:aws:rds:*:*:db:*");
    assert_eq!(selection["condition"]["string_equals"][0]["value"], "daily");
    assert!(unknown(daily, "/selections/0/resources/1"));
    let main = get(&c, "aws_backup_vault.main");
    assert_eq!(main.attributes["locked"], true);
    assert_eq!(main.attributes["min_retention_days"], 7);
    assert!(unknown(main, "/policy"));
    assert!(
        main.attributes["kms_key_arn"].is_null() && !unknown(main, "/kms_key_arn"),
        "undeclared: AWS Backup's default key"
    );
}
