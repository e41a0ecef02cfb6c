//! Terraform plans: every real plan of the shared corpus loads and scans,
//! its SARIF validates, and the verdicts match the expert reading in
//! `../shared/corpus/terraform-plans/NOTES.md` (referenced in place, never
//! copied). The bundled `fixtures/plans/webapp` tree checks `.tf` locations
//! and in-source suppressions end to end.

use std::path::PathBuf;

use serde_json::Value;

use crate::reports::assert_valid_sarif;
use crate::support::{pillar, repo_root};

/// The corpus directory, or `None` (with a message saying so) when the
/// shared folder is not beside the repository.
fn corpus() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/corpus/terraform-plans");
    if dir.join("NOTES.md").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} is absent; the corpus plan tests need ../shared beside the repository",
            dir.display()
        );
        None
    }
}

fn corpus_plans(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    plans.sort();
    plans
}

/// Expected verdicts from NOTES.md (and the plan itself where NOTES is
/// silent), one row per (plan, resource, rule). `pass` means the rule judged
/// the resource (its kind is one the rule declares, and the resource is in
/// the plan) and found nothing; negative controls are rows like that.
/// `unknown` rows are values the plan does not contain: never a violation.
/// A row for a rule that is not loaded fails the test, so the table never
/// claims more than what runs.
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    // regula_modules_sg_vpc: none of the four VPCs has a flow log (NOTES.md).
    (
        "regula_modules_sg_vpc.json",
        "aws_vpc.parent",
        "PILLAR-VPC-004",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.aws_vpc.child",
        "PILLAR-VPC-004",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_vpc.grandchild",
        "PILLAR-VPC-004",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_vpc.child",
        "PILLAR-VPC-004",
        "fail",
    ),
    // checkov_terragoat: SSH from the internet on web-node; the group whose
    // address is `default` is an ordinary group (its name is not `default`)
    // admitting MySQL from a private range. The DB is unencrypted, public,
    // without backups, Multi-AZ, deletion protection or Performance Insights,
    // with the password a variable default in code. Buckets: no SSE (but
    // `logs`), no public access blocks, no TLS-only policy, `data` public-read,
    // versioning only on operations, data_science and logs. web_host's user data
    // literal holds an access key (no endpoint); db_app's is built at apply.
    // Root volume, IMDS and EBS `encrypted` are computed: unknown (account
    // defaults may apply). The inline user and role policies grant service
    // wildcards on `*`; user credentials and keys are not in a plan: unknown.
    (
        "checkov_terragoat.json",
        "aws_security_group.web-node",
        "PILLAR-EC2-001",
        "fail",
    ),
    // eks_vpc has no flow log; web_vpc has aws_flow_log.vpcflowlogs, whose
    // vpc_id is known only at apply: the reference is followed (NOTES.md).
    (
        "checkov_terragoat.json",
        "aws_vpc.eks_vpc",
        "PILLAR-VPC-004",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_vpc.web_vpc",
        "PILLAR-VPC-004",
        "pass",
    ),
    // All four subnets set map_public_ip_on_launch = true (NOTES.md).
    (
        "checkov_terragoat.json",
        "aws_subnet.eks_subnet1",
        "PILLAR-VPC-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_subnet.eks_subnet2",
        "PILLAR-VPC-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_subnet.web_subnet",
        "PILLAR-VPC-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_subnet.web_subnet2",
        "PILLAR-VPC-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.web-node",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.web-node",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.web-node",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-S3-005",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-S3-006",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-TAG-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-EC2-013",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-TAG-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.default",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.default",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.default",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_security_group.default",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-002",
        "unknown",
    ),
    // No backup plan in the plan selects it; one outside the plan may.
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-BAK-001",
        "unknown",
    ),
    // IAM database authentication is not set; MySQL 8.0 left RDS standard
    // support on 2026-07-31.
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-013",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-014",
        "fail",
    ),
    // Aurora MySQL 2 (5.7) left Aurora standard support on 2024-10-31.
    (
        "tfc_issue_120.json",
        "aws_rds_cluster.default",
        "PILLAR-RDS-014",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-005",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-006",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-007",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-008",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-009",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_db_instance.default",
        "PILLAR-RDS-010",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-S3-004",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.financials",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.financials",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.financials",
        "PILLAR-S3-004",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.financials",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.flowbucket",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.flowbucket",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.flowbucket",
        "PILLAR-S3-004",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.flowbucket",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.operations",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.operations",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.operations",
        "PILLAR-S3-007",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data_science",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data_science",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.data_science",
        "PILLAR-S3-007",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.logs",
        "PILLAR-S3-001",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.logs",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.logs",
        "PILLAR-S3-004",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_s3_bucket.logs",
        "PILLAR-S3-007",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_ebs_volume.web_host_storage",
        "PILLAR-EC2-009",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_ebs_volume.web_host_storage",
        "PILLAR-EC2-014",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_ebs_snapshot.example_snapshot",
        "PILLAR-EC2-011",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-EC2-007",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.web_host",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.db_app",
        "PILLAR-EC2-003",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.db_app",
        "PILLAR-EC2-007",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_instance.db_app",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_user.user",
        "PILLAR-IAM-001",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_user.user",
        "PILLAR-IAM-004",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_user.user",
        "PILLAR-IAM-005",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_user.user",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_user.user",
        "PILLAR-IAM-007",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_user.user",
        "PILLAR-IAM-008",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_role.ec2role",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_iam_role.ec2role",
        "PILLAR-IAM-007",
        "fail",
    ),
    // checkov_iam_policies: `iam:*` on `*` inline on a user, a role and a group
    // (a whole service; not every action), and the user has a policy of its own.
    // aws_iam_policy.policy_pass (`s3:*` on `*`) is attached to nothing in the
    // plan, so it may be attached outside it: unknown.
    (
        "checkov_iam_policies.json",
        "aws_iam_policy.policy_pass",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_policy.policy_pass",
        "PILLAR-IAM-007",
        "unknown",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_user.fail_3",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_user.fail_3",
        "PILLAR-IAM-007",
        "fail",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_user.fail_3",
        "PILLAR-IAM-008",
        "fail",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_role.example",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_role.example",
        "PILLAR-IAM-007",
        "fail",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_group.fail_2",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "checkov_iam_policies.json",
        "aws_iam_group.fail_2",
        "PILLAR-IAM-007",
        "fail",
    ),
    // checkov_nested_modules_conn: the module bucket is public-read-write with
    // an all-false public access block; the other three have complete blocks;
    // none declares SSE or versioning.
    (
        "checkov_nested_modules_conn.json",
        "module.s3_bucket.aws_s3_bucket.this[0]",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_bucket.aws_s3_bucket.this[0]",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_bucket.aws_s3_bucket.this[0]",
        "PILLAR-S3-004",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_bucket.aws_s3_bucket.this[0]",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "aws_s3_bucket.root_bucket",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "aws_s3_bucket.root_bucket",
        "PILLAR-S3-002",
        "pass",
    ),
    (
        "checkov_nested_modules_conn.json",
        "aws_s3_bucket.root_bucket",
        "PILLAR-S3-004",
        "pass",
    ),
    (
        "checkov_nested_modules_conn.json",
        "aws_s3_bucket.root_bucket",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.aws_s3_bucket.module_bucket",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.aws_s3_bucket.module_bucket",
        "PILLAR-S3-002",
        "pass",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.aws_s3_bucket.module_bucket",
        "PILLAR-S3-004",
        "pass",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.aws_s3_bucket.module_bucket",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.module.s3_submodule.aws_s3_bucket.submodule_bucket",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.module.s3_submodule.aws_s3_bucket.submodule_bucket",
        "PILLAR-S3-002",
        "pass",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.module.s3_submodule.aws_s3_bucket.submodule_bucket",
        "PILLAR-S3-004",
        "pass",
    ),
    (
        "checkov_nested_modules_conn.json",
        "module.s3_module.module.s3_submodule.aws_s3_bucket.submodule_bucket",
        "PILLAR-S3-007",
        "fail",
    ),
    // checkov_sg_for_each: all protocols, all ports, from 0.0.0.0/0, under
    // for_each keys.
    (
        "checkov_sg_for_each.json",
        "module.sg[\"awful_example\"].aws_security_group.bad",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"awful_example\"].aws_security_group.bad",
        "PILLAR-EC2-002",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"awful_example\"].aws_security_group.bad",
        "PILLAR-EC2-005",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"bad_example\"].aws_security_group.bad",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"bad_example\"].aws_security_group.bad",
        "PILLAR-EC2-002",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"bad_example\"].aws_security_group.bad",
        "PILLAR-EC2-005",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"terrible_example\"].aws_security_group.bad",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"terrible_example\"].aws_security_group.bad",
        "PILLAR-EC2-002",
        "fail",
    ),
    (
        "checkov_sg_for_each.json",
        "module.sg[\"terrible_example\"].aws_security_group.bad",
        "PILLAR-EC2-005",
        "fail",
    ),
    // checkov_iam_data_block: the bucket policy comes from a data source read at
    // apply: public access and TLS are unknown, never a failure.
    (
        "checkov_iam_data_block.json",
        "aws_s3_bucket.example",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "checkov_iam_data_block.json",
        "aws_s3_bucket.example",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "checkov_iam_data_block.json",
        "aws_s3_bucket.example",
        "PILLAR-S3-005",
        "unknown",
    ),
    (
        "checkov_iam_data_block.json",
        "aws_s3_bucket.example",
        "PILLAR-S3-006",
        "unknown",
    ),
    (
        "checkov_iam_data_block.json",
        "aws_s3_bucket.example",
        "PILLAR-S3-007",
        "fail",
    ),
    // trivy_plan: port 80 from the internet is none of SSH/RDP, a database or
    // all traffic; the bucket has SSE-S3 and versioning but no public access
    // block.
    (
        "trivy_plan.json",
        "aws_security_group.sg",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_security_group.sg",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_security_group.sg",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_security_group.sg",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_s3_bucket.planbucket",
        "PILLAR-S3-001",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_s3_bucket.planbucket",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "trivy_plan.json",
        "aws_s3_bucket.planbucket",
        "PILLAR-S3-007",
        "pass",
    ),
    (
        "trivy_plan.json",
        "aws_s3_bucket.planbucket",
        "PILLAR-S3-006",
        "fail",
    ),
    (
        "trivy_plan.json",
        "aws_s3_bucket.planbucket",
        "PILLAR-TAG-001",
        "fail",
    ),
    // trivychecks_launch_template: no user data; metadata options computed at
    // apply (account or AMI defaults may require IMDSv2): unknown.
    (
        "trivychecks_launch_template.json",
        "aws_launch_template.this",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_launch_template.this",
        "PILLAR-EC2-004",
        "pass",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_launch_template.this",
        "PILLAR-EC2-007",
        "pass",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_launch_template.this",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_launch_template.this",
        "PILLAR-TAG-001",
        "fail",
    ),
    // regula_sg_ingress_anywhere: only the all-ports group exposes SSH, a
    // database or everything; 442-444, 79-81 and the exact web ports do not.
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_allow_all",
        "PILLAR-EC2-001",
        "fail",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_allow_all",
        "PILLAR-EC2-002",
        "fail",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_allow_all",
        "PILLAR-EC2-005",
        "fail",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_443",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_443",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_443",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_443",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_80",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_80",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_80",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.invalid_include_80",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_443",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_443",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_443",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_443",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_80",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_80",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_80",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_sg_ingress_anywhere.json",
        "aws_security_group.valid_exact_80",
        "PILLAR-EC2-006",
        "pass",
    ),
    // regula_iam_admin_policy: `*` on `*` inline on a group, a role and a user
    // (which also has policies of its own); the Deny policy is not a grant.
    // An admin policy that nothing in the plan attaches may be attached
    // outside it: unknown, never a pass nor a claimed violation.
    (
        "regula_iam_admin_policy.json",
        "aws_iam_policy.invalid_policy",
        "PILLAR-IAM-006",
        "unknown",
    ),
    (
        "regula_iam_admin_policy.json",
        "aws_iam_group.my_group",
        "PILLAR-IAM-006",
        "fail",
    ),
    (
        "regula_iam_admin_policy.json",
        "aws_iam_role.my_test_role",
        "PILLAR-IAM-006",
        "fail",
    ),
    (
        "regula_iam_admin_policy.json",
        "aws_iam_user.my_test_user",
        "PILLAR-IAM-006",
        "fail",
    ),
    (
        "regula_iam_admin_policy.json",
        "aws_iam_user.my_test_user",
        "PILLAR-IAM-008",
        "fail",
    ),
    (
        "regula_iam_admin_policy.json",
        "aws_iam_policy.valid_deny_policy",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "regula_iam_admin_policy.json",
        "aws_iam_policy.valid_deny_policy",
        "PILLAR-IAM-007",
        "pass",
    ),
    // regula_ebs_encrypted: `encrypted=false` fails; not configured is unknown
    // (account default encryption); no attachment in a plan is unknown, never a
    // failure.
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.bad",
        "PILLAR-EC2-009",
        "fail",
    ),
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.bad",
        "PILLAR-EC2-014",
        "unknown",
    ),
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.missing",
        "PILLAR-EC2-009",
        "unknown",
    ),
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.missing",
        "PILLAR-EC2-014",
        "unknown",
    ),
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.good",
        "PILLAR-EC2-009",
        "pass",
    ),
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.good",
        "PILLAR-EC2-014",
        "unknown",
    ),
    (
        "regula_ebs_encrypted.json",
        "aws_ebs_volume.bad",
        "PILLAR-TAG-001",
        "fail",
    ),
    // regula_s3_sse: inline SSE (AES256, aws:kms) passes, `[]` fails; no public
    // access block or versioning on any.
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.unencrypted",
        "PILLAR-S3-001",
        "fail",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.unencrypted",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.unencrypted",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.aes_encrypted",
        "PILLAR-S3-001",
        "pass",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.aes_encrypted",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.aes_encrypted",
        "PILLAR-S3-007",
        "fail",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.kms_encrypted",
        "PILLAR-S3-001",
        "pass",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.kms_encrypted",
        "PILLAR-S3-002",
        "fail",
    ),
    (
        "regula_s3_sse.json",
        "aws_s3_bucket.kms_encrypted",
        "PILLAR-S3-007",
        "fail",
    ),
    // regula_modules_sg_vpc: groups with no rules through nested modules
    // (computed names: not default groups); the four VPCs of one provider share
    // 10.0.0.0/16.
    (
        "regula_modules_sg_vpc.json",
        "aws_security_group.parent",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "aws_security_group.parent",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "aws_security_group.parent",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "aws_security_group.parent",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_security_group.grandchild",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_security_group.grandchild",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_security_group.grandchild",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_security_group.grandchild",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_security_group.child",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_security_group.child",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_security_group.child",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_security_group.child",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "regula_modules_sg_vpc.json",
        "aws_vpc.parent",
        "PILLAR-VPC-001",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.aws_vpc.child",
        "PILLAR-VPC-001",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child1.module.grandchild1.aws_vpc.grandchild",
        "PILLAR-VPC-001",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "module.child2.aws_vpc.child",
        "PILLAR-VPC-001",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "aws_vpc.parent",
        "PILLAR-TAG-001",
        "fail",
    ),
    (
        "regula_modules_sg_vpc.json",
        "aws_vpc.parent",
        "PILLAR-TAG-002",
        "pass",
    ),
    // tfc_db_instance_401: public, unencrypted, literal password; retention and
    // Multi-AZ computed: unknown.
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-003",
        "fail",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-006",
        "fail",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-007",
        "unknown",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-008",
        "unknown",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-009",
        "fail",
    ),
    (
        "tfc_db_instance_401.json",
        "aws_db_instance.default",
        "PILLAR-RDS-010",
        "fail",
    ),
    // tfc_rds_cluster_438 and tfc_issue_120: unencrypted clusters with literal
    // master passwords; 1 and 5 days of backups are under the default minimum of
    // 7 (min_retention_days; NOTES calls 5 acceptable).
    (
        "tfc_rds_cluster_438.json",
        "aws_rds_cluster.db_cluster",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "tfc_rds_cluster_438.json",
        "aws_rds_cluster.db_cluster",
        "PILLAR-RDS-006",
        "fail",
    ),
    (
        "tfc_rds_cluster_438.json",
        "aws_rds_cluster.db_cluster",
        "PILLAR-RDS-008",
        "fail",
    ),
    (
        "tfc_rds_cluster_438.json",
        "aws_rds_cluster.db_cluster",
        "PILLAR-RDS-009",
        "fail",
    ),
    (
        "tfc_issue_120.json",
        "aws_rds_cluster.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "tfc_issue_120.json",
        "aws_rds_cluster.default",
        "PILLAR-RDS-006",
        "fail",
    ),
    (
        "tfc_issue_120.json",
        "aws_rds_cluster.default",
        "PILLAR-RDS-008",
        "fail",
    ),
    (
        "tfc_issue_120.json",
        "aws_rds_cluster.default",
        "PILLAR-RDS-009",
        "fail",
    ),
    // KMS keys (NOTES.md): rotation off on terragoat's logs_key, regula's
    // `invalid` and `blank-invalid` and regula_s3_sse's key; the keys'
    // policies are undeclared, so AWS's default key policy (not public).
    (
        "checkov_terragoat.json",
        "aws_kms_key.logs_key",
        "PILLAR-KMS-001",
        "fail",
    ),
    (
        "regula_kms_rotation.json",
        "aws_kms_key.invalid",
        "PILLAR-KMS-001",
        "fail",
    ),
    (
        "regula_kms_rotation.json",
        "aws_kms_key.blank-invalid",
        "PILLAR-KMS-001",
        "fail",
    ),
    (
        "regula_kms_rotation.json",
        "aws_kms_key.valid",
        "PILLAR-KMS-001",
        "pass",
    ),
    (
        "regula_kms_rotation.json",
        "aws_kms_key.valid",
        "PILLAR-KMS-002",
        "pass",
    ),
    (
        "regula_s3_sse.json",
        "aws_kms_key.key",
        "PILLAR-KMS-001",
        "fail",
    ),
    // tfc_sg_modules_249's internal ALB (root and module.alb, under the
    // older `aws_alb` names; own reading, NOTES.md lists no ALB finding): its
    // HTTPS listener uses ELBSecurityPolicy-2016-08, which accepts TLS 1.0,
    // deletion protection is off; access logs are on, it is internal (no WAF
    // needed), in two subnets. The provider (TF 0.12 era) predates
    // `drop_invalid_header_fields`: unknown, not AWS's default.
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb_listener.alb",
        "PILLAR-ELB-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb_listener.alb",
        "PILLAR-ELB-002",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb.alb",
        "PILLAR-ELB-003",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb.alb",
        "PILLAR-ELB-004",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb.alb",
        "PILLAR-ELB-005",
        "unknown",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb.alb",
        "PILLAR-ELB-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_alb.alb",
        "PILLAR-ELB-007",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_alb_listener.alb",
        "PILLAR-ELB-002",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_alb.alb",
        "PILLAR-ELB-004",
        "fail",
    ),
    // tfc_sg_modules_249: negative control, no ingress from the internet (SSH
    // only from 10.0.0.0/8, also through a joined aws_security_group_rule); two
    // roles' inline policies grant service wildcards on `*`.
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_security_group.sg_asg",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_security_group.sg_asg",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_security_group.sg_asg",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_security_group.sg_asg",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_security_group.alb",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_security_group.alb",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_security_group.alb",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.alb.aws_security_group.alb",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_security_group.lambda_sg",
        "PILLAR-EC2-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_security_group.lambda_sg",
        "PILLAR-EC2-002",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_security_group.lambda_sg",
        "PILLAR-EC2-005",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_security_group.lambda_sg",
        "PILLAR-EC2-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_iam_role.lambda_role",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_iam_role.lambda_role",
        "PILLAR-IAM-007",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_iam_role.instance_role",
        "PILLAR-IAM-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_iam_role.instance_role",
        "PILLAR-IAM-007",
        "fail",
    ),
    // infracost_v014: existing instances allow IMDSv1, new ones leave it to
    // apply (unknown); new instances will run, so they are not long stopped.
    // Both module DBs are unencrypted; db_1 has no backups; the password reaches
    // them through a module local, which a plan does not contain: unknown.
    (
        "infracost_v014.json",
        "aws_instance.instance_1",
        "PILLAR-EC2-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_1",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_1",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_counted[0]",
        "PILLAR-EC2-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_counted[0]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_counted[0]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.1\"]",
        "PILLAR-EC2-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.1\"]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.1\"]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_1",
        "PILLAR-EC2-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_1",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_1",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[0]",
        "PILLAR-EC2-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[0]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[0]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_named[\"test.1\"]",
        "PILLAR-EC2-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_named[\"test.1\"]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_named[\"test.1\"]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_2",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_2",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_2",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_counted[1]",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_counted[1]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_counted[1]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.2\"]",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.2\"]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "aws_instance.instance_named[\"test.2\"]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_2",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_2",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_2",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[1]",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[1]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_counted[1]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_named[\"test.2\"]",
        "PILLAR-EC2-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_named[\"test.2\"]",
        "PILLAR-EC2-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.instances.aws_instance.module_instance_named[\"test.2\"]",
        "PILLAR-EC2-016",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-002",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-006",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-007",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-008",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_1.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-009",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-003",
        "pass",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-006",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-008",
        "unknown",
    ),
    (
        "infracost_v014.json",
        "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
        "PILLAR-RDS-009",
        "fail",
    ),
    // policyengine_sensitive_db: unencrypted, literal password (sensitive in the
    // plan, but a literal in code); not public.
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-001",
        "fail",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-002",
        "unknown",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-003",
        "pass",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-006",
        "fail",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-007",
        "unknown",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-008",
        "unknown",
    ),
    (
        "policyengine_sensitive_db.json",
        "aws_db_instance.default",
        "PILLAR-RDS-009",
        "fail",
    ),
    // checkov_terragoat: the repository is MUTABLE without scan-on-push
    // (NOTES.md); it also has AWS's AES256 default, no lifecycle policy and
    // no repository policy.
    (
        "checkov_terragoat.json",
        "aws_ecr_repository.repository",
        "PILLAR-ECR-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_ecr_repository.repository",
        "PILLAR-ECR-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_ecr_repository.repository",
        "PILLAR-ECR-003",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_ecr_repository.repository",
        "PILLAR-ECR-004",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_ecr_repository.repository",
        "PILLAR-ECR-005",
        "fail",
    ),
    // Lambda (NOTES.md: terragoat's analysis_lambda hard-codes access_key
    // and secret_key; the reader removes secret_key, access_key's key id
    // fails; tfc's DB_PASSWORD is its own name, a placeholder).
    // Neither has a permission, a URL, a dead-letter queue or an on-failure
    // destination; tracing is left to Lambda's default (PassThrough) on
    // terragoat and PassThrough in tfc's state; nodejs12.x and python3.7
    // are deprecated.
    (
        "checkov_terragoat.json",
        "aws_lambda_function.analysis_lambda",
        "PILLAR-LMB-001",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_lambda_function.analysis_lambda",
        "PILLAR-LMB-002",
        "pass",
    ),
    (
        "checkov_terragoat.json",
        "aws_lambda_function.analysis_lambda",
        "PILLAR-LMB-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_lambda_function.analysis_lambda",
        "PILLAR-LMB-004",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_lambda_function.analysis_lambda",
        "PILLAR-LMB-005",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_lambda_function.analysis_lambda",
        "PILLAR-LMB-006",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.lambda_TFUpgradeTest.aws_lambda_function.lambda",
        "PILLAR-LMB-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.lambda_TFUpgradeTest.aws_lambda_function.lambda",
        "PILLAR-LMB-002",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.lambda_TFUpgradeTest.aws_lambda_function.lambda",
        "PILLAR-LMB-003",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.lambda_TFUpgradeTest.aws_lambda_function.lambda",
        "PILLAR-LMB-004",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.lambda_TFUpgradeTest.aws_lambda_function.lambda",
        "PILLAR-LMB-005",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.lambda_TFUpgradeTest.aws_lambda_function.lambda",
        "PILLAR-LMB-006",
        "fail",
    ),
    // The same function as the prior state lists it (no module address).
    (
        "tfc_sg_modules_249.json",
        "aws_lambda_function.lambda",
        "PILLAR-LMB-001",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_lambda_function.lambda",
        "PILLAR-LMB-002",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_lambda_function.lambda",
        "PILLAR-LMB-003",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_lambda_function.lambda",
        "PILLAR-LMB-004",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_lambda_function.lambda",
        "PILLAR-LMB-005",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "aws_lambda_function.lambda",
        "PILLAR-LMB-006",
        "fail",
    ),
    // Auto Scaling and EKS (NOTES.md). terragoat's cluster: public endpoint
    // (CIDRs undeclared: AWS's 0.0.0.0/0), no control-plane logs, no secrets
    // encryption, version computed (unknown), private endpoint on.
    // trivychecks' group: one listed zone, no load balancer, a launch
    // template. tfc's group: behind a target group with EC2 health checks,
    // subnets not in the plan (zones unknown), its launch configuration
    // created in the same apply (name unknown); that configuration has no
    // metadata_options (IMDSv1), no public IP, no declared volumes, and user
    // data from a variable (only its hash is in the plan: unknown).
    (
        "checkov_terragoat.json",
        "aws_eks_cluster.eks_cluster",
        "PILLAR-EKS-001",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_eks_cluster.eks_cluster",
        "PILLAR-EKS-002",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_eks_cluster.eks_cluster",
        "PILLAR-EKS-003",
        "fail",
    ),
    (
        "checkov_terragoat.json",
        "aws_eks_cluster.eks_cluster",
        "PILLAR-EKS-004",
        "unknown",
    ),
    (
        "checkov_terragoat.json",
        "aws_eks_cluster.eks_cluster",
        "PILLAR-EKS-005",
        "pass",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_autoscaling_group.this",
        "PILLAR-ASG-001",
        "fail",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_autoscaling_group.this",
        "PILLAR-ASG-002",
        "pass",
    ),
    (
        "trivychecks_launch_template.json",
        "aws_autoscaling_group.this",
        "PILLAR-ASG-005",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_autoscaling_group.asg",
        "PILLAR-ASG-001",
        "unknown",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_autoscaling_group.asg",
        "PILLAR-ASG-002",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_autoscaling_group.asg",
        "PILLAR-ASG-005",
        "unknown",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_launch_configuration.lc",
        "PILLAR-ASG-003",
        "fail",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_launch_configuration.lc",
        "PILLAR-ASG-004",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_launch_configuration.lc",
        "PILLAR-ASG-006",
        "pass",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_launch_configuration.lc",
        "PILLAR-EC2-003",
        "unknown",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_launch_configuration.lc",
        "PILLAR-EC2-004",
        "unknown",
    ),
    (
        "tfc_sg_modules_249.json",
        "module.myapp-asg.aws_launch_configuration.lc",
        "PILLAR-EC2-007",
        "unknown",
    ),
];

/// Every failing finding of each plan, counted per rule: with the table
/// above, a new failure anywhere (a false positive) shows up here. Plans not
/// listed must have no failing finding at all: the destroy-only plan (no
/// finding on deleted resources) and the negative controls.
const FAILING: &[(&str, &[(&str, usize)])] = &[
    (
        "checkov_iam_data_block.json",
        &[
            ("PILLAR-S3-001", 1),
            ("PILLAR-S3-002", 1),
            ("PILLAR-S3-007", 1),
            ("PILLAR-TAG-001", 1),
        ],
    ),
    (
        "checkov_iam_policies.json",
        &[("PILLAR-IAM-007", 3), ("PILLAR-IAM-008", 1)],
    ),
    (
        "checkov_nested_modules_conn.json",
        &[
            ("PILLAR-S3-001", 4),
            ("PILLAR-S3-002", 1),
            ("PILLAR-S3-004", 1),
            ("PILLAR-S3-006", 4),
            ("PILLAR-S3-007", 4),
            ("PILLAR-TAG-001", 4),
        ],
    ),
    (
        "checkov_sg_for_each.json",
        &[
            ("PILLAR-EC2-001", 3),
            ("PILLAR-EC2-002", 3),
            ("PILLAR-EC2-005", 3),
        ],
    ),
    (
        "checkov_terragoat.json",
        &[
            ("PILLAR-EC2-001", 1),
            ("PILLAR-EC2-007", 1),
            ("PILLAR-ECR-001", 1),
            ("PILLAR-ECR-002", 1),
            ("PILLAR-ECR-004", 1),
            ("PILLAR-ECR-005", 1),
            ("PILLAR-EKS-001", 1),
            ("PILLAR-EKS-002", 1),
            ("PILLAR-EKS-003", 1),
            ("PILLAR-IAM-007", 2),
            ("PILLAR-IAM-008", 1),
            ("PILLAR-KMS-001", 1),
            ("PILLAR-LMB-003", 1),
            ("PILLAR-LMB-004", 1),
            ("PILLAR-LMB-005", 1),
            ("PILLAR-LMB-006", 1),
            ("PILLAR-RDS-001", 1),
            ("PILLAR-RDS-003", 1),
            ("PILLAR-RDS-006", 1),
            ("PILLAR-RDS-007", 1),
            ("PILLAR-RDS-008", 1),
            ("PILLAR-RDS-009", 1),
            ("PILLAR-RDS-010", 1),
            ("PILLAR-RDS-013", 1),
            ("PILLAR-RDS-014", 1),
            ("PILLAR-S3-001", 5),
            ("PILLAR-S3-002", 6),
            ("PILLAR-S3-004", 1),
            ("PILLAR-S3-006", 6),
            ("PILLAR-S3-007", 3),
            ("PILLAR-TAG-001", 17),
            ("PILLAR-VPC-003", 4),
            ("PILLAR-VPC-004", 1),
        ],
    ),
    (
        "infracost_v014.json",
        &[
            ("PILLAR-EC2-008", 6),
            ("PILLAR-RDS-001", 2),
            ("PILLAR-RDS-007", 2),
            ("PILLAR-RDS-008", 1),
            ("PILLAR-RDS-009", 2),
            ("PILLAR-RDS-010", 2),
            ("PILLAR-RDS-014", 2),
            ("PILLAR-TAG-001", 14),
        ],
    ),
    (
        "policyengine_sensitive_db.json",
        &[
            ("PILLAR-RDS-001", 1),
            ("PILLAR-RDS-006", 1),
            ("PILLAR-RDS-009", 1),
            ("PILLAR-RDS-010", 1),
            ("PILLAR-RDS-013", 1),
            ("PILLAR-RDS-014", 1),
            ("PILLAR-TAG-001", 1),
        ],
    ),
    (
        "regula_ebs_encrypted.json",
        &[("PILLAR-EC2-009", 1), ("PILLAR-TAG-001", 3)],
    ),
    (
        "regula_iam_admin_policy.json",
        &[("PILLAR-IAM-006", 3), ("PILLAR-IAM-008", 1)],
    ),
    ("regula_kms_rotation.json", &[("PILLAR-KMS-001", 2)]),
    (
        "regula_modules_sg_vpc.json",
        &[
            ("PILLAR-TAG-001", 4),
            ("PILLAR-VPC-001", 4),
            ("PILLAR-VPC-004", 4),
        ],
    ),
    (
        "regula_s3_sse.json",
        &[
            ("PILLAR-KMS-001", 1),
            ("PILLAR-S3-001", 1),
            ("PILLAR-S3-002", 3),
            ("PILLAR-S3-006", 3),
            ("PILLAR-S3-007", 3),
            ("PILLAR-TAG-001", 3),
        ],
    ),
    (
        "regula_sg_ingress_anywhere.json",
        &[
            ("PILLAR-EC2-001", 1),
            ("PILLAR-EC2-002", 1),
            ("PILLAR-EC2-005", 1),
        ],
    ),
    (
        "tfc_db_instance_401.json",
        &[
            ("PILLAR-RDS-001", 1),
            ("PILLAR-RDS-003", 1),
            ("PILLAR-RDS-006", 1),
            ("PILLAR-RDS-009", 1),
            ("PILLAR-RDS-010", 1),
            ("PILLAR-RDS-013", 1),
            ("PILLAR-RDS-014", 1),
            ("PILLAR-TAG-001", 1),
        ],
    ),
    (
        "tfc_issue_120.json",
        &[
            ("PILLAR-RDS-001", 1),
            ("PILLAR-RDS-006", 1),
            ("PILLAR-RDS-008", 1),
            ("PILLAR-RDS-009", 1),
            ("PILLAR-RDS-013", 1),
            ("PILLAR-RDS-014", 1),
            ("PILLAR-TAG-001", 1),
        ],
    ),
    (
        "tfc_rds_cluster_438.json",
        &[
            ("PILLAR-RDS-001", 1),
            ("PILLAR-RDS-006", 1),
            ("PILLAR-RDS-008", 1),
            ("PILLAR-RDS-009", 1),
            ("PILLAR-RDS-013", 1),
            ("PILLAR-TAG-001", 1),
        ],
    ),
    (
        "tfc_sg_modules_249.json",
        &[
            ("PILLAR-ASG-002", 1),
            ("PILLAR-ASG-003", 1),
            ("PILLAR-ELB-002", 2),
            ("PILLAR-ELB-004", 2),
            ("PILLAR-IAM-007", 2),
            ("PILLAR-LMB-004", 2),
            ("PILLAR-LMB-005", 2),
            ("PILLAR-LMB-006", 2),
        ],
    ),
    (
        "trivy_plan.json",
        &[
            ("PILLAR-S3-002", 1),
            ("PILLAR-S3-006", 1),
            ("PILLAR-TAG-001", 1),
        ],
    ),
    (
        "trivychecks_launch_template.json",
        &[("PILLAR-ASG-001", 1), ("PILLAR-TAG-001", 1)],
    ),
];

#[test]
fn every_corpus_plan_scans_with_valid_sarif() {
    let Some(dir) = corpus() else { return };
    let plans = corpus_plans(&dir);
    assert_eq!(plans.len(), 20, "the corpus has 20 plans");
    for plan in &plans {
        let path = plan.display().to_string();
        let run = pillar(&[
            "scan",
            "--plan",
            &path,
            "--format",
            "sarif",
            "--fail-on",
            "never",
        ]);
        assert!(
            run.code == 0 || run.code == 3,
            "{path}: exit {} (stderr: {})",
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{path}: {}", run.stderr);
        let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
        assert_valid_sarif(&doc);
        let run0 = &doc["runs"][0];
        assert_eq!(run0["automationDetails"]["id"], "pillar/terraform-plan/");
        for res in run0["results"].as_array().expect("results") {
            let logical = &res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"];
            assert!(
                logical.as_str().is_some_and(|a| a.contains("aws_")),
                "{path}: {logical}"
            );
            assert!(res["partialFingerprints"]["pillarFinding/v1"].is_string());
            // No sources for the corpus: the plan file, at the resource's entry.
            let phys = &res["locations"][0]["physicalLocation"];
            let name = plan
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            assert!(
                phys["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(name)),
                "{path}: {phys}"
            );
            assert!(
                phys["region"]["startLine"].as_u64().is_some_and(|l| l >= 1),
                "{path}: {phys}"
            );
        }
    }
}

fn json_report(plan: &str) -> Value {
    let run = pillar(&[
        "scan",
        "--plan",
        plan,
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert!(run.code != 2, "{plan}: {}", run.stderr);
    run.json()
}

/// The kinds each loaded rule declares.
fn rule_kinds(report: &Value) -> std::collections::HashMap<String, Vec<String>> {
    report["packs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["rules"].as_array().into_iter().flatten())
        .filter_map(|r| {
            let kinds = r["resource_kinds"]
                .as_array()?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect();
            Some((r["id"].as_str()?.to_owned(), kinds))
        })
        .collect()
}

/// The verdict of `rule` on `resource`: a finding's verdict, or `pass` when
/// the resource is in the plan's snapshot with a kind the rule judges and
/// the rule said nothing about it; `None` when the rule does not apply.
fn verdict(report: &Value, snapshot: &Value, resource: &str, rule: &str) -> Option<String> {
    let found = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == rule && f["resource"]["id"] == resource)
        .map(|f| f["verdict"].as_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    if found.iter().any(|v| v == "fail") {
        return Some("fail".into());
    }
    if let Some(v) = found.first() {
        return Some(v.clone());
    }
    let kind = snapshot["resources"]
        .as_array()?
        .iter()
        .find(|r| r["id"] == resource)?["kind"]
        .as_str()?
        .to_owned();
    rule_kinds(report)
        .get(rule)?
        .contains(&kind)
        .then(|| "pass".to_owned())
}

/// The snapshot a plan becomes.
fn converted(plan: &str) -> Value {
    let run = pillar(&["plan", "convert", plan]);
    assert_eq!(run.code, 0, "{plan}: {}", run.stderr);
    run.json()
}

#[test]
fn corpus_verdicts_match_the_expert_reading() {
    let Some(dir) = corpus() else { return };
    let mut scans = std::collections::HashMap::new();
    let mut wrong = Vec::new();
    for (file, resource, rule, expected) in EXPECTED {
        let (report, snapshot) = scans.entry(*file).or_insert_with(|| {
            let path = dir.join(file).display().to_string();
            (json_report(&path), converted(&path))
        });
        assert!(
            loaded_rules(report).iter().any(|id| id == rule),
            "{rule} is not a loaded rule; the table row for {file} is stale"
        );
        let got = verdict(report, snapshot, resource, rule);
        if got.as_deref() != Some(*expected) {
            wrong.push(format!(
                "{file} {resource} {rule}: expected {expected}, got {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "verdicts differ from NOTES.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn corpus_failures_are_exactly_the_expected_ones() {
    let Some(dir) = corpus() else { return };
    for plan in corpus_plans(&dir) {
        let name = plan
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let report = json_report(&plan.display().to_string());
        let mut got: std::collections::BTreeMap<String, usize> = Default::default();
        for f in report["findings"].as_array().expect("findings") {
            if f["verdict"] == "fail" {
                *got.entry(f["rule_id"].as_str().unwrap_or("?").to_owned())
                    .or_default() += 1;
            }
        }
        let expected: std::collections::BTreeMap<String, usize> = FAILING
            .iter()
            .find(|(p, _)| *p == name)
            .map(|(_, counts)| counts.iter().map(|(r, n)| ((*r).to_owned(), *n)).collect())
            .unwrap_or_default();
        assert_eq!(
            got, expected,
            "{name}: failing findings per rule differ: {:#}",
            report["findings"]
        );
        assert_eq!(
            report["summary"]["failed"].as_u64(),
            Some(expected.values().sum::<usize>() as u64),
            "{name}"
        );
    }
}

/// Destroy-only plans: nothing is planned, so nothing is judged.
#[test]
fn destroy_only_plans_produce_no_findings() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("tirith_s3_destroy.json").display().to_string();
    let report = json_report(&path);
    assert_eq!(report["findings"], serde_json::json!([]), "{path}");
    assert_eq!(report["resources"], 0, "{path}");
}

/// The core rule: a failing finding never rests on an unknown value.
#[test]
fn no_corpus_violation_rests_on_an_unknown_value() {
    let Some(dir) = corpus() else { return };
    for plan in corpus_plans(&dir) {
        let path = plan.display().to_string();
        let convert = pillar(&["plan", "convert", &path]);
        assert_eq!(convert.code, 0, "{path}: {}", convert.stderr);
        let snapshot = convert.json();
        let report = json_report(&path);
        for f in report["findings"].as_array().expect("findings") {
            if f["verdict"] != "fail" {
                continue;
            }
            let id = &f["resource"]["id"];
            let resource = snapshot["resources"]
                .as_array()
                .expect("resources")
                .iter()
                .find(|r| r["id"] == *id)
                .expect("finding's resource is in the snapshot");
            let evidence = f["evidence"].as_str().unwrap_or("");
            for u in resource["unknown"].as_array().into_iter().flatten() {
                let u = u.as_str().unwrap_or("");
                let covers = u.is_empty()
                    || evidence == u
                    || (evidence.starts_with(u) && evidence[u.len()..].starts_with('/'));
                assert!(
                    !covers,
                    "{path}: {id} fails on {evidence}, which is unknown ({u})"
                );
            }
        }
        // No credential from the plans reaches a snapshot.
        for secret in [
            "Aa1234321Bb",
            "foobarbaz",
            "YourPwdShouldBeLongAndSecure!",
            "\"nothing\"",
            "\"bar\"",
        ] {
            assert!(!convert.stdout.contains(secret), "{path}: {secret} leaked");
        }
    }
}

/// Scans the bundled webapp plan with its sources.
fn webapp_scan(extra: &[&str]) -> crate::support::Run {
    let mut args = vec![
        "scan",
        "--plan",
        "fixtures/plans/webapp/plan.json",
        "--source-dir",
        "fixtures/plans/webapp",
    ];
    args.extend_from_slice(extra);
    pillar(&args)
}

/// The ids of the rules the report's packs declare.
fn loaded_rules(report: &Value) -> Vec<String> {
    report["packs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["rules"].as_array().into_iter().flatten())
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn webapp_findings_point_at_tf_lines_and_honour_suppressions() {
    let run = webapp_scan(&["--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let find = |rule: &str, address: &str| {
        results
            .iter()
            .find(|r| {
                r["ruleId"] == rule
                    && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == address
            })
            .unwrap_or_else(|| panic!("no {rule} result on {address}"))
    };
    let db = find("PILLAR-EC2-002", "module.network.aws_security_group.db");
    let phys = &db["locations"][0]["physicalLocation"];
    assert_eq!(
        phys["artifactLocation"]["uri"],
        "fixtures/plans/webapp/modules/network/main.tf"
    );
    assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(phys["region"]["startLine"], 36);
    assert!(db["suppressions"].is_null());
    assert_eq!(db["properties"]["planAction"], "create");

    let bastion = find(
        "PILLAR-EC2-001",
        "module.network.aws_security_group.bastion",
    );
    assert_eq!(bastion["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        bastion["suppressions"][0]["justification"],
        "bastion, source-restricted by the NACL (OPS-42)"
    );
    assert_eq!(
        bastion["suppressions"][0]["location"]["physicalLocation"]["region"]["startLine"],
        32
    );

    let web = find("PILLAR-EC2-003", "aws_instance.web");
    assert_eq!(
        web["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/plans/webapp/main.tf"
    );

    // Suppressed findings do not count towards --fail-on: at `high`, the
    // suppressed SSH finding on the bastion is left out.
    let json = webapp_scan(&["--format", "json", "--fail-on", "high"]).json();
    assert_eq!(json["summary"]["suppressed"], 2);
    let suppressed: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| !f["suppressed"].is_null())
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(suppressed.len(), 2, "{suppressed:?}");
    // High: the world-open database port on module.network's db group, the
    // unencrypted reports DB and its literal password (PILLAR-RDS-006), plus
    // the suppressed bastion SSH finding.
    let high: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["verdict"] == "fail" && f["severity"] == "high")
        .filter_map(|f| Some((f["rule_id"].as_str()?, f["resource"]["id"].as_str()?)))
        .collect();
    assert_eq!(
        high,
        vec![
            ("PILLAR-RDS-001", "aws_db_instance.reports"),
            ("PILLAR-RDS-006", "aws_db_instance.reports"),
            (
                "PILLAR-EC2-001",
                "module.network.aws_security_group.bastion"
            ),
            ("PILLAR-EC2-002", "module.network.aws_security_group.db"),
        ]
    );
    assert_eq!(json["summary"]["failing_at_threshold"], 3);
    assert_eq!(
        json["summary"]["by_severity"]["high"], 4,
        "the suppressed one is still reported"
    );

    let text = webapp_scan(&[]);
    assert!(
        text.stdout.contains("Plan: 17 to create"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("SUPPRESSED 2 finding(s)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("fixtures/plans/webapp/main.tf:74"),
        "{}",
        text.stdout
    );
}

#[test]
fn without_sources_findings_point_into_the_plan() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = pillar(&[
        "scan",
        "--plan",
        "fixtures/plans/webapp/plan.json",
        "--source-dir",
        &dir.path().display().to_string(),
        "--format",
        "sarif",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("SARIF");
    for r in doc["runs"][0]["results"].as_array().expect("results") {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "fixtures/plans/webapp/plan.json"
        );
        assert!(r["suppressions"].is_null(), "no sources, no suppressions");
    }
}

#[test]
fn not_a_plan_says_what_to_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let zip = dir.path().join("tfplan");
    std::fs::write(&zip, b"PK\x03\x04\x14\x00\x08\x00binary plan").expect("write");
    let run = pillar(&["scan", "--plan", &zip.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("terraform show -json tfplan > plan.json"),
        "{}",
        run.stderr
    );

    let run = pillar(&["scan", "--plan", "fixtures/plans/webapp/main.tf"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Terraform configuration (HCL)"),
        "{}",
        run.stderr
    );

    let truncated = dir.path().join("plan.json");
    let full =
        std::fs::read_to_string(repo_root().join("fixtures/plans/webapp/plan.json")).expect("read");
    std::fs::write(&truncated, &full[..full.len() / 2]).expect("write");
    let run = pillar(&["scan", "--plan", &truncated.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("malformed plan JSON"), "{}", run.stderr);
    assert!(run.stderr.contains("plan.json:"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));

    let run = pillar(&[
        "scan",
        "--plan",
        "fixtures/plans/webapp/plan.json",
        "--snapshot",
        "x.json",
    ]);
    assert_eq!(run.code, 2, "--plan conflicts with --snapshot");
}

/// A plan creating a trail and its bucket: the trail's `s3_bucket_name`
/// (unknown until apply) is resolved through its reference, so PILLAR-CT-007
/// and 008 judge the planned bucket; a trail writing to a bucket outside
/// the plan is unknown, never failed.
#[test]
fn a_plan_judges_the_bucket_its_trail_writes_to() {
    let change = |address: &str, kind: &str, after: Value, unknown: Value| {
        serde_json::json!({"address": address, "mode": "managed", "type": kind,
            "name": address.rsplit('.').next(),
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown}})
    };
    let config = |address: &str, expressions: Value| {
        serde_json::json!({"address": address, "mode": "managed", "provider_config_key": "aws",
            "expressions": expressions})
    };
    let plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [
            change("aws_s3_bucket.trail", "aws_s3_bucket", serde_json::json!({"bucket": "acme-trail"}),
                serde_json::json!({"id": true, "arn": true})),
            change("aws_s3_bucket_acl.trail", "aws_s3_bucket_acl", serde_json::json!({"acl": "public-read"}),
                serde_json::json!({"bucket": true})),
            change("aws_cloudtrail.main", "aws_cloudtrail",
                serde_json::json!({"name": "main", "is_multi_region_trail": true, "enable_log_file_validation": true}),
                serde_json::json!({"s3_bucket_name": true, "arn": true})),
            change("aws_cloudtrail.archive", "aws_cloudtrail",
                serde_json::json!({"name": "archive", "s3_bucket_name": "org-log-archive"}),
                serde_json::json!({"arn": true})),
        ],
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"resources": [
                config("aws_s3_bucket_acl.trail", serde_json::json!({"bucket": {"references": ["aws_s3_bucket.trail.id", "aws_s3_bucket.trail"]}})),
                config("aws_cloudtrail.main", serde_json::json!({"s3_bucket_name": {"references": ["aws_s3_bucket.trail.id", "aws_s3_bucket.trail"]}})),
            ]}
        }
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("plan.json");
    std::fs::write(&file, plan.to_string()).expect("write plan");
    let file = file.to_str().expect("utf-8");
    let report = json_report(file);
    let snapshot = converted(file);
    let got = |resource: &str, rule: &str| verdict(&report, &snapshot, resource, rule);
    assert_eq!(
        got("aws_cloudtrail.main", "PILLAR-CT-007").as_deref(),
        Some("fail")
    );
    assert_eq!(
        got("aws_cloudtrail.main", "PILLAR-CT-008").as_deref(),
        Some("fail")
    );
    assert_eq!(
        got("aws_cloudtrail.archive", "PILLAR-CT-007").as_deref(),
        Some("unknown")
    );
    assert_eq!(
        got("aws_cloudtrail.archive", "PILLAR-CT-008").as_deref(),
        Some("unknown")
    );
    let message = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "PILLAR-CT-007" && f["resource"]["id"] == "aws_cloudtrail.main")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("acme-trail") && message.contains("public-read"),
        "{message}"
    );
}

/// A distribution planned with its web ACL and origin access control in
/// the same apply (fixtures/plans/cloudfront/plan.json): the web ACL's ARN is unknown (PILLAR-CF-003 unknown), the
/// origin access control id is computed from a reference (set, so
/// PILLAR-CF-006 passes although the S3 origin's domain is unknown too),
/// and what the configuration leaves out fails.
#[test]
fn a_planned_distribution_keeps_what_the_apply_computes_unknown() {
    let run = pillar(&[
        "scan",
        "--plan",
        "fixtures/plans/cloudfront/plan.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Vec<(String, String)> = crate::support::verdicts(&run.json())
        .into_iter()
        .filter(|(rule, _, _)| rule.starts_with("PILLAR-CF-"))
        .map(|(rule, id, verdict)| {
            assert_eq!(id, "aws_cloudfront_distribution.site");
            (rule, verdict)
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("PILLAR-CF-001", "fail"),
        ("PILLAR-CF-002", "fail"),
        ("PILLAR-CF-003", "unknown"),
        ("PILLAR-CF-004", "fail"),
        ("PILLAR-CF-008", "fail"),
        ("PILLAR-CF-009", "fail"),
    ]
    .iter()
    .map(|(r, v)| ((*r).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(found, expected);
}

/// A verdict a plan must give: rule id, Terraform address, verdict.
type Verdict = (&'static str, &'static str, &'static str);

/// The DynamoDB, ElastiCache and EFS plan fixtures (fixtures/plans/<svc>/plan.json):
/// each rule's verdicts on them, exactly. DynamoDB: `orders` declares a
/// customer key, `audit` enables KMS without one (aws/dynamodb), `sessions`
/// leaves every block out. ElastiCache: `sessions` takes its AUTH token from
/// a `random_password` (set, though unknown); `cache` declares nothing, and
/// its computed encryption flags stay unknown. EFS: `shared` gets its backup
/// policy and an open file system policy from joins; the One Zone `scratch`
/// has backups on by AWS's default and its encryption left out.
#[test]
fn data_store_plans_join_and_keep_unknowns() {
    let cases: [(&str, &str, &[Verdict]); 3] = [
        (
            "fixtures/plans/dynamodb/plan.json",
            "PILLAR-DDB-",
            &[
                ("PILLAR-DDB-001", "aws_dynamodb_table.sessions", "fail"),
                ("PILLAR-DDB-002", "aws_dynamodb_table.audit", "fail"),
                ("PILLAR-DDB-002", "aws_dynamodb_table.sessions", "fail"),
                ("PILLAR-DDB-003", "aws_dynamodb_table.sessions", "fail"),
            ],
        ),
        (
            "fixtures/plans/elasticache/plan.json",
            "PILLAR-ECH-",
            &[
                (
                    "PILLAR-ECH-001",
                    "aws_elasticache_replication_group.cache",
                    "unknown",
                ),
                (
                    "PILLAR-ECH-002",
                    "aws_elasticache_replication_group.cache",
                    "unknown",
                ),
                (
                    "PILLAR-ECH-003",
                    "aws_elasticache_replication_group.cache",
                    "fail",
                ),
                (
                    "PILLAR-ECH-004",
                    "aws_elasticache_replication_group.cache",
                    "fail",
                ),
                (
                    "PILLAR-ECH-005",
                    "aws_elasticache_replication_group.cache",
                    "fail",
                ),
                (
                    "PILLAR-ECH-006",
                    "aws_elasticache_replication_group.cache",
                    "fail",
                ),
            ],
        ),
        (
            "fixtures/plans/efs/plan.json",
            "PILLAR-EFS-",
            &[
                ("PILLAR-EFS-001", "aws_efs_file_system.scratch", "fail"),
                ("PILLAR-EFS-003", "aws_efs_file_system.shared", "fail"),
                ("PILLAR-EFS-004", "aws_efs_file_system.scratch", "fail"),
            ],
        ),
    ];
    for (path, prefix, expected) in cases {
        let run = pillar(&["scan", "--plan", path, "--format", "json"]);
        assert_eq!(run.code, 1, "{path}: {}", run.stderr);
        let found: Vec<(String, String, String)> = crate::support::verdicts(&run.json())
            .into_iter()
            .filter(|(rule, _, _)| rule.starts_with(prefix))
            .collect();
        let expected: Vec<(String, String, String)> = expected
            .iter()
            .map(|(r, id, v)| ((*r).to_owned(), (*id).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(found, expected, "{path}");
    }
}

/// AWS Backup planned with what it protects (fixtures/plans/backup/plan.json):
/// selections fold onto their plans, the lock and policy onto the vault.
/// The DB instance's selection names its ARN, known only after apply, so
/// its coverage (PILLAR-BAK-001) and PILLAR-RDS-002 are unknown; the
/// volume is selected by type whatever its id. The daily plan copies to a
/// vault created in the same apply (unknown region); the weekly one copies
/// nowhere and keeps 3 days; the main vault's policy is open to anyone.
#[test]
fn planned_backup_selections_join_their_plans_and_keep_unknown_arns_unknown() {
    let run = pillar(&[
        "scan",
        "--plan",
        "fixtures/plans/backup/plan.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let ours = [
        "PILLAR-BAK-",
        "PILLAR-RDS-002",
        "PILLAR-RDS-011",
        "PILLAR-RDS-012",
    ];
    let found: std::collections::BTreeSet<(String, String, String)> =
        crate::support::verdicts(&run.json())
            .into_iter()
            .filter(|(rule, _, _)| ours.iter().any(|p| rule.starts_with(p)))
            .collect();
    let expected: std::collections::BTreeSet<(String, String, String)> = [
        ("PILLAR-BAK-001", "aws_db_instance.orders", "unknown"),
        ("PILLAR-RDS-002", "aws_db_instance.orders", "unknown"),
        ("PILLAR-BAK-002", "aws_backup_plan.daily", "unknown"),
        ("PILLAR-BAK-002", "aws_backup_plan.weekly", "fail"),
        ("PILLAR-BAK-006", "aws_backup_plan.weekly", "fail"),
        ("PILLAR-BAK-004", "aws_backup_vault.dr", "fail"),
        ("PILLAR-BAK-005", "aws_backup_vault.main", "fail"),
        ("PILLAR-BAK-007", "aws_backup_vault.main", "unknown"),
        ("PILLAR-BAK-007", "aws_backup_vault.dr", "fail"),
        ("PILLAR-RDS-011", "aws_db_snapshot.before_migration", "fail"),
        (
            "PILLAR-RDS-012",
            "aws_db_snapshot.before_migration",
            "unknown",
        ),
    ]
    .iter()
    .map(|(r, id, v)| ((*r).to_owned(), (*id).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(found, expected);
}
