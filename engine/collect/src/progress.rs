//! Progress: per-account, per-region spinners on a terminal, plain log lines
//! on stderr otherwise (CI logs, `--quiet`).

use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Where progress goes.
pub struct Progress {
    bars: Option<MultiProgress>,
}

impl Progress {
    /// Spinners, one per account and region (use when stderr is a terminal).
    pub fn bars() -> Self {
        Progress {
            bars: Some(MultiProgress::new()),
        }
    }

    /// One log line per finished unit, on stderr.
    pub fn lines() -> Self {
        Progress { bars: None }
    }

    /// A message for people, above the bars if any.
    pub fn log(&self, message: &str) {
        match &self.bars {
            Some(bars) => {
                let _ = bars.println(format!("pillar: {message}"));
            }
            None => eprintln!("pillar: {message}"),
        }
    }

    pub(crate) fn task(&self, label: String) -> Task<'_> {
        let bar = self.bars.as_ref().map(|bars| {
            let bar = bars.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix}: {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(label.clone());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Task {
            progress: self,
            bar,
            label,
            started: Instant::now(),
        }
    }
}

/// One account or region being collected.
pub(crate) struct Task<'a> {
    progress: &'a Progress,
    bar: Option<ProgressBar>,
    label: String,
    started: Instant,
}

impl Task<'_> {
    pub(crate) fn step(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_owned());
        }
    }

    pub(crate) fn finish(&self, resources: usize, gaps: usize) {
        let summary = format!(
            "{resources} resources, {gaps} gap(s) in {:.1}s",
            self.started.elapsed().as_secs_f64()
        );
        match &self.bar {
            Some(bar) => bar.finish_with_message(summary),
            None => self
                .progress
                .log(&format!("collected {}: {summary}", self.label)),
        }
    }
}
