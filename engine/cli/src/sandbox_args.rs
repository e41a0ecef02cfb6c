//! The sandbox as command-line flags, shared by every command that runs
//! packs (`scan`, `diff`, `rules list/show/docs`, `rules test`): the compile
//! cache and the limits. The defaults are `pillar_evaluate::Limits::default()`;
//! docs/sandbox.md explains each.

use std::time::Duration;

use anyhow::Result;
use clap::Args;
use pillar_evaluate::{CompileCache, Host, Limits};

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Do not use the on-disk cache of compiled packs.
    #[arg(long)]
    pub no_cache: bool,
    /// Time limit for one call into a pack, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub plugin_timeout_ms: u64,
    /// Memory limit for each pack instance, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 128)]
    pub plugin_memory_mb: usize,
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
    /// Time one pack may spend over the whole scan, in seconds, plus 200 µs
    /// for each resource it reads.
    #[arg(long, value_name = "S", default_value_t = 30)]
    pub plugin_scan_time_s: u64,
    /// Findings one pack may emit over the whole scan, per resource it reads.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub plugin_scan_findings_per_resource: usize,
    /// Memory (MiB) all third-party packs may hold at once, together.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub plugin_total_memory_mb: usize,
}

impl SandboxArgs {
    /// The limits these flags set.
    pub fn limits(&self) -> Limits {
        Limits {
            call_timeout: Duration::from_millis(self.plugin_timeout_ms.max(1)),
            call_watchdog: Limits::watchdog_for(Duration::from_millis(
                self.plugin_timeout_ms.max(1),
            )),
            memory_bytes: self.plugin_memory_mb.max(1) << 20,
            batch_size: self.plugin_batch_size.max(1),
            lifted_bytes_per_call: self.plugin_transfer_mb.max(1) << 20,
            findings_per_resource_rule: self.plugin_findings_per_resource.max(1),
            log_bytes_per_call: self.plugin_log_kb << 10,
            pack_time_base: Duration::from_secs(self.plugin_scan_time_s.max(1)),
            findings_per_resource: self.plugin_scan_findings_per_resource.max(1),
            third_party_memory_bytes: self.plugin_total_memory_mb.max(1) << 20,
            ..Limits::default()
        }
    }

    /// A host with these limits and, unless `--no-cache`, the on-disk
    /// compile cache.
    pub fn host(&self) -> Result<Host> {
        let cache = if self.no_cache {
            None
        } else {
            CompileCache::default_dir().and_then(|dir| match CompileCache::new(dir.clone()) {
                Ok(c) => Some(c),
                Err(e) => {
                    // A cache is an optimisation: say why it is off and go on.
                    eprintln!(
                        "pillar: warning: compile cache disabled ({}: {e})",
                        dir.display()
                    );
                    None
                }
            })
        };
        Ok(Host::new(self.limits(), cache)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sandbox: SandboxArgs,
    }

    #[test]
    fn flag_defaults_are_the_host_defaults() {
        let cli = Cli::parse_from(["pillar"]);
        let ours = cli.sandbox.limits();
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
        assert_eq!(ours.pack_time_base, host.pack_time_base);
        assert_eq!(ours.call_watchdog, host.call_watchdog);
        assert_eq!(ours.findings_per_resource, host.findings_per_resource);
        assert_eq!(ours.third_party_memory_bytes, host.third_party_memory_bytes);
    }
}
