//! What one pack may spend over a whole scan, on every thread together:
//! time in its calls, and findings. Per-call limits alone let a pack stay
//! just under each call's deadline on every batch, or emit the most
//! findings a call allows on every batch; these budgets bound the sum.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crate::Limits;

/// One pack's budget for one [`crate::Host::evaluate`].
#[derive(Debug)]
pub(crate) struct ScanBudget {
    /// Time the pack may spend in calls, summed over threads.
    time: Duration,
    spent_nanos: AtomicU64,
    /// Findings the pack may emit over the scan.
    pub findings: usize,
    emitted: AtomicUsize,
    /// Resources the pack reads, for messages.
    pub resources: usize,
}

impl ScanBudget {
    /// The budget of a pack that reads `resources` resources. Built-in
    /// packs have no findings budget: their output is their rules', which
    /// are ours and tested; the per-call limits still bound each call.
    pub fn for_pack(limits: &Limits, resources: usize, builtin: bool) -> ScanBudget {
        let per_resource = u32::try_from(resources).unwrap_or(u32::MAX);
        ScanBudget {
            time: limits
                .pack_time_base
                .saturating_add(limits.pack_time_per_resource.saturating_mul(per_resource)),
            spent_nanos: AtomicU64::new(0),
            findings: if builtin {
                usize::MAX
            } else {
                resources.saturating_mul(limits.findings_per_resource)
            },
            emitted: AtomicUsize::new(0),
            resources,
        }
    }

    /// A budget for a call outside a scan (`metadata` at load): only the
    /// per-call limits apply.
    pub fn unbounded() -> ScanBudget {
        ScanBudget {
            time: Duration::MAX,
            spent_nanos: AtomicU64::new(0),
            findings: usize::MAX,
            emitted: AtomicUsize::new(0),
            resources: 0,
        }
    }

    pub fn time(&self) -> Duration {
        self.time
    }

    /// Time left, or `None` once the budget is spent.
    pub fn time_left(&self) -> Option<Duration> {
        let spent = Duration::from_nanos(self.spent_nanos.load(Ordering::Acquire));
        self.time.checked_sub(spent).filter(|left| !left.is_zero())
    }

    pub fn spend(&self, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        let _ = self
            .spent_nanos
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_add(nanos))
            });
    }

    /// Counts one more finding; `false` once the budget is spent.
    pub fn take_finding(&self) -> bool {
        self.emitted.fetch_add(1, Ordering::AcqRel) < self.findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_grow_with_the_resources_a_pack_reads() {
        let limits = Limits::default();
        let small = ScanBudget::for_pack(&limits, 10, false);
        let large = ScanBudget::for_pack(&limits, 100_000, false);
        assert!(large.time() > small.time());
        assert_eq!(small.findings, 10 * limits.findings_per_resource);
    }

    #[test]
    fn time_and_findings_run_out() {
        let limits = Limits {
            pack_time_base: Duration::from_millis(100),
            pack_time_per_resource: Duration::ZERO,
            findings_per_resource: 2,
            ..Limits::default()
        };
        let budget = ScanBudget::for_pack(&limits, 1, false);
        budget.spend(Duration::from_millis(60));
        assert!(budget.time_left().is_some());
        budget.spend(Duration::from_millis(60));
        assert!(budget.time_left().is_none());
        assert!(budget.take_finding() && budget.take_finding());
        assert!(!budget.take_finding());
    }
}
