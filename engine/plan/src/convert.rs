//! Plan JSON → snapshot: read the planned resources, normalise, resolve,
//! join, locate.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use pillar_snapshot::{Location, Resource, Snapshot, Source, SourceKind, Suppression};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use crate::address::Address;
use crate::config::{self, Configuration};
use crate::document::{self, Document};
use crate::locate::SourceMap;
use crate::world::{Planned, Target, World};
use crate::{PlanError, join, normalise, pointer, sensitive};

/// How to read a plan.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The Terraform root module's directory, to point findings at `.tf`
    /// lines. `None`: no source mapping.
    pub source_dir: Option<PathBuf>,
    /// Locations are written relative to this directory (the repository
    /// root, normally the working directory) when under it.
    pub base_dir: Option<PathBuf>,
    /// The program writing the snapshot, e.g. "pillar 0.1.0".
    pub tool: String,
    /// The plan file as the user named it, for fallback locations.
    pub display_path: Option<String>,
}

/// A plan read into the resource model, with the suppressions found in
/// the sources.
#[derive(Debug, Clone)]
pub struct Converted {
    pub snapshot: Snapshot,
    pub suppressions: Vec<Suppression>,
}

/// Reads a plan file.
pub fn read(path: &Path, options: &Options) -> Result<Converted, PlanError> {
    let bytes = std::fs::read(path).map_err(|source| PlanError::Io {
        path: path.to_owned(),
        source,
    })?;
    from_bytes(&bytes, path, options)
}

/// Reads plan JSON; `path` names it in messages and fallback locations.
pub fn from_bytes(bytes: &[u8], path: &Path, options: &Options) -> Result<Converted, PlanError> {
    document::refuse_binary(bytes, path)?;
    let text = String::from_utf8_lossy(bytes);
    let doc = document::parse(&text, path)?;
    let config = Configuration::from_plan(doc.value("configuration")?, doc.value("variables")?);
    let header = Header::of(&doc)?;
    let planned = collect(&doc, &config, &text)?;
    drop(doc);
    let mut world = World::new(planned, config);
    for p in &mut world.planned {
        normalise::normalise(p, &world.config);
    }
    resolve_references(&mut world);
    let mut gaps = Vec::new();
    join::join_all(&mut world, &mut gaps);
    join::merge_policy_attachments(&mut world);
    join::db_subnets(&mut world);

    let display = options
        .display_path
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let mut suppressions = Vec::new();
    let mut locations: Vec<Option<Location>> = world
        .planned
        .iter()
        .map(|p| {
            Some(Location {
                file: display.clone(),
                line: p.plan_line,
            })
        })
        .collect();
    if let Some(dir) = &options.source_dir {
        let base = options.base_dir.clone().unwrap_or_else(|| dir.clone());
        let mut map = SourceMap::new(dir, &base, &world.config);
        for (p, loc) in world.planned.iter().zip(locations.iter_mut()) {
            let Some(found) = map.find(&p.addr.module_path(), &p.addr.local()) else {
                continue;
            };
            *loc = Some(map.location(&found, found.line));
            for (rules, why, line) in &found.suppressions {
                // `# pillar:ignore A,B reason` suppresses both rules.
                for rule in rules.split(',').filter(|r| !r.is_empty()) {
                    suppressions.push(Suppression {
                        resource: p.address.clone(),
                        rule_id: rule.to_owned(),
                        justification: why.clone(),
                        location: Some(map.location(&found, *line)),
                    });
                }
            }
        }
    }

    let mut regions: Vec<String> = world
        .planned
        .iter()
        .filter_map(|p| p.region.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    regions.dedup();
    let resources = world
        .planned
        .into_iter()
        .zip(locations)
        .map(|(p, location)| {
            let mut attributes = p.attrs;
            attributes.insert("plan_action".into(), json!(p.action));
            Resource {
                id: p.address,
                kind: p.kind,
                account: None,
                region: p.region,
                attributes,
                unknown: p.unknown.into_iter().collect(),
                location,
            }
        })
        .collect();
    let snapshot = Snapshot {
        format_version: pillar_snapshot::FORMAT_VERSION,
        source: Source {
            kind: SourceKind::TerraformPlan,
            accounts: Vec::new(),
            regions,
            collected_at: header
                .timestamp
                .unwrap_or_else(pillar_snapshot::date::now_rfc3339),
            tool: options.tool.clone(),
            description: Some(format!(
                "Terraform {} plan (JSON format {}) from {display}",
                header.terraform_version, header.format_version,
            )),
        },
        gaps,
        resources,
    };
    Ok(Converted {
        snapshot,
        suppressions,
    })
}

/// What the snapshot's source says of the plan, read before the document
/// is dropped.
struct Header {
    timestamp: Option<String>,
    terraform_version: String,
    format_version: String,
}

impl Header {
    fn of(doc: &Document<'_>) -> Result<Header, PlanError> {
        let text = |key: &str| -> Result<Option<String>, PlanError> {
            Ok(doc.value(key)?.as_str().map(str::to_owned))
        };
        let or_unknown = |v: Option<String>| v.unwrap_or_else(|| "unknown".to_owned());
        Ok(Header {
            timestamp: text("timestamp")?,
            terraform_version: or_unknown(text("terraform_version")?),
            format_version: or_unknown(text("format_version")?),
        })
    }
}

/// The action as one word: `create`, `update`, `replace`, `no-op`; `None`
/// for what the planned state does not hold (deletes, reads, forgets).
fn action(actions: &Value) -> Option<&'static str> {
    let list: Vec<&str> = actions
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    match list.as_slice() {
        ["create"] => Some("create"),
        ["update"] => Some("update"),
        ["no-op"] => Some("no-op"),
        ["delete", "create"] | ["create", "delete"] => Some("replace"),
        _ => None,
    }
}

/// The planned resources: `resource_changes` first (they carry unknowns
/// and sensitivity); resources only in `planned_values` or `prior_state`
/// (plans with no changes listed) are added as they are.
fn collect(
    doc: &Document<'_>,
    config: &Configuration,
    text: &str,
) -> Result<Vec<Planned>, PlanError> {
    let lines = address_lines(text);
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut deleted = HashSet::new();
    // One change at a time: its tree is dropped once its `after` is moved out.
    let changes: Vec<&RawValue> = match doc.raw("resource_changes") {
        Some(list) => doc.parse_part(list)?,
        None => Vec::new(),
    };
    for raw in changes {
        let mut rc: Value = doc.parse_part(raw.get())?;
        let Some(address) = rc["address"].as_str().map(str::to_owned) else {
            continue;
        };
        if rc["mode"].as_str() == Some("data") {
            continue;
        }
        let Some(act) = action(&rc["change"]["actions"]) else {
            deleted.insert(address);
            continue;
        };
        // `pointer_mut`, not `IndexMut`: indexing a non-object panics.
        let after = match rc.pointer_mut("/change/after").map(Value::take) {
            Some(Value::Object(after)) => after,
            _ => Map::new(),
        };
        let unknown = pointer::from_after_unknown(&rc["change"]["after_unknown"]);
        if let Some(p) = planned(
            &address,
            rc["type"].as_str(),
            act,
            after,
            unknown,
            &rc["change"]["after_sensitive"],
            config,
            &lines,
        ) && seen.insert(address)
        {
            out.push(p);
        }
    }
    // Without a change entry the action is not known: `planned` for what
    // `planned_values` holds, `no-op` for what is only in `prior_state`.
    for (section, root, act) in [
        ("planned_values", &["root_module"][..], "planned"),
        ("prior_state", &["values", "root_module"][..], "no-op"),
    ] {
        let Some(section) = doc.raw(section) else {
            continue;
        };
        let mut resources = Vec::new();
        module_resources(&section_module(section, root), &mut resources, 0);
        for raw in resources {
            // Most of these are also in `resource_changes`: look at the
            // address before parsing the rest.
            let head: ResourceHead = serde_json::from_str(raw.get()).unwrap_or_default();
            let Some(address) = head.address else {
                continue;
            };
            if head.mode.as_deref() == Some("data")
                || seen.contains(&address)
                || deleted.contains(&address)
            {
                continue;
            }
            let mut r: Value = doc.parse_part(raw.get())?;
            let values = match r.get_mut("values").map(Value::take) {
                Some(Value::Object(values)) => values,
                _ => Map::new(),
            };
            if let Some(p) = planned(
                &address,
                r["type"].as_str(),
                act,
                values,
                BTreeSet::new(),
                &r["sensitive_values"],
                config,
                &lines,
            ) {
                seen.insert(address);
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// The fields of a `planned_values` or `prior_state` resource that decide
/// whether it is read at all. A resource that is not an object is skipped.
#[derive(Default, Deserialize)]
struct ResourceHead {
    #[serde(default, deserialize_with = "lenient_string")]
    address: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    mode: Option<String>,
}

/// A string, or `None` for any other JSON value.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// A module of `planned_values` or `prior_state`, its lists unparsed.
#[derive(Default, Deserialize)]
struct RawModule<'a> {
    #[serde(borrow, default)]
    resources: Option<&'a RawValue>,
    #[serde(borrow, default)]
    child_modules: Option<&'a RawValue>,
}

/// The module at `keys` in a section's text. Parts not in the expected
/// shape hold no resources, as the reader always treated them.
fn section_module<'a>(section: &'a str, keys: &[&str]) -> RawModule<'a> {
    let mut text = section;
    for key in keys {
        let members: HashMap<String, &RawValue> = serde_json::from_str(text).unwrap_or_default();
        match members.get(*key) {
            Some(raw) => text = raw.get(),
            None => return RawModule::default(),
        }
    }
    serde_json::from_str(text).unwrap_or_default()
}

/// Every resource of `module` and its child modules, parents first, in the
/// order the plan lists them.
fn module_resources<'a>(module: &RawModule<'a>, out: &mut Vec<&'a RawValue>, depth: usize) {
    if depth > 64 {
        return;
    }
    let list = |raw: Option<&'a RawValue>| -> Vec<&'a RawValue> {
        raw.and_then(|r| serde_json::from_str(r.get()).ok())
            .unwrap_or_default()
    };
    out.extend(list(module.resources));
    for child in list(module.child_modules) {
        if let Ok(child) = serde_json::from_str::<RawModule<'a>>(child.get()) {
            module_resources(&child, out, depth + 1);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn planned(
    address: &str,
    tf_type: Option<&str>,
    action: &str,
    mut attrs: Map<String, Value>,
    unknown: BTreeSet<String>,
    sensitive_values: &Value,
    config: &Configuration,
    lines: &HashMap<String, u32>,
) -> Option<Planned> {
    let addr = Address::parse(address)?;
    if addr.data {
        return None;
    }
    let tf_type = tf_type.unwrap_or(&addr.kind).to_owned();
    crate::normalise::elasticache::auth_token_enabled(&tf_type, &mut attrs, &unknown);
    sensitive::strip(&mut attrs, sensitive_values);
    let region = config
        .resource(&addr.module_path(), &addr.local())
        .and_then(|r| config.region(r));
    Some(Planned {
        address: address.to_owned(),
        kind: tf_type.clone(),
        tf_type,
        action: action.to_owned(),
        attrs,
        unknown,
        region,
        plan_line: lines.get(address).copied(),
        addr,
    })
}

/// The line of each `"address": "..."` member in the plan text, preferring
/// the entries of `resource_changes` (the same address also appears in
/// `planned_values`, `prior_state` and `configuration`). One pass over the
/// text, so large plans stay linear.
fn address_lines(text: &str) -> HashMap<String, u32> {
    let changes_at = text.find("\"resource_changes\"").unwrap_or(usize::MAX);
    let mut out: HashMap<String, (bool, u32)> = HashMap::new();
    let (mut line, mut counted_to) = (1u32, 0usize);
    for (at, _) in text.match_indices("\"address\"") {
        let rest = text[at + 9..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        if !rest.starts_with('"') {
            continue;
        }
        let bytes = rest.as_bytes();
        let mut end = 1;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let Some(raw) = rest.get(..=end) else {
            continue;
        };
        let Ok(address) = serde_json::from_str::<String>(raw) else {
            continue;
        };
        line += u32::try_from(
            text.as_bytes()[counted_to..at]
                .iter()
                .filter(|b| **b == b'\n')
                .count(),
        )
        .unwrap_or(0);
        counted_to = at;
        let in_changes = at > changes_at;
        let entry = out.entry(address).or_insert((in_changes, line));
        if in_changes && !entry.0 {
            *entry = (true, line);
        }
    }
    out.into_iter().map(|(k, (_, l))| (k, l)).collect()
}

/// A model attribute a reference to `type.attr` reads: a bucket's `id` is
/// its name.
fn alias<'a>(kind: &str, attr: &'a str) -> &'a str {
    match (kind, attr) {
        ("aws_s3_bucket", "id") => "bucket",
        ("aws_iam_role" | "aws_iam_user" | "aws_iam_group", "id") => "name",
        _ => attr,
    }
}

/// Unknown top-level values whose expression is a single reference to a
/// known attribute of another planned resource (`cidr_blocks =
/// [aws_vpc.main.cidr_block]`, `target_bucket = aws_s3_bucket.logs.id`)
/// take that value. Everything else stays unknown.
fn resolve_references(w: &mut World) {
    let mut updates: Vec<(usize, String, Value)> = Vec::new();
    for i in 0..w.planned.len() {
        let p = &w.planned[i];
        for u in p.unknown.iter() {
            let tokens: Vec<&str> = u.split('/').skip(1).collect();
            let (attr, element) = match tokens.as_slice() {
                [a] => (*a, None),
                [a, "0"] => (*a, Some(0)),
                _ => continue,
            };
            if attr.contains('~') {
                continue;
            }
            let Some(expr) = w
                .config
                .expression(&p.addr.module_path(), &p.addr.local(), attr)
            else {
                continue;
            };
            let refs = config::references(expr);
            // One distinct traversal (Terraform lists each prefix too).
            let Some(longest) = refs.iter().max_by_key(|r| r.len()) else {
                continue;
            };
            if !refs.iter().all(|r| longest.starts_with(r)) {
                continue;
            }
            let (segs, rest) = crate::address::split_reference(longest);
            if !rest.is_empty() || segs.len() != 3 {
                continue;
            }
            let (kind, field) = (segs[0].0.as_str(), segs[2].0.as_str());
            if ["var", "local", "module", "data", "each", "count", "path"].contains(&kind) {
                continue;
            }
            let one_element = p
                .attrs
                .get(attr)
                .and_then(Value::as_array)
                .is_some_and(|a| a.len() == 1);
            if element.is_some() && !one_element {
                continue;
            }
            if let Target::Found(t) = w.refers_to(i, attr, &[kind])
                && let [one] = t.as_slice()
                && let Some(v) = w.known(*one, alias(kind, field))
                && !v.is_array()
                && !v.is_object()
            {
                updates.push((i, u.clone(), v.clone()));
            }
        }
    }
    w.forget_names();
    for (i, at, v) in updates {
        let p = &mut w.planned[i];
        let tokens: Vec<&str> = at.split('/').skip(1).collect();
        match tokens.as_slice() {
            [a] => {
                p.attrs.insert((*a).to_owned(), v);
            }
            [a, _] => {
                p.attrs.insert((*a).to_owned(), json!([v]));
            }
            _ => continue,
        }
        pointer::clear(&mut p.unknown, &at);
    }
}
