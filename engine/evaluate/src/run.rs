//! Running loaded packs over a snapshot, in parallel.
//!
//! Resources are grouped by kind and cut into batches, each serialised to
//! JSON once and shared by every pack that reads that kind. Tasks are
//! (pack, batch) pairs, ordered pack-major so that a worker thread keeps
//! few instances alive. Each worker thread owns its stores; a store that
//! trapped is thrown away and its pack is stopped for the rest of the scan.

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
use crate::watchdog::{Watched, watched};

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
                .filter_map(|a| resource.attributes.get(*a).and_then(redact::sensitive_text))
                .flat_map(|text| redact::secrets_in(&text))
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
    if ms.is_multiple_of(1000) {
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
    /// Shared with the call threads of every pack that reads the kind.
    json: Arc<str>,
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
            .zip(packs)
            .map(|(kinds, pack)| {
                let resources = batches
                    .iter()
                    .filter(|b| kinds.contains(b.kind))
                    .map(|b| b.indices.len())
                    .sum();
                Arc::new(ScanBudget::for_pack(
                    &self.limits,
                    resources,
                    pack.info.is_builtin(),
                ))
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
                    json: json.into(),
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

        // Taken out for the call (which runs on a watched thread) and put
        // back only if the instance can be entered again.
        let (mut store, instance) = match worker.instances.remove(&p) {
            Some(live) => live,
            None => match self.instantiate(pack, settings, budget) {
                Ok(live) => live,
                Err((kind, message)) => return fail(Stage::Configure, kind, message),
            },
        };

        let what = format!(
            "evaluate({}, {} resources)",
            batch.kind,
            batch.indices.len()
        );
        let Some(left) = budget.time_left() else {
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
        let (kind, json) = (batch.kind.to_owned(), Arc::clone(&batch.json));
        let started = Instant::now();
        let watched = watched("pillar-evaluate", self.limits.call_watchdog, move || {
            let result = instance.evaluate(&mut store, &kind, &json);
            (store, instance, result)
        });
        budget.spend(started.elapsed());
        let (mut store, instance, result) = match watched {
            Watched::Returned(returned) => returned,
            Watched::Abandoned => {
                return fail(Stage::Evaluate, FailureKind::Timeout, self.abandoned(&what));
            }
            Watched::Lost(why) => {
                return fail(Stage::Evaluate, FailureKind::Trap, format!("{what}: {why}"));
            }
        };
        store.data_mut().end_batch();
        match result {
            Ok(Ok(())) => {
                let state = store.data_mut();
                if let Some(v) = state.take_denied() {
                    return fail(Stage::Evaluate, v.kind, format!("{what}: {}", v.message));
                }
                let outcome = Outcome::Done {
                    emitted: std::mem::take(&mut state.emitted),
                    logs: std::mem::take(&mut state.logs),
                };
                worker.instances.insert(p, (store, instance));
                outcome
            }
            Ok(Err(e)) => fail(
                Stage::Evaluate,
                FailureKind::PackError,
                format!("{what}: {}", e.describe()),
            ),
            Err(e) => {
                let (kind, mut message) = self.explain(&store, &e, &what);
                if kind == FailureKind::Timeout && left < self.limits.call_timeout {
                    // The scan budget, not the call's deadline, ran out.
                    message = format!("{what}: {}", spent(budget));
                }
                // A trapped instance cannot be entered again: not put back.
                fail(Stage::Evaluate, kind, message)
            }
        }
    }

    /// Why a call the watchdog gave up on was stopped.
    pub(crate) fn abandoned(&self, what: &str) -> String {
        format!(
            "{what}: did not return within {} ms (its deadline is {} ms), so it was abandoned; \
             a call stuck outside its own code, e.g. in a host call",
            self.limits.call_watchdog.as_millis(),
            self.limits.call_timeout.as_millis()
        )
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
        let Some(left) = budget.time_left() else {
            return Err((
                FailureKind::Timeout,
                format!("configure(): {}", spent(budget)),
            ));
        };
        store.set_epoch_deadline(self.limits.deadline_ticks_within(left));
        let (pre, settings) = (pack.pre.clone(), settings.to_owned());
        let started = Instant::now();
        // Instantiation runs guest code too (start functions): one watched
        // call for both.
        let watched = watched("pillar-configure", self.limits.call_watchdog, move || {
            let instance = match pre.instantiate(&mut store) {
                Ok(i) => i,
                Err(e) => return (store, Err(("instantiation", e))),
            };
            store.data_mut().begin_call();
            let configured = instance.configure(&mut store, &settings);
            (store, Ok((instance, configured)))
        });
        budget.spend(started.elapsed());
        let (store, result) = match watched {
            Watched::Returned(returned) => returned,
            Watched::Abandoned => {
                return Err((FailureKind::Timeout, self.abandoned("configure()")));
            }
            Watched::Lost(why) => return Err((FailureKind::Trap, format!("configure(): {why}"))),
        };
        match result {
            // Start-up reads of the (empty) environment are not held
            // against the pack: see `Host::load`.
            Ok((instance, Ok(Ok(())))) => Ok((store, instance)),
            Ok((_, Ok(Err(e)))) => Err((
                FailureKind::PackError,
                format!("configure(): {}", e.describe()),
            )),
            Ok((_, Err(e))) => Err(self.explain(&store, &e, "configure()")),
            Err((what, e)) => Err(self.explain(&store, &e, what)),
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
                    if !pack.info.is_builtin() {
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
