//! Built-in SSM Parameter Store rule: a parameter whose name says it holds
//! a secret, stored as `String` or `StringList` rather than `SecureString`
//! (PILLAR-SSM-001). Only names and types are read; values never reach a
//! snapshot.

use pillar_rule_catalog as catalog;
use pillar_rule_sdk::prelude::*;

pub const PLAIN_SECRET: &str = "PILLAR-SSM-001";

pub struct SsmPack;

impl RulePack for SsmPack {
    fn info() -> PackInfo {
        catalog::pack_info("pillar-ssm", env!("CARGO_PKG_VERSION"))
    }

    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        match kind {
            "aws_ssm_parameter" => {
                let config = config::current();
                let words = config.strings(PLAIN_SECRET, "secret_words");
                for (i, p) in batch.iter().enumerate() {
                    plain_secret(i, p, &words, out);
                }
            }
            _ => return Err(EvalError::UnsupportedKind(kind.to_owned())),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(SsmPack);

/// The word of `words` the parameter's name contains, ignoring case and
/// the separators `_`, `-`, `.` and `/` (`DB_PASSWORD`, `db-password` and
/// `/app/dbPassword` all contain `password`).
fn secret_word<'a>(name: &str, words: &'a [String]) -> Option<&'a str> {
    let squashed: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | '/'))
        .flat_map(char::to_lowercase)
        .collect();
    words
        .iter()
        .map(String::as_str)
        .find(|w| squashed.contains(&w.replace(['_', '-'], "").to_lowercase()))
}

/// PILLAR-SSM-001.
fn plain_secret(i: usize, p: &Resource, words: &[String], out: &mut dyn Sink) {
    let name = match p.text("/name") {
        Ok(Some(n)) => n,
        Ok(None) => return,
        Err(()) => {
            return out.unknown(
                PLAIN_SECRET,
                i,
                format!("{}: the parameter's name is not known", p.display_name()),
                Some("/name".into()),
            );
        }
    };
    let Some(word) = secret_word(name, words) else {
        return;
    };
    match p.text("/type") {
        Ok(Some("SecureString")) => {}
        // `String` is the provider's and the API's default.
        Ok(Some(t)) => out.fail(
            PLAIN_SECRET,
            i,
            format!("{name}: the name says it holds a secret (\"{word}\") but it is stored as {t}, in plain text"),
            Some("/type".into()),
        ),
        Ok(None) => out.fail(
            PLAIN_SECRET,
            i,
            format!("{name}: the name says it holds a secret (\"{word}\") but it is stored as String, in plain text"),
            Some("/type".into()),
        ),
        Err(()) => out.unknown(
            PLAIN_SECRET,
            i,
            format!("{name}: the parameter's type is not known"),
            Some("/type".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillar_rule_sdk::testing::{resource, run, verdicts_of};
    use serde_json::{Value, json};

    #[test]
    fn secret_names_must_be_secure_strings() {
        let param = |name: &str, t: Value, unknown: &[&str]| {
            resource(
                "aws_ssm_parameter",
                json!({"name": name, "type": t}),
                unknown,
            )
        };
        let batch = [
            param("/app/DB_PASSWORD", json!("String"), &[]),
            param("/app/db-password", json!("SecureString"), &[]),
            param("/app/apiToken", json!("StringList"), &[]),
            param("/app/region", json!("String"), &[]),
            param("/app/private_key", Value::Null, &["/type"]),
        ];
        let f = run::<SsmPack>("aws_ssm_parameter", &batch, json!({}));
        assert_eq!(
            verdicts_of(&f, PLAIN_SECRET),
            vec![(0, "fail"), (2, "fail"), (4, "unknown")]
        );
    }
}
