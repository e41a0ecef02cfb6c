//! Per-kind normalisation into the model's shapes (docs/resource-model.md):
//! provider one-element lists become objects, user data becomes plaintext,
//! `aws_default_security_group` becomes an `aws_security_group` named
//! `default`, and computed attributes the configuration does not declare
//! become the model's "none".

mod autoscaling;
mod backup;
mod cloudfront;
mod dynamodb;
mod ecs;
mod efs;
mod eks;
pub(crate) mod elasticache;
mod lambda;
mod messaging;

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::config::{self, Configuration};
use crate::pointer::{self, clear, collapse_list, covered};
use crate::world::Planned;

/// What the configuration says about one argument of a resource.
struct Declared<'a> {
    expressions: Option<&'a Value>,
}

impl Declared<'_> {
    /// The configuration sets the argument (literally or by reference).
    fn sets(&self, attr: &str) -> bool {
        self.expressions.and_then(|e| e.get(attr)).is_some()
    }
    fn constant(&self, attr: &str) -> Option<&Value> {
        self.expressions
            .and_then(|e| e.get(attr))
            .and_then(config::constant)
    }
}

pub fn normalise(p: &mut Planned, config: &Configuration) {
    let cfg = config.resource(&p.addr.module_path(), &p.addr.local());
    let declared = Declared {
        expressions: cfg.and_then(|c| c.get("expressions")),
    };
    if let Some(resource) = cfg {
        tags_all_without_default_tags(p, config, resource);
    }
    match p.tf_type.as_str() {
        "aws_default_security_group" => {
            p.kind = "aws_security_group".to_owned();
            p.attrs.insert("name".into(), json!("default"));
            clear(&mut p.unknown, "/name");
            security_group(p, &declared);
        }
        "aws_security_group" => security_group(p, &declared),
        "aws_instance" | "aws_launch_configuration" => {
            if p.tf_type == "aws_launch_configuration" {
                autoscaling::launch_configuration(p, &declared);
            }
            // Older providers compute user data when it is not configured.
            none_if_undeclared(p, &declared, "user_data", Value::Null);
            none_if_undeclared(p, &declared, "user_data_base64", Value::Null);
            hashed_user_data(p, &declared);
            if p.tf_type == "aws_instance" {
                new_instance_state(p);
            }
            for block in ["metadata_options", "root_block_device"] {
                one_block(p, block);
            }
        }
        "aws_launch_template" => {
            none_if_undeclared(p, &declared, "user_data", Value::Null);
            base64_user_data(p, "user_data");
            one_block(p, "metadata_options");
        }
        "aws_s3_bucket" => s3_bucket(p, &declared),
        "aws_db_instance" => {
            password_literal(p, config, &declared, "password");
            p.attrs
                .insert("automated_backups_replications".into(), json!([]));
            if !p.attrs.contains_key("subnet_ids") {
                p.attrs.insert("subnet_ids".into(), json!([]));
            }
        }
        "aws_rds_cluster" => {
            password_literal(p, config, &declared, "master_password");
            cluster_storage_default(p, &declared);
        }
        "aws_ebs_snapshot" => {
            // Joined from aws_snapshot_create_volume_permission.
            p.attrs.insert("public".into(), json!(false));
            p.attrs.insert("shared_with".into(), json!([]));
        }
        "aws_ebs_volume" => {
            p.attrs.insert("attachments".into(), json!([]));
        }
        "aws_vpc" => {
            let primary = if covered(&p.unknown, "/cidr_block") {
                p.unknown
                    .insert("/cidr_block_associations/0/cidr_block".into());
                json!([{"cidr_block": null}])
            } else {
                match p.attrs.get("cidr_block").filter(|v| !v.is_null()) {
                    Some(c) => json!([{"cidr_block": c}]),
                    None => json!([]),
                }
            };
            p.attrs.insert("cidr_block_associations".into(), primary);
            // Filled by `aws_flow_log` joins: in a plan, none declared is none.
            p.attrs.insert("flow_logs".into(), json!([]));
        }
        "aws_network_acl" | "aws_default_network_acl" => {
            // Entries and subnets may come from aws_network_acl_rule and
            // aws_network_acl_association joins instead: undeclared is none.
            // Terraform replaces a default ACL's entries with the declared
            // ones, so for both kinds the declared entries are all of them.
            for attr in ["ingress", "egress", "subnet_ids"] {
                none_if_undeclared(p, &declared, attr, json!([]));
            }
            let default = p.tf_type == "aws_default_network_acl";
            p.attrs.insert("is_default".into(), json!(default));
        }
        "aws_lb" | "aws_alb" => load_balancer(p, &declared),
        "aws_lb_listener" | "aws_alb_listener" => {
            p.kind = "aws_lb_listener".to_owned();
        }
        "aws_wafv2_web_acl" => web_acl(p),
        "aws_kms_key" => kms_key(p, &declared),
        "aws_config_configuration_recorder" => {
            // AWS's default recording group records every supported type;
            // the recorder runs only once an
            // aws_config_configuration_recorder_status starts it (joined).
            none_if_undeclared(
                p,
                &declared,
                "recording_group",
                json!([{"all_supported": true, "include_global_resource_types": false, "resource_types": []}]),
            );
            one_block(p, "recording_group");
            p.attrs.insert("is_enabled".into(), json!(false));
        }
        "aws_cloudfront_distribution" => cloudfront::distribution(p),
        t if t.starts_with("aws_ecs_") || t == "aws_ecr_repository" => ecs::normalise(p, &declared),
        "aws_lambda_function" => lambda::function(p, &declared),
        "aws_sns_topic" => messaging::topic(p, &declared),
        "aws_sqs_queue" => messaging::queue(p, &declared),
        "aws_autoscaling_group" => autoscaling::group(p, &declared),
        "aws_eks_cluster" => eks::cluster(p, &declared),
        "aws_guardduty_detector" => default_if_absent(p, "enable", json!(true)),
        "aws_secretsmanager_secret" => {
            // Rotation comes from aws_secretsmanager_secret_rotation joins
            // (older providers had it inline: kept when known).
            if p.attrs.get("rotation_enabled").and_then(Value::as_bool) != Some(true) {
                p.attrs.insert("rotation_enabled".into(), json!(false));
                p.attrs.insert("rotation_rules".into(), Value::Null);
            } else {
                one_block(p, "rotation_rules");
            }
            clear(&mut p.unknown, "/rotation_enabled");
        }
        "aws_route_table" => {
            none_if_undeclared(p, &declared, "route", json!([]));
            p.attrs.insert("associations".into(), json!([]));
        }
        "aws_iam_user" => {
            for attr in ["managed_policy_arns", "inline_policies", "groups"] {
                p.attrs.insert(attr.into(), json!([]));
            }
            // Console passwords, MFA devices and access-key usage are not in
            // a plan: unknown, so a rule says unknown rather than "none".
            for attr in ["password_enabled", "mfa_devices", "access_keys"] {
                p.attrs.insert(attr.into(), Value::Null);
                p.unknown.insert(format!("/{attr}"));
            }
        }
        "aws_iam_group" => {
            for attr in ["managed_policy_arns", "inline_policies", "members"] {
                p.attrs.insert(attr.into(), json!([]));
            }
        }
        "aws_iam_role" => {
            none_if_undeclared(p, &declared, "managed_policy_arns", json!([]));
            none_if_undeclared(p, &declared, "inline_policy", json!([]));
            // Providers before v3.38 have no `managed_policy_arns`: none
            // inline, attachments are joined.
            if p.attrs
                .get("managed_policy_arns")
                .is_none_or(Value::is_null)
                && !covered(&p.unknown, "/managed_policy_arns")
            {
                p.attrs.insert("managed_policy_arns".into(), json!([]));
            }
            let inline = match p.attrs.remove("inline_policy") {
                Some(Value::Array(items)) => Value::Array(
                    items
                        .into_iter()
                        .filter(|i| i.get("name").is_some_and(|n| !n.is_null()))
                        .map(|i| json!({"name": i["name"], "policy": i["policy"]}))
                        .collect(),
                ),
                _ => json!([]),
            };
            pointer::rename(&mut p.unknown, "inline_policy", "inline_policies");
            p.attrs.insert("inline_policies".into(), inline);
        }
        "aws_iam_policy" => {
            p.attrs.insert(
                "attachments".into(),
                json!({"users": [], "groups": [], "roles": []}),
            );
        }
        "aws_backup_plan" | "aws_backup_selection" | "aws_backup_vault" => {
            backup::normalise(p, &declared)
        }
        "aws_iam_account_password_policy" => {
            p.attrs.insert("configured".into(), json!(true));
        }
        "aws_dynamodb_table" => dynamodb::table(p, &declared),
        "aws_elasticache_replication_group" => elasticache::replication_group(p, &declared),
        "aws_elasticache_cluster" => elasticache::cluster(p, &declared),
        "aws_efs_file_system" => efs::file_system(p, &declared),
        _ => {}
    }
}

/// `aws_alb` is `aws_lb` by its older name. Access logs off is the block
/// left out; the web ACL comes from `aws_wafv2_web_acl_association` joins
/// (none declared is none); an undeclared `internal` is internet-facing.
/// `drop_invalid_header_fields` is absent from providers that predate it:
/// left absent, so a rule says unknown.
fn load_balancer(p: &mut Planned, declared: &Declared<'_>) {
    p.kind = "aws_lb".to_owned();
    one_block(p, "access_logs");
    if !p.attrs.contains_key("access_logs") {
        p.attrs.insert(
            "access_logs".into(),
            json!({"enabled": false, "bucket": null, "prefix": null}),
        );
    }
    none_if_undeclared(p, declared, "internal", json!(false));
    none_if_undeclared(p, declared, "load_balancer_type", json!("application"));
    p.attrs.insert("web_acl_arn".into(), Value::Null);
}

/// Rules written as `rule_json` instead of blocks are not read: the rules
/// are unknown. Logging comes from `aws_wafv2_web_acl_logging_configuration`
/// joins (none declared is none).
fn web_acl(p: &mut Planned) {
    let json_rules = p
        .attrs
        .get("rule_json")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
        || covered(&p.unknown, "/rule_json");
    if json_rules {
        p.attrs.insert("rule".into(), Value::Null);
        p.unknown.insert("/rule".into());
    } else if !p.attrs.contains_key("rule") && !covered(&p.unknown, "/rule") {
        p.attrs.insert("rule".into(), json!([]));
    }
    // The provider's `default_action { allow {} }` block as the live
    // model's one word.
    let action = p.attrs.get("default_action").map(|v| match v {
        Value::Array(items) => match items.first() {
            Some(a)
                if a.get("block")
                    .and_then(Value::as_array)
                    .is_some_and(|b| !b.is_empty()) =>
            {
                json!("block")
            }
            Some(a)
                if a.get("allow")
                    .and_then(Value::as_array)
                    .is_some_and(|b| !b.is_empty()) =>
            {
                json!("allow")
            }
            _ => Value::Null,
        },
        other => other.clone(),
    });
    if let Some(action) = action {
        collapse_list(&mut p.unknown, "default_action");
        p.attrs.insert("default_action".into(), action);
    }
    p.attrs.insert("logging_configuration".into(), Value::Null);
}

/// A key Terraform manages is the customer's, of KMS's own material; its
/// state follows `is_enabled` (a key being deleted is not in the planned
/// state). An undeclared policy is AWS's default key policy (`null`), unless
/// an `aws_kms_key_policy` join sets it.
fn kms_key(p: &mut Planned, declared: &Declared<'_>) {
    p.attrs.insert("key_manager".into(), json!("CUSTOMER"));
    p.attrs.insert("origin".into(), json!("AWS_KMS"));
    none_if_undeclared(p, declared, "policy", Value::Null);
    for (attr, default) in [
        ("enable_key_rotation", json!(false)),
        ("is_enabled", json!(true)),
        ("key_usage", json!("ENCRYPT_DECRYPT")),
        ("customer_master_key_spec", json!("SYMMETRIC_DEFAULT")),
    ] {
        none_if_undeclared(p, declared, attr, default.clone());
        if p.attrs.get(attr).is_none_or(Value::is_null) && !covered(&p.unknown, &format!("/{attr}"))
        {
            p.attrs.insert(attr.into(), default);
        }
    }
    if covered(&p.unknown, "/is_enabled") {
        p.unknown.insert("/key_state".into());
        p.attrs.insert("key_state".into(), Value::Null);
    } else {
        let enabled = p.attrs.get("is_enabled").and_then(Value::as_bool) != Some(false);
        let state = if enabled { "Enabled" } else { "Disabled" };
        p.attrs.insert("key_state".into(), json!(state));
    }
}

/// A JSON-text attribute that holds an object (an SQS redrive policy),
/// parsed: `null` or `""` is none, text that is not a JSON object is an
/// error (the caller makes it unknown).
pub(crate) fn json_object(v: &Value) -> Result<Value, ()> {
    match v {
        Value::Null => Ok(Value::Null),
        Value::String(s) if s.trim().is_empty() => Ok(Value::Null),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(o @ Value::Object(_)) => Ok(o),
            _ => Err(()),
        },
        Value::Object(_) => Ok(v.clone()),
        _ => Err(()),
    }
}

/// A known-absent (or null) attribute takes the provider's default.
fn default_if_absent(p: &mut Planned, attr: &str, default: Value) {
    if p.attrs.get(attr).is_none_or(Value::is_null) && !covered(&p.unknown, &format!("/{attr}")) {
        p.attrs.insert(attr.into(), default);
    }
}

/// `tags_all` is computed (tags plus the provider's `default_tags`), so a
/// plan often shows it unknown. When the resource's provider configuration
/// declares no `default_tags`, it is exactly the known `tags`.
fn tags_all_without_default_tags(p: &mut Planned, config: &Configuration, resource: &Value) {
    if !covered(&p.unknown, "/tags_all") || covered(&p.unknown, "/tags") {
        return;
    }
    if config.declares_default_tags(resource) != Some(false) {
        return;
    }
    let tags = match p.attrs.get("tags") {
        Some(Value::Object(t)) => Value::Object(t.clone()),
        _ => json!({}),
    };
    clear(&mut p.unknown, "/tags_all");
    p.attrs.insert("tags_all".into(), tags);
}

/// A new instance's `instance_state` is computed, but the provider creates
/// it running and waits for that: absent, the model's "planned, will run"
/// (docs/resource-model.md, derived attributes). A new instance has no stop
/// history either, so rules about stopped instances do not apply.
fn new_instance_state(p: &mut Planned) {
    if matches!(p.action.as_str(), "create" | "replace") && covered(&p.unknown, "/instance_state") {
        clear(&mut p.unknown, "/instance_state");
        p.attrs.remove("instance_state");
    }
}

/// An attribute the provider computes when the configuration is silent is
/// unknown in the plan; when the configuration does not declare it at all,
/// the resource has none of it.
fn none_if_undeclared(p: &mut Planned, declared: &Declared<'_>, attr: &str, none: Value) {
    let at = format!("/{}", pointer::escape(attr));
    if covered(&p.unknown, &at) && !declared.sets(attr) {
        clear(&mut p.unknown, &at);
        p.attrs.insert(attr.to_owned(), none);
    }
}

fn security_group(p: &mut Planned, declared: &Declared<'_>) {
    // Rules declared as separate resources are joined later; inline blocks
    // the configuration does not declare are none.
    none_if_undeclared(p, declared, "ingress", json!([]));
    none_if_undeclared(p, declared, "egress", json!([]));
}

/// `metadata_options` and friends: the provider's one-element list becomes
/// an object; an empty list means the block is not set (provider default).
fn one_block(p: &mut Planned, attr: &str) {
    let at = format!("/{attr}");
    let first = match p.attrs.get(attr) {
        Some(Value::Array(items)) => items.first().cloned(),
        Some(Value::Object(o)) => Some(Value::Object(o.clone())),
        _ => None,
    };
    collapse_list(&mut p.unknown, attr);
    match first {
        Some(v) => {
            p.attrs.insert(attr.to_owned(), v);
        }
        None if covered(&p.unknown, &at) => {
            p.attrs.insert(attr.to_owned(), Value::Null);
        }
        None => {
            p.attrs.remove(attr);
        }
    }
}

/// `aws_instance.user_data` in a plan is the SHA-1 hex of the content; the
/// plaintext is only in the configuration when it is a literal.
fn hashed_user_data(p: &mut Planned, declared: &Declared<'_>) {
    let literal = declared
        .constant("user_data")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let in_plan = p.attrs.get("user_data").cloned();
    let is_hash = in_plan
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()));
    if let Some(text) = literal {
        p.attrs.insert("user_data".into(), json!(text));
        clear(&mut p.unknown, "/user_data");
    } else if is_hash || (covered(&p.unknown, "/user_data")) {
        // The plan holds only a hash, or the value is computed: unknown.
        p.attrs.insert("user_data".into(), Value::Null);
        p.unknown.insert("/user_data".into());
    }
    if covered(&p.unknown, "/user_data_base64") {
        p.unknown.insert("/user_data".into());
    } else if p
        .attrs
        .get("user_data_base64")
        .is_some_and(|v| v.is_string())
    {
        base64_user_data(p, "user_data_base64");
    }
}

/// Decodes base64 user data into `user_data`; content that is not UTF-8
/// text (gzip, MIME archives compressed) cannot be searched: unknown.
fn base64_user_data(p: &mut Planned, attr: &str) {
    if covered(&p.unknown, &format!("/{attr}")) {
        p.unknown.insert("/user_data".into());
        p.attrs.insert("user_data".into(), Value::Null);
        return;
    }
    let Some(encoded) = p.attrs.get(attr).and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let cleaned: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    match decoded {
        Some(text) => {
            p.attrs.insert("user_data".into(), json!(text));
        }
        None => {
            p.attrs.insert("user_data".into(), Value::Null);
            p.unknown.insert("/user_data".into());
        }
    }
}

/// `master_password_literal`: the password is a literal in the
/// configuration. The password itself is never copied.
fn password_literal(p: &mut Planned, config: &Configuration, declared: &Declared<'_>, attr: &str) {
    let literal = match declared.expressions.and_then(|e| e.get(attr)) {
        None => Some(false),
        Some(expr) => literal_in_code(config, &p.addr.module_path(), expr, 0),
    };
    match literal {
        Some(literal) => {
            p.attrs
                .insert("master_password_literal".into(), json!(literal));
        }
        None => {
            p.attrs
                .insert("master_password_literal".into(), Value::Null);
            p.unknown.insert("/master_password_literal".into());
        }
    }
}

/// Whether an expression's value is a non-empty string literal written in
/// the configuration: directly, or through input variables (a module call's
/// literal argument, or a variable's declared default when the call or the
/// root run leaves it at that default). `None` when the plan cannot tell:
/// locals are not in a plan's configuration.
fn literal_in_code(
    config: &Configuration,
    module: &[String],
    expr: &Value,
    depth: usize,
) -> Option<bool> {
    if let Some(v) = config::constant(expr) {
        return Some(v.as_str().is_some_and(|s| !s.is_empty()));
    }
    let refs = config::references(expr);
    let Some(first) = refs.first() else {
        return Some(false);
    };
    if first.starts_with("local.") {
        return None;
    }
    let Some(var) = first.strip_prefix("var.") else {
        // Another resource's attribute or a data source (a generated
        // password, a secret store): not a literal.
        return Some(false);
    };
    let var = var.split(['.', '[']).next().unwrap_or(var);
    let default = config.variable_default(module, var);
    let non_empty = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    match module.split_last() {
        None => {
            // The root: a literal in code only when the run used the declared
            // default (a value from tfvars, the environment or -var is not
            // visible in the configuration).
            let used = config.variables.get(var);
            Some(non_empty(default) && (used.is_none() || used == default))
        }
        Some((call, parent)) => {
            if depth > 64 {
                return None;
            }
            match config
                .call(parent, call)
                .and_then(|c| c.get("expressions"))
                .and_then(|e| e.get(var))
            {
                Some(arg) => literal_in_code(config, parent, arg, depth + 1),
                None => Some(non_empty(default)),
            }
        }
    }
}

/// `aws_rds_cluster.storage_encrypted` is optional and computed in the
/// provider, so a plan shows it unknown whenever the configuration is
/// silent. RDS has no account-level default: a new provisioned cluster that
/// is not restored from a snapshot, not a replica and not in a global
/// cluster is created unencrypted. Only in exactly that case is the unknown
/// resolved, to `false`; anything else stays unknown.
fn cluster_storage_default(p: &mut Planned, declared: &Declared<'_>) {
    if !covered(&p.unknown, "/storage_encrypted") || declared.sets("storage_encrypted") {
        return;
    }
    let unset = |p: &Planned, attr: &str| {
        !covered(&p.unknown, &format!("/{attr}"))
            && match p.attrs.get(attr) {
                None | Some(Value::Null) => true,
                Some(Value::Array(a)) => a.is_empty(),
                Some(Value::String(s)) => s.is_empty(),
                _ => false,
            }
    };
    let provisioned = !covered(&p.unknown, "/engine_mode")
        && p.attrs.get("engine_mode").and_then(Value::as_str) == Some("provisioned");
    let fresh = p.action == "create"
        && [
            "snapshot_identifier",
            "replication_source_identifier",
            "global_cluster_identifier",
            "restore_to_point_in_time",
            "s3_import",
            "source_region",
        ]
        .iter()
        .all(|a| unset(p, a) && !declared.sets(a));
    if provisioned && fresh {
        clear(&mut p.unknown, "/storage_encrypted");
        p.attrs.insert("storage_encrypted".into(), json!(false));
    }
}

fn s3_bucket(p: &mut Planned, declared: &Declared<'_>) {
    if let Some(region) = &p.region {
        p.attrs.insert("region".into(), json!(region));
        clear(&mut p.unknown, "/region");
    }
    // Provider v4+ computes these on the bucket and declares them on split
    // resources (joined later); v3 declares them inline.
    none_if_undeclared(
        p,
        declared,
        "server_side_encryption_configuration",
        json!([]),
    );
    none_if_undeclared(p, declared, "versioning", json!([]));
    none_if_undeclared(p, declared, "logging", json!([]));
    none_if_undeclared(p, declared, "replication_configuration", json!([]));
    none_if_undeclared(p, declared, "acl", Value::Null);
    none_if_undeclared(p, declared, "grant", json!([]));
    none_if_undeclared(p, declared, "policy", Value::Null);

    one_block(p, "server_side_encryption_configuration");
    if !p.attrs.contains_key("server_side_encryption_configuration") {
        p.attrs
            .insert("server_side_encryption_configuration".into(), Value::Null);
    }
    one_block(p, "logging");
    match p.attrs.get("logging").cloned() {
        Some(Value::Object(l)) => {
            p.attrs.insert(
                "logging".into(),
                json!({"target_bucket": l.get("target_bucket"), "target_prefix": l.get("target_prefix")}),
            );
        }
        _ if !covered(&p.unknown, "/logging") => {
            p.attrs.insert("logging".into(), Value::Null);
        }
        _ => {}
    }
    one_block(p, "versioning");
    if !covered(&p.unknown, "/versioning") {
        let v = p.attrs.get("versioning").cloned().unwrap_or(Value::Null);
        p.attrs.insert(
            "versioning".into(),
            json!({
                "enabled": v.get("enabled").and_then(Value::as_bool).unwrap_or(false),
                "mfa_delete": v.get("mfa_delete").and_then(Value::as_bool).unwrap_or(false),
            }),
        );
    }
    one_block(p, "replication_configuration");
    if let Some(Value::Object(r)) = p.attrs.get("replication_configuration").cloned() {
        p.attrs
            .insert("replication_configuration".into(), replication(&r));
    } else if !covered(&p.unknown, "/replication_configuration") {
        p.attrs
            .insert("replication_configuration".into(), Value::Null);
    }
    if p.attrs.get("policy").and_then(Value::as_str) == Some("") {
        p.attrs.insert("policy".into(), Value::Null);
    }
    // Joined attributes are always written: "none" until a split resource
    // says otherwise.
    for attr in ["policy", "acl", "public_access_block"] {
        p.attrs.entry(attr).or_insert(Value::Null);
    }
    let grants = grants(p.attrs.get("grant").unwrap_or(&Value::Null));
    pointer::rename(&mut p.unknown, "grant", "acl_grants");
    p.attrs.insert("acl_grants".into(), grants);
}

/// The provider's replication block (inline `replication_configuration[0]`
/// or the split resource) in the model's shape.
pub fn replication(r: &Map<String, Value>) -> Value {
    let rules: Vec<Value> = r
        .get("rules")
        .or_else(|| r.get("rule"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|rule| {
            let dest = match &rule["destination"] {
                Value::Array(d) => d.first().cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            json!({
                "id": rule.get("id"),
                "status": rule.get("status"),
                "destination": {
                    "bucket": dest.get("bucket"),
                    "region": Value::Null,
                    "storage_class": dest.get("storage_class"),
                }
            })
        })
        .collect();
    json!({"role": r.get("role"), "rules": rules})
}

/// Inline `grant` blocks (one per grantee, with a list of permissions) or
/// `access_control_policy[0].grant[*]` (one per permission) as the model's
/// one-per-permission `acl_grants`.
pub fn grants(grant: &Value) -> Value {
    let mut out = Vec::new();
    for g in grant.as_array().into_iter().flatten() {
        let grantee = match &g["grantee"] {
            Value::Array(list) => list.first().cloned().unwrap_or(Value::Null),
            other => other.clone(),
        };
        let source = if grantee.is_object() { &grantee } else { g };
        let entry = |perm: &Value| {
            json!({
                "type": source.get("type"),
                "uri": source.get("uri").filter(|v| v.as_str() != Some("")),
                "id": source.get("id").filter(|v| v.as_str() != Some("")),
                "permission": perm,
            })
        };
        match (&g["permissions"], &g["permission"]) {
            (Value::Array(perms), _) => out.extend(perms.iter().map(entry)),
            (_, perm) if !perm.is_null() => out.push(entry(perm)),
            _ => {}
        }
    }
    Value::Array(out)
}
