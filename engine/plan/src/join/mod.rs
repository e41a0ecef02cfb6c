//! Joins: resources Terraform splits off (S3 bucket settings, security group
//! rules, backup replications, IAM attachments, routes...) are folded onto
//! the resource they configure, found through the configuration's
//! `references` (see [`World::refers_to`]), before any rule runs.
//!
//! When the target cannot be told, nothing is guessed: the joined attribute
//! becomes unknown on every resource the split one could belong to, and a
//! gap names the split resource.

use std::collections::{BTreeSet, HashSet};

use pillar_snapshot::Gap;
use serde_json::{Value, json};

use crate::normalise::{grants, replication};
use crate::pointer::{self, clear, covered};
use crate::world::{Target, World};

const SG_KINDS: &[&str] = &["aws_security_group", "aws_default_security_group"];

/// One piece of a split resource to fold onto its target.
enum Fold {
    /// Replace `attr` with a value; `unknown` are pointers relative to it.
    Set {
        attr: &'static str,
        value: Value,
        unknown: Vec<String>,
    },
    /// Append an element to the list `attr`; `unknown` relative to it.
    Push {
        attr: &'static str,
        value: Value,
        unknown: Vec<String>,
    },
}

/// Unknown pointers of resource `i` below `/from`, rebased onto `to`.
fn rebase(w: &World, i: usize, from: &str, to: &str) -> Vec<String> {
    let from = format!("/{}", pointer::escape(from));
    w.planned[i]
        .unknown
        .iter()
        .filter(|u| **u == from || u.starts_with(&format!("{from}/")))
        .map(|u| format!("{to}{}", &u[from.len()..]))
        .collect()
}

fn unknown_at(w: &World, i: usize, attr: &str) -> bool {
    covered(
        &w.planned[i].unknown,
        &format!("/{}", pointer::escape(attr)),
    )
}

fn attr(w: &World, i: usize, name: &str) -> Value {
    w.planned[i].attrs.get(name).cloned().unwrap_or(Value::Null)
}

/// Whether the configuration declares the argument on resource `i`.
fn declared(w: &World, i: usize, name: &str) -> bool {
    let p = &w.planned[i];
    w.config
        .expression(&p.addr.module_path(), &p.addr.local(), name)
        .is_some()
}

/// A value that is unknown because computed, but undeclared: none.
fn value_or_none(w: &World, i: usize, name: &str, unknown: &mut Vec<String>, at: &str) -> Value {
    if unknown_at(w, i, name) {
        if declared(w, i, name) {
            unknown.push(at.to_owned());
        }
        return Value::Null;
    }
    attr(w, i, name)
}

pub fn join_all(w: &mut World, gaps: &mut Vec<Gap>) {
    let mut folds: Vec<(usize, Fold)> = Vec::new();
    // Targets of unresolved split resources: (target kinds, attribute, how
    // to mark). `true` marks the whole attribute; `false` appends an
    // unknown element to a list (so known elements are still judged).
    let mut unresolved: Vec<(&'static [&'static str], &'static str, bool, usize)> = Vec::new();

    for i in 0..w.planned.len() {
        let tf_type = w.planned[i].tf_type.clone();
        let plan = match plan_fold(w, i, &tf_type) {
            Some(p) => p,
            None => continue,
        };
        for (via, kinds, fold) in plan {
            let target = match via {
                Via::Arg(arg) => w.refers_to(i, arg, kinds),
                Via::Name(name) => w.match_literal(&name, kinds),
            };
            match target {
                Target::Found(targets) => {
                    for t in targets {
                        folds.push((t, fold.clone_fold()));
                    }
                }
                Target::Outside => {}
                Target::Unresolved => {
                    let (attr, whole) = match &fold {
                        Fold::Set { attr, .. } => (*attr, true),
                        Fold::Push { attr, .. } => (*attr, whole_when_unresolved(attr)),
                    };
                    unresolved.push((kinds, attr, whole, i));
                }
            }
        }
    }

    w.forget_names();
    let mut set_by_join: BTreeSet<(usize, &'static str)> = BTreeSet::new();
    for (t, fold) in folds {
        let p = &mut w.planned[t];
        match fold {
            Fold::Set {
                attr,
                value,
                unknown,
            } => {
                let at = format!("/{attr}");
                clear(&mut p.unknown, &at);
                p.attrs.insert(attr.to_owned(), value);
                p.unknown
                    .extend(unknown.into_iter().map(|u| format!("{at}{u}")));
                set_by_join.insert((t, attr));
            }
            Fold::Push {
                attr,
                value,
                unknown,
            } => {
                let list = p.attrs.entry(attr.to_owned()).or_insert_with(|| json!([]));
                if !list.is_array() {
                    *list = json!([]);
                }
                let n = list.as_array().map_or(0, Vec::len);
                if let Some(items) = list.as_array_mut() {
                    items.push(value);
                }
                p.unknown
                    .extend(unknown.into_iter().map(|u| format!("/{attr}/{n}{u}")));
            }
        }
    }

    // Each candidate is marked once per (kinds, attribute), however many
    // sources could not be placed: one unknown element already makes the
    // list "not fully known", and marking once per source made reading a
    // plan quadratic in time and memory (every security group got one
    // unknown element per unplaced rule of the whole plan).
    let mut marked: HashSet<(&'static [&'static str], &'static str, bool)> = HashSet::new();
    for (kinds, attr, whole, src) in unresolved {
        let address = w.planned[src].address.clone();
        let targets = if marked.insert((kinds, attr, whole)) {
            0..w.planned.len()
        } else {
            0..0
        };
        for t in targets {
            if !kinds.contains(&w.planned[t].tf_type.as_str()) || set_by_join.contains(&(t, attr)) {
                continue;
            }
            let p = &mut w.planned[t];
            if whole {
                p.unknown.insert(format!("/{attr}"));
            } else {
                let list = p.attrs.entry(attr.to_owned()).or_insert_with(|| json!([]));
                if let Some(items) = list.as_array_mut() {
                    let n = items.len();
                    items.push(Value::Null);
                    p.unknown.insert(format!("/{attr}/{n}"));
                }
            }
        }
        gaps.push(Gap {
            kind: Some(kinds[0].to_owned()),
            operation: Some("terraform-plan:join".to_owned()),
            account: None,
            region: None,
            resource: Some(address.clone()),
            reason: "unsupported".to_owned(),
            message: format!(
                "cannot tell which {} {address} configures; `{attr}` is unknown on every candidate",
                kinds[0]
            ),
        });
    }
}

/// Lists where an unknown extra element is enough (rules still judge the
/// known ones) versus lists whose emptiness is itself the finding.
fn whole_when_unresolved(attr: &str) -> bool {
    matches!(attr, "automated_backups_replications")
}

impl Fold {
    fn clone_fold(&self) -> Fold {
        match self {
            Fold::Set {
                attr,
                value,
                unknown,
            } => Fold::Set {
                attr,
                value: value.clone(),
                unknown: unknown.clone(),
            },
            Fold::Push {
                attr,
                value,
                unknown,
            } => Fold::Push {
                attr,
                value: value.clone(),
                unknown: unknown.clone(),
            },
        }
    }
}

/// How a split resource's target is found: through one of its arguments'
/// references, or (memberships listing names) by a known literal name.
#[derive(Clone)]
enum Via {
    Arg(&'static str),
    Name(Value),
}

type Plan = Vec<(Via, &'static [&'static str], Fold)>;

/// What split resource `i` contributes, and through which argument its
/// target is found.
fn plan_fold(w: &World, i: usize, tf_type: &str) -> Option<Plan> {
    const BUCKET: &[&str] = &["aws_s3_bucket"];
    let mut u = Vec::new();
    let plan: Plan = match tf_type {
        "aws_s3_bucket_server_side_encryption_configuration" => {
            u.extend(rebase(w, i, "rule", "/rule"));
            let value = json!({"rule": attr(w, i, "rule")});
            vec![(
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "server_side_encryption_configuration",
                    value,
                    unknown: u,
                },
            )]
        }
        "aws_s3_bucket_versioning" => {
            let conf = first(&attr(w, i, "versioning_configuration"));
            if unknown_at(w, i, "versioning_configuration") {
                u.push(String::new());
            }
            for (field, model) in [("status", "/enabled"), ("mfa_delete", "/mfa_delete")] {
                if covered(
                    &w.planned[i].unknown,
                    &format!("/versioning_configuration/0/{field}"),
                ) {
                    u.push(model.to_owned());
                }
            }
            let value = json!({
                "enabled": conf.get("status").and_then(Value::as_str) == Some("Enabled"),
                "mfa_delete": conf.get("mfa_delete").and_then(Value::as_str) == Some("Enabled"),
            });
            vec![(
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "versioning",
                    value,
                    unknown: u,
                },
            )]
        }
        "aws_s3_bucket_public_access_block" => {
            let mut value = serde_json::Map::new();
            for flag in [
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            ] {
                if unknown_at(w, i, flag) {
                    u.push(format!("/{flag}"));
                }
                // Unset flags default to false in the provider and the API.
                value.insert(
                    flag.into(),
                    json!(attr(w, i, flag).as_bool().unwrap_or(false)),
                );
            }
            vec![(
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "public_access_block",
                    value: Value::Object(value),
                    unknown: u,
                },
            )]
        }
        "aws_s3_bucket_policy" => {
            if unknown_at(w, i, "policy") {
                u.push(String::new());
            }
            let value = attr(w, i, "policy");
            vec![(
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "policy",
                    value,
                    unknown: u,
                },
            )]
        }
        "aws_s3_bucket_replication_configuration" => {
            let mut value = match w.planned[i].attrs.clone() {
                a if !a.is_empty() => replication(&a),
                _ => Value::Null,
            };
            if unknown_at(w, i, "role") {
                u.push("/role".into());
            }
            if unknown_at(w, i, "rule") {
                u.push("/rules".into());
            }
            destination_regions(w, i, &mut value, &mut u);
            vec![(
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "replication_configuration",
                    value,
                    unknown: u,
                },
            )]
        }
        "aws_s3_bucket_acl" => {
            let mut plan: Plan = Vec::new();
            let mut ua = Vec::new();
            if unknown_at(w, i, "acl") && declared(w, i, "acl") {
                ua.push(String::new());
            }
            let acl = if unknown_at(w, i, "acl") {
                Value::Null
            } else {
                attr(w, i, "acl")
            };
            plan.push((
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "acl",
                    value: acl,
                    unknown: ua,
                },
            ));
            let policy = first(&attr(w, i, "access_control_policy"));
            let mut ug = Vec::new();
            if unknown_at(w, i, "access_control_policy") && declared(w, i, "access_control_policy")
            {
                ug.push(String::new());
            }
            let value = grants(policy.get("grant").unwrap_or(&Value::Null));
            plan.push((
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "acl_grants",
                    value,
                    unknown: ug,
                },
            ));
            plan
        }
        "aws_s3_bucket_logging" => {
            let target = resolved_name(
                w,
                i,
                "target_bucket",
                BUCKET,
                "bucket",
                &mut u,
                "/target_bucket",
            );
            let prefix = value_or_none(w, i, "target_prefix", &mut u, "/target_prefix");
            let value = json!({"target_bucket": target, "target_prefix": prefix});
            vec![(
                Via::Arg("bucket"),
                BUCKET,
                Fold::Set {
                    attr: "logging",
                    value,
                    unknown: u,
                },
            )]
        }
        "aws_security_group_rule" => {
            let direction = match attr(w, i, "type").as_str() {
                Some("ingress") => "ingress",
                Some("egress") => "egress",
                _ => return None,
            };
            let mut rule = serde_json::Map::new();
            rule.insert(
                "description".into(),
                json!(attr(w, i, "description").as_str().unwrap_or("")),
            );
            for f in ["protocol", "from_port", "to_port"] {
                rule.insert(f.into(), value_or_none(w, i, f, &mut u, &format!("/{f}")));
            }
            for f in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"] {
                u.extend(rebase(w, i, f, &format!("/{f}")));
                let v = attr(w, i, f);
                rule.insert(f.into(), if v.is_array() { v } else { json!([]) });
            }
            let source = value_or_none(
                w,
                i,
                "source_security_group_id",
                &mut u,
                "/security_groups/0",
            );
            rule.insert(
                "security_groups".into(),
                if source.is_null() && !u.iter().any(|p| p == "/security_groups/0") {
                    json!([])
                } else {
                    json!([source])
                },
            );
            rule.insert(
                "self".into(),
                json!(attr(w, i, "self").as_bool().unwrap_or(false)),
            );
            vec![(
                Via::Arg("security_group_id"),
                SG_KINDS,
                push(direction, Value::Object(rule), u),
            )]
        }
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            let direction = if tf_type.ends_with("ingress_rule") {
                "ingress"
            } else {
                "egress"
            };
            let mut rule = serde_json::Map::new();
            rule.insert(
                "description".into(),
                json!(attr(w, i, "description").as_str().unwrap_or("")),
            );
            let protocol = value_or_none(w, i, "ip_protocol", &mut u, "/protocol");
            let all = protocol.as_str().is_some_and(|p| p == "-1" || p == "all");
            rule.insert("protocol".into(), if all { json!("-1") } else { protocol });
            for f in ["from_port", "to_port"] {
                let v = value_or_none(w, i, f, &mut u, &format!("/{f}"));
                rule.insert(f.into(), if all && v.is_null() { json!(0) } else { v });
            }
            for (from, to) in [
                ("cidr_ipv4", "cidr_blocks"),
                ("cidr_ipv6", "ipv6_cidr_blocks"),
                ("prefix_list_id", "prefix_list_ids"),
                ("referenced_security_group_id", "security_groups"),
            ] {
                let v = value_or_none(w, i, from, &mut u, &format!("/{to}/0"));
                let listed = !v.is_null() || u.iter().any(|p| *p == format!("/{to}/0"));
                rule.insert(to.into(), if listed { json!([v]) } else { json!([]) });
            }
            rule.insert("self".into(), json!(false));
            vec![(
                Via::Arg("security_group_id"),
                SG_KINDS,
                push(direction, Value::Object(rule), u),
            )]
        }
        "aws_db_instance_automated_backups_replication" => {
            let region = w.planned[i].region.clone();
            if region.is_none() {
                u.push("/destination_region".into());
            }
            let retention = value_or_none(w, i, "retention_period", &mut u, "/retention_period");
            let kms = value_or_none(w, i, "kms_key_id", &mut u, "/kms_key_id");
            let source = value_or_none(
                w,
                i,
                "source_db_instance_arn",
                &mut u,
                "/source_db_instance_arn",
            );
            let value = json!({
                "destination_region": region,
                "source_db_instance_arn": source,
                "retention_period": retention,
                "kms_key_id": kms,
            });
            vec![(
                Via::Arg("source_db_instance_arn"),
                &["aws_db_instance"],
                push("automated_backups_replications", value, u),
            )]
        }
        "aws_iam_user_policy_attachment" => attachment(w, i, "user", &["aws_iam_user"], "users")?,
        "aws_iam_role_policy_attachment" => attachment(w, i, "role", &["aws_iam_role"], "roles")?,
        "aws_iam_group_policy_attachment" => {
            attachment(w, i, "group", &["aws_iam_group"], "groups")?
        }
        "aws_iam_policy_attachment" => {
            let mut plan = Vec::new();
            for (arg, kinds, list) in [
                (
                    "users",
                    &["aws_iam_user"] as &'static [&'static str],
                    "users",
                ),
                ("roles", &["aws_iam_role"], "roles"),
                ("groups", &["aws_iam_group"], "groups"),
            ] {
                plan.extend(many_attachment(w, i, arg, kinds, list));
            }
            plan
        }
        "aws_iam_user_policy" => inline_policy(w, i, "user", &["aws_iam_user"])?,
        "aws_iam_role_policy" => inline_policy(w, i, "role", &["aws_iam_role"])?,
        "aws_iam_group_policy" => inline_policy(w, i, "group", &["aws_iam_group"])?,
        "aws_iam_user_group_membership" => {
            let user = resolved_name(w, i, "user", &["aws_iam_user"], "name", &mut Vec::new(), "");
            let mut plan: Plan = Vec::new();
            let groups = attr(w, i, "groups").as_array().cloned().unwrap_or_default();
            for g in &groups {
                plan.push((
                    Via::Arg("user"),
                    &["aws_iam_user"],
                    push("groups", g.clone(), Vec::new()),
                ));
                // The group's side: it gets the user as a member.
                plan.push((
                    Via::Name(g.clone()),
                    &["aws_iam_group"],
                    push("members", user.clone(), unknown_if_null(&user)),
                ));
            }
            if unknown_at(w, i, "groups") {
                plan.push((
                    Via::Arg("user"),
                    &["aws_iam_user"],
                    push("groups", Value::Null, vec![String::new()]),
                ));
            }
            plan
        }
        "aws_iam_group_membership" => {
            let group = resolved_name(
                w,
                i,
                "group",
                &["aws_iam_group"],
                "name",
                &mut Vec::new(),
                "",
            );
            let mut plan: Plan = Vec::new();
            for user in attr(w, i, "users").as_array().cloned().unwrap_or_default() {
                plan.push((
                    Via::Arg("group"),
                    &["aws_iam_group"],
                    push("members", user.clone(), Vec::new()),
                ));
                plan.push((
                    Via::Name(user),
                    &["aws_iam_user"],
                    push("groups", group.clone(), unknown_if_null(&group)),
                ));
            }
            if unknown_at(w, i, "users") {
                plan.push((
                    Via::Arg("group"),
                    &["aws_iam_group"],
                    push("members", Value::Null, vec![String::new()]),
                ));
            }
            plan
        }
        "aws_route_table_association" => {
            let subnet = value_or_none(w, i, "subnet_id", &mut u, "/subnet_id");
            let value = json!({"subnet_id": subnet, "main": false});
            vec![(
                Via::Arg("route_table_id"),
                &["aws_route_table"],
                push("associations", value, u),
            )]
        }
        "aws_main_route_table_association" => {
            let value = json!({"subnet_id": null, "main": true});
            vec![(
                Via::Arg("route_table_id"),
                &["aws_route_table"],
                push("associations", value, u),
            )]
        }
        "aws_route" => {
            let mut route = serde_json::Map::new();
            for (from, to) in [
                ("destination_cidr_block", "cidr_block"),
                ("destination_ipv6_cidr_block", "ipv6_cidr_block"),
                ("gateway_id", "gateway_id"),
                ("nat_gateway_id", "nat_gateway_id"),
                ("transit_gateway_id", "transit_gateway_id"),
                ("vpc_peering_connection_id", "vpc_peering_connection_id"),
            ] {
                route.insert(
                    to.into(),
                    value_or_none(w, i, from, &mut u, &format!("/{to}")),
                );
            }
            vec![(
                Via::Arg("route_table_id"),
                &["aws_route_table"],
                push("route", Value::Object(route), u),
            )]
        }
        "aws_volume_attachment" => {
            let instance = value_or_none(w, i, "instance_id", &mut u, "/instance_id");
            let device = value_or_none(w, i, "device_name", &mut u, "/device");
            let value = json!({"instance_id": instance, "device": device});
            vec![(
                Via::Arg("volume_id"),
                &["aws_ebs_volume"],
                push("attachments", value, u),
            )]
        }
        "aws_iam_user_login_profile" => {
            // A console password exists; without this resource the plan
            // cannot tell (one may be set outside Terraform): unknown.
            vec![(
                Via::Arg("user"),
                &["aws_iam_user"],
                Fold::Set {
                    attr: "password_enabled",
                    value: json!(true),
                    unknown: Vec::new(),
                },
            )]
        }
        "aws_eip_association" => {
            let instance = value_or_none(w, i, "instance_id", &mut u, "");
            let ua = vec![String::new()];
            vec![
                (
                    Via::Arg("allocation_id"),
                    &["aws_eip"],
                    Fold::Set {
                        attr: "instance",
                        value: instance,
                        unknown: u,
                    },
                ),
                // The association id exists only after apply.
                (
                    Via::Arg("allocation_id"),
                    &["aws_eip"],
                    Fold::Set {
                        attr: "association_id",
                        value: Value::Null,
                        unknown: ua,
                    },
                ),
            ]
        }
        "aws_snapshot_create_volume_permission" => {
            let account = value_or_none(w, i, "account_id", &mut u, "");
            let mut plan: Plan = Vec::new();
            if account.as_str() == Some("all") {
                plan.push((
                    Via::Arg("snapshot_id"),
                    &["aws_ebs_snapshot"],
                    Fold::Set {
                        attr: "public",
                        value: json!(true),
                        unknown: Vec::new(),
                    },
                ));
            } else {
                plan.push((
                    Via::Arg("snapshot_id"),
                    &["aws_ebs_snapshot"],
                    push("shared_with", account, u),
                ));
            }
            plan
        }
        "aws_vpc_ipv4_cidr_block_association" => {
            let cidr = value_or_none(w, i, "cidr_block", &mut u, "/cidr_block");
            vec![(
                Via::Arg("vpc_id"),
                &["aws_vpc"],
                push("cidr_block_associations", json!({"cidr_block": cidr}), u),
            )]
        }
        _ => return None,
    };
    Some(plan)
}

fn push(attr: &'static str, value: Value, unknown: Vec<String>) -> Fold {
    Fold::Push {
        attr,
        value,
        unknown,
    }
}

fn first(v: &Value) -> Value {
    match v {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// A name that could not be resolved is pushed as an unknown element.
fn unknown_if_null(v: &Value) -> Vec<String> {
    if v.is_null() {
        vec![String::new()]
    } else {
        Vec::new()
    }
}

/// The name of the resource argument `arg` refers to: the plan's value when
/// known, else the referenced resource's `name_attr` when that is known.
fn resolved_name(
    w: &World,
    i: usize,
    arg: &str,
    kinds: &[&str],
    name_attr: &str,
    unknown: &mut Vec<String>,
    at: &str,
) -> Value {
    if !unknown_at(w, i, arg) {
        return attr(w, i, arg);
    }
    if !declared(w, i, arg) {
        return Value::Null;
    }
    if let Target::Found(t) = w.refers_to(i, arg, kinds)
        && let [one] = t.as_slice()
        && let Some(v) = w.known(*one, name_attr)
    {
        return v.clone();
    }
    unknown.push(at.to_owned());
    Value::Null
}

/// `aws_iam_*_policy_attachment`: the policy's ARN onto the principal, and
/// the principal's name onto the policy's `attachments`.
fn attachment(
    w: &World,
    i: usize,
    arg: &'static str,
    kinds: &'static [&'static str],
    list: &'static str,
) -> Option<Plan> {
    let mut u = Vec::new();
    let arn = resolved_name(w, i, "policy_arn", &["aws_iam_policy"], "arn", &mut u, "");
    let mut plan: Plan = vec![(Via::Arg(arg), kinds, push("managed_policy_arns", arn, u))];
    let mut un = Vec::new();
    let name = resolved_name(w, i, arg, kinds, "name", &mut un, "");
    plan.push((
        Via::Arg("policy_arn"),
        &["aws_iam_policy"],
        Fold::Push {
            attr: list_attr(list),
            value: name,
            unknown: un,
        },
    ));
    Some(plan)
}

/// The policy side of an attachment is `attachments.<list>`; the model
/// keeps it as three lists on one object, so pushes go to a flat staging
/// attribute merged by [`merge_policy_attachments`].
fn list_attr(list: &str) -> &'static str {
    match list {
        "users" => "__attached_users",
        "roles" => "__attached_roles",
        _ => "__attached_groups",
    }
}

/// `aws_iam_policy_attachment`: one policy, lists of users, roles, groups.
fn many_attachment(
    w: &World,
    i: usize,
    arg: &'static str,
    kinds: &'static [&'static str],
    list: &'static str,
) -> Plan {
    let mut plan: Plan = Vec::new();
    let mut u = Vec::new();
    let arn = resolved_name(w, i, "policy_arn", &["aws_iam_policy"], "arn", &mut u, "");
    let names = attr(w, i, arg);
    if unknown_at(w, i, arg) {
        if declared(w, i, arg) {
            plan.push((
                Via::Arg(arg),
                kinds,
                push("managed_policy_arns", arn.clone(), u.clone()),
            ));
        }
        return plan;
    }
    if names.as_array().is_some_and(|n| !n.is_empty()) {
        plan.push((Via::Arg(arg), kinds, push("managed_policy_arns", arn, u)));
        for name in names.as_array().cloned().unwrap_or_default() {
            plan.push((
                Via::Arg("policy_arn"),
                &["aws_iam_policy"],
                push(list_attr(list), name, Vec::new()),
            ));
        }
    }
    plan
}

fn inline_policy(
    w: &World,
    i: usize,
    arg: &'static str,
    kinds: &'static [&'static str],
) -> Option<Plan> {
    let mut u = Vec::new();
    let name = value_or_none(w, i, "name", &mut u, "/name");
    let policy = value_or_none(w, i, "policy", &mut u, "/policy");
    if unknown_at(w, i, "policy") && !u.iter().any(|p| p == "/policy") {
        u.push("/policy".into());
    }
    Some(vec![(
        Via::Arg(arg),
        kinds,
        push(
            "inline_policies",
            json!({"name": name, "policy": policy}),
            u,
        ),
    )])
}

/// Replication destinations: the region of the destination bucket's
/// provider, when the configuration names a planned bucket.
fn destination_regions(w: &World, i: usize, value: &mut Value, unknown: &mut Vec<String>) {
    let p = &w.planned[i];
    let Some(rules_expr) = w
        .config
        .expression(&p.addr.module_path(), &p.addr.local(), "rule")
        .and_then(Value::as_array)
        .cloned()
    else {
        return;
    };
    let Some(rules) = value.get_mut("rules").and_then(Value::as_array_mut) else {
        return;
    };
    for (n, (rule, expr)) in rules.iter_mut().zip(rules_expr.iter()).enumerate() {
        let refs: Vec<&str> = expr
            .get("destination")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(|d| d.get("bucket"))
            .map(crate::config::references)
            .unwrap_or_default();
        if refs.is_empty() {
            continue;
        }
        let Some(bucket) = refs.iter().find_map(|r| {
            let (segs, _) = crate::address::split_reference(r);
            let (kind, _) = segs.first()?;
            let (name, key) = segs.get(1)?;
            (kind == "aws_s3_bucket").then(|| {
                w.planned.iter().position(|q| {
                    q.tf_type == "aws_s3_bucket"
                        && q.addr.name == *name
                        && (key.is_none() || q.addr.key == *key)
                        && q.addr.module_instance() == p.addr.module_instance()
                })
            })?
        }) else {
            continue;
        };
        let dest = &mut rule["destination"];
        dest["region"] = json!(w.planned[bucket].region);
        if dest["bucket"].is_null() {
            match w.known(bucket, "arn") {
                Some(arn) => dest["bucket"] = arn.clone(),
                None => unknown.push(format!("/rules/{n}/destination/bucket")),
            }
        }
    }
}

/// `aws_db_instance.subnet_ids`: the subnets of the DB subnet group its
/// `db_subnet_group_name` refers to. Unknown when the group is not in the
/// plan (the default group, or one managed elsewhere) or its subnets are.
pub fn db_subnets(w: &mut World) {
    let mut updates = Vec::new();
    for i in 0..w.planned.len() {
        if w.planned[i].kind != "aws_db_instance" {
            continue;
        }
        let subnets = match w.refers_to(i, "db_subnet_group_name", &["aws_db_subnet_group"]) {
            Target::Found(t) if t.len() == 1 => w.known(t[0], "subnet_ids").cloned(),
            _ => None,
        };
        updates.push((i, subnets));
    }
    w.forget_names();
    for (i, subnets) in updates {
        let p = &mut w.planned[i];
        match subnets {
            Some(list) => {
                clear(&mut p.unknown, "/subnet_ids");
                p.attrs.insert("subnet_ids".into(), list);
            }
            None => {
                p.attrs.insert("subnet_ids".into(), Value::Null);
                p.unknown.insert("/subnet_ids".into());
            }
        }
    }
}

/// Moves the staging lists of attached principals into
/// `aws_iam_policy.attachments`.
pub fn merge_policy_attachments(w: &mut World) {
    w.forget_names();
    for p in w.planned.iter_mut().filter(|p| p.kind == "aws_iam_policy") {
        for (staging, list) in [
            ("__attached_users", "users"),
            ("__attached_roles", "roles"),
            ("__attached_groups", "groups"),
        ] {
            let Some(Value::Array(items)) = p.attrs.remove(staging) else {
                continue;
            };
            let base = p.attrs["attachments"][list].as_array().map_or(0, Vec::len);
            let moved: Vec<String> = p
                .unknown
                .iter()
                .filter(|u| u.starts_with(&format!("/{staging}")))
                .cloned()
                .collect();
            for u in moved {
                p.unknown.remove(&u);
                let rest = u.get(staging.len() + 2..).unwrap_or("");
                let (idx, tail) = rest.split_once('/').map_or((rest, ""), |(a, b)| (a, b));
                let idx: usize = idx.parse().unwrap_or(0);
                let tail = if tail.is_empty() {
                    String::new()
                } else {
                    format!("/{tail}")
                };
                p.unknown
                    .insert(format!("/attachments/{list}/{}{tail}", base + idx));
            }
            if let Some(target) = p
                .attrs
                .get_mut("attachments")
                .and_then(|a| a.get_mut(list))
                .and_then(Value::as_array_mut)
            {
                target.extend(items);
            }
        }
    }
}
