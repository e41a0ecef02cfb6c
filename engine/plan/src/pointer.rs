//! JSON pointers (RFC 6901) for the `unknown` list: building them from
//! `after_unknown`, testing coverage, and following shape changes.

use std::collections::BTreeSet;

use serde_json::Value;

/// One pointer token, escaped.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every place `after_unknown` marks `true`, as pointers. Terraform writes
/// `true` for an unknown value, `false` (or omits it) for a known one, and
/// mirrors objects and lists for values partly unknown.
pub fn from_after_unknown(after_unknown: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    walk(after_unknown, String::new(), &mut out);
    out
}

fn walk(v: &Value, at: String, out: &mut BTreeSet<String>) {
    match v {
        Value::Bool(true) => {
            out.insert(at);
        }
        Value::Object(map) => {
            for (k, child) in map {
                walk(child, format!("{at}/{}", escape(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// True when `pointer` or one of its ancestors (by whole segments) is in `set`.
pub fn covered(set: &BTreeSet<String>, pointer: &str) -> bool {
    set.iter().any(|u| {
        pointer == u
            || (pointer.starts_with(u.as_str()) && pointer[u.len()..].starts_with('/'))
            || u.is_empty()
    })
}

/// True when something at or below `pointer` is unknown.
pub fn touches(set: &BTreeSet<String>, pointer: &str) -> bool {
    covered(set, pointer)
        || set
            .iter()
            .any(|u| u.starts_with(pointer) && u[pointer.len()..].starts_with('/'))
}

/// Removes every pointer at or below `pointer`.
pub fn clear(set: &mut BTreeSet<String>, pointer: &str) {
    set.retain(|u| {
        !(u == pointer || (u.starts_with(pointer) && u[pointer.len()..].starts_with('/')))
    });
}

/// Follows a one-element list becoming an object: `/attr/0/x` becomes
/// `/attr/x`; pointers into other elements are dropped (the model keeps only
/// the first block).
pub fn collapse_list(set: &mut BTreeSet<String>, attr: &str) {
    collapse_list_at(set, &format!("/{}", escape(attr)));
}

/// As [`collapse_list`], for a block list at any pointer (a block nested in
/// an element of another list: `/origin/2/s3_origin_config`).
pub fn collapse_list_at(set: &mut BTreeSet<String>, base: &str) {
    let base = base.to_owned();
    let moved: Vec<String> = set
        .iter()
        .filter(|u| u.starts_with(&format!("{base}/")))
        .cloned()
        .collect();
    for u in moved {
        set.remove(&u);
        let rest = &u[base.len() + 1..];
        let (index, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if index == "0" {
            if tail.is_empty() {
                set.insert(base.clone());
            } else {
                set.insert(format!("{base}/{tail}"));
            }
        }
    }
}

/// Renames the attribute at the top of every pointer under `/from` to `/to`.
pub fn rename(set: &mut BTreeSet<String>, from: &str, to: &str) {
    let from = format!("/{}", escape(from));
    let to = format!("/{}", escape(to));
    let moved: Vec<String> = set
        .iter()
        .filter(|u| **u == from || u.starts_with(&format!("{from}/")))
        .cloned()
        .collect();
    for u in moved {
        set.remove(&u);
        set.insert(format!("{to}{}", &u[from.len()..]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_after_unknown_becomes_pointers() {
        let au = json!({
            "arn": true,
            "ingress": [{"cidr_blocks": [false, true], "self": false}],
            "tags": {"a/b": true},
            "egress": [],
            "known": false
        });
        let set = from_after_unknown(&au);
        let v: Vec<&str> = set.iter().map(String::as_str).collect();
        assert_eq!(v, vec!["/arn", "/ingress/0/cidr_blocks/1", "/tags/a~1b"]);
        assert_eq!(
            from_after_unknown(&json!(true))
                .into_iter()
                .collect::<Vec<_>>(),
            vec![""]
        );
    }

    #[test]
    fn coverage_is_by_whole_segments() {
        let set: BTreeSet<String> = ["/ingress".to_owned(), "/a".to_owned()].into();
        assert!(covered(&set, "/ingress/0/cidr_blocks"));
        assert!(covered(&set, "/a"));
        assert!(!covered(&set, "/ab"));
        let deep: BTreeSet<String> = ["/x/0/y".to_owned()].into();
        assert!(touches(&deep, "/x"));
        assert!(!covered(&deep, "/x"));
    }

    #[test]
    fn lists_collapse_and_attributes_rename() {
        let mut set: BTreeSet<String> = [
            "/versioning/0/enabled".to_owned(),
            "/versioning/1".to_owned(),
            "/logging/0".to_owned(),
        ]
        .into();
        collapse_list(&mut set, "versioning");
        collapse_list(&mut set, "logging");
        let v: Vec<&str> = set.iter().map(String::as_str).collect();
        assert_eq!(v, vec!["/logging", "/versioning/enabled"]);
        rename(&mut set, "logging", "log");
        assert!(set.contains("/log"));
        clear(&mut set, "/versioning");
        assert_eq!(set.len(), 1);
    }
}
