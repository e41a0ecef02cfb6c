//! The resource kinds pillar's sources produce, named after the Terraform
//! AWS provider's resource types. `docs/resource-model/<service>.md`
//! documents each kind's attributes. Packs may declare kinds not listed
//! here; they simply receive nothing until a source produces them.

/// Every kind a pillar source produces, with a one-line description.
pub const KNOWN: &[(&str, &str)] = &[
    ("aws_vpc", "A VPC with its CIDR blocks."),
    ("aws_subnet", "A subnet of a VPC."),
    (
        "aws_security_group",
        "A security group with its ingress and egress rules inline.",
    ),
    (
        "aws_instance",
        "An EC2 instance, with its user data decoded.",
    ),
    (
        "aws_launch_template",
        "A launch template (default version), with its user data decoded.",
    ),
    (
        "aws_db_instance",
        "An RDS DB instance, with its cross-region backup replications.",
    ),
    ("aws_rds_cluster", "An Aurora or Multi-AZ DB cluster."),
    (
        "aws_cloudfront_distribution",
        "A CloudFront distribution with its origins, cache behaviours, certificate and logging.",
    ),
    (
        "aws_s3_bucket",
        "An S3 bucket with its encryption, versioning and public access block.",
    ),
    (
        "aws_iam_user",
        "An IAM user with console access, MFA devices and access keys.",
    ),
    ("aws_ebs_volume", "An EBS volume, with its attachments."),
    (
        "aws_ebs_snapshot",
        "An EBS snapshot owned by the account, with whether it is public.",
    ),
    (
        "aws_ebs_encryption_by_default",
        "Whether EBS encryption by default is on, per account and region.",
    ),
    ("aws_eip", "An Elastic IP address and its association."),
    (
        "aws_route_table",
        "A route table with its routes and subnet associations.",
    ),
    ("aws_internet_gateway", "An internet gateway and its VPC."),
    (
        "aws_network_acl",
        "A network ACL with its entries inline and its subnets.",
    ),
    (
        "aws_default_network_acl",
        "A VPC's default network ACL with its entries inline and its subnets.",
    ),
    ("aws_db_subnet_group", "An RDS DB subnet group."),
    (
        "aws_lb",
        "An application, network or gateway load balancer with its attributes and web ACL.",
    ),
    (
        "aws_lb_listener",
        "A load balancer listener with its default actions.",
    ),
    (
        "aws_cloudtrail",
        "A CloudTrail trail in its home region, with whether it is logging.",
    ),
    (
        "aws_cloudtrail_region",
        "Which trails record a region's events, per account and region (live only).",
    ),
    (
        "aws_cloudwatch_log_group",
        "A CloudWatch Logs log group with its retention and KMS key.",
    ),
    (
        "aws_cloudwatch_log_metric_filter",
        "A CloudWatch Logs metric filter: the pattern that turns a log group's events into a metric.",
    ),
    (
        "aws_cloudwatch_metric_alarm",
        "A CloudWatch metric alarm: the metric it watches and whom it notifies.",
    ),
    (
        "aws_config_configuration_recorder",
        "An AWS Config recorder: what it records and whether it is recording.",
    ),
    (
        "aws_config_region",
        "Which Config recorders a region has, per account and region (live only).",
    ),
    (
        "aws_guardduty_detector",
        "A GuardDuty detector and whether it is enabled.",
    ),
    (
        "aws_guardduty_region",
        "Which GuardDuty detectors a region has, per account and region (live only).",
    ),
    (
        "aws_kms_key",
        "A KMS key with its state, rotation, key policy and the resources that use it.",
    ),
    (
        "aws_lambda_function",
        "A Lambda function with its environment, resource policy, function URL and asynchronous invocation settings.",
    ),
    (
        "aws_secretsmanager_secret",
        "A Secrets Manager secret's metadata: rotation, last use, KMS key (never its value).",
    ),
    (
        "aws_sns_topic",
        "An SNS topic with its encryption key and access policy.",
    ),
    (
        "aws_sqs_queue",
        "An SQS queue with its encryption, access policy and redrive policy.",
    ),
    (
        "aws_ssm_parameter",
        "An SSM Parameter Store parameter's name, type and key (never its value).",
    ),
    (
        "aws_wafv2_web_acl",
        "A WAFv2 web ACL with its rules and logging configuration.",
    ),
    (
        "aws_s3_account_public_access_block",
        "The account-level S3 public access block.",
    ),
    (
        "aws_iam_group",
        "An IAM group with its policies and members.",
    ),
    (
        "aws_iam_role",
        "An IAM role with its trust policy and policies.",
    ),
    (
        "aws_iam_policy",
        "A customer-managed IAM policy with its attachments.",
    ),
    (
        "aws_iam_account_password_policy",
        "The account's IAM password policy.",
    ),
    (
        "aws_iam_account_summary",
        "The root user's MFA and access keys (live accounts only).",
    ),
    (
        "aws_ecr_repository",
        "An ECR repository with its scanning, tag mutability, encryption, policy and lifecycle policy.",
    ),
    (
        "aws_ecs_cluster",
        "An ECS cluster with its settings (Container Insights) and configuration.",
    ),
    (
        "aws_ecs_service",
        "An ECS service with its task count, launch type, network configuration and load balancers.",
    ),
    (
        "aws_ecs_task_definition",
        "An ECS task definition (a family's latest ACTIVE revision live) with its container definitions.",
    ),
    (
        "aws_dynamodb_table",
        "A DynamoDB table with its point-in-time recovery, encryption key, deletion protection and replicas.",
    ),
    (
        "aws_elasticache_replication_group",
        "An ElastiCache (Redis OSS or Valkey) replication group with its encryption, failover, AUTH and backups.",
    ),
    (
        "aws_elasticache_cluster",
        "An ElastiCache cache cluster (Memcached, standalone Redis, or a replication group's member).",
    ),
    (
        "aws_efs_file_system",
        "An EFS file system with its encryption, One Zone placement, backup policy and file system policy.",
    ),
    (
        "aws_autoscaling_group",
        "An Auto Scaling group: zones, subnets, load balancing, health checks and what it launches.",
    ),
    (
        "aws_launch_configuration",
        "An Auto Scaling launch configuration, with its user data decoded.",
    ),
    (
        "aws_eks_cluster",
        "An EKS cluster: version, endpoint access, control-plane logging and secrets encryption.",
    ),
    (
        "aws_backup_plan",
        "An AWS Backup plan with its rules, copy actions and resource selections.",
    ),
    (
        "aws_backup_vault",
        "An AWS Backup vault with its key, vault lock and access policy.",
    ),
    (
        "aws_db_snapshot",
        "A manual RDS DB snapshot, with the accounts it is shared with.",
    ),
    (
        "aws_db_cluster_snapshot",
        "A manual RDS DB cluster snapshot, with the accounts it is shared with.",
    ),
];

/// True for a kind listed in [`KNOWN`].
pub fn is_known(kind: &str) -> bool {
    KNOWN.iter().any(|(k, _)| *k == kind)
}
