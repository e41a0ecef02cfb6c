//! Running loaded packs over a snapshot, in parallel.
//!
//! Resources are grouped by kind and cut into batches, each serialised to
//! JSON once and shared by every pack that reads that kind. Tasks are
//! (pack, batch) pairs, ordered pack-major so that a worker thread keeps
//! few instances alive. Each worker thread owns its stores; a store that
//! trapped is thrown away and its pack is stopped for the rest of the scan.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use pillar_snapshot::Snapshot;
use rayon::prelude::*;
use wasmtime::Store;

use crate::bindings::Instance;
use crate::budget::ScanBudget;
use crate::engine::Host;
use crate::failure::{FailureKind, PackFailure, Stage, classify};
use crate::pack::LoadedPack;
use crate::redact;
use crate::sandbox::{Emitted, State, new_store};
use crate::types::{Evaluation, Finding, LogLine, RuleStats, Verdict};

/// Masks, in a third-party pack's findings and logs, the secrets of the
/// resources it was sent and anything else that looks like one (see
/// `redact`). Built-in packs mask what they quote themselves.
fn mask_secrets(
    snapshot: &Snapshot,
    batch: &Batch<'_>,
    emitted: &mut [Emitted],
    logs: &mut [(&'static str, String)],
) {
    let attributes = redact::sensitive_attributes(batch.kind);
    // Every secret of the batch: a pack may quote one resource's secret in
    // another's finding, or in a log line.
    let all: Vec<String> = batch
        .indices
        .iter()
        .filter_map(|&i| snapshot.resources.get(i))
        .flat_map(|resource| {
            attributes
                .iter()
                .filter_map(|a| resource.attributes.get(*a).and_then(|v| v.as_str()))
                .flat_map(redact::secrets_in)
        })
        .collect();
    let masked = |text: &mut String, known: &[String]| {
        if let std::borrow::Cow::Owned(m) = redact::redact(text, known) {
            *text = m;
        }
    };
    for e in emitted.iter_mut() {
        masked(&mut e.message, &all);
        if let Some(evidence) = &mut e.evidence {
            masked(evidence, &all);
        }
    }
    for (_, line) in logs.iter_mut() {
        masked(line, &all);
    }
}

/// Why a pack out of scan time was stopped.
fn spent(budget: &ScanBudget) -> String {
    format!(
        "used up its time budget for the scan ({} s for the {} resources it reads)",
        fmt_secs(budget.time()),
        budget.resources
    )
}

fn fmt_secs(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        (ms / 1000).to_string()
    } else {
        format!("{:.1}", d.as_secs_f64())
    }
}

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
        // Each pack's budget for this scan grows with what it reads.
        let budgets: Vec<Arc<ScanBudget>> = wanted
            .iter()
            .map(|kinds| {
                let resources = batches
                    .iter()
                    .filter(|b| kinds.contains(b.kind))
                    .map(|b| b.indices.len())
                    .sum();
                Arc::new(ScanBudget::for_pack(&self.limits, resources))
            })
            .collect();

        let outcomes: Vec<Outcome> = tasks
            .par_iter()
            .map_init(Worker::default, |worker, &(p, b)| {
                if stopped[p].load(Ordering::Relaxed) {
                    return Outcome::Skipped;
                }
                let outcome =
                    self.run_task(worker, p, &packs[p], &batches[b], settings, &budgets[p]);
                if matches!(outcome, Outcome::Failed(_)) {
                    stopped[p].store(true, Ordering::Relaxed);
                }
                outcome
            })
            .collect();

        self.merge(packs, snapshot, &batches, &tasks, outcomes)
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
        budget: &Arc<ScanBudget>,
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
            Entry::Vacant(slot) => match self.instantiate(pack, settings, budget) {
                Ok(live) => slot.insert(live),
                Err((kind, message)) => return fail(Stage::Configure, kind, message),
            },
        };

        let what = format!(
            "evaluate({}, {} resources)",
            batch.kind,
            batch.indices.len()
        );
        let Some(left) = budget.time_left() else {
            worker.instances.remove(&p);
            return fail(
                Stage::Evaluate,
                FailureKind::Timeout,
                format!("{what}: {}", spent(budget)),
            );
        };
        store
            .data_mut()
            .begin_batch(batch.kind, batch.indices.len());
        store.set_epoch_deadline(self.limits.deadline_ticks_within(left));
        let started = Instant::now();
        let result = instance.evaluate(store, batch.kind, &batch.json);
        budget.spend(started.elapsed());
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
                let (kind, mut message) = self.explain(store, &e, &what);
                if kind == FailureKind::Timeout && left < self.limits.call_timeout {
                    // The scan budget, not the call's deadline, ran out.
                    message = format!("{what}: {}", spent(budget));
                }
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
        budget: &Arc<ScanBudget>,
    ) -> Result<(Store<State>, Instance), (FailureKind, String)> {
        let mut store = new_store(
            &self.engine,
            &self.limits,
            pack.rules.clone(),
            Arc::clone(budget),
        );
        let started = Instant::now();
        let instance = pack.pre.instantiate(&mut store);
        budget.spend(started.elapsed());
        let instance = match instance {
            Ok(i) => i,
            Err(e) => return Err(self.explain(&store, &e, "instantiation")),
        };
        let Some(left) = budget.time_left() else {
            return Err((
                FailureKind::Timeout,
                format!("configure(): {}", spent(budget)),
            ));
        };
        store.data_mut().begin_call();
        store.set_epoch_deadline(self.limits.deadline_ticks_within(left));
        let started = Instant::now();
        let configured = instance.configure(&mut store, settings);
        budget.spend(started.elapsed());
        match configured {
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
        snapshot: &Snapshot,
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
                Outcome::Done {
                    mut emitted,
                    mut logs,
                } => {
                    if !pack.info.origin.starts_with("builtin:") {
                        mask_secrets(snapshot, batch, &mut emitted, &mut logs);
                    }
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
