//! PILLAR-EC2-004 (literal IP addresses) and PILLAR-EC2-007 (secrets) in the
//! user data of instances and launch templates. Messages mask what they find.

use pillar_rule_sdk::mask::mask_ipv4;
use pillar_rule_sdk::prelude::*;
pub use pillar_rule_sdk::secrets::find_secrets;

use crate::{USER_DATA_IPS, USER_DATA_SECRETS};

/// The user-data fields a resource may carry: the launch template's newest
/// version is read too when it differs from the default one.
const FIELDS: &[&str] = &["/user_data", "/latest_user_data"];

pub fn check(index: usize, r: &Resource, out: &mut dyn Sink) {
    let mut secrets = Vec::new();
    let mut ips = Vec::new();
    let mut unknown = None;
    let mut first_secret = None;
    let mut first_ip = None;
    for field in FIELDS {
        match r.text(field) {
            Err(()) => {
                unknown.get_or_insert(*field);
            }
            Ok(None) => {}
            Ok(Some(text)) => {
                let s = find_secrets(text);
                if !s.is_empty() {
                    first_secret.get_or_insert(*field);
                }
                secrets.extend(s);
                let i = find_ips(text);
                if !i.is_empty() {
                    first_ip.get_or_insert(*field);
                }
                ips.extend(i);
            }
        }
    }
    report(
        out,
        (USER_DATA_SECRETS, index),
        first_secret,
        unknown,
        |name| format!("{name}: user data contains {}", secrets.join("; ")),
        r,
    );
    report(
        out,
        (USER_DATA_IPS, index),
        first_ip,
        unknown,
        |name| format!("{name}: user data hardcodes {}", ips.join(", ")),
        r,
    );
}

/// Fail at `found`, else unknown at `unknown`, else pass. The message
/// takes the resource's name, looked up only for a finding.
fn report(
    out: &mut dyn Sink,
    (rule, index): (&str, usize),
    found: Option<&str>,
    unknown: Option<&str>,
    message: impl FnOnce(&str) -> String,
    r: &Resource,
) {
    if let Some(field) = found {
        out.fail(
            rule,
            index,
            message(r.display_name()),
            Some(field.to_owned()),
        );
    } else if let Some(field) = unknown {
        out.unknown(
            rule,
            index,
            format!(
                "{}: user data is not known (computed at apply, or not decodable)",
                r.display_name()
            ),
            Some(field.to_owned()),
        );
    }
}

/// Literal IPv4 addresses in `text` that name hosts (not CIDR ranges, the
/// loopback, link-local service addresses or masks), masked, with whether
/// each is private or public.
pub fn find_ips(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let in_run = |b: &u8| b.is_ascii_digit() || *b == b'.';
    // Bytes, not chars: digits, dots and '/' are ASCII, and no byte of a
    // multi-byte character is ASCII, so runs and their ends are the same.
    let mut end = 0;
    while let Some(s) = bytes[end..].iter().position(in_run).map(|p| end + p) {
        // The run of digits and dots is `s..end`; the byte after it, if
        // any, is at `end`.
        end = bytes[s..]
            .iter()
            .position(|b| !in_run(b))
            .map_or(bytes.len(), |p| s + p);
        let before = s.checked_sub(1).map(|b| bytes[b]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            || (bytes.get(end) == Some(&b'/') && is_prefix_length(&text[end + 1..]))
        {
            continue;
        }
        let token = text[s..end].trim_end_matches('.');
        let Some(octets) = ipv4(token) else { continue };
        let Some(class) = host_class(octets) else {
            continue;
        };
        let shown = format!("{class} IP {}", mask_ipv4(token));
        if !found.contains(&shown) {
            found.push(shown);
        }
    }
    found
}

/// `16` in `10.0.0.0/16`: one or two digits, then the end of the token.
fn is_prefix_length(after_slash: &str) -> bool {
    let digits = after_slash.bytes().take_while(u8::is_ascii_digit).count();
    let next = after_slash.as_bytes().get(digits);
    (1..=2).contains(&digits) && next.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'/'))
}

/// Exactly four dot-separated numbers of one to three digits, each 0-255.
/// Most runs of digits are not addresses, so nothing is collected.
fn ipv4(token: &str) -> Option<[u8; 4]> {
    let mut parts = token.split('.');
    let mut octets = [0u8; 4];
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 {
            return None;
        }
        *o = p.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

/// "private" or "public" for a host address; `None` for addresses that are
/// not endpoints worth reporting.
fn host_class(o: [u8; 4]) -> Option<&'static str> {
    match o {
        [0, ..] | [127, ..] | [169, 254, ..] | [255, ..] => None,
        [224..=239, ..] => None,
        [10, ..] | [192, 168, ..] => Some("private"),
        [172, b, ..] if (16..=31).contains(&b) => Some("private"),
        [100, b, ..] if (64..=127).contains(&b) => Some("private"),
        _ => Some("public"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::Findings;
    use pillar_rule_sdk::testing::resource;
    use serde_json::{Value, json};

    #[test]
    fn finds_the_ips_a_scan_of_chars_finds() {
        // The reference: every char looked at, runs collected as they end.
        let by_char = |text: &str| {
            let mut found: Vec<String> = Vec::new();
            let mut start = None;
            let ends = text.char_indices().chain([(text.len(), ' ')]);
            for (i, c) in ends {
                if c.is_ascii_digit() || c == '.' {
                    start.get_or_insert(i);
                    continue;
                }
                let Some(s) = start.take() else { continue };
                let before = s.checked_sub(1).map(|b| text.as_bytes()[b]);
                if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    || (c == '/' && is_prefix_length(&text[i + 1..]))
                {
                    continue;
                }
                let token = text[s..i].trim_end_matches('.');
                if let Some(class) = ipv4(token).and_then(host_class) {
                    let shown = format!("{class} IP {}", mask_ipv4(token));
                    if !found.contains(&shown) {
                        found.push(shown);
                    }
                }
            }
            found
        };
        for text in [
            "",
            "1.2.3.4",
            ".1.2.3.4.",
            "x1.2.3.4 -1.2.3.4 _1.2.3.4 /1.2.3.4 8.8.8.8/ 8.8.4.4/1 9.9.9.9/123",
            "10.0.0.1/8x 10.0.0.2/8/ 10.0.0.3/\u{e9} \u{e9}52.1.2.3\u{e9}",
            "1.2.3.4.5.6.7.8 1..2.3.4 01.02.03.04 001.2.3.4 1.2.3.4..",
        ] {
            assert_eq!(find_ips(text), by_char(text), "{text:?}");
        }
    }

    #[test]
    fn finds_host_ips_not_ranges() {
        let found = find_ips(
            "curl http://10.20.30.40:8080/x\nping 52.18.4.7\nroute add 10.0.0.0/16\n\
             curl http://10.20.30.40/health\n\
             curl 169.254.169.254/latest\nversion v1.2.3.4\n",
        );
        assert_eq!(found, vec!["private IP 10.20.x.x", "public IP 52.18.x.x"]);
        // Next to non-ASCII text, and ending the text.
        assert_eq!(
            find_ips("h\u{e9}=\u{e9}10.1.2.3\u{e9} 8.8.8.8"),
            vec!["private IP 10.1.x.x", "public IP 8.8.x.x"]
        );
        assert_eq!(
            find_ips("1.2.3 1.2.3.4.5 256.1.1.1 1.2.3.4/8 10.0.0.1/245"),
            vec!["private IP 10.0.x.x"]
        );
    }

    #[test]
    fn verdicts() {
        let mut f = Findings::default();
        let r = |ud: Value, unknown: &[&str]| {
            resource("aws_instance", json!({"user_data": ud}), unknown)
        };
        check(
            0,
            &r(json!("PASSWORD=hunter2hunter2\nDB=10.1.2.3"), &[]),
            &mut f,
        );
        check(1, &r(json!("echo ok"), &[]), &mut f);
        check(2, &r(Value::Null, &["/user_data"]), &mut f);
        assert_eq!(
            f.verdicts(),
            vec![
                (USER_DATA_SECRETS, 0, "fail"),
                (USER_DATA_IPS, 0, "fail"),
                (USER_DATA_SECRETS, 2, "unknown"),
                (USER_DATA_IPS, 2, "unknown"),
            ]
        );
    }
}
