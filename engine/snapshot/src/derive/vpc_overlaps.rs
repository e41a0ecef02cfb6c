//! VPCs whose IPv4 CIDR blocks overlap another VPC's, in the same account
//! and in other accounts (`overlapping_vpcs_*`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{Derived, is_unknown, unknown_within};
use crate::Resource;

/// An IPv4 block as (network, prefix length).
fn parse_cidr(s: &str) -> Option<(u32, u32)> {
    let (addr, len) = s.trim().split_once('/')?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let mut n = 0u32;
    let mut parts = 0;
    for p in addr.split('.') {
        n = (n << 8) | p.parse::<u8>().ok()? as u32;
        parts += 1;
    }
    if parts != 4 {
        return None;
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((n & mask, len))
}

#[cfg(test)]
fn overlap(a: (u32, u32), b: (u32, u32)) -> bool {
    let len = a.1.min(b.1);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    a.0 & mask == b.0 & mask
}

/// A CIDR block as written, and parsed as (network, prefix length).
type Block = (String, (u32, u32));

/// A VPC's IPv4 blocks, `None` if they are not known.
fn vpc_blocks(r: &Resource) -> Option<Vec<Block>> {
    if is_unknown(r, "/cidr_block") || unknown_within(r, "/cidr_block_associations") {
        return None;
    }
    let mut blocks: Vec<String> = r
        .attributes
        .get("cidr_block")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .into_iter()
        .collect();
    for a in r
        .attributes
        .get("cidr_block_associations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(c) = a.get("cidr_block").and_then(Value::as_str)
            && !blocks.iter().any(|b| b == c)
        {
            blocks.push(c.to_owned());
        }
    }
    let parsed: Vec<_> = blocks
        .into_iter()
        .filter_map(|b| parse_cidr(&b).map(|c| (b, c)))
        .collect();
    (!parsed.is_empty()).then_some(parsed)
}

/// Per VPC: its overlaps with VPCs of the same account and of other
/// accounts, each unknown when it is empty and a VPC of that group has
/// unknown blocks (a known overlap is recorded regardless).
/// Overlaps listed per CIDR block of a VPC, same account and other
/// accounts apart. Every default VPC of an organisation uses 172.31.0.0/16,
/// so unbounded lists grow with the square of the VPC count; rules need one
/// overlap per block to judge it (their parameters ignore blocks by CIDR),
/// and people a few examples.
pub const MAX_OVERLAPS_LISTED: usize = 10;

/// A known CIDR block of a VPC: the VPC's position in the list of VPCs
/// (which is in snapshot order) and the block's position in its list.
type BlockRef = (usize, usize);

/// A parsed block within one account (`None`: no account recorded).
type AccountBlock<'a> = ((u32, u32), Option<&'a str>);

/// Where each known block is, to find overlaps without comparing every VPC
/// with every other (quadratic: a million-resource snapshot has 40,000
/// VPCs). Two CIDR blocks overlap exactly when one contains the other, so
/// the overlaps of a block are the blocks equal to one of its prefixes
/// (found by exact lookup, per prefix length) and the blocks strictly
/// inside it (a range of the blocks sorted by network).
struct BlockIndex<'a> {
    /// Each VPC's account.
    accounts: Vec<Option<&'a str>>,
    /// Block → its VPCs, in snapshot order.
    exact: HashMap<(u32, u32), Vec<BlockRef>>,
    /// (Block, account) → its VPCs of that account, in snapshot order.
    exact_in_account: HashMap<AccountBlock<'a>, Vec<BlockRef>>,
    /// Every block, sorted by network and prefix length.
    sorted: Vec<((u32, u32), BlockRef)>,
}

impl<'a> BlockIndex<'a> {
    fn new(resources: &'a [Resource], vpcs: &[(usize, Option<Vec<Block>>)]) -> BlockIndex<'a> {
        let mut index = BlockIndex {
            accounts: Vec::with_capacity(vpcs.len()),
            exact: HashMap::new(),
            exact_in_account: HashMap::new(),
            sorted: Vec::new(),
        };
        for (p, (i, blocks)) in vpcs.iter().enumerate() {
            let account = resources[*i].account.as_deref();
            index.accounts.push(account);
            for (b, (_, block)) in blocks.iter().flatten().enumerate() {
                index.exact.entry(*block).or_default().push((p, b));
                index
                    .exact_in_account
                    .entry((*block, account))
                    .or_default()
                    .push((p, b));
                index.sorted.push((*block, (p, b)));
            }
        }
        index.sorted.sort_unstable();
        index
    }

    /// The blocks of VPCs other than `vpc` that overlap `own`: those of
    /// `vpc`'s account and those of other accounts, each the first
    /// [`MAX_OVERLAPS_LISTED`] in snapshot order.
    fn overlapping(&self, own: (u32, u32), vpc: usize) -> [Vec<BlockRef>; 2] {
        let account = self.accounts[vpc];
        let mut same: Vec<BlockRef> = Vec::new();
        let mut others: Vec<BlockRef> = Vec::new();
        // Equal to one of `own`'s prefixes (`own` itself included). Each
        // list is in snapshot order, so its first few are all that can be
        // among the first few overall.
        for len in 0..=own.1 {
            let key = (own.0 & mask(len), len);
            if let Some(list) = self.exact_in_account.get(&(key, account)) {
                let found = list.iter().filter(|(p, _)| *p != vpc);
                same.extend(found.take(MAX_OVERLAPS_LISTED));
            }
            if let Some(list) = self.exact.get(&key) {
                let found = list.iter().filter(|(p, _)| self.accounts[*p] != account);
                others.extend(found.take(MAX_OVERLAPS_LISTED));
            }
        }
        // Strictly inside `own`: a longer prefix within its range.
        let end = own.0 | !mask(own.1);
        let from = self
            .sorted
            .partition_point(|(block, _)| *block < (own.0, own.1 + 1));
        let inside = self.sorted[from..]
            .iter()
            .take_while(|(block, _)| block.0 <= end)
            .filter(|(block, (p, _))| block.1 > own.1 && *p != vpc);
        for (_, at) in inside {
            if self.accounts[at.0] == account {
                same.push(*at);
            } else {
                others.push(*at);
            }
        }
        for list in [&mut same, &mut others] {
            list.sort_unstable();
            list.truncate(MAX_OVERLAPS_LISTED);
        }
        [same, others]
    }
}

/// Each VPC's position in the snapshot, with its blocks when known.
fn vpcs_with_blocks(resources: &[Resource]) -> Vec<(usize, Option<Vec<Block>>)> {
    resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == "aws_vpc")
        .map(|(i, r)| (i, vpc_blocks(r)))
        .collect()
}

/// The network mask of a prefix length.
fn mask(len: u32) -> u32 {
    if len == 0 { 0 } else { u32::MAX << (32 - len) }
}

pub(super) fn vpc_overlaps(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
    let vpcs = vpcs_with_blocks(resources);
    // VPCs whose blocks are unknown, per account: they leave an empty list
    // undecided.
    let mut unknown_in: HashMap<Option<&str>, usize> = HashMap::new();
    for (i, blocks) in &vpcs {
        if blocks.is_none() {
            *unknown_in
                .entry(resources[*i].account.as_deref())
                .or_default() += 1;
        }
    }
    let unknown_total: usize = unknown_in.values().sum();
    let index = BlockIndex::new(resources, &vpcs);
    let mut out = vec![Vec::new(); resources.len()];
    for (p, (i, mine)) in vpcs.iter().enumerate() {
        let Some(mine) = mine else {
            out[*i] = vec![
                ("overlapping_vpcs_same_account", Derived::Unknown),
                ("overlapping_vpcs_other_accounts", Derived::Unknown),
            ];
            continue;
        };
        let unknown_same = unknown_in
            .get(&resources[*i].account.as_deref())
            .copied()
            .unwrap_or(0);
        let undecided = [unknown_same > 0, unknown_total > unknown_same];
        // [same account, other accounts]: (their VPC, own block, their
        // block), in that order as a scan of the VPCs lists them.
        let mut found: [Vec<(usize, usize, usize)>; 2] = [Vec::new(), Vec::new()];
        for (own_at, (_, own)) in mine.iter().enumerate() {
            let [same, others] = index.overlapping(*own, p);
            found[0].extend(same.into_iter().map(|(q, b)| (q, own_at, b)));
            found[1].extend(others.into_iter().map(|(q, b)| (q, own_at, b)));
        }
        let listed = |mut found: Vec<(usize, usize, usize)>| -> Vec<Value> {
            found.sort_unstable();
            found
                .into_iter()
                .filter_map(|(q, own_at, b)| {
                    let (j, theirs) = &vpcs[q];
                    let other = &resources[*j];
                    let (their_text, _) = theirs.as_ref()?.get(b)?;
                    Some(json!({
                        "id": other.id,
                        "vpc_id": other.attributes.get("id").cloned().unwrap_or(Value::Null),
                        "account": other.account,
                        "region": other.region,
                        "cidr_block": mine[own_at].0,
                        "other_cidr_block": their_text,
                    }))
                })
                .collect()
        };
        let [same, others] = found;
        out[*i] = overlap_attributes(listed(same), listed(others), undecided);
    }
    out
}

/// The two overlap attributes of a VPC; a list is unknown when it is empty
/// and a VPC of its group has unknown blocks.
fn overlap_attributes(
    same: Vec<Value>,
    others: Vec<Value>,
    undecided: [bool; 2],
) -> Vec<(&'static str, Derived)> {
    let verdict = |list: Vec<Value>, undecided: bool| {
        if list.is_empty() && undecided {
            Derived::Unknown
        } else {
            Derived::Known(Value::Array(list))
        }
    };
    vec![
        ("overlapping_vpcs_same_account", verdict(same, undecided[0])),
        (
            "overlapping_vpcs_other_accounts",
            verdict(others, undecided[1]),
        ),
    ]
}

/// The overlaps by comparing every VPC with every other: the tests check
/// [`vpc_overlaps`] against it.
#[cfg(test)]
pub(super) fn vpc_overlaps_by_scan(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
    let vpcs = vpcs_with_blocks(resources);
    let mut out = vec![Vec::new(); resources.len()];
    for (i, mine) in &vpcs {
        let Some(mine) = mine else {
            out[*i] = vec![
                ("overlapping_vpcs_same_account", Derived::Unknown),
                ("overlapping_vpcs_other_accounts", Derived::Unknown),
            ];
            continue;
        };
        let account = &resources[*i].account;
        // [same account, other accounts]: overlaps found, and undecided.
        let mut found = [Vec::new(), Vec::new()];
        let mut undecided = [false, false];
        // Listed per group and own block, up to MAX_OVERLAPS_LISTED.
        let mut listed: HashMap<(usize, &str), usize> = HashMap::new();
        for (j, theirs) in vpcs.iter().filter(|(j, _)| j != i) {
            let other = &resources[*j];
            let group = usize::from(other.account != *account);
            let Some(theirs) = theirs else {
                undecided[group] = true;
                continue;
            };
            for (own_text, own) in mine {
                for (their_text, their) in theirs {
                    if overlap(*own, *their) {
                        let n = listed.entry((group, own_text.as_str())).or_default();
                        if *n >= MAX_OVERLAPS_LISTED {
                            continue;
                        }
                        *n += 1;
                        found[group].push(json!({
                            "id": other.id,
                            "vpc_id": other.attributes.get("id").cloned().unwrap_or(Value::Null),
                            "account": other.account,
                            "region": other.region,
                            "cidr_block": own_text,
                            "other_cidr_block": their_text,
                        }));
                    }
                }
            }
        }
        let [same, others] = found;
        out[*i] = overlap_attributes(same, others, undecided);
    }
    out
}
