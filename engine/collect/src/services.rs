//! The services an account is read for, in the order they are read.
//!
//! Registering a service is one entry here: a folder `src/<service>/`
//! whose `collect` returns a [`Part`], listed under [`GLOBAL`] when the
//! service is read once per account (IAM, the S3 listing) or under
//! [`REGIONAL`] when it is read in every region. The account collector
//! (`account.rs`) iterates these lists and knows no service by name, so no
//! service module imports another and none needs the account code changed.

use aws_config::SdkConfig;
use futures_util::FutureExt;
use futures_util::future::LocalBoxFuture;

use crate::account::Shared;
use crate::part::{Part, Scope};
use crate::{
    autoscaling, backup, cloudfront, cloudtrail, cloudwatch, config, dynamodb, ec2, ecr, ecs, efs,
    eks, elasticache, elbv2, guardduty, iam, kms, lambda, logs, rds, s3, secretsmanager, sns, sqs,
    ssm, wafv2,
};

/// A service read once per account. Global services run at the same time.
///
/// The futures are not required to be `Send`: the collector runs them on
/// its own runtime with `block_on`, never spawns them.
pub(crate) struct Global {
    /// What the progress display says while it runs.
    pub label: &'static str,
    pub collect: for<'a> fn(&'a Shared) -> LocalBoxFuture<'a, Part>,
}

/// A service read in each region, given that region's SDK configuration
/// and scope. Within a region the services run one after the other: each
/// fans out over its own resources already.
pub(crate) struct Regional {
    pub label: &'static str,
    pub collect: for<'a> fn(&'a Shared, &'a SdkConfig, &'a Scope) -> LocalBoxFuture<'a, Part>,
}

pub(crate) const GLOBAL: &[Global] = &[
    Global {
        label: "IAM",
        collect: |shared| iam::collect(shared).boxed_local(),
    },
    Global {
        label: "S3",
        collect: |shared| s3::collect(shared).boxed_local(),
    },
    Global {
        label: "CloudFront",
        collect: |shared| cloudfront::collect(shared).boxed_local(),
    },
];

pub(crate) const REGIONAL: &[Regional] = &[
    Regional {
        label: "EC2",
        collect: |shared, config, scope| ec2::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "RDS",
        collect: |shared, config, scope| rds::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "CloudTrail",
        collect: |shared, config, scope| cloudtrail::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "AWS Config",
        collect: |shared, sdk, scope| config::collect(shared, sdk, scope).boxed_local(),
    },
    Regional {
        label: "GuardDuty",
        collect: |shared, config, scope| guardduty::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "CloudWatch Logs",
        collect: |shared, config, scope| logs::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "CloudWatch",
        collect: |shared, config, scope| cloudwatch::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "KMS",
        collect: |shared, config, scope| kms::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "Secrets Manager",
        collect: |shared, config, scope| {
            secretsmanager::collect(shared, config, scope).boxed_local()
        },
    },
    Regional {
        label: "SSM Parameter Store",
        collect: |shared, config, scope| ssm::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "ELBv2",
        collect: |shared, config, scope| elbv2::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "WAFv2",
        collect: |shared, config, scope| wafv2::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "ECS",
        collect: |shared, config, scope| ecs::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "ECR",
        collect: |shared, config, scope| ecr::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "Lambda",
        collect: |shared, config, scope| lambda::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "SNS",
        collect: |shared, config, scope| sns::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "SQS",
        collect: |shared, config, scope| sqs::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "DynamoDB",
        collect: |shared, config, scope| dynamodb::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "ElastiCache",
        collect: |shared, config, scope| elasticache::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "EFS",
        collect: |shared, config, scope| efs::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "Auto Scaling",
        collect: |shared, config, scope| autoscaling::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "EKS",
        collect: |shared, config, scope| eks::collect(shared, config, scope).boxed_local(),
    },
    Regional {
        label: "AWS Backup",
        collect: |shared, config, scope| backup::collect(shared, config, scope).boxed_local(),
    },
];

/// The progress step shown while the global services run ("IAM, S3 and
/// CloudFront").
pub(crate) fn global_step() -> String {
    let labels: Vec<&str> = GLOBAL.iter().map(|s| s.label).collect();
    match labels.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}
