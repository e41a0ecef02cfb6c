//! Derived attributes: facts that span several resources, computed once on
//! the host before rules run, because a rule pack only ever sees a batch of
//! one kind.
//!
//! [`derive`] is identical for every source (live, plan, fixture) and
//! idempotent: it first removes whatever derived attributes (and their
//! `unknown` pointers) a snapshot already carries, then computes them again.
//! When an input is unknown, the derived attribute is written as `null` and
//! listed in the resource's `unknown` pointers: never guessed. A known
//! violation still wins: a known overlap or a known internet-routed subnet is
//! recorded even when other inputs are unknown.
//!
//! Each attribute is documented in docs/resource-model.md, "Derived attributes".
//!
//! One module per derived fact; this one holds what they share (the scope
//! ids are unique in, reading known and unknown values) and [`derive`],
//! which computes each fact once and writes it onto the kinds in
//! [`DERIVED`].

mod backup_coverage;
mod environments;
mod group_zones;
mod internet_routing;
mod key_users;
mod log_monitoring;
mod service_azs;
mod trail_buckets;
mod vpc_overlaps;
mod workloads;

#[cfg(test)]
mod tests;

pub use environments::{ENVIRONMENT_TAGS, environment_class};
pub use vpc_overlaps::MAX_OVERLAPS_LISTED;
pub use workloads::WORKLOAD_TAGS;

use serde_json::Value;

use crate::{Resource, Snapshot};
use backup_coverage::backup_coverage;
use environments::environments;
use group_zones::group_zones;
use internet_routing::{db_subnets, subnet_groups, subnet_routing};
use key_users::key_users;
use log_monitoring::log_monitoring;
use service_azs::subnet_zones;
use trail_buckets::trail_buckets;
use vpc_overlaps::vpc_overlaps;
#[cfg(test)]
use vpc_overlaps::vpc_overlaps_by_scan;
use workloads::workloads;

/// Every attribute this module writes, by kind (`*` = every kind).
pub const DERIVED: &[(&str, &str)] = &[
    ("aws_subnet", "internet_routed"),
    ("aws_instance", "internet_routed"),
    ("aws_instance", "workload"),
    ("aws_instance", "workload_running_instances"),
    ("aws_instance", "workload_running_azs"),
    ("aws_db_instance", "internet_routed_subnet_ids"),
    ("aws_kms_key", "used_by"),
    ("aws_cloudtrail", "s3_bucket"),
    ("aws_cloudtrail", "log_metric_filters"),
    ("aws_vpc", "overlapping_vpcs_same_account"),
    ("aws_vpc", "overlapping_vpcs_other_accounts"),
    ("aws_ecs_service", "subnet_availability_zones"),
    ("aws_autoscaling_group", "zones"),
    ("*", "environment_tag"),
    ("*", "environment_class"),
    ("*", "account_production_resources"),
    ("aws_db_instance", "backup_plans"),
    ("aws_rds_cluster", "backup_plans"),
    ("aws_ebs_volume", "backup_plans"),
    ("aws_dynamodb_table", "backup_plans"),
    ("aws_efs_file_system", "backup_plans"),
];

/// Computes every derived attribute of `snapshot` in place.
pub fn derive(snapshot: &mut Snapshot) {
    for r in &mut snapshot.resources {
        clear(r);
    }
    let subnets = subnet_routing(&snapshot.resources);
    let workloads = workloads(&snapshot.resources);
    let overlaps = vpc_overlaps(&snapshot.resources);
    let environments = environments(&snapshot.resources);
    let key_users = key_users(&snapshot.resources);
    let trail_buckets = trail_buckets(&snapshot.resources);
    let group_zones = group_zones(&snapshot.resources);
    let plan = snapshot.source.kind == crate::SourceKind::TerraformPlan;
    let mut monitoring = log_monitoring(&snapshot.resources, &snapshot.gaps, plan);
    let mut coverage = backup_coverage(&snapshot.resources, &snapshot.gaps, plan);
    let resources = &snapshot.resources;
    let groups = subnet_groups(resources);
    let zones = subnet_zones(resources);
    let mut updates: Vec<Vec<(&'static str, Derived)>> = Vec::with_capacity(resources.len());
    for (i, r) in resources.iter().enumerate() {
        let mut u = Vec::new();
        let scope = Scope::of(r);
        match r.kind.as_str() {
            "aws_subnet" => u.push(("internet_routed", subnets.routed(&scope, str_attr(r, "id")))),
            "aws_instance" => {
                u.push((
                    "internet_routed",
                    subnets.routed(&scope, str_attr(r, "subnet_id")),
                ));
                u.extend(workloads[i].clone());
            }
            "aws_db_instance" => u.push((
                "internet_routed_subnet_ids",
                db_subnets(r, &scope, &groups, &subnets),
            )),
            "aws_vpc" => u.extend(overlaps[i].clone()),
            service_azs::SERVICE => u.push(("subnet_availability_zones", zones.of_service(r))),
            "aws_kms_key" => u.extend(key_users[i].clone().map(|d| ("used_by", d))),
            log_monitoring::TRAIL => {
                u.extend(trail_buckets[i].clone().map(|d| ("s3_bucket", d)));
                u.extend(
                    monitoring[i]
                        .as_ref()
                        .map(|(d, _)| ("log_metric_filters", d.clone())),
                );
            }
            group_zones::GROUP => u.extend(group_zones[i].clone().map(|d| ("zones", d))),
            _ => {}
        }
        u.extend(environments[i].clone());
        u.extend(coverage[i].take().map(|d| ("backup_plans", d)));
        updates.push(u);
    }
    for ((r, u), m) in snapshot
        .resources
        .iter_mut()
        .zip(updates)
        .zip(&mut monitoring)
    {
        for (name, value) in u {
            set(r, name, value);
        }
        // Unknown parts of a known list (a filter's pattern, an alarm link).
        if let Some((_, pointers)) = m.take() {
            for p in pointers {
                if !r.unknown.iter().any(String::is_empty) && !r.unknown.contains(&p) {
                    r.unknown.push(p);
                }
            }
        }
    }
}

/// A derived value: known, or unknown (written as `null` and listed).
#[derive(Debug, Clone, PartialEq)]
enum Derived {
    Known(Value),
    /// Known as a whole, with the pointers (relative to it) below it that
    /// are not.
    Partial(Value, Vec<String>),
    Unknown,
}

fn clear(r: &mut Resource) {
    for (kind, name) in DERIVED {
        if *kind == "*" || *kind == r.kind {
            r.attributes.remove(*name);
            // No pointer strings built: this runs for every resource.
            r.unknown.retain(|u| !at_or_below(u, name));
        }
    }
}

/// Whether pointer `u` is `/{name}` or below it.
fn at_or_below(u: &str, name: &str) -> bool {
    u.strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn set(r: &mut Resource, name: &str, value: Derived) {
    match value {
        Derived::Known(v) => {
            r.attributes.insert(name.to_owned(), v);
        }
        Derived::Partial(v, unknown) => {
            r.attributes.insert(name.to_owned(), v);
            if !r.unknown.iter().any(String::is_empty) {
                r.unknown
                    .extend(unknown.into_iter().map(|u| format!("/{name}{u}")));
            }
        }
        Derived::Unknown => {
            r.attributes.insert(name.to_owned(), Value::Null);
            let pointer = format!("/{name}");
            // Already covered if the whole resource is unknown.
            if !r.unknown.iter().any(String::is_empty) && !r.unknown.contains(&pointer) {
                r.unknown.push(pointer);
            }
        }
    }
}

/// Account and region: ids such as `subnet-…` are only unique within them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Scope {
    account: String,
    region: String,
}

impl Scope {
    fn of(r: &Resource) -> Scope {
        Scope {
            account: r.account.clone().unwrap_or_default(),
            region: r.region.clone().unwrap_or_default(),
        }
    }
}

/// True when `pointer` or an ancestor is listed in the resource's `unknown`.
fn is_unknown(r: &Resource, pointer: &str) -> bool {
    r.unknown.iter().any(|u| {
        u.is_empty()
            || pointer == u
            || (pointer.starts_with(u.as_str()) && pointer.as_bytes().get(u.len()) == Some(&b'/'))
    })
}

/// True when something at or below `pointer` is unknown.
fn unknown_within(r: &Resource, pointer: &str) -> bool {
    is_unknown(r, pointer)
        || r.unknown
            .iter()
            .any(|u| u.starts_with(pointer) && u.as_bytes().get(pointer.len()) == Some(&b'/'))
}

/// A string attribute: `Err(())` if unknown, `Ok(None)` if absent or empty.
fn str_attr<'a>(r: &'a Resource, name: &str) -> Result<Option<&'a str>, ()> {
    if is_unknown(r, &format!("/{name}")) {
        return Err(());
    }
    Ok(r.attributes
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty()))
}

fn tags_unknown(r: &Resource) -> bool {
    unknown_within(r, "/tags") || unknown_within(r, "/tags_all")
}

/// A tag value by key without regard to case, `tags_all` preferred.
fn tag<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    ["tags_all", "tags"].iter().find_map(|field| {
        r.attributes
            .get(*field)
            .and_then(Value::as_object)
            .and_then(|t| t.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .and_then(|(_, v)| v.as_str())
    })
}
