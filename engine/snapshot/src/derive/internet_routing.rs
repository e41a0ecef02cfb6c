//! Subnets routed to an internet gateway (`internet_routed` on subnets and
//! instances) and a DB instance's subnets that are
//! (`internet_routed_subnet_ids`): through route tables, their associations
//! and each VPC's main table.

use std::collections::HashMap;

use serde_json::Value;

use super::{Derived, Scope, is_unknown, str_attr, unknown_within};
use crate::Resource;

/// Per (scope, subnet id): whether its route table sends traffic to an
/// internet gateway; `None` when that is not known.
pub(super) struct SubnetRouting(HashMap<(Scope, String), Option<bool>>);

impl SubnetRouting {
    pub(super) fn routed(&self, scope: &Scope, subnet: Result<Option<&str>, ()>) -> Derived {
        match subnet {
            Ok(Some(id)) => match self.0.get(&(scope.clone(), id.to_owned())) {
                Some(Some(b)) => Derived::Known(Value::Bool(*b)),
                // Unknown routing, or a subnet the snapshot does not hold.
                _ => Derived::Unknown,
            },
            // No subnet at all (EC2-Classic, or not recorded): not decidable.
            Ok(None) | Err(()) => Derived::Unknown,
        }
    }
}

/// What one route table says.
struct Table<'a> {
    vpc: Result<Option<&'a str>, ()>,
    /// Explicitly associated subnet ids, `None` if the associations are unknown.
    subnets: Option<Vec<&'a str>>,
    main: Option<bool>,
    /// Whether a route targets an internet gateway; `None` if undecidable.
    to_igw: Option<bool>,
}

fn route_tables(resources: &[Resource]) -> HashMap<Scope, Vec<Table<'_>>> {
    let mut by_scope: HashMap<Scope, Vec<Table<'_>>> = HashMap::new();
    for r in resources.iter().filter(|r| r.kind == "aws_route_table") {
        let associations: Option<&[Value]> = if unknown_within(r, "/associations") {
            None
        } else {
            Some(
                r.attributes
                    .get("associations")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice),
            )
        };
        let subnets = associations.map(|a| {
            a.iter()
                .filter_map(|x| x.get("subnet_id").and_then(Value::as_str))
                .collect()
        });
        let main = associations.map(|a| {
            a.iter()
                .any(|x| x.get("main").and_then(Value::as_bool) == Some(true))
        });
        by_scope.entry(Scope::of(r)).or_default().push(Table {
            vpc: str_attr(r, "vpc_id"),
            subnets,
            main,
            to_igw: routes_to_igw(r),
        });
    }
    by_scope
}

fn routes_to_igw(r: &Resource) -> Option<bool> {
    if is_unknown(r, "/route") {
        return None;
    }
    let routes = r.attributes.get("route").and_then(Value::as_array);
    let mut undecided = false;
    for (n, route) in routes.into_iter().flatten().enumerate() {
        if is_unknown(r, &format!("/route/{n}/gateway_id")) {
            undecided = true;
            continue;
        }
        if route
            .get("gateway_id")
            .and_then(Value::as_str)
            .is_some_and(|g| g.starts_with("igw-"))
        {
            return Some(true);
        }
    }
    (!undecided).then_some(false)
}

pub(super) fn subnet_routing(resources: &[Resource]) -> SubnetRouting {
    let tables = route_tables(resources);
    let mut out = HashMap::new();
    for s in resources.iter().filter(|r| r.kind == "aws_subnet") {
        let scope = Scope::of(s);
        let (Ok(Some(id)), Ok(Some(vpc))) = (str_attr(s, "id"), str_attr(s, "vpc_id")) else {
            continue;
        };
        let in_scope = tables.get(&scope).map(Vec::as_slice).unwrap_or_default();
        out.insert((scope, id.to_owned()), table_verdict(in_scope, id, vpc));
    }
    SubnetRouting(out)
}

/// The routing of subnet `id` in `vpc`: its explicitly associated table,
/// else the VPC's main table.
fn table_verdict(tables: &[Table<'_>], id: &str, vpc: &str) -> Option<bool> {
    if let Some(t) = tables
        .iter()
        .find(|t| t.subnets.as_ref().is_some_and(|list| list.contains(&id)))
    {
        return t.to_igw;
    }
    // A table of this VPC (or of an unknown one) whose associations are
    // unknown could be the subnet's: not decidable.
    if tables
        .iter()
        .any(|t| t.subnets.is_none() && (t.vpc.is_err() || t.vpc == Ok(Some(vpc))))
    {
        return None;
    }
    let main: Vec<&Table<'_>> = tables
        .iter()
        .filter(|t| t.vpc == Ok(Some(vpc)) && t.main == Some(true))
        .collect();
    match main.as_slice() {
        [one] => one.to_igw,
        // No main table in the snapshot: not decidable.
        _ => None,
    }
}

/// DB subnet groups by scope and name (the first of a name wins).
pub(super) fn subnet_groups(resources: &[Resource]) -> HashMap<(Scope, &str), &Resource> {
    let mut groups = HashMap::new();
    for g in resources.iter().filter(|g| g.kind == "aws_db_subnet_group") {
        if let Ok(Some(name)) = str_attr(g, "name") {
            groups.entry((Scope::of(g), name)).or_insert(g);
        }
    }
    groups
}

pub(super) fn db_subnets(
    r: &Resource,
    scope: &Scope,
    groups: &HashMap<(Scope, &str), &Resource>,
    routing: &SubnetRouting,
) -> Derived {
    let ids: Vec<String> = if r.attributes.get("subnet_ids").is_some()
        || is_unknown(r, "/subnet_ids")
    {
        if unknown_within(r, "/subnet_ids") {
            return Derived::Unknown;
        }
        strings(r.attributes.get("subnet_ids"))
    } else {
        // Sources that predate `subnet_ids`: resolve the subnet group by name.
        let Ok(Some(group)) = str_attr(r, "db_subnet_group_name") else {
            return Derived::Unknown;
        };
        let found = groups.get(&(scope.clone(), group)).copied();
        match found {
            Some(g) if !unknown_within(g, "/subnet_ids") => strings(g.attributes.get("subnet_ids")),
            _ => return Derived::Unknown,
        }
    };
    let mut routed = Vec::new();
    let mut undecided = ids.is_empty();
    for id in &ids {
        match routing.routed(scope, Ok(Some(id))) {
            Derived::Known(Value::Bool(true)) => routed.push(Value::String(id.clone())),
            Derived::Known(_) => {}
            Derived::Partial(..) | Derived::Unknown => undecided = true,
        }
    }
    if routed.is_empty() && undecided {
        Derived::Unknown
    } else {
        Derived::Known(Value::Array(routed))
    }
}

/// The strings of a JSON array (none when it is not one).
pub(super) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
