//! Writing a [`Workload`] as a pillar snapshot or as `terraform show -json`
//! output. Both stream unit by unit, so memory does not grow with size.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::workload::{ACCOUNT, PlanResource, REGIONS, Spec, Workload};

const TERRAFORM_VERSION: &str = "1.9.8";
const PROVIDER: &str = "registry.terraform.io/hashicorp/aws";

/// Writes the workload as a snapshot (docs/resource-model.md, version 1).
pub fn snapshot(w: &Workload, out: &mut impl Write) -> io::Result<()> {
    let source = json!({
        "kind": "fixture",
        "accounts": [ACCOUNT],
        "regions": REGIONS,
        "collected_at": "2026-11-01T00:00:00Z",
        "tool": concat!("pillar-gen ", env!("CARGO_PKG_VERSION")),
        "description": format!("synthetic workload: seed {}, {} resources", w.seed, w.resources()),
    });
    write!(
        out,
        "{{\"format_version\":1,\"source\":{source},\"resources\":["
    )?;
    let mut first = true;
    for k in 0..w.units {
        for spec in w.unit(k) {
            separator(out, &mut first)?;
            let mut resource = json!({
                "id": spec.arn,
                "kind": spec.kind,
                "account": ACCOUNT,
                "attributes": spec.attributes,
            });
            if !spec.region.is_empty() {
                resource["region"] = Value::String(spec.region.to_owned());
            }
            serde_json::to_writer(&mut *out, &resource)?;
        }
    }
    writeln!(out, "]}}")
}

/// Writes the workload as a Terraform plan: every unit is a module call
/// `module.unit_<k>`, its databases in a nested `module.unit_<k>.module.data`,
/// with `resource_changes`, `planned_values` and `configuration` as
/// `terraform show -json` writes them (format version 1.2).
pub fn plan(w: &Workload, out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"{TERRAFORM_VERSION}\","
    )?;

    out.write_all(b"\"planned_values\":{\"root_module\":{\"child_modules\":[")?;
    let mut first = true;
    for k in 0..w.units {
        separator(out, &mut first)?;
        serde_json::to_writer(&mut *out, &planned_module(k, &w.unit(k)))?;
    }
    out.write_all(b"]}},")?;

    out.write_all(b"\"resource_changes\":[")?;
    let mut first = true;
    for k in 0..w.units {
        for spec in w.unit(k) {
            let module = module_address(k, &spec);
            for r in &spec.plan {
                separator(out, &mut first)?;
                serde_json::to_writer(&mut *out, &resource_change(&module, r))?;
            }
        }
    }
    out.write_all(b"],")?;

    let provider = json!({"aws": {"name": "aws", "full_name": PROVIDER,
        "expressions": {"region": {"constant_value": REGIONS[0]}}}});
    write!(
        out,
        "\"configuration\":{{\"provider_config\":{provider},\"root_module\":{{\"module_calls\":{{"
    )?;
    let mut first = true;
    for k in 0..w.units {
        separator(out, &mut first)?;
        serde_json::to_writer(&mut *out, &format!("unit_{k}"))?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, &module_call(&w.unit(k)))?;
    }
    writeln!(out, "}}}}}}}}")
}

fn separator(out: &mut impl Write, first: &mut bool) -> io::Result<()> {
    if !std::mem::take(first) {
        out.write_all(b",")?;
    }
    Ok(())
}

fn module_address(k: usize, spec: &Spec) -> String {
    match spec.submodule {
        "" => format!("module.unit_{k}"),
        sub => format!("module.unit_{k}.module.{sub}"),
    }
}

fn resource_change(module: &str, r: &PlanResource) -> Value {
    json!({
        "address": format!("{module}.{}.{}", r.kind, r.name),
        "module_address": module,
        "mode": "managed",
        "type": r.kind,
        "name": r.name,
        "provider_name": PROVIDER,
        "change": {
            "actions": ["create"],
            "before": null,
            "after": r.after,
            "after_unknown": r.after_unknown,
            "before_sensitive": false,
            "after_sensitive": {},
        },
    })
}

fn planned_resource(module: &str, r: &PlanResource) -> Value {
    json!({
        "address": format!("{module}.{}.{}", r.kind, r.name),
        "mode": "managed",
        "type": r.kind,
        "name": r.name,
        "provider_name": PROVIDER,
        "schema_version": 0,
        "values": r.after,
        "sensitive_values": {},
    })
}

fn planned_module(k: usize, specs: &[Spec]) -> Value {
    let mut own = Vec::new();
    let mut data = Vec::new();
    for spec in specs {
        let module = module_address(k, spec);
        let target = if spec.submodule.is_empty() {
            &mut own
        } else {
            &mut data
        };
        target.extend(spec.plan.iter().map(|r| planned_resource(&module, r)));
    }
    json!({
        "address": format!("module.unit_{k}"),
        "resources": own,
        "child_modules": [{"address": format!("module.unit_{k}.module.data"), "resources": data}],
    })
}

/// A configuration resource: constant values for what is known, references
/// for what is wired to another resource.
fn config_resource(r: &PlanResource) -> Value {
    let mut expressions = Map::new();
    if let Some(after) = r.after.as_object() {
        for (key, value) in after {
            if !value.is_null() {
                expressions.insert(key.clone(), json!({"constant_value": value}));
            }
        }
    }
    for (attr, references) in &r.references {
        expressions.insert((*attr).to_owned(), json!({"references": references}));
    }
    json!({
        "address": format!("{}.{}", r.kind, r.name),
        "mode": "managed",
        "type": r.kind,
        "name": r.name,
        "provider_config_key": "aws",
        "expressions": expressions,
        "schema_version": 0,
    })
}

fn module_call(specs: &[Spec]) -> Value {
    let (own, data): (Vec<&Spec>, Vec<&Spec>) = specs.iter().partition(|s| s.submodule.is_empty());
    let resources = |group: &[&Spec]| -> Vec<Value> {
        group
            .iter()
            .flat_map(|s| s.plan.iter().map(config_resource))
            .collect()
    };
    json!({
        "source": "./modules/unit",
        "module": {
            "resources": resources(&own),
            "module_calls": {"data": {"source": "../data", "module": {"resources": resources(&data)}}},
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: fn(&Workload, &mut Vec<u8>) -> io::Result<()>, w: &Workload) -> Value {
        let mut buf = Vec::new();
        f(w, &mut buf).expect("writing to memory");
        serde_json::from_slice(&buf).expect("valid JSON")
    }

    #[test]
    fn the_snapshot_holds_every_resource_once() {
        let w = Workload::new(1, 5_000);
        let doc = render(snapshot, &w);
        let resources = doc["resources"].as_array().expect("resources");
        assert_eq!(resources.len(), w.resources());
        let ids: std::collections::HashSet<&str> =
            resources.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids.len(), resources.len(), "ids are unique");
        assert!(
            resources
                .iter()
                .filter(|r| r["kind"] == "aws_iam_user")
                .all(|r| r.get("region").is_none())
        );
    }

    #[test]
    fn the_plan_lists_each_resource_in_changes_values_and_configuration() {
        let w = Workload::new(1, 50);
        let doc = render(plan, &w);
        let changes = doc["resource_changes"].as_array().expect("changes");
        assert!(
            changes.len() > w.resources(),
            "split bucket resources add to the count"
        );
        let planned: usize = doc["planned_values"]["root_module"]["child_modules"]
            .as_array()
            .expect("modules")
            .iter()
            .map(|m| {
                m["resources"].as_array().map_or(0, Vec::len)
                    + m["child_modules"][0]["resources"]
                        .as_array()
                        .map_or(0, Vec::len)
            })
            .sum();
        assert_eq!(planned, changes.len());
        let versioning = changes
            .iter()
            .find(|c| c["type"] == "aws_s3_bucket_versioning")
            .expect("a versioning resource");
        assert_eq!(versioning["change"]["after_unknown"]["bucket"], true);
        let calls = &doc["configuration"]["root_module"]["module_calls"];
        let refs = &calls["unit_0"]["module"]["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .find(|r| r["type"] == "aws_s3_bucket_versioning")
            .expect("configured")["expressions"]["bucket"]["references"];
        assert_eq!(refs[1], "aws_s3_bucket.b0");
        assert!(
            changes
                .iter()
                .any(|c| c["module_address"] == "module.unit_0.module.data")
        );
    }
}
