//! The fifteen events CIS AWS Foundations (v1.4–v3.0, section 4,
//! "Monitoring") wants a metric filter and an alarm for: one row per rule,
//! with the filter pattern CIS publishes. A pattern covers an event when it
//! holds every term of that pattern except the narrowing ones
//! ([`NARROWING`]), in any order and grouping (`pattern.rs`).

use crate::pattern::{Term, terms};

/// One CIS event: the rule that asks for it.
pub struct Event {
    pub rule: &'static str,
    /// CIS AWS Foundations control number (v1.4–v3.0).
    pub cis: &'static str,
    /// What is watched, for messages: "unauthorized API calls".
    pub what: &'static str,
    /// The filter pattern CIS publishes.
    pub pattern: &'static str,
}

/// Fields whose terms only narrow what CIS's pattern matches (the event's
/// service, events AWS makes on a user's behalf): a pattern without them
/// still catches every event CIS means, so they are not required.
pub const NARROWING: &[&str] = &[
    "$.eventSource",
    "$.userIdentity.invokedBy",
    "$.eventType",
    "$.sourceIPAddress",
];

impl Event {
    /// The terms a pattern must hold to cover the event.
    pub fn required(&self) -> Vec<Term> {
        terms(self.pattern)
            .into_iter()
            .filter(|t| !NARROWING.contains(&t.field.as_str()))
            .collect()
    }

    /// Whether a filter pattern covers the event.
    pub fn covered_by(&self, pattern: &str) -> bool {
        let have = terms(pattern);
        self.required().iter().all(|t| have.contains(t))
    }
}

pub const EVENTS: &[Event] = &[
    Event {
        rule: "PILLAR-CW-001",
        cis: "4.1",
        what: "unauthorized API calls",
        pattern: r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    },
    Event {
        rule: "PILLAR-CW-002",
        cis: "4.2",
        what: "console sign-in without MFA",
        pattern: r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    },
    Event {
        rule: "PILLAR-CW-003",
        cis: "4.3",
        what: "use of the root user",
        pattern: r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    },
    Event {
        rule: "PILLAR-CW-004",
        cis: "4.4",
        what: "IAM policy changes",
        pattern: "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
    },
    Event {
        rule: "PILLAR-CW-005",
        cis: "4.5",
        what: "CloudTrail configuration changes",
        pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    },
    Event {
        rule: "PILLAR-CW-006",
        cis: "4.6",
        what: "console authentication failures",
        pattern: r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    },
    Event {
        rule: "PILLAR-CW-007",
        cis: "4.7",
        what: "disabling or scheduled deletion of customer-managed KMS keys",
        pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    },
    Event {
        rule: "PILLAR-CW-008",
        cis: "4.8",
        what: "S3 bucket policy changes",
        pattern: "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    },
    Event {
        rule: "PILLAR-CW-009",
        cis: "4.9",
        what: "AWS Config configuration changes",
        pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    },
    Event {
        rule: "PILLAR-CW-010",
        cis: "4.10",
        what: "security group changes",
        pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    },
    Event {
        rule: "PILLAR-CW-011",
        cis: "4.11",
        what: "network ACL changes",
        pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    },
    Event {
        rule: "PILLAR-CW-012",
        cis: "4.12",
        what: "network gateway changes",
        pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    },
    Event {
        rule: "PILLAR-CW-013",
        cis: "4.13",
        what: "route table changes",
        pattern: "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    },
    Event {
        rule: "PILLAR-CW-014",
        cis: "4.14",
        what: "VPC changes",
        pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    },
    Event {
        rule: "PILLAR-CW-015",
        cis: "4.15",
        what: "AWS Organizations changes",
        pattern: r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cis_pattern_covers_its_own_event_and_no_other() {
        for e in EVENTS {
            assert!(!e.required().is_empty(), "{}", e.rule);
            for other in EVENTS {
                assert_eq!(
                    other.covered_by(e.pattern),
                    other.rule == e.rule,
                    "{} pattern judged for {}",
                    e.rule,
                    other.rule
                );
            }
        }
    }

    #[test]
    fn equivalent_patterns_cover_and_partial_ones_do_not() {
        let trail = &EVENTS[4];
        assert!(trail.covered_by(
            r#"{$.eventName="StopLogging"||$.eventName=DeleteTrail||$.eventName=UpdateTrail||$.eventName=CreateTrail||$.eventName=StartLogging||$.eventName=PutEventSelectors}"#
        ));
        assert!(
            !trail.covered_by("{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }")
        );
        // Without the narrowing term, and with CIS v1.4's extra exclusions.
        let kms = &EVENTS[6];
        assert!(
            kms.covered_by("{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) }")
        );
        let unauthorized = &EVENTS[0];
        assert!(unauthorized.covered_by(
            r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }"#
        ));
        // Values are case-sensitive, as CloudWatch Logs compares them.
        assert!(!EVENTS[2].covered_by(r#"{ $.userIdentity.type = "root" }"#));
        assert!(EVENTS[2].covered_by(r#"{ $.userIdentity.type = "Root" }"#));
    }
}
