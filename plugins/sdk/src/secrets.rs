//! Secrets written in text a resource carries (user data, environment
//! variables): private keys, AWS access key ids and literal values assigned
//! to secret-like names. Each is described masked, never in full.

use crate::mask::mask;

/// Secrets in `text`, each described with its line and a masked value.
pub fn find_secrets(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    // A line can only hold what the whole text holds: one search of the
    // text rules out private keys and access key ids on every line of most
    // scripts (a line never holds a line break, so none is missed).
    let may_hold_key = text.contains("PRIVATE KEY-----");
    let may_hold_key_id = text.contains("AKIA") || text.contains("ASIA");
    let may_assign = first_secret_name(text).is_some();
    if !(may_hold_key || may_hold_key_id || may_assign) {
        return found;
    }
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if may_hold_key && line.contains("PRIVATE KEY-----") && line.contains("-----BEGIN") {
            found.push(format!("a private key (line {line_no})"));
            continue;
        }
        if may_hold_key_id {
            access_key_ids(line, line_no, &mut found);
        }
        if may_assign && let Some((key, value)) = assignment(line) {
            found.push(format!("{key} = {} (line {line_no})", mask(value, 2)));
        }
    }
    found
}

/// Pushes each AWS access key id of `line`, masked.
fn access_key_ids(line: &str, line_no: usize, found: &mut Vec<String>) {
    for token in line.split(|c: char| !c.is_ascii_alphanumeric()) {
        if is_access_key_id(token) {
            found.push(format!(
                "AWS access key id {} (line {line_no})",
                mask(token, 4)
            ));
        }
    }
}

fn is_access_key_id(token: &str) -> bool {
    token.len() == 20
        && (token.starts_with("AKIA") || token.starts_with("ASIA"))
        && token
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Names that hold a secret when assigned a literal.
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "secret_access_key",
    "secret_key",
    "client_secret",
    "api_key",
    "apikey",
    "auth_token",
    "access_token",
    "private_key",
];

/// `NAME=value`, `NAME: value` or `--NAME value` where NAME contains a
/// secret-like name and the value is a literal (not `$VAR`, `$(...)`, a
/// template placeholder, or a lookup). Returns the name and the value.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let name_at = first_secret_name(line)?;
    // The name runs from the last separator before the match to the operator.
    let start = line[..name_at]
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let rest = &line[start..];
    let op = rest.find(['=', ':', ' '])?;
    // `NAME value` only counts for a command-line flag (`--password value`);
    // in prose ("# the password itself is fetched") a space separates words.
    if rest.as_bytes()[op] == b' ' && !rest.starts_with("--") {
        return None;
    }
    let key = rest[..op].trim_start_matches('-');
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    let value = rest[op + 1..]
        .trim_start_matches(['=', ':', ' '])
        .split_whitespace()
        .next()?
        .trim_matches(['"', '\'', ';', ',']);
    let placeholder = value.starts_with('$')
        || value.starts_with('{')
        || value.starts_with('<')
        || value.starts_with('`')
        || value.starts_with("arn:")
        || value.starts_with("ssm:")
        || is_parameter_path(value)
        || value.eq_ignore_ascii_case("null")
        || value.eq_ignore_ascii_case("none")
        || value.eq_ignore_ascii_case("changeme");
    (value.len() >= 6 && !placeholder).then_some((key, value))
}

/// A Parameter Store or Secrets Manager name given as a path
/// (`/prod/db/password`): where the secret lives, not the secret. Two or
/// more segments of the characters those names allow, and no trailing `/`.
fn is_parameter_path(value: &str) -> bool {
    let Some(path) = value.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = path.split('/').collect();
    segments.len() >= 2
        && segments.iter().all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        })
}

/// Where the first secret-like name starts in `line`, ignoring ASCII case:
/// the least position any of [`SECRET_NAMES`] is found at.
///
/// Every line of every script is searched, so this is one pass that tests
/// only the names that start with the byte at hand, and gives up on a name
/// at its first differing byte, instead of a lowercased copy of the line
/// searched once per name.
fn first_secret_name(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| {
        // One bit per name that starts with this byte, lowest first.
        let mut names = NAMES_BY_FIRST_BYTE[usize::from(bytes[i])];
        while names != 0 {
            let n = names.trailing_zeros() as usize;
            names &= names - 1;
            if SECRET_NAMES
                .get(n)
                .is_some_and(|name| starts_with_name(&bytes[i..], name))
            {
                return true;
            }
        }
        false
    })
}

/// Whether `text` starts with `name` (lowercase ASCII), ignoring ASCII case.
fn starts_with_name(text: &[u8], name: &str) -> bool {
    text.len() >= name.len()
        && text
            .iter()
            .zip(name.as_bytes())
            .all(|(t, n)| t.to_ascii_lowercase() == *n)
}

/// For each byte, the [`SECRET_NAMES`] (bit `n` for the `n`th) that start
/// with it in either case; 0 for most bytes. (A seventeenth name would not
/// fit: the table would then fail to compile, not go wrong.)
static NAMES_BY_FIRST_BYTE: [u16; 256] = names_by_first_byte();

const fn names_by_first_byte() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut n = 0;
    while n < SECRET_NAMES.len() {
        let first = SECRET_NAMES[n].as_bytes()[0];
        table[first.to_ascii_lowercase() as usize] |= 1 << n;
        table[first.to_ascii_uppercase() as usize] |= 1 << n;
        n += 1;
    }
    table
}

/// Secrets in environment variables (`NAME` → value), each described with
/// the variable's name and a masked value. A value that only repeats its
/// variable's name (`DB_PASSWORD=DB_PASSWORD`) is a placeholder.
pub fn in_variables<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut found = Vec::new();
    for (name, value) in vars {
        if value.trim().eq_ignore_ascii_case(name.trim()) {
            continue;
        }
        // One line, so that a private key's BEGIN and END meet on it.
        let line = format!("{name}={}", value.replace(['\n', '\r'], " "));
        for secret in find_secrets(&line) {
            let what = secret.trim_end_matches(" (line 1)");
            found.push(format!("variable {name}: {what}"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_masks_secrets() {
        let script = "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
                      export DB_PASSWORD='Sup3rS3cret!'\n-----BEGIN RSA PRIVATE KEY-----\n\
                      export API_KEY=$(aws ssm get-parameter --name k)\nPASSWORD=${DB_PASS}\n";
        let found = find_secrets(script);
        assert_eq!(found.len(), 3, "{found:?}");
        let all = found.join(" ");
        assert!(
            !all.contains("IOSFODNN7EXAMPLE") && !all.contains("Sup3rS3cret"),
            "{all}"
        );
        assert!(all.contains("AKIA********"), "{all}");
        assert!(all.contains("DB_PASSWORD"), "{all}");
        assert!(find_secrets("echo hello\nmysql --password=$PW").is_empty());
        assert!(find_secrets("# The password itself is fetched at start-up").is_empty());
        // A parameter path names where the secret is kept.
        assert!(find_secrets("DB_PASSWORD_PARAM=/prod/db/password").is_empty());
        assert!(in_variables([("DB_PASSWORD", "/prod/orders/db-password")]).is_empty());
        // A value that merely starts with `/` is still a literal.
        assert_eq!(find_secrets("DB_PASSWORD=/Sup3r$ecret!").len(), 1);
        assert_eq!(find_secrets("DB_PASSWORD=/hunter2hunter2").len(), 1);
        assert_eq!(
            find_secrets("mysql --password hunter2hunter2 -e 'select 1'").len(),
            1
        );
    }

    #[test]
    fn secret_names_are_found_at_their_first_position_in_any_case() {
        // The reference: the line lowercased, searched once per name.
        let by_name = |line: &str| {
            let lower = line.to_ascii_lowercase();
            SECRET_NAMES.iter().filter_map(|n| lower.find(n)).min()
        };
        for line in [
            "",
            "echo 'configure step 3' >> /var/log/boot.log",
            "export DB_PASSWORD=x",
            "MY_SECRET_KEY_AND_PASSWD=1",
            "apikeyapi_key",
            "ClIeNt_SeCrEt: abc",
            "pass passw passwd",
            "caf\u{e9} Auth_Token=\u{e9}t\u{e9}",
            "private_ke",
            "access_tokenpassword",
        ] {
            assert_eq!(first_secret_name(line), by_name(line), "{line:?}");
        }
    }

    #[test]
    fn variables_are_searched_one_by_one_and_masked() {
        let found = in_variables([
            ("DB_PASSWORD", "Sup3rS3cret!"),
            ("SECRET_KEY", "SECRET_KEY"),
            ("KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            (
                "TLS",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
            ),
            ("HOST", "db.internal"),
        ]);
        assert_eq!(found.len(), 3, "{found:?}");
        let all = found.join(" ");
        assert!(
            !all.contains("Sup3rS3cret") && !all.contains("IOSFODNN7"),
            "{all}"
        );
        assert!(
            all.contains("variable DB_PASSWORD: DB_PASSWORD = Su"),
            "{all}"
        );
        assert!(
            all.contains("variable KEY_ID: AWS access key id AKIA"),
            "{all}"
        );
        assert!(all.contains("variable TLS: a private key"), "{all}");
        assert!(!all.contains("line"), "{all}");
    }
}
