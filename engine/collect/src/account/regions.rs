//! Which regions of an account are read: every enabled one, or those asked
//! for that the account can use.

use pillar_snapshot::Gap;

use crate::gap::Failure;
use crate::part::{Part, Scope};

/// The regions to read. `known` is the endpoint's list with whether each is
/// enabled (`ec2:DescribeRegions`), `wanted` the regions asked for (empty:
/// all enabled), `home` the configured region. Regions that cannot be read
/// become gaps in `part`.
pub(super) fn select(
    known: Result<Vec<(String, bool)>, Failure>,
    wanted: &[String],
    home: String,
    scope: &Scope,
    part: &mut Part,
) -> Vec<String> {
    match (known, wanted.is_empty()) {
        (Ok(known), true) => known
            .into_iter()
            .filter_map(|(name, enabled)| enabled.then_some(name))
            .collect(),
        (Ok(known), false) => {
            // A region the account cannot use is a gap, not a stream of
            // failed calls.
            let mut usable = Vec::new();
            for region in wanted {
                match known.iter().find(|(name, _)| name == region) {
                    Some((_, true)) => usable.push(region.clone()),
                    found => {
                        let why = if found.is_some() {
                            "is not enabled for this account"
                        } else {
                            "is not an AWS region this endpoint knows"
                        };
                        part.gaps.push(Gap {
                            kind: None,
                            operation: Some("ec2:DescribeRegions".into()),
                            account: Some(scope.account.clone()),
                            region: Some(region.clone()),
                            resource: None,
                            reason: "unsupported".into(),
                            message: format!("region {region} {why}; nothing was collected there"),
                        });
                    }
                }
            }
            usable
        }
        (Err(f), true) => {
            // Without the list, the configured region only, and say so.
            part.gaps.push(f.gap(
                &scope.in_region(&home),
                "ec2:DescribeRegions",
                "aws_region",
                None,
            ));
            vec![home]
        }
        // The regions asked for are tried as they are.
        (Err(_), false) => wanted.to_vec(),
    }
}
