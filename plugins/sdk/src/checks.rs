//! Small, well-tested predicates that many rules share.

use serde_json::Value;

/// True for a CIDR that admits the whole internet: `0.0.0.0/0` or `::/0`.
pub fn is_world_cidr(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0")
}

/// Terraform and the EC2 API spell "all protocols" as `-1` (also "all").
pub fn is_all_protocols(protocol: &str) -> bool {
    is_one_of(protocol, &["-1", "all"])
}

/// `protocol`, trimmed, equals one of `names` (lowercase) without regard
/// to ASCII case. Security-group rules call this for every permission and
/// port, so it compares in place instead of lowercasing a copy.
fn is_one_of(protocol: &str, names: &[&str]) -> bool {
    let protocol = protocol.trim();
    names.iter().any(|n| protocol.eq_ignore_ascii_case(n))
}

/// True when an ingress permission with `protocol` and ports `from..=to`
/// admits TCP traffic to `port`. All-protocol rules admit every port
/// (their ports are 0 or -1 by convention and are ignored).
pub fn admits_tcp_port(protocol: &str, from: i64, to: i64, port: i64) -> bool {
    tcp_ports(protocol, from, to).contains(port)
}

/// The TCP ports an ingress permission admits, read once to test many
/// ports: `admits_tcp_port(protocol, from, to, port)` is
/// `tcp_ports(protocol, from, to).contains(port)`.
pub fn tcp_ports(protocol: &str, from: i64, to: i64) -> TcpPorts {
    if is_all_protocols(protocol) {
        TcpPorts::All
    } else if !is_one_of(protocol, &["tcp", "6"]) {
        TcpPorts::None
    } else if from == -1 && to == -1 {
        // from = -1 / to = -1 means "all ports" for tcp in some API answers.
        TcpPorts::All
    } else {
        TcpPorts::Range(from, to)
    }
}

/// What [`tcp_ports`] finds a permission admits over TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpPorts {
    None,
    All,
    /// `from..=to` (empty when reversed).
    Range(i64, i64),
}

impl TcpPorts {
    pub fn contains(self, port: i64) -> bool {
        match self {
            TcpPorts::None => false,
            TcpPorts::All => true,
            TcpPorts::Range(from, to) => from <= port && port <= to,
        }
    }
}

/// True when a permission admits every port of TCP or UDP (or is an
/// all-protocol rule): `0`-`65535`, or `-1`/`-1`.
pub fn admits_all_ports(protocol: &str, from: i64, to: i64) -> bool {
    if is_all_protocols(protocol) {
        return true;
    }
    is_one_of(protocol, &["tcp", "6", "udp", "17"])
        && ((from == -1 && to == -1) || (from <= 0 && to >= 65535))
}

/// Reads an integer that may be stored as a JSON number or a numeric string
/// (plans keep some ports as strings).
pub fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_cidrs() {
        assert!(is_world_cidr("0.0.0.0/0"));
        assert!(is_world_cidr("::/0"));
        assert!(!is_world_cidr("10.0.0.0/8"));
        assert!(!is_world_cidr("0.0.0.0/1"));
    }

    #[test]
    fn port_ranges_and_protocols() {
        assert!(admits_tcp_port("tcp", 22, 22, 22));
        assert!(admits_tcp_port("tcp", 0, 65535, 3306));
        assert!(!admits_tcp_port("tcp", 80, 443, 22));
        assert!(admits_tcp_port("-1", 0, 0, 3389));
        assert!(!admits_tcp_port("udp", 0, 65535, 22));
        assert!(admits_tcp_port("6", 20, 30, 22));
    }

    #[test]
    fn all_ports() {
        assert!(admits_all_ports("-1", 0, 0));
        assert!(admits_all_ports("tcp", 0, 65535));
        assert!(admits_all_ports("udp", -1, -1));
        assert!(!admits_all_ports("tcp", 1, 65535));
        assert!(!admits_all_ports("icmp", -1, -1));
    }

    #[test]
    fn integers_from_strings() {
        assert_eq!(as_i64(&Value::from("22")), Some(22));
        assert_eq!(as_i64(&Value::from(22)), Some(22));
        assert_eq!(as_i64(&Value::Null), None);
    }
}

/// Whether some element of the list at `list` has `field` set to `true`:
/// the question of a region summary ("is any trail logging?", "is any
/// detector enabled?").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyTrue {
    /// An element's `field` is `true`.
    Found,
    /// No element's is, and all are known; the list's length.
    None(usize),
    /// None is known to be; the first place that is not known.
    Unknown(String),
}

/// See [`AnyTrue`]. A list that is not known (or not a list) is unknown at
/// `list` itself.
pub fn any_true(r: &crate::Resource, list: &str, field: &str) -> AnyTrue {
    let items = match r.attr(list) {
        crate::Attr::Known(Value::Array(items)) => items,
        _ => return AnyTrue::Unknown(list.to_owned()),
    };
    let mut unknown = None;
    for n in 0..items.len() {
        let at = format!("{list}/{n}/{field}");
        match r.attr(&at) {
            crate::Attr::Known(Value::Bool(true)) => return AnyTrue::Found,
            crate::Attr::Unknown => unknown = unknown.or(Some(at)),
            _ => {}
        }
    }
    match unknown {
        Some(at) => AnyTrue::Unknown(at),
        None => AnyTrue::None(items.len()),
    }
}

#[cfg(test)]
mod any_true_tests {
    use super::*;
    use crate::testing::resource;
    use serde_json::json;

    #[test]
    fn a_known_true_wins_over_unknown_elements() {
        let r = |v: Value, u: &[&str]| resource("k", json!({"l": v}), u);
        let found = r(json!([{"on": null}, {"on": true}]), &["/l/0/on"]);
        assert_eq!(any_true(&found, "/l", "on"), AnyTrue::Found);
        let unsure = r(json!([{"on": false}, {"on": null}]), &["/l/1/on"]);
        assert_eq!(
            any_true(&unsure, "/l", "on"),
            AnyTrue::Unknown("/l/1/on".into())
        );
        assert_eq!(any_true(&r(json!([]), &[]), "/l", "on"), AnyTrue::None(0));
        assert_eq!(
            any_true(&r(Value::Null, &["/l"]), "/l", "on"),
            AnyTrue::Unknown("/l".into())
        );
    }
}
