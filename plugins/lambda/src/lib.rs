//! Built-in Lambda rules on `aws_lambda_function`: who may invoke it
//! (PILLAR-LMB-001 function URLs without IAM auth, PILLAR-LMB-002 resource
//! policies open to anyone), secrets in its environment (PILLAR-LMB-003,
//! masked), deprecated runtimes (PILLAR-LMB-004), asynchronous failures
//! that go nowhere (PILLAR-LMB-005) and tracing (PILLAR-LMB-006).

mod access;
mod configuration;
mod runtimes;
#[cfg(test)]
mod tests;

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

pub const PUBLIC_URL: &str = "PILLAR-LMB-001";
pub const PUBLIC_POLICY: &str = "PILLAR-LMB-002";
pub const SECRETS: &str = "PILLAR-LMB-003";
pub const DEPRECATED_RUNTIME: &str = "PILLAR-LMB-004";
pub const FAILURE_DESTINATION: &str = "PILLAR-LMB-005";
pub const TRACING: &str = "PILLAR-LMB-006";

pub struct LambdaPack;

impl RulePack for LambdaPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-lambda", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_lambda_function" => {
                for (i, f) in batch.iter().enumerate() {
                    access::public_url(i, f, out);
                    access::public_policy(i, f, out);
                    configuration::secrets(i, f, out);
                    runtimes::deprecated(i, f, out);
                    configuration::failure_destination(i, f, out);
                    configuration::tracing(i, f, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(LambdaPack);

/// The function's name as messages show it.
fn name(f: &Resource) -> &str {
    f.attr("/function_name")
        .as_str()
        .unwrap_or_else(|| f.display_name())
}

fn unknown(rule: &str, i: usize, f: &Resource, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{}: {what} is not known", name(f)),
        Some(at.into()),
    );
}
