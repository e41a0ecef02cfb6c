//! What one unit of collection produces: resources and gaps, with the scope
//! (account, region, partition) they belong to.

use pillar_snapshot::{Gap, Resource};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::gap::Failure;
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

/// A resource being assembled: attributes that failed to read are written
/// as `null`, listed in `unknown`, and each adds a gap naming the resource.
pub(crate) struct Draft<'a> {
    scope: &'a Scope,
    kind: &'static str,
    pub id: String,
    pub attrs: Map<String, Value>,
    unknown: Vec<String>,
    gaps: Vec<Gap>,
}

impl<'a> Draft<'a> {
    pub(crate) fn new(
        scope: &'a Scope,
        kind: &'static str,
        id: String,
        attrs: Map<String, Value>,
    ) -> Self {
        Draft {
            scope,
            kind,
            id,
            attrs,
            unknown: Vec::new(),
            gaps: Vec::new(),
        }
    }

    /// Sets a top-level attribute from a read, or records why it is unknown.
    pub(crate) fn set(&mut self, name: &str, operation: &str, value: Result<Value, Failure>) {
        match value {
            Ok(v) => {
                self.attrs.insert(name.into(), v);
            }
            Err(f) => {
                self.attrs.insert(name.into(), Value::Null);
                self.failed(&format!("/{name}"), operation, &f);
            }
        }
    }

    /// Marks `pointer` unknown because `operation` failed.
    pub(crate) fn failed(&mut self, pointer: &str, operation: &str, failure: &Failure) {
        self.unknown(pointer);
        self.gaps
            .push(failure.gap(self.scope, operation, self.kind, Some(&self.id)));
    }

    /// Marks `pointer` unknown without a gap (the value is undecodable, or
    /// the gap is recorded elsewhere).
    pub(crate) fn unknown(&mut self, pointer: &str) {
        self.unknown.push(pointer.to_owned());
    }

    pub(crate) fn finish(self) -> (Resource, Vec<Gap>) {
        let mut r = self.scope.resource(self.kind, self.id, self.attrs);
        r.unknown = self.unknown;
        (r, self.gaps)
    }
}

impl Part {
    pub(crate) fn add(&mut self, items: impl IntoIterator<Item = (Resource, Vec<Gap>)>) {
        for (r, gaps) in items {
            self.resources.push(r);
            self.gaps.extend(gaps);
        }
    }
}

impl Part {
    /// A listing's result, or `None` after recording why the resources of
    /// `kind` could not be read at all.
    pub(crate) fn listed<T, E>(
        &mut self,
        result: Result<T, SdkError<E, Response>>,
        scope: &Scope,
        operation: &str,
        kind: &str,
    ) -> Option<T>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        self.listed_for(result, scope, operation, &[kind])
    }

    /// As [`Part::listed`], for a listing that several kinds are built
    /// from (a service's resources and its live-only region summary): a
    /// failure is a gap for each.
    pub(crate) fn listed_for<T, E>(
        &mut self,
        result: Result<T, SdkError<E, Response>>,
        scope: &Scope,
        operation: &str,
        kinds: &[&str],
    ) -> Option<T>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                let failure = Failure::of(&e);
                for kind in kinds {
                    self.gaps.push(failure.gap(scope, operation, kind, None));
                }
                None
            }
        }
    }
}
