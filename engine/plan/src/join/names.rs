//! Arguments that name another resource of the same plan, unknown in the
//! plan only because the name is computed there: `s3_bucket_name =
//! aws_s3_bucket.trail.id` is unknown until apply, yet the bucket's `id`
//! is its `bucket`, which the plan knows. Such an argument takes the
//! referenced resource's known name, so that the host can find the
//! resource it names (`aws_cloudtrail.s3_bucket`, derived by name) in a
//! plan as in a live account.
//!
//! Only references are followed: an argument whose value is an expression
//! over several resources, or that refers to none of the listed kinds,
//! stays unknown.

use super::Kinds;
use super::read::{declared, resolved_name, unknown_at};
use crate::pointer::{clear, escape};
use crate::world::World;

/// (resource type, argument, the kinds it names, their name attribute).
const NAMED_BY_REFERENCE: &[(&str, &str, Kinds, &str)] = &[(
    "aws_cloudtrail",
    "s3_bucket_name",
    &["aws_s3_bucket"],
    "bucket",
)];

/// Resolves every [`NAMED_BY_REFERENCE`] argument that is unknown but
/// refers to one resource whose name is known. Runs before the joins
/// forget the configuration's names.
pub(super) fn resolve(w: &mut World) {
    let mut resolved = Vec::new();
    for i in 0..w.planned.len() {
        for (tf_type, arg, kinds, name_attr) in NAMED_BY_REFERENCE {
            if w.planned[i].tf_type != *tf_type || !unknown_at(w, i, arg) || !declared(w, i, arg) {
                continue;
            }
            let mut still_unknown = Vec::new();
            let name = resolved_name(w, i, arg, kinds, name_attr, &mut still_unknown, "");
            if still_unknown.is_empty() && !name.is_null() {
                resolved.push((i, *arg, name));
            }
        }
    }
    for (i, arg, name) in resolved {
        let p = &mut w.planned[i];
        clear(&mut p.unknown, &format!("/{}", escape(arg)));
        p.attrs.insert(arg.to_owned(), name);
    }
}
