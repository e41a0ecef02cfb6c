//! Network ACLs: what an ACL's ingress entries admit from the whole
//! internet. Entries are evaluated as AWS does, in rule-number order, the
//! first entry that matches the traffic deciding. Only entries for
//! `0.0.0.0/0` (or `::/0`) speak for "anyone": a narrower allow admits
//! someone, not the world, and a narrower deny leaves the rest of the world
//! admitted by a later entry.
//!
//! An entry whose fields are unknown (a plan's computed value) makes the
//! answer unknown when it could be the one that decides, never a fail.

use pillar_rule_sdk::checks::{as_i64, is_all_protocols, is_world_cidr, tcp_ports};
use pillar_rule_sdk::prelude::*;
use serde_json::Value;

/// The internet, in one address family.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub const BOTH: [Family; 2] = [Family::V4, Family::V6];

    fn field(self) -> &'static str {
        match self {
            Family::V4 => "cidr_block",
            Family::V6 => "ipv6_cidr_block",
        }
    }

    pub fn world(self) -> &'static str {
        match self {
            Family::V4 => "0.0.0.0/0",
            Family::V6 => "::/0",
        }
    }
}

/// What an ACL's entries answer for traffic from the world.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Admitted by the entry at this index of `/ingress` (its rule number).
    Admitted {
        index: usize,
        rule_no: i64,
    },
    Refused,
    /// An entry that could decide is not known; the pointer names it.
    Unknown(String),
}

/// One ingress entry as read, with the index it has in `/ingress`.
struct Entry<'a> {
    index: usize,
    value: &'a Value,
    /// Some field of the entry is unknown.
    unknown: bool,
}

impl Entry<'_> {
    fn text(&self, field: &str) -> Option<String> {
        match self.value.get(field)? {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    fn int(&self, field: &str) -> Option<i64> {
        self.value.get(field).and_then(as_i64)
    }

    fn rule_no(&self) -> Option<i64> {
        self.int("rule_no")
    }

    /// Whether the entry names the whole internet of `family`.
    fn is_world(&self, family: Family) -> bool {
        self.text(family.field()).is_some_and(|c| is_world_cidr(&c))
    }

    fn allows(&self) -> Option<bool> {
        match self.text("action")?.to_ascii_lowercase().as_str() {
            "allow" => Some(true),
            "deny" => Some(false),
            _ => None,
        }
    }
}

/// The ACL's ingress entries, or the answer when the list itself is not
/// known (`None` means "no entries", which refuses everything).
fn entries(acl: &Resource) -> Result<Vec<Entry<'_>>, Answer> {
    match acl.attr("/ingress") {
        Attr::Known(Value::Array(list)) => Ok(list
            .iter()
            .enumerate()
            .map(|(index, value)| Entry {
                index,
                value,
                unknown: acl.has_unknown_within(&format!("/ingress/{index}")),
            })
            .collect()),
        Attr::Absent => Ok(Vec::new()),
        Attr::Known(_) | Attr::Unknown => Err(Answer::Unknown("/ingress".into())),
    }
}

/// Walks the world's entries of `family` in rule order. `decide` gets each
/// known entry for the world and says whether it admits (`Some(true)`),
/// refuses (`Some(false)`) or does not match (`None`) the traffic asked
/// about.
fn first_deciding(
    acl: &Resource,
    family: Family,
    decide: impl Fn(&Entry<'_>) -> Option<bool>,
) -> Answer {
    let entries = match entries(acl) {
        Ok(e) => e,
        Err(answer) => return answer,
    };
    // An entry whose rule number is not known could sit anywhere.
    if let Some(e) = entries.iter().find(|e| e.unknown && e.rule_no().is_none()) {
        return Answer::Unknown(format!("/ingress/{}", e.index));
    }
    let mut ordered: Vec<&Entry<'_>> = entries.iter().collect();
    ordered.sort_by_key(|e| e.rule_no());
    for e in ordered {
        let cidr_unknown = acl.is_unknown(&format!("/ingress/{}/{}", e.index, family.field()));
        if e.unknown && (cidr_unknown || e.is_world(family)) {
            // It could be the world's entry, and what it does is not known.
            return Answer::Unknown(format!("/ingress/{}", e.index));
        }
        if !e.is_world(family) {
            continue;
        }
        match decide(e) {
            Some(true) => {
                return Answer::Admitted {
                    index: e.index,
                    rule_no: e.rule_no().unwrap_or_default(),
                };
            }
            Some(false) => return Answer::Refused,
            None => {}
        }
    }
    Answer::Refused
}

/// Does the ACL admit TCP to `port` from the world of `family`?
pub fn admits_tcp(acl: &Resource, family: Family, port: i64) -> Answer {
    first_deciding(acl, family, |e| {
        let protocol = e.text("protocol")?;
        let from = e.int("from_port").unwrap_or(0);
        let to = e.int("to_port").unwrap_or(0);
        if tcp_ports(&protocol, from, to).contains(port) {
            e.allows()
        } else {
            None
        }
    })
}

/// Does the ACL admit every protocol and port from the world of `family`:
/// is an allow-all entry reached before any deny for the world?
pub fn admits_everything(acl: &Resource, family: Family) -> Answer {
    first_deciding(acl, family, |e| match e.allows() {
        Some(false) => Some(false),
        Some(true) if e.text("protocol").is_some_and(|p| is_all_protocols(&p)) => Some(true),
        _ => None,
    })
}

/// Whether `entries` are exactly what AWS gives a new VPC's default ACL in
/// one direction: allow everything from `0.0.0.0/0` (rule 100) and, for a
/// VPC with IPv6, from `::/0` (rule 101). `None` when not known.
pub fn is_aws_default(acl: &Resource, pointer: &str) -> Option<bool> {
    if acl.has_unknown_within(pointer) {
        return None;
    }
    let list = match acl.attr(pointer) {
        Attr::Known(Value::Array(list)) => list,
        Attr::Absent => return Some(false),
        _ => return None,
    };
    let allow_all = |e: &Value, cidr_field: &str, world: &str, rule: i64| {
        let text = |f: &str| e.get(f).and_then(Value::as_str).unwrap_or_default();
        e.get("rule_no").and_then(as_i64) == Some(rule)
            && text("action").eq_ignore_ascii_case("allow")
            && is_all_protocols(text("protocol"))
            && text(cidr_field) == world
    };
    Some(match list.as_slice() {
        [v4] => allow_all(v4, "cidr_block", "0.0.0.0/0", 100),
        [a, b] => {
            let v4 = |e: &Value| allow_all(e, "cidr_block", "0.0.0.0/0", 100);
            let v6 = |e: &Value| allow_all(e, "ipv6_cidr_block", "::/0", 101);
            (v4(a) && v6(b)) || (v6(a) && v4(b))
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::resource;
    use serde_json::json;

    fn entry(rule: i64, action: &str, protocol: &str, cidr: &str, ports: (i64, i64)) -> Value {
        json!({"rule_no": rule, "action": action, "protocol": protocol, "cidr_block": cidr, "from_port": ports.0, "to_port": ports.1})
    }

    fn acl(ingress: Vec<Value>, unknown: &[&str]) -> Resource {
        resource("aws_network_acl", json!({"ingress": ingress}), unknown)
    }

    #[test]
    fn the_lowest_numbered_world_entry_decides() {
        let deny_first = acl(
            vec![
                entry(200, "allow", "-1", "0.0.0.0/0", (0, 0)),
                entry(100, "deny", "6", "0.0.0.0/0", (22, 22)),
            ],
            &[],
        );
        assert_eq!(admits_tcp(&deny_first, Family::V4, 22), Answer::Refused);
        assert_eq!(
            admits_tcp(&deny_first, Family::V4, 3389),
            Answer::Admitted {
                index: 0,
                rule_no: 200
            }
        );
        // A world deny before the allow-all: not everything is admitted.
        assert_eq!(admits_everything(&deny_first, Family::V4), Answer::Refused);
        assert_eq!(admits_tcp(&deny_first, Family::V6, 22), Answer::Refused);
    }

    #[test]
    fn narrower_entries_speak_for_someone_not_the_world() {
        let a = acl(
            vec![
                entry(100, "deny", "tcp", "203.0.113.0/24", (22, 22)),
                entry(110, "allow", "tcp", "10.0.0.0/8", (22, 22)),
                entry(120, "allow", "tcp", "0.0.0.0/0", (0, 65535)),
            ],
            &[],
        );
        assert_eq!(
            admits_tcp(&a, Family::V4, 22),
            Answer::Admitted {
                index: 2,
                rule_no: 120
            }
        );
        assert_eq!(admits_everything(&a, Family::V4), Answer::Refused);
    }

    #[test]
    fn unknown_entries_that_could_decide_are_unknown() {
        let unknown_cidr = acl(
            vec![
                json!({"rule_no": 90, "action": "deny", "protocol": "-1", "cidr_block": null, "from_port": 0, "to_port": 0}),
                entry(100, "allow", "-1", "0.0.0.0/0", (0, 0)),
            ],
            &["/ingress/0/cidr_block"],
        );
        assert_eq!(
            admits_tcp(&unknown_cidr, Family::V4, 22),
            Answer::Unknown("/ingress/0".into())
        );
        let whole_list = acl(vec![], &["/ingress"]);
        assert!(matches!(
            admits_everything(&whole_list, Family::V4),
            Answer::Unknown(_)
        ));
        // A known, narrower entry after the deciding one changes nothing.
        let later = acl(
            vec![
                entry(100, "deny", "-1", "0.0.0.0/0", (0, 0)),
                json!({"rule_no": 200, "action": null, "protocol": "6", "cidr_block": "10.0.0.0/8"}),
            ],
            &["/ingress/1/action"],
        );
        assert_eq!(admits_tcp(&later, Family::V4, 22), Answer::Refused);
    }

    #[test]
    fn aws_defaults_are_recognised() {
        let v4 = entry(100, "allow", "-1", "0.0.0.0/0", (0, 0));
        let v6 =
            json!({"rule_no": 101, "action": "allow", "protocol": "-1", "ipv6_cidr_block": "::/0"});
        let one = acl(vec![v4.clone()], &[]);
        let two = acl(vec![v6, v4.clone()], &[]);
        let edited = acl(vec![v4, entry(90, "deny", "6", "0.0.0.0/0", (22, 22))], &[]);
        assert_eq!(is_aws_default(&one, "/ingress"), Some(true));
        assert_eq!(is_aws_default(&two, "/ingress"), Some(true));
        assert_eq!(is_aws_default(&edited, "/ingress"), Some(false));
        assert_eq!(
            is_aws_default(&acl(vec![], &["/ingress"]), "/ingress"),
            None
        );
    }
}
