//! Reading back what `pillar export security-hub` imported, through the
//! real aws-sdk-securityhub client (GetFindings, every page).

use crate::seed::{Result, clients_config};

/// One imported finding as Security Hub returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: String,
    pub generator_id: String,
    pub record_state: String,
    pub workflow: String,
    pub compliance: String,
    pub aws_account_id: String,
}

/// Every finding in the emulator's Security Hub in `region`.
pub async fn findings(endpoint: &str, region: &str) -> Result<Vec<Imported>> {
    let client = aws_sdk_securityhub::Client::new(&clients_config(endpoint, region).await);
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .get_findings()
            .max_results(100)
            .set_next_token(token.clone())
            .send()
            .await?;
        for f in page.findings() {
            out.push(Imported {
                id: f.id().unwrap_or_default().to_owned(),
                generator_id: f.generator_id().unwrap_or_default().to_owned(),
                record_state: f
                    .record_state()
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                workflow: f
                    .workflow()
                    .and_then(|w| w.status())
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                compliance: f
                    .compliance()
                    .and_then(|c| c.status())
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
                aws_account_id: f.aws_account_id().unwrap_or_default().to_owned(),
            });
        }
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            return Ok(out);
        }
    }
}
