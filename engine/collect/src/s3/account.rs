//! The account-level public access block (`s3control`), which overrides
//! every bucket's own.

use serde_json::json;

use crate::account::Shared;
use crate::convert::object;
use crate::gap::Failure;
use crate::part::Part;

/// `s3control:GetPublicAccessBlock` for the account; all `false` when the
/// account has none.
pub(super) async fn account_public_access_block(shared: &Shared, part: &mut Part) {
    let scope = shared.scope.global();
    let mut builder = aws_sdk_s3control::config::Builder::from(&shared.config);
    if let Some(endpoint) = &shared.endpoint {
        // The endpoint rules put "<account>." in front of the host, which an
        // override (emulator, proxy) cannot serve: send it there as is.
        builder = builder.endpoint_resolver(FixedEndpoint(endpoint.clone()));
    }
    let client = aws_sdk_s3control::Client::from_conf(builder.build());
    let account = &shared.scope.account;
    let id = format!(
        "arn:{}:s3::{account}:account-public-access-block",
        shared.scope.partition
    );
    let out = client
        .get_public_access_block()
        .account_id(account)
        .send()
        .await;
    let config = match out {
        Ok(out) => out.public_access_block_configuration().map(|c| {
            (
                c.block_public_acls().unwrap_or(false),
                c.block_public_policy().unwrap_or(false),
                c.ignore_public_acls().unwrap_or(false),
                c.restrict_public_buckets().unwrap_or(false),
            )
        }),
        Err(e) => {
            let f = Failure::of(&e);
            if !f.is(&["NoSuchPublicAccessBlockConfiguration"]) {
                part.gaps.push(f.gap(
                    &scope,
                    "s3:GetAccountPublicAccessBlock",
                    "aws_s3_account_public_access_block",
                    None,
                ));
                return;
            }
            None
        }
    };
    let (acls, policy, ignore, restrict) = config.unwrap_or_default();
    let attrs = json!({
        "account_id": account,
        "block_public_acls": acls,
        "block_public_policy": policy,
        "ignore_public_acls": ignore,
        "restrict_public_buckets": restrict,
    });
    part.resources
        .push(scope.resource("aws_s3_account_public_access_block", id, object(attrs)));
}

#[derive(Debug)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}
