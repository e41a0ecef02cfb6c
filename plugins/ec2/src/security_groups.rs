//! PILLAR-EC2-001, -002 and -005: world-open ingress on sensitive ports or
//! on everything; PILLAR-EC2-006: default security groups that allow traffic.

use std::borrow::Cow;
use std::fmt;

use pillar_rule_sdk::checks::{
    admits_all_ports, as_i64, is_all_protocols, is_world_cidr, tcp_ports,
};
use pillar_rule_sdk::prelude::*;
use serde::Deserialize;
use serde::de::{Deserializer, Visitor};
use serde_json::Value;

use crate::{DEFAULT_SG_OPEN, SG_ADMIN_PORTS, SG_ALL_TRAFFIC, SG_DATABASE_PORTS};

/// Administration ports: remote shells and desktops.
pub const ADMIN_PORTS: &[(i64, &str)] = &[(22, "SSH"), (3389, "RDP")];

/// Database and cache ports that must never face the internet.
pub const DATABASE_PORTS: &[(i64, &str)] = &[
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (1434, "SQL Server browser"),
    (1521, "Oracle"),
    (2483, "Oracle"),
    (2484, "Oracle TLS"),
    (27017, "MongoDB"),
    (27018, "MongoDB"),
    (6379, "Redis"),
    (11211, "Memcached"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
    (5439, "Redshift"),
    (9042, "Cassandra"),
    (5984, "CouchDB"),
];

pub fn check(index: usize, sg: &Resource, out: &mut dyn Sink) {
    let ingress = permissions(sg);
    judge(
        SG_ADMIN_PORTS,
        &listed(ADMIN_PORTS),
        &ingress,
        index,
        sg,
        out,
    );
    judge(
        SG_DATABASE_PORTS,
        &listed(DATABASE_PORTS),
        &ingress,
        index,
        sg,
        out,
    );
    judge(SG_ALL_TRAFFIC, &all_traffic, &ingress, index, sg, out);
    default_group(index, sg, out);
}

/// What an ingress permission `(protocol, from, to)` opens that a rule cares
/// about, as labels for the message; empty when nothing.
type Matcher<'a> = dyn Fn(&str, i64, i64) -> Vec<String> + 'a;

/// Matches the permissions that admit any of `ports` over TCP.
fn listed(ports: &'static [(i64, &'static str)]) -> impl Fn(&str, i64, i64) -> Vec<String> {
    move |protocol, from, to| {
        let admitted = tcp_ports(protocol, from, to);
        ports
            .iter()
            .filter(|(p, _)| admitted.contains(*p))
            .map(|(p, name)| format!("{name} ({p})"))
            .collect()
    }
}

/// Matches all-protocol permissions and TCP/UDP permissions over every port.
fn all_traffic(protocol: &str, from: i64, to: i64) -> Vec<String> {
    if !admits_all_ports(protocol, from, to) {
        Vec::new()
    } else if is_all_protocols(protocol) {
        vec!["all traffic".to_owned()]
    } else {
        vec![format!("every {} port", protocol.to_ascii_uppercase())]
    }
}

/// PILLAR-EC2-006: a group named `default` has no rules at all.
fn default_group(index: usize, sg: &Resource, out: &mut dyn Sink) {
    let name = match sg.text("/name") {
        // AWS refuses to create a group named `default`; a plan models the
        // VPC's own default group as `aws_default_security_group`, whose
        // name the reader knows. So a planned `aws_security_group` whose
        // name is computed at apply is not a default group.
        Err(()) if planned(sg) => return,
        Err(()) => {
            out.unknown(
                DEFAULT_SG_OPEN,
                index,
                format!("{}: the group name is not known until apply", sg.id),
                Some("/name".into()),
            );
            return;
        }
        Ok(name) => name,
    };
    if name != Some("default") {
        return;
    }
    let mut unknown = None;
    for field in ["ingress", "egress"] {
        let pointer = format!("/{field}");
        match sg.attr(&pointer) {
            Attr::Unknown => {
                unknown.get_or_insert(pointer);
            }
            Attr::Known(v) if v.as_array().is_some_and(|a| !a.is_empty()) => {
                let n = v.as_array().map_or(0, Vec::len);
                out.fail(
                    DEFAULT_SG_OPEN,
                    index,
                    format!(
                        "the default security group {} of {} has {n} {field} rule(s); it should have none",
                        sg.attr("/id").as_str().unwrap_or(&sg.id),
                        sg.attr("/vpc_id").as_str().unwrap_or("its VPC"),
                    ),
                    Some(format!("{pointer}/0")),
                );
                return;
            }
            _ => {}
        }
    }
    if let Some(pointer) = unknown {
        out.unknown(
            DEFAULT_SG_OPEN,
            index,
            "the default security group's rules are not known until apply".to_owned(),
            Some(pointer),
        );
    }
}

/// Whether the resource comes from a Terraform plan (the plan reader
/// writes `plan_action` on every resource it converts).
fn planned(r: &Resource) -> bool {
    matches!(r.attr("/plan_action"), Attr::Known(_))
}

/// One ingress permission, read once and then judged by each rule.
/// It borrows from the group: most permissions fail no rule, so nothing is
/// copied or formatted until a message needs it.
struct Permission<'a> {
    /// Position in `ingress`.
    position: usize,
    /// The first world-open source: the CIDR, its list and its index there.
    world: Option<WorldSource<'a>>,
    /// Some source (a list or one of its elements) is unknown.
    sources_unknown: bool,
    /// `(protocol, from_port, to_port)`, when all three are known.
    ports: Option<(Cow<'a, str>, i64, i64)>,
}

/// A world-open CIDR of a permission and where it is.
struct WorldSource<'a> {
    cidr: &'a str,
    list: &'static str,
    index: usize,
}

impl WorldSource<'_> {
    /// The JSON pointer to the CIDR, the evidence of a failure.
    fn pointer(&self, position: usize) -> String {
        format!("/ingress/{position}/{}/{}", self.list, self.index)
    }
}

/// The group's ingress permissions; `Err` when the list itself is unknown.
///
/// Three rules judge the same permissions, so they are read once. JSON
/// pointers are only built to consult `unknown`, which live resources leave
/// empty, or as evidence for a world-open source.
fn permissions(sg: &Resource) -> Result<Vec<Permission<'_>>, ()> {
    if sg.is_unknown("/ingress") {
        return Err(());
    }
    let any_unknown = !sg.unknown.is_empty();
    let unknown_below = |position: usize| {
        move |tail: &str| any_unknown && sg.is_unknown(&format!("/ingress/{position}/{tail}"))
    };
    // Most groups read straight from the batch's text into borrowed
    // fields: a `Value` tree of every rule costs far more than judging it.
    if let Some(rules) = sg.attributes.raw("ingress").and_then(raw_rules) {
        return Ok(rules
            .iter()
            .enumerate()
            .map(|(position, rule)| permission(position, &rule.fields(), unknown_below(position)))
            .collect());
    }
    let rules = match sg.attr("/ingress") {
        Attr::Unknown => return Err(()),
        Attr::Known(v) => match v.as_array() {
            Some(rules) => rules,
            None => return Ok(Vec::new()),
        },
        Attr::Absent => return Ok(Vec::new()),
    };
    Ok(rules
        .iter()
        .enumerate()
        .map(|(position, rule)| {
            permission(position, &Fields::of_value(rule), unknown_below(position))
        })
        .collect())
}

/// One permission from its fields; `unknown_at` tells whether the value at
/// a pointer below the permission is unknown.
fn permission<'a>(
    position: usize,
    fields: &Fields<'a, '_>,
    unknown_at: impl Fn(&str) -> bool,
) -> Permission<'a> {
    let mut world = None;
    let mut sources_unknown = false;
    let lists = [
        ("cidr_blocks", &fields.cidr_blocks),
        ("ipv6_cidr_blocks", &fields.ipv6_cidr_blocks),
    ];
    for (list, sources) in lists {
        if unknown_at(list) {
            sources_unknown = true;
            continue;
        }
        let Some(sources) = sources else { continue };
        for (j, cidr) in sources.texts().enumerate() {
            if unknown_at(&format!("{list}/{j}")) {
                sources_unknown = true;
            } else if let Some(cidr) = cidr.filter(|c| is_world_cidr(c)) {
                world.get_or_insert(WorldSource {
                    cidr,
                    list,
                    index: j,
                });
            }
        }
    }

    let protocol = if unknown_at("protocol") {
        None
    } else {
        match fields.protocol {
            Some(Scalar::Text(p)) => Some(Cow::Borrowed(p)),
            Some(Scalar::Number(n)) => n.map(|n| Cow::Owned(n.to_string())),
            None => Some(Cow::Borrowed("tcp")),
        }
    };
    let port = |name: &str, value: Option<Scalar<'_>>| {
        if unknown_at(name) {
            None
        } else {
            // The API omits ports on all-protocol rules.
            value.map_or(Some(-1), Scalar::as_i64)
        }
    };
    let ports = protocol.and_then(|p| {
        Some((
            p,
            port("from_port", fields.from_port)?,
            port("to_port", fields.to_port)?,
        ))
    });
    Permission {
        position,
        world,
        sources_unknown,
        ports,
    }
}

/// What the rules read of one ingress rule, from its `Value` or from its
/// text. Each is `None` when absent or null.
struct Fields<'a, 's> {
    protocol: Option<Scalar<'a>>,
    from_port: Option<Scalar<'a>>,
    to_port: Option<Scalar<'a>>,
    cidr_blocks: Option<Sources<'a, 's>>,
    ipv6_cidr_blocks: Option<Sources<'a, 's>>,
}

impl<'a> Fields<'a, 'a> {
    fn of_value(rule: &'a Value) -> Fields<'a, 'a> {
        let get = |name: &str| rule.get(name).filter(|v| !v.is_null());
        // A list that is not an array has no sources.
        let sources = |name: &str| {
            get(name).map(|v| Sources::Values(v.as_array().map_or(&[][..], Vec::as_slice)))
        };
        Fields {
            protocol: get("protocol").map(Scalar::of_value),
            from_port: get("from_port").map(Scalar::of_value),
            to_port: get("to_port").map(Scalar::of_value),
            cidr_blocks: sources("cidr_blocks"),
            ipv6_cidr_blocks: sources("ipv6_cidr_blocks"),
        }
    }
}

/// A protocol or a port: text, or a number (`None` when it is not an
/// `i64`, or not a number or text at all).
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Text(&'a str),
    Number(Option<i64>),
}

impl<'a> Scalar<'a> {
    fn of_value(v: &'a Value) -> Scalar<'a> {
        match v.as_str() {
            Some(text) => Scalar::Text(text),
            None => Scalar::Number(as_i64(v)),
        }
    }

    /// As [`as_i64`] reads the value.
    fn as_i64(self) -> Option<i64> {
        match self {
            Scalar::Text(text) => text.trim().parse().ok(),
            Scalar::Number(n) => n,
        }
    }
}

/// A list of CIDRs: each element as text, `None` when it is not text.
enum Sources<'a, 's> {
    Values(&'a [Value]),
    Texts(&'s [Option<&'a str>]),
}

impl<'a> Sources<'a, '_> {
    fn texts(&self) -> impl Iterator<Item = Option<&'a str>> + '_ {
        let (values, texts) = match self {
            Sources::Values(values) => (*values, &[][..]),
            Sources::Texts(texts) => (&[][..], *texts),
        };
        values
            .iter()
            .map(Value::as_str)
            .chain(texts.iter().copied())
    }
}

/// The ingress list read from its JSON text; `None` when it holds anything
/// these borrowed types do not take as the `Value` reading would (a rule
/// that is not an object, a duplicate key, text with escapes, a CIDR that
/// is not text, a list that is not an array, a protocol or port that is
/// not text or a number): the caller then reads the `Value`.
fn raw_rules(text: &str) -> Option<Vec<RawRule<'_>>> {
    let rules: Option<Vec<RawRule<'_>>> = serde_json::from_str(text).ok()?;
    Some(rules.unwrap_or_default())
}

/// One ingress rule as its text gives it; other fields are skipped.
#[derive(Deserialize)]
struct RawRule<'a> {
    #[serde(borrow, default)]
    protocol: Option<Scalar<'a>>,
    #[serde(borrow, default)]
    from_port: Option<Scalar<'a>>,
    #[serde(borrow, default)]
    to_port: Option<Scalar<'a>>,
    #[serde(borrow, default)]
    cidr_blocks: Option<Vec<Option<&'a str>>>,
    #[serde(borrow, default)]
    ipv6_cidr_blocks: Option<Vec<Option<&'a str>>>,
}

impl<'a> RawRule<'a> {
    fn fields(&self) -> Fields<'a, '_> {
        Fields {
            protocol: self.protocol,
            from_port: self.from_port,
            to_port: self.to_port,
            cidr_blocks: self.cidr_blocks.as_deref().map(Sources::Texts),
            ipv6_cidr_blocks: self.ipv6_cidr_blocks.as_deref().map(Sources::Texts),
        }
    }
}

/// Takes text without escapes (borrowed) and numbers, as a `Value` would
/// hold them; anything else fails, and the caller reads the `Value`.
impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text without escapes, or a number")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Text(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Number(Some(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::Number(i64::try_from(v).ok()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Number(None))
            }
        }
        d.deserialize_any(ScalarVisitor)
    }
}

fn judge(
    rule_id: &str,
    matches: &Matcher<'_>,
    permissions: &Result<Vec<Permission<'_>>, ()>,
    index: usize,
    sg: &Resource,
    out: &mut dyn Sink,
) {
    let Ok(permissions) = permissions else {
        out.unknown(
            rule_id,
            index,
            format!(
                "{}: ingress rules are not known until apply",
                sg.display_name()
            ),
            Some("/ingress".into()),
        );
        return;
    };

    // What each world-open permission exposes, and the pointer to the
    // first one's CIDR.
    let mut exposures: Vec<String> = Vec::new();
    let mut evidence = None;
    let mut undecided: Option<String> = None;
    for p in permissions {
        let r = p.position;
        match (&p.world, &p.ports) {
            (Some(world), Some((protocol, from, to))) => {
                let (from, to) = (*from, *to);
                let open = matches(protocol, from, to);
                if !open.is_empty() {
                    let proto = match protocol.trim() {
                        "6" => "tcp".to_owned(),
                        "17" => "udp".to_owned(),
                        p => p.to_ascii_lowercase(),
                    };
                    let how = if is_all_protocols(protocol) {
                        "all traffic".to_owned()
                    } else if from == to {
                        format!("{proto}/{from}")
                    } else {
                        format!("{proto}/{from}-{to}")
                    };
                    exposures.push(format!(
                        "{} from {} via ingress rule {r} ({how})",
                        summarise(&open),
                        world.cidr
                    ));
                    evidence.get_or_insert_with(|| world.pointer(r));
                }
            }
            // World-open with unknown ports, or known ports with unknown sources:
            // cannot rule it out, cannot claim it.
            (Some(_), None) => {
                undecided.get_or_insert_with(|| format!("/ingress/{r}/from_port"));
            }
            (None, spec) if p.sources_unknown => {
                let could_match = match spec {
                    Some((protocol, from, to)) => !matches(protocol, *from, *to).is_empty(),
                    None => true,
                };
                if could_match {
                    undecided.get_or_insert_with(|| format!("/ingress/{r}/cidr_blocks"));
                }
            }
            (None, _) => {}
        }
    }

    // Most groups pass: only a finding needs the name.
    let name = || sg.display_name();
    if let Some(evidence) = evidence {
        out.fail(
            rule_id,
            index,
            format!("{} admits {}", name(), exposures.join("; ")),
            Some(evidence),
        );
    } else if let Some(pointer) = undecided {
        out.unknown(
            rule_id,
            index,
            format!(
                "{}: an ingress rule's ports or sources are not known until apply",
                name()
            ),
            Some(pointer),
        );
    }
}

/// "SSH (22)" or "MySQL (3306), PostgreSQL (5432) and 3 more".
fn summarise(open: &[String]) -> String {
    const SHOWN: usize = 3;
    if open.len() <= SHOWN {
        open.join(", ")
    } else {
        format!(
            "{} and {} more",
            open[..SHOWN].join(", "),
            open.len() - SHOWN
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::Findings;
    use serde_json::{Value, json};

    fn sg(ingress: Value, unknown: &[&str]) -> Resource {
        Resource {
            id: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1".into(),
            kind: "aws_security_group".into(),
            account: None,
            region: None,
            attributes: json!({"name": "web", "ingress": ingress}).into(),
            unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn run(r: &Resource) -> Findings {
        let mut f = Findings::default();
        check(0, r, &mut f);
        f
    }

    fn rule(proto: &str, from: i64, to: i64, cidrs: &[&str]) -> Value {
        json!({"protocol": proto, "from_port": from, "to_port": to, "cidr_blocks": cidrs, "ipv6_cidr_blocks": []})
    }

    #[test]
    fn ssh_from_world_fails_admin_rule_only() {
        let f = run(&sg(json!([rule("tcp", 22, 22, &["0.0.0.0/0"])]), &[]));
        assert_eq!(f.verdicts(), vec![(SG_ADMIN_PORTS, 0, "fail")]);
        assert_eq!(f.0[0].evidence.as_deref(), Some("/ingress/0/cidr_blocks/0"));
        assert!(f.0[0].message.contains("SSH (22)"), "{}", f.0[0].message);
    }

    #[test]
    fn port_range_and_all_protocols_count() {
        let f = run(&sg(
            json!([rule("tcp", 5000, 6000, &["10.0.0.0/8", "0.0.0.0/0"])]),
            &[],
        ));
        assert_eq!(f.verdicts(), vec![(SG_DATABASE_PORTS, 0, "fail")]);
        let every = run(&sg(json!([rule("tcp", 0, 65535, &["0.0.0.0/0"])]), &[]));
        assert_eq!(every.verdicts().len(), 3, "{:?}", every.0);
        assert!(
            every.0[2].message.contains("every TCP port"),
            "{}",
            every.0[2].message
        );
        assert_eq!(f.0[0].evidence.as_deref(), Some("/ingress/0/cidr_blocks/1"));
        let all = run(&sg(json!([rule("-1", 0, 0, &[])]), &[]));
        assert!(all.0.is_empty(), "no world source, no finding");
        let mut v6 = rule("-1", 0, 0, &[]);
        v6["ipv6_cidr_blocks"] = json!(["::/0"]);
        let f = run(&sg(json!([v6]), &[]));
        assert_eq!(
            f.verdicts(),
            vec![
                (SG_ADMIN_PORTS, 0, "fail"),
                (SG_DATABASE_PORTS, 0, "fail"),
                (SG_ALL_TRAFFIC, 0, "fail")
            ]
        );
    }

    #[test]
    fn default_groups_must_be_empty() {
        let mut open = sg(json!([rule("tcp", 443, 443, &["10.0.0.0/8"])]), &[]);
        open.attributes["name"] = json!("default");
        assert_eq!(run(&open).verdicts(), vec![(DEFAULT_SG_OPEN, 0, "fail")]);
        let mut closed = sg(json!([]), &[]);
        closed.attributes["name"] = json!("default");
        closed.attributes["egress"] = json!([]);
        assert!(run(&closed).0.is_empty());
        let mut planned = sg(Value::Null, &["/egress"]);
        planned.attributes["name"] = json!("default");
        planned.attributes["ingress"] = json!([]);
        assert_eq!(
            run(&planned).verdicts(),
            vec![(DEFAULT_SG_OPEN, 0, "unknown")]
        );
    }

    #[test]
    fn an_unknown_name_is_unknown_live_but_not_default_in_a_plan() {
        let mut unnamed = sg(json!([]), &["/name"]);
        unnamed.attributes["name"] = Value::Null;
        unnamed.attributes["egress"] = json!([rule("-1", 0, 0, &["0.0.0.0/0"])]);
        assert_eq!(
            run(&unnamed).verdicts(),
            vec![(DEFAULT_SG_OPEN, 0, "unknown")]
        );
        // AWS refuses the name `default` for a new group, and a plan reads
        // the VPC's default group (aws_default_security_group) by name.
        unnamed.attributes["plan_action"] = json!("create");
        assert!(run(&unnamed).0.is_empty(), "{:?}", run(&unnamed).0);
    }

    #[test]
    fn private_sources_and_other_ports_pass() {
        let f = run(&sg(
            json!([
                rule("tcp", 22, 22, &["10.0.0.0/8"]),
                rule("tcp", 443, 443, &["0.0.0.0/0"])
            ]),
            &[],
        ));
        assert!(f.0.is_empty(), "{:?}", f.0);
        assert!(run(&sg(Value::Null, &[])).0.is_empty());
    }

    #[test]
    fn unknown_sources_are_unknown_not_failures() {
        let f = run(&sg(
            json!([{"protocol": "tcp", "from_port": 22, "to_port": 22}]),
            &["/ingress/0/cidr_blocks"],
        ));
        assert_eq!(f.verdicts(), vec![(SG_ADMIN_PORTS, 0, "unknown")]);
        // Unknown sources on a port neither rule cares about decide nothing.
        let f = run(&sg(
            json!([{"protocol": "tcp", "from_port": 443, "to_port": 443}]),
            &["/ingress/0/cidr_blocks"],
        ));
        assert!(f.0.is_empty());
        let f = run(&sg(Value::Null, &["/ingress"]));
        assert_eq!(
            f.verdicts(),
            vec![
                (SG_ADMIN_PORTS, 0, "unknown"),
                (SG_DATABASE_PORTS, 0, "unknown"),
                (SG_ALL_TRAFFIC, 0, "unknown")
            ]
        );
    }

    #[test]
    fn reading_the_text_judges_as_reading_the_value() {
        let rule = |fields: &str| {
            format!(r#"{{"description": "", {fields}, "prefix_list_ids": [], "self": false}}"#)
        };
        let mut cases: Vec<String> = [
            r#""protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "TCP", "from_port": "22", "to_port": " 3389 ", "cidr_blocks": [" ::/0 "]"#,
            r#""protocol": 6, "from_port": 0, "to_port": 65535, "ipv6_cidr_blocks": ["::/0"]"#,
            r#""protocol": -1, "from_port": 0, "to_port": 0, "cidr_blocks": [null, "0.0.0.0/0"]"#,
            r#""protocol": "all", "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]"#,
            r#""protocol": 1.5, "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": true, "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "t\u0063p", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "tcp", "from_port": 22.0, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "tcp", "from_port": 1, "to_port": 99999999999999999999, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "tcp", "from_port": "x", "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "udp", "from_port": -1, "to_port": -1, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": null, "from_port": null, "to_port": null, "cidr_blocks": ["0.0.0.0/0"]"#,
            r#""protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": [5, "0.0.0.0/0"]"#,
            r#""protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": "0.0.0.0/0""#,
            r#""protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0\/0"]"#,
            r#""protocol": "udp", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]"#,
        ]
        .iter()
        .map(|fields| format!("[{}, {}]", rule(fields), rule(r#""protocol": "-1""#)))
        .collect();
        // The text is read for ordinary rules, the `Value` for the odd ones.
        assert!(raw_rules(&cases[1]).is_some());
        assert!(raw_rules(&cases[5]).is_some(), "a fractional protocol");
        assert!(raw_rules(&cases[6]).is_none(), "a boolean protocol");
        assert!(raw_rules(&cases[7]).is_none(), "text with escapes");
        assert!(
            raw_rules(&cases[cases.len() - 1]).is_none(),
            "a duplicate key"
        );
        cases.extend(["null", "[]", "{}", "[null]", r#"["tcp"]"#, "[[]]"].map(String::from));
        let unknowns: [&[&str]; 3] = [
            &[],
            &["/ingress/0/cidr_blocks", "/ingress/1/from_port"],
            &["/ingress/0/cidr_blocks/1", "/ingress/0/protocol"],
        ];
        for ingress in &cases {
            for unknown in unknowns {
                let value: Value = serde_json::from_str(ingress).expect("valid JSON");
                let batch = json!([{
                    "id": "sg-1", "kind": "aws_security_group",
                    "attributes": {"name": "web", "ingress": value}, "unknown": unknown,
                }])
                .to_string()
                // The text as written, duplicate keys and escapes included.
                .replace(&value.to_string(), ingress);
                assert!(batch.contains(ingress.as_str()), "{batch}");
                let lazy = pillar_rule_sdk::parse_batch(&batch).expect("valid batch");
                assert!(lazy[0].attributes.raw("ingress").is_some());
                let parsed = sg(value, unknown);
                assert_eq!(run(&lazy[0]).0, run(&parsed).0, "{ingress} {unknown:?}");
            }
        }
    }

    #[test]
    fn a_known_violation_wins_over_an_unknown_rule() {
        let f = run(&sg(
            json!([rule("tcp", 22, 22, &["0.0.0.0/0"]), {"protocol": "tcp"}]),
            &[
                "/ingress/1/from_port",
                "/ingress/1/to_port",
                "/ingress/1/cidr_blocks",
            ],
        ));
        assert_eq!(f.verdicts()[0], (SG_ADMIN_PORTS, 0, "fail"));
    }
}
