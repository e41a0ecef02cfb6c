use std::time::Duration;

/// What one pack may consume. The defaults suit Rust packs with room to
/// spare and interpreter packs (Python, JavaScript) within reason.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock budget for one call into a pack (`metadata`, `configure`,
    /// one `evaluate` batch), enforced by epoch interruption.
    pub call_timeout: Duration,
    /// Largest size of each linear memory of a pack instance.
    pub memory_bytes: usize,
    /// Bytes a pack may make the host lift (copy out of the guest) per call.
    pub lifted_bytes_per_call: usize,
    /// Resources per `evaluate` call.
    pub batch_size: usize,
    /// Findings per call, per resource and rule in the batch.
    pub findings_per_resource_rule: usize,
    /// Bytes of findings (messages and evidence) per call.
    pub finding_bytes_per_call: usize,
    /// Longest finding message; longer ones are cut with a visible marker.
    pub message_bytes: usize,
    /// Bytes of log messages per call.
    pub log_bytes_per_call: usize,
    /// Log lines kept per pack over a scan (the rest are counted, not kept).
    pub log_lines_kept: usize,
    /// Bytes of guest stdout/stderr kept to explain a failure.
    pub captured_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            call_timeout: Duration::from_secs(5),
            memory_bytes: 128 << 20,
            lifted_bytes_per_call: 8 << 20,
            batch_size: 256,
            findings_per_resource_rule: 8,
            finding_bytes_per_call: 8 << 20,
            message_bytes: 4 << 10,
            log_bytes_per_call: 64 << 10,
            log_lines_kept: 200,
            captured_output_bytes: 16 << 10,
        }
    }
}

impl Limits {
    /// The epoch deadline for one call, in ticks of [`crate::engine::EPOCH_TICK`].
    pub(crate) fn deadline_ticks(&self) -> u64 {
        let tick = crate::engine::EPOCH_TICK.as_millis().max(1);
        // +1: the current tick may be nearly over when the deadline is set.
        u64::try_from(self.call_timeout.as_millis().div_ceil(tick)).unwrap_or(u64::MAX - 1) + 1
    }
}
