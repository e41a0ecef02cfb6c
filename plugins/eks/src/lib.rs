//! Built-in EKS rules on clusters: a public endpoint open to the internet
//! (PILLAR-EKS-001), control-plane logging (-002), envelope encryption of
//! Kubernetes secrets with KMS (-003), a Kubernetes version in standard
//! support (-004) and a private endpoint (-005). Metadata and
//! documentation come from `rules/catalog/eks.toml`.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

mod clusters;
#[cfg(test)]
mod tests;

pub const PUBLIC_ENDPOINT: &str = "PILLAR-EKS-001";
pub const CONTROL_PLANE_LOGGING: &str = "PILLAR-EKS-002";
pub const SECRETS_ENCRYPTION: &str = "PILLAR-EKS-003";
pub const SUPPORTED_VERSION: &str = "PILLAR-EKS-004";
pub const PRIVATE_ENDPOINT: &str = "PILLAR-EKS-005";

pub struct EksPack;

impl RulePack for EksPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-eks", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        if kind != "aws_eks_cluster" {
            return Err(EvalError::UnsupportedKind(kind.to_owned()));
        }
        let config = config::current();
        let required_logs = config.strings(CONTROL_PLANE_LOGGING, "required_log_types");
        let minimum = config.string(SUPPORTED_VERSION, "minimum_version");
        for (i, r) in batch.iter().enumerate() {
            clusters::public_endpoint(i, r, out);
            clusters::logging(i, r, &required_logs, out);
            clusters::secrets_encryption(i, r, out);
            clusters::version(i, r, &minimum, out);
            clusters::private_endpoint(i, r, out);
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(EksPack);
