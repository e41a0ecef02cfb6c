//! Whether an S3 bucket's ACL or policy opens it to the public, read from
//! the attributes of an `aws_s3_bucket` found at `base` (`""` for the
//! bucket itself, `"/s3_bucket"` for the copy of its bucket the host
//! writes onto a CloudTrail trail). The S3 pack (PILLAR-S3-004 and 005)
//! and the CloudTrail pack (PILLAR-CT-007) judge with this one reading, so
//! a bucket is never public to one rule and private to another.

use serde_json::Value;

use crate::policy::{self, Statement};
use crate::{Attr, Resource};

/// Canned ACLs that grant access beyond the owner's account.
pub const PUBLIC_CANNED_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

/// Grantee groups meaning "anyone" and "any AWS account".
pub const PUBLIC_GROUPS: &[&str] = &[
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// What one of a bucket's access settings grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// Nothing beyond the owner (and whom it names).
    Private,
    /// Open to anyone or to any AWS account: `why` reads after the
    /// bucket's name ("the bucket ACL is public-read"), `pointer` is the
    /// evidence.
    Public { why: String, pointer: String },
    /// The setting is unknown (computed at apply, not collected), or could
    /// not be read.
    Unknown(NotKnown),
}

/// A setting that cannot be judged: where, and why (reads after the
/// bucket's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotKnown {
    pub pointer: String,
    pub why: String,
}

/// A joined attribute the source did not record at all (its key is
/// missing) is "not recorded", not "none": sources write `null` for none.
pub fn recorded(r: &Resource, pointer: &str) -> bool {
    r.attributes.pointer(pointer).is_some()
}

/// The bucket ACL: a public canned ACL, or a grant to a public group.
/// A known public grant wins over an unknown one elsewhere.
pub fn acl_exposure(r: &Resource, base: &str) -> Exposure {
    let canned = format!("{base}/acl");
    let mut unknown = None;
    match r.text(&canned) {
        Err(()) => unknown = Some(canned.clone()),
        Ok(Some(acl)) if PUBLIC_CANNED_ACLS.contains(&acl) => {
            return Exposure::Public {
                why: format!("the bucket ACL is {acl}"),
                pointer: canned,
            };
        }
        Ok(_) => {}
    }
    let grants_at = format!("{base}/acl_grants");
    match r.attr(&grants_at) {
        Attr::Unknown => {
            unknown.get_or_insert(grants_at);
        }
        Attr::Known(Value::Array(grants)) => {
            for (g, grant) in grants.iter().enumerate() {
                let uri = grant.get("uri").and_then(Value::as_str).unwrap_or_default();
                if PUBLIC_GROUPS.contains(&uri) {
                    let who = uri.rsplit('/').next().unwrap_or(uri);
                    let permission = grant
                        .get("permission")
                        .and_then(Value::as_str)
                        .unwrap_or("?");
                    return Exposure::Public {
                        why: format!("the bucket ACL grants {permission} to {who}"),
                        pointer: format!("{grants_at}/{g}"),
                    };
                }
            }
        }
        _ => {}
    }
    match unknown {
        Some(pointer) => Exposure::Unknown(NotKnown {
            pointer,
            why: "the bucket ACL is not known (computed at apply, or not collected)".into(),
        }),
        None => Exposure::Private,
    }
}

/// The bucket policy's statements (none when the bucket has no policy), or
/// why they cannot be read.
pub fn policy_statements(r: &Resource, base: &str) -> Result<Vec<Statement>, NotKnown> {
    let at = format!("{base}/policy");
    let not_known = |at: &str| NotKnown {
        pointer: at.to_owned(),
        why: "the bucket policy is not known (computed at apply, or not collected)".into(),
    };
    match r.attr(&at) {
        Attr::Unknown => Err(not_known(&at)),
        Attr::Absent if !recorded(r, &at) => Err(not_known(&at)),
        Attr::Absent => Ok(Vec::new()),
        Attr::Known(v) => policy::parse(v.as_str().unwrap_or_default()).map_err(|e| NotKnown {
            pointer: at.clone(),
            why: format!("the bucket policy cannot be read ({e})"),
        }),
    }
}

/// The first statement that allows anything to anyone without a condition.
pub fn public_statement(statements: &[Statement]) -> Option<(usize, &Statement)> {
    statements
        .iter()
        .enumerate()
        .find(|(_, s)| s.allow && s.anyone() && s.condition.is_none())
}

/// The bucket policy: AWS's own verdict when collected
/// (`policy_is_public`), else a statement open to anyone without a
/// condition.
pub fn policy_exposure(r: &Resource, base: &str) -> Exposure {
    let verdict = format!("{base}/policy_is_public");
    if r.flag(&verdict, false) == Some(true) {
        return Exposure::Public {
            why: "AWS reports the bucket policy as public".into(),
            pointer: verdict,
        };
    }
    match policy_statements(r, base) {
        Err(unknown) => Exposure::Unknown(unknown),
        Ok(statements) => match public_statement(&statements) {
            Some((n, s)) => Exposure::Public {
                why: format!(
                    "policy statement {n} allows {} to anyone, without a condition",
                    s.actions.join(", ")
                ),
                pointer: format!("{base}/policy"),
            },
            None => Exposure::Private,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::resource;
    use serde_json::json;

    fn trail(bucket: Value, unknown: &[&str]) -> Resource {
        resource("aws_cloudtrail", json!({ "s3_bucket": bucket }), unknown)
    }

    #[test]
    fn acl_reads_canned_acls_and_grants_under_a_base() {
        let private = trail(json!({"acl": "private", "acl_grants": []}), &[]);
        assert_eq!(acl_exposure(&private, "/s3_bucket"), Exposure::Private);
        let canned = trail(json!({"acl": "public-read", "acl_grants": []}), &[]);
        assert!(matches!(
            acl_exposure(&canned, "/s3_bucket"),
            Exposure::Public { pointer, .. } if pointer == "/s3_bucket/acl"
        ));
        let grant = trail(
            json!({"acl": null, "acl_grants": [{"uri": PUBLIC_GROUPS[1], "permission": "WRITE"}]}),
            &["/s3_bucket/acl"],
        );
        // A known public grant wins over the unknown canned ACL.
        assert!(matches!(
            acl_exposure(&grant, "/s3_bucket"),
            Exposure::Public { why, .. } if why.contains("WRITE to AuthenticatedUsers")
        ));
        let unknown = trail(json!({"acl": null, "acl_grants": []}), &["/s3_bucket/acl"]);
        assert!(matches!(
            acl_exposure(&unknown, "/s3_bucket"),
            Exposure::Unknown(_)
        ));
    }

    #[test]
    fn policy_is_public_by_aws_verdict_or_by_an_open_statement() {
        let open = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        let scoped = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceArn":"x"}}}]}"#;
        let at = |policy: Value, public: Value| {
            trail(json!({"policy": policy, "policy_is_public": public}), &[])
        };
        assert!(matches!(
            policy_exposure(&at(json!(scoped), json!(true)), "/s3_bucket"),
            Exposure::Public { pointer, .. } if pointer.ends_with("policy_is_public")
        ));
        assert!(matches!(
            policy_exposure(&at(json!(open), json!(null)), "/s3_bucket"),
            Exposure::Public { .. }
        ));
        assert_eq!(
            policy_exposure(&at(json!(scoped), json!(false)), "/s3_bucket"),
            Exposure::Private
        );
        assert_eq!(
            policy_exposure(&at(Value::Null, Value::Null), "/s3_bucket"),
            Exposure::Private
        );
        assert!(matches!(
            policy_exposure(&at(json!("{not json"), Value::Null), "/s3_bucket"),
            Exposure::Unknown(n) if n.why.contains("cannot be read")
        ));
        // Not recorded at all: unknown, never "no policy".
        assert!(matches!(
            policy_exposure(&trail(json!({}), &[]), "/s3_bucket"),
            Exposure::Unknown(_)
        ));
    }
}
