//! Built-in EC2 rules: security groups, instances and launch templates
//! (user data, metadata service, placement), launch configurations' user
//! data, EBS and Elastic IPs.
//! Metadata and documentation come from `rules/catalog/`.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

mod endpoints;
mod instances;
mod security_groups;
mod storage;
mod user_data;

pub const SG_ADMIN_PORTS: &str = "PILLAR-EC2-001";
pub const SG_DATABASE_PORTS: &str = "PILLAR-EC2-002";
pub const USER_DATA_ENDPOINTS: &str = "PILLAR-EC2-003";
pub const USER_DATA_IPS: &str = "PILLAR-EC2-004";
pub const SG_ALL_TRAFFIC: &str = "PILLAR-EC2-005";
pub const DEFAULT_SG_OPEN: &str = "PILLAR-EC2-006";
pub const USER_DATA_SECRETS: &str = "PILLAR-EC2-007";
pub const IMDSV2: &str = "PILLAR-EC2-008";
pub const EBS_ENCRYPTED: &str = "PILLAR-EC2-009";
pub const EBS_DEFAULT_ENCRYPTION: &str = "PILLAR-EC2-010";
pub const EBS_PUBLIC_SNAPSHOT: &str = "PILLAR-EC2-011";
pub const SINGLE_AZ_WORKLOAD: &str = "PILLAR-EC2-012";
pub const LONE_PUBLIC_INSTANCE: &str = "PILLAR-EC2-013";
pub const EBS_UNATTACHED: &str = "PILLAR-EC2-014";
pub const EIP_UNUSED: &str = "PILLAR-EC2-015";
pub const LONG_STOPPED: &str = "PILLAR-EC2-016";

pub struct Ec2Pack;

impl RulePack for Ec2Pack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-ec2", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let config = config::current();
        for (i, r) in batch.iter().enumerate() {
            match kind {
                "aws_security_group" => security_groups::check(i, r, out),
                "aws_instance" => {
                    endpoints::check(i, r, out);
                    user_data::check(i, r, out);
                    instances::imdsv2(i, r, out);
                    instances::placement(i, r, &config, out);
                }
                "aws_launch_template" => {
                    endpoints::check(i, r, out);
                    user_data::check(i, r, out);
                    instances::imdsv2(i, r, out);
                }
                // IMDSv2 on launch configurations is PILLAR-ASG-003.
                "aws_launch_configuration" => {
                    endpoints::check(i, r, out);
                    user_data::check(i, r, out);
                }
                "aws_ebs_volume" => storage::volume(i, r, out),
                "aws_ebs_encryption_by_default" => storage::default_encryption(i, r, out),
                "aws_ebs_snapshot" => storage::snapshot(i, r, out),
                "aws_eip" => storage::address(i, r, out),
                other => return Err(EvalError::UnsupportedKind(other.to_owned())),
            }
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Ec2Pack);
