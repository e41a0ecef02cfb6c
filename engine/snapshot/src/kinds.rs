//! The resource kinds pillar's sources produce, named after the Terraform
//! AWS provider's resource types. `docs/resource-model.md` documents each
//! kind's attributes. Packs may declare kinds not listed here; they simply
//! receive nothing until a source produces them.

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
        "aws_s3_bucket",
        "An S3 bucket with its encryption, versioning and public access block.",
    ),
    (
        "aws_iam_user",
        "An IAM user with console access, MFA devices and access keys.",
    ),
];

/// True for a kind listed in [`KNOWN`].
pub fn is_known(kind: &str) -> bool {
    KNOWN.iter().any(|(k, _)| *k == kind)
}
