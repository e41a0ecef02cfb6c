//! The scan itself: derive → evaluate → apply the configuration → triage.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pillar_evaluate::{Evaluation, Host, LoadedPack, PackFailure, PackInfo};
use pillar_snapshot::{Snapshot, Suppression};
use pillar_triage::{Baseline, Date, Mute, Triage, TriageInput};

use crate::project::{Project, mutes};
use crate::{Config, Packs, ScanError};

/// Packs loaded and a project's configuration checked against them, ready
/// to scan any number of snapshots.
pub struct Scan {
    host: Host,
    packs: Vec<LoadedPack>,
    load_failures: Vec<PackFailure>,
    /// The packs' metadata as loaded, before the configuration applies.
    infos: Vec<PackInfo>,
    config: Config,
    mutes: Vec<Mute>,
}

/// What varies from one run of a [`Scan`] to the next.
#[derive(Debug)]
pub struct ScanOptions<'a> {
    /// `# pillar:ignore` comments found beside a plan.
    pub suppressions: &'a [Suppression],
    /// An earlier scan's findings, to mark each finding new or unchanged.
    pub baseline: Option<&'a Baseline>,
    /// With a baseline: only new findings count towards the threshold.
    pub new_only: bool,
    /// Worker threads for evaluation; `None` for one per core.
    pub threads: Option<usize>,
    /// The day mutes are judged on (in force, expiring, expired).
    pub today: Date,
}

impl Default for ScanOptions<'_> {
    fn default() -> Self {
        ScanOptions {
            suppressions: &[],
            baseline: None,
            new_only: false,
            threads: None,
            today: Date::today(),
        }
    }
}

/// Everything a report shows, and how long each stage took.
pub struct ScanOutcome {
    /// The snapshot scanned, with its derived attributes.
    pub snapshot: Snapshot,
    /// Findings and statistics, with disabled rules removed and severities
    /// overridden as configured.
    pub evaluation: Evaluation,
    /// The packs that ran, with the configuration applied to their rules.
    pub packs: Vec<PackInfo>,
    /// Packs that failed to load, followed by packs stopped during evaluation.
    pub failures: Vec<PackFailure>,
    pub triage: Triage,
    /// `derive`, `evaluate` and `triage`, in order, for `--timings`.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Scan {
    /// Checks the project's `[rules]` and `[[mute]]` tables and the
    /// `mute_files` against the loaded packs. Mutes are checked here, before
    /// any pack runs, so a typo costs nothing.
    pub fn new(
        host: Host,
        packs: Packs,
        project: &Project,
        mute_files: &[PathBuf],
    ) -> Result<Scan, ScanError> {
        let infos: Vec<PackInfo> = packs.loaded.iter().map(|p| p.info.clone()).collect();
        let config = project.config(&infos)?;
        let mut all_mutes = project.mutes(&infos)?;
        for file in mute_files {
            all_mutes.extend(mutes::load_file(file, &infos)?);
        }
        Ok(Scan {
            host,
            packs: packs.loaded,
            load_failures: packs.failures,
            infos,
            config,
            mutes: all_mutes,
        })
    }

    /// Packs that could not be loaded.
    pub fn load_failures(&self) -> &[PackFailure] {
        &self.load_failures
    }

    /// The packs' metadata with the configuration applied: what a report of
    /// any run of this scan lists.
    pub fn packs(&self) -> Vec<PackInfo> {
        let mut infos = self.infos.clone();
        self.config.apply_to_packs(&mut infos);
        infos
    }

    /// Scans one snapshot.
    pub fn run(
        &self,
        mut snapshot: Snapshot,
        options: &ScanOptions<'_>,
    ) -> Result<ScanOutcome, ScanError> {
        let mut clock = Clock::start();
        // Derived attributes span resources; every source (live, plan,
        // fixture) gets them here, so a rule sees the same data in a scan
        // and in `pillar rules test`.
        pillar_snapshot::derive(&mut snapshot);
        clock.lap("derive");

        let settings = self.config.settings(&snapshot.source.collected_at);
        let evaluate = || self.host.evaluate(&self.packs, &snapshot, &settings);
        let mut evaluation = match options.threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()?
                .install(evaluate),
            None => evaluate(),
        };
        self.config.apply_to_evaluation(&mut evaluation);
        let packs = self.packs();
        let mut failures = self.load_failures.clone();
        failures.extend(evaluation.failures.iter().cloned());
        clock.lap("evaluate");

        let triage = Triage::build(&TriageInput {
            snapshot: &snapshot,
            evaluation: &evaluation,
            packs: &packs,
            suppressions: options.suppressions,
            mutes: &self.mutes,
            today: options.today,
            baseline: options.baseline,
            new_only: options.new_only,
        });
        clock.lap("triage");
        Ok(ScanOutcome {
            snapshot,
            evaluation,
            packs,
            failures,
            triage,
            stages: clock.laps,
        })
    }
}

/// Stage times, measured whether or not anyone prints them: a few clock
/// reads per scan.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
