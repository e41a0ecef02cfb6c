//! `cargo bench -p pillar-bench`: in-process measurements of pillar's hot
//! paths on synthetic workloads, reported as throughput and as ratios.
//!
//! - pack start-up: compiling the built-in packs (no cache) against loading
//!   them from the on-disk compile cache;
//! - snapshot parse: JSON text to the model;
//! - plan parse and model build: Terraform plan JSON to the model, as
//!   `pillar scan --plan` reads it (normalise, resolve, join);
//! - rule evaluation throughput with 1 and 2 worker threads;
//! - Wasm overhead: the built-in rules run as sandboxed components against
//!   the same rule code compiled natively, on the same batches.
//!
//! Sizes come from `PILLAR_BENCH_SIZES` (default `1000,10000,100000`); each
//! figure is the best of `PILLAR_BENCH_RUNS` runs (default 3).
//! `PILLAR_BENCH_STARTUP=0` skips the start-up measurement, whose cold
//! compile takes minutes under valgrind. Nothing here asserts a time: the
//! output is a table for docs/performance.md.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pillar_bench::{Workload, write};
use pillar_evaluate::{CompileCache, Host, Limits, LoadedPack, PackSource};
use pillar_rule_sdk::{Findings, RulePack, config, parse_batch};
use pillar_snapshot::Snapshot;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass
    // nothing we need. Run the measurements either way.
    let sizes = env_list("PILLAR_BENCH_SIZES", &[1_000, 10_000, 100_000]);
    let runs = env_list("PILLAR_BENCH_RUNS", &[3])[0].max(1);
    println!(
        "pillar bench: sizes {sizes:?}, best of {runs} run(s), {} cores",
        cores()
    );

    if std::env::var("PILLAR_BENCH_STARTUP").map_or(true, |v| v != "0") {
        startup(runs);
    }
    println!();
    println!("| resources | plan MB | plan parse + model build ms | res/s | MB/s |");
    println!("|---:|---:|---:|---:|---:|");
    for &size in &sizes {
        let (resources, bytes, time) = plan(size, runs);
        println!(
            "| {resources} | {:.1} | {:.1} | {:.0} | {:.1} |",
            bytes as f64 / 1e6,
            ms(time),
            per_sec(resources, time),
            bytes as f64 / 1e6 / time.as_secs_f64().max(1e-9),
        );
    }
    println!();
    println!(
        "| resources | snapshot MB | parse ms | parse res/s | eval 1 thread ms | eval 2 threads ms | res/s (2 threads) | 2-thread speed-up | native ms | Wasm ms (1 thread) | Wasm/native |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let host = host(Some(warm_cache()));
    let packs = load(&host);
    for &size in &sizes {
        let row = measure(size, runs, &host, &packs);
        println!(
            "| {} | {:.1} | {:.1} | {:.0} | {:.1} | {:.1} | {:.0} | {:.2}× | {:.1} | {:.1} | {:.2}× |",
            row.resources,
            row.bytes as f64 / 1e6,
            ms(row.parse),
            per_sec(row.resources, row.parse),
            ms(row.eval1),
            ms(row.eval2),
            per_sec(row.resources, row.eval2),
            ratio(row.eval1, row.eval2),
            ms(row.native),
            ms(row.wasm_same_work),
            ratio(row.wasm_same_work, row.native),
        );
    }
}

struct Row {
    resources: usize,
    bytes: usize,
    parse: Duration,
    eval1: Duration,
    eval2: Duration,
    native: Duration,
    wasm_same_work: Duration,
}

fn measure(size: usize, runs: usize, host: &Host, packs: &[LoadedPack]) -> Row {
    let workload = Workload::new(1, size);
    let mut text = Vec::new();
    write::snapshot(&workload, &mut text).expect("writing to memory");
    let text = String::from_utf8(text).expect("the generator writes UTF-8");
    let path = std::path::Path::new("synthetic.json");

    let parse = best(runs, || {
        pillar_snapshot::from_str(&text, path).expect("the generator writes valid snapshots");
    });
    let mut snapshot = pillar_snapshot::from_str(&text, path).expect("valid snapshot");
    // As `pillar scan` does: cross-resource facts first, scan time for rules.
    pillar_snapshot::derive(&mut snapshot);
    let settings = serde_json::json!({"_scan": {"now": snapshot.source.collected_at}});
    let settings_text = settings.to_string();

    let eval_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("worker threads");
        best(runs, || {
            let evaluation = pool.install(|| {
                if threads == 1 {
                    wasm_one_thread(host, packs, &snapshot, &settings_text)
                } else {
                    host.evaluate(packs, &snapshot, &settings_text)
                }
            });
            assert!(evaluation.failures.is_empty(), "{:?}", evaluation.failures);
        })
    };
    let eval1 = eval_on(1);
    let eval2 = eval_on(2);

    let batches = batches(&snapshot, host.limits().batch_size);
    let (native, native_findings) = native(runs, &batches, &settings);
    let wasm_same_work = eval1;
    let wasm_findings = {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("worker thread");
        pool.install(|| wasm_one_thread(host, packs, &snapshot, &settings_text))
            .findings
            .len()
    };
    if std::env::var_os("PILLAR_BENCH_PER_PACK").is_some() {
        wasm_per_pack(host, packs, &snapshot, &settings_text);
    }
    // The comparison only means something if both did the same work.
    assert_eq!(
        native_findings, wasm_findings,
        "native and Wasm rule runs disagree on the number of findings"
    );

    Row {
        resources: snapshot.resources.len(),
        bytes: text.len(),
        parse,
        eval1,
        eval2,
        native,
        wasm_same_work,
    }
}

/// Terraform plan JSON to the resource model, as `scan --plan` reads it
/// (without `.tf` source mapping, which needs a Terraform directory).
/// Returns (resources, plan bytes, best time).
fn plan(size: usize, runs: usize) -> (usize, usize, Duration) {
    let workload = Workload::new(1, size);
    let mut text = Vec::new();
    write::plan(&workload, &mut text).expect("writing to memory");
    let path = std::path::Path::new("synthetic-plan.json");
    let options = pillar_plan::Options::default();
    let mut resources = 0;
    let time = best(runs, || {
        let converted = pillar_plan::from_bytes(&text, path, &options)
            .expect("the generator writes valid plans");
        resources = converted.snapshot.resources.len();
    });
    (resources, text.len(), time)
}

/// The batches the host would send, as JSON text: the same cut by kind and
/// batch size, the same serialised form.
fn batches(snapshot: &Snapshot, size: usize) -> Vec<(String, String)> {
    let mut by_kind: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for r in &snapshot.resources {
        by_kind
            .entry(r.kind.as_str())
            .or_default()
            .push(r.plugin_view());
    }
    let mut out = Vec::new();
    for (kind, views) in by_kind {
        for chunk in views.chunks(size.max(1)) {
            let json = serde_json::to_string(chunk).expect("serialisable");
            out.push((kind.to_owned(), json));
        }
    }
    out
}

type Evaluate = fn(
    &str,
    &[pillar_rule_sdk::Resource],
    &mut dyn pillar_rule_sdk::Sink,
) -> Result<(), pillar_rule_sdk::EvalError>;

/// The built-in packs' rule code compiled natively, run over the same JSON
/// batches (parsing included, as the guest parses them too).
fn native(
    runs: usize,
    batches: &[(String, String)],
    settings: &serde_json::Value,
) -> (Duration, usize) {
    let packs: Vec<(Vec<String>, Evaluate)> = vec![
        (
            kinds::<pillar_pack_ec2::Ec2Pack>(),
            pillar_pack_ec2::Ec2Pack::evaluate,
        ),
        (
            kinds::<pillar_pack_iam::IamPack>(),
            pillar_pack_iam::IamPack::evaluate,
        ),
        (
            kinds::<pillar_pack_rds::RdsPack>(),
            pillar_pack_rds::RdsPack::evaluate,
        ),
        (
            kinds::<pillar_pack_s3::S3Pack>(),
            pillar_pack_s3::S3Pack::evaluate,
        ),
        (
            kinds::<pillar_pack_tags::TagsPack>(),
            pillar_pack_tags::TagsPack::evaluate,
        ),
        (
            kinds::<pillar_pack_vpc::VpcPack>(),
            pillar_pack_vpc::VpcPack::evaluate,
        ),
        (
            kinds::<pillar_pack_elbv2::Elbv2Pack>(),
            pillar_pack_elbv2::Elbv2Pack::evaluate,
        ),
        (
            kinds::<pillar_pack_wafv2::Wafv2Pack>(),
            pillar_pack_wafv2::Wafv2Pack::evaluate,
        ),
        (
            kinds::<pillar_pack_kms::KmsPack>(),
            pillar_pack_kms::KmsPack::evaluate,
        ),
        (
            kinds::<pillar_pack_cloudtrail::CloudTrailPack>(),
            pillar_pack_cloudtrail::CloudTrailPack::evaluate,
        ),
        (
            kinds::<pillar_pack_logs::LogsPack>(),
            pillar_pack_logs::LogsPack::evaluate,
        ),
        (
            kinds::<pillar_pack_secretsmanager::SecretsManagerPack>(),
            pillar_pack_secretsmanager::SecretsManagerPack::evaluate,
        ),
        (
            kinds::<pillar_pack_guardduty::GuardDutyPack>(),
            pillar_pack_guardduty::GuardDutyPack::evaluate,
        ),
        (
            kinds::<pillar_pack_awsconfig::AwsConfigPack>(),
            pillar_pack_awsconfig::AwsConfigPack::evaluate,
        ),
        (
            kinds::<pillar_pack_ssm::SsmPack>(),
            pillar_pack_ssm::SsmPack::evaluate,
        ),
        (
            kinds::<pillar_pack_cloudfront::CloudFrontPack>(),
            pillar_pack_cloudfront::CloudFrontPack::evaluate,
        ),
        (
            kinds::<pillar_pack_cloudwatch::CloudWatchPack>(),
            pillar_pack_cloudwatch::CloudWatchPack::evaluate,
        ),
        (
            kinds::<pillar_pack_ecr::EcrPack>(),
            pillar_pack_ecr::EcrPack::evaluate,
        ),
        (
            kinds::<pillar_pack_ecs::EcsPack>(),
            pillar_pack_ecs::EcsPack::evaluate,
        ),
        (
            kinds::<pillar_pack_lambda::LambdaPack>(),
            pillar_pack_lambda::LambdaPack::evaluate,
        ),
        (
            kinds::<pillar_pack_messaging::MessagingPack>(),
            pillar_pack_messaging::MessagingPack::evaluate,
        ),
        (
            kinds::<pillar_pack_dynamodb::DynamoDbPack>(),
            pillar_pack_dynamodb::DynamoDbPack::evaluate,
        ),
        (
            kinds::<pillar_pack_elasticache::ElastiCachePack>(),
            pillar_pack_elasticache::ElastiCachePack::evaluate,
        ),
        (
            kinds::<pillar_pack_efs::EfsPack>(),
            pillar_pack_efs::EfsPack::evaluate,
        ),
        (
            kinds::<pillar_pack_autoscaling::AutoScalingPack>(),
            pillar_pack_autoscaling::AutoScalingPack::evaluate,
        ),
        (
            kinds::<pillar_pack_eks::EksPack>(),
            pillar_pack_eks::EksPack::evaluate,
        ),
        (
            kinds::<pillar_pack_backup::BackupPack>(),
            pillar_pack_backup::BackupPack::evaluate,
        ),
    ];
    assert_eq!(
        packs.len(),
        pillar_builtin_packs::BUILTIN.len(),
        "every built-in pack has its native twin here"
    );
    // Parameter defaults come from the packs' own metadata, as in Wasm.
    let declared: Vec<_> = [
        pillar_pack_ec2::Ec2Pack::info(),
        pillar_pack_iam::IamPack::info(),
        pillar_pack_rds::RdsPack::info(),
        pillar_pack_s3::S3Pack::info(),
        pillar_pack_tags::TagsPack::info(),
        pillar_pack_vpc::VpcPack::info(),
        pillar_pack_elbv2::Elbv2Pack::info(),
        pillar_pack_wafv2::Wafv2Pack::info(),
        pillar_pack_kms::KmsPack::info(),
        pillar_pack_cloudtrail::CloudTrailPack::info(),
        pillar_pack_logs::LogsPack::info(),
        pillar_pack_secretsmanager::SecretsManagerPack::info(),
        pillar_pack_guardduty::GuardDutyPack::info(),
        pillar_pack_awsconfig::AwsConfigPack::info(),
        pillar_pack_ssm::SsmPack::info(),
        pillar_pack_cloudfront::CloudFrontPack::info(),
        pillar_pack_cloudwatch::CloudWatchPack::info(),
        pillar_pack_ecr::EcrPack::info(),
        pillar_pack_ecs::EcsPack::info(),
        pillar_pack_lambda::LambdaPack::info(),
        pillar_pack_messaging::MessagingPack::info(),
        pillar_pack_dynamodb::DynamoDbPack::info(),
        pillar_pack_elasticache::ElastiCachePack::info(),
        pillar_pack_efs::EfsPack::info(),
        pillar_pack_autoscaling::AutoScalingPack::info(),
        pillar_pack_eks::EksPack::info(),
        pillar_pack_backup::BackupPack::info(),
    ]
    .into_iter()
    .flat_map(|i| i.rules)
    .collect();
    config::set_current(config::Config::from_json(settings.clone()).with_defaults(&declared));
    if std::env::var_os("PILLAR_BENCH_PER_PACK").is_some() {
        for (wanted, evaluate) in &packs {
            let mut by_kind: BTreeMap<&str, (Duration, Duration)> = BTreeMap::new();
            let mut sink = Findings::default();
            for (kind, json) in batches.iter().filter(|(k, _)| wanted.contains(k)) {
                let start = Instant::now();
                let resources = parse_batch(json).expect("valid batch");
                let parsed = start.elapsed();
                evaluate(kind, &resources, &mut sink).expect("native evaluation");
                let entry = by_kind.entry(kind.as_str()).or_default();
                entry.0 += parsed;
                entry.1 += start.elapsed() - parsed;
            }
            for (kind, (parse, rules)) in by_kind {
                eprintln!(
                    "  native {kind}: parse {:.1} ms, rules {:.1} ms",
                    ms(parse),
                    ms(rules)
                );
            }
        }
    }
    let mut findings = 0;
    let time = best(runs, || findings = native_once(&packs, batches));
    (time, findings)
}

/// One native run of every pack over its batches; returns the number of
/// findings. Not inlined, so that a callgrind profile counts its
/// instructions under this name (Wasm/native in instructions, which the
/// load of a shared machine does not skew).
#[inline(never)]
fn native_once(packs: &[(Vec<String>, Evaluate)], batches: &[(String, String)]) -> usize {
    let mut sink = Findings::default();
    for (wanted, evaluate) in packs {
        for (kind, json) in batches {
            if wanted.iter().any(|k| k == kind) {
                let resources = parse_batch(json).expect("valid batch");
                evaluate(kind, &resources, &mut sink).expect("native evaluation");
            }
        }
    }
    sink.0.len()
}

/// One Wasm evaluation, called in a one-thread pool so that every task runs
/// on the calling thread: not inlined, for the same callgrind count.
#[inline(never)]
fn wasm_one_thread(
    host: &Host,
    packs: &[LoadedPack],
    snapshot: &Snapshot,
    settings: &str,
) -> pillar_evaluate::Evaluation {
    host.evaluate(packs, snapshot, settings)
}

/// One Wasm evaluation per pack, alone, on one thread, each under its own
/// symbol (`wasm_pack_N`, N the pack's position as printed) so that a
/// callgrind profile splits the Wasm figure by pack.
fn wasm_per_pack(host: &Host, packs: &[LoadedPack], snapshot: &Snapshot, settings: &str) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("worker thread");
    let by_position: [WasmPack; 6] = [
        wasm_pack_0,
        wasm_pack_1,
        wasm_pack_2,
        wasm_pack_3,
        wasm_pack_4,
        wasm_pack_5,
    ];
    for (i, pack) in packs.iter().enumerate() {
        let Some(evaluate) = by_position.get(i) else {
            eprintln!("  Wasm pack {i} ({}): not measured", pack.info.name);
            continue;
        };
        let start = Instant::now();
        let evaluation =
            pool.install(|| evaluate(host, std::slice::from_ref(pack), snapshot, settings));
        assert!(evaluation.failures.is_empty(), "{:?}", evaluation.failures);
        eprintln!(
            "  Wasm pack {i} ({}): {:.1} ms, {} findings",
            pack.info.name,
            ms(start.elapsed()),
            evaluation.findings.len()
        );
    }
}

type WasmPack = fn(&Host, &[LoadedPack], &Snapshot, &str) -> pillar_evaluate::Evaluation;

/// `wasm_pack_N`: [`wasm_one_thread`] under another name. Each passes its
/// own number through `black_box`, so the linker cannot fold the identical
/// bodies into one symbol.
macro_rules! wasm_pack {
    ($($name:ident = $n:literal),*) => {$(
        #[inline(never)]
        fn $name(
            host: &Host,
            packs: &[LoadedPack],
            snapshot: &Snapshot,
            settings: &str,
        ) -> pillar_evaluate::Evaluation {
            std::hint::black_box($n);
            host.evaluate(packs, snapshot, settings)
        }
    )*};
}

wasm_pack!(
    wasm_pack_0 = 0,
    wasm_pack_1 = 1,
    wasm_pack_2 = 2,
    wasm_pack_3 = 3,
    wasm_pack_4 = 4,
    wasm_pack_5 = 5
);

fn kinds<P: RulePack>() -> Vec<String> {
    let mut kinds: Vec<String> = P::info()
        .rules
        .into_iter()
        .flat_map(|r| r.resource_kinds)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Compile-from-scratch against load-from-cache, for the built-in packs.
fn startup(runs: usize) {
    let cold = best(runs, || {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = CompileCache::new(dir.path().to_owned()).expect("cache dir");
        let host = host(Some(cache));
        assert!(!load(&host).is_empty());
    });
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let cache = CompileCache::new(dir.path().to_owned()).expect("cache dir");
        load(&host(Some(cache)));
    }
    let warm = best(runs, || {
        let cache = CompileCache::new(dir.path().to_owned()).expect("cache dir");
        assert!(!load(&host(Some(cache))).is_empty());
    });
    println!(
        "pack start-up ({} built-in packs): cold (compile) {:.1} ms, warm (cache) {:.1} ms, cold/warm {:.1}×",
        pillar_builtin_packs::BUILTIN.len(),
        ms(cold),
        ms(warm),
        ratio(cold, warm)
    );
}

fn warm_cache() -> CompileCache {
    let dir = std::env::temp_dir().join("pillar-bench-cache");
    CompileCache::new(dir).expect("cache dir")
}

fn host(cache: Option<CompileCache>) -> Host {
    Host::new(Limits::default(), cache).expect("engine")
}

fn load(host: &Host) -> Vec<LoadedPack> {
    let sources: Vec<PackSource> = pillar_builtin_packs::BUILTIN
        .iter()
        .map(|p| PackSource::builtin(p.file_name, p.bytes))
        .collect();
    let (packs, failures) = host.load_all(&sources);
    assert!(failures.is_empty(), "{failures:?}");
    packs
}

fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn per_sec(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
