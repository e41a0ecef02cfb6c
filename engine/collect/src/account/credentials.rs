//! Credentials and identity: the SDK configuration of one account (profile
//! or assumed role), and who the credentials turn out to be.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use super::HOME_REGION;
use super::error::AccountError;
use crate::gap::Failure;
use crate::options::{Options, Target};

/// The shared SDK configuration for one account: credentials (profile or
/// assumed role), endpoint, adaptive retry and timeouts.
pub(crate) async fn sdk_config(options: &Options, target: &Target) -> SdkConfig {
    let retry = RetryConfig::adaptive().with_max_attempts(options.max_attempts.max(1));
    let timeouts = TimeoutConfig::builder()
        .operation_timeout(options.operation_timeout)
        .connect_timeout(std::time::Duration::from_secs(10))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry.clone())
        .timeout_config(timeouts.clone());
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(endpoint) = options.endpoint() {
        loader = loader.endpoint_url(endpoint);
    }
    let mut base = loader.load().await;
    if base.region().is_none() {
        base = base.to_builder().region(Region::new(HOME_REGION)).build();
    }
    match &target.role {
        None => base,
        Some(arn) => {
            let mut role = aws_config::sts::AssumeRoleProvider::builder(arn)
                .session_name(&options.session_name)
                .configure(&base);
            if let Some(id) = &target.external_id {
                role = role.external_id(id);
            }
            let provider = role.build().await;
            base.to_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(provider),
                )
                .build()
        }
    }
}

/// Assumes the role once before anything else, so a refusal is recorded
/// as what it is (sts:AssumeRole denied) rather than as the first service
/// call failing for want of credentials. Costs one extra AssumeRole call per
/// account; the clients assume it again and refresh it as it expires.
pub(crate) async fn assume(config: &SdkConfig) -> Result<(), AccountError> {
    use aws_credential_types::provider::ProvideCredentials;
    let Some(provider) = config.credentials_provider() else {
        return Ok(());
    };
    provider
        .provide_credentials()
        .await
        .map(|_| ())
        .map_err(|e| {
            let message = crate::gap::chain(&e);
            let reason = if message.contains("AccessDenied") {
                "access-denied"
            } else if message.contains("Throttl") {
                "throttled"
            } else {
                "error"
            };
            AccountError::AssumeRole { reason, message }
        })
}

/// Who the credentials are (`sts:GetCallerIdentity`): the account id and
/// the partition (`aws`, `aws-cn`, ...) that ARNs are built in.
pub(crate) async fn identity(config: &SdkConfig) -> Result<(String, String), AccountError> {
    let identity = aws_sdk_sts::Client::new(config)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| AccountError::Identity(Failure::of(&e)))?;
    let account = identity.account().unwrap_or_default().to_owned();
    let partition = identity
        .arn()
        .and_then(|arn| arn.split(':').nth(1))
        .unwrap_or("aws")
        .to_owned();
    Ok((account, partition))
}
