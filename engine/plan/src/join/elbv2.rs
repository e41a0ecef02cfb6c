//! ELBv2 and WAFv2: a web ACL association onto the load balancer it
//! protects, and a web ACL's logging configuration onto the web ACL.

use serde_json::{Value, json};

use super::read::{attr, unknown_at};
use super::{Join, Kinds, Plan, onto, set};
use crate::world::World;

/// `aws_alb` is the provider's older name for `aws_lb`: references may use
/// either.
const LOAD_BALANCER: Kinds = &["aws_lb", "aws_alb"];
const WEB_ACL: Kinds = &["aws_wafv2_web_acl"];

pub(super) const JOINS: &[Join] = &[
    ("aws_wafv2_web_acl_association", web_acl_association),
    (
        "aws_wafv2_web_acl_logging_configuration",
        logging_configuration,
    ),
];

/// `aws_lb.web_acl_arn`: the web ACL the association names (unknown while
/// the web ACL is being created: an association exists, which ACL does not
/// matter to the rules, but its ARN is not known).
fn web_acl_association(w: &World, i: usize) -> Option<Plan> {
    let (value, unknown) = if unknown_at(w, i, "web_acl_arn") {
        (Value::Null, vec![String::new()])
    } else {
        (attr(w, i, "web_acl_arn"), Vec::new())
    };
    Some(onto(
        "resource_arn",
        LOAD_BALANCER,
        set("web_acl_arn", value, unknown),
    ))
}

/// `aws_wafv2_web_acl.logging_configuration`: where the web ACL logs go.
fn logging_configuration(w: &World, i: usize) -> Option<Plan> {
    let unknown = if unknown_at(w, i, "log_destination_configs") {
        vec!["/log_destination_configs".to_owned()]
    } else {
        Vec::new()
    };
    let value = json!({"log_destination_configs": attr(w, i, "log_destination_configs")});
    Some(onto(
        "resource_arn",
        WEB_ACL,
        set("logging_configuration", value, unknown),
    ))
}
