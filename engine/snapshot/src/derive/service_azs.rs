//! The Availability Zones an ECS service's awsvpc subnets are in
//! (`aws_ecs_service.subnet_availability_zones`), through the snapshot's
//! `aws_subnet` resources. Unknown when the subnets are, when one of them
//! is not in the snapshot (or its zone is unknown), or when the service has
//! no awsvpc configuration (its tasks go where its container instances
//! are, which the snapshot does not follow).

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::{Derived, Scope, str_attr, unknown_within};
use crate::Resource;

pub(super) const SERVICE: &str = "aws_ecs_service";

/// Per scope, per subnet id: the subnet's zone, `None` when unknown.
pub(super) struct SubnetZones<'a>(HashMap<Scope, HashMap<&'a str, Option<&'a str>>>);

pub(super) fn subnet_zones(resources: &[Resource]) -> SubnetZones<'_> {
    let mut zones: HashMap<Scope, HashMap<&str, Option<&str>>> = HashMap::new();
    for r in resources.iter().filter(|r| r.kind == "aws_subnet") {
        if let Ok(Some(id)) = str_attr(r, "id") {
            let az = str_attr(r, "availability_zone").ok().flatten();
            zones.entry(Scope::of(r)).or_default().insert(id, az);
        }
    }
    SubnetZones(zones)
}

impl SubnetZones<'_> {
    pub(super) fn of_service(&self, r: &Resource) -> Derived {
        if unknown_within(r, "/network_configuration") {
            return Derived::Unknown;
        }
        let Some(subnets) = r
            .attributes
            .get("network_configuration")
            .and_then(|n| n.get("subnets"))
            .and_then(Value::as_array)
        else {
            return Derived::Unknown;
        };
        let in_scope = self.0.get(&Scope::of(r));
        let mut azs = BTreeSet::new();
        for s in subnets {
            let zone = s
                .as_str()
                .and_then(|id| in_scope.and_then(|z| z.get(id)).copied().flatten());
            match zone {
                Some(az) => {
                    azs.insert(az);
                }
                None => return Derived::Unknown,
            }
        }
        if azs.is_empty() {
            return Derived::Unknown;
        }
        Derived::Known(json!(azs.into_iter().collect::<Vec<_>>()))
    }
}
