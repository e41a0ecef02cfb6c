//! EBS and Elastic IP rules: encryption (PILLAR-EC2-009, -010), public
//! snapshots (-011), unattached volumes (-014), unassociated addresses (-015).

use pillar_rule_sdk::prelude::*;

use crate::{
    EBS_DEFAULT_ENCRYPTION, EBS_ENCRYPTED, EBS_PUBLIC_SNAPSHOT, EBS_UNATTACHED, EIP_UNUSED,
};

/// Reports `rule` as failing when the boolean at `pointer` (absent =
/// `default`) equals `bad`, unknown when it is unknown.
fn flag_rule(
    out: &mut dyn Sink,
    (rule, index): (&str, usize),
    r: &Resource,
    (pointer, default, bad): (&str, bool, bool),
    message: &str,
) {
    match r.flag(pointer, default) {
        None => out.unknown(
            rule,
            index,
            format!(
                "{}: {} is not known until apply",
                r.display_name(),
                &pointer[1..]
            ),
            Some(pointer.to_owned()),
        ),
        Some(v) if v == bad => out.fail(
            rule,
            index,
            format!("{}: {message}", r.display_name()),
            Some(pointer.to_owned()),
        ),
        Some(_) => {}
    }
}

pub fn volume(index: usize, r: &Resource, out: &mut dyn Sink) {
    flag_rule(
        out,
        (EBS_ENCRYPTED, index),
        r,
        ("/encrypted", false, false),
        "the volume is not encrypted",
    );
    unattached(index, r, out);
}

pub fn default_encryption(index: usize, r: &Resource, out: &mut dyn Sink) {
    let region = r.region.as_deref().unwrap_or("this region");
    let account = r.account.as_deref().unwrap_or("the account");
    match r.flag("/enabled", false) {
        None => out.unknown(
            EBS_DEFAULT_ENCRYPTION,
            index,
            format!("{account}: whether EBS encryption by default is on in {region} is not known"),
            Some("/enabled".into()),
        ),
        Some(false) => out.fail(
            EBS_DEFAULT_ENCRYPTION,
            index,
            format!("{account}: EBS encryption by default is off in {region}"),
            Some("/enabled".into()),
        ),
        Some(true) => {}
    }
}

pub fn snapshot(index: usize, r: &Resource, out: &mut dyn Sink) {
    flag_rule(
        out,
        (EBS_PUBLIC_SNAPSHOT, index),
        r,
        ("/public", false, true),
        "anyone can create a volume from this snapshot (createVolumePermission group \"all\")",
    );
}

fn unattached(index: usize, r: &Resource, out: &mut dyn Sink) {
    let name = r.display_name();
    match r.text("/state") {
        Ok(Some("available")) => {
            return out.fail(
                EBS_UNATTACHED,
                index,
                format!("{name} is attached to no instance and is still billed"),
                Some("/state".to_owned()),
            );
        }
        Ok(Some(_)) => return,
        Ok(None) | Err(()) => {}
    }
    // Without a live `state`, only a known attachment decides: an empty list
    // (a plan with no aws_volume_attachment naming the volume) cannot rule
    // out an attachment made outside the plan.
    match r.attr("/attachments") {
        Attr::Known(v) if v.as_array().is_some_and(|a| !a.is_empty()) => {}
        Attr::Known(_) | Attr::Absent | Attr::Unknown => out.unknown(
            EBS_UNATTACHED,
            index,
            format!(
                "{name}: whether the volume is attached is not known (no live state, and no attachment in the plan)"
            ),
            Some("/attachments".into()),
        ),
    }
}

pub fn address(index: usize, r: &Resource, out: &mut dyn Sink) {
    let name = r
        .attr("/public_ip")
        .as_str()
        .unwrap_or_else(|| r.display_name());
    let mut unknown = None;
    for field in ["/association_id", "/instance", "/network_interface"] {
        match r.text(field) {
            Ok(Some(_)) => return,
            Err(()) => {
                unknown.get_or_insert(field);
            }
            Ok(None) => {}
        }
    }
    match unknown {
        Some(field) => out.unknown(
            EIP_UNUSED,
            index,
            format!("{name}: the association is not known until apply"),
            Some(field.to_owned()),
        ),
        None => out.fail(
            EIP_UNUSED,
            index,
            format!("Elastic IP {name} is associated with nothing and is billed by the hour"),
            Some("/association_id".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ec2Pack;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    #[test]
    fn volumes() {
        let batch = [
            resource(
                "aws_ebs_volume",
                json!({"encrypted": true, "state": "in-use"}),
                &[],
            ),
            resource("aws_ebs_volume", json!({"state": "available"}), &[]),
            resource(
                "aws_ebs_volume",
                json!({"encrypted": true, "attachments": []}),
                &[],
            ),
            resource("aws_ebs_volume", json!({}), &["/encrypted", "/attachments"]),
        ];
        let f = run::<Ec2Pack>("aws_ebs_volume", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, EBS_ENCRYPTED),
            vec![(1, "fail"), (3, "unknown")]
        );
        assert_eq!(
            verdicts_of(&f, EBS_UNATTACHED),
            vec![(1, "fail"), (2, "unknown"), (3, "unknown")]
        );
    }

    #[test]
    fn default_encryption_snapshots_and_addresses() {
        let d = [
            resource(
                "aws_ebs_encryption_by_default",
                json!({"enabled": true}),
                &[],
            ),
            resource(
                "aws_ebs_encryption_by_default",
                json!({"enabled": false}),
                &[],
            ),
        ];
        let f = run::<Ec2Pack>("aws_ebs_encryption_by_default", &d, json!({}));
        assert_eq!(verdicts_of(&f, EBS_DEFAULT_ENCRYPTION), vec![(1, "fail")]);
        let s = [
            resource("aws_ebs_snapshot", json!({"public": true}), &[]),
            resource("aws_ebs_snapshot", json!({"public": false}), &[]),
            resource("aws_ebs_snapshot", json!({}), &["/public"]),
        ];
        let f = run::<Ec2Pack>("aws_ebs_snapshot", &s, json!({}));
        assert_eq!(
            verdicts_of(&f, EBS_PUBLIC_SNAPSHOT),
            vec![(0, "fail"), (2, "unknown")]
        );
        let e = [
            resource(
                "aws_eip",
                json!({"public_ip": "52.1.1.1", "association_id": null}),
                &[],
            ),
            resource("aws_eip", json!({"association_id": "eipassoc-1"}), &[]),
            resource("aws_eip", json!({}), &["/association_id"]),
        ];
        let f = run::<Ec2Pack>("aws_eip", &e, json!({}));
        assert_eq!(
            verdicts_of(&f, EIP_UNUSED),
            vec![(0, "fail"), (2, "unknown")]
        );
    }
}
