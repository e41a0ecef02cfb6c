//! Seeding moto through the real aws-sdk clients.

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_ec2::types as ec2t;
use aws_sdk_s3::types as s3t;
use base64::Engine;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, BoxError>;

/// Runs a seeding future to completion on a private runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}

/// SDK clients for one region of the emulator.
pub struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub rds: aws_sdk_rds::Client,
    pub s3: aws_sdk_s3::Client,
    pub iam: aws_sdk_iam::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub waf: aws_sdk_wafv2::Client,
    pub kms: aws_sdk_kms::Client,
    pub cloudtrail: aws_sdk_cloudtrail::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    pub guardduty: aws_sdk_guardduty::Client,
    pub config: aws_sdk_config::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub cloudfront: aws_sdk_cloudfront::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub sns: aws_sdk_sns::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub elasticache: aws_sdk_elasticache::Client,
    pub efs: aws_sdk_efs::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub eks: aws_sdk_eks::Client,
    pub backup: aws_sdk_backup::Client,
}

pub async fn clients(endpoint: &str, region: &str) -> Clients {
    clients_from(&clients_config(endpoint, region).await)
}

pub(crate) async fn clients_config(endpoint: &str, region: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "testing",
            "testing",
            None,
            None,
            "pillar-test",
        ))
        .load()
        .await
}

fn clients_from(config: &aws_config::SdkConfig) -> Clients {
    let s3 = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(true)
        .build();
    Clients {
        ec2: aws_sdk_ec2::Client::new(config),
        rds: aws_sdk_rds::Client::new(config),
        s3: aws_sdk_s3::Client::from_conf(s3),
        iam: aws_sdk_iam::Client::new(config),
        elb: aws_sdk_elasticloadbalancingv2::Client::new(config),
        waf: aws_sdk_wafv2::Client::new(config),
        kms: aws_sdk_kms::Client::new(config),
        cloudtrail: aws_sdk_cloudtrail::Client::new(config),
        logs: aws_sdk_cloudwatchlogs::Client::new(config),
        secrets: aws_sdk_secretsmanager::Client::new(config),
        guardduty: aws_sdk_guardduty::Client::new(config),
        config: aws_sdk_config::Client::new(config),
        ssm: aws_sdk_ssm::Client::new(config),
        cloudfront: aws_sdk_cloudfront::Client::new(config),
        ecs: aws_sdk_ecs::Client::new(config),
        ecr: aws_sdk_ecr::Client::new(config),
        lambda: aws_sdk_lambda::Client::new(config),
        sns: aws_sdk_sns::Client::new(config),
        sqs: aws_sdk_sqs::Client::new(config),
        dynamodb: aws_sdk_dynamodb::Client::new(config),
        elasticache: aws_sdk_elasticache::Client::new(config),
        efs: aws_sdk_efs::Client::new(config),
        autoscaling: aws_sdk_autoscaling::Client::new(config),
        eks: aws_sdk_eks::Client::new(config),
        backup: aws_sdk_backup::Client::new(config),
    }
}

/// Clients acting in the account of `role_arn`, through sts:AssumeRole.
pub async fn clients_as(endpoint: &str, region: &str, role_arn: &str) -> Clients {
    let base = clients_config(endpoint, region).await;
    let role = aws_config::sts::AssumeRoleProvider::builder(role_arn)
        .session_name("pillar-seed")
        .configure(&base)
        .build()
        .await;
    let config = base
        .to_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(role))
        .build();
    clients_from(&config)
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// User data that hard-codes an RDS endpoint (PILLAR-EC2-003 fails it).
pub const BAD_USER_DATA: &str = "#!/bin/bash\nexport DB_HOST=shop-db.c9akciq32.us-east-1.rds.amazonaws.com\nsystemctl start app\n";
/// Harmless user data.
pub const GOOD_USER_DATA: &str = "#!/bin/bash\necho hello > /tmp/hello\n";

/// What the scenario created, for assertions.
#[derive(Debug, Default)]
pub struct Scenario {
    pub vpc: String,
    pub subnet_a: String,
    pub subnet_b: String,
    pub igw: String,
    pub route_table: String,
    pub sg_open_ssh: String,
    pub sg_open_db: String,
    pub sg_web: String,
    pub instance_bad: String,
    pub instance_good: String,
    pub lt_bad: String,
    pub lt_good: String,
    pub volume_plain: String,
    pub volume_encrypted: String,
    pub snapshot_public: String,
    pub eip: String,
    pub policy_arn: String,
    /// The scenario VPC's default network ACL (AWS's allow-all entries,
    /// still used by subnet_b).
    pub nacl_default: String,
    /// A network ACL admitting SSH from anywhere, used by subnet_a.
    pub nacl_open_ssh: String,
    /// A network ACL admitting HTTPS only, used by no subnet.
    pub nacl_unused: String,
    /// An internet-facing ALB passing every ELBv2 rule, behind acl_good.
    pub lb_good: String,
    /// An internet-facing ALB failing PILLAR-ELB-003 to 006.
    pub lb_bad: String,
    /// An internal network load balancer in one zone (PILLAR-ELB-007).
    pub lb_one_zone: String,
    /// An internal network load balancer in two zones with cross-zone load
    /// balancing off (PILLAR-ELB-009).
    pub lb_nlb_two_zones: String,
    /// lb_bad's HTTP listener forwarding plain HTTP (PILLAR-ELB-001).
    pub listener_plain_http: String,
    /// lb_bad's HTTPS listener on ELBSecurityPolicy-2016-08 (PILLAR-ELB-002).
    pub listener_old_tls: String,
    /// lb_good's listeners: HTTP redirecting to HTTPS, HTTPS on TLS 1.2+.
    pub listeners_good: Vec<String>,
    /// Web ACLs: managed rules and logging; empty and unlogged
    /// (PILLAR-WAF-001, 003); own rules only (PILLAR-WAF-002).
    pub acl_good: String,
    pub acl_empty: String,
    pub acl_own_rules: String,
    /// KMS keys: rotating with the default policy (passes); not rotating
    /// (PILLAR-KMS-001); open to every principal (PILLAR-KMS-002); pending
    /// deletion while volume_on_pending_key uses it (PILLAR-KMS-003).
    pub key_good: String,
    pub key_no_rotation: String,
    pub key_public: String,
    pub key_pending: String,
    pub volume_on_pending_key: String,
    /// A multi-region, validated, KMS-encrypted trail delivering to
    /// log_group_good and logging: passes PILLAR-CT-001 to 006.
    pub trail_good: String,
    /// A single-region trail with none of that, stopped (PILLAR-CT-002 to 006).
    pub trail_weak: String,
    /// Metric filters on log_group_good (trail_good's group) for two CIS
    /// events only: root-user use (PILLAR-CW-003) and CloudTrail changes
    /// (PILLAR-CW-005), with the patterns CIS publishes. The other thirteen
    /// events have none. No alarms: aws-sdk-cloudwatch speaks Smithy
    /// RPC v2 CBOR, which moto 5.1.22 does not (DescribeAlarms is tested
    /// against a recorded response instead).
    pub metric_filters: Vec<String>,
    /// Log groups: a year's retention and a KMS key; neither (PILLAR-LOG-001, 002).
    pub log_group_good: String,
    pub log_group_bare: String,
    /// Secrets: rotating under a customer-managed key (passes); neither
    /// (PILLAR-SM-001, 004). Both are new, so PILLAR-SM-002 and 003 pass:
    /// moto cannot backdate a secret.
    pub secret_good: String,
    pub secret_bare: String,
    /// us-east-1's only GuardDuty detector, suspended (PILLAR-GD-001 on the
    /// region, 002 on the detector).
    pub detector: String,
    /// us-east-1's only Config recorder: a list of types, never started
    /// (PILLAR-CFG-001 on the region, 002 and 003 on the recorder).
    pub recorder: String,
    /// Parameters: a password as a SecureString (passes), one as a String
    /// (PILLAR-SSM-001), and a harmless String.
    pub param_secure: String,
    pub param_plain_secret: String,
    pub param_plain: String,
    /// Distributions: one passing every CloudFront rule moto can show
    /// (it drops origin groups, so PILLAR-CF-009 fails it too), and one
    /// failing PILLAR-CF-001 to 009.
    pub dist_good: String,
    pub dist_bad: String,
    /// ECS clusters: Container Insights on (passes); moto's default,
    /// disabled (PILLAR-ECS-010).
    pub ecs_cluster_good: String,
    pub ecs_cluster_bare: String,
    /// Task definitions (one family each): one passing every container
    /// rule; one privileged, host-networked, rootful, writable, unlogged
    /// container with a password in its environment (PILLAR-ECS-001 to 006).
    pub task_good: String,
    pub task_bad: String,
    /// Services on ecs_cluster_good: two tasks in subnet_a and subnet_b
    /// without public IPs (passes); one task in subnet_a with a public IP
    /// (PILLAR-ECS-007 to 009).
    pub service_good: String,
    pub service_bad: String,
    /// ECR repositories: immutable, scanned, KMS, a lifecycle policy and an
    /// organization-only policy (passes); the defaults with a policy open
    /// to anyone (PILLAR-ECR-001 to 005).
    pub repo_good: String,
    pub repo_bad: String,
    /// Lambda functions (`serverless.rs`): passing every rule; failing
    /// PILLAR-LMB-001 to 006; a container image passing every rule.
    pub fn_good: String,
    pub fn_bad: String,
    pub fn_image: String,
    /// SNS topics: passing; unencrypted and open (PILLAR-SNS-001, 002);
    /// under the AWS-managed key (PILLAR-SNS-003).
    pub topic_good: String,
    pub topic_bad: String,
    pub topic_aws_key: String,
    /// SQS queues (URLs): a dead-letter queue and a queue sending to it
    /// (both pass); unencrypted, open, without a dead-letter queue
    /// (PILLAR-SQS-001 to 003); under the AWS-managed key (PILLAR-SQS-004).
    pub queue_dlq: String,
    pub queue_dlq_arn: String,
    pub queue_good: String,
    pub queue_bad: String,
    pub queue_aws_key: String,
    /// DynamoDB tables (ARNs): point-in-time recovery, a customer-managed
    /// key and deletion protection (passes); none of them, on the AWS-owned
    /// key (PILLAR-DDB-001 to 003).
    pub table_good: String,
    pub table_bad: String,
    /// ElastiCache (ARNs): a Redis replication group passing every rule;
    /// one failing PILLAR-ECH-001 to 006 and 008; a standalone single-node
    /// Redis cluster without backups (PILLAR-ECH-006, 007).
    pub cache_group_good: String,
    pub cache_group_bad: String,
    pub cache_cluster_single: String,
    /// EFS file systems (ARNs): encrypted, backed up, with a policy
    /// admitting mount-target clients only (passes); unencrypted, without
    /// backups, open to anyone (PILLAR-EFS-001 to 003); One Zone
    /// (PILLAR-EFS-004, backups on as AWS sets them for One Zone).
    pub fs_good: String,
    pub fs_bad: String,
    pub fs_one_zone: String,
    /// Launch configurations: IMDSv2, no public IP, encrypted volumes
    /// (passes); none of that, with BAD_USER_DATA (PILLAR-ASG-003, 004,
    /// 006 and PILLAR-EC2-003).
    pub lc_good: String,
    pub lc_bad: String,
    /// Auto Scaling groups with no instances: lt_good in both subnets
    /// behind a target group with ELB health checks (passes); lc_bad in
    /// subnet_a only, behind the target group with EC2 health checks
    /// (PILLAR-ASG-001, 002, 005).
    pub asg_good: String,
    pub asg_bad: String,
    /// EKS clusters: private and public endpoints with the public one
    /// limited, audit logs, secrets under key_good, a supported version
    /// (passes); public to 0.0.0.0/0 only, no logs, no encryption, 1.29
    /// (PILLAR-EKS-001 to 005).
    pub eks_good: String,
    pub eks_bad: String,
}

fn tag(k: &str, v: &str) -> ec2t::Tag {
    ec2t::Tag::builder().key(k).value(v).build()
}

fn name_tags(kind: ec2t::ResourceType, name: &str) -> ec2t::TagSpecification {
    ec2t::TagSpecification::builder()
        .resource_type(kind)
        .tags(tag("Name", name))
        .build()
}

fn ingress(proto: &str, from: i32, to: i32, cidr: &str, description: &str) -> ec2t::IpPermission {
    ec2t::IpPermission::builder()
        .ip_protocol(proto)
        .from_port(from)
        .to_port(to)
        .ip_ranges(
            ec2t::IpRange::builder()
                .cidr_ip(cidr)
                .description(description)
                .build(),
        )
        .build()
}

/// A small account with one violation of each kind pillar knows, next to
/// compliant resources, in us-east-1 (S3 also in eu-west-1 and us-west-2).
pub async fn scenario(endpoint: &str) -> Result<Scenario> {
    let c = clients(endpoint, "us-east-1").await;
    let mut s = Scenario::default();
    network(&c, &mut s).await?;
    network_acls(&c, &mut s).await?;
    web_acls(&c, &mut s).await?;
    load_balancers(&c, &mut s).await?;
    keys(&c, &mut s).await?;
    compute(&c, &mut s).await?;
    databases(&c, &s).await?;
    buckets(endpoint).await?;
    trails_and_log_groups(&c, &mut s).await?;
    secrets(&c, &mut s).await?;
    detection(&c, &mut s).await?;
    parameters(&c, &mut s).await?;
    distributions(&c, &mut s).await?;
    identities(&c, &mut s).await?;
    containers(&c, &mut s).await?;
    repositories(&c, &mut s).await?;
    crate::serverless::queues(&c, &mut s).await?;
    crate::serverless::topics(&c, &mut s).await?;
    crate::serverless::functions(&c, &mut s).await?;
    tables(&c, &mut s).await?;
    caches(&c, &mut s).await?;
    file_systems(&c, &mut s).await?;
    auto_scaling(&c, &mut s).await?;
    clusters(&c, &mut s).await?;
    Ok(s)
}

/// PILLAR-VPC-005 to 008: an ACL admitting SSH from anywhere replaces the
/// default one on subnet_a, an HTTPS-only ACL is left unused, and subnet_b
/// stays on the VPC's default ACL as AWS made it.
async fn network_acls(c: &Clients, s: &mut Scenario) -> Result<()> {
    let acls = c
        .ec2
        .describe_network_acls()
        .filters(
            ec2t::Filter::builder()
                .name("vpc-id")
                .values(&s.vpc)
                .build(),
        )
        .send()
        .await?;
    let default = acls
        .network_acls()
        .iter()
        .find(|a| a.is_default() == Some(true))
        .ok_or("moto created no default network ACL")?;
    s.nacl_default = default.network_acl_id().unwrap_or_default().to_owned();
    let association = default
        .associations()
        .iter()
        .find(|a| a.subnet_id() == Some(s.subnet_a.as_str()))
        .and_then(|a| a.network_acl_association_id())
        .ok_or("subnet_a has no default network ACL association")?
        .to_owned();
    for (slot, port) in [(0, 22), (1, 443)] {
        let out = c.ec2.create_network_acl().vpc_id(&s.vpc).send().await?;
        let id = out
            .network_acl()
            .and_then(|a| a.network_acl_id())
            .unwrap_or_default()
            .to_owned();
        c.ec2
            .create_network_acl_entry()
            .network_acl_id(&id)
            .rule_number(100)
            .protocol("6")
            .rule_action(ec2t::RuleAction::Allow)
            .egress(false)
            .cidr_block("0.0.0.0/0")
            .port_range(ec2t::PortRange::builder().from(port).to(port).build())
            .send()
            .await?;
        if slot == 0 {
            s.nacl_open_ssh = id;
        } else {
            s.nacl_unused = id;
        }
    }
    c.ec2
        .replace_network_acl_association()
        .association_id(association)
        .network_acl_id(&s.nacl_open_ssh)
        .send()
        .await?;
    Ok(())
}

/// PILLAR-WAF-001 to 003: one web ACL passing all three, one empty and
/// unlogged, one with only a rule of its own (a rate limit).
async fn web_acls(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_wafv2::types::{
        AllowAction, BlockAction, DefaultAction, LoggingConfiguration, ManagedRuleGroupStatement,
        NoneAction, OverrideAction, RateBasedStatement, RateBasedStatementAggregateKeyType, Rule,
        RuleAction, Scope, Statement, VisibilityConfig,
    };
    let visibility = |name: &str| {
        VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(name)
            .build()
    };
    let managed = Rule::builder()
        .name("common")
        .priority(1)
        .override_action(
            OverrideAction::builder()
                .none(NoneAction::builder().build())
                .build(),
        )
        .statement(
            Statement::builder()
                .managed_rule_group_statement(
                    ManagedRuleGroupStatement::builder()
                        .vendor_name("AWS")
                        .name("AWSManagedRulesCommonRuleSet")
                        .build()?,
                )
                .build(),
        )
        .visibility_config(visibility("common")?)
        .build()?;
    let rate = Rule::builder()
        .name("rate-limit")
        .priority(2)
        .action(
            RuleAction::builder()
                .block(BlockAction::builder().build())
                .build(),
        )
        .statement(
            Statement::builder()
                .rate_based_statement(
                    RateBasedStatement::builder()
                        .limit(1000)
                        .aggregate_key_type(RateBasedStatementAggregateKeyType::Ip)
                        .build()?,
                )
                .build(),
        )
        .visibility_config(visibility("rate")?)
        .build()?;
    let mut arns = Vec::new();
    for (name, rules) in [
        ("pillar-acl-good", vec![managed, rate.clone()]),
        ("pillar-acl-empty", vec![]),
        ("pillar-acl-own-rules", vec![rate]),
    ] {
        let out = c
            .waf
            .create_web_acl()
            .name(name)
            .scope(Scope::Regional)
            .default_action(
                DefaultAction::builder()
                    .allow(AllowAction::builder().build())
                    .build(),
            )
            .visibility_config(visibility(name)?)
            .set_rules(Some(rules))
            .send()
            .await?;
        arns.push(
            out.summary()
                .and_then(|s| s.arn())
                .ok_or("CreateWebACL returned no ARN")?
                .to_owned(),
        );
    }
    for arn in [&arns[0], &arns[2]] {
        c.waf
            .put_logging_configuration()
            .logging_configuration(
                LoggingConfiguration::builder()
                    .resource_arn(arn)
                    .log_destination_configs(
                        "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-pillar",
                    )
                    .build()?,
            )
            .send()
            .await?;
    }
    let mut arns = arns.into_iter();
    s.acl_good = arns.next().unwrap_or_default();
    s.acl_empty = arns.next().unwrap_or_default();
    s.acl_own_rules = arns.next().unwrap_or_default();
    Ok(())
}

/// PILLAR-ELB-001 to 007: a compliant internet-facing ALB behind acl_good,
/// a non-compliant one, and a one-zone internal NLB. Every attribute the
/// rules read is set explicitly: moto leaves the access-log switch and the
/// header setting out until they are set.
async fn load_balancers(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, Certificate, LoadBalancerAttribute, LoadBalancerSchemeEnum,
        LoadBalancerTypeEnum, ProtocolEnum, RedirectActionConfig, RedirectActionStatusCodeEnum,
    };
    // moto accepts any body; no key material is needed or committed.
    let cert = c
        .iam
        .upload_server_certificate()
        .server_certificate_name("pillar-web")
        .certificate_body("-----BEGIN CERTIFICATE-----\npillar-test\n-----END CERTIFICATE-----\n")
        .private_key("-----BEGIN PRIVATE KEY-----\npillar-test\n-----END PRIVATE KEY-----\n")
        .send()
        .await?
        .server_certificate_metadata()
        .map(|m| m.arn().to_owned())
        .ok_or("UploadServerCertificate returned no ARN")?;
    let target_group = c
        .elb
        .create_target_group()
        .name("pillar-web")
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&s.vpc)
        .send()
        .await?
        .target_groups()
        .first()
        .and_then(|t| t.target_group_arn())
        .ok_or("CreateTargetGroup returned no ARN")?
        .to_owned();
    let create = |name: &'static str, kind, scheme, subnets: Vec<String>| {
        c.elb
            .create_load_balancer()
            .name(name)
            .r#type(kind)
            .scheme(scheme)
            .set_subnets(Some(subnets))
            .send()
    };
    let two = vec![s.subnet_a.clone(), s.subnet_b.clone()];
    let arn_of = |out: aws_sdk_elasticloadbalancingv2::operation::create_load_balancer::CreateLoadBalancerOutput| {
        out.load_balancers()
            .first()
            .and_then(|l| l.load_balancer_arn())
            .map(str::to_owned)
            .ok_or("CreateLoadBalancer returned no ARN")
    };
    s.lb_good = arn_of(
        create(
            "pillar-web-good",
            LoadBalancerTypeEnum::Application,
            LoadBalancerSchemeEnum::InternetFacing,
            two.clone(),
        )
        .await?,
    )?;
    s.lb_bad = arn_of(
        create(
            "pillar-web-bad",
            LoadBalancerTypeEnum::Application,
            LoadBalancerSchemeEnum::InternetFacing,
            two,
        )
        .await?,
    )?;
    s.lb_one_zone = arn_of(
        create(
            "pillar-nlb-one-zone",
            LoadBalancerTypeEnum::Network,
            LoadBalancerSchemeEnum::Internal,
            vec![s.subnet_a.clone()],
        )
        .await?,
    )?;
    s.lb_nlb_two_zones = arn_of(
        create(
            "pillar-nlb-two-zones",
            LoadBalancerTypeEnum::Network,
            LoadBalancerSchemeEnum::Internal,
            vec![s.subnet_a.clone(), s.subnet_b.clone()],
        )
        .await?,
    )?;
    let attr = |k: &str, v: &str| LoadBalancerAttribute::builder().key(k).value(v).build();
    // (load balancer, its switches, whether it is an application load
    // balancer: only those take the header and desync settings). The
    // network load balancers keep cross-zone load balancing off, moto's
    // and AWS's default.
    for (arn, on, application) in [
        (&s.lb_good, "true", true),
        (&s.lb_bad, "false", true),
        (&s.lb_one_zone, "true", false),
        (&s.lb_nlb_two_zones, "true", false),
    ] {
        let mut attrs = vec![
            attr("access_logs.s3.enabled", on),
            attr("access_logs.s3.bucket", "pillar-lb-logs"),
            attr("deletion_protection.enabled", on),
        ];
        if application {
            attrs.push(attr("routing.http.drop_invalid_header_fields.enabled", on));
            let desync = if on == "true" { "defensive" } else { "monitor" };
            attrs.push(attr("routing.http.desync_mitigation_mode", desync));
        }
        c.elb
            .modify_load_balancer_attributes()
            .load_balancer_arn(arn)
            .set_attributes(Some(attrs))
            .send()
            .await?;
    }
    c.waf
        .associate_web_acl()
        .web_acl_arn(&s.acl_good)
        .resource_arn(&s.lb_good)
        .send()
        .await?;

    let forward = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(&target_group)
        .build();
    let redirect = Action::builder()
        .r#type(ActionTypeEnum::Redirect)
        .redirect_config(
            RedirectActionConfig::builder()
                .protocol("HTTPS")
                .port("443")
                .status_code(RedirectActionStatusCodeEnum::Http301)
                .build(),
        )
        .build();
    let certificate = Certificate::builder().certificate_arn(&cert).build();
    let listeners = [
        (&s.lb_good, ProtocolEnum::Http, 80, None, redirect),
        (
            &s.lb_good,
            ProtocolEnum::Https,
            443,
            Some("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            forward.clone(),
        ),
        (&s.lb_bad, ProtocolEnum::Http, 80, None, forward.clone()),
        (
            &s.lb_bad,
            ProtocolEnum::Https,
            443,
            Some("ELBSecurityPolicy-2016-08"),
            forward,
        ),
    ];
    let mut arns = Vec::new();
    for (lb, protocol, port, policy, action) in listeners {
        let tls = policy.is_some();
        let out = c
            .elb
            .create_listener()
            .load_balancer_arn(lb)
            .protocol(protocol)
            .port(port)
            .set_ssl_policy(policy.map(str::to_owned))
            .set_certificates(tls.then(|| vec![certificate.clone()]))
            .default_actions(action)
            .send()
            .await?;
        arns.push(
            out.listeners()
                .first()
                .and_then(|l| l.listener_arn())
                .ok_or("CreateListener returned no ARN")?
                .to_owned(),
        );
    }
    let mut arns = arns.into_iter();
    s.listeners_good = arns.by_ref().take(2).collect();
    s.listener_plain_http = arns.next().unwrap_or_default();
    s.listener_old_tls = arns.next().unwrap_or_default();
    Ok(())
}

/// PILLAR-KMS-001 to 003. The pending key encrypts an EBS volume, which is
/// what makes deleting it a loss.
async fn keys(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_kms::types::Tag;
    // moto finds a key by id only in some calls (ScheduleKeyDeletion).
    let (mut arns, mut ids) = (Vec::new(), Vec::<String>::new());
    for name in ["good", "no-rotation", "public", "pending"] {
        let out = c
            .kms
            .create_key()
            .description(format!("pillar {name}"))
            .tags(
                Tag::builder()
                    .tag_key("owner")
                    .tag_value("pillar")
                    .build()?,
            )
            .send()
            .await?;
        let meta = out.key_metadata().ok_or("CreateKey returned no metadata")?;
        let arn = meta.arn().ok_or("CreateKey returned no ARN")?.to_owned();
        if name != "no-rotation" {
            c.kms
                .enable_key_rotation()
                .key_id(meta.key_id())
                .send()
                .await?;
        }
        arns.push(arn);
        ids.push(meta.key_id().to_owned());
    }
    let mut arns = arns.into_iter();
    s.key_good = arns.next().unwrap_or_default();
    s.key_no_rotation = arns.next().unwrap_or_default();
    s.key_public = arns.next().unwrap_or_default();
    s.key_pending = arns.next().unwrap_or_default();
    let open = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Everyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#;
    c.kms
        .put_key_policy()
        .key_id(&ids[2])
        .policy_name("default")
        .policy(open)
        .send()
        .await?;
    let volume = c
        .ec2
        .create_volume()
        .availability_zone("us-east-1a")
        .size(1)
        .encrypted(true)
        .kms_key_id(&s.key_pending)
        .send()
        .await?;
    s.volume_on_pending_key = volume.volume_id().unwrap_or_default().to_owned();
    c.kms
        .schedule_key_deletion()
        .key_id(&ids[3])
        .pending_window_in_days(7)
        .send()
        .await?;
    Ok(())
}

/// PILLAR-CT-001 to 006, PILLAR-LOG-001, 002 and the metric filters the
/// CIS monitoring rules read (PILLAR-CW-*). Both trails deliver to
/// the access-log bucket (a trail may write to another region's bucket).
async fn trails_and_log_groups(c: &Clients, s: &mut Scenario) -> Result<()> {
    for (name, retention, key) in [
        ("/pillar/trail", Some(365), Some(&s.key_good)),
        ("/pillar/forever", None, None),
    ] {
        c.logs
            .create_log_group()
            .log_group_name(name)
            .set_kms_key_id(key.cloned())
            .tags("owner", "pillar")
            .send()
            .await?;
        if let Some(days) = retention {
            c.logs
                .put_retention_policy()
                .log_group_name(name)
                .retention_in_days(days)
                .send()
                .await?;
        }
    }
    let group = |name: &str| format!("arn:aws:logs:us-east-1:{}:log-group:{name}", crate::ACCOUNT);
    for (name, metric, pattern) in [
        (
            "cis-root-usage",
            "RootAccountUsage",
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        ),
        (
            "cis-cloudtrail-changes",
            "CloudTrailChanges",
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
        ),
    ] {
        c.logs
            .put_metric_filter()
            .log_group_name("/pillar/trail")
            .filter_name(name)
            .filter_pattern(pattern)
            .metric_transformations(
                aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                    .metric_name(metric)
                    .metric_namespace("CISBenchmark")
                    .metric_value("1")
                    .build()?,
            )
            .send()
            .await?;
        s.metric_filters.push(name.to_owned());
    }
    s.log_group_good = group("/pillar/trail");
    s.log_group_bare = group("/pillar/forever");
    let good = c
        .cloudtrail
        .create_trail()
        .name("pillar-main")
        // Private, with server access logging: PILLAR-CT-007 and 008 pass.
        .s3_bucket_name("pillar-private-data")
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .kms_key_id(&s.key_good)
        .cloud_watch_logs_log_group_arn(format!("{}:*", s.log_group_good))
        .cloud_watch_logs_role_arn(format!(
            "arn:aws:iam::{}:role/pillar-trail-to-logs",
            crate::ACCOUNT
        ))
        .send()
        .await?;
    s.trail_good = good
        .trail_arn()
        .ok_or("CreateTrail returned no ARN")?
        .to_owned();
    // moto finds a trail to start by name only.
    c.cloudtrail
        .start_logging()
        .name("pillar-main")
        .send()
        .await?;
    // Every management event and S3 object writes, not reads: PILLAR-CT-009
    // and 010 pass in the region, 011 fails.
    {
        use aws_sdk_cloudtrail::types::{DataResource, EventSelector, ReadWriteType};
        c.cloudtrail
            .put_event_selectors()
            .trail_name("pillar-main")
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::All)
                    .include_management_events(true)
                    .build(),
            )
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::WriteOnly)
                    .include_management_events(false)
                    .data_resources(
                        DataResource::builder()
                            .r#type("AWS::S3::Object")
                            .values("arn:aws:s3")
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await?;
    }
    let weak = c
        .cloudtrail
        .create_trail()
        .name("pillar-weak")
        // Public, without access logging: PILLAR-CT-007 and 008 fail.
        .s3_bucket_name("pillar-public-site")
        .send()
        .await?;
    s.trail_weak = weak
        .trail_arn()
        .ok_or("CreateTrail returned no ARN")?
        .to_owned();
    Ok(())
}

/// PILLAR-SM-001 and 004. The values are throwaway strings: the collector
/// never reads a value, and the tests check it is nowhere in a snapshot.
async fn secrets(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_secretsmanager::types::{RotationRulesType, Tag};
    let owner = Tag::builder().key("owner").value("pillar").build();
    let good = c
        .secrets
        .create_secret()
        .name("pillar/db")
        .secret_string(SECRET_VALUE)
        .kms_key_id(&s.key_good)
        .tags(owner.clone())
        .send()
        .await?;
    s.secret_good = good.arn().ok_or("CreateSecret returned no ARN")?.to_owned();
    // moto turns rotation on, then looks for the Lambda function and answers
    // ResourceNotFound (it has none): the answer is ignored and the state
    // checked instead.
    let _ = c
        .secrets
        .rotate_secret()
        .secret_id("pillar/db")
        .rotation_lambda_arn(format!(
            "arn:aws:lambda:us-east-1:{}:function:pillar-rotate",
            crate::ACCOUNT
        ))
        .rotation_rules(
            RotationRulesType::builder()
                .automatically_after_days(30)
                .build(),
        )
        .rotate_immediately(false)
        .send()
        .await;
    let described = c
        .secrets
        .describe_secret()
        .secret_id("pillar/db")
        .send()
        .await?;
    if described.rotation_enabled() != Some(true) {
        return Err("moto did not record the secret's rotation".into());
    }
    let bare = c
        .secrets
        .create_secret()
        .name("pillar/legacy-api-key")
        .secret_string(SECRET_VALUE)
        .tags(owner)
        .send()
        .await?;
    s.secret_bare = bare.arn().ok_or("CreateSecret returned no ARN")?.to_owned();
    Ok(())
}

/// PILLAR-GD-001, 002 and PILLAR-CFG-001 to 003: a region can hold one
/// detector and one recorder, so us-east-1 gets the non-compliant ones and
/// the passing cases live in the fixtures.
async fn detection(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_config::types::{ConfigurationRecorder, RecordingGroup, ResourceType};
    let detector = c.guardduty.create_detector().enable(false).send().await?;
    let id = detector
        .detector_id()
        .ok_or("CreateDetector returned no id")?;
    s.detector = format!(
        "arn:aws:guardduty:us-east-1:{}:detector/{id}",
        crate::ACCOUNT
    );
    c.config
        .put_configuration_recorder()
        .configuration_recorder(
            ConfigurationRecorder::builder()
                .name("pillar-partial")
                .role_arn(format!(
                    "arn:aws:iam::{}:role/pillar-config",
                    crate::ACCOUNT
                ))
                .recording_group(
                    RecordingGroup::builder()
                        .all_supported(false)
                        .include_global_resource_types(false)
                        .resource_types(ResourceType::from("AWS::EC2::Instance"))
                        .build(),
                )
                .build(),
        )
        .send()
        .await?;
    s.recorder = format!(
        "arn:aws:config:us-east-1:{}:configuration-recorder/pillar-partial",
        crate::ACCOUNT
    );
    Ok(())
}

/// PILLAR-SSM-001. The values are SECRET_VALUE: no snapshot may hold them.
async fn parameters(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_ssm::types::{ParameterType, Tag};
    let mut arns = Vec::new();
    for (name, kind) in [
        ("/pillar/db_password", ParameterType::SecureString),
        ("/pillar/DB_PASSWORD_PLAIN", ParameterType::String),
        ("/pillar/region", ParameterType::String),
    ] {
        c.ssm
            .put_parameter()
            .name(name)
            .value(SECRET_VALUE)
            .r#type(kind)
            .tags(Tag::builder().key("owner").value("pillar").build()?)
            .send()
            .await?;
        arns.push(format!(
            "arn:aws:ssm:us-east-1:{}:parameter/{}",
            crate::ACCOUNT,
            name.trim_start_matches('/')
        ));
    }
    let mut arns = arns.into_iter();
    s.param_secure = arns.next().unwrap_or_default();
    s.param_plain_secret = arns.next().unwrap_or_default();
    s.param_plain = arns.next().unwrap_or_default();
    Ok(())
}

/// PILLAR-CF-001 to 009. moto 5.1 renders some booleans of an ordered
/// cache behaviour as `True`, which the SDK cannot parse, so neither
/// distribution has one; it also drops origin access control ids and origin
/// groups (tested against recorded responses instead), and an S3 origin
/// config whose identity is empty.
async fn distributions(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_cloudfront::types as cf;
    let s3_origin = |identity: &str| -> Result<cf::Origin> {
        Ok(cf::Origin::builder()
            .id("site")
            .domain_name("pillar-site.s3.us-east-1.amazonaws.com")
            .s3_origin_config(
                cf::S3OriginConfig::builder()
                    .origin_access_identity(identity)
                    .build(),
            )
            .build()?)
    };
    let custom_origin =
        |policy: cf::OriginProtocolPolicy, protocols: &[cf::SslProtocol]| -> Result<cf::Origin> {
            let mut ssl = cf::OriginSslProtocols::builder().quantity(protocols.len() as i32);
            for p in protocols {
                ssl = ssl.items(p.clone());
            }
            Ok(cf::Origin::builder()
                .id("api")
                .domain_name("api.pillar.example")
                .custom_origin_config(
                    cf::CustomOriginConfig::builder()
                        .http_port(80)
                        .https_port(443)
                        .origin_protocol_policy(policy)
                        .origin_ssl_protocols(ssl.build()?)
                        .build()?,
                )
                .build()?)
        };
    let good = Spec {
        reference: "pillar-good",
        viewers: cf::ViewerProtocolPolicy::RedirectToHttps,
        origins: vec![
            s3_origin("origin-access-identity/cloudfront/E1PILLAROAI")?,
            custom_origin(
                cf::OriginProtocolPolicy::HttpsOnly,
                &[cf::SslProtocol::TlSv12],
            )?,
        ],
        certificate: cf::ViewerCertificate::builder()
            .cloud_front_default_certificate(false)
            .acm_certificate_arn(format!(
                "arn:aws:acm:us-east-1:{}:certificate/pillar",
                crate::ACCOUNT
            ))
            .ssl_support_method(cf::SslSupportMethod::SniOnly)
            .minimum_protocol_version(cf::MinimumProtocolVersion::TlSv122021)
            .build(),
        logging: Some("pillar-cf-logs.s3.amazonaws.com"),
        web_acl: Some(format!(
            "arn:aws:wafv2:us-east-1:{}:global/webacl/edge/pillar",
            crate::ACCOUNT
        )),
        root_object: "index.html",
    };
    let bad = Spec {
        reference: "pillar-bad",
        viewers: cf::ViewerProtocolPolicy::AllowAll,
        origins: vec![
            s3_origin("")?,
            custom_origin(
                cf::OriginProtocolPolicy::MatchViewer,
                &[cf::SslProtocol::SsLv3, cf::SslProtocol::TlSv1],
            )?,
        ],
        certificate: cf::ViewerCertificate::builder()
            .cloud_front_default_certificate(true)
            .build(),
        logging: None,
        web_acl: None,
        root_object: "",
    };
    s.dist_good = distribution(c, good).await?;
    s.dist_bad = distribution(c, bad).await?;
    Ok(())
}

/// What differs between the seeded distributions.
struct Spec {
    reference: &'static str,
    viewers: aws_sdk_cloudfront::types::ViewerProtocolPolicy,
    origins: Vec<aws_sdk_cloudfront::types::Origin>,
    certificate: aws_sdk_cloudfront::types::ViewerCertificate,
    logging: Option<&'static str>,
    web_acl: Option<String>,
    root_object: &'static str,
}

/// Creates one distribution with tags; its ARN.
async fn distribution(c: &Clients, spec: Spec) -> Result<String> {
    use aws_sdk_cloudfront::types as cf;
    let behaviour = cf::DefaultCacheBehavior::builder()
        .target_origin_id("site")
        .viewer_protocol_policy(spec.viewers)
        // moto renders what it is not given as Python's `True`.
        .smooth_streaming(false)
        .compress(true)
        .build()?;
    let logging = cf::LoggingConfig::builder()
        .enabled(spec.logging.is_some())
        .include_cookies(false)
        .bucket(spec.logging.unwrap_or_default())
        .prefix(if spec.logging.is_some() { "cf/" } else { "" })
        .build();
    let origins = cf::Origins::builder()
        .quantity(spec.origins.len() as i32)
        .set_items(Some(spec.origins))
        .build()?;
    let config = cf::DistributionConfig::builder()
        .caller_reference(spec.reference)
        .comment(spec.reference)
        .enabled(true)
        .origins(origins)
        .default_cache_behavior(behaviour)
        .viewer_certificate(spec.certificate)
        .logging(logging)
        .default_root_object(spec.root_object)
        .set_web_acl_id(spec.web_acl)
        .build()?;
    let tags = cf::Tags::builder()
        .items(cf::Tag::builder().key("owner").value("pillar").build()?)
        .items(
            cf::Tag::builder()
                .key("Name")
                .value(spec.reference)
                .build()?,
        )
        .build();
    let made = c
        .cloudfront
        .create_distribution_with_tags()
        .distribution_config_with_tags(
            cf::DistributionConfigWithTags::builder()
                .distribution_config(config)
                .tags(tags)
                .build(),
        )
        .send()
        .await;
    // moto 5.1 answers under the wrong root element
    // (`CreateDistributionResult`), which the SDK refuses after the
    // distribution is made: the listing says what was made.
    if let Err(e) = made
        && e.raw_response().map(|r| r.status().as_u16()) != Some(200)
    {
        return Err(e.into());
    }
    let listed = c.cloudfront.list_distributions().send().await?;
    let arn = listed
        .distribution_list()
        .map(|l| l.items())
        .unwrap_or_default()
        .iter()
        .find(|d| d.comment() == spec.reference)
        .map(|d| d.arn().to_owned())
        .ok_or("moto lists no such distribution")?;
    Ok(arn)
}

/// The value of the seeded secrets, which no snapshot may contain.
pub const SECRET_VALUE: &str = "pillar-seeded-secret-value-7f3a";

async fn network(c: &Clients, s: &mut Scenario) -> Result<()> {
    let vpc = c.ec2.create_vpc().cidr_block("10.0.0.0/16").send().await?;
    s.vpc = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_owned();
    c.ec2
        .associate_vpc_cidr_block()
        .vpc_id(&s.vpc)
        .cidr_block("10.1.0.0/16")
        .send()
        .await?;
    // The scenario VPC's traffic is recorded (PILLAR-VPC-004 passes it;
    // moto's default VPC has no flow log and fails).
    c.ec2
        .create_flow_logs()
        .resource_ids(&s.vpc)
        .resource_type(ec2t::FlowLogsResourceType::Vpc)
        .traffic_type(ec2t::TrafficType::All)
        .log_destination_type(ec2t::LogDestinationType::CloudWatchLogs)
        .log_group_name("pillar-flow-logs")
        .deliver_logs_permission_arn("arn:aws:iam::123456789012:role/flow-logs")
        .send()
        .await?;
    for (cidr, az, slot) in [
        ("10.0.1.0/24", "us-east-1a", 0),
        ("10.0.2.0/24", "us-east-1b", 1),
    ] {
        let out = c
            .ec2
            .create_subnet()
            .vpc_id(&s.vpc)
            .cidr_block(cidr)
            .availability_zone(az)
            .send()
            .await?;
        let id = out
            .subnet()
            .and_then(|x| x.subnet_id())
            .unwrap_or_default()
            .to_owned();
        if slot == 0 {
            s.subnet_a = id;
        } else {
            s.subnet_b = id;
        }
    }
    c.ec2
        .modify_subnet_attribute()
        .subnet_id(&s.subnet_a)
        .map_public_ip_on_launch(ec2t::AttributeBooleanValue::builder().value(true).build())
        .send()
        .await?;
    let igw = c.ec2.create_internet_gateway().send().await?;
    s.igw = igw
        .internet_gateway()
        .and_then(|g| g.internet_gateway_id())
        .unwrap_or_default()
        .to_owned();
    c.ec2
        .attach_internet_gateway()
        .internet_gateway_id(&s.igw)
        .vpc_id(&s.vpc)
        .send()
        .await?;
    let rt = c.ec2.create_route_table().vpc_id(&s.vpc).send().await?;
    s.route_table = rt
        .route_table()
        .and_then(|r| r.route_table_id())
        .unwrap_or_default()
        .to_owned();
    c.ec2
        .create_route()
        .route_table_id(&s.route_table)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&s.igw)
        .send()
        .await?;
    c.ec2
        .associate_route_table()
        .route_table_id(&s.route_table)
        .subnet_id(&s.subnet_a)
        .send()
        .await?;

    s.sg_open_ssh = security_group(c, &s.vpc, "open-ssh").await?;
    c.ec2
        .authorize_security_group_ingress()
        .group_id(&s.sg_open_ssh)
        .ip_permissions(ingress("tcp", 22, 22, "0.0.0.0/0", "ssh from anywhere"))
        .send()
        .await?;
    s.sg_open_db = security_group(c, &s.vpc, "open-postgres").await?;
    c.ec2
        .authorize_security_group_ingress()
        .group_id(&s.sg_open_db)
        .ip_permissions(
            ec2t::IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(5432)
                .to_port(5432)
                .ipv6_ranges(ec2t::Ipv6Range::builder().cidr_ipv6("::/0").build())
                .build(),
        )
        .send()
        .await?;
    s.sg_web = security_group(c, &s.vpc, "web").await?;
    c.ec2
        .authorize_security_group_ingress()
        .group_id(&s.sg_web)
        .ip_permissions(ingress("tcp", 443, 443, "0.0.0.0/0", "https"))
        .ip_permissions(ingress("tcp", 22, 22, "10.0.0.0/8", "ssh from the office"))
        .ip_permissions(
            ec2t::IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(8080)
                .to_port(8080)
                .user_id_group_pairs(ec2t::UserIdGroupPair::builder().group_id(&s.sg_web).build())
                .build(),
        )
        .send()
        .await?;
    Ok(())
}

/// A new VPC with one group admitting SSH from anywhere; returns the group id.
pub async fn world_open_ssh(c: &Clients, name: &str) -> Result<String> {
    let vpc = c.ec2.create_vpc().cidr_block("10.9.0.0/16").send().await?;
    let vpc = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_owned();
    let sg = security_group(c, &vpc, name).await?;
    c.ec2
        .authorize_security_group_ingress()
        .group_id(&sg)
        .ip_permissions(ingress("tcp", 22, 22, "0.0.0.0/0", "ssh from anywhere"))
        .send()
        .await?;
    Ok(sg)
}

pub async fn security_group(c: &Clients, vpc: &str, name: &str) -> Result<String> {
    let out = c
        .ec2
        .create_security_group()
        .group_name(name)
        .description(format!("{name} (pillar test)"))
        .vpc_id(vpc)
        .send()
        .await?;
    Ok(out.group_id().unwrap_or_default().to_owned())
}

async fn compute(c: &Clients, s: &mut Scenario) -> Result<()> {
    s.instance_bad = instance(
        c,
        s,
        "app-bad",
        BAD_USER_DATA,
        ec2t::HttpTokensState::Optional,
    )
    .await?;
    s.instance_good = instance(
        c,
        s,
        "app-good",
        GOOD_USER_DATA,
        ec2t::HttpTokensState::Required,
    )
    .await?;
    c.ec2
        .stop_instances()
        .instance_ids(&s.instance_good)
        .send()
        .await?;

    s.lt_bad = template(c, "lt-bad", BAD_USER_DATA).await?;
    s.lt_good = template(c, "lt-good", GOOD_USER_DATA).await?;
    // A newer, non-default version with bad user data: launches use the
    // default, so the rule passes, and latest_user_data records it.
    c.ec2
        .create_launch_template_version()
        .launch_template_id(&s.lt_good)
        .launch_template_data(
            ec2t::RequestLaunchTemplateData::builder()
                .image_id("ami-12345678")
                .user_data(b64(BAD_USER_DATA))
                .build(),
        )
        .send()
        .await?;

    for (encrypted, slot) in [(false, 0), (true, 1)] {
        let v = c
            .ec2
            .create_volume()
            .availability_zone("us-east-1a")
            .size(10)
            .encrypted(encrypted)
            .send()
            .await?;
        let id = v.volume_id().unwrap_or_default().to_owned();
        if slot == 0 {
            s.volume_plain = id;
        } else {
            s.volume_encrypted = id;
        }
    }
    let snap = c
        .ec2
        .create_snapshot()
        .volume_id(&s.volume_plain)
        .send()
        .await?;
    s.snapshot_public = snap.snapshot_id().unwrap_or_default().to_owned();
    c.ec2
        .modify_snapshot_attribute()
        .snapshot_id(&s.snapshot_public)
        .attribute(ec2t::SnapshotAttributeName::CreateVolumePermission)
        .operation_type(ec2t::OperationType::Add)
        .group_names("all")
        .send()
        .await?;
    let eip = c
        .ec2
        .allocate_address()
        .domain(ec2t::DomainType::Vpc)
        .send()
        .await?;
    s.eip = eip.allocation_id().unwrap_or_default().to_owned();
    Ok(())
}

async fn instance(
    c: &Clients,
    s: &Scenario,
    name: &str,
    user_data: &str,
    tokens: ec2t::HttpTokensState,
) -> Result<String> {
    let out = c
        .ec2
        .run_instances()
        .image_id("ami-12345678")
        .instance_type(ec2t::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .subnet_id(&s.subnet_a)
        .security_group_ids(&s.sg_web)
        .user_data(b64(user_data))
        .metadata_options(
            ec2t::InstanceMetadataOptionsRequest::builder()
                .http_tokens(tokens)
                .build(),
        )
        .tag_specifications(name_tags(ec2t::ResourceType::Instance, name))
        .send()
        .await?;
    Ok(out
        .instances()
        .first()
        .and_then(|i| i.instance_id())
        .unwrap_or_default()
        .to_owned())
}

async fn template(c: &Clients, name: &str, user_data: &str) -> Result<String> {
    let out = c
        .ec2
        .create_launch_template()
        .launch_template_name(name)
        .launch_template_data(
            ec2t::RequestLaunchTemplateData::builder()
                .image_id("ami-12345678")
                .instance_type(ec2t::InstanceType::T3Micro)
                .user_data(b64(user_data))
                .metadata_options(
                    ec2t::LaunchTemplateInstanceMetadataOptionsRequest::builder()
                        .http_tokens(ec2t::LaunchTemplateHttpTokensState::Required)
                        .build(),
                )
                .build(),
        )
        .send()
        .await?;
    Ok(out
        .launch_template()
        .and_then(|t| t.launch_template_id())
        .unwrap_or_default()
        .to_owned())
}

async fn databases(c: &Clients, s: &Scenario) -> Result<()> {
    c.rds
        .create_db_subnet_group()
        .db_subnet_group_name("app-subnets")
        .db_subnet_group_description("app subnets")
        .subnet_ids(&s.subnet_a)
        .subnet_ids(&s.subnet_b)
        .send()
        .await?;
    db_instance(c, "plain-db", false, Some("app-subnets")).await?;
    db_instance(c, "secure-db", true, Some("app-subnets")).await?;
    c.rds
        .create_db_cluster()
        .db_cluster_identifier("aurora-enc")
        .engine("aurora-postgresql")
        .master_username("pillar")
        .master_user_password("not-a-real-secret-1")
        .storage_encrypted(true)
        .send()
        .await?;
    db_snapshots(c).await
}

/// PILLAR-RDS-011 and 012: a manual snapshot of the unencrypted plain-db
/// made public (both fail), private encrypted snapshots of secure-db and
/// of the Aurora cluster (both pass).
async fn db_snapshots(c: &Clients) -> Result<()> {
    for (db, snapshot) in [
        ("plain-db", "plain-db-public"),
        ("secure-db", "secure-db-private"),
    ] {
        c.rds
            .create_db_snapshot()
            .db_instance_identifier(db)
            .db_snapshot_identifier(snapshot)
            .send()
            .await?;
    }
    c.rds
        .modify_db_snapshot_attribute()
        .db_snapshot_identifier("plain-db-public")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await?;
    c.rds
        .create_db_cluster_snapshot()
        .db_cluster_identifier("aurora-enc")
        .db_cluster_snapshot_identifier("aurora-enc-private")
        .send()
        .await?;
    Ok(())
}

/// AWS Backup, seeded on its own (not in [`scenario`]): moto has plans and
/// vaults but no selections or vault access policies, so every plan's
/// selections and every vault's policy are gaps, and a plan in the main
/// scenario would make every resource's backup coverage unknown.
#[derive(Debug, Default)]
pub struct BackupScenario {
    /// Copies to another region (us-west-2), keeps 35 days: passes 002, 006.
    pub plan_dr: String,
    /// No copy action, keeps 3 days: fails PILLAR-BAK-002 and 006.
    pub plan_local: String,
    /// A vault lock: passes PILLAR-BAK-004.
    pub vault_locked: String,
    /// No lock: fails PILLAR-BAK-004.
    pub vault_bare: String,
}

pub async fn backup(c: &Clients) -> Result<BackupScenario> {
    use aws_sdk_backup::types::{BackupPlanInput, BackupRuleInput, CopyAction, Lifecycle};
    let mut s = BackupScenario::default();
    for (name, lock) in [("main", true), ("bare", false)] {
        let out = c
            .backup
            .create_backup_vault()
            .backup_vault_name(name)
            .send()
            .await?;
        let arn = out.backup_vault_arn().unwrap_or_default().to_owned();
        if lock {
            c.backup
                .put_backup_vault_lock_configuration()
                .backup_vault_name(name)
                .min_retention_days(7)
                .max_retention_days(365)
                .send()
                .await?;
            s.vault_locked = arn;
        } else {
            s.vault_bare = arn;
        }
    }
    let keep = |days| Lifecycle::builder().delete_after_days(days).build();
    for (name, copy, days) in [("dr", true, 35), ("local", false, 3)] {
        let mut rule = BackupRuleInput::builder()
            .rule_name("daily")
            .target_backup_vault_name("main")
            .schedule_expression("cron(0 5 ? * * *)")
            .lifecycle(keep(days));
        if copy {
            rule = rule.copy_actions(
                CopyAction::builder()
                    .destination_backup_vault_arn(
                        "arn:aws:backup:us-west-2:123456789012:backup-vault:dr",
                    )
                    .lifecycle(keep(35))
                    .build()?,
            );
        }
        let plan = BackupPlanInput::builder()
            .backup_plan_name(name)
            .rules(rule.build()?)
            .build()?;
        let out = c
            .backup
            .create_backup_plan()
            .backup_plan(plan)
            .send()
            .await?;
        let arn = out.backup_plan_arn().unwrap_or_default().to_owned();
        if copy {
            s.plan_dr = arn;
        } else {
            s.plan_local = arn;
        }
    }
    Ok(s)
}

pub async fn db_instance(
    c: &Clients,
    id: &str,
    encrypted: bool,
    group: Option<&str>,
) -> Result<()> {
    c.rds
        .create_db_instance()
        .db_instance_identifier(id)
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("pillar")
        .master_user_password("not-a-real-secret-1")
        .storage_encrypted(encrypted)
        .backup_retention_period(7)
        .publicly_accessible(false)
        .set_db_subnet_group_name(group.map(str::to_owned))
        .send()
        .await?;
    Ok(())
}

async fn buckets(endpoint: &str) -> Result<()> {
    let use1 = clients(endpoint, "us-east-1").await.s3;
    let euw1 = clients(endpoint, "eu-west-1").await.s3;
    let usw2 = clients(endpoint, "us-west-2").await.s3;
    use1.create_bucket()
        .bucket("pillar-public-site")
        .send()
        .await?;
    // Access logs must be delivered within the source bucket's region.
    for bucket in ["pillar-private-data", "pillar-access-logs"] {
        euw1.create_bucket()
            .bucket(bucket)
            .create_bucket_configuration(
                s3t::CreateBucketConfiguration::builder()
                    .location_constraint(s3t::BucketLocationConstraint::EuWest1)
                    .build(),
            )
            .send()
            .await?;
    }
    usw2.create_bucket()
        .bucket("pillar-replica")
        .create_bucket_configuration(
            s3t::CreateBucketConfiguration::builder()
                .location_constraint(s3t::BucketLocationConstraint::UsWest2)
                .build(),
        )
        .send()
        .await?;

    // The public site: a policy open to everyone and a public-read ACL.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pillar-public-site/*"}]}"#;
    use1.put_bucket_policy()
        .bucket("pillar-public-site")
        .policy(policy)
        .send()
        .await?;
    use1.put_bucket_acl()
        .bucket("pillar-public-site")
        .acl(s3t::BucketCannedAcl::PublicRead)
        .send()
        .await?;
    euw1.put_bucket_acl()
        .bucket("pillar-access-logs")
        .grant_write("uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"")
        .grant_read_acp("uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\"")
        .send()
        .await?;

    // The private bucket: KMS, versioning, block public access, logging,
    // replication to us-west-2, tags.
    euw1.put_bucket_encryption()
        .bucket("pillar-private-data")
        .server_side_encryption_configuration(
            s3t::ServerSideEncryptionConfiguration::builder()
                .rules(
                    s3t::ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            s3t::ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(s3t::ServerSideEncryption::AwsKms)
                                .kms_master_key_id(
                                    "arn:aws:kms:eu-west-1:111122223333:key/pillar-test",
                                )
                                .build()?,
                        )
                        .bucket_key_enabled(true)
                        .build(),
                )
                .build()?,
        )
        .send()
        .await?;
    for (client, bucket) in [(&euw1, "pillar-private-data"), (&usw2, "pillar-replica")] {
        client
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(
                s3t::VersioningConfiguration::builder()
                    .status(s3t::BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await?;
    }
    euw1.put_public_access_block()
        .bucket("pillar-private-data")
        .public_access_block_configuration(
            s3t::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await?;
    euw1.put_bucket_logging()
        .bucket("pillar-private-data")
        .bucket_logging_status(
            s3t::BucketLoggingStatus::builder()
                .logging_enabled(
                    s3t::LoggingEnabled::builder()
                        .target_bucket("pillar-access-logs")
                        .target_prefix("private-data/")
                        .build()?,
                )
                .build(),
        )
        .send()
        .await?;
    euw1.put_bucket_replication()
        .bucket("pillar-private-data")
        .replication_configuration(
            s3t::ReplicationConfiguration::builder()
                .role("arn:aws:iam::111122223333:role/replication")
                .rules(
                    s3t::ReplicationRule::builder()
                        .id("to-oregon")
                        .priority(1)
                        .status(s3t::ReplicationRuleStatus::Enabled)
                        .filter(s3t::ReplicationRuleFilter::builder().prefix("").build())
                        .delete_marker_replication(
                            s3t::DeleteMarkerReplication::builder()
                                .status(s3t::DeleteMarkerReplicationStatus::Disabled)
                                .build(),
                        )
                        .destination(
                            s3t::Destination::builder()
                                .bucket("arn:aws:s3:::pillar-replica")
                                .storage_class(s3t::StorageClass::StandardIa)
                                .build()?,
                        )
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await?;
    euw1.put_bucket_tagging()
        .bucket("pillar-private-data")
        .tagging(
            s3t::Tagging::builder()
                .tag_set(
                    s3t::Tag::builder()
                        .key("Environment")
                        .value("prod")
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await?;
    Ok(())
}

/// The account-level S3 public access block, all four settings on.
pub async fn account_public_access_block(endpoint: &str) -> Result<()> {
    let config = clients_config(endpoint, "us-east-1").await;
    // S3 Control's endpoint rules put "<account>." before the host, which
    // a loopback emulator cannot serve.
    let conf = aws_sdk_s3control::config::Builder::from(&config)
        .endpoint_resolver(Loopback(endpoint.to_owned()))
        .build();
    aws_sdk_s3control::Client::from_conf(conf)
        .put_public_access_block()
        .account_id(crate::ACCOUNT)
        .public_access_block_configuration(
            aws_sdk_s3control::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await?;
    Ok(())
}

#[derive(Debug)]
struct Loopback(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for Loopback {
    fn resolve_endpoint<'a>(
        &'a self,
        _: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        let endpoint = aws_smithy_types::endpoint::Endpoint::builder()
            .url(self.0.clone())
            .build();
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(endpoint))
    }
}

async fn identities(c: &Clients, s: &mut Scenario) -> Result<()> {
    let admin =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}]}"#;
    for user in ["alice", "bob", "carol"] {
        c.iam.create_user().user_name(user).send().await?;
    }
    for user in ["alice", "bob"] {
        c.iam
            .create_login_profile()
            .user_name(user)
            .password("Pillar-test-Passw0rd!")
            .send()
            .await?;
    }
    let mfa = c
        .iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice-phone")
        .send()
        .await?;
    let serial = mfa
        .virtual_mfa_device()
        .map(|d| d.serial_number().to_owned())
        .unwrap_or_default();
    c.iam
        .enable_mfa_device()
        .user_name("alice")
        .serial_number(&serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await?;
    c.iam.create_access_key().user_name("bob").send().await?;
    let carol_key = c.iam.create_access_key().user_name("carol").send().await?;
    if let Some(key) = carol_key.access_key() {
        c.iam
            .update_access_key()
            .user_name("carol")
            .access_key_id(key.access_key_id())
            .status(aws_sdk_iam::types::StatusType::Inactive)
            .send()
            .await?;
    }
    c.iam
        .put_user_policy()
        .user_name("bob")
        .policy_name("read-objects")
        .policy_document(read)
        .send()
        .await?;
    let policy = c
        .iam
        .create_policy()
        .policy_name("AdminAll")
        .policy_document(admin)
        .send()
        .await?;
    s.policy_arn = policy
        .policy()
        .and_then(|p| p.arn())
        .unwrap_or_default()
        .to_owned();
    c.iam.create_group().group_name("admins").send().await?;
    c.iam
        .add_user_to_group()
        .group_name("admins")
        .user_name("bob")
        .send()
        .await?;
    c.iam
        .attach_group_policy()
        .group_name("admins")
        .policy_arn(&s.policy_arn)
        .send()
        .await?;
    c.iam
        .create_role()
        .role_name("partner-audit")
        .assume_role_policy_document(trust)
        .send()
        .await?;
    c.iam
        .attach_role_policy()
        .role_name("partner-audit")
        .policy_arn(&s.policy_arn)
        .send()
        .await?;
    Ok(())
}

/// The scale test's account: `groups` security groups with one rule each,
/// `instances` instances with user data, `dbs` DB instances, `users` IAM
/// users with a login profile and a key.
pub async fn scale(
    endpoint: &str,
    groups: usize,
    instances: usize,
    dbs: usize,
    users: usize,
) -> Result<()> {
    let c = clients(endpoint, "us-east-1").await;
    let vpc = c.ec2.create_vpc().cidr_block("10.0.0.0/16").send().await?;
    let vpc = vpc
        .vpc()
        .and_then(|v| v.vpc_id())
        .unwrap_or_default()
        .to_owned();
    for i in 0..groups {
        let id = security_group(&c, &vpc, &format!("scale-{i:04}")).await?;
        let cidr = if i % 10 == 0 {
            "0.0.0.0/0"
        } else {
            "10.0.0.0/8"
        };
        c.ec2
            .authorize_security_group_ingress()
            .group_id(&id)
            .ip_permissions(ingress("tcp", 22, 22, cidr, "ssh"))
            .send()
            .await?;
    }
    let mut left = instances;
    while left > 0 {
        let n = left.min(25);
        c.ec2
            .run_instances()
            .image_id("ami-12345678")
            .instance_type(ec2t::InstanceType::T3Micro)
            .min_count(n as i32)
            .max_count(n as i32)
            .user_data(b64(GOOD_USER_DATA))
            .send()
            .await?;
        left -= n;
    }
    for i in 0..dbs {
        db_instance(&c, &format!("scale-db-{i:03}"), i % 2 == 0, None).await?;
    }
    for i in 0..users {
        let name = format!("scale-user-{i:03}");
        c.iam.create_user().user_name(&name).send().await?;
        c.iam.create_access_key().user_name(&name).send().await?;
    }
    Ok(())
}

/// A container definition passing PILLAR-ECS-001 to 006, or (`bad`) failing
/// each of them.
fn container(name: &str, bad: bool) -> Result<aws_sdk_ecs::types::ContainerDefinition> {
    use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair, LogConfiguration, LogDriver};
    let c = ContainerDefinition::builder()
        .name(name)
        .image(format!(
            "{}.dkr.ecr.us-east-1.amazonaws.com/{name}:1",
            crate::ACCOUNT
        ))
        .essential(true)
        .memory(512);
    Ok(if bad {
        c.privileged(true)
            .environment(
                KeyValuePair::builder()
                    .name("DB_PASSWORD")
                    .value(ECS_ENV_PASSWORD)
                    .build(),
            )
            .build()
    } else {
        c.user("1000:1000")
            .readonly_root_filesystem(true)
            .privileged(false)
            .environment(
                KeyValuePair::builder()
                    .name("LOG_LEVEL")
                    .value("info")
                    .build(),
            )
            .log_configuration(
                LogConfiguration::builder()
                    .log_driver(LogDriver::Awslogs)
                    .options("awslogs-group", "/ecs/web")
                    .build()?,
            )
            .build()
    })
}

/// PILLAR-ECS-001 to 010: two clusters, two task definitions and two
/// services (see `Scenario`).
async fn containers(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_ecs::types::{
        AssignPublicIp, AwsVpcConfiguration, ClusterSetting, ClusterSettingName, LaunchType,
        NetworkConfiguration, NetworkMode,
    };
    let cluster = |name: &'static str, insights: bool| {
        let mut req = c.ecs.create_cluster().cluster_name(name);
        if insights {
            req = req.settings(
                ClusterSetting::builder()
                    .name(ClusterSettingName::ContainerInsights)
                    .value("enabled")
                    .build(),
            );
        }
        req.send()
    };
    let arn = |out: Option<&aws_sdk_ecs::types::Cluster>| {
        out.and_then(|c| c.cluster_arn())
            .map(str::to_owned)
            .ok_or("CreateCluster returned no ARN")
    };
    s.ecs_cluster_good = arn(cluster("pillar-apps", true).await?.cluster())?;
    s.ecs_cluster_bare = arn(cluster("pillar-legacy", false).await?.cluster())?;
    let mut tasks = Vec::new();
    for (family, bad) in [("pillar-web", false), ("pillar-legacy", true)] {
        let mode = if bad {
            NetworkMode::Host
        } else {
            NetworkMode::Awsvpc
        };
        let out = c
            .ecs
            .register_task_definition()
            .family(family)
            .network_mode(mode)
            .container_definitions(container(family, bad)?)
            .send()
            .await?;
        tasks.push(
            out.task_definition()
                .and_then(|t| t.task_definition_arn())
                .ok_or("RegisterTaskDefinition returned no ARN")?
                .to_owned(),
        );
    }
    s.task_good = tasks[0].clone();
    s.task_bad = tasks[1].clone();
    let mut services = Vec::new();
    for (name, bad) in [("web", false), ("legacy", true)] {
        let mut vpc = AwsVpcConfiguration::builder()
            .subnets(&s.subnet_a)
            .security_groups(&s.sg_web);
        vpc = if bad {
            vpc.assign_public_ip(AssignPublicIp::Enabled)
        } else {
            vpc.subnets(&s.subnet_b)
                .assign_public_ip(AssignPublicIp::Disabled)
        };
        let out = c
            .ecs
            .create_service()
            .cluster(&s.ecs_cluster_good)
            .service_name(name)
            .task_definition(&s.task_good)
            .desired_count(if bad { 1 } else { 2 })
            .launch_type(LaunchType::Fargate)
            .network_configuration(
                NetworkConfiguration::builder()
                    .awsvpc_configuration(vpc.build()?)
                    .build(),
            )
            .send()
            .await?;
        services.push(
            out.service()
                .and_then(|s| s.service_arn())
                .ok_or("CreateService returned no ARN")?
                .to_owned(),
        );
    }
    s.service_good = services[0].clone();
    s.service_bad = services[1].clone();
    Ok(())
}

/// PILLAR-ECR-001 to 005: a repository passing every rule, and one with
/// AWS's defaults and a policy open to anyone.
async fn repositories(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_ecr::types::{
        EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
    };
    let good = c
        .ecr
        .create_repository()
        .repository_name("pillar/web")
        .image_tag_mutability(ImageTagMutability::Immutable)
        .image_scanning_configuration(
            ImageScanningConfiguration::builder()
                .scan_on_push(true)
                .build(),
        )
        .encryption_configuration(
            EncryptionConfiguration::builder()
                .encryption_type(EncryptionType::Kms)
                .kms_key(&s.key_good)
                .build()?,
        )
        .send()
        .await?;
    s.repo_good = good
        .repository()
        .and_then(|r| r.repository_arn())
        .ok_or("CreateRepository returned no ARN")?
        .to_owned();
    c.ecr
        .put_lifecycle_policy()
        .repository_name("pillar/web")
        .lifecycle_policy_text(ECR_LIFECYCLE)
        .send()
        .await?;
    c.ecr
        .set_repository_policy()
        .repository_name("pillar/web")
        .policy_text(ECR_ORG_POLICY)
        .send()
        .await?;
    let bad = c
        .ecr
        .create_repository()
        .repository_name("pillar/legacy")
        .send()
        .await?;
    s.repo_bad = bad
        .repository()
        .and_then(|r| r.repository_arn())
        .ok_or("CreateRepository returned no ARN")?
        .to_owned();
    c.ecr
        .set_repository_policy()
        .repository_name("pillar/legacy")
        .policy_text(ECR_PUBLIC_POLICY)
        .send()
        .await?;
    Ok(())
}

/// The literal password task_bad's container carries in its environment
/// (PILLAR-ECS-006): collected, and masked in every message.
pub const ECS_ENV_PASSWORD: &str = "Legacy-Db-Pa55word-9c1e";
const ECR_LIFECYCLE: &str = r#"{"rules":[{"rulePriority":1,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#;
const ECR_ORG_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Org","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-pillar"}}}]}"#;
const ECR_PUBLIC_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#;

/// PILLAR-DDB-001 to 003: one table with every protection, on key_good;
/// one with none, on DynamoDB's AWS-owned key.
async fn tables(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType,
        PointInTimeRecoverySpecification, ScalarAttributeType, SseSpecification, SseType, Tag,
    };
    for (name, good) in [("pillar-orders", true), ("pillar-scratch", false)] {
        let mut create = c
            .dynamodb
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()?,
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()?,
            )
            .tags(Tag::builder().key("owner").value("pillar").build()?)
            .deletion_protection_enabled(good);
        if good {
            create = create.sse_specification(
                SseSpecification::builder()
                    .enabled(true)
                    .sse_type(SseType::Kms)
                    .kms_master_key_id(&s.key_good)
                    .build(),
            );
        }
        let out = create.send().await?;
        let arn = out
            .table_description()
            .and_then(|t| t.table_arn())
            .ok_or("CreateTable returned no ARN")?
            .to_owned();
        if good {
            c.dynamodb
                .update_continuous_backups()
                .table_name(name)
                .point_in_time_recovery_specification(
                    PointInTimeRecoverySpecification::builder()
                        .point_in_time_recovery_enabled(true)
                        .build()?,
                )
                .send()
                .await?;
            s.table_good = arn;
        } else {
            s.table_bad = arn;
        }
    }
    Ok(())
}

/// PILLAR-ECH-001 to 008: a replication group with everything on, one with
/// nothing, and a standalone single-node Redis cluster.
async fn caches(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_elasticache::types::Tag;
    let owner = Tag::builder().key("owner").value("pillar").build();
    let good = c
        .elasticache
        .create_replication_group()
        .replication_group_id("pillar-sessions")
        .replication_group_description("sessions")
        .engine("redis")
        .cache_node_type("cache.t4g.small")
        .num_cache_clusters(2)
        .automatic_failover_enabled(true)
        .multi_az_enabled(true)
        .at_rest_encryption_enabled(true)
        .kms_key_id(&s.key_good)
        .transit_encryption_enabled(true)
        .auth_token(CACHE_AUTH_TOKEN)
        .snapshot_retention_limit(7)
        .auto_minor_version_upgrade(true)
        .tags(owner.clone())
        .send()
        .await?;
    s.cache_group_good = cache_arn(
        good.replication_group().and_then(|g| g.arn()),
        "replicationgroup:pillar-sessions",
    );
    let bad = c
        .elasticache
        .create_replication_group()
        .replication_group_id("pillar-plain")
        .replication_group_description("plain")
        .engine("redis")
        .cache_node_type("cache.t4g.small")
        .num_cache_clusters(1)
        .automatic_failover_enabled(false)
        .multi_az_enabled(false)
        .snapshot_retention_limit(0)
        .auto_minor_version_upgrade(false)
        .tags(owner.clone())
        .send()
        .await?;
    s.cache_group_bad = cache_arn(
        bad.replication_group().and_then(|g| g.arn()),
        "replicationgroup:pillar-plain",
    );
    let single = c
        .elasticache
        .create_cache_cluster()
        .cache_cluster_id("pillar-single")
        .engine("redis")
        .cache_node_type("cache.t4g.micro")
        .num_cache_nodes(1)
        .auto_minor_version_upgrade(true)
        .tags(owner)
        .send()
        .await?;
    s.cache_cluster_single = cache_arn(
        single.cache_cluster().and_then(|c| c.arn()),
        "cluster:pillar-single",
    );
    Ok(())
}

/// An ElastiCache ARN as the API returned it, or in the standard form.
fn cache_arn(returned: Option<&str>, rest: &str) -> String {
    returned
        .map(str::to_owned)
        .unwrap_or_else(|| format!("arn:aws:elasticache:us-east-1:{}:{rest}", crate::ACCOUNT))
}

/// The seeded replication group's AUTH token: it must never reach a
/// snapshot or a report.
pub const CACHE_AUTH_TOKEN: &str = "pillar-seeded-auth-token-5c2e9d0b";

/// PILLAR-EFS-001 to 004.
async fn file_systems(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_efs::types::Tag;
    let owner = Tag::builder().key("owner").value("pillar").build()?;
    let good = c
        .efs
        .create_file_system()
        .creation_token("pillar-shared")
        .encrypted(true)
        .kms_key_id(&s.key_good)
        .backup(true)
        .tags(owner.clone())
        .send()
        .await?;
    let bad = c
        .efs
        .create_file_system()
        .creation_token("pillar-open")
        .encrypted(false)
        .backup(false)
        .tags(owner.clone())
        .send()
        .await?;
    let one_zone = c
        .efs
        .create_file_system()
        .creation_token("pillar-scratch-fs")
        .encrypted(true)
        .availability_zone_name("us-east-1a")
        .tags(owner)
        .send()
        .await?;
    for (fs, policy) in [(&good, EFS_MOUNT_TARGET_POLICY), (&bad, EFS_OPEN_POLICY)] {
        c.efs
            .put_file_system_policy()
            .file_system_id(fs.file_system_id())
            .policy(policy)
            .send()
            .await?;
    }
    let arn = |fs: &aws_sdk_efs::operation::create_file_system::CreateFileSystemOutput| {
        fs.file_system_arn().map(str::to_owned).unwrap_or_else(|| {
            format!(
                "arn:aws:elasticfilesystem:us-east-1:{}:file-system/{}",
                crate::ACCOUNT,
                fs.file_system_id()
            )
        })
    };
    s.fs_good = arn(&good);
    s.fs_bad = arn(&bad);
    s.fs_one_zone = arn(&one_zone);
    Ok(())
}

/// Anyone, but only through a mount target (passes PILLAR-EFS-003).
pub const EFS_MOUNT_TARGET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientWrite"],"Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"true"}}}]}"#;
/// Anyone, with no condition (PILLAR-EFS-003).
pub const EFS_OPEN_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"elasticfilesystem:*"}]}"#;

/// PILLAR-ASG-001 to 006: two launch configurations and two groups. The
/// groups launch nothing (desired capacity 0), so no instance joins the
/// EC2 rules' scenario.
async fn auto_scaling(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_autoscaling::types::{
        BlockDeviceMapping, Ebs, InstanceMetadataHttpTokensState, InstanceMetadataOptions,
        LaunchTemplateSpecification,
    };
    let device = |name: &str, encrypted: bool| {
        BlockDeviceMapping::builder()
            .device_name(name)
            .ebs(Ebs::builder().volume_size(10).encrypted(encrypted).build())
            .build()
    };
    for (name, good) in [("lc-good", true), ("lc-bad", false)] {
        let tokens = if good {
            InstanceMetadataHttpTokensState::Required
        } else {
            InstanceMetadataHttpTokensState::Optional
        };
        c.autoscaling
            .create_launch_configuration()
            .launch_configuration_name(name)
            .image_id("ami-12345678")
            .instance_type("t3.micro")
            .security_groups(&s.sg_web)
            .user_data(b64(if good { GOOD_USER_DATA } else { BAD_USER_DATA }))
            .associate_public_ip_address(!good)
            .metadata_options(
                InstanceMetadataOptions::builder()
                    .http_tokens(tokens)
                    .build(),
            )
            .block_device_mappings(device("/dev/sdf", good))
            .send()
            .await?;
    }
    let described = c
        .autoscaling
        .describe_launch_configurations()
        .send()
        .await?;
    let lc_arn = |name: &str| {
        described
            .launch_configurations()
            .iter()
            .find(|l| l.launch_configuration_name() == Some(name))
            .and_then(|l| l.launch_configuration_arn())
            .map(str::to_owned)
            .ok_or("DescribeLaunchConfigurations lacks a seeded configuration")
    };
    s.lc_good = lc_arn("lc-good")?;
    s.lc_bad = lc_arn("lc-bad")?;
    let target_group = c
        .elb
        .create_target_group()
        .name("pillar-asg")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&s.vpc)
        .send()
        .await?
        .target_groups()
        .first()
        .and_then(|t| t.target_group_arn())
        .ok_or("CreateTargetGroup returned no ARN")?
        .to_owned();
    c.autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name("asg-good")
        .launch_template(
            LaunchTemplateSpecification::builder()
                .launch_template_id(&s.lt_good)
                .version("$Default")
                .build(),
        )
        .min_size(0)
        .max_size(2)
        .desired_capacity(0)
        .vpc_zone_identifier(format!("{},{}", s.subnet_a, s.subnet_b))
        .target_group_arns(&target_group)
        .health_check_type("ELB")
        .send()
        .await?;
    c.autoscaling
        .create_auto_scaling_group()
        .auto_scaling_group_name("asg-bad")
        .launch_configuration_name("lc-bad")
        .min_size(0)
        .max_size(2)
        .desired_capacity(0)
        .vpc_zone_identifier(&s.subnet_a)
        .target_group_arns(&target_group)
        .health_check_type("EC2")
        .send()
        .await?;
    let described = c.autoscaling.describe_auto_scaling_groups().send().await?;
    let group_arn = |name: &str| {
        described
            .auto_scaling_groups()
            .iter()
            .find(|g| g.auto_scaling_group_name() == Some(name))
            .and_then(|g| g.auto_scaling_group_arn())
            .map(str::to_owned)
            .ok_or("DescribeAutoScalingGroups lacks a seeded group")
    };
    s.asg_good = group_arn("asg-good")?;
    s.asg_bad = group_arn("asg-bad")?;
    Ok(())
}

/// PILLAR-EKS-001 to 005: a cluster passing every rule and one failing
/// them all. moto keeps the endpoint access, logging and encryption
/// settings it is given and answers them back.
async fn clusters(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_eks::types::{
        EncryptionConfig, LogSetup, LogType, Logging, Provider, VpcConfigRequest,
    };
    let role = "arn:aws:iam::123456789012:role/eks-cluster";
    let vpc = |public_cidr: &str, private: bool| {
        VpcConfigRequest::builder()
            .subnet_ids(&s.subnet_a)
            .subnet_ids(&s.subnet_b)
            .endpoint_public_access(true)
            .endpoint_private_access(private)
            .public_access_cidrs(public_cidr)
            .build()
    };
    // The API deprecated `resources` (EKS now encrypts all API data), but
    // moto 5.1.22 and Terraform's `encryption_config` still name what the
    // key covers, so the seed says "secrets" as a user's config would.
    #[allow(deprecated)]
    let secrets_encryption = EncryptionConfig::builder()
        .resources("secrets")
        .provider(Provider::builder().key_arn(&s.key_good).build())
        .build();
    let good = c
        .eks
        .create_cluster()
        .name("eks-good")
        .role_arn(role)
        .version("1.35")
        .resources_vpc_config(vpc("203.0.113.0/24", true))
        .logging(
            Logging::builder()
                .cluster_logging(
                    LogSetup::builder()
                        .types(LogType::Api)
                        .types(LogType::Audit)
                        .types(LogType::Authenticator)
                        .enabled(true)
                        .build(),
                )
                .build(),
        )
        .encryption_config(secrets_encryption)
        .send()
        .await?;
    let bad = c
        .eks
        .create_cluster()
        .name("eks-bad")
        .role_arn(role)
        .version("1.29")
        .resources_vpc_config(vpc("0.0.0.0/0", false))
        .send()
        .await?;
    let arn = |out: Option<&aws_sdk_eks::types::Cluster>| {
        out.and_then(|c| c.arn())
            .map(str::to_owned)
            .ok_or("CreateCluster returned no ARN")
    };
    s.eks_good = arn(good.cluster())?;
    s.eks_bad = arn(bad.cluster())?;
    Ok(())
}
