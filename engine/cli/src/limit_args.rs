//! Sandbox limits beyond time and memory, as command-line flags. The
//! defaults are `pillar_evaluate::Limits::default()`; docs/sandbox.md
//! explains each.

use std::time::Duration;

use clap::Args;
use pillar_evaluate::Limits;

#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Resources per evaluate call.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub plugin_batch_size: usize,
    /// Bytes (MiB) a pack may make the host copy out of it in one call.
    #[arg(long, value_name = "MIB", default_value_t = 8)]
    pub plugin_transfer_mb: usize,
    /// Findings per call, per resource and rule of the batch.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub plugin_findings_per_resource: usize,
    /// Bytes (KiB) of log messages per call.
    #[arg(long, value_name = "KIB", default_value_t = 64)]
    pub plugin_log_kb: usize,
}

impl LimitArgs {
    /// The limits for a host, with the time and memory flags that predate these.
    pub fn limits(&self, timeout_ms: u64, memory_mb: usize) -> Limits {
        Limits {
            call_timeout: Duration::from_millis(timeout_ms.max(1)),
            memory_bytes: memory_mb.max(1) << 20,
            batch_size: self.plugin_batch_size.max(1),
            lifted_bytes_per_call: self.plugin_transfer_mb.max(1) << 20,
            findings_per_resource_rule: self.plugin_findings_per_resource.max(1),
            log_bytes_per_call: self.plugin_log_kb << 10,
            ..Limits::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        limits: LimitArgs,
    }

    #[test]
    fn flag_defaults_are_the_host_defaults() {
        let cli = Cli::parse_from(["pillar"]);
        let ours = cli.limits.limits(5000, 128);
        let host = Limits::default();
        assert_eq!(ours.call_timeout, host.call_timeout);
        assert_eq!(ours.memory_bytes, host.memory_bytes);
        assert_eq!(ours.batch_size, host.batch_size);
        assert_eq!(ours.lifted_bytes_per_call, host.lifted_bytes_per_call);
        assert_eq!(
            ours.findings_per_resource_rule,
            host.findings_per_resource_rule
        );
        assert_eq!(ours.log_bytes_per_call, host.log_bytes_per_call);
    }
}
