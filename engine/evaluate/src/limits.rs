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
    /// What one pack may hold at once, summed over every memory of every
    /// instance on every worker thread, as a multiple of `memory_bytes`.
    pub pack_memory_multiple: usize,
    /// What all third-party packs of a scan may hold at once, together
    /// (never less than two packs' worth). Built-in packs are bounded per
    /// pack only, so a hostile pack cannot starve them.
    pub third_party_memory_bytes: usize,
    /// Time one pack may spend in calls over a whole scan, summed over
    /// threads: this base plus `pack_time_per_resource` for each resource
    /// it reads.
    pub pack_time_base: Duration,
    pub pack_time_per_resource: Duration,
    /// Findings one pack may emit over a whole scan, per resource it reads.
    pub findings_per_resource: usize,
    /// How long compiling one third-party pack may take, by the wall clock.
    /// Generous: a debug build of pillar compiling CPython on a busy
    /// machine takes minutes. The shape limits (`shape.rs`) are what keep
    /// a compile small; this only ends one that is not.
    pub compile_timeout: Duration,
    /// How long the host waits for any call into a pack to come back, by
    /// the wall clock, before abandoning it (a call stuck in a host call,
    /// where `call_timeout` cannot reach it). Longer than `call_timeout`.
    pub call_watchdog: Duration,
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
            pack_memory_multiple: 4,
            third_party_memory_bytes: 1 << 30,
            pack_time_base: Duration::from_secs(30),
            pack_time_per_resource: Duration::from_micros(200),
            findings_per_resource: 64,
            compile_timeout: Duration::from_secs(600),
            call_watchdog: Duration::from_secs(11),
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
    /// The watchdog for a call deadline of `call_timeout`: twice it and a
    /// second, so that it never fires before the deadline does.
    pub fn watchdog_for(call_timeout: Duration) -> Duration {
        call_timeout.saturating_mul(2) + Duration::from_secs(1)
    }

    /// What one pack may hold at once over all its stores.
    pub fn pack_memory_bytes(&self) -> usize {
        self.memory_bytes
            .saturating_mul(self.pack_memory_multiple.max(1))
    }

    /// What all third-party packs may hold at once.
    pub fn scan_memory_bytes(&self) -> usize {
        self.third_party_memory_bytes
            .max(self.pack_memory_bytes().saturating_mul(2))
    }

    /// The epoch deadline for a call that may run `at_most` (a pack's
    /// remaining scan budget), in ticks.
    pub(crate) fn deadline_ticks_within(&self, at_most: Duration) -> u64 {
        let tick = crate::engine::EPOCH_TICK.as_millis().max(1);
        let budget = self.call_timeout.min(at_most);
        u64::try_from(budget.as_millis().div_ceil(tick)).unwrap_or(u64::MAX - 1) + 1
    }

    /// The epoch deadline for one call, in ticks of [`crate::engine::EPOCH_TICK`].
    pub(crate) fn deadline_ticks(&self) -> u64 {
        let tick = crate::engine::EPOCH_TICK.as_millis().max(1);
        // +1: the current tick may be nearly over when the deadline is set.
        u64::try_from(self.call_timeout.as_millis().div_ceil(tick)).unwrap_or(u64::MAX - 1) + 1
    }
}
