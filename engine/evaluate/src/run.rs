//! Running loaded packs over a snapshot, in parallel.
//!
//! Resources are grouped by kind and cut into batches, each serialised to
//! JSON once and shared by every pack that reads that kind. Tasks are
//! (pack, batch) pairs, ordered pack-major so that a worker thread keeps
//! few instances alive. Each worker thread owns its stores; a store that
//! trapped is thrown away and its pack is stopped for the rest of the scan.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use pillar_snapshot::Snapshot;
use rayon::prelude::*;
use wasmtime::Store;

use crate::bindings::Instance;
use crate::engine::Host;
use crate::failure::{FailureKind, PackFailure, Stage, classify};
use crate::pack::LoadedPack;
use crate::sandbox::{Emitted, State, new_store};
use crate::types::{Evaluation, Finding, LogLine, RuleStats, Verdict};

/// Resources of one kind, serialised once for every pack that reads them.
struct Batch<'a> {
    kind: &'a str,
    /// Indices into the snapshot's resources.
    indices: Vec<usize>,
    json: String,
}

/// What one (pack, batch) task produced.
enum Outcome {
    Done {
        emitted: Vec<Emitted>,
        logs: Vec<(&'static str, String)>,
    },
    Failed(PackFailure),
    /// The pack had already been stopped.
    Skipped,
}

/// A worker thread's live instances, by pack index.
#[derive(Default)]
struct Worker {
    instances: HashMap<usize, (Store<State>, Instance)>,
}

impl Host {
    /// Runs `packs` over `snapshot`. `settings` is the JSON object passed to
    /// every pack's `configure` (rule parameters keyed by rule id).
    pub fn evaluate(
        &self,
        packs: &[LoadedPack],
        snapshot: &Snapshot,
        settings: &str,
    ) -> Evaluation {
        let wanted: Vec<HashSet<&str>> = packs.iter().map(LoadedPack::kinds).collect();
        let batches = self.batches(snapshot, &wanted);
        let tasks: Vec<(usize, usize)> = (0..packs.len())
            .flat_map(|p| {
                let wanted = &wanted[p];
                batches
                    .iter()
                    .enumerate()
                    .filter(move |(_, b)| wanted.contains(b.kind))
                    .map(move |(b, _)| (p, b))
            })
            .collect();
        let stopped: Vec<AtomicBool> = packs.iter().map(|_| AtomicBool::new(false)).collect();

        let outcomes: Vec<Outcome> = tasks
            .par_iter()
            .map_init(Worker::default, |worker, &(p, b)| {
                if stopped[p].load(Ordering::Relaxed) {
                    return Outcome::Skipped;
                }
                let outcome = self.run_task(worker, p, &packs[p], &batches[b], settings);
                if matches!(outcome, Outcome::Failed(_)) {
                    stopped[p].store(true, Ordering::Relaxed);
                }
                outcome
            })
            .collect();

        self.merge(packs, &batches, &tasks, outcomes)
    }

    fn batches<'s>(&self, snapshot: &'s Snapshot, wanted: &[HashSet<&str>]) -> Vec<Batch<'s>> {
        let mut by_kind: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, r) in snapshot.resources.iter().enumerate() {
            if wanted.iter().any(|w| w.contains(r.kind.as_str())) {
                by_kind.entry(r.kind.as_str()).or_default().push(i);
            }
        }
        let size = self.limits.batch_size.max(1);
        let chunks: Vec<(&str, Vec<usize>)> = by_kind
            .into_iter()
            .flat_map(|(kind, indices)| {
                indices
                    .chunks(size)
                    .map(|c| (kind, c.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect();
        chunks
            .into_par_iter()
            .map(|(kind, indices)| {
                let views: Vec<_> = indices
                    .iter()
                    .map(|&i| snapshot.resources[i].plugin_view())
                    .collect();
                // Serialising borrowed, already-valid JSON values cannot fail.
                let json = serde_json::to_string(&views).unwrap_or_else(|_| "[]".to_owned());
                Batch {
                    kind,
                    indices,
                    json,
                }
            })
            .collect()
    }

    fn run_task(
        &self,
        worker: &mut Worker,
        p: usize,
        pack: &LoadedPack,
        batch: &Batch<'_>,
        settings: &str,
    ) -> Outcome {
        let fail = |stage, kind, message: String| {
            Outcome::Failed(PackFailure {
                pack: pack.info.name.clone(),
                origin: pack.info.origin.clone(),
                stage,
                kind,
                message,
            })
        };

        let (store, instance) = match worker.instances.entry(p) {
            Entry::Occupied(live) => live.into_mut(),
            Entry::Vacant(slot) => match self.instantiate(pack, settings) {
                Ok(live) => slot.insert(live),
                Err((kind, message)) => return fail(Stage::Configure, kind, message),
            },
        };

        let what = format!(
            "evaluate({}, {} resources)",
            batch.kind,
            batch.indices.len()
        );
        store
            .data_mut()
            .begin_batch(batch.kind, batch.indices.len());
        store.set_epoch_deadline(self.limits.deadline_ticks());
        let result = instance.evaluate(store, batch.kind, &batch.json);
        store.data_mut().end_batch();
        match result {
            Ok(Ok(())) => {
                let state = store.data_mut();
                if let Some(v) = state.take_denied() {
                    worker.instances.remove(&p);
                    return fail(Stage::Evaluate, v.kind, format!("{what}: {}", v.message));
                }
                Outcome::Done {
                    emitted: std::mem::take(&mut state.emitted),
                    logs: std::mem::take(&mut state.logs),
                }
            }
            Ok(Err(e)) => fail(
                Stage::Evaluate,
                FailureKind::PackError,
                format!("{what}: {}", e.describe()),
            ),
            Err(e) => {
                let (kind, message) = self.explain(store, &e, &what);
                // A trapped instance cannot be entered again.
                worker.instances.remove(&p);
                fail(Stage::Evaluate, kind, message)
            }
        }
    }

    /// A new instance of `pack` in a fresh store, configured.
    fn instantiate(
        &self,
        pack: &LoadedPack,
        settings: &str,
    ) -> Result<(Store<State>, Instance), (FailureKind, String)> {
        let mut store = new_store(&self.engine, &self.limits, pack.rules.clone());
        let instance = match pack.pre.instantiate(&mut store) {
            Ok(i) => i,
            Err(e) => return Err(self.explain(&store, &e, "instantiation")),
        };
        store.data_mut().begin_call();
        store.set_epoch_deadline(self.limits.deadline_ticks());
        match instance.configure(&mut store, settings) {
            // Start-up reads of the (empty) environment are not held
            // against the pack: see `Host::load`.
            Ok(Ok(())) => Ok((store, instance)),
            Ok(Err(e)) => Err((
                FailureKind::PackError,
                format!("configure(): {}", e.describe()),
            )),
            Err(e) => Err(self.explain(&store, &e, "configure()")),
        }
    }

    /// A deliberate stop by a host import explains itself; anything else is
    /// classified from the trap.
    fn explain(
        &self,
        store: &Store<State>,
        e: &wasmtime::Error,
        what: &str,
    ) -> (FailureKind, String) {
        match &store.data().violation {
            Some(v) => (v.kind, format!("{what}: {}", v.message)),
            None => classify(e, what, &self.limits, &store.data().output()),
        }
    }

    fn merge(
        &self,
        packs: &[LoadedPack],
        batches: &[Batch<'_>],
        tasks: &[(usize, usize)],
        outcomes: Vec<Outcome>,
    ) -> Evaluation {
        let mut eval = Evaluation::default();
        let mut failed: HashMap<usize, PackFailure> = HashMap::new();
        let mut unfinished: HashMap<usize, (usize, usize)> = HashMap::new(); // pack -> (batches not done, total)
        let mut logs_per_pack: HashMap<usize, usize> = HashMap::new();
        for rule in packs.iter().flat_map(|p| &p.info.rules) {
            eval.stats.insert(rule.id.clone(), RuleStats::default());
        }

        for (&(p, b), outcome) in tasks.iter().zip(outcomes) {
            let pack = &packs[p];
            let batch = &batches[b];
            unfinished.entry(p).or_default().1 += 1;
            match outcome {
                Outcome::Done { emitted, logs } => {
                    for rule in pack
                        .info
                        .rules
                        .iter()
                        .filter(|r| r.resource_kinds.iter().any(|k| k == batch.kind))
                    {
                        if let Some(s) = eval.stats.get_mut(&rule.id) {
                            s.evaluated += batch.indices.len();
                        }
                    }
                    for e in emitted {
                        let Some(&resource) = batch.indices.get(e.index as usize) else {
                            continue;
                        };
                        eval.findings.push(Finding {
                            rule_id: e.rule_id,
                            pack: pack.info.name.clone(),
                            resource,
                            verdict: e.verdict,
                            severity: e.severity,
                            message: e.message,
                            evidence: e.evidence,
                        });
                    }
                    for (level, message) in logs {
                        let kept = logs_per_pack.entry(p).or_default();
                        if *kept < self.limits.log_lines_kept {
                            *kept += 1;
                            eval.logs.push(LogLine {
                                pack: pack.info.name.clone(),
                                level,
                                message,
                            });
                        } else {
                            eval.logs_dropped += 1;
                        }
                    }
                }
                Outcome::Failed(f) => {
                    unfinished.entry(p).or_default().0 += 1;
                    failed.entry(p).or_insert(f);
                }
                Outcome::Skipped => unfinished.entry(p).or_default().0 += 1,
            }
        }

        let mut failed: Vec<(usize, PackFailure)> = failed.into_iter().collect();
        failed.sort_by_key(|(p, _)| *p);
        for (p, mut f) in failed {
            let (missed, total) = unfinished.get(&p).copied().unwrap_or_default();
            f.message
                .push_str(&format!("; {missed} of {total} batches were not evaluated"));
            eval.failures.push(f);
        }

        self.count_outcomes(&mut eval);
        eval.findings.sort_by(|a, b| {
            (a.resource, &a.rule_id, &a.message).cmp(&(b.resource, &b.rule_id, &b.message))
        });
        eval
    }

    /// Distinct failing and unknown resources per rule. A resource with both
    /// a `fail` and an `unknown` from one rule counts as failed.
    fn count_outcomes(&self, eval: &mut Evaluation) {
        let mut fails: HashSet<(&str, usize)> = HashSet::new();
        let mut unknowns: HashSet<(&str, usize)> = HashSet::new();
        for f in &eval.findings {
            match f.verdict {
                Verdict::Fail => fails.insert((&f.rule_id, f.resource)),
                Verdict::Unknown => unknowns.insert((&f.rule_id, f.resource)),
            };
        }
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        for (rule, _) in &fails {
            counts.entry(rule).or_default().0 += 1;
        }
        for (rule, r) in &unknowns {
            if !fails.contains(&(rule, *r)) {
                counts.entry(rule).or_default().1 += 1;
            }
        }
        let counts: Vec<(String, (usize, usize))> =
            counts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        for (rule, (failed, unknown)) in counts {
            if let Some(s) = eval.stats.get_mut(&rule) {
                s.failed = failed;
                s.unknown = unknown;
            }
        }
    }
}
