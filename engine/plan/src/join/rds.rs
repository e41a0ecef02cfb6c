//! RDS: cross-region backup replications onto their DB instance, and each
//! DB instance's subnets through its DB subnet group.

use serde_json::{Value, json};

use super::read::value_or_none;
use super::{Join, Plan, onto, push};
use crate::pointer::clear;
use crate::world::{Target, World};

pub(super) const JOINS: &[Join] = &[(
    "aws_db_instance_automated_backups_replication",
    backups_replication,
)];

/// The replication lives in the destination region's provider: its region
/// is the destination.
fn backups_replication(w: &World, i: usize) -> Option<Plan> {
    let mut u = Vec::new();
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
    Some(onto(
        "source_db_instance_arn",
        &["aws_db_instance"],
        push("automated_backups_replications", value, u),
    ))
}

/// `aws_db_instance.subnet_ids`: the subnets of the DB subnet group its
/// `db_subnet_group_name` refers to. Unknown when the group is not in the
/// plan (the default group, or one managed elsewhere) or its subnets are.
pub(crate) fn db_subnets(w: &mut World) {
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
