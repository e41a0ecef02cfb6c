//! `pillar export security-hub`: a pillar JSON report sent to AWS Security
//! Hub as ASFF findings, through `BatchImportFindings`, 100 at a time.
//!
//! Every finding's fate is reported: a call that fails as a whole (access
//! denied, throttled past the retries, a network error) fails every
//! finding of its batch with that error; a call that succeeds can still
//! reject findings one by one (`FailedFindings`), and those are reported
//! with their Security Hub error code. Nothing is dropped without a word.

mod sdk;

use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::error::DisplayErrorContext;
use pillar_report::formats::ReportView;
use pillar_report::formats::asff::{self, AsffOptions};

pub use sdk::to_sdk;

/// Where and how to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Credentials, endpoint, retry and timeouts, as `pillar collect` takes
    /// them. Its first region (if any) is the Security Hub region.
    pub aws: pillar_collect::Options,
    /// The account whose custom-integration product the findings are
    /// imported through; default: the caller's (`sts:GetCallerIdentity`).
    pub product_account: Option<String>,
}

/// A finding Security Hub did not import, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub id: String,
    pub code: String,
    pub message: String,
}

/// What an export did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub region: String,
    pub product_arn_account: String,
    pub sent: usize,
    pub imported: usize,
    /// Of the findings sent, those fixed since the baseline (sent ARCHIVED).
    pub archived: usize,
    pub batches: usize,
    pub failed: Vec<Failed>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("AWS credentials: {0}")]
    Credentials(String),
    #[error("no AWS region: pass --region or set one in the profile or AWS_REGION")]
    NoRegion,
    #[error(transparent)]
    Format(#[from] pillar_report::formats::FormatError),
    #[error("finding {id} cannot be sent: {message}")]
    Convert { id: String, message: String },
}

/// Sends the report's findings (and the baseline's fixed findings,
/// ARCHIVED) to Security Hub.
pub fn export(view: &ReportView, options: &ExportOptions) -> Result<Outcome, ExportError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ExportError::Runtime)?;
    runtime.block_on(export_async(view, options))
}

async fn export_async(view: &ReportView, options: &ExportOptions) -> Result<Outcome, ExportError> {
    let region = options.aws.regions.first().cloned();
    let mut config = pillar_collect::client_config(&options.aws)
        .await
        .map_err(ExportError::Credentials)?;
    if let Some(region) = region {
        config = config
            .to_builder()
            .region(aws_config::Region::new(region))
            .build();
    }
    let region = config
        .region()
        .map(|r| r.to_string())
        .ok_or(ExportError::NoRegion)?;
    let account = match &options.product_account {
        Some(a) => a.clone(),
        None => {
            pillar_collect::caller_identity(&config)
                .await
                .map_err(ExportError::Credentials)?
                .0
        }
    };
    let findings = asff::asff_findings(
        view,
        &AsffOptions {
            region: Some(region.clone()),
            account: Some(account.clone()),
        },
    )?;
    let client = Client::new(&config);
    let mut outcome = Outcome {
        region,
        product_arn_account: account,
        archived: findings
            .iter()
            .filter(|f| f["RecordState"] == "ARCHIVED")
            .count(),
        ..Outcome::default()
    };
    for chunk in findings.chunks(asff::BATCH_SIZE) {
        let batch = chunk
            .iter()
            .map(|f| {
                to_sdk(f).map_err(|message| ExportError::Convert {
                    id: f["Id"].as_str().unwrap_or("?").to_owned(),
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        outcome.batches += 1;
        outcome.sent += batch.len();
        let ids: Vec<String> = batch
            .iter()
            .filter_map(|f| f.id().map(str::to_owned))
            .collect();
        match client
            .batch_import_findings()
            .set_findings(Some(batch))
            .send()
            .await
        {
            Ok(out) => {
                let failed: Vec<Failed> = out
                    .failed_findings()
                    .iter()
                    .map(|e| Failed {
                        id: e.id().unwrap_or("?").to_owned(),
                        code: e.error_code().unwrap_or("unknown").to_owned(),
                        message: e.error_message().unwrap_or_default().to_owned(),
                    })
                    .collect();
                outcome.imported += ids.len() - failed.len().min(ids.len());
                outcome.failed.extend(failed);
            }
            Err(e) => {
                let code = e
                    .as_service_error()
                    .and_then(|s| aws_sdk_securityhub::error::ProvideErrorMetadata::code(s))
                    .unwrap_or("call-failed")
                    .to_owned();
                let message = DisplayErrorContext(&e).to_string();
                outcome.failed.extend(ids.into_iter().map(|id| Failed {
                    id,
                    code: code.clone(),
                    message: message.clone(),
                }));
            }
        }
    }
    Ok(outcome)
}
