//! Derived attributes: facts that span several resources, computed once on
//! the host before rules run, because a rule pack only ever sees a batch of
//! one kind.
//!
//! [`derive`] is identical for every source (live, plan, fixture) and
//! idempotent: it first removes whatever derived attributes (and their
//! `unknown` pointers) a snapshot already carries, then computes them again.
//! When an input is unknown, the derived attribute is written as `null` and
//! listed in the resource's `unknown` pointers: never guessed. A known
//! violation still wins: a known overlap or a known internet-routed subnet is
//! recorded even when other inputs are unknown.
//!
//! Each attribute is documented in docs/resource-model.md, "Derived attributes".

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Value, json};

use crate::{Resource, Snapshot};

/// Every attribute this module writes, by kind (`*` = every kind).
pub const DERIVED: &[(&str, &str)] = &[
    ("aws_subnet", "internet_routed"),
    ("aws_instance", "internet_routed"),
    ("aws_instance", "workload"),
    ("aws_instance", "workload_running_instances"),
    ("aws_instance", "workload_running_azs"),
    ("aws_db_instance", "internet_routed_subnet_ids"),
    ("aws_vpc", "overlapping_vpcs_same_account"),
    ("aws_vpc", "overlapping_vpcs_other_accounts"),
    ("*", "environment_tag"),
    ("*", "environment_class"),
    ("*", "account_production_resources"),
];

/// Tags that name an instance's workload, in order of preference.
pub const WORKLOAD_TAGS: &[&str] = &[
    "aws:autoscaling:groupName",
    "workload",
    "app",
    "application",
    "service",
    "component",
];

/// Tags that name a resource's environment (keys matched without regard to case).
pub const ENVIRONMENT_TAGS: &[&str] = &["environment", "env"];

const PRODUCTION: &[&str] = &["prod", "production", "prd", "live"];
const NON_PRODUCTION: &[&str] = &[
    "dev",
    "development",
    "test",
    "testing",
    "qa",
    "staging",
    "stage",
    "sandbox",
    "uat",
    "demo",
];

/// Computes every derived attribute of `snapshot` in place.
pub fn derive(snapshot: &mut Snapshot) {
    for r in &mut snapshot.resources {
        clear(r);
    }
    let subnets = subnet_routing(&snapshot.resources);
    let workloads = workloads(&snapshot.resources);
    let overlaps = vpc_overlaps(&snapshot.resources);
    let environments = environments(&snapshot.resources);
    let resources = &snapshot.resources;
    let groups = subnet_groups(resources);
    let mut updates: Vec<Vec<(&'static str, Derived)>> = Vec::with_capacity(resources.len());
    for (i, r) in resources.iter().enumerate() {
        let mut u = Vec::new();
        let scope = Scope::of(r);
        match r.kind.as_str() {
            "aws_subnet" => u.push(("internet_routed", subnets.routed(&scope, str_attr(r, "id")))),
            "aws_instance" => {
                u.push((
                    "internet_routed",
                    subnets.routed(&scope, str_attr(r, "subnet_id")),
                ));
                u.extend(workloads[i].clone());
            }
            "aws_db_instance" => u.push((
                "internet_routed_subnet_ids",
                db_subnets(r, &scope, &groups, &subnets),
            )),
            "aws_vpc" => u.extend(overlaps[i].clone()),
            _ => {}
        }
        u.extend(environments[i].clone());
        updates.push(u);
    }
    for (r, u) in snapshot.resources.iter_mut().zip(updates) {
        for (name, value) in u {
            set(r, name, value);
        }
    }
}

/// A derived value: known, or unknown (written as `null` and listed).
#[derive(Debug, Clone, PartialEq)]
enum Derived {
    Known(Value),
    Unknown,
}

fn clear(r: &mut Resource) {
    for (kind, name) in DERIVED {
        if *kind == "*" || *kind == r.kind {
            r.attributes.remove(*name);
            // No pointer strings built: this runs for every resource.
            r.unknown.retain(|u| !at_or_below(u, name));
        }
    }
}

/// Whether pointer `u` is `/{name}` or below it.
fn at_or_below(u: &str, name: &str) -> bool {
    u.strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn set(r: &mut Resource, name: &str, value: Derived) {
    match value {
        Derived::Known(v) => {
            r.attributes.insert(name.to_owned(), v);
        }
        Derived::Unknown => {
            r.attributes.insert(name.to_owned(), Value::Null);
            let pointer = format!("/{name}");
            // Already covered if the whole resource is unknown.
            if !r.unknown.iter().any(String::is_empty) && !r.unknown.contains(&pointer) {
                r.unknown.push(pointer);
            }
        }
    }
}

/// Account and region: ids such as `subnet-…` are only unique within them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Scope {
    account: String,
    region: String,
}

impl Scope {
    fn of(r: &Resource) -> Scope {
        Scope {
            account: r.account.clone().unwrap_or_default(),
            region: r.region.clone().unwrap_or_default(),
        }
    }
}

/// True when `pointer` or an ancestor is listed in the resource's `unknown`.
fn is_unknown(r: &Resource, pointer: &str) -> bool {
    r.unknown.iter().any(|u| {
        u.is_empty()
            || pointer == u
            || (pointer.starts_with(u.as_str()) && pointer.as_bytes().get(u.len()) == Some(&b'/'))
    })
}

/// True when something at or below `pointer` is unknown.
fn unknown_within(r: &Resource, pointer: &str) -> bool {
    is_unknown(r, pointer)
        || r.unknown
            .iter()
            .any(|u| u.starts_with(pointer) && u.as_bytes().get(pointer.len()) == Some(&b'/'))
}

/// A string attribute: `Err(())` if unknown, `Ok(None)` if absent or empty.
fn str_attr<'a>(r: &'a Resource, name: &str) -> Result<Option<&'a str>, ()> {
    if is_unknown(r, &format!("/{name}")) {
        return Err(());
    }
    Ok(r.attributes
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty()))
}

fn tags_unknown(r: &Resource) -> bool {
    unknown_within(r, "/tags") || unknown_within(r, "/tags_all")
}

/// A tag value by key without regard to case, `tags_all` preferred.
fn tag<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    ["tags_all", "tags"].iter().find_map(|field| {
        r.attributes
            .get(*field)
            .and_then(Value::as_object)
            .and_then(|t| t.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .and_then(|(_, v)| v.as_str())
    })
}

// ---- subnets routed to an internet gateway -------------------------------

/// Per (scope, subnet id): whether its route table sends traffic to an
/// internet gateway; `None` when that is not known.
struct SubnetRouting(HashMap<(Scope, String), Option<bool>>);

impl SubnetRouting {
    fn routed(&self, scope: &Scope, subnet: Result<Option<&str>, ()>) -> Derived {
        match subnet {
            Ok(Some(id)) => match self.0.get(&(scope.clone(), id.to_owned())) {
                Some(Some(b)) => Derived::Known(Value::Bool(*b)),
                // Unknown routing, or a subnet the snapshot does not hold.
                _ => Derived::Unknown,
            },
            // No subnet at all (EC2-Classic, or not recorded): not decidable.
            Ok(None) | Err(()) => Derived::Unknown,
        }
    }
}

/// What one route table says.
struct Table<'a> {
    vpc: Result<Option<&'a str>, ()>,
    /// Explicitly associated subnet ids, `None` if the associations are unknown.
    subnets: Option<Vec<&'a str>>,
    main: Option<bool>,
    /// Whether a route targets an internet gateway; `None` if undecidable.
    to_igw: Option<bool>,
}

fn route_tables(resources: &[Resource]) -> HashMap<Scope, Vec<Table<'_>>> {
    let mut by_scope: HashMap<Scope, Vec<Table<'_>>> = HashMap::new();
    for r in resources.iter().filter(|r| r.kind == "aws_route_table") {
        let associations: Option<&[Value]> = if unknown_within(r, "/associations") {
            None
        } else {
            Some(
                r.attributes
                    .get("associations")
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice),
            )
        };
        let subnets = associations.map(|a| {
            a.iter()
                .filter_map(|x| x.get("subnet_id").and_then(Value::as_str))
                .collect()
        });
        let main = associations.map(|a| {
            a.iter()
                .any(|x| x.get("main").and_then(Value::as_bool) == Some(true))
        });
        by_scope.entry(Scope::of(r)).or_default().push(Table {
            vpc: str_attr(r, "vpc_id"),
            subnets,
            main,
            to_igw: routes_to_igw(r),
        });
    }
    by_scope
}

fn routes_to_igw(r: &Resource) -> Option<bool> {
    if is_unknown(r, "/route") {
        return None;
    }
    let routes = r.attributes.get("route").and_then(Value::as_array);
    let mut undecided = false;
    for (n, route) in routes.into_iter().flatten().enumerate() {
        if is_unknown(r, &format!("/route/{n}/gateway_id")) {
            undecided = true;
            continue;
        }
        if route
            .get("gateway_id")
            .and_then(Value::as_str)
            .is_some_and(|g| g.starts_with("igw-"))
        {
            return Some(true);
        }
    }
    (!undecided).then_some(false)
}

fn subnet_routing(resources: &[Resource]) -> SubnetRouting {
    let tables = route_tables(resources);
    let mut out = HashMap::new();
    for s in resources.iter().filter(|r| r.kind == "aws_subnet") {
        let scope = Scope::of(s);
        let (Ok(Some(id)), Ok(Some(vpc))) = (str_attr(s, "id"), str_attr(s, "vpc_id")) else {
            continue;
        };
        let in_scope = tables.get(&scope).map(Vec::as_slice).unwrap_or_default();
        out.insert((scope, id.to_owned()), table_verdict(in_scope, id, vpc));
    }
    SubnetRouting(out)
}

/// The routing of subnet `id` in `vpc`: its explicitly associated table,
/// else the VPC's main table.
fn table_verdict(tables: &[Table<'_>], id: &str, vpc: &str) -> Option<bool> {
    if let Some(t) = tables
        .iter()
        .find(|t| t.subnets.as_ref().is_some_and(|list| list.contains(&id)))
    {
        return t.to_igw;
    }
    // A table of this VPC (or of an unknown one) whose associations are
    // unknown could be the subnet's: not decidable.
    if tables
        .iter()
        .any(|t| t.subnets.is_none() && (t.vpc.is_err() || t.vpc == Ok(Some(vpc))))
    {
        return None;
    }
    let main: Vec<&Table<'_>> = tables
        .iter()
        .filter(|t| t.vpc == Ok(Some(vpc)) && t.main == Some(true))
        .collect();
    match main.as_slice() {
        [one] => one.to_igw,
        // No main table in the snapshot: not decidable.
        _ => None,
    }
}

/// DB subnet groups by scope and name (the first of a name wins).
fn subnet_groups(resources: &[Resource]) -> HashMap<(Scope, &str), &Resource> {
    let mut groups = HashMap::new();
    for g in resources.iter().filter(|g| g.kind == "aws_db_subnet_group") {
        if let Ok(Some(name)) = str_attr(g, "name") {
            groups.entry((Scope::of(g), name)).or_insert(g);
        }
    }
    groups
}

fn db_subnets(
    r: &Resource,
    scope: &Scope,
    groups: &HashMap<(Scope, &str), &Resource>,
    routing: &SubnetRouting,
) -> Derived {
    let ids: Vec<String> = if r.attributes.get("subnet_ids").is_some()
        || is_unknown(r, "/subnet_ids")
    {
        if unknown_within(r, "/subnet_ids") {
            return Derived::Unknown;
        }
        strings(r.attributes.get("subnet_ids"))
    } else {
        // Sources that predate `subnet_ids`: resolve the subnet group by name.
        let Ok(Some(group)) = str_attr(r, "db_subnet_group_name") else {
            return Derived::Unknown;
        };
        let found = groups.get(&(scope.clone(), group)).copied();
        match found {
            Some(g) if !unknown_within(g, "/subnet_ids") => strings(g.attributes.get("subnet_ids")),
            _ => return Derived::Unknown,
        }
    };
    let mut routed = Vec::new();
    let mut undecided = ids.is_empty();
    for id in &ids {
        match routing.routed(scope, Ok(Some(id))) {
            Derived::Known(Value::Bool(true)) => routed.push(Value::String(id.clone())),
            Derived::Known(_) => {}
            Derived::Unknown => undecided = true,
        }
    }
    if routed.is_empty() && undecided {
        Derived::Unknown
    } else {
        Derived::Known(Value::Array(routed))
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

// ---- workloads ----------------------------------------------------------

/// An instance's workload key, `Err(())` when its tags are unknown.
fn workload_of(r: &Resource) -> Result<Option<String>, ()> {
    if tags_unknown(r) {
        return Err(());
    }
    Ok(WORKLOAD_TAGS
        .iter()
        .find_map(|k| tag(r, k).map(|v| format!("{k}={v}"))))
}

/// Whether an instance counts as running (absent state: a planned instance,
/// which will run); `None` if unknown.
fn running(r: &Resource) -> Option<bool> {
    match str_attr(r, "instance_state") {
        Err(()) => None,
        Ok(None) => Some(true),
        Ok(Some(s)) => Some(s == "running"),
    }
}

fn workloads(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
    let instances: Vec<usize> = (0..resources.len())
        .filter(|&i| resources[i].kind == "aws_instance")
        .collect();
    // One pass to group instances by scope and workload: comparing every
    // instance with every other is quadratic, and an account can hold tens
    // of thousands of instances.
    let keys: Vec<Result<Option<String>, ()>> = instances
        .iter()
        .map(|&i| workload_of(&resources[i]))
        .collect();
    let mut unsure: HashSet<Scope> = HashSet::new();
    let mut members: HashMap<(Scope, String), Vec<usize>> = HashMap::new();
    for (&i, key) in instances.iter().zip(&keys) {
        let scope = Scope::of(&resources[i]);
        match key {
            Err(()) => {
                unsure.insert(scope);
            }
            Ok(Some(k)) => members.entry((scope, k.clone())).or_default().push(i),
            Ok(None) => {}
        }
    }
    let mut tallies: HashMap<(Scope, String), (Derived, Derived)> = HashMap::new();
    let mut out = vec![Vec::new(); resources.len()];
    for (&i, key) in instances.iter().zip(keys) {
        let r = &resources[i];
        let scope = Scope::of(r);
        let (workload, count, azs) = match key {
            Err(()) => (Derived::Unknown, Derived::Unknown, Derived::Unknown),
            Ok(None) => {
                // Untagged: a workload of one.
                let (count, azs) = tally(std::iter::once(r));
                (Derived::Known(Value::Null), count, azs)
            }
            // Another instance whose workload tag is unknown could belong.
            Ok(Some(key)) if unsure.contains(&scope) => (
                Derived::Known(Value::String(key)),
                Derived::Unknown,
                Derived::Unknown,
            ),
            Ok(Some(key)) => {
                let group = (scope, key);
                let (count, azs) = tallies
                    .entry(group.clone())
                    .or_insert_with(|| {
                        let list = members.get(&group).map(Vec::as_slice).unwrap_or_default();
                        tally(list.iter().map(|&j| &resources[j]))
                    })
                    .clone();
                (Derived::Known(Value::String(group.1)), count, azs)
            }
        };
        out[i] = vec![
            ("workload", workload),
            ("workload_running_instances", count),
            ("workload_running_azs", azs),
        ];
    }
    out
}

/// Running members and their distinct zones, or unknown if a member's
/// state or zone is unknown.
fn tally<'a>(members: impl Iterator<Item = &'a Resource>) -> (Derived, Derived) {
    let mut count = 0u64;
    let mut zones = BTreeSet::new();
    for m in members {
        match running(m) {
            None => return (Derived::Unknown, Derived::Unknown),
            Some(false) => continue,
            Some(true) => {}
        }
        count += 1;
        match str_attr(m, "availability_zone") {
            Ok(Some(az)) => {
                zones.insert(az.to_owned());
            }
            _ => return (Derived::Known(json!(count)), Derived::Unknown),
        }
    }
    (Derived::Known(json!(count)), Derived::Known(json!(zones)))
}

// ---- VPC CIDR overlaps --------------------------------------------------

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

fn vpc_overlaps(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
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
fn vpc_overlaps_by_scan(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
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

// ---- environments -------------------------------------------------------

/// `production`, `non-production`, or `None` for a value neither list knows.
pub fn environment_class(value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    if PRODUCTION.contains(&v.as_str()) {
        Some("production")
    } else if NON_PRODUCTION.contains(&v.as_str()) {
        Some("non-production")
    } else {
        None
    }
}

fn environments(resources: &[Resource]) -> Vec<Vec<(&'static str, Derived)>> {
    // Per account: production resources, and whether any resource's tags
    // are unknown (it could be production).
    let mut production: HashMap<&str, u64> = HashMap::new();
    let mut unsure: HashMap<&str, bool> = HashMap::new();
    // Per resource: `None` when its tags are unknown, else its environment
    // tag and that tag's class.
    type Class<'a> = Option<(Option<&'a str>, Option<&'static str>)>;
    let classes: Vec<Class<'_>> = resources
        .iter()
        .map(|r| {
            if tags_unknown(r) {
                return None;
            }
            let value = ENVIRONMENT_TAGS.iter().find_map(|k| tag(r, k));
            Some((value, value.and_then(environment_class)))
        })
        .collect();
    for (r, class) in resources.iter().zip(&classes) {
        let account = r.account.as_deref().unwrap_or_default();
        match class {
            None => *unsure.entry(account).or_default() = true,
            Some((_, Some("production"))) => *production.entry(account).or_default() += 1,
            Some(_) => {}
        }
    }
    resources
        .iter()
        .zip(classes)
        .map(|(r, class)| {
            let account = r.account.as_deref().unwrap_or_default();
            let count = production.get(account).copied().unwrap_or(0);
            let in_account = if count == 0 && unsure.get(account).copied().unwrap_or(false) {
                Derived::Unknown
            } else {
                Derived::Known(json!(count))
            };
            let (value, class) = match class {
                None => (Derived::Unknown, Derived::Unknown),
                Some((value, c)) => (
                    Derived::Known(value.map_or(Value::Null, |v| Value::String(v.to_owned()))),
                    Derived::Known(c.map_or(Value::Null, |c| Value::String(c.to_owned()))),
                ),
            };
            vec![
                ("environment_tag", value),
                ("environment_class", class),
                ("account_production_resources", in_account),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Source, SourceKind};

    fn res(id: &str, kind: &str, region: &str, attrs: Value, unknown: &[&str]) -> Resource {
        Resource {
            id: id.to_owned(),
            kind: kind.to_owned(),
            account: Some("111122223333".to_owned()),
            region: Some(region.to_owned()),
            attributes: attrs.as_object().cloned().unwrap_or_default(),
            unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
            location: None,
        }
    }

    fn snapshot(resources: Vec<Resource>) -> Snapshot {
        Snapshot {
            format_version: 1,
            source: Source {
                kind: SourceKind::Fixture,
                accounts: vec![],
                regions: vec![],
                collected_at: "2026-11-01T06:00:00Z".to_owned(),
                tool: "test".to_owned(),
                description: None,
            },
            gaps: vec![],
            resources,
        }
    }

    fn get<'a>(s: &'a Snapshot, id: &str, attr: &str) -> &'a Value {
        s.resources
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.attributes.get(attr))
            .unwrap_or(&Value::Null)
    }

    fn unknown(s: &Snapshot, id: &str, attr: &str) -> bool {
        s.resources
            .iter()
            .find(|r| r.id == id)
            .is_some_and(|r| r.unknown.contains(&format!("/{attr}")))
    }

    fn network() -> Vec<Resource> {
        vec![
            res(
                "subnet-pub",
                "aws_subnet",
                "eu-west-1",
                json!({"id": "subnet-pub", "vpc_id": "vpc-1"}),
                &[],
            ),
            res(
                "subnet-priv",
                "aws_subnet",
                "eu-west-1",
                json!({"id": "subnet-priv", "vpc_id": "vpc-1"}),
                &[],
            ),
            res(
                "subnet-main",
                "aws_subnet",
                "eu-west-1",
                json!({"id": "subnet-main", "vpc_id": "vpc-1"}),
                &[],
            ),
            res(
                "rtb-pub",
                "aws_route_table",
                "eu-west-1",
                json!({"vpc_id": "vpc-1",
                "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}],
                "associations": [{"subnet_id": "subnet-pub", "main": false}]}),
                &[],
            ),
            res(
                "rtb-priv",
                "aws_route_table",
                "eu-west-1",
                json!({"vpc_id": "vpc-1",
                "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": null, "nat_gateway_id": "nat-1"}],
                "associations": [{"subnet_id": "subnet-priv", "main": false}]}),
                &[],
            ),
            res(
                "rtb-main",
                "aws_route_table",
                "eu-west-1",
                json!({"vpc_id": "vpc-1",
                "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}],
                "associations": [{"subnet_id": null, "main": true}]}),
                &[],
            ),
        ]
    }

    #[test]
    fn subnets_follow_explicit_then_main_route_tables() {
        let mut s = snapshot(network());
        derive(&mut s);
        assert_eq!(get(&s, "subnet-pub", "internet_routed"), &json!(true));
        assert_eq!(get(&s, "subnet-priv", "internet_routed"), &json!(false));
        assert_eq!(get(&s, "subnet-main", "internet_routed"), &json!(true));
    }

    #[test]
    fn unknown_routes_or_missing_tables_are_unknown() {
        let mut r = network();
        r[4].unknown.push("/route".into()); // rtb-priv's routes unknown
        r.push(res(
            "subnet-lost",
            "aws_subnet",
            "eu-west-1",
            json!({"id": "subnet-lost", "vpc_id": "vpc-9"}),
            &[],
        ));
        let mut s = snapshot(r);
        derive(&mut s);
        assert!(unknown(&s, "subnet-priv", "internet_routed"));
        assert_eq!(get(&s, "subnet-priv", "internet_routed"), &Value::Null);
        assert!(
            unknown(&s, "subnet-lost", "internet_routed"),
            "no route table for vpc-9"
        );
        assert_eq!(get(&s, "subnet-pub", "internet_routed"), &json!(true));
    }

    #[test]
    fn databases_get_their_internet_routed_subnets() {
        let mut r = network();
        r.push(res(
            "db-public",
            "aws_db_instance",
            "eu-west-1",
            json!({"subnet_ids": ["subnet-priv", "subnet-pub"]}),
            &[],
        ));
        r.push(res(
            "db-private",
            "aws_db_instance",
            "eu-west-1",
            json!({"db_subnet_group_name": "private"}),
            &[],
        ));
        r.push(res(
            "grp",
            "aws_db_subnet_group",
            "eu-west-1",
            json!({"name": "private", "subnet_ids": ["subnet-priv"]}),
            &[],
        ));
        r.push(res(
            "db-planned",
            "aws_db_instance",
            "eu-west-1",
            json!({}),
            &["/subnet_ids"],
        ));
        let mut s = snapshot(r);
        derive(&mut s);
        assert_eq!(
            get(&s, "db-public", "internet_routed_subnet_ids"),
            &json!(["subnet-pub"])
        );
        assert_eq!(
            get(&s, "db-private", "internet_routed_subnet_ids"),
            &json!([])
        );
        assert!(unknown(&s, "db-planned", "internet_routed_subnet_ids"));
    }

    #[test]
    fn workloads_count_running_instances_and_zones() {
        let inst = |id: &str, app: Option<&str>, az: &str, state: &str| {
            let tags = app.map_or(json!({}), |a| json!({"app": a}));
            res(
                id,
                "aws_instance",
                "eu-west-1",
                json!({"tags": tags, "availability_zone": az, "instance_state": state, "subnet_id": "subnet-pub"}),
                &[],
            )
        };
        let mut r = network();
        r.push(inst("w1", Some("web"), "eu-west-1a", "running"));
        r.push(inst("w2", Some("web"), "eu-west-1a", "running"));
        r.push(inst("w3", Some("web"), "eu-west-1b", "stopped"));
        r.push(inst("lone", None, "eu-west-1a", "running"));
        let mut s = snapshot(r.clone());
        derive(&mut s);
        assert_eq!(get(&s, "w1", "workload"), &json!("app=web"));
        assert_eq!(get(&s, "w1", "workload_running_instances"), &json!(2));
        assert_eq!(
            get(&s, "w3", "workload_running_azs"),
            &json!(["eu-west-1a"])
        );
        assert_eq!(get(&s, "lone", "workload_running_instances"), &json!(1));
        assert_eq!(get(&s, "lone", "internet_routed"), &json!(true));
        // An instance whose tags are unknown could belong to any workload.
        r.push(res(
            "planned",
            "aws_instance",
            "eu-west-1",
            json!({}),
            &["/tags"],
        ));
        let mut s = snapshot(r);
        derive(&mut s);
        assert!(unknown(&s, "w1", "workload_running_instances"));
        assert!(unknown(&s, "planned", "workload"));
        assert_eq!(
            get(&s, "lone", "workload_running_instances"),
            &json!(1),
            "untagged is alone"
        );
    }

    #[test]
    fn overlap_lists_are_capped_per_block() {
        // An organisation's default VPCs all use 172.31.0.0/16.
        let vpcs: Vec<Resource> = (0..MAX_OVERLAPS_LISTED + 5)
            .map(|n| {
                let mut v = res(
                    &format!("vpc-{n}"),
                    "aws_vpc",
                    "eu-west-1",
                    json!({"id": format!("vpc-{n}"), "cidr_block": "172.31.0.0/16"}),
                    &[],
                );
                v.account = Some(format!("{n:012}"));
                v
            })
            .collect();
        let mut s = snapshot(vpcs);
        derive(&mut s);
        let listed = get(&s, "vpc-0", "overlapping_vpcs_other_accounts");
        assert_eq!(listed.as_array().map(Vec::len), Some(MAX_OVERLAPS_LISTED));
    }

    #[test]
    fn indexed_overlaps_equal_comparing_every_pair() {
        // Nested and equal blocks, several per VPC, unknown ones, four
        // accounts (one of them none), enough VPCs for the cap to bite.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let cidr = |next: &mut dyn FnMut(u64) -> u64| {
            let len = if next(40) == 0 {
                8
            } else {
                [12, 16, 16, 16, 20, 24][next(6) as usize]
            };
            format!("10.{}.{}.0/{len}", next(64) * 4, next(4) * 64)
        };
        let vpcs: Vec<Resource> = (0..300)
            .map(|n| {
                let mut blocks = vec![cidr(&mut next)];
                for _ in 0..next(3) {
                    blocks.push(cidr(&mut next));
                }
                let associations: Vec<Value> =
                    blocks.iter().map(|b| json!({"cidr_block": b})).collect();
                let unknown: &[&str] = if next(10) == 0 { &["/cidr_block"] } else { &[] };
                let mut v = res(
                    &format!("vpc-{n}"),
                    "aws_vpc",
                    "eu-west-1",
                    json!({"id": format!("vpc-{n}"), "cidr_block": blocks[0],
                        "cidr_block_associations": associations}),
                    unknown,
                );
                v.account =
                    [None, Some("a"), Some("b"), Some("c")][next(4) as usize].map(str::to_owned);
                v
            })
            .collect();
        let indexed = vpc_overlaps(&vpcs);
        assert_eq!(indexed, vpc_overlaps_by_scan(&vpcs));
        let lengths: Vec<usize> = indexed
            .iter()
            .flatten()
            .filter_map(|(_, d)| match d {
                Derived::Known(Value::Array(list)) => Some(list.len()),
                _ => None,
            })
            .collect();
        // The case must reach the cap (several blocks each) and leave lists
        // short of it too.
        assert!(
            lengths.iter().any(|n| *n > MAX_OVERLAPS_LISTED),
            "{lengths:?}"
        );
        assert!(
            lengths.iter().any(|n| (1..MAX_OVERLAPS_LISTED).contains(n)),
            "{lengths:?}"
        );
    }

    #[test]
    fn vpc_overlaps_across_regions_and_accounts() {
        let vpc = |id: &str, region: &str, cidr: &str| {
            res(
                id,
                "aws_vpc",
                region,
                json!({"id": id, "cidr_block": cidr}),
                &[],
            )
        };
        let mut other = vpc("vpc-c", "us-east-1", "10.0.128.0/17");
        other.account = Some("444455556666".into());
        let mut s = snapshot(vec![
            vpc("vpc-a", "eu-west-1", "10.0.0.0/16"),
            vpc("vpc-b", "eu-central-1", "10.1.0.0/16"),
            other,
        ]);
        derive(&mut s);
        let a = get(&s, "vpc-a", "overlapping_vpcs_other_accounts");
        assert_eq!(a.as_array().map(Vec::len), Some(1));
        assert_eq!(a[0]["account"], json!("444455556666"));
        assert_eq!(a[0]["other_cidr_block"], json!("10.0.128.0/17"));
        assert_eq!(
            get(&s, "vpc-a", "overlapping_vpcs_same_account"),
            &json!([])
        );
        assert_eq!(
            get(&s, "vpc-b", "overlapping_vpcs_same_account"),
            &json!([])
        );
        // An unknown neighbour makes "no overlap" unknown in its group, but
        // not a known overlap, and not the other group.
        s.resources.push(res(
            "vpc-d",
            "aws_vpc",
            "eu-west-1",
            json!({}),
            &["/cidr_block"],
        ));
        s.resources.push(res(
            "vpc-e",
            "aws_vpc",
            "us-east-1",
            json!({"id": "vpc-e", "cidr_block": "10.1.0.0/24"}),
            &[],
        ));
        derive(&mut s);
        assert!(unknown(&s, "vpc-a", "overlapping_vpcs_same_account"));
        assert_eq!(
            get(&s, "vpc-a", "overlapping_vpcs_other_accounts")
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(
            get(&s, "vpc-b", "overlapping_vpcs_same_account")[0]["vpc_id"],
            json!("vpc-e")
        );
        assert!(unknown(&s, "vpc-d", "overlapping_vpcs_other_accounts"));
    }

    #[test]
    fn environments_are_classed_and_counted_per_account() {
        let tagged = |id: &str, env: &str| {
            res(
                id,
                "aws_instance",
                "eu-west-1",
                json!({"tags": {"Environment": env}}),
                &[],
            )
        };
        let mut s = snapshot(vec![
            tagged("p1", "prod"),
            tagged("d1", "dev"),
            tagged("x", "blue"),
        ]);
        derive(&mut s);
        assert_eq!(get(&s, "d1", "environment_class"), &json!("non-production"));
        assert_eq!(get(&s, "d1", "environment_tag"), &json!("dev"));
        assert_eq!(get(&s, "x", "environment_class"), &Value::Null);
        assert_eq!(get(&s, "d1", "account_production_resources"), &json!(1));
        let mut s = snapshot(vec![
            tagged("d1", "dev"),
            res("u", "aws_instance", "eu-west-1", json!({}), &["/tags"]),
        ]);
        derive(&mut s);
        assert!(unknown(&s, "d1", "account_production_resources"));
        assert!(unknown(&s, "u", "environment_class"));
    }

    #[test]
    fn derive_is_idempotent_and_overwrites_what_a_source_wrote() {
        let mut r = network();
        r[0].attributes
            .insert("internet_routed".into(), json!(false));
        r[1].unknown.push("/internet_routed".into());
        let mut once = snapshot(r);
        derive(&mut once);
        let mut twice = once.clone();
        derive(&mut twice);
        assert_eq!(once.resources, twice.resources);
        assert_eq!(get(&once, "subnet-pub", "internet_routed"), &json!(true));
        assert!(!unknown(&once, "subnet-priv", "internet_routed"));
    }
}
