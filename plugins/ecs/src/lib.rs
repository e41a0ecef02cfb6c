//! Built-in ECS rules. Task definitions (`container_definitions` in the ECS
//! API's JSON shape): privileged containers (PILLAR-ECS-001), host
//! networking (002), containers running as root (003), writable root
//! filesystems (004), containers without a log configuration (005) and
//! secrets written into plain environment variables (006, messages
//! masked). Services: a single task (007), subnets in one Availability
//! Zone (008, from the host-derived `subnet_availability_zones`) and public
//! IPs (009). Clusters: Container Insights off (010).

mod containers;
mod services;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

pub const PRIVILEGED: &str = "PILLAR-ECS-001";
pub const HOST_NETWORK: &str = "PILLAR-ECS-002";
pub const ROOT_USER: &str = "PILLAR-ECS-003";
pub const WRITABLE_ROOT_FS: &str = "PILLAR-ECS-004";
pub const NO_LOGS: &str = "PILLAR-ECS-005";
pub const ENV_SECRETS: &str = "PILLAR-ECS-006";
pub const SINGLE_TASK: &str = "PILLAR-ECS-007";
pub const ONE_AZ: &str = "PILLAR-ECS-008";
pub const PUBLIC_IP: &str = "PILLAR-ECS-009";
pub const CONTAINER_INSIGHTS: &str = "PILLAR-ECS-010";

pub struct EcsPack;

impl RulePack for EcsPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-ecs", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_ecs_task_definition" => {
                for (i, td) in batch.iter().enumerate() {
                    containers::check(i, td, out);
                    services::host_network(i, td, out);
                }
            }
            "aws_ecs_service" => {
                for (i, s) in batch.iter().enumerate() {
                    services::check(i, s, out);
                }
            }
            "aws_ecs_cluster" => {
                for (i, c) in batch.iter().enumerate() {
                    services::container_insights(i, c, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(EcsPack);

/// A task definition's name for messages: `family:revision` when known.
pub(crate) fn task_name(td: &Resource) -> String {
    match (
        td.attr("/family").as_str(),
        match td.attr("/revision") {
            Attr::Known(v) => v.as_i64(),
            _ => None,
        },
    ) {
        (Some(f), Some(r)) => format!("{f}:{r}"),
        (Some(f), None) => f.to_owned(),
        _ => td.display_name().to_owned(),
    }
}

#[cfg(test)]
mod tests;
