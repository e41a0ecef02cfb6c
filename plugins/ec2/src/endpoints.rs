//! PILLAR-EC2-003: resource-specific AWS endpoints hardcoded in user data.

use pillar_rule_sdk::prelude::*;

use crate::USER_DATA_ENDPOINTS;

/// Endpoint families that name one resource (and so change on failover,
/// restore or migration), keyed by a label in the host name.
const FAMILIES: &[(&str, &str)] = &[
    (".rds.amazonaws.com", "RDS"),
    (".cache.amazonaws.com", "ElastiCache"),
    // Classic and ALB: <name>.<region>.elb.amazonaws.com; NLB: <name>.elb.<region>.amazonaws.com.
    (".elb.", "ELB"),
    (".es.amazonaws.com", "OpenSearch"),
    (".aoss.amazonaws.com", "OpenSearch Serverless"),
    (".redshift.amazonaws.com", "Redshift"),
    (".docdb.amazonaws.com", "DocumentDB"),
    (".kafka.", "MSK"),
    (".mq.", "Amazon MQ"),
    (".execute-api.", "API Gateway"),
];

pub fn check(index: usize, r: &Resource, out: &mut dyn Sink) {
    let text = match r.attr("/user_data") {
        Attr::Unknown => {
            out.unknown(
                USER_DATA_ENDPOINTS,
                index,
                format!("{}: user data is not known until apply", r.display_name()),
                Some("/user_data".into()),
            );
            return;
        }
        Attr::Known(v) => match v.as_str() {
            Some(s) => s,
            None => return,
        },
        Attr::Absent => return,
    };
    let found = find_endpoints(text);
    if found.is_empty() {
        return;
    }
    let listed: Vec<String> = found
        .iter()
        .map(|(host, family)| format!("{family} endpoint {host}"))
        .collect();
    out.fail(
        USER_DATA_ENDPOINTS,
        index,
        format!(
            "{}: user data hardcodes {}",
            r.display_name(),
            listed.join(", ")
        ),
        Some("/user_data".into()),
    );
}

/// Distinct resource-specific AWS endpoints in `text`, in order of appearance.
pub fn find_endpoints(text: &str) -> Vec<(String, &'static str)> {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    let bytes = text.as_bytes();
    // Every endpoint ends in `.amazonaws.com` or `.amazonaws.com.cn`, so only
    // the tokens around an "amazonaws" are read; the others cannot match.
    let mut from = 0;
    while let Some(at) = find_amazonaws(bytes, from) {
        // The token is the run of host bytes around the match. Bytes, not
        // chars: host characters are ASCII, and no byte of a multi-byte
        // character is, so the tokens are those of a split on chars.
        let start = bytes[..at]
            .iter()
            .rposition(|b| !is_host_byte(*b))
            .map_or(0, |i| i + 1);
        let end = bytes[at..]
            .iter()
            .position(|b| !is_host_byte(*b))
            .map_or(bytes.len(), |i| at + i);
        from = end;
        let Some((host, family)) = endpoint(trim_dots(&bytes[start..end])) else {
            continue;
        };
        if !found.iter().any(|(h, _)| *h == host) {
            found.push((host, family));
        }
    }
    found
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// Where the next "amazonaws" (in any case) starts, at or after `from`.
/// It tests for the word only where its `z` is: scripts hold few of them.
fn find_amazonaws(bytes: &[u8], from: usize) -> Option<usize> {
    const WORD: &[u8] = b"amazonaws";
    const Z_AT: usize = 3;
    let mut z = from + Z_AT;
    loop {
        z += bytes
            .get(z..)?
            .iter()
            .position(|b| b.eq_ignore_ascii_case(&b'z'))?;
        let start = z - Z_AT;
        if bytes
            .get(start..start + WORD.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(WORD))
        {
            return Some(start);
        }
        z += 1;
    }
}

/// The host (lowercased) and family of a token that names an endpoint.
fn endpoint(token: &[u8]) -> Option<(String, &'static str)> {
    // The suffix is tested in place: only endpoints are lowercased.
    if !is_aws_host(token) {
        return None;
    }
    // Host bytes are ASCII, so this always holds.
    let host = std::str::from_utf8(token).ok()?.to_ascii_lowercase();
    let family = family_of(&host)?;
    Some((host, family))
}

/// `token` without leading and trailing dots.
fn trim_dots(mut token: &[u8]) -> &[u8] {
    while let [b'.', rest @ ..] = token {
        token = rest;
    }
    while let [rest @ .., b'.'] = token {
        token = rest;
    }
    token
}

/// Whether `token` ends in `.amazonaws.com` or `.amazonaws.com.cn`,
/// ignoring ASCII case: the suffixes [`family_of`] strips.
fn is_aws_host(token: &[u8]) -> bool {
    [&b".amazonaws.com"[..], b".amazonaws.com.cn"]
        .iter()
        .any(|suffix| {
            token.len() >= suffix.len()
                && token[token.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        })
}

fn family_of(host: &str) -> Option<&'static str> {
    let base = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    let qualified = format!("{base}.amazonaws.com");
    // An SQS queue URL's host is regional (sqs.<region>.amazonaws.com) and is
    // only resource-specific with a path, which the tokenizer has cut off;
    // leave queue URLs to a later rule rather than flag every SDK endpoint.
    FAMILIES
        .iter()
        .find(|(label, _)| {
            qualified.ends_with(label) || (label.ends_with('.') && qualified.contains(label))
        })
        // A bare service endpoint ("rds.amazonaws.com") names no resource.
        .filter(|_| base.contains('.'))
        .map(|(_, family)| *family)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::Findings;
    use serde_json::json;

    fn instance(user_data: serde_json::Value, unknown: &[&str]) -> Resource {
        Resource {
            id: "i-1".into(),
            kind: "aws_instance".into(),
            account: None,
            region: None,
            attributes: json!({ "user_data": user_data }).into(),
            unknown: unknown.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn finds_rds_and_cache_endpoints_once_each() {
        let script = "#!/bin/bash\nexport DB=shop-db.c9akciq32.eu-west-1.rds.amazonaws.com:5432\n\
                      export DB2=shop-db.c9akciq32.eu-west-1.rds.amazonaws.com\n\
                      redis-cli -h sessions.abc123.0001.euw1.cache.amazonaws.com ping\n";
        let found = find_endpoints(script);
        assert_eq!(
            found,
            vec![
                (
                    "shop-db.c9akciq32.eu-west-1.rds.amazonaws.com".to_owned(),
                    "RDS"
                ),
                (
                    "sessions.abc123.0001.euw1.cache.amazonaws.com".to_owned(),
                    "ElastiCache"
                ),
            ]
        );
    }

    #[test]
    fn hosts_are_matched_without_regard_to_case_and_dots() {
        assert_eq!(
            find_endpoints("curl https://..Shop-DB.C9.EU-WEST-1.RDS.AmazonAWS.com.:5432/x"),
            vec![("shop-db.c9.eu-west-1.rds.amazonaws.com".to_owned(), "RDS")]
        );
        assert_eq!(
            find_endpoints("h=caf\u{e9}.x.cn-north-1.ES.amazonaws.com.CN"),
            vec![("x.cn-north-1.es.amazonaws.com.cn".to_owned(), "OpenSearch")]
        );
        assert!(find_endpoints("amazonaws.com .amazonaws.com x.amazonaws.co").is_empty());
    }

    #[test]
    fn reads_the_same_tokens_as_a_split_on_chars() {
        // The reference: every token lowercased and judged.
        let by_token = |text: &str| {
            let mut found: Vec<(String, &'static str)> = Vec::new();
            let is_host_char = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
            for token in text.split(|c: char| !is_host_char(c)) {
                let host = token.trim_matches('.').to_ascii_lowercase();
                if let Some(family) = family_of(&host)
                    && !found.iter().any(|(h, _)| *h == host)
                {
                    found.push((host, family));
                }
            }
            found
        };
        for text in [
            "",
            "amazonaws",
            "x.rds.amazonaws.com.amazonaws.com y.rds.AMAZONAWS.com",
            "a.rds.amazonaws.comb.rds.amazonaws.com",
            "z.rds.amazonaws.com/z.rds.amazonaws.com:1 Z.RDS.AMAZONAWS.COM",
            "\u{e9}q.kafka.eu-west-1.amazonaws.com\u{e9}amazonaws.com.cn",
            "x.es.amazonaws.com.cn. x.mq.amazonaws.zz amazonawz.com",
        ] {
            assert_eq!(find_endpoints(text), by_token(text), "{text:?}");
        }
    }

    #[test]
    fn api_endpoints_and_plain_text_pass() {
        assert!(
            find_endpoints(
                "aws s3 cp s3://bucket/x . --endpoint-url https://s3.eu-west-1.amazonaws.com"
            )
            .is_empty()
        );
        assert!(find_endpoints("rds.amazonaws.com").is_empty());
        assert!(find_endpoints("echo hello").is_empty());
        assert_eq!(
            find_endpoints("https://abc123.execute-api.us-east-1.amazonaws.com/prod").len(),
            1
        );
    }

    #[test]
    fn verdicts() {
        let mut f = Findings::default();
        check(
            0,
            &instance(
                json!("curl internal-api-123.eu-west-1.elb.amazonaws.com"),
                &[],
            ),
            &mut f,
        );
        check(1, &instance(json!("echo ok"), &[]), &mut f);
        check(
            2,
            &instance(serde_json::Value::Null, &["/user_data"]),
            &mut f,
        );
        check(3, &instance(serde_json::Value::Null, &[]), &mut f);
        assert_eq!(
            f.verdicts(),
            vec![
                (USER_DATA_ENDPOINTS, 0, "fail"),
                (USER_DATA_ENDPOINTS, 2, "unknown")
            ]
        );
    }
}
