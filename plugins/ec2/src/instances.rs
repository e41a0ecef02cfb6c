//! Instance rules: IMDSv2 (PILLAR-EC2-008, also launch templates), a
//! workload's spread over zones (-012), a lone public instance (-013) and
//! long-stopped instances (-016). The spread and exposure facts are derived
//! by the host across instances and subnets (docs/resource-model.md,
//! "Derived attributes").

use pillar_rule_sdk::checks::as_i64;
use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::time::{days_between, parse_rfc3339};

use crate::{IMDSV2, LONE_PUBLIC_INSTANCE, LONG_STOPPED, SINGLE_AZ_WORKLOAD};

/// PILLAR-EC2-008 for an instance or a launch template.
pub fn imdsv2(index: usize, r: &Resource, out: &mut dyn Sink) {
    // Looked up for a finding only: most resources have none.
    let name = || r.display_name();
    if matches!(
        r.text("/instance_state"),
        Ok(Some("terminated" | "shutting-down"))
    ) {
        return;
    }
    let unknown = |out: &mut dyn Sink, pointer: &str| {
        out.unknown(
            IMDSV2,
            index,
            format!("{}: the metadata options are not known until apply", name()),
            Some(pointer.to_owned()),
        );
    };
    match r.attr("/metadata_options") {
        Attr::Unknown => return unknown(out, "/metadata_options"),
        Attr::Absent => {}
        Attr::Known(_) => {
            match r.text("/metadata_options/http_endpoint") {
                Err(()) => return unknown(out, "/metadata_options/http_endpoint"),
                Ok(Some("disabled")) => return,
                Ok(_) => {}
            }
            match r.text("/metadata_options/http_tokens") {
                Err(()) => return unknown(out, "/metadata_options/http_tokens"),
                Ok(Some("required")) => return,
                Ok(_) => {}
            }
        }
    }
    out.fail(
        IMDSV2,
        index,
        format!(
            "{}: the instance metadata service accepts IMDSv1 (http_tokens is not \"required\")",
            name()
        ),
        Some("/metadata_options".into()),
    );
}

/// PILLAR-EC2-012, -013 and -016 for an instance.
pub fn placement(index: usize, r: &Resource, config: &Config, out: &mut dyn Sink) {
    let state = match r.text("/instance_state") {
        Err(()) => {
            let name = r.display_name();
            for rule in [SINGLE_AZ_WORKLOAD, LONE_PUBLIC_INSTANCE, LONG_STOPPED] {
                out.unknown(
                    rule,
                    index,
                    format!("{name}: the instance state is not known"),
                    Some("/instance_state".into()),
                );
            }
            return;
        }
        Ok(state) => state.unwrap_or("running"),
    };
    match state {
        "running" => {
            single_az(index, r, config, out);
            lone_public(index, r, out);
        }
        "stopped" => long_stopped(index, r, config, out),
        _ => {}
    }
}

fn unknown_derived(out: &mut dyn Sink, rule: &str, index: usize, r: &Resource, pointer: &str) {
    out.unknown(
        rule,
        index,
        format!(
            "{}: {} is not known (an input of it is unknown)",
            r.display_name(),
            &pointer[1..]
        ),
        Some(pointer.to_owned()),
    );
}

fn single_az(index: usize, r: &Resource, config: &Config, out: &mut dyn Sink) {
    let minimum = config.int(SINGLE_AZ_WORKLOAD, "min_instances").max(2);
    let count = match r.attr("/workload_running_instances") {
        Attr::Known(v) => as_i64(v).unwrap_or(0),
        Attr::Absent => 0,
        Attr::Unknown => {
            return unknown_derived(
                out,
                SINGLE_AZ_WORKLOAD,
                index,
                r,
                "/workload_running_instances",
            );
        }
    };
    if count < minimum {
        return;
    }
    let zones = match r.attr("/workload_running_azs") {
        Attr::Known(v) => v.as_array().map_or(0, Vec::len),
        Attr::Absent => return,
        Attr::Unknown => {
            return unknown_derived(out, SINGLE_AZ_WORKLOAD, index, r, "/workload_running_azs");
        }
    };
    if zones == 1 {
        let workload = r.attr("/workload").as_str().unwrap_or("its workload");
        let zone = r
            .attr("/workload_running_azs/0")
            .as_str()
            .unwrap_or("one zone");
        out.fail(
            SINGLE_AZ_WORKLOAD,
            index,
            format!(
                "{}: all {count} running instances of {workload} are in {zone}",
                r.display_name()
            ),
            Some("/workload_running_azs".into()),
        );
    }
}

fn lone_public(index: usize, r: &Resource, out: &mut dyn Sink) {
    let name = || r.display_name();
    match r.text("/public_ip") {
        Err(()) => {
            return out.unknown(
                LONE_PUBLIC_INSTANCE,
                index,
                format!("{}: the public IP is not known until apply", name()),
                Some("/public_ip".into()),
            );
        }
        Ok(None) => return,
        Ok(Some(_)) => {}
    }
    match r.attr("/internet_routed").as_bool() {
        None => {
            return unknown_derived(out, LONE_PUBLIC_INSTANCE, index, r, "/internet_routed");
        }
        Some(Some(true)) => {}
        Some(_) => return,
    }
    match r.attr("/workload_running_instances") {
        Attr::Unknown => unknown_derived(
            out,
            LONE_PUBLIC_INSTANCE,
            index,
            r,
            "/workload_running_instances",
        ),
        Attr::Known(v) if as_i64(v) == Some(1) => out.fail(
            LONE_PUBLIC_INSTANCE,
            index,
            format!(
                "{} serves the internet (public IP, subnet routed to an internet gateway) \
                 and is the only running instance of {}",
                name(),
                r.attr("/workload").as_str().unwrap_or("its workload")
            ),
            Some("/workload_running_instances".into()),
        ),
        _ => {}
    }
}

fn long_stopped(index: usize, r: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = || r.display_name();
    let days = config.int(LONG_STOPPED, "max_stopped_days");
    let since = match r.text("/stopped_since") {
        Ok(Some(s)) => parse_rfc3339(s),
        _ => None,
    };
    let (Some(since), Some(now)) = (since, config.now()) else {
        return out.unknown(
            LONG_STOPPED,
            index,
            format!(
                "{} is stopped, but since when (or the scan time) is not recorded",
                name()
            ),
            Some("/stopped_since".into()),
        );
    };
    let stopped = days_between(since, now);
    if stopped > days {
        out.fail(
            LONG_STOPPED,
            index,
            format!(
                "{} has been stopped for {stopped} days (limit {days}); its volumes and addresses still cost money",
                name()
            ),
            Some("/stopped_since".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ec2Pack;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::json;

    const NOW: &str = "2026-11-01T06:00:00Z";

    fn instances(list: &[(serde_json::Value, &[&str])]) -> Vec<Resource> {
        list.iter()
            .map(|(a, u)| resource("aws_instance", a.clone(), u))
            .collect()
    }

    #[test]
    fn imdsv2() {
        let batch = instances(&[
            (
                json!({"metadata_options": {"http_tokens": "required"}}),
                &[],
            ),
            (
                json!({"metadata_options": {"http_tokens": "optional"}}),
                &[],
            ),
            (json!({}), &[]),
            (
                json!({"metadata_options": {"http_endpoint": "disabled", "http_tokens": "optional"}}),
                &[],
            ),
            (
                json!({"metadata_options": {}}),
                &["/metadata_options/http_tokens"],
            ),
        ]);
        let f = run::<Ec2Pack>("aws_instance", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, IMDSV2),
            vec![(1, "fail"), (2, "fail"), (4, "unknown")]
        );
    }

    #[test]
    fn workload_spread_and_lone_public_instances() {
        let batch = instances(&[
            (
                json!({"instance_state": "running", "workload": "app=web", "workload_running_instances": 3, "workload_running_azs": ["eu-west-1a"]}),
                &[],
            ),
            (
                json!({"instance_state": "running", "workload": "app=api", "workload_running_instances": 2, "workload_running_azs": ["eu-west-1a", "eu-west-1b"]}),
                &[],
            ),
            (
                json!({"instance_state": "running", "workload_running_instances": 1, "workload_running_azs": ["eu-west-1a"], "public_ip": "52.1.2.3", "internet_routed": true}),
                &[],
            ),
            (
                json!({"instance_state": "running", "public_ip": "52.1.2.4", "workload_running_instances": 1}),
                &["/internet_routed", "/workload_running_azs"],
            ),
        ]);
        let f = run::<Ec2Pack>("aws_instance", &batch, json!({}));
        assert_eq!(verdicts_of(&f, SINGLE_AZ_WORKLOAD), vec![(0, "fail")]);
        assert_eq!(
            verdicts_of(&f, LONE_PUBLIC_INSTANCE),
            vec![(2, "fail"), (3, "unknown")]
        );
        // A team that runs pairs on purpose can raise the bar.
        let f = run::<Ec2Pack>(
            "aws_instance",
            &batch,
            json!({"PILLAR-EC2-012": {"min_instances": 4}}),
        );
        assert!(verdicts_of(&f, SINGLE_AZ_WORKLOAD).is_empty());
    }

    #[test]
    fn long_stopped_uses_the_scan_time() {
        let batch = instances(&[
            (
                json!({"instance_state": "stopped", "stopped_since": "2026-08-01T00:00:00Z"}),
                &[],
            ),
            (
                json!({"instance_state": "stopped", "stopped_since": "2026-10-25T00:00:00Z"}),
                &[],
            ),
            (
                json!({"instance_state": "stopped", "stopped_since": null}),
                &[],
            ),
        ]);
        let f = run::<Ec2Pack>("aws_instance", &batch, json!({"_scan": {"now": NOW}}));
        assert_eq!(
            verdicts_of(&f, LONG_STOPPED),
            vec![(0, "fail"), (2, "unknown")]
        );
        let f = run::<Ec2Pack>("aws_instance", &batch[..1], json!({}));
        assert_eq!(
            verdicts_of(&f, LONG_STOPPED),
            vec![(0, "unknown")],
            "no scan time"
        );
    }
}
