//! Built-in EC2 rules: security groups open to the world, and AWS service
//! endpoints hardcoded in instance and launch-template user data.

use pillar_rule_sdk::prelude::*;

mod endpoints;
mod security_groups;

pub const SG_ADMIN_PORTS: &str = "PILLAR-EC2-001";
pub const SG_DATABASE_PORTS: &str = "PILLAR-EC2-002";
pub const USER_DATA_ENDPOINTS: &str = "PILLAR-EC2-003";

const DOCS: &str = "https://github.com/pillar-scan/pillar/blob/main/rules/";

pub struct Ec2Pack;

impl RulePack for Ec2Pack {
    fn info() -> PackInfo {
        PackInfo {
            name: "pillar-ec2".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules: vec![
                rule(
                    SG_ADMIN_PORTS,
                    "Security groups do not admit SSH or RDP from the internet",
                    Severity::High,
                    Pillar::Security,
                    "SEC05-BP02",
                    &["aws_security_group"],
                    "An ingress rule admits 0.0.0.0/0 or ::/0 to an administration port \
                     (22/SSH, 3389/RDP), directly, through a port range or through an \
                     all-protocol rule. Restrict the source to a bastion, VPN or corporate \
                     CIDR, or use SSM Session Manager and close the port.",
                    &format!("{DOCS}PILLAR-EC2-001.md"),
                ),
                rule(
                    SG_DATABASE_PORTS,
                    "Security groups do not admit database or cache ports from the internet",
                    Severity::High,
                    Pillar::Security,
                    "SEC05-BP02",
                    &["aws_security_group"],
                    "An ingress rule admits 0.0.0.0/0 or ::/0 to a database or cache port \
                     (MySQL 3306, PostgreSQL 5432, SQL Server 1433/1434, Oracle 1521/2483/2484, \
                     MongoDB 27017/27018, Redis 6379, Memcached 11211, Elasticsearch 9200/9300, \
                     Redshift 5439, Cassandra 9042, CouchDB 5984). Data stores belong in private \
                     subnets, reachable only from the application's security group.",
                    &format!("{DOCS}PILLAR-EC2-002.md"),
                ),
                rule(
                    USER_DATA_ENDPOINTS,
                    "User data does not hardcode AWS service endpoints",
                    Severity::Medium,
                    Pillar::Reliability,
                    "REL11-BP02",
                    &["aws_instance", "aws_launch_template"],
                    "The instance's user data names a resource-specific AWS endpoint (an RDS, \
                     ElastiCache, ELB, OpenSearch, Redshift, DocumentDB, MSK, MQ or API Gateway \
                     host). A failover, restore or migration changes it and \
                     the instance keeps the stale one. Resolve endpoints at boot from SSM \
                     Parameter Store, Secrets Manager or service discovery.",
                    &format!("{DOCS}PILLAR-EC2-003.md"),
                ),
            ],
        }
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_security_group" => {
                for (i, sg) in batch.iter().enumerate() {
                    security_groups::check(i, sg, out);
                }
                Ok(())
            }
            "aws_instance" | "aws_launch_template" => {
                for (i, r) in batch.iter().enumerate() {
                    endpoints::check(i, r, out);
                }
                Ok(())
            }
            other => Err(EvalError::UnsupportedKind(other.to_owned())),
        }
    }
}

pillar_rule_sdk::register!(Ec2Pack);
