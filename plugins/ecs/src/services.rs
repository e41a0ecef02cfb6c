//! Host networking of a task definition (PILLAR-ECS-002), the service
//! rules (007 to 009) and the cluster's Container Insights (010).

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{CONTAINER_INSIGHTS, HOST_NETWORK, ONE_AZ, PUBLIC_IP, SINGLE_TASK, task_name};

fn not_known(rule: &str, i: usize, name: &str, what: &str, at: &str, out: &mut dyn Sink) {
    out.unknown(
        rule,
        i,
        format!("{name}: {what} is not known"),
        Some(at.into()),
    );
}

/// PILLAR-ECS-002: `network_mode` `host` shares the host's network stack.
pub fn host_network(i: usize, td: &Resource, out: &mut dyn Sink) {
    let at = "/network_mode";
    match td.text(at) {
        Ok(Some("host")) => out.fail(
            HOST_NETWORK,
            i,
            format!(
                "{}: network mode is host: containers share the instance's network stack and ports",
                task_name(td)
            ),
            Some(at.into()),
        ),
        Ok(_) => {}
        Err(()) => not_known(HOST_NETWORK, i, &task_name(td), "the network mode", at, out),
    }
}

pub fn check(i: usize, s: &Resource, out: &mut dyn Sink) {
    single_task(i, s, out);
    one_az(i, s, out);
    public_ip(i, s, out);
}

/// PILLAR-ECS-007: a replica service keeps at least two tasks. A daemon
/// service runs one task per instance and is not judged.
fn single_task(i: usize, s: &Resource, out: &mut dyn Sink) {
    let name = s.display_name();
    match s.text("/scheduling_strategy") {
        Ok(Some("DAEMON")) => return,
        Ok(_) => {}
        Err(()) => {
            return not_known(
                SINGLE_TASK,
                i,
                name,
                "the scheduling strategy",
                "/scheduling_strategy",
                out,
            );
        }
    }
    let at = "/desired_count";
    match s.attr(at) {
        Attr::Known(v) => match v.as_i64() {
            Some(n) if n < 2 => out.fail(
                SINGLE_TASK,
                i,
                format!("{name}: desired count is {n}: one task failing (or being replaced) takes the service down"),
                Some(at.into()),
            ),
            Some(_) => {}
            None => not_known(SINGLE_TASK, i, name, "the desired count", at, out),
        },
        _ => not_known(SINGLE_TASK, i, name, "the desired count", at, out),
    }
}

/// PILLAR-ECS-008: the awsvpc subnets span two zones or more.
fn one_az(i: usize, s: &Resource, out: &mut dyn Sink) {
    let name = s.display_name();
    let at = "/subnet_availability_zones";
    match s.attr(at) {
        Attr::Known(Value::Array(zones)) if zones.len() == 1 => out.fail(
            ONE_AZ,
            i,
            format!(
                "{name}: every subnet of the service is in {}: a zone outage stops it",
                zones[0].as_str().unwrap_or("one zone")
            ),
            Some(at.into()),
        ),
        Attr::Known(Value::Array(zones)) if zones.len() > 1 => {}
        _ => out.unknown(
            ONE_AZ,
            i,
            format!(
                "{name}: the zones of the service's subnets are not known (no awsvpc subnets, subnets not in the snapshot, or computed at apply)"
            ),
            Some(at.into()),
        ),
    }
}

/// PILLAR-ECS-009: tasks get no public IP. A service without an awsvpc
/// configuration assigns none itself.
fn public_ip(i: usize, s: &Resource, out: &mut dyn Sink) {
    let name = s.display_name();
    let at = "/network_configuration/assign_public_ip";
    match s.attr("/network_configuration") {
        Attr::Unknown => {
            return not_known(PUBLIC_IP, i, name, "the network configuration", at, out);
        }
        Attr::Absent => return,
        Attr::Known(_) => {}
    }
    match s.flag(at, false) {
        Some(true) => out.fail(
            PUBLIC_IP,
            i,
            format!("{name}: tasks are given public IP addresses"),
            Some(at.into()),
        ),
        Some(false) => {}
        None => not_known(PUBLIC_IP, i, name, "whether tasks get public IPs", at, out),
    }
}

/// PILLAR-ECS-010: the cluster's `containerInsights` setting is `enabled`
/// or `enhanced`.
pub fn container_insights(i: usize, c: &Resource, out: &mut dyn Sink) {
    let name = c.display_name();
    let at = "/setting";
    let settings: &[Value] = match c.attr(at) {
        Attr::Known(Value::Array(items)) => items,
        Attr::Absent => &[],
        _ => {
            return not_known(
                CONTAINER_INSIGHTS,
                i,
                name,
                "the cluster's settings",
                at,
                out,
            );
        }
    };
    let value = settings
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str) == Some("containerInsights"))
        .map(|s| s.get("value").and_then(Value::as_str));
    match value {
        Some(Some("enabled" | "enhanced")) => {}
        Some(None) => not_known(
            CONTAINER_INSIGHTS,
            i,
            name,
            "the containerInsights value",
            at,
            out,
        ),
        Some(Some(v)) => out.fail(
            CONTAINER_INSIGHTS,
            i,
            format!("{name}: Container Insights is {v}"),
            Some(at.into()),
        ),
        None => out.fail(
            CONTAINER_INSIGHTS,
            i,
            format!("{name}: Container Insights is not turned on (no containerInsights setting)"),
            Some(at.into()),
        ),
    }
}
