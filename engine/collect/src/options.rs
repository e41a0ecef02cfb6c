//! What to collect and how: credentials, accounts, regions, manners.

use std::time::Duration;

/// Collection settings, filled from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Regions to read; empty means every region enabled for the account
    /// (`ec2:DescribeRegions`).
    pub regions: Vec<String>,
    /// A named profile from the shared AWS config files.
    pub profile: Option<String>,
    /// Roles to assume, one account each; empty means the caller's own
    /// account with the default credential chain.
    pub assume_roles: Vec<String>,
    /// External id passed when assuming roles.
    pub external_id: Option<String>,
    /// Session name for assumed roles (shows in CloudTrail).
    pub session_name: String,
    /// Endpoint override (moto, LocalStack, a VPC endpoint); S3 switches to
    /// path-style addressing when set.
    pub endpoint_url: Option<String>,
    /// Attempts per call, including the first (adaptive retry).
    pub max_attempts: u32,
    /// Time limit for one call including its retries.
    pub operation_timeout: Duration,
    /// Calls in flight at once per account and service (regions, buckets,
    /// users and instances are fanned out up to this bound).
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            regions: Vec::new(),
            profile: None,
            assume_roles: Vec::new(),
            external_id: None,
            session_name: "pillar-collect".into(),
            endpoint_url: None,
            max_attempts: 5,
            operation_timeout: Duration::from_secs(60),
            concurrency: 8,
        }
    }
}

/// One account to read: the caller's own, or a role to assume.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Caller,
    Role(String),
}

impl Target {
    pub(crate) fn label(&self) -> String {
        match self {
            Target::Caller => "default credentials".into(),
            Target::Role(arn) => arn.clone(),
        }
    }
}

impl Options {
    pub(crate) fn targets(&self) -> Vec<Target> {
        if self.assume_roles.is_empty() {
            vec![Target::Caller]
        } else {
            self.assume_roles
                .iter()
                .cloned()
                .map(Target::Role)
                .collect()
        }
    }

    /// The endpoint to use, from the flag or `AWS_ENDPOINT_URL`.
    pub(crate) fn endpoint(&self) -> Option<String> {
        self.endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .filter(|s| !s.trim().is_empty())
    }
}
