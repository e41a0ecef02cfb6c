//! The credential report: when each user's password (and the root user's)
//! was last used, which no other IAM call tells.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::ReportStateType;

use crate::gap::Failure;
use crate::part::{Part, Scope};

/// The credential report's `password_last_used` per user name, with the
/// root user as `<root_account>`.
pub(super) type Report = HashMap<String, Option<String>>;

pub(super) async fn credential_report(
    client: &Client,
    scope: &Scope,
    part: &mut Part,
) -> Option<Report> {
    // Generation is asynchronous: ask until it is complete (a few seconds
    // on real accounts), then fetch.
    for attempt in 0..20 {
        match client.generate_credential_report().send().await {
            Ok(out) if out.state() == Some(&ReportStateType::Complete) => break,
            Ok(_) => tokio::time::sleep(Duration::from_millis(500 * (attempt + 1).min(4))).await,
            Err(e) => {
                part.gaps.push(Failure::of(&e).gap(
                    scope,
                    "iam:GenerateCredentialReport",
                    "aws_iam_user",
                    None,
                ));
                return None;
            }
        }
    }
    let out = match client.get_credential_report().send().await {
        Ok(o) => o,
        Err(e) => {
            part.gaps.push(Failure::of(&e).gap(
                scope,
                "iam:GetCredentialReport",
                "aws_iam_user",
                None,
            ));
            return None;
        }
    };
    let text =
        String::from_utf8_lossy(out.content().map(|b| b.as_ref()).unwrap_or_default()).into_owned();
    Some(parse_report(&text))
}

/// The report is a CSV without quoting (AWS documents its columns); we read
/// `user` and `password_last_used` by header name.
fn parse_report(text: &str) -> Report {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(user), Some(used)) = (col("user"), col("password_last_used")) else {
        return Report::new();
    };
    lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let name = cells.get(user)?.to_string();
            let when = cells
                .get(used)
                .filter(|v| v.contains('T') && v.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .map(|v| normalise_report_time(v));
            Some((name, when))
        })
        .collect()
}

/// `2024-01-01T10:00:00+00:00` → `2024-01-01T10:00:00Z`.
fn normalise_report_time(v: &str) -> String {
    v.strip_suffix("+00:00")
        .map(|s| format!("{s}Z"))
        .unwrap_or_else(|| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse_report;

    #[test]
    fn credential_report_columns_by_name() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used\n\
                   <root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00\n\
                   alice,arn:aws:iam::1:user/alice,2020-01-01T00:00:00+00:00,true,N/A\n\
                   bob,arn:aws:iam::1:user/bob,2020-01-01T00:00:00+00:00,false,no_information\n";
        let r = parse_report(csv);
        assert_eq!(r["<root_account>"].as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(r["alice"], None);
        assert_eq!(r["bob"], None);
    }
}
