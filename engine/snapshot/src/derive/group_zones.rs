//! `aws_autoscaling_group.zones`: the Availability Zones a group launches
//! into. A live group lists them (`availability_zones`, which AWS fills
//! from the subnets too); a plan often knows only the subnets
//! (`vpc_zone_identifier`), whose zones come from the `aws_subnet`
//! resources of the same account and region.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::internet_routing::strings;
use super::{Derived, Scope, is_unknown, str_attr, unknown_within};
use crate::Resource;

pub(super) const GROUP: &str = "aws_autoscaling_group";

/// The derived `zones` of each resource (`None` for other kinds).
pub(super) fn group_zones(resources: &[Resource]) -> Vec<Option<Derived>> {
    let subnets: HashMap<(Scope, &str), Result<Option<&str>, ()>> = resources
        .iter()
        .filter(|r| r.kind == "aws_subnet")
        .filter_map(|r| {
            let id = str_attr(r, "id").ok().flatten()?;
            Some(((Scope::of(r), id), str_attr(r, "availability_zone")))
        })
        .collect();
    resources
        .iter()
        .map(|r| (r.kind == GROUP).then(|| zones(r, &subnets)))
        .collect()
}

fn zones(r: &Resource, subnets: &HashMap<(Scope, &str), Result<Option<&str>, ()>>) -> Derived {
    let listed: BTreeSet<String> = strings(r.attributes.get("availability_zones"))
        .into_iter()
        .collect();
    if !unknown_within(r, "/availability_zones") && !listed.is_empty() {
        return known(listed);
    }
    if is_unknown(r, "/vpc_zone_identifier") {
        return Derived::Unknown;
    }
    let Some(Value::Array(ids)) = r.attributes.get("vpc_zone_identifier") else {
        return Derived::Unknown;
    };
    let scope = Scope::of(r);
    let mut found = BTreeSet::new();
    let mut unresolved = ids.is_empty();
    for (i, id) in ids.iter().enumerate() {
        let zone = match id.as_str() {
            Some(id) if !is_unknown(r, &format!("/vpc_zone_identifier/{i}")) => {
                subnets.get(&(scope.clone(), id))
            }
            _ => None,
        };
        match zone {
            Some(Ok(Some(z))) => {
                found.insert((*z).to_owned());
            }
            _ => unresolved = true,
        }
    }
    // Two known zones settle it, whatever the other subnets are.
    if unresolved && found.len() < 2 {
        Derived::Unknown
    } else {
        known(found)
    }
}

fn known(zones: BTreeSet<String>) -> Derived {
    Derived::Known(json!(zones.into_iter().collect::<Vec<_>>()))
}
