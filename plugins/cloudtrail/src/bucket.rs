//! The bucket a trail delivers to, as the host copies it onto the trail
//! (`/s3_bucket`): not open to the public (PILLAR-CT-007), and recording
//! who reads it (PILLAR-CT-008).

use pillar_rule_sdk::prelude::*;
use pillar_rule_sdk::s3::{Exposure, NotKnown, acl_exposure, policy_exposure, recorded};

use crate::{BUCKET_ACCESS_LOGGING, BUCKET_PUBLIC};

const BUCKET: &str = "/s3_bucket";

/// Judges both rules on trail `t`, or says why the bucket cannot be seen.
pub(crate) fn judge(i: usize, t: &Resource, out: &mut dyn Sink) {
    let name = t.display_name();
    if !matches!(t.attr(BUCKET), Attr::Known(_)) {
        let why = match t.text("/s3_bucket_name") {
            Ok(Some(bucket)) => format!(
                "{name}: bucket {bucket} is not in this snapshot (another account's, or not collected)"
            ),
            Ok(None) => format!("{name}: the trail names no bucket"),
            Err(()) => format!("{name}: the trail's bucket is not known until apply"),
        };
        for rule in [BUCKET_PUBLIC, BUCKET_ACCESS_LOGGING] {
            out.unknown(rule, i, why.clone(), Some(BUCKET.into()));
        }
        return;
    }
    public(i, t, name, out);
    access_logging(i, t, name, out);
}

/// Public through its ACL (unless a public access block ignores public
/// ACLs) or its policy (unless one restricts public buckets). A known
/// public grant decides over an unknown elsewhere.
fn public(i: usize, t: &Resource, name: &str, out: &mut dyn Sink) {
    let bucket = t.text("/s3_bucket/bucket").ok().flatten().unwrap_or("?");
    let mut unknown: Option<NotKnown> = None;
    for (exposure, override_flag) in [
        (acl_exposure(t, BUCKET), "ignore_public_acls"),
        (policy_exposure(t, BUCKET), "restrict_public_buckets"),
    ] {
        match exposure {
            Exposure::Private => {}
            Exposure::Unknown(n) => {
                unknown.get_or_insert(n);
            }
            Exposure::Public { why, pointer } => match blocked(t, override_flag) {
                Some(true) => {}
                Some(false) => {
                    return out.fail(
                        BUCKET_PUBLIC,
                        i,
                        format!("{name}: its log bucket {bucket} is public: {why}"),
                        Some(pointer),
                    );
                }
                None => {
                    unknown.get_or_insert(NotKnown {
                        pointer,
                        why: format!(
                            "{why}, and whether a public access block overrides it ({override_flag}) is not known"
                        ),
                    });
                }
            },
        }
    }
    if let Some(NotKnown { pointer, why }) = unknown {
        out.unknown(
            BUCKET_PUBLIC,
            i,
            format!("{name}: log bucket {bucket}: {why}"),
            Some(pointer),
        );
    }
}

/// Whether the bucket's or its account's public access block turns `flag`
/// on. `None`: it is unknown and nothing known turns it on.
fn blocked(t: &Resource, flag: &str) -> Option<bool> {
    let mut unsure = false;
    for block in ["public_access_block", "account_public_access_block"] {
        match t.flag(&format!("{BUCKET}/{block}/{flag}"), false) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unsure = true,
        }
    }
    (!unsure).then_some(false)
}

/// Server access logging on the bucket (`logging` names a target bucket).
fn access_logging(i: usize, t: &Resource, name: &str, out: &mut dyn Sink) {
    let pointer = "/s3_bucket/logging";
    let bucket = t.text("/s3_bucket/bucket").ok().flatten().unwrap_or("?");
    match t.attr(pointer) {
        Attr::Known(_) => {}
        Attr::Absent if recorded(t, pointer) => out.fail(
            BUCKET_ACCESS_LOGGING,
            i,
            format!("{name}: its log bucket {bucket} does not record server access logs"),
            Some(pointer.into()),
        ),
        Attr::Absent | Attr::Unknown => out.unknown(
            BUCKET_ACCESS_LOGGING,
            i,
            format!("{name}: whether log bucket {bucket} records server access logs is not known"),
            Some(pointer.into()),
        ),
    }
}
