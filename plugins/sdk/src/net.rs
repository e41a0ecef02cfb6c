//! Network predicates: CIDRs that mean "anyone", port ranges that overlap.

use std::net::IpAddr;

/// True for any CIDR whose prefix length is 0 (`0.0.0.0/0`, `::/0`, and
/// the odd spellings such as `10.0.0.0/0` or `0::/0`): it admits every
/// address. A malformed CIDR is not world-open (rules should treat it as
/// their own finding if they care).
pub fn cidr_is_world(cidr: &str) -> bool {
    let Some((address, prefix)) = cidr.trim().split_once('/') else {
        return false;
    };
    address.parse::<IpAddr>().is_ok() && prefix.trim().parse::<u8>() == Ok(0)
}

/// An inclusive port range. `-1`/`-1` (the EC2 API's "all ports") and a
/// reversed range are normalised by [`PortRange::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    /// A range from the numbers an API or plan gives; `None` when they are
    /// outside 0..=65535 (other than the -1/-1 convention).
    pub fn new(from: i64, to: i64) -> Option<PortRange> {
        if from == -1 && to == -1 {
            return Some(PortRange::ALL);
        }
        let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
        Some(PortRange {
            from: u16::try_from(lo).ok()?,
            to: u16::try_from(hi).ok()?,
        })
    }

    pub fn single(port: u16) -> PortRange {
        PortRange {
            from: port,
            to: port,
        }
    }

    /// True when the two ranges share at least one port.
    pub fn overlaps(self, other: PortRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    pub fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_cidrs_in_any_spelling() {
        for world in ["0.0.0.0/0", "::/0", "0::/0", " 10.0.0.0/0 "] {
            assert!(cidr_is_world(world), "{world}");
        }
        for not in [
            "0.0.0.0/1",
            "10.0.0.0/8",
            "::/128",
            "0.0.0.0",
            "garbage/0",
            "",
        ] {
            assert!(!cidr_is_world(not), "{not}");
        }
    }

    #[test]
    fn ranges_overlap_at_their_edges_and_not_beyond() {
        let web = PortRange::new(80, 443).expect("valid");
        assert!(web.overlaps(PortRange::single(443)));
        assert!(web.overlaps(PortRange::new(0, 80).expect("valid")));
        assert!(!web.overlaps(PortRange::single(22)));
        assert!(
            PortRange::new(-1, -1)
                .expect("all")
                .overlaps(PortRange::single(3389))
        );
        assert_eq!(PortRange::new(443, 80), Some(web));
        assert_eq!(PortRange::new(0, 70000), None);
        assert!(web.contains(100) && !web.contains(79));
    }
}
