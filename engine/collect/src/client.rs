//! The SDK configuration `collect` uses, for other commands that call AWS
//! (`pillar export security-hub`): the same profile, endpoint override,
//! adaptive retry, timeouts and role assumption, and the same identity
//! check.

use aws_config::SdkConfig;

use crate::account::{AccountError, credentials};
use crate::options::Options;

/// The SDK configuration for the caller's own account, or for the first
/// role of `options` (`--assume-role` or the accounts list) when there is
/// one; the role is assumed once up front so a refusal is reported as
/// such.
pub async fn client_config(options: &Options) -> Result<SdkConfig, String> {
    let target = options.targets().into_iter().next().unwrap_or_default();
    let config = credentials::sdk_config(options, &target).await;
    if target.role.is_some() {
        credentials::assume(&config)
            .await
            .map_err(|e| describe(&e))?;
    }
    Ok(config)
}

/// The account id and partition the credentials belong to
/// (`sts:GetCallerIdentity`).
pub async fn caller_identity(config: &SdkConfig) -> Result<(String, String), String> {
    credentials::identity(config)
        .await
        .map_err(|e| describe(&e))
}

fn describe(e: &AccountError) -> String {
    e.to_string()
}
