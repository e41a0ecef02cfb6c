//! Built-in VPC rules: CIDR blocks that overlap another VPC's, within one
//! account (PILLAR-VPC-001) or across accounts (PILLAR-VPC-002), and
//! subnets that give every instance a public IP (PILLAR-VPC-003), VPCs
//! whose traffic no flow log records (PILLAR-VPC-004), and network ACLs
//! (PILLAR-VPC-005 to 008, see [`nacl`]). The
//! overlaps are derived by the host over the whole snapshot
//! (`aws_vpc.overlapping_vpcs_same_account` and `_other_accounts`,
//! docs/resource-model.md).

mod nacl;

use nacl::{Answer, Family};
use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

pub const OVERLAP_SAME_ACCOUNT: &str = "PILLAR-VPC-001";
pub const OVERLAP_CROSS_ACCOUNT: &str = "PILLAR-VPC-002";
pub const SUBNET_PUBLIC_IP: &str = "PILLAR-VPC-003";
pub const FLOW_LOGS: &str = "PILLAR-VPC-004";
pub const NACL_ADMIN_PORTS: &str = "PILLAR-VPC-005";
pub const NACL_ALL_TRAFFIC: &str = "PILLAR-VPC-006";
pub const NACL_DEFAULT_IN_USE: &str = "PILLAR-VPC-007";
pub const NACL_UNUSED: &str = "PILLAR-VPC-008";

/// The remote administration ports PILLAR-VPC-005 asks about.
const ADMIN_PORTS: [(i64, &str); 2] = [(22, "SSH"), (3389, "RDP")];

pub struct VpcPack;

impl RulePack for VpcPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-vpc", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_vpc" => {
                let config = config::current();
                for (i, vpc) in batch.iter().enumerate() {
                    overlaps(i, vpc, &config, out);
                    flow_logs(i, vpc, out);
                }
            }
            "aws_subnet" => {
                for (i, subnet) in batch.iter().enumerate() {
                    public_ip_on_launch(i, subnet, out);
                }
            }
            "aws_network_acl" | "aws_default_network_acl" => {
                let default = kind == "aws_default_network_acl";
                for (i, acl) in batch.iter().enumerate() {
                    admin_ports(i, acl, out);
                    all_traffic(i, acl, out);
                    if default {
                        default_in_use(i, acl, out);
                    } else {
                        unused(i, acl, out);
                    }
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(VpcPack);

fn overlaps(i: usize, vpc: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = vpc.display_name();
    for (rule, pointer) in [
        (OVERLAP_SAME_ACCOUNT, "/overlapping_vpcs_same_account"),
        (OVERLAP_CROSS_ACCOUNT, "/overlapping_vpcs_other_accounts"),
    ] {
        let list = match vpc.attr(pointer) {
            Attr::Known(Value::Array(list)) => list,
            Attr::Known(_) => continue,
            Attr::Unknown | Attr::Absent => {
                out.unknown(
                    rule,
                    i,
                    format!("{name}: the CIDR blocks of this VPC or of another are not known"),
                    Some(pointer.into()),
                );
                continue;
            }
        };
        let ignored = config.strings(rule, "ignore_cidrs");
        let found: Vec<(usize, String)> = list
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                let cidr = o
                    .get("cidr_block")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                !ignored.iter().any(|c| c == cidr)
            })
            .map(|(n, o)| (n, describe(o)))
            .collect();
        if let Some((n, _)) = found.first() {
            let listed: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
            out.fail(
                rule,
                i,
                format!("{name} overlaps {}", listed.join("; ")),
                Some(format!("{pointer}/{n}")),
            );
        }
    }
}

/// PILLAR-VPC-003: `map_public_ip_on_launch` gives every instance launched
/// into the subnet a public IPv4 address unless its launch says otherwise.
/// Absent is Terraform's default, `false`.
fn public_ip_on_launch(i: usize, subnet: &Resource, out: &mut dyn Sink) {
    let pointer = "/map_public_ip_on_launch";
    match subnet.flag(pointer, false) {
        Some(false) => {}
        Some(true) => out.fail(
            SUBNET_PUBLIC_IP,
            i,
            format!(
                "{}: gives every instance launched into it a public IPv4 address \
                 (map_public_ip_on_launch)",
                subnet.display_name()
            ),
            Some(pointer.into()),
        ),
        None => out.unknown(
            SUBNET_PUBLIC_IP,
            i,
            format!(
                "{}: whether instances get a public IPv4 address is not known",
                subnet.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-VPC-004: at least one flow log watches the VPC. `flow_logs` is
/// collected live and starts empty for a plan's VPC, so an absent list
/// (a snapshot taken before pillar read flow logs) is unknown, not none.
fn flow_logs(i: usize, vpc: &Resource, out: &mut dyn Sink) {
    let pointer = "/flow_logs";
    let name = vpc.display_name();
    match vpc.attr(pointer) {
        Attr::Known(Value::Array(logs)) if !logs.is_empty() => {}
        Attr::Known(Value::Array(_)) => out.fail(
            FLOW_LOGS,
            i,
            format!("{name}: no flow log records the traffic of this VPC"),
            Some(pointer.into()),
        ),
        Attr::Known(_) | Attr::Unknown | Attr::Absent => out.unknown(
            FLOW_LOGS,
            i,
            format!("{name}: the flow logs of this VPC are not known"),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-VPC-005: SSH or RDP admitted from anywhere, in either family.
/// One finding per ACL, naming the first port and entry found.
fn admin_ports(i: usize, acl: &Resource, out: &mut dyn Sink) {
    let answers = ADMIN_PORTS.iter().flat_map(|&(port, service)| {
        Family::BOTH.into_iter().map(move |family| {
            (
                nacl::admits_tcp(acl, family, port),
                format!("{service} (TCP {port}) from {}", family.world()),
            )
        })
    });
    judge(NACL_ADMIN_PORTS, i, acl, answers, "SSH or RDP", out);
}

/// PILLAR-VPC-006: every protocol and port admitted from anywhere.
fn all_traffic(i: usize, acl: &Resource, out: &mut dyn Sink) {
    let answers = Family::BOTH.into_iter().map(|family| {
        (
            nacl::admits_everything(acl, family),
            format!("all traffic from {}", family.world()),
        )
    });
    judge(NACL_ALL_TRAFFIC, i, acl, answers, "all traffic", out);
}

/// Fails on the first answer that admits (`what` it admits), else is
/// unknown at the first unknown answer, else passes.
fn judge(
    rule: &str,
    i: usize,
    acl: &Resource,
    answers: impl IntoIterator<Item = (Answer, String)>,
    subject: &str,
    out: &mut dyn Sink,
) {
    let name = acl.display_name();
    let mut unknown = None;
    for (answer, what) in answers {
        match answer {
            Answer::Admitted { index, rule_no } => {
                out.fail(
                    rule,
                    i,
                    format!("{name}: entry {rule_no} admits {what}"),
                    Some(format!("/ingress/{index}")),
                );
                return;
            }
            Answer::Unknown(at) => unknown = unknown.or(Some(at)),
            Answer::Refused => {}
        }
    }
    if let Some(at) = unknown {
        out.unknown(
            rule,
            i,
            format!("{name}: whether {subject} is admitted from anywhere is not known"),
            Some(at),
        );
    }
}

/// Whether some subnet uses the ACL: `Some(n)` subnets, `None` unknown.
fn subnets_using(acl: &Resource) -> Option<usize> {
    if acl.has_unknown_within("/subnet_ids") {
        // An unknown id is still a subnet: only the count matters here.
        return match acl.attr("/subnet_ids") {
            Attr::Known(Value::Array(list)) if !list.is_empty() => Some(list.len()),
            _ => None,
        };
    }
    match acl.attr("/subnet_ids") {
        Attr::Known(Value::Array(list)) => Some(list.len()),
        Attr::Absent => Some(0),
        _ => None,
    }
}

/// PILLAR-VPC-007: subnets left on a default ACL that still holds AWS's
/// allow-everything entries, in and out, so they have no ACL of their own.
fn default_in_use(i: usize, acl: &Resource, out: &mut dyn Sink) {
    let name = acl.display_name();
    let untouched = match (
        nacl::is_aws_default(acl, "/ingress"),
        nacl::is_aws_default(acl, "/egress"),
    ) {
        (Some(false), _) | (_, Some(false)) => return,
        (Some(true), Some(true)) => true,
        _ => false,
    };
    match subnets_using(acl) {
        Some(0) => {}
        Some(n) if untouched => out.fail(
            NACL_DEFAULT_IN_USE,
            i,
            format!(
                "{name}: {n} subnet(s) use the VPC's default network ACL, which still \
                 allows all traffic in and out"
            ),
            Some("/subnet_ids".into()),
        ),
        Some(_) => out.unknown(
            NACL_DEFAULT_IN_USE,
            i,
            format!("{name}: whether the default network ACL's entries were changed is not known"),
            Some("/ingress".into()),
        ),
        None => out.unknown(
            NACL_DEFAULT_IN_USE,
            i,
            format!("{name}: whether subnets use the default network ACL is not known"),
            Some("/subnet_ids".into()),
        ),
    }
}

/// PILLAR-VPC-008: a network ACL no subnet uses.
fn unused(i: usize, acl: &Resource, out: &mut dyn Sink) {
    let name = acl.display_name();
    match subnets_using(acl) {
        Some(0) => out.fail(
            NACL_UNUSED,
            i,
            format!("{name}: no subnet is associated with this network ACL"),
            Some("/subnet_ids".into()),
        ),
        Some(_) => {}
        None => out.unknown(
            NACL_UNUSED,
            i,
            format!("{name}: the subnets associated with this network ACL are not known"),
            Some("/subnet_ids".into()),
        ),
    }
}

/// "vpc-2 (10.0.0.0/16 in eu-central-1, account 4444…) on 10.0.0.0/16".
fn describe(o: &Value) -> String {
    let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("?");
    format!(
        "{} ({} in {}, account {}) on {}",
        s("vpc_id"),
        s("other_cidr_block"),
        s("region"),
        s("account"),
        s("cidr_block")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    fn overlap(account: &str, cidr: &str) -> Value {
        json!({"id": "arn:x", "vpc_id": "vpc-2", "account": account, "region": "eu-central-1", "cidr_block": cidr, "other_cidr_block": cidr})
    }

    #[test]
    fn overlaps_split_by_account() {
        let lists = |same: Value, other: Value| json!({"overlapping_vpcs_same_account": same, "overlapping_vpcs_other_accounts": other, "flow_logs": [{"id": "fl-1"}]});
        let batch = [
            resource(
                "aws_vpc",
                lists(json!([overlap("111122223333", "10.0.0.0/16")]), json!([])),
                &[],
            ),
            resource(
                "aws_vpc",
                lists(json!([]), json!([overlap("444455556666", "10.1.0.0/16")])),
                &[],
            ),
            resource("aws_vpc", lists(json!([]), json!([])), &[]),
            resource(
                "aws_vpc",
                json!({}),
                &[
                    "/overlapping_vpcs_same_account",
                    "/overlapping_vpcs_other_accounts",
                ],
            ),
        ];
        let f = run::<VpcPack>("aws_vpc", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, OVERLAP_SAME_ACCOUNT),
            vec![(0, "fail"), (3, "unknown")]
        );
        assert_eq!(
            verdicts_of(&f, OVERLAP_CROSS_ACCOUNT),
            vec![(1, "fail"), (3, "unknown")]
        );
        let ignored = run::<VpcPack>(
            "aws_vpc",
            &batch[..1],
            json!({"PILLAR-VPC-001": {"ignore_cidrs": ["10.0.0.0/16"]}}),
        );
        assert!(ignored.0.is_empty());
    }

    #[test]
    fn vpcs_without_flow_logs_fail_and_unread_ones_stay_unknown() {
        let log = json!({"id": "fl-1", "traffic_type": "ALL", "log_destination_type": "s3"});
        let batch = [
            resource("aws_vpc", json!({"flow_logs": [log]}), &[]),
            resource("aws_vpc", json!({"flow_logs": []}), &[]),
            resource("aws_vpc", json!({}), &[]),
            resource("aws_vpc", json!({"flow_logs": null}), &["/flow_logs"]),
        ];
        let f = run::<VpcPack>("aws_vpc", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, FLOW_LOGS),
            vec![(1, "fail"), (2, "unknown"), (3, "unknown")]
        );
    }

    #[test]
    fn subnets_that_assign_public_ips_fail_and_unknown_stays_unknown() {
        let batch = [
            resource("aws_subnet", json!({"map_public_ip_on_launch": true}), &[]),
            resource("aws_subnet", json!({"map_public_ip_on_launch": false}), &[]),
            resource("aws_subnet", json!({}), &[]),
            resource("aws_subnet", json!({}), &["/map_public_ip_on_launch"]),
        ];
        let f = run::<VpcPack>("aws_subnet", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, SUBNET_PUBLIC_IP),
            vec![(0, "fail"), (3, "unknown")]
        );
    }
}
