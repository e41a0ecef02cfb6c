//! The bucket each CloudTrail trail delivers its log files to
//! (`aws_cloudtrail.s3_bucket`): the bucket's access settings and access
//! logging, copied onto the trail, so that a rule on the trail can judge
//! the bucket that holds the audit record (a rule pack sees one kind at a
//! time).
//!
//! The bucket is found by name (`aws_cloudtrail.s3_bucket_name` against
//! `aws_s3_bucket.bucket`; names are global, so across accounts), and the
//! account-level public access block of the bucket's account is copied
//! beside it. A trail whose bucket name is unknown, or whose bucket is not
//! in the snapshot (another account's, or not collected), gets `null` and
//! is listed as unknown: never guessed.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Derived, is_unknown, str_attr};
use crate::Resource;

/// The bucket attributes the trail rules read; missing ones stay missing
/// (not recorded), so a rule can tell them from `null` (none).
const COPIED: &[&str] = &[
    "arn",
    "bucket",
    "acl",
    "acl_grants",
    "policy",
    "policy_is_public",
    "public_access_block",
    "logging",
];

/// Where the account-level block goes in the copy.
const ACCOUNT_BLOCK: &str = "account_public_access_block";

const BLOCK_FLAGS: &[&str] = &[
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];

pub(super) fn trail_buckets(resources: &[Resource]) -> Vec<Option<Derived>> {
    let mut by_name: HashMap<&str, &Resource> = HashMap::new();
    let mut account_blocks: HashMap<&str, &Resource> = HashMap::new();
    for r in resources {
        match r.kind.as_str() {
            "aws_s3_bucket" => {
                if let Ok(Some(name)) = str_attr(r, "bucket") {
                    by_name.insert(name, r);
                }
            }
            "aws_s3_account_public_access_block" => {
                if let Some(account) = r.account.as_deref() {
                    account_blocks.insert(account, r);
                }
            }
            _ => {}
        }
    }
    resources
        .iter()
        .map(|r| {
            if r.kind != "aws_cloudtrail" {
                return None;
            }
            let Ok(Some(name)) = str_attr(r, "s3_bucket_name") else {
                return Some(Derived::Unknown);
            };
            let Some(bucket) = by_name.get(name) else {
                return Some(Derived::Unknown);
            };
            let account_block = bucket
                .account
                .as_deref()
                .and_then(|a| account_blocks.get(a).copied());
            Some(copy(bucket, account_block))
        })
        .collect()
}

/// The bucket's [`COPIED`] attributes and the account's block, with the
/// pointers below them that are unknown.
fn copy(bucket: &Resource, account_block: Option<&Resource>) -> Derived {
    if is_unknown(bucket, "") {
        return Derived::Unknown;
    }
    let mut out = Map::new();
    let mut unknown = Vec::new();
    for name in COPIED {
        if let Some(v) = bucket.attributes.get(*name) {
            out.insert((*name).to_owned(), v.clone());
        }
        let at = format!("/{name}");
        unknown.extend(
            bucket
                .unknown
                .iter()
                .filter(|u| **u == at || u.starts_with(&format!("{at}/")))
                .cloned(),
        );
    }
    // The account-level block: absent from the snapshot (a plan, or not
    // collected) is read as none, as PILLAR-S3-004 and 005 read buckets.
    let block = account_block.map_or(Value::Null, |b| {
        let mut flags = Map::new();
        for flag in BLOCK_FLAGS {
            let at = format!("/{flag}");
            if is_unknown(b, &at) {
                unknown.push(format!("/{ACCOUNT_BLOCK}{at}"));
            }
            flags.insert(
                (*flag).to_owned(),
                b.attributes.get(*flag).cloned().unwrap_or(Value::Null),
            );
        }
        Value::Object(flags)
    });
    out.insert(ACCOUNT_BLOCK.to_owned(), block);
    Derived::Partial(Value::Object(out), unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(kind: &str, account: &str, attrs: Value, unknown: &[&str]) -> Resource {
        Resource {
            id: format!("{kind}-{}", attrs),
            kind: kind.to_owned(),
            account: Some(account.to_owned()),
            region: Some("eu-west-1".to_owned()),
            attributes: attrs.as_object().cloned().unwrap_or_default(),
            unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
            location: None,
        }
    }

    #[test]
    fn a_trail_gets_its_bucket_found_by_name_across_accounts() {
        let resources = vec![
            res(
                "aws_s3_bucket",
                "222222222222",
                json!({"bucket": "org-trail", "acl": "private", "logging": null, "tags": {"a": "b"}}),
                &["/policy"],
            ),
            res(
                "aws_s3_account_public_access_block",
                "222222222222",
                json!({"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true}),
                &["/restrict_public_buckets"],
            ),
            res(
                "aws_cloudtrail",
                "111111111111",
                json!({"s3_bucket_name": "org-trail"}),
                &[],
            ),
            res(
                "aws_cloudtrail",
                "111111111111",
                json!({"s3_bucket_name": "elsewhere"}),
                &[],
            ),
            res(
                "aws_cloudtrail",
                "111111111111",
                json!({"s3_bucket_name": null}),
                &["/s3_bucket_name"],
            ),
        ];
        let got = trail_buckets(&resources);
        assert_eq!(got[0], None);
        let Some(Derived::Partial(v, unknown)) = &got[2] else {
            panic!("the trail's bucket is found: {:?}", got[2]);
        };
        assert_eq!(v["bucket"], "org-trail");
        assert_eq!(v["logging"], Value::Null);
        assert!(v.get("tags").is_none(), "only what the rules read");
        assert!(
            v.get("policy_is_public").is_none(),
            "not recorded stays missing"
        );
        assert_eq!(v[ACCOUNT_BLOCK]["ignore_public_acls"], true);
        assert_eq!(
            unknown,
            &vec![
                "/policy".to_owned(),
                "/account_public_access_block/restrict_public_buckets".to_owned()
            ]
        );
        assert_eq!(got[3], Some(Derived::Unknown), "not in the snapshot");
        assert_eq!(got[4], Some(Derived::Unknown), "name unknown");
    }
}
