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
    /// An explicit list of accounts (`--accounts FILE` or `[[account]]` in
    /// pillar.toml, after `--shard`). `Some` replaces `assume_roles` and the
    /// caller's account, and may be empty (a shard with no account): then
    /// nothing is read and nothing fails.
    pub accounts: Option<Vec<Account>>,
    /// Accounts collected at the same time.
    pub parallel_accounts: usize,
    /// Per-resource calls in flight across all accounts together: the
    /// global budget every account's collectors draw from.
    pub max_calls: usize,
}

/// One account of an accounts list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The 12-digit account id: the shard key, the label, and what
    /// sts:GetCallerIdentity must answer once the role is assumed.
    pub id: String,
    /// A label for people.
    pub name: Option<String>,
    /// The role to assume; without it, the caller's own credentials must
    /// already be in this account.
    pub role_arn: Option<String>,
    /// External id for this account's role (else `Options::external_id`).
    pub external_id: Option<String>,
    /// Regions for this account (else `Options::regions`).
    pub regions: Vec<String>,
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
            accounts: None,
            parallel_accounts: 4,
            max_calls: 32,
        }
    }
}

/// One account to read: the caller's own, or through a role, perhaps
/// with the id it must turn out to be.
#[derive(Debug, Clone, Default)]
pub(crate) struct Target {
    pub role: Option<String>,
    pub external_id: Option<String>,
    /// The account id the identity must match (from an accounts list).
    pub expected: Option<String>,
    pub name: Option<String>,
    /// Regions for this account; `None` means `Options::regions`.
    pub regions: Option<Vec<String>>,
}

impl Target {
    /// How the account is named in progress and gaps.
    pub(crate) fn label(&self) -> String {
        match (&self.expected, &self.name, &self.role) {
            (Some(id), Some(name), _) => format!("account {id} ({name})"),
            (Some(id), None, _) => format!("account {id}"),
            (None, _, Some(arn)) => arn.clone(),
            (None, _, None) => "default credentials".into(),
        }
    }

    /// The account id, when known before any call: the expected id, else
    /// the one in the role's ARN (`arn:aws:iam::<account>:role/...`).
    pub(crate) fn account_hint(&self) -> Option<String> {
        self.expected.clone().or_else(|| {
            self.role
                .as_deref()
                .and_then(|arn| arn.split(':').nth(4))
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
        })
    }
}

impl Options {
    pub(crate) fn targets(&self) -> Vec<Target> {
        if let Some(accounts) = &self.accounts {
            return accounts
                .iter()
                .map(|a| Target {
                    role: a.role_arn.clone(),
                    external_id: a.external_id.clone().or_else(|| self.external_id.clone()),
                    expected: Some(a.id.clone()),
                    name: a.name.clone(),
                    regions: (!a.regions.is_empty()).then(|| a.regions.clone()),
                })
                .collect();
        }
        if self.assume_roles.is_empty() {
            vec![Target::default()]
        } else {
            self.assume_roles
                .iter()
                .map(|arn| Target {
                    role: Some(arn.clone()),
                    external_id: self.external_id.clone(),
                    ..Target::default()
                })
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
