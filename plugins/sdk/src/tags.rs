//! Tag lookups that respect unknown values: a tag set computed at apply
//! time is "cannot tell", never "missing".

use crate::Resource;

/// What a resource says about one tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag<'a> {
    /// The tag is set, to this value.
    Present(&'a str),
    /// The resource's tags are known and this one is not among them.
    Missing,
    /// The tags (or this tag) are not known: a rule must say `unknown`.
    Unknown,
}

/// Looks up `key` in the resource's tags. Terraform's `tags_all` (tags
/// including provider default tags) wins over `tags` when it is present.
pub fn tag<'a>(resource: &'a Resource, key: &str) -> Tag<'a> {
    if let Some(value) = resource.tag(key) {
        return Tag::Present(value);
    }
    let escaped = key.replace('~', "~0").replace('/', "~1");
    let unknown = ["/tags_all", "/tags"]
        .iter()
        .any(|field| resource.is_unknown(&format!("{field}/{escaped}")));
    if unknown { Tag::Unknown } else { Tag::Missing }
}

/// The keys among `required` that the resource does not carry, in the
/// order given; `None` when any of them cannot be known.
pub fn missing_tags<'k>(resource: &Resource, required: &[&'k str]) -> Option<Vec<&'k str>> {
    let mut missing = Vec::new();
    for key in required {
        match tag(resource, key) {
            Tag::Present(_) => {}
            Tag::Missing => missing.push(*key),
            Tag::Unknown => return None,
        }
    }
    Some(missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(attributes: serde_json::Value, unknown: &[&str]) -> Resource {
        Resource {
            id: "r".into(),
            kind: "aws_s3_bucket".into(),
            account: None,
            region: None,
            attributes: attributes.into(),
            unknown: unknown.iter().map(|u| (*u).to_owned()).collect(),
        }
    }

    #[test]
    fn present_missing_and_unknown_are_told_apart() {
        let r = res(json!({"tags": {"owner": "team-a"}}), &[]);
        assert_eq!(tag(&r, "owner"), Tag::Present("team-a"));
        assert_eq!(tag(&r, "cost-center"), Tag::Missing);
        let planned = res(json!({"tags": {}}), &["/tags"]);
        assert_eq!(tag(&planned, "owner"), Tag::Unknown);
        let one_unknown = res(json!({"tags": {}}), &["/tags/owner"]);
        assert_eq!(tag(&one_unknown, "owner"), Tag::Unknown);
        assert_eq!(tag(&one_unknown, "env"), Tag::Missing);
    }

    #[test]
    fn tags_all_includes_provider_defaults() {
        let r = res(json!({"tags": {}, "tags_all": {"owner": "platform"}}), &[]);
        assert_eq!(tag(&r, "owner"), Tag::Present("platform"));
    }

    #[test]
    fn keys_with_slashes_are_escaped_in_pointers() {
        let r = res(json!({"tags": {}}), &["/tags/aws:cloudformation~1stack"]);
        assert_eq!(tag(&r, "aws:cloudformation/stack"), Tag::Unknown);
    }

    #[test]
    fn missing_tags_lists_what_is_absent_or_gives_up_on_unknown() {
        let r = res(json!({"tags": {"owner": "a"}}), &[]);
        assert_eq!(missing_tags(&r, &["owner", "env"]), Some(vec!["env"]));
        let planned = res(json!({}), &["/tags"]);
        assert_eq!(missing_tags(&planned, &["owner"]), None);
    }
}
