//! PILLAR-EC2-001, -002 and -005: world-open ingress on sensitive ports or
//! on everything; PILLAR-EC2-006: default security groups that allow traffic.

use std::borrow::Cow;

use pillar_rule_sdk::checks::{
    admits_all_ports, as_i64, is_all_protocols, is_world_cidr, tcp_ports,
};
use pillar_rule_sdk::prelude::*;

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
    let rules = match sg.attr("/ingress") {
        Attr::Unknown => return Err(()),
        Attr::Known(v) => match v.as_array() {
            Some(rules) => rules,
            None => return Ok(Vec::new()),
        },
        Attr::Absent => return Ok(Vec::new()),
    };
    let any_unknown = !sg.unknown.is_empty();
    Ok(rules
        .iter()
        .enumerate()
        .map(|(position, rule)| {
            let unknown_at =
                |tail: &str| any_unknown && sg.is_unknown(&format!("/ingress/{position}/{tail}"));
            let field = |name: &str| {
                if unknown_at(name) {
                    Attr::Unknown
                } else {
                    match rule.get(name) {
                        None | Some(serde_json::Value::Null) => Attr::Absent,
                        Some(v) => Attr::Known(v),
                    }
                }
            };

            let mut world = None;
            let mut sources_unknown = false;
            for list in ["cidr_blocks", "ipv6_cidr_blocks"] {
                let cidrs = match field(list) {
                    Attr::Unknown => {
                        sources_unknown = true;
                        continue;
                    }
                    Attr::Known(v) => v.as_array().map_or(&[][..], Vec::as_slice),
                    Attr::Absent => continue,
                };
                for (j, cidr) in cidrs.iter().enumerate() {
                    if unknown_at(&format!("{list}/{j}")) {
                        sources_unknown = true;
                    } else if let Some(cidr) = cidr.as_str().filter(|c| is_world_cidr(c)) {
                        world.get_or_insert(WorldSource {
                            cidr,
                            list,
                            index: j,
                        });
                    }
                }
            }

            let protocol = match field("protocol") {
                Attr::Known(v) => v
                    .as_str()
                    .map(Cow::Borrowed)
                    .or_else(|| as_i64(v).map(|n| Cow::Owned(n.to_string()))),
                Attr::Absent => Some(Cow::Borrowed("tcp")),
                Attr::Unknown => None,
            };
            let port = |name: &str| match field(name) {
                Attr::Known(v) => as_i64(v),
                // The API omits ports on all-protocol rules.
                Attr::Absent => Some(-1),
                Attr::Unknown => None,
            };
            let ports = protocol.and_then(|p| Some((p, port("from_port")?, port("to_port")?)));
            Permission {
                position,
                world,
                sources_unknown,
                ports,
            }
        })
        .collect())
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
