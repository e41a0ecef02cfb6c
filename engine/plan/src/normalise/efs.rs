//! `aws_efs_file_system` in the live collector's shape
//! (docs/resource-model/efs.md). The backup policy and the file system
//! policy come from `aws_efs_backup_policy` and
//! `aws_efs_file_system_policy` joins; without one, a plan has AWS's
//! defaults: no policy, and automatic backups on for a One Zone file system
//! only (`CreateFileSystem` turns them on there by default).

use serde_json::{Value, json};

use super::{Declared, default_if_absent, none_if_undeclared};
use crate::pointer::covered;
use crate::world::Planned;

pub(super) fn file_system(p: &mut Planned, declared: &Declared<'_>) {
    none_if_undeclared(p, declared, "encrypted", json!(false));
    default_if_absent(p, "encrypted", json!(false));
    none_if_undeclared(p, declared, "availability_zone_name", Value::Null);
    if covered(&p.unknown, "/availability_zone_name") {
        p.unknown.insert("/backup_policy/status".into());
        p.attrs
            .insert("backup_policy".into(), json!({"status": null}));
    } else {
        let one_zone = p
            .attrs
            .get("availability_zone_name")
            .and_then(Value::as_str)
            .is_some_and(|z| !z.is_empty());
        let status = if one_zone { "ENABLED" } else { "DISABLED" };
        p.attrs
            .insert("backup_policy".into(), json!({"status": status}));
    }
    p.attrs.insert("policy".into(), Value::Null);
}
