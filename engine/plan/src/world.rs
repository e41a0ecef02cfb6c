//! The planned resources being built, and how they refer to each other
//! through the configuration's `references`.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::address::{Address, module_instance, split_reference};
use crate::config::{self, Configuration};

/// One resource instance of the plan, as it is normalised and joined.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The Terraform address: the resource's id in the snapshot.
    pub address: String,
    pub addr: Address,
    /// The Terraform type as planned (`aws_default_security_group`).
    pub tf_type: String,
    /// The model kind (`aws_security_group`).
    pub kind: String,
    /// `create`, `update`, `replace`, `no-op`.
    pub action: String,
    pub attrs: Map<String, Value>,
    pub unknown: BTreeSet<String>,
    pub region: Option<String>,
    /// Where the resource's entry starts in the plan file (1-based line).
    pub plan_line: Option<u32>,
}

/// What an argument refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// These planned resources (indexes into [`World::planned`]).
    Found(Vec<usize>),
    /// Something that is not planned here: a data source, an existing
    /// resource named by a literal that matches nothing in the plan.
    Outside,
    /// The configuration does not tell which resource (a value unknown
    /// until apply, a local, an index we cannot follow).
    Unresolved,
}

pub struct World {
    pub planned: Vec<Planned>,
    pub config: Configuration,
    /// Indexes into `planned`, built on first lookup so that following a
    /// reference does not scan every resource (which made reading a plan
    /// quadratic in its size). Built from addresses and kinds, which are
    /// settled before any reference is followed (normalisation runs
    /// first).
    index: OnceLock<Index>,
    /// Resources by the value of their naming attributes, for
    /// [`World::match_literal`]. Unlike `index` it depends on attribute
    /// values, so [`World::forget_names`] drops it after a phase that
    /// may have changed them.
    names: OnceLock<NameIndex>,
}

#[derive(Default)]
struct Index {
    /// Module instance (`module.a[0].module.b`) → Terraform type →
    /// resource name → positions, in plan order. Keyed by instance
    /// because a module called many times repeats every name in it.
    by_address: HashMap<String, HashMap<String, HashMap<String, Vec<usize>>>>,
}

/// Model kind → naming attribute's known text → positions, in plan order.
type NameIndex = HashMap<String, HashMap<String, Vec<usize>>>;

enum Step {
    Found(Vec<usize>),
    Outside,
    Literal(Value),
    Unresolved,
}

/// The text of naming attribute `attr` of `p`, when it is known.
fn known_text<'a>(p: &'a Planned, attr: &str) -> Option<&'a str> {
    if crate::pointer::covered(&p.unknown, &format!("/{attr}")) {
        return None;
    }
    p.attrs.get(attr).and_then(Value::as_str)
}

/// The attribute that names a resource of each kind, for matching literal
/// values when the configuration has no reference to follow.
fn name_attributes(kind: &str) -> &'static [&'static str] {
    match kind {
        "aws_s3_bucket" => &["bucket", "id"],
        "aws_iam_role"
        | "aws_iam_user"
        | "aws_iam_group"
        | "aws_db_subnet_group"
        | "aws_config_configuration_recorder" => &["name", "arn"],
        "aws_iam_policy" => &["arn"],
        "aws_db_instance" => &["identifier", "arn"],
        "aws_ecr_repository" => &["name", "arn"],
        "aws_lambda_function" => &["function_name", "arn"],
        _ => &["id", "arn"],
    }
}

impl World {
    pub fn new(planned: Vec<Planned>, config: Configuration) -> World {
        World {
            planned,
            config,
            index: OnceLock::new(),
            names: OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (i, p) in self.planned.iter().enumerate() {
                index
                    .by_address
                    .entry(p.addr.module_instance())
                    .or_default()
                    .entry(p.tf_type.clone())
                    .or_default()
                    .entry(p.addr.name.clone())
                    .or_default()
                    .push(i);
            }
            index
        })
    }

    /// Drops the index of naming attributes' values. Call it after changing
    /// attributes of planned resources and before matching literals again.
    pub fn forget_names(&mut self) {
        self.names = OnceLock::new();
    }

    fn names(&self) -> &NameIndex {
        self.names.get_or_init(|| {
            let mut names = NameIndex::default();
            for (i, p) in self.planned.iter().enumerate() {
                let by_text = names.entry(p.kind.clone()).or_default();
                let mut texts: Vec<&str> = Vec::new();
                for a in name_attributes(&p.kind) {
                    if let Some(text) = known_text(p, a)
                        && !texts.contains(&text)
                    {
                        texts.push(text);
                        by_text.entry(text.to_owned()).or_default().push(i);
                    }
                }
            }
            names
        })
    }

    /// The resources among `kinds` that argument `attr` of resource `src`
    /// refers to. References are followed through module outputs and input
    /// variables. Literal-name matching is only a fallback, used when the
    /// argument is a known literal (or a root variable's value) and the
    /// candidate's naming attribute is known too: then `bucket = "logs"`
    /// matches the planned bucket whose `bucket` is `"logs"`, and a literal
    /// that matches nothing refers to something outside the plan.
    pub fn refers_to(&self, src: usize, attr: &str, kinds: &[&str]) -> Target {
        let s = &self.planned[src];
        let path = s.addr.module_path();
        let expr = self.config.expression(&path, &s.addr.local(), attr);
        let literal_in_plan = || {
            if crate::pointer::covered(&s.unknown, &format!("/{attr}")) {
                None
            } else {
                s.attrs.get(attr).filter(|v| !v.is_null()).cloned()
            }
        };
        let step = match expr {
            Some(e) => match config::constant(e) {
                Some(v) => Step::Literal(v.clone()),
                None => {
                    let refs = config::references(e);
                    if refs.is_empty() {
                        literal_in_plan().map_or(Step::Unresolved, Step::Literal)
                    } else {
                        self.follow(&s.addr.modules, &refs, kinds, s.addr.key.as_deref(), 0)
                    }
                }
            },
            None => literal_in_plan().map_or(Step::Unresolved, Step::Literal),
        };
        match step {
            Step::Found(v) => Target::Found(v),
            Step::Outside => Target::Outside,
            Step::Unresolved => match literal_in_plan() {
                // The configuration's reference could not be followed but
                // the plan knows the value: match it by name.
                Some(v) => self.match_literal(&v, kinds),
                None => Target::Unresolved,
            },
            Step::Literal(v) => self.match_literal(&v, kinds),
        }
    }

    pub fn match_literal(&self, v: &Value, kinds: &[&str]) -> Target {
        let Some(text) = v.as_str().filter(|t| !t.is_empty()) else {
            return Target::Unresolved;
        };
        let names = self.names();
        let mut found: Vec<usize> = kinds
            .iter()
            .filter_map(|k| names.get(*k)?.get(text))
            .flatten()
            .copied()
            .collect();
        // In plan order, each once, as a scan of `planned` would give them.
        found.sort_unstable();
        found.dedup();
        #[cfg(test)]
        assert_eq!(
            found,
            self.match_literal_by_scan(text, kinds),
            "stale name index"
        );
        if found.is_empty() {
            Target::Outside
        } else {
            Target::Found(found)
        }
    }

    /// What [`World::match_literal`] finds, by a scan of every resource:
    /// the tests check the index against it.
    #[cfg(test)]
    fn match_literal_by_scan(&self, text: &str, kinds: &[&str]) -> Vec<usize> {
        (0..self.planned.len())
            .filter(|&i| {
                let p = &self.planned[i];
                kinds.contains(&p.kind.as_str())
                    && name_attributes(&p.kind)
                        .iter()
                        .any(|a| known_text(p, a) == Some(text))
            })
            .collect()
    }

    /// Follows references from module instance `modules`. `self_key` is the
    /// instance key of the referring resource (or module), used when a
    /// reference to a counted resource carries no index: `aws_x.y[count.index]`
    /// appears in `references` only as `aws_x.y`, and the instance with the
    /// same key is the one meant.
    fn follow(
        &self,
        modules: &[(String, Option<String>)],
        refs: &[&str],
        kinds: &[&str],
        self_key: Option<&str>,
        depth: usize,
    ) -> Step {
        if depth > 16 {
            return Step::Unresolved;
        }
        let mut ambiguous = false;
        let mut outside = false;
        for r in refs {
            let (segs, _) = split_reference(r);
            let Some((head, _)) = segs.first() else {
                continue;
            };
            match head.as_str() {
                "data" => outside = true,
                "var" => {
                    let Some((name, _)) = segs.get(1) else {
                        continue;
                    };
                    let step = self.follow_variable(modules, name, kinds, depth);
                    if matches!(step, Step::Found(_) | Step::Literal(_)) {
                        return step;
                    }
                    if matches!(step, Step::Outside) {
                        outside = true;
                    }
                }
                "module" => {
                    let (Some((call, key)), Some((output, _))) = (segs.get(1), segs.get(2)) else {
                        continue;
                    };
                    let mut child = modules.to_vec();
                    child.push((call.clone(), key.clone()));
                    let path: Vec<String> = child.iter().map(|(n, _)| n.clone()).collect();
                    let Some(expr) = self
                        .config
                        .modules
                        .get(&path)
                        .and_then(|m| m.outputs.get(output))
                    else {
                        continue;
                    };
                    if let Some(v) = config::constant(expr) {
                        return Step::Literal(v.clone());
                    }
                    let inner = config::references(expr);
                    let step = self.follow(&child, &inner, kinds, None, depth + 1);
                    if matches!(step, Step::Found(_) | Step::Literal(_)) {
                        return step;
                    }
                    if matches!(step, Step::Outside) {
                        outside = true;
                    }
                }
                "local" => ambiguous = true,
                "each" | "count" | "path" | "self" | "terraform" => {}
                kind => {
                    if !kinds.contains(&kind) {
                        continue;
                    }
                    let Some((name, key)) = segs.get(1) else {
                        continue;
                    };
                    let candidates: Vec<usize> = self
                        .index()
                        .by_address
                        .get(&module_instance(modules))
                        .and_then(|types| types.get(kind))
                        .and_then(|names| names.get(name.as_str()))
                        .cloned()
                        .unwrap_or_default();
                    let chosen: Vec<usize> = match key {
                        Some(k) => candidates
                            .iter()
                            .copied()
                            .filter(|i| self.planned[*i].addr.key.as_deref() == Some(k))
                            .collect(),
                        None if candidates.len() <= 1 => candidates.clone(),
                        None => candidates
                            .iter()
                            .copied()
                            .filter(|i| {
                                self_key.is_some()
                                    && self.planned[*i].addr.key.as_deref() == self_key
                            })
                            .collect(),
                    };
                    if !chosen.is_empty() {
                        return Step::Found(chosen);
                    }
                    if candidates.is_empty() {
                        // Not planned: destroyed, or managed elsewhere.
                        outside = true;
                    } else {
                        ambiguous = true;
                    }
                }
            }
        }
        if outside && !ambiguous {
            Step::Outside
        } else {
            Step::Unresolved
        }
    }

    fn follow_variable(
        &self,
        modules: &[(String, Option<String>)],
        name: &str,
        kinds: &[&str],
        depth: usize,
    ) -> Step {
        let Some(((call, call_key), parent)) = modules.split_last() else {
            return match self.config.variables.get(name) {
                Some(v) if !v.is_null() => Step::Literal(v.clone()),
                _ => Step::Unresolved,
            };
        };
        let parent_path: Vec<String> = parent.iter().map(|(n, _)| n.clone()).collect();
        let Some(expr) = self
            .config
            .call(&parent_path, call)
            .and_then(|c| c.get("expressions"))
            .and_then(|e| e.get(name))
        else {
            return Step::Unresolved;
        };
        if let Some(v) = config::constant(expr) {
            return Step::Literal(v.clone());
        }
        let refs = config::references(expr);
        self.follow(parent, &refs, kinds, call_key.as_deref(), depth + 1)
    }

    /// The value of `attr` on resource `i`, when it is known.
    pub fn known(&self, i: usize, attr: &str) -> Option<&Value> {
        let p = &self.planned[i];
        if crate::pointer::touches(&p.unknown, &format!("/{attr}")) {
            return None;
        }
        p.attrs.get(attr).filter(|v| !v.is_null())
    }
}
