//! `--shard I/N`: which part of the accounts list this process reads.
//!
//! Accounts are sorted by id and account k (0-based) goes to shard
//! (k mod N) + 1, so N processes given the same accounts file read every
//! account exactly once, whatever order the file lists them in. Round robin
//! rather than contiguous ranges, so that accounts added to the end of the
//! file spread over the shards.

use std::fmt;
use std::str::FromStr;

use crate::AccountSpec;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("{s:?} is not a shard; write I/N with 1 <= I <= N, e.g. 2/3");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: usize = i.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if count == 0 {
            return Err(format!("{s:?}: the number of shards N must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(format!(
                "{s:?}: shards are numbered from 1 to {count} (I/N is 1-based)"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// This shard's accounts, in id order.
    pub fn select(&self, mut accounts: Vec<AccountSpec>) -> Vec<AccountSpec> {
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        accounts
            .into_iter()
            .enumerate()
            .filter(|(k, _)| k % self.count + 1 == self.index)
            .map(|(_, a)| a)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AccountSpec as Account;

    fn account(id: &str) -> Account {
        Account {
            id: id.into(),
            name: None,
            role_arn: None,
            external_id: None,
            regions: Vec::new(),
        }
    }

    fn ids(accounts: &[Account]) -> Vec<&str> {
        accounts.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn valid_shards_parse_and_print_back() {
        for s in ["1/1", "1/3", "3/3", " 2 / 5 "] {
            let shard: Shard = s.parse().expect(s);
            assert_eq!(shard.to_string(), s.replace(' ', ""));
        }
    }

    #[test]
    fn invalid_shards_say_why() {
        for (s, expected) in [
            ("0/3", "numbered from 1 to 3"),
            ("4/3", "numbered from 1 to 3"),
            ("1/0", "at least 1"),
            ("0/0", "at least 1"),
            ("3", "write I/N"),
            ("a/b", "write I/N"),
            ("-1/3", "write I/N"),
            ("1/3/4", "write I/N"),
            ("", "write I/N"),
        ] {
            let err = s.parse::<Shard>().expect_err(s);
            assert!(err.contains(expected), "{s}: {err}");
        }
    }

    #[test]
    fn shards_partition_the_sorted_list_round_robin() {
        let listed = ["555", "111", "444", "222", "333"].map(account).to_vec();
        let shard = |s: &str| s.parse::<Shard>().expect(s);
        assert_eq!(
            ids(&shard("1/2").select(listed.clone())),
            ["111", "333", "555"]
        );
        assert_eq!(ids(&shard("2/2").select(listed.clone())), ["222", "444"]);
        assert_eq!(
            ids(&shard("1/1").select(listed.clone())),
            ["111", "222", "333", "444", "555"]
        );
        // Every account in exactly one shard, whatever the order given.
        let mut reversed = listed.clone();
        reversed.reverse();
        let mut all: Vec<String> = (1..=3)
            .flat_map(|i| shard(&format!("{i}/3")).select(reversed.clone()))
            .map(|a| a.id)
            .collect();
        all.sort();
        assert_eq!(all, ["111", "222", "333", "444", "555"]);
        // More shards than accounts: the last ones are empty.
        assert!(shard("7/7").select(listed).is_empty());
    }
}
