//! What one unit of collection produces: resources and gaps, with the scope
//! (account, region, partition) they belong to.

use pillar_snapshot::{Gap, Resource};
use serde_json::{Map, Value};

/// Resources and gaps from one service in one region (or a global service).
#[derive(Debug, Default)]
pub(crate) struct Part {
    pub resources: Vec<Resource>,
    pub gaps: Vec<Gap>,
}

impl Part {
    pub(crate) fn from_gap(gap: Gap) -> Self {
        Part {
            resources: Vec::new(),
            gaps: vec![gap],
        }
    }

    pub(crate) fn merge(parts: impl IntoIterator<Item = Part>) -> Part {
        let mut all = Part::default();
        for p in parts {
            all.absorb(p);
        }
        all
    }

    pub(crate) fn absorb(&mut self, other: Part) {
        self.resources.extend(other.resources);
        self.gaps.extend(other.gaps);
    }
}

/// Where resources live: every resource and gap carries it.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub account: String,
    /// `None` for global services (IAM, the S3 account settings).
    pub region: Option<String>,
    /// `aws`, `aws-cn`, `aws-us-gov`: used to build ARNs.
    pub partition: String,
}

impl Scope {
    pub(crate) fn in_region(&self, region: &str) -> Scope {
        Scope {
            region: Some(region.to_owned()),
            ..self.clone()
        }
    }

    pub(crate) fn global(&self) -> Scope {
        Scope {
            region: None,
            ..self.clone()
        }
    }

    pub(crate) fn region_str(&self) -> &str {
        self.region.as_deref().unwrap_or("")
    }

    /// `arn:<partition>:<service>:<region>:<account>:<rest>`.
    pub(crate) fn arn(&self, service: &str, rest: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{rest}",
            self.partition,
            self.region_str(),
            self.account
        )
    }

    pub(crate) fn resource(
        &self,
        kind: &str,
        id: String,
        attributes: Map<String, Value>,
    ) -> Resource {
        Resource {
            id,
            kind: kind.to_owned(),
            account: Some(self.account.clone()),
            region: self.region.clone(),
            attributes,
            unknown: Vec::new(),
            location: None,
        }
    }
}
