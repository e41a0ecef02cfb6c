//! Built-in Auto Scaling rules: a group's spread over zones
//! (PILLAR-ASG-001, from the host-derived `zones`), ELB health checks for
//! groups behind a load balancer (-002) and launch templates over launch
//! configurations (-005); on launch configurations, IMDSv2 (-003), public
//! IP addresses (-004) and encrypted EBS volumes (-006). Metadata and
//! documentation come from `rules/catalog/autoscaling.toml`.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

mod configurations;
mod groups;
#[cfg(test)]
mod tests;

pub const SINGLE_AZ: &str = "PILLAR-ASG-001";
pub const ELB_HEALTH_CHECK: &str = "PILLAR-ASG-002";
pub const IMDSV2: &str = "PILLAR-ASG-003";
pub const PUBLIC_IP: &str = "PILLAR-ASG-004";
pub const LAUNCH_CONFIGURATION: &str = "PILLAR-ASG-005";
pub const EBS_ENCRYPTED: &str = "PILLAR-ASG-006";

pub struct AutoScalingPack;

impl RulePack for AutoScalingPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-autoscaling", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        for (i, r) in batch.iter().enumerate() {
            match kind {
                "aws_autoscaling_group" => {
                    groups::single_az(i, r, out);
                    groups::elb_health_check(i, r, out);
                    groups::launch_configuration(i, r, out);
                }
                "aws_launch_configuration" => {
                    configurations::imdsv2(i, r, out);
                    configurations::public_ip(i, r, out);
                    configurations::ebs_encrypted(i, r, out);
                }
                other => return Err(EvalError::UnsupportedKind(other.to_owned())),
            }
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(AutoScalingPack);

/// An unknown verdict: "<name>: <what> is not known", evidence `at`.
fn unknown(rule: &str, i: usize, r: &Resource, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{}: {what} is not known", r.display_name()),
        Some(at.into()),
    );
}
