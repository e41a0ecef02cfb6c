//! Rules that want one setting on: a boolean (encryption, deletion
//! protection, failover) or a number above zero (backup retention). The
//! verdict is the same shape everywhere: fail when off, unknown when the
//! value is not known, nothing when on.

use crate::{Attr, Resource, Sink};

/// One setting a rule requires.
pub struct Required<'a> {
    pub rule: &'a str,
    /// JSON pointer to the value.
    pub pointer: &'a str,
    /// What the failure says, after the resource's name ("encryption at
    /// rest is off").
    pub off: &'a str,
    /// What the unknown verdict names ("whether encryption at rest is on").
    pub what: &'a str,
}

impl Required<'_> {
    /// A boolean that must be true; `default` is the provider's value when
    /// the attribute is absent.
    pub fn flag(&self, i: usize, r: &Resource, default: bool, out: &mut dyn Sink) {
        match r.flag(self.pointer, default) {
            Some(true) => {}
            Some(false) => self.fail(i, r, self.off.to_owned(), out),
            None => self.unknown(i, r, out),
        }
    }

    /// A count that must be above zero; absent is zero.
    pub fn positive(&self, i: usize, r: &Resource, out: &mut dyn Sink) {
        match r.attr(self.pointer) {
            Attr::Unknown => self.unknown(i, r, out),
            Attr::Absent => self.fail(i, r, self.off.to_owned(), out),
            Attr::Known(v) => match crate::checks::as_i64(v) {
                Some(n) if n > 0 => {}
                Some(_) => self.fail(i, r, self.off.to_owned(), out),
                None => self.unknown(i, r, out),
            },
        }
    }

    pub fn fail(&self, i: usize, r: &Resource, message: String, out: &mut dyn Sink) {
        out.fail(
            self.rule,
            i,
            format!("{}: {message}", r.display_name()),
            Some(self.pointer.into()),
        );
    }

    pub fn unknown(&self, i: usize, r: &Resource, out: &mut dyn Sink) {
        out.unknown(
            self.rule,
            i,
            format!("{}: {} is not known", r.display_name(), self.what),
            Some(self.pointer.into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Findings;
    use crate::testing::{resource, verdicts_of};
    use serde_json::json;

    #[test]
    fn flags_and_counts() {
        let req = Required {
            rule: "R",
            pointer: "/on",
            off: "off",
            what: "whether it is on",
        };
        let batch = [
            resource("k", json!({"on": true}), &[]),
            resource("k", json!({"on": false}), &[]),
            resource("k", json!({}), &[]),
            resource("k", json!({"on": null}), &["/on"]),
        ];
        let mut f = Findings::default();
        for (i, r) in batch.iter().enumerate() {
            req.flag(i, r, false, &mut f);
        }
        assert_eq!(
            verdicts_of(&f, "R"),
            vec![(1, "fail"), (2, "fail"), (3, "unknown")]
        );
        let counts = [
            resource("k", json!({"on": 7}), &[]),
            resource("k", json!({"on": 0}), &[]),
            resource("k", json!({}), &[]),
            resource("k", json!({"on": null}), &["/on"]),
        ];
        let mut f = Findings::default();
        for (i, r) in counts.iter().enumerate() {
            req.positive(i, r, &mut f);
        }
        assert_eq!(
            verdicts_of(&f, "R"),
            vec![(1, "fail"), (2, "fail"), (3, "unknown")]
        );
    }
}
