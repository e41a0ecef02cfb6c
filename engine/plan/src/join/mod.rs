//! Joins: resources Terraform splits off (S3 bucket settings, security group
//! rules, backup replications, IAM attachments, routes...) are folded onto
//! the resource they configure, found through the configuration's
//! `references` (see [`World::refers_to`]), before any rule runs.
//!
//! When the target cannot be told, nothing is guessed: the joined attribute
//! becomes unknown on every resource the split one could belong to, and a
//! gap names the split resource.
//!
//! One module per service lists its split resources in a `JOINS` table
//! (Terraform type → what it folds onto its target); [`SERVICES`] lists the
//! tables. Adding a service is a `join/<service>.rs` with its table and one
//! entry there; the folding itself lives here and is the same for all.

mod backup;
mod config;
mod ec2;
mod ecr;
mod efs;
mod elbv2;
mod iam;
mod kms;
mod lambda;
mod names;
mod rds;
mod read;
mod s3;
mod secretsmanager;
mod sns;
mod sqs;

pub(crate) use iam::merge_policy_attachments;
pub(crate) use rds::db_subnets;

use std::collections::{BTreeSet, HashMap, HashSet};

use pillar_snapshot::Gap;
use serde_json::{Value, json};

use crate::pointer::clear;
use crate::world::{Target, World};

/// The kinds a split resource may be folded onto.
type Kinds = &'static [&'static str];

/// One piece of a split resource to fold onto its target.
#[derive(Clone)]
enum Fold {
    /// Replace `attr` with a value; `unknown` are pointers relative to it.
    Set {
        attr: &'static str,
        value: Value,
        unknown: Vec<String>,
    },
    /// Append an element to the list `attr`; `unknown` relative to it.
    Push {
        attr: &'static str,
        value: Value,
        unknown: Vec<String>,
    },
}

fn set(attr: &'static str, value: Value, unknown: Vec<String>) -> Fold {
    Fold::Set {
        attr,
        value,
        unknown,
    }
}

fn push(attr: &'static str, value: Value, unknown: Vec<String>) -> Fold {
    Fold::Push {
        attr,
        value,
        unknown,
    }
}

/// How a split resource's target is found: through one of its arguments'
/// references, or (memberships listing names) by a known literal name.
enum Via {
    Arg(&'static str),
    Name(Value),
}

/// One fold and where its target is: the `via` that finds it among `kinds`.
struct Piece {
    via: Via,
    kinds: Kinds,
    fold: Fold,
}

impl Piece {
    /// A target found by a literal name rather than a reference.
    fn by_name(name: Value, kinds: Kinds, fold: Fold) -> Piece {
        Piece {
            via: Via::Name(name),
            kinds,
            fold,
        }
    }
}

/// What one split resource contributes.
type Plan = Vec<Piece>;

/// The plan of the usual split resource: one fold onto what its argument
/// `arg` refers to among `kinds`.
fn onto(arg: &'static str, kinds: Kinds, fold: Fold) -> Plan {
    vec![Piece {
        via: Via::Arg(arg),
        kinds,
        fold,
    }]
}

/// What split resource `i` contributes (`None`: nothing to fold).
type Planner = fn(&World, usize) -> Option<Plan>;

/// A Terraform type that is folded onto another resource, and its planner.
type Join = (&'static str, Planner);

/// Every service's split resources.
const SERVICES: &[&[Join]] = &[
    s3::JOINS,
    ec2::JOINS,
    rds::JOINS,
    iam::JOINS,
    elbv2::JOINS,
    kms::JOINS,
    secretsmanager::JOINS,
    config::JOINS,
    ecr::JOINS,
    lambda::JOINS,
    sns::JOINS,
    sqs::JOINS,
    efs::JOINS,
    backup::JOINS,
];

/// A split resource's target that could not be told: the target kinds, the
/// attribute, how to mark it (`true` the whole attribute, `false` an
/// unknown element appended to a list, so known elements are still
/// judged), and the split resource.
type Unresolved = (Kinds, &'static str, bool, usize);

pub fn join_all(w: &mut World, gaps: &mut Vec<Gap>) {
    names::resolve(w);
    let (folds, unresolved) = plan_all(w);
    w.forget_names();
    let set_by_join = apply(w, folds);
    mark_unresolved(w, unresolved, &set_by_join, gaps);
}

/// Every split resource's folds with their targets found, and the folds
/// whose target could not be told.
fn plan_all(w: &World) -> (Vec<(usize, Fold)>, Vec<Unresolved>) {
    let planners: HashMap<&str, Planner> =
        SERVICES.iter().flat_map(|s| s.iter().copied()).collect();
    let mut folds: Vec<(usize, Fold)> = Vec::new();
    let mut unresolved: Vec<Unresolved> = Vec::new();
    for i in 0..w.planned.len() {
        let Some(plan) = planners
            .get(w.planned[i].tf_type.as_str())
            .and_then(|planner| planner(w, i))
        else {
            continue;
        };
        for Piece { via, kinds, fold } in plan {
            let target = match via {
                Via::Arg(arg) => w.refers_to(i, arg, kinds),
                Via::Name(name) => w.match_literal(&name, kinds),
            };
            match target {
                Target::Found(targets) => {
                    for t in targets {
                        folds.push((t, fold.clone()));
                    }
                }
                Target::Outside => {}
                Target::Unresolved => {
                    let (attr, whole) = match &fold {
                        Fold::Set { attr, .. } => (*attr, true),
                        Fold::Push { attr, .. } => (*attr, whole_when_unresolved(attr)),
                    };
                    unresolved.push((kinds, attr, whole, i));
                }
            }
        }
    }
    (folds, unresolved)
}

/// Folds onto their targets; returns the attributes set whole, which an
/// unresolved fold must not mark unknown.
fn apply(w: &mut World, folds: Vec<(usize, Fold)>) -> BTreeSet<(usize, &'static str)> {
    let mut set_by_join: BTreeSet<(usize, &'static str)> = BTreeSet::new();
    for (t, fold) in folds {
        let p = &mut w.planned[t];
        match fold {
            Fold::Set {
                attr,
                value,
                unknown,
            } => {
                let at = format!("/{attr}");
                clear(&mut p.unknown, &at);
                p.attrs.insert(attr.to_owned(), value);
                p.unknown
                    .extend(unknown.into_iter().map(|u| format!("{at}{u}")));
                set_by_join.insert((t, attr));
            }
            Fold::Push {
                attr,
                value,
                unknown,
            } => {
                let list = p.attrs.entry(attr.to_owned()).or_insert_with(|| json!([]));
                if !list.is_array() {
                    *list = json!([]);
                }
                let n = list.as_array().map_or(0, Vec::len);
                if let Some(items) = list.as_array_mut() {
                    items.push(value);
                }
                p.unknown
                    .extend(unknown.into_iter().map(|u| format!("/{attr}/{n}{u}")));
            }
        }
    }
    set_by_join
}

/// Marks the attribute of every candidate of an unresolved fold unknown,
/// with a gap naming the split resource.
fn mark_unresolved(
    w: &mut World,
    unresolved: Vec<Unresolved>,
    set_by_join: &BTreeSet<(usize, &'static str)>,
    gaps: &mut Vec<Gap>,
) {
    // Each candidate is marked once per (kinds, attribute), however many
    // sources could not be placed: one unknown element already makes the
    // list "not fully known", and marking once per source made reading a
    // plan quadratic in time and memory (every security group got one
    // unknown element per unplaced rule of the whole plan).
    let mut marked: HashSet<(Kinds, &'static str, bool)> = HashSet::new();
    for (kinds, attr, whole, src) in unresolved {
        let address = w.planned[src].address.clone();
        let targets = if marked.insert((kinds, attr, whole)) {
            0..w.planned.len()
        } else {
            0..0
        };
        for t in targets {
            if !kinds.contains(&w.planned[t].tf_type.as_str()) || set_by_join.contains(&(t, attr)) {
                continue;
            }
            let p = &mut w.planned[t];
            if whole {
                p.unknown.insert(format!("/{attr}"));
            } else {
                let list = p.attrs.entry(attr.to_owned()).or_insert_with(|| json!([]));
                if let Some(items) = list.as_array_mut() {
                    let n = items.len();
                    items.push(Value::Null);
                    p.unknown.insert(format!("/{attr}/{n}"));
                }
            }
        }
        gaps.push(Gap {
            kind: Some(kinds[0].to_owned()),
            operation: Some("terraform-plan:join".to_owned()),
            account: None,
            region: None,
            resource: Some(address.clone()),
            reason: "unsupported".to_owned(),
            message: format!(
                "cannot tell which {} {address} configures; `{attr}` is unknown on every candidate",
                kinds[0]
            ),
        });
    }
}

/// Lists where an unknown extra element is enough (rules still judge the
/// known ones) versus lists whose emptiness is itself the finding.
fn whole_when_unresolved(attr: &str) -> bool {
    matches!(attr, "automated_backups_replications")
}

#[cfg(test)]
mod tests {
    use super::SERVICES;

    /// A type listed by two services would silently lose one planner.
    #[test]
    fn each_split_type_is_joined_by_one_service() {
        let mut seen = std::collections::HashSet::new();
        for (tf_type, _) in SERVICES.iter().flat_map(|s| s.iter()) {
            assert!(seen.insert(*tf_type), "{tf_type} is listed twice");
        }
    }
}
