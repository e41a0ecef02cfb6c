//! The oldest TLS version each ELBv2 security policy accepts, from AWS's
//! table of predefined policies ("Security policies for your Application
//! Load Balancer" and its Network Load Balancer counterpart). A policy
//! missing here (a new one, or a custom name) is not guessed at.

/// A TLS version as (major, minor) of its name: TLS 1.2 is (1, 2).
pub type Version = (u8, u8);

const POLICIES: &[(&str, Version)] = &[
    ("ELBSecurityPolicy-2016-08", (1, 0)),
    ("ELBSecurityPolicy-2015-05", (1, 0)),
    ("ELBSecurityPolicy-TLS-1-0-2015-04", (1, 0)),
    ("ELBSecurityPolicy-TLS-1-1-2017-01", (1, 1)),
    ("ELBSecurityPolicy-TLS-1-2-2017-01", (1, 2)),
    ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", (1, 2)),
    ("ELBSecurityPolicy-FS-2018-06", (1, 0)),
    ("ELBSecurityPolicy-FS-1-1-2019-08", (1, 1)),
    ("ELBSecurityPolicy-FS-1-2-2019-08", (1, 2)),
    ("ELBSecurityPolicy-FS-1-2-Res-2019-08", (1, 2)),
    ("ELBSecurityPolicy-FS-1-2-Res-2020-10", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-0-2021-06", (1, 0)),
    ("ELBSecurityPolicy-TLS13-1-1-2021-06", (1, 1)),
    ("ELBSecurityPolicy-TLS13-1-2-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-3-2021-06", (1, 3)),
    ("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", (1, 0)),
    ("ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", (1, 1)),
    ("ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", (1, 3)),
    ("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", (1, 3)),
];

/// The oldest version `policy` accepts, `None` for a name not in the table.
pub fn oldest_version(policy: &str) -> Option<Version> {
    POLICIES
        .iter()
        .find(|(name, _)| *name == policy)
        .map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_console_policy_accepts_tls_1_0() {
        assert_eq!(oldest_version("ELBSecurityPolicy-2016-08"), Some((1, 0)));
        assert_eq!(
            oldest_version("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            Some((1, 2))
        );
        assert_eq!(oldest_version("MyCustomPolicy"), None);
    }
}
