//! Built-in IAM rules: MFA, the root user, access key age and use, policies
//! granting administrator or service-wide access, policies attached to
//! users, and the password policy. Metadata and documentation come from
//! `rules/catalog/`.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

mod keys;
mod policies;

pub const CONSOLE_MFA: &str = "PILLAR-IAM-001";
pub const ROOT_MFA: &str = "PILLAR-IAM-002";
pub const ROOT_ACCESS_KEYS: &str = "PILLAR-IAM-003";
pub const KEY_ROTATION: &str = "PILLAR-IAM-004";
pub const UNUSED_KEYS: &str = "PILLAR-IAM-005";
pub const FULL_ADMIN: &str = "PILLAR-IAM-006";
pub const SERVICE_WILDCARD: &str = "PILLAR-IAM-007";
pub const USER_ATTACHED_POLICIES: &str = "PILLAR-IAM-008";
pub const PASSWORD_POLICY: &str = "PILLAR-IAM-009";

pub struct IamPack;

impl RulePack for IamPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-iam", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        let config = config::current();
        for (i, r) in batch.iter().enumerate() {
            match kind {
                "aws_iam_user" => {
                    keys::console_mfa(i, r, out);
                    keys::access_keys(i, r, &config, out);
                    policies::principal(i, r, out);
                    policies::attached_to_user(i, r, out);
                }
                "aws_iam_group" | "aws_iam_role" => policies::principal(i, r, out),
                "aws_iam_policy" => policies::customer_policy(i, r, out),
                "aws_iam_account_summary" => keys::root(i, r, out),
                "aws_iam_account_password_policy" => keys::password_policy(i, r, &config, out),
                other => return Err(EvalError::UnsupportedKind(other.to_owned())),
            }
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(IamPack);
