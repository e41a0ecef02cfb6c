//! Reading a split resource: its attributes as planned, which of them are
//! unknown, and whether the configuration declares them. Every service's
//! joins read through these, so "unknown but undeclared means none" is
//! decided in one place.

use serde_json::Value;

use crate::pointer::{self, covered};
use crate::world::{Target, World};

/// Unknown pointers of resource `i` below `/from`, rebased onto `to`.
pub(super) fn rebase(w: &World, i: usize, from: &str, to: &str) -> Vec<String> {
    let from = format!("/{}", pointer::escape(from));
    w.planned[i]
        .unknown
        .iter()
        .filter(|u| **u == from || u.starts_with(&format!("{from}/")))
        .map(|u| format!("{to}{}", &u[from.len()..]))
        .collect()
}

pub(super) fn unknown_at(w: &World, i: usize, attr: &str) -> bool {
    covered(
        &w.planned[i].unknown,
        &format!("/{}", pointer::escape(attr)),
    )
}

pub(super) fn attr(w: &World, i: usize, name: &str) -> Value {
    w.planned[i].attrs.get(name).cloned().unwrap_or(Value::Null)
}

/// The value of `name`, or `null` marked unknown as a whole (pointers
/// relative to the attribute it is set onto).
pub(super) fn known_or_unknown(w: &World, i: usize, name: &str) -> (Value, Vec<String>) {
    if unknown_at(w, i, name) {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, name), Vec::new())
    }
}

/// Whether the configuration declares the argument on resource `i`.
pub(super) fn declared(w: &World, i: usize, name: &str) -> bool {
    let p = &w.planned[i];
    w.config
        .expression(&p.addr.module_path(), &p.addr.local(), name)
        .is_some()
}

/// A value that is unknown because computed, but undeclared: none.
pub(super) fn value_or_none(
    w: &World,
    i: usize,
    name: &str,
    unknown: &mut Vec<String>,
    at: &str,
) -> Value {
    if unknown_at(w, i, name) {
        if declared(w, i, name) {
            unknown.push(at.to_owned());
        }
        return Value::Null;
    }
    attr(w, i, name)
}

/// The first element of a nested block list (the provider writes a single
/// block as a one-element list), or the value itself.
pub(super) fn first(v: &Value) -> Value {
    match v {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// A name that could not be resolved is pushed as an unknown element.
pub(super) fn unknown_if_null(v: &Value) -> Vec<String> {
    if v.is_null() {
        vec![String::new()]
    } else {
        Vec::new()
    }
}

/// The name of the resource argument `arg` refers to: the plan's value when
/// known, else the referenced resource's `name_attr` when that is known.
pub(super) fn resolved_name(
    w: &World,
    i: usize,
    arg: &str,
    kinds: &[&str],
    name_attr: &str,
    unknown: &mut Vec<String>,
    at: &str,
) -> Value {
    if !unknown_at(w, i, arg) {
        return attr(w, i, arg);
    }
    if !declared(w, i, arg) {
        return Value::Null;
    }
    if let Target::Found(t) = w.refers_to(i, arg, kinds)
        && let [one] = t.as_slice()
        && let Some(v) = w.known(*one, name_attr)
    {
        return v.clone();
    }
    unknown.push(at.to_owned());
    Value::Null
}
