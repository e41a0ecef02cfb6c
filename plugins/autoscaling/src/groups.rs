//! Rules on `aws_autoscaling_group`.

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{ELB_HEALTH_CHECK, LAUNCH_CONFIGURATION, SINGLE_AZ, unknown};

/// PILLAR-ASG-001: the group launches into at least two Availability
/// Zones. `zones` is derived on the host from `availability_zones` or the
/// subnets of `vpc_zone_identifier`.
pub fn single_az(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/zones";
    match r.attr(pointer) {
        Attr::Known(Value::Array(zones)) if zones.len() >= 2 => {}
        Attr::Known(Value::Array(zones)) if !zones.is_empty() => {
            let names: Vec<&str> = zones.iter().filter_map(Value::as_str).collect();
            out.fail(
                SINGLE_AZ,
                i,
                format!(
                    "{}: the group launches into one Availability Zone only ({})",
                    r.display_name(),
                    names.join(", ")
                ),
                Some(pointer.into()),
            );
        }
        _ => unknown(
            SINGLE_AZ,
            i,
            r,
            "which Availability Zones the group uses",
            pointer,
            out,
        ),
    }
}

/// Whether the group is registered with a load balancer: a known
/// non-empty `target_group_arns` or `load_balancers` says yes; `None` when
/// neither says yes and one is not known.
fn behind_load_balancer(r: &Resource) -> Result<bool, &'static str> {
    let mut unsure = None;
    for pointer in ["/target_group_arns", "/load_balancers"] {
        match r.attr(pointer) {
            Attr::Known(Value::Array(items)) if !items.is_empty() => return Ok(true),
            Attr::Unknown => unsure = unsure.or(Some(pointer)),
            _ => {}
        }
    }
    match unsure {
        Some(p) => Err(p),
        None => Ok(false),
    }
}

/// PILLAR-ASG-002: a group behind a load balancer replaces instances the
/// load balancer finds unhealthy (`health_check_type` includes `ELB`).
pub fn elb_health_check(i: usize, r: &Resource, out: &mut dyn Sink) {
    match behind_load_balancer(r) {
        Ok(false) => return,
        Ok(true) => {}
        Err(at) => {
            return unknown(
                ELB_HEALTH_CHECK,
                i,
                r,
                "whether the group is behind a load balancer",
                at,
                out,
            );
        }
    }
    let pointer = "/health_check_type";
    // Absent is the provider's and AWS's default, EC2.
    let kind = match r.text(pointer) {
        Err(()) => {
            return unknown(
                ELB_HEALTH_CHECK,
                i,
                r,
                "the health check type",
                pointer,
                out,
            );
        }
        Ok(t) => t.unwrap_or("EC2"),
    };
    if kind
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case("ELB"))
    {
        return;
    }
    out.fail(
        ELB_HEALTH_CHECK,
        i,
        format!(
            "{}: the group is behind a load balancer but its health check type is {kind}: instances the load balancer finds unhealthy are not replaced",
            r.display_name()
        ),
        Some(pointer.into()),
    );
}

/// PILLAR-ASG-005: the group launches from a launch template (directly or
/// in a mixed instances policy), not from a launch configuration.
pub fn launch_configuration(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/launch_configuration";
    match r.text(pointer) {
        Ok(None) => {}
        Ok(Some(name)) => out.fail(
            LAUNCH_CONFIGURATION,
            i,
            format!(
                "{}: the group launches from launch configuration {name}, not a launch template",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
        Err(()) => {
            // The two are exclusive: a known template settles it.
            let template = ["/launch_template", "/mixed_instances_policy"]
                .iter()
                .any(|p| matches!(r.attr(p), Attr::Known(Value::Object(_))));
            if !template {
                unknown(
                    LAUNCH_CONFIGURATION,
                    i,
                    r,
                    "whether the group uses a launch configuration",
                    pointer,
                    out,
                );
            }
        }
    }
}
