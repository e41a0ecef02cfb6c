//! PILLAR-RDS-014: the engine's major version is past the end of RDS (or
//! Aurora) standard support, when AWS enrols it in paid Extended Support
//! or upgrades it. The dates are AWS's published calendars as of
//! 2026-12-07 (rules/catalog/rds.toml lists the pages).

use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::time::parse_rfc3339;

use crate::ENGINE_SUPPORT;

/// RDS for PostgreSQL and Aurora PostgreSQL end standard support together.
const POSTGRESQL: &[(&str, &str)] = &[
    ("11", "2024-02-29"),
    ("12", "2025-02-28"),
    ("13", "2026-02-28"),
    ("14", "2027-02-28"),
    ("15", "2028-02-29"),
    ("16", "2029-02-28"),
    ("17", "2030-02-28"),
];

/// Per engine, its major versions (as parsed by [`major`]) and the last
/// day of standard support, oldest first.
const END_OF_STANDARD_SUPPORT: &[(&str, &[(&str, &str)])] = &[
    ("postgres", POSTGRESQL),
    (
        "mysql",
        &[
            ("5.7", "2024-02-29"),
            ("8.0", "2026-07-31"),
            ("8.4", "2029-07-31"),
        ],
    ),
    ("aurora-postgresql", POSTGRESQL),
    (
        "aurora-mysql",
        &[("5.7", "2024-10-31"), ("8.0", "2028-04-30")],
    ),
];

/// The major version: `X` for PostgreSQL, `X.Y` for MySQL (Aurora MySQL
/// versions read `8.0.mysql_aurora.3.05.2`). `None` if unparseable.
fn major(engine: &str, version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split('.');
    let first: u32 = parts.next()?.parse().ok()?;
    if engine.ends_with("postgresql") || engine == "postgres" {
        // 9.6 and older count two numbers; none of them is supported.
        return Some((first, 0));
    }
    let second: u32 = parts.next()?.parse().ok()?;
    Some((first, second))
}

fn parse_major(text: &str) -> (u32, u32) {
    let mut parts = text.split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// What the calendar says of a version.
#[derive(Debug, PartialEq)]
enum Support {
    /// Standard support ended on this day.
    Ended(&'static str),
    Supported,
    /// The engine has no calendar here.
    NotListed,
}

fn support(engine: &str, version: (u32, u32), now: i64) -> Support {
    let Some((_, calendar)) = END_OF_STANDARD_SUPPORT.iter().find(|(e, _)| *e == engine) else {
        return Support::NotListed;
    };
    let ended =
        |day: &'static str| parse_rfc3339(&format!("{day}T23:59:59Z")).is_some_and(|end| end < now);
    // Older than the oldest listed version: long past its support.
    if let Some((oldest, day)) = calendar.first()
        && version < parse_major(oldest)
    {
        return Support::Ended(day);
    }
    match calendar.iter().find(|(v, _)| parse_major(v) == version) {
        Some((_, day)) if ended(day) => Support::Ended(day),
        _ => Support::Supported,
    }
}

pub(crate) fn engine_support(i: usize, db: &Resource, config: &Config, out: &mut dyn Sink) {
    let name = db.display_name();
    let unknown = |why: String, pointer: &str, out: &mut dyn Sink| {
        out.unknown(
            ENGINE_SUPPORT,
            i,
            format!("{name}: {why}"),
            Some(pointer.into()),
        )
    };
    let engine = match db.text("/engine") {
        Err(()) => return unknown("the engine is not known until apply".into(), "/engine", out),
        Ok(None) => return,
        Ok(Some(e)) => e,
    };
    let version = match db.text("/engine_version") {
        Err(()) => {
            return unknown(
                "the engine version is not known until apply".into(),
                "/engine_version",
                out,
            );
        }
        // Without a version, RDS creates the engine's current default.
        Ok(None) => return,
        Ok(Some(v)) => v,
    };
    let Some(parsed) = major(engine, version) else {
        if END_OF_STANDARD_SUPPORT.iter().any(|(e, _)| *e == engine) {
            unknown(
                format!("engine version `{version}` cannot be read as a major version"),
                "/engine_version",
                out,
            );
        }
        return;
    };
    let Some(now) = config.now() else {
        return unknown(
            "the scan has no date to compare support dates with".into(),
            "/engine_version",
            out,
        );
    };
    if let Support::Ended(day) = support(engine, parsed, now) {
        out.fail(
            ENGINE_SUPPORT,
            i,
            format!("{name}: {engine} {version} is past the end of standard support ({day}); RDS bills Extended Support or upgrades it"),
            Some("/engine_version".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_parse_per_engine_and_compare_with_the_calendar() {
        assert_eq!(major("postgres", "13.7"), Some((13, 0)));
        assert_eq!(major("mysql", "8.0.35"), Some((8, 0)));
        assert_eq!(
            major("aurora-mysql", "8.0.mysql_aurora.3.05.2"),
            Some((8, 0))
        );
        assert_eq!(major("mysql", "eight"), None);
        let now = parse_rfc3339("2026-12-07T00:00:00Z").expect("date");
        assert_eq!(
            support("postgres", (13, 0), now),
            Support::Ended("2026-02-28")
        );
        assert_eq!(support("postgres", (14, 0), now), Support::Supported);
        assert_eq!(
            support("postgres", (9, 0), now),
            Support::Ended("2024-02-29")
        );
        assert_eq!(support("postgres", (18, 0), now), Support::Supported);
        assert_eq!(support("mysql", (8, 0), now), Support::Ended("2026-07-31"));
        assert_eq!(support("mysql", (8, 4), now), Support::Supported);
        assert_eq!(support("oracle-ee", (19, 0), now), Support::NotListed);
    }
}
