//! `--timings`: where a scan's time went, stage by stage, on standard error.

use std::time::{Duration, Instant};

pub struct Timings {
    on: bool,
    start: Instant,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn new(on: bool) -> Timings {
        let now = Instant::now();
        Timings {
            on,
            start: now,
            last: now,
            stages: Vec::new(),
        }
    }

    /// Ends stage `name`: the time since the previous stage ended.
    pub fn stage(&mut self, name: &'static str) {
        if self.on {
            let now = Instant::now();
            self.stages.push((name, now - self.last));
            self.last = now;
        }
    }

    /// Records stages timed elsewhere (the pipeline's), ending now.
    pub fn stages(&mut self, stages: &[(&'static str, Duration)]) {
        if self.on {
            self.stages.extend_from_slice(stages);
            self.last = Instant::now();
        }
    }

    /// Prints the stages, the total and the peak resident memory.
    pub fn print(&self) {
        if !self.on {
            return;
        }
        let total = self.start.elapsed();
        for (name, took) in &self.stages {
            let share = took.as_secs_f64() / total.as_secs_f64().max(f64::EPSILON) * 100.0;
            eprintln!(
                "pillar: timing: {name:<9} {:>9.3} s {share:>5.1}%",
                took.as_secs_f64()
            );
        }
        eprintln!(
            "pillar: timing: {:<9} {:>9.3} s",
            "total",
            total.as_secs_f64()
        );
        if let Some(peak) = peak_rss_kib() {
            eprintln!("pillar: timing: peak memory {} MiB", peak / 1024);
        }
    }
}

/// The process's peak resident set (`VmHWM`), where the system says it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
