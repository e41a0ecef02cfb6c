//! The synthetic workload: a seeded, deterministic estate of AWS resources
//! in "units" of [`UNIT_SIZE`] resources each, roughly what one small service
//! owns: a VPC with subnets, security groups with many rules, instances and a
//! launch template with user data, buckets (split into their configuration
//! resources in a plan), RDS instances in a nested module, IAM users and a
//! policy, EBS volumes and an Elastic IP.
//!
//! A fraction of resources violates the built-in rules (world-open admin and
//! database ports, unencrypted RDS, hardcoded endpoints, missing bucket
//! encryption), so rules do real work, and in the plan form a fraction of
//! values is unknown at plan time, as in real plans.
//!
//! Every unit is generated from its own random stream, so writers can walk
//! the units several times (a plan lists each resource three times) without
//! holding the workload in memory: a million resources stream out in
//! constant memory.

use serde_json::{Map, Value, json};

use crate::rng::Rng;

/// Model resources per unit (a plan has more Terraform resources per unit,
/// because buckets are split into their configuration resources).
pub const UNIT_SIZE: usize = 25;

/// The account every synthetic resource belongs to.
pub const ACCOUNT: &str = "210987654321";

/// Regions the snapshot spreads units over; plans use the first.
pub const REGIONS: &[&str] = &["eu-west-1", "us-east-1", "ap-southeast-2"];

/// One model resource, with the Terraform resources that express it in a plan.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: &'static str,
    /// Terraform resource name inside its module.
    pub name: String,
    /// Module path below the unit's module: `""` or `"data"`.
    pub submodule: &'static str,
    pub region: &'static str,
    /// The live ARN.
    pub arn: String,
    /// Attributes in the model's joined shape (docs/resource-model.md).
    pub attributes: Value,
    /// The resource as Terraform plans it, then any split resources.
    pub plan: Vec<PlanResource>,
}

/// One resource of a Terraform plan.
#[derive(Debug, Clone)]
pub struct PlanResource {
    pub kind: &'static str,
    pub name: String,
    /// `change.after`.
    pub after: Value,
    /// `change.after_unknown`: `true` at each attribute unknown at plan time.
    pub after_unknown: Value,
    /// Configuration expressions that are references, by attribute, e.g.
    /// `bucket` → `["aws_s3_bucket.assets_0.id", "aws_s3_bucket.assets_0"]`.
    /// Every other known top-level attribute is a `constant_value`.
    pub references: Vec<(&'static str, Vec<String>)>,
}

/// A workload of about `resources` model resources under `seed`.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub seed: u64,
    pub units: usize,
}

impl Workload {
    /// The smallest number of whole units holding at least `resources`.
    pub fn new(seed: u64, resources: usize) -> Workload {
        Workload {
            seed,
            units: resources.div_ceil(UNIT_SIZE).max(1),
        }
    }

    /// Model resources in the workload.
    pub fn resources(&self) -> usize {
        self.units * UNIT_SIZE
    }

    /// The resources of unit `k`, the same on every call.
    pub fn unit(&self, k: usize) -> Vec<Spec> {
        Unit::new(self.seed, k).specs()
    }
}

/// State for generating one unit.
struct Unit {
    rng: Rng,
    k: usize,
    region: &'static str,
}

const ADMIN_PORTS: &[u16] = &[22, 3389];
const DB_PORTS: &[u16] = &[3306, 5432, 1433, 6379, 27017];
const SAFE_PORTS: &[u16] = &[80, 443, 8080, 8443, 9090, 25, 53, 123];

impl Unit {
    fn new(seed: u64, k: usize) -> Unit {
        Unit {
            rng: Rng::new(seed, k as u64),
            k,
            region: REGIONS[k % REGIONS.len()],
        }
    }

    fn arn(&self, service: &str, rest: &str) -> String {
        format!("arn:aws:{service}:{}:{ACCOUNT}:{rest}", self.region)
    }

    fn specs(mut self) -> Vec<Spec> {
        let vpc_id = format!("vpc-{}", self.rng.hex(17));
        let mut out = Vec::with_capacity(UNIT_SIZE);
        out.push(self.vpc(&vpc_id));
        for j in 0..2 {
            out.push(self.subnet(j, &vpc_id));
        }
        for j in 0..5 {
            out.push(self.security_group(j, &vpc_id));
        }
        for j in 0..4 {
            out.push(self.instance(j));
        }
        out.push(self.launch_template());
        for j in 0..3 {
            out.push(self.bucket(j));
        }
        for j in 0..2 {
            out.push(self.db_instance(j));
        }
        for j in 0..3 {
            out.push(self.iam_user(j));
        }
        out.push(self.iam_policy());
        for j in 0..2 {
            out.push(self.volume(j));
        }
        out.push(self.eip());
        debug_assert_eq!(out.len(), UNIT_SIZE);
        out
    }

    fn tags(&mut self, name: &str) -> Value {
        let env = *self.rng.pick(&["prod", "staging", "dev"]);
        json!({"Name": name, "environment": env, "owner": format!("team-{}", self.k % 17)})
    }

    fn single(
        &self,
        kind: &'static str,
        name: String,
        arn: String,
        attributes: Value,
        unknown: &[&str],
    ) -> Spec {
        let after = without(&attributes, unknown);
        Spec {
            kind,
            name: name.clone(),
            submodule: "",
            region: self.region,
            arn,
            plan: vec![PlanResource {
                kind,
                name,
                after_unknown: unknown_map(unknown),
                after,
                references: Vec::new(),
            }],
            attributes,
        }
    }

    fn vpc(&mut self, vpc_id: &str) -> Spec {
        // /16s drawn from a small space, so some VPCs overlap, as in estates
        // that grew by copy-paste.
        let cidr = format!("10.{}.0.0/16", self.rng.below(64));
        let name = format!("unit-{}", self.k);
        let attrs = json!({
            "id": vpc_id, "cidr_block": cidr,
            "cidr_block_associations": [{"cidr_block": cidr}],
            "enable_dns_support": true, "enable_dns_hostnames": true,
            "instance_tenancy": "default", "tags": self.tags(&name),
        });
        let arn = self.arn("ec2", &format!("vpc/{vpc_id}"));
        self.single("aws_vpc", "main".into(), arn, attrs, &["id", "arn"])
    }

    fn subnet(&mut self, j: usize, vpc_id: &str) -> Spec {
        let id = format!("subnet-{}", self.rng.hex(17));
        let az = format!("{}{}", self.region, ["a", "b", "c"][j % 3]);
        let attrs = json!({
            "id": id, "vpc_id": vpc_id, "cidr_block": format!("10.0.{j}.0/24"),
            "availability_zone": az, "map_public_ip_on_launch": j == 0,
            "tags": self.tags(&format!("unit-{}-{j}", self.k)),
        });
        let arn = self.arn("ec2", &format!("subnet/{id}"));
        let mut spec = self.single(
            "aws_subnet",
            format!("s{j}"),
            arn,
            attrs,
            &["id", "arn", "vpc_id"],
        );
        spec.plan[0]
            .references
            .push(("vpc_id", refs("aws_vpc.main", "id")));
        spec
    }

    fn security_group(&mut self, j: usize, vpc_id: &str) -> Spec {
        let id = format!("sg-{}", self.rng.hex(17));
        let name = format!("unit-{}-sg-{j}", self.k);
        let rules = 3 + self.rng.below(10) as usize;
        let mut ingress = Vec::with_capacity(rules);
        for _ in 0..rules {
            let (port, world) = if self.rng.chance(4) {
                (*self.rng.pick(ADMIN_PORTS), true)
            } else if self.rng.chance(3) {
                (*self.rng.pick(DB_PORTS), true)
            } else {
                (*self.rng.pick(SAFE_PORTS), self.rng.chance(30))
            };
            let cidr = if world {
                "0.0.0.0/0".to_owned()
            } else {
                format!("10.{}.0.0/16", self.rng.below(64))
            };
            ingress.push(sg_rule(port, port, vec![cidr]));
        }
        let attrs = json!({
            "id": id, "name": name, "description": "synthetic", "vpc_id": vpc_id,
            "owner_id": ACCOUNT, "ingress": ingress,
            "egress": [sg_rule_all(vec!["0.0.0.0/0".into()])],
            "tags": self.tags(&name),
        });
        let arn = self.arn("ec2", &format!("security-group/{id}"));
        let mut spec = self.single(
            "aws_security_group",
            format!("sg{j}"),
            arn,
            attrs,
            &["id", "arn", "owner_id", "vpc_id"],
        );
        spec.plan[0]
            .references
            .push(("vpc_id", refs("aws_vpc.main", "id")));
        spec
    }

    fn user_data(&mut self) -> String {
        let mut script = String::from(
            "#!/bin/bash\nset -euo pipefail\nyum install -y nginx amazon-cloudwatch-agent\n",
        );
        for line in 0..(5 + self.rng.below(20)) {
            script.push_str(&format!(
                "echo 'configure step {line}' >> /var/log/boot.log\n"
            ));
        }
        if self.rng.chance(15) {
            script.push_str(&format!(
                "export DB_HOST=orders-{}.c8xk2ty9wqzp.{}.rds.amazonaws.com\n",
                self.rng.hex(6),
                self.region
            ));
        }
        script.push_str("systemctl enable --now nginx\n");
        script
    }

    fn instance(&mut self, j: usize) -> Spec {
        let id = format!("i-{}", self.rng.hex(17));
        let name = format!("unit-{}-web-{j}", self.k);
        let user_data = self.user_data();
        let attrs = json!({
            "id": id, "instance_type": self.rng.pick(&["t3.micro", "m6i.large", "c7g.xlarge"]),
            "ami": format!("ami-{}", self.rng.hex(17)),
            "availability_zone": format!("{}{}", self.region, ["a", "b"][j % 2]),
            "subnet_id": format!("subnet-{}", self.rng.hex(17)),
            "vpc_security_group_ids": [format!("sg-{}", self.rng.hex(17))],
            "key_name": null, "private_ip": format!("10.0.{}.{}", j, 10 + self.rng.below(200)),
            "public_ip": null, "instance_state": "running", "user_data": user_data,
            "metadata_options": {"http_tokens": if self.rng.chance(70) { "required" } else { "optional" }, "http_endpoint": "enabled"},
            "tags": self.tags(&name),
        });
        let arn = self.arn("ec2", &format!("instance/{id}"));
        self.single(
            "aws_instance",
            format!("web{j}"),
            arn,
            attrs,
            &["id", "arn", "private_ip", "public_ip", "instance_state"],
        )
    }

    fn launch_template(&mut self) -> Spec {
        let id = format!("lt-{}", self.rng.hex(17));
        let name = format!("unit-{}-lt", self.k);
        let user_data = self.user_data();
        let attrs = json!({
            "id": id, "name": name, "image_id": format!("ami-{}", self.rng.hex(17)),
            "instance_type": "m6i.large", "vpc_security_group_ids": [],
            "user_data": user_data, "latest_version": 1, "default_version": 1,
            "metadata_options": {"http_tokens": "required", "http_endpoint": "enabled"},
            "tags": self.tags(&name),
        });
        let arn = self.arn("ec2", &format!("launch-template/{id}"));
        let mut spec = self.single(
            "aws_launch_template",
            "app".into(),
            arn,
            attrs,
            &["id", "arn", "latest_version", "default_version"],
        );
        // Terraform holds launch-template user data base64-encoded.
        spec.plan[0].after["user_data"] = Value::String(base64(user_data.as_bytes()));
        spec
    }

    fn bucket(&mut self, j: usize) -> Spec {
        let name = format!("synthetic-{}-{}-{j}", self.k, self.rng.hex(8));
        let encrypted = !self.rng.chance(10);
        let versioned = self.rng.chance(80);
        let blocked = self.rng.chance(85);
        let sse = json!({"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": null}], "bucket_key_enabled": true}]});
        let pab = json!({"block_public_acls": blocked, "block_public_policy": blocked, "ignore_public_acls": blocked, "restrict_public_buckets": blocked});
        let arn = format!("arn:aws:s3:::{name}");
        let tags = self.tags(&name);
        let attributes = json!({
            "bucket": name, "arn": arn, "region": self.region,
            "server_side_encryption_configuration": if encrypted { sse.clone() } else { Value::Null },
            "versioning": {"enabled": versioned, "mfa_delete": false},
            "public_access_block": pab, "policy": null, "tags": tags,
        });
        let tf_name = format!("b{j}");
        let bucket_ref = || vec![("bucket", refs(&format!("aws_s3_bucket.b{j}"), "id"))];
        let mut plan = vec![PlanResource {
            kind: "aws_s3_bucket",
            name: tf_name.clone(),
            after: json!({"bucket": name, "force_destroy": false, "tags": tags}),
            after_unknown: unknown_map(&["id", "arn", "region", "bucket_domain_name"]),
            references: Vec::new(),
        }];
        // The split configuration resources name their bucket by reference,
        // so `bucket` is unknown at plan time: only the reference joins them.
        if encrypted {
            let mut after = sse;
            after["bucket"] = Value::Null;
            plan.push(split(
                "aws_s3_bucket_server_side_encryption_configuration",
                &tf_name,
                after,
                bucket_ref(),
            ));
        }
        plan.push(split(
            "aws_s3_bucket_versioning",
            &tf_name,
            json!({"bucket": null, "versioning_configuration": [{"status": if versioned { "Enabled" } else { "Suspended" }, "mfa_delete": null}]}),
            bucket_ref(),
        ));
        let mut after = pab;
        after["bucket"] = Value::Null;
        plan.push(split(
            "aws_s3_bucket_public_access_block",
            &tf_name,
            after,
            bucket_ref(),
        ));
        Spec {
            kind: "aws_s3_bucket",
            name: tf_name,
            submodule: "",
            region: self.region,
            arn,
            attributes,
            plan,
        }
    }

    fn db_instance(&mut self, j: usize) -> Spec {
        let identifier = format!("unit-{}-db-{j}", self.k);
        let encrypted = !self.rng.chance(12);
        let replicated = self.rng.chance(40);
        let dest = REGIONS[(self.k + 1) % REGIONS.len()];
        let arn = self.arn("rds", &format!("db:{identifier}"));
        let replications = if replicated {
            json!([{"destination_region": dest, "source_db_instance_arn": arn, "retention_period": 7, "kms_key_id": null}])
        } else {
            json!([])
        };
        let attrs = json!({
            "identifier": identifier, "engine": self.rng.pick(&["postgres", "mysql"]),
            "engine_version": "16.4", "instance_class": "db.r6g.large", "allocated_storage": 100,
            "storage_type": "gp3", "storage_encrypted": encrypted, "kms_key_id": null,
            "publicly_accessible": self.rng.chance(5), "multi_az": self.rng.chance(60),
            "backup_retention_period": self.rng.pick(&[0, 1, 7, 14]),
            "deletion_protection": self.rng.chance(70),
            "performance_insights_enabled": self.rng.chance(50),
            "db_subnet_group_name": format!("unit-{}", self.k), "vpc_security_group_ids": [],
            "replicate_source_db": null, "automated_backups_replications": replications,
            "tags": self.tags(&identifier),
        });
        let mut spec = self.single(
            "aws_db_instance",
            format!("db{j}"),
            arn,
            attrs,
            &["arn", "address", "kms_key_id"],
        );
        spec.submodule = "data";
        // In a plan the replication is its own resource, pointing at the
        // instance by reference.
        let plan_main = &mut spec.plan[0];
        if let Some(obj) = plan_main.after.as_object_mut() {
            obj.remove("automated_backups_replications");
        }
        if replicated {
            spec.plan.push(split(
                "aws_db_instance_automated_backups_replication",
                &format!("db{j}"),
                json!({"source_db_instance_arn": null, "retention_period": 7}),
                vec![(
                    "source_db_instance_arn",
                    refs(&format!("aws_db_instance.db{j}"), "arn"),
                )],
            ));
        }
        spec
    }

    fn iam_user(&mut self, j: usize) -> Spec {
        let name = format!("unit-{}-user-{j}", self.k);
        let keys: Vec<Value> = (0..self.rng.below(3))
            .map(|_| {
                json!({"access_key_id": format!("AKIA{}", self.rng.hex(16).to_uppercase()),
                       "status": "Active", "create_date": "2025-01-15T09:00:00Z",
                       "last_used_date": null})
            })
            .collect();
        let attrs = json!({
            "name": name, "path": "/", "password_enabled": self.rng.chance(50),
            "mfa_devices": if self.rng.chance(60) { json!([{"serial_number": format!("arn:aws:iam::{ACCOUNT}:mfa/{name}"), "enable_date": "2025-02-01T00:00:00Z"}]) } else { json!([]) },
            "access_keys": keys, "managed_policy_arns": [], "inline_policies": [], "groups": [],
            "tags": {},
        });
        let arn = format!("arn:aws:iam::{ACCOUNT}:user/{name}");
        let mut spec = self.single(
            "aws_iam_user",
            format!("u{j}"),
            arn,
            attrs,
            &["arn", "unique_id"],
        );
        spec.region = "";
        spec
    }

    fn iam_policy(&mut self) -> Spec {
        let name = format!("unit-{}-deploy", self.k);
        let action = if self.rng.chance(10) {
            "*"
        } else {
            "s3:GetObject"
        };
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]});
        let attrs = json!({
            "name": name, "path": "/", "policy": doc.to_string(),
            "attachments": {"users": [], "groups": [], "roles": []}, "tags": {},
        });
        let arn = format!("arn:aws:iam::{ACCOUNT}:policy/{name}");
        let mut spec = self.single(
            "aws_iam_policy",
            "deploy".into(),
            arn,
            attrs,
            &["arn", "policy_id"],
        );
        spec.region = "";
        spec
    }

    fn volume(&mut self, j: usize) -> Spec {
        let id = format!("vol-{}", self.rng.hex(17));
        let attached = self.rng.chance(80);
        let attrs = json!({
            "id": id, "availability_zone": format!("{}a", self.region), "size": 100, "type": "gp3",
            "encrypted": self.rng.chance(85), "kms_key_id": null,
            "state": if attached { "in-use" } else { "available" },
            "attachments": if attached { json!([{"instance_id": format!("i-{}", self.rng.hex(17)), "device": "/dev/xvdf"}]) } else { json!([]) },
            "tags": self.tags(&format!("unit-{}-vol-{j}", self.k)),
        });
        let arn = self.arn("ec2", &format!("volume/{id}"));
        self.single(
            "aws_ebs_volume",
            format!("v{j}"),
            arn,
            attrs,
            &["id", "arn", "state", "attachments"],
        )
    }

    fn eip(&mut self) -> Spec {
        let id = format!("eipalloc-{}", self.rng.hex(17));
        let associated = self.rng.chance(85);
        let attrs = json!({
            "id": id, "public_ip": format!("203.0.113.{}", self.rng.below(250)), "domain": "vpc",
            "instance": null, "network_interface": null,
            "association_id": if associated { Value::String(format!("eipassoc-{}", self.rng.hex(17))) } else { Value::Null },
            "tags": {},
        });
        let arn = self.arn("ec2", &format!("elastic-ip/{id}"));
        self.single(
            "aws_eip",
            "ip".into(),
            arn,
            attrs,
            &["id", "public_ip", "association_id"],
        )
    }
}

fn sg_rule(from: u16, to: u16, cidrs: Vec<String>) -> Value {
    json!({"description": "", "protocol": "tcp", "from_port": from, "to_port": to,
           "cidr_blocks": cidrs, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
           "security_groups": [], "self": false})
}

fn sg_rule_all(cidrs: Vec<String>) -> Value {
    json!({"description": "", "protocol": "-1", "from_port": 0, "to_port": 0,
           "cidr_blocks": cidrs, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
           "security_groups": [], "self": false})
}

fn split(
    kind: &'static str,
    name: &str,
    after: Value,
    references: Vec<(&'static str, Vec<String>)>,
) -> PlanResource {
    let unknown: Vec<&str> = std::iter::once("id")
        .chain(references.iter().map(|(attr, _)| *attr))
        .collect();
    PlanResource {
        kind,
        name: name.to_owned(),
        after,
        after_unknown: unknown_map(&unknown),
        references,
    }
}

/// Terraform's `references` for `target.attr`: the attribute, then the resource.
fn refs(target: &str, attr: &str) -> Vec<String> {
    vec![format!("{target}.{attr}"), target.to_owned()]
}

/// `attributes` without the keys that are unknown at plan time (Terraform
/// writes nothing for them in `after`).
fn without(attributes: &Value, unknown: &[&str]) -> Value {
    let mut after = attributes.clone();
    if let Some(obj) = after.as_object_mut() {
        for key in unknown {
            obj.remove(*key);
        }
    }
    after
}

fn unknown_map(keys: &[&str]) -> Value {
    let map: Map<String, Value> = keys
        .iter()
        .map(|k| ((*k).to_owned(), Value::Bool(true)))
        .collect();
    Value::Object(map)
}

/// Standard base64 with padding (Terraform's encoding of launch-template user
/// data); small enough not to warrant a dependency.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_deterministic_and_sized() {
        let w = Workload::new(42, 100);
        assert_eq!(w.units, 4);
        assert_eq!(w.resources(), 100);
        let a = w.unit(3);
        let b = w.unit(3);
        assert_eq!(a.len(), UNIT_SIZE);
        assert_eq!(
            a.iter().map(|s| &s.attributes).collect::<Vec<_>>(),
            b.iter().map(|s| &s.attributes).collect::<Vec<_>>()
        );
        assert_ne!(w.unit(2)[0].arn, a[0].arn);
    }

    #[test]
    fn a_large_workload_holds_violations_and_unknowns() {
        let w = Workload::new(7, 2_500);
        let specs: Vec<Spec> = (0..w.units).flat_map(|k| w.unit(k)).collect();
        let open_ssh = specs.iter().filter(|s| {
            s.kind == "aws_security_group"
                && s.attributes["ingress"].as_array().is_some_and(|rules| {
                    rules
                        .iter()
                        .any(|r| r["from_port"] == 22 && r["cidr_blocks"][0] == "0.0.0.0/0")
                })
        });
        assert!(open_ssh.count() > 0);
        let unencrypted = specs
            .iter()
            .filter(|s| s.kind == "aws_db_instance" && s.attributes["storage_encrypted"] == false);
        assert!(unencrypted.count() > 0);
        let split_buckets = specs
            .iter()
            .filter(|s| s.kind == "aws_s3_bucket" && s.plan.len() > 1);
        assert!(split_buckets.count() > 0);
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"#!/bin/bash\n"), "IyEvYmluL2Jhc2gK");
    }
}
