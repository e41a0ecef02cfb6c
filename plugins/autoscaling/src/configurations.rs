//! Rules on `aws_launch_configuration`.

use pillar_rule_sdk::prelude::*;
use serde_json::Value;

use crate::{EBS_ENCRYPTED, IMDSV2, PUBLIC_IP, unknown};

/// PILLAR-ASG-003: instances launched from the configuration require
/// IMDSv2 (`http_tokens` is `required`) or have no metadata service
/// (`http_endpoint` is `disabled`). No `metadata_options` is the default,
/// which accepts IMDSv1.
pub fn imdsv2(i: usize, r: &Resource, out: &mut dyn Sink) {
    match r.attr("/metadata_options") {
        Attr::Unknown => {
            return unknown(
                IMDSV2,
                i,
                r,
                "the metadata options",
                "/metadata_options",
                out,
            );
        }
        Attr::Absent => {}
        Attr::Known(_) => {
            for (pointer, settled) in [
                ("/metadata_options/http_endpoint", "disabled"),
                ("/metadata_options/http_tokens", "required"),
            ] {
                match r.text(pointer) {
                    Err(()) => return unknown(IMDSV2, i, r, "the metadata options", pointer, out),
                    Ok(Some(v)) if v == settled => return,
                    Ok(_) => {}
                }
            }
        }
    }
    out.fail(
        IMDSV2,
        i,
        format!(
            "{}: instances launched from this configuration accept IMDSv1 (http_tokens is not \"required\")",
            r.display_name()
        ),
        Some("/metadata_options".into()),
    );
}

/// PILLAR-ASG-004: the configuration does not give instances a public IP
/// address. Absent leaves it to the subnet and is not judged here.
pub fn public_ip(i: usize, r: &Resource, out: &mut dyn Sink) {
    let pointer = "/associate_public_ip_address";
    match r.flag(pointer, false) {
        None => unknown(
            PUBLIC_IP,
            i,
            r,
            "whether instances get a public IP address",
            pointer,
            out,
        ),
        Some(false) => {}
        Some(true) => out.fail(
            PUBLIC_IP,
            i,
            format!(
                "{}: instances launched from this configuration get a public IP address",
                r.display_name()
            ),
            Some(pointer.into()),
        ),
    }
}

/// PILLAR-ASG-006: every EBS volume the configuration declares
/// (`root_block_device`, `ebs_block_device`) is encrypted. A volume made
/// from a snapshot with `encrypted` unset follows the snapshot and is not
/// judged; volumes the configuration does not declare come from the image.
pub fn ebs_encrypted(i: usize, r: &Resource, out: &mut dyn Sink) {
    let mut devices: Vec<String> = Vec::new();
    let mut unsure: Option<String> = None;
    match r.attr("/root_block_device") {
        Attr::Unknown => unsure = Some("/root_block_device".into()),
        Attr::Known(Value::Object(_)) => devices.push("/root_block_device".into()),
        _ => {}
    }
    match r.attr("/ebs_block_device") {
        Attr::Unknown => unsure = unsure.or(Some("/ebs_block_device".into())),
        Attr::Known(Value::Array(items)) => {
            devices.extend((0..items.len()).map(|n| format!("/ebs_block_device/{n}")));
        }
        _ => {}
    }
    let mut unencrypted = Vec::new();
    for at in &devices {
        let encrypted = format!("{at}/encrypted");
        match r.attr(&encrypted) {
            Attr::Known(Value::Bool(true)) => {}
            Attr::Unknown => unsure = unsure.or(Some(encrypted)),
            _ => {
                let from_snapshot = r.text(&format!("{at}/snapshot_id"));
                match from_snapshot {
                    Ok(Some(_)) => {}
                    Err(()) => unsure = unsure.or(Some(format!("{at}/snapshot_id"))),
                    Ok(None) => unencrypted.push(at.clone()),
                }
            }
        }
    }
    if let Some(first) = unencrypted.first() {
        let names: Vec<String> = unencrypted
            .iter()
            .map(|at| {
                r.text(&format!("{at}/device_name"))
                    .ok()
                    .flatten()
                    .map_or_else(|| "the root volume".to_owned(), str::to_owned)
            })
            .collect();
        out.fail(
            EBS_ENCRYPTED,
            i,
            format!(
                "{}: EBS volumes declared unencrypted: {}",
                r.display_name(),
                names.join(", ")
            ),
            Some(first.clone()),
        );
    } else if let Some(at) = unsure {
        unknown(
            EBS_ENCRYPTED,
            i,
            r,
            "whether the declared EBS volumes are encrypted",
            &at,
            out,
        );
    }
}
