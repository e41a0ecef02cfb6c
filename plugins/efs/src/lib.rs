//! Built-in EFS rules on file systems: encryption at rest
//! (PILLAR-EFS-001), automatic backups (PILLAR-EFS-002), a file system
//! policy that lets anyone in without a restricting condition
//! (PILLAR-EFS-003), and One Zone placement (PILLAR-EFS-004).

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::policy;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::setting::Required;

pub const ENCRYPTED: &str = "PILLAR-EFS-001";
pub const BACKUPS: &str = "PILLAR-EFS-002";
pub const OPEN_POLICY: &str = "PILLAR-EFS-003";
pub const ONE_ZONE: &str = "PILLAR-EFS-004";

/// Condition keys that narrow who (or from where) a statement admits: an
/// account, an organisation, a principal, a VPC or endpoint, an address
/// range, an access point, or a mount target (reachable from its VPC only).
/// `aws:SecureTransport` alone narrows nothing about who.
const RESTRICTING: &[&str] = &[
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:userid",
    "elasticfilesystem:AccessPointArn",
    "elasticfilesystem:AccessedViaMountTarget",
];

pub struct EfsPack;

impl RulePack for EfsPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-efs", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_efs_file_system" => {
                for (i, fs) in batch.iter().enumerate() {
                    Required {
                        rule: ENCRYPTED,
                        pointer: "/encrypted",
                        off: "the file system is not encrypted at rest",
                        what: "whether the file system is encrypted",
                    }
                    .flag(i, fs, false, out);
                    backups(i, fs, out);
                    open_policy(i, fs, out);
                    one_zone(i, fs, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(EfsPack);

/// PILLAR-EFS-002: the backup policy is `ENABLED` (or being enabled).
fn backups(i: usize, fs: &Resource, out: &mut dyn Sink) {
    let req = Required {
        rule: BACKUPS,
        pointer: "/backup_policy/status",
        off: "",
        what: "the automatic backup policy",
    };
    match fs.text(req.pointer) {
        Ok(Some("ENABLED" | "ENABLING")) => {}
        Ok(status) => req.fail(
            i,
            fs,
            format!(
                "automatic backups are off (backup policy {})",
                status.unwrap_or("DISABLED")
            ),
            out,
        ),
        Err(()) => req.unknown(i, fs, out),
    }
}

/// PILLAR-EFS-003: no Allow statement of the file system policy names any
/// principal (`*`) without a condition that narrows who may use it. No
/// policy is EFS's default: clients that reach a mount target, which the
/// network decides.
fn open_policy(i: usize, fs: &Resource, out: &mut dyn Sink) {
    let req = Required {
        rule: OPEN_POLICY,
        pointer: "/policy",
        off: "",
        what: "the file system policy",
    };
    let text = match fs.text(req.pointer) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(()) => return req.unknown(i, fs, out),
    };
    let Ok(statements) = policy::parse(text) else {
        return Required {
            what: "the file system policy (unreadable)",
            ..req
        }
        .unknown(i, fs, out);
    };
    let open = statements.iter().enumerate().find(|(_, s)| {
        s.allow
            && s.anyone()
            && !RESTRICTING
                .iter()
                .any(|key| !s.condition_values(key).is_empty())
    });
    if let Some((n, s)) = open {
        let actions = if s.actions.is_empty() || s.not_action {
            "every action but its NotAction".to_owned()
        } else {
            s.actions.join(", ")
        };
        req.fail(
            i,
            fs,
            format!(
                "file system policy statement {} lets any principal in ({actions}) with no condition narrowing who",
                n + 1
            ),
            out,
        );
    }
}

/// PILLAR-EFS-004: the file system is Regional, not One Zone
/// (`availability_zone_name` set).
fn one_zone(i: usize, fs: &Resource, out: &mut dyn Sink) {
    let req = Required {
        rule: ONE_ZONE,
        pointer: "/availability_zone_name",
        off: "",
        what: "whether the file system is One Zone",
    };
    match fs.text(req.pointer) {
        Ok(None) => {}
        Ok(Some(zone)) => req.fail(
            i,
            fs,
            format!("a One Zone file system: its data lives in {zone} only"),
            out,
        ),
        Err(()) => req.unknown(i, fs, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    const OPEN: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:ClientMount","Resource":"*"}]}"#;
    const TLS_ONLY: &str = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"elasticfilesystem:ClientMount","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    const VIA_MOUNT: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientWrite"],"Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"true"}}}]}"#;
    const ACCOUNT: &str = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"elasticfilesystem:*"}}"#;

    fn fs(extra: Value, unknown: &[&str]) -> Resource {
        let mut attrs = json!({"name": "shared", "encrypted": true, "kms_key_id": "arn:k",
            "backup_policy": {"status": "ENABLED"}, "policy": null, "availability_zone_name": null});
        for (k, v) in extra.as_object().into_iter().flatten() {
            attrs[k] = v.clone();
        }
        resource("aws_efs_file_system", attrs, unknown)
    }

    #[test]
    fn encryption_backups_and_zone() {
        let batch = [
            fs(json!({}), &[]),
            fs(
                json!({"encrypted": false, "backup_policy": {"status": "DISABLED"}, "availability_zone_name": "eu-west-1a"}),
                &[],
            ),
            fs(
                json!({"encrypted": null, "backup_policy": {"status": null}, "availability_zone_name": null}),
                &[
                    "/encrypted",
                    "/backup_policy/status",
                    "/availability_zone_name",
                ],
            ),
        ];
        let f = run::<EfsPack>("aws_efs_file_system", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, ENCRYPTED),
            vec![(1, "fail"), (2, "unknown")]
        );
        assert_eq!(verdicts_of(&f, BACKUPS), vec![(1, "fail"), (2, "unknown")]);
        assert_eq!(verdicts_of(&f, ONE_ZONE), vec![(1, "fail"), (2, "unknown")]);
    }

    #[test]
    fn policies_open_to_anyone() {
        let batch = [
            fs(json!({"policy": OPEN}), &[]),
            fs(json!({"policy": TLS_ONLY}), &[]),
            fs(json!({"policy": VIA_MOUNT}), &[]),
            fs(json!({"policy": ACCOUNT}), &[]),
            fs(json!({"policy": null}), &["/policy"]),
            fs(json!({"policy": "not json"}), &[]),
        ];
        let f = run::<EfsPack>("aws_efs_file_system", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, OPEN_POLICY),
            vec![(0, "fail"), (1, "fail"), (4, "unknown"), (5, "unknown")]
        );
    }
}
