//! The host against real components: the built-in packs and the hostile
//! test packs built from plugins/testing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use pillar_builtin_packs::BUILTIN;
use pillar_evaluate::{
    CompileCache, ComplianceRef, Evaluation, FailureKind, Host, Limits, LoadedPack, PackFailure,
    PackSource, Stage, Verdict,
};
use pillar_snapshot::Snapshot;
use pillar_test_packs as testing;
use serde_json::json;

/// One compile cache for the whole test binary: each pack compiles once.
fn cache() -> CompileCache {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    CompileCache::new(dir.path().to_owned()).expect("cache dir")
}

fn host() -> Host {
    let limits = Limits {
        call_timeout: Duration::from_millis(500),
        memory_bytes: 32 << 20,
        ..Limits::default()
    };
    Host::new(limits, Some(cache())).expect("host")
}

fn builtins() -> Vec<PackSource> {
    BUILTIN
        .iter()
        .map(|p| PackSource::builtin(p.file_name, p.bytes))
        .collect()
}

fn hostile(path: &str) -> PackSource {
    PackSource::from_file(Path::new(path)).expect("hostile pack was built")
}

fn snapshot() -> Snapshot {
    let doc = json!({
        "format_version": 1,
        "source": {"kind": "fixture", "collected_at": "2026-11-01T00:00:00Z", "tool": "test"},
        "resources": [
            {"id": "sg-open", "kind": "aws_security_group", "region": "eu-west-1",
             "attributes": {"name": "open", "ingress": [
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
                {"protocol": "tcp", "from_port": 5432, "to_port": 5432, "ipv6_cidr_blocks": ["::/0"]}]}},
            {"id": "sg-closed", "kind": "aws_security_group", "region": "eu-west-1",
             "attributes": {"name": "closed", "ingress": [
                {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]}]}},
            {"id": "db-plain", "kind": "aws_db_instance", "region": "eu-west-1",
             "attributes": {"identifier": "plain", "engine": "postgres", "storage_encrypted": false,
                            "automated_backups_replications": []}},
            {"id": "db-planned", "kind": "aws_db_instance", "region": "eu-west-1",
             "attributes": {"identifier": "planned", "engine": "postgres",
                            "automated_backups_replications": [{"destination_region": "eu-central-1"}]},
             "unknown": ["/storage_encrypted"]},
            {"id": "i-1", "kind": "aws_instance", "region": "eu-west-1",
             "attributes": {"user_data": "DB=orders.x1.eu-west-1.rds.amazonaws.com"}}
        ]
    });
    pillar_snapshot::from_str(&doc.to_string(), Path::new("test.json")).expect("valid snapshot")
}

/// (rule, resource id, verdict) triples.
/// The rules this snapshot was written for; the catalog's other rules judge
/// its resources too, and are tested against fixtures/rules/builtin-cases.json.
const SNAPSHOT_RULES: &[&str] = &[
    "PILLAR-EC2-001",
    "PILLAR-EC2-002",
    "PILLAR-EC2-003",
    "PILLAR-RDS-001",
    "PILLAR-RDS-002",
];

fn verdicts(eval: &Evaluation, snap: &Snapshot) -> Vec<(String, String, Verdict)> {
    eval.findings
        .iter()
        .filter(|f| SNAPSHOT_RULES.contains(&f.rule_id.as_str()))
        .map(|f| {
            (
                f.rule_id.clone(),
                snap.resources[f.resource].id.clone(),
                f.verdict,
            )
        })
        .collect()
}

fn expected_builtin_verdicts() -> Vec<(String, String, Verdict)> {
    [
        ("PILLAR-EC2-001", "sg-open", Verdict::Fail),
        ("PILLAR-EC2-002", "sg-open", Verdict::Fail),
        ("PILLAR-RDS-001", "db-plain", Verdict::Fail),
        ("PILLAR-RDS-002", "db-plain", Verdict::Fail),
        ("PILLAR-RDS-001", "db-planned", Verdict::Unknown),
        ("PILLAR-EC2-003", "i-1", Verdict::Fail),
    ]
    .into_iter()
    .map(|(r, id, v)| (r.to_owned(), id.to_owned(), v))
    .collect()
}

#[test]
fn builtin_packs_load_with_their_metadata() {
    let (packs, failures) = host().load_all(&builtins());
    assert!(failures.is_empty(), "{failures:?}");
    let mut ids: Vec<&str> = packs
        .iter()
        .flat_map(|p| p.info.rules.iter().map(|r| r.id.as_str()))
        .collect();
    ids.sort_unstable();
    assert!(ids.len() >= 40, "{} rules", ids.len());
    for id in SNAPSHOT_RULES {
        assert!(ids.contains(id), "{id} keeps its id");
    }
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    for p in &packs {
        assert_eq!(p.info.contract, "0.2.0");
        assert_eq!(p.info.sha256.len(), 64);
        assert!(p.info.origin.starts_with("builtin:"));
    }
}

#[test]
fn builtin_packs_find_what_the_snapshot_holds() {
    let host = host();
    let (packs, _) = host.load_all(&builtins());
    let snap = snapshot();
    let eval = host.evaluate(&packs, &snap, "{}");
    assert!(eval.failures.is_empty(), "{:?}", eval.failures);
    assert_eq!(verdicts(&eval, &snap), expected_builtin_verdicts());
    let sg = &eval.stats["PILLAR-EC2-001"];
    assert_eq!(
        (sg.evaluated, sg.failed, sg.unknown, sg.passed()),
        (2, 1, 0, 1)
    );
    let enc = &eval.stats["PILLAR-RDS-001"];
    assert_eq!((enc.evaluated, enc.failed, enc.unknown), (2, 1, 1));
    let evidence = eval
        .findings
        .iter()
        .find(|f| f.rule_id == "PILLAR-EC2-002")
        .and_then(|f| f.evidence.clone());
    assert_eq!(evidence.as_deref(), Some("/ingress/1/ipv6_cidr_blocks/0"));
}

#[test]
fn small_batches_give_the_same_findings_on_two_threads() {
    let limits = Limits {
        batch_size: 1,
        ..Limits::default()
    };
    let host = Host::new(limits, Some(cache())).expect("host");
    let (packs, _) = host.load_all(&builtins());
    let snap = snapshot();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("pool");
    let eval = pool.install(|| host.evaluate(&packs, &snap, "{}"));
    assert_eq!(verdicts(&eval, &snap), expected_builtin_verdicts());
}

/// Loads the built-ins plus one hostile pack, checks the hostile one is
/// stopped as expected and the built-ins' findings are complete.
fn assert_contained(path: &str, stage: Stage, kind: FailureKind, says: &str) -> String {
    assert_contained_by(&host(), path, stage, kind, says)
}

/// The built-in packs and the pack at `path`, loaded by `host`.
fn load_beside_builtins(host: &Host, path: &str) -> (Vec<LoadedPack>, Vec<PackFailure>) {
    let mut sources = builtins();
    sources.push(hostile(path));
    host.load_all(&sources)
}

/// [`assert_contained`] under `host`'s limits.
fn assert_contained_by(
    host: &Host,
    path: &str,
    stage: Stage,
    kind: FailureKind,
    says: &str,
) -> String {
    let (packs, mut failures) = load_beside_builtins(host, path);
    let snap = snapshot();
    let eval = host.evaluate(&packs, &snap, "{}");
    failures.extend(eval.failures.clone());
    assert_eq!(
        failures.len(),
        1,
        "exactly the hostile pack fails: {failures:?}"
    );
    let f = &failures[0];
    assert_eq!((f.stage, f.kind), (stage, kind), "{f}");
    assert!(
        f.message.contains(says),
        "message {:?} should contain {says:?}",
        f.message
    );
    assert!(
        f.pack.starts_with("pillar-testing-") || f.pack.starts_with("pillar_testing_"),
        "named: {}",
        f.pack
    );
    assert_eq!(
        verdicts(&eval, &snap),
        expected_builtin_verdicts(),
        "other packs' findings are complete"
    );
    f.message.clone()
}

#[test]
fn an_infinite_loop_is_stopped_by_the_deadline() {
    assert_contained(
        testing::INFINITE_LOOP,
        Stage::Evaluate,
        FailureKind::Timeout,
        "time limit of 500 ms",
    );
}

#[test]
fn a_memory_bomb_is_stopped_by_the_memory_limit() {
    assert_contained(
        testing::MEMORY_BOMB,
        Stage::Evaluate,
        FailureKind::MemoryLimit,
        "memory limit of 32 MiB",
    );
}

#[test]
fn an_output_flood_is_stopped_by_the_finding_budget() {
    assert_contained(
        testing::OUTPUT_FLOOD,
        Stage::Evaluate,
        FailureKind::OutputLimit,
        "findings for a batch of 2",
    );
}

#[test]
fn a_trap_is_contained_and_its_panic_message_shown() {
    let message = assert_contained(testing::TRAP, Stage::Evaluate, FailureKind::Trap, "trapped");
    assert!(
        message.contains("rule pack bug"),
        "panic message surfaced: {message}"
    );
}

#[test]
fn reading_the_environment_is_denied() {
    assert_contained(
        testing::READS_ENV,
        Stage::Evaluate,
        FailureKind::CapabilityDenied,
        "environment variables",
    );
}

#[test]
fn reading_a_file_is_denied() {
    assert_contained(
        testing::READS_FILE,
        Stage::Evaluate,
        FailureKind::CapabilityDenied,
        "open files",
    );
}

#[test]
fn a_pack_built_for_another_contract_version_is_refused_at_load() {
    let message = assert_contained(
        testing::WRONG_VERSION,
        Stage::Load,
        FailureKind::IncompatibleVersion,
        "pillar:rules@9.0.0",
    );
    assert!(
        message.contains("implements pillar:rules@0.1.0"),
        "{message}"
    );
}

#[test]
fn an_infinite_loop_in_metadata_is_stopped_at_load() {
    assert_contained(
        testing::METADATA_LOOP,
        Stage::Metadata,
        FailureKind::Timeout,
        "time limit of 500 ms",
    );
}

#[test]
fn unbounded_recursion_overflows_the_wasm_stack_not_the_host() {
    assert_contained(
        testing::STACK_OVERFLOW,
        Stage::Evaluate,
        FailureKind::Trap,
        "overflowed its stack",
    );
}

#[test]
fn aliased_strings_cannot_make_the_host_allocate_past_its_budget() {
    // 64 strings aliasing one 16 MiB buffer: 1 GiB if the host lifted them.
    assert_contained(
        testing::ALIASED_STRINGS,
        Stage::Metadata,
        FailureKind::OutputLimit,
        "more than 8 MiB in one call",
    );
}

#[test]
fn a_trap_halfway_through_a_batch_drops_the_half_finished_batch() {
    // assert_contained also checks that no TEST-HALF-001 finding survived.
    assert_contained(
        testing::TRAP_MID_BATCH,
        Stage::Evaluate,
        FailureKind::Trap,
        "rule pack bug at resource 1 of 2",
    );
}

#[test]
fn duplicate_rule_ids_in_metadata_are_refused() {
    assert_contained(
        testing::DUPLICATE_RULE_IDS,
        Stage::Metadata,
        FailureKind::BadMetadata,
        "rule id TEST-META-001 is listed twice",
    );
}

#[test]
fn a_kilobyte_long_rule_id_is_refused() {
    assert_contained(
        testing::LONG_RULE_ID,
        Stage::Metadata,
        FailureKind::BadMetadata,
        "rule id is 1024 bytes; the limit is 64",
    );
}

#[test]
fn a_resource_kind_outside_the_model_is_refused() {
    assert_contained(
        testing::UNKNOWN_KIND,
        Stage::Metadata,
        FailureKind::BadMetadata,
        "\"aws_flux_capacitor\", which this pillar's resource model does not have",
    );
}

#[test]
fn a_finding_on_a_resource_outside_the_batch_stops_the_pack() {
    assert_contained(
        testing::FOREIGN_RESOURCE,
        Stage::Evaluate,
        FailureKind::ContractViolation,
        "resource #2 of a batch of 2",
    );
}

#[test]
fn opening_a_socket_is_denied() {
    assert_contained(
        testing::OPENS_SOCKET,
        Stage::Evaluate,
        FailureKind::CapabilityDenied,
        "open a TCP socket",
    );
}

#[test]
fn an_import_the_host_does_not_grant_is_refused_before_any_code_runs() {
    assert_contained(
        testing::IMPORTS_UNKNOWN,
        Stage::Load,
        FailureKind::UnsatisfiedImport,
        "acme:backdoor/exfiltrate@1.0.0",
    );
}

#[test]
fn a_rule_id_owned_by_another_pack_is_a_conflict_not_an_override() {
    let message = assert_contained(
        testing::STEALS_RULE_ID,
        Stage::Load,
        FailureKind::Conflict,
        "rule id PILLAR-EC2-001 is already defined by pack 'pillar-ec2'",
    );
    assert!(message.contains("PILLAR-EC2-001"), "{message}");
}

#[test]
fn a_truncated_component_is_invalid() {
    let whole = BUILTIN[0].bytes;
    let truncated = PackSource {
        origin: "truncated.wasm".into(),
        bytes: whole[..whole.len() / 2].to_vec().into(),
    };
    let f = host().load(&truncated).err().expect("refused");
    assert_eq!(
        (f.stage, f.kind, f.pack.as_str()),
        (Stage::Load, FailureKind::Invalid, "truncated"),
        "{f}"
    );
}

#[test]
fn garbage_and_core_modules_are_invalid() {
    let host = host();
    let junk = PackSource {
        origin: "junk.wasm".into(),
        bytes: b"not wasm at all".to_vec().into(),
    };
    let f = host.load(&junk).err().expect("refused");
    assert_eq!(
        (f.stage, f.kind, f.pack.as_str()),
        (Stage::Load, FailureKind::Invalid, "junk")
    );
    // The smallest valid core module: magic and version only.
    let core = PackSource {
        origin: "core.wasm".into(),
        bytes: b"\0asm\x01\0\0\0".to_vec().into(),
    };
    let f = host.load(&core).err().expect("refused");
    assert_eq!(f.kind, FailureKind::Invalid, "{f}");
}

#[test]
fn loading_a_pack_twice_is_a_conflict_not_an_override() {
    let mut sources = builtins();
    sources.push(sources[0].clone());
    let (packs, failures) = host().load_all(&sources);
    assert_eq!(packs.len(), BUILTIN.len());
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].kind, FailureKind::Conflict);
}

#[test]
fn the_compile_cache_is_hit_on_the_second_load_and_survives_corruption() {
    let dir = tempfile::tempdir().expect("temp dir");
    let make = || {
        Host::new(
            Limits::default(),
            Some(CompileCache::new(dir.path().to_owned()).expect("cache")),
        )
        .expect("host")
    };
    let source = &builtins()[0];
    assert!(!make().load(source).expect("cold").info.cache_hit);
    assert!(make().load(source).expect("warm").info.cache_hit);
    let artifacts: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("read cache")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cwasm"))
        .collect();
    assert_eq!(artifacts.len(), 1);
    std::fs::write(&artifacts[0], b"corrupted").expect("corrupt");
    let reloaded = make().load(source).expect("recompiled after corruption");
    assert!(!reloaded.info.cache_hit);
}

#[test]
fn built_in_packs_declare_typed_parameters_and_compliance_references() {
    let (packs, _) = host().load_all(&builtins());
    let rule = packs
        .iter()
        .flat_map(|p| &p.info.rules)
        .find(|r| r.id == "PILLAR-IAM-004")
        .expect("PILLAR-IAM-004");
    let p = &rule.parameters[0];
    assert_eq!(
        (p.name.as_str(), p.kind.as_str(), p.default.clone()),
        ("max_age_days", "integer", Some(json!(90)))
    );
    assert!(!p.description.is_empty());
    for r in packs.iter().flat_map(|p| &p.info.rules) {
        assert_eq!(
            r.compliance,
            [ComplianceRef {
                framework: "aws-well-architected".into(),
                control: r.best_practice.clone(),
            }],
            "{}",
            r.id
        );
    }
}

#[test]
fn a_0_1_pack_runs_beside_the_0_2_packs_with_what_0_2_declares_derived() {
    let host = host();
    let (packs, failures) = load_beside_builtins(&host, testing::CONTRACT_V0_1);
    assert!(failures.is_empty(), "{failures:?}");
    let old = packs
        .iter()
        .find(|p| p.info.name == "pillar-testing-contract-v0-1")
        .expect("the 0.1 pack loads");
    assert_eq!(old.info.contract, "0.1.0");
    assert!(
        packs
            .iter()
            .filter(|p| p.info.name != old.info.name)
            .all(|p| p.info.contract == "0.2.0")
    );
    // Parameters from the help table, compliance from the best practice.
    let rule = &old.info.rules[0];
    let p = &rule.parameters[0];
    assert_eq!(
        (p.name.as_str(), p.kind.as_str(), p.default.clone()),
        ("min_length", "integer", Some(json!(1)))
    );
    assert_eq!(p.description, "Shortest description accepted.");
    assert_eq!(rule.compliance[0].control, "OPS05-BP01");

    let snap = snapshot();
    let eval = host.evaluate(&packs, &snap, r#"{"TEST-V01-001": {"min_length": 1}}"#);
    assert!(eval.failures.is_empty(), "{:?}", eval.failures);
    assert_eq!(verdicts(&eval, &snap), expected_builtin_verdicts());
    let old_findings: Vec<(&str, &str)> = eval
        .findings
        .iter()
        .filter(|f| f.pack == old.info.name)
        .map(|f| (snap.resources[f.resource].id.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(old_findings.len(), 2, "{old_findings:?}");
    assert_eq!(eval.stats["TEST-V01-001"].evaluated, 2);
    // The 0.1 pack's `configure` got the setting.
    let none = host.evaluate(&packs, &snap, r#"{"TEST-V01-001": {"min_length": 0}}"#);
    assert!(none.findings.iter().all(|f| f.pack != old.info.name));
}

// The classes an outside hostile suite found (docs/sandbox.md).

#[test]
fn sleeping_in_a_host_call_is_stopped_at_once_not_waited_for() {
    // Epoch interruption cannot reach a guest blocked in host code: the
    // wait itself must stop the pack (else this test hangs for an hour).
    assert_contained(
        testing::SLEEPS,
        Stage::Evaluate,
        FailureKind::CapabilityDenied,
        "may not wait or sleep",
    );
}

#[test]
fn blocking_on_a_pollable_in_metadata_is_stopped_at_load() {
    assert_contained(
        testing::SLEEPS_IN_METADATA,
        Stage::Metadata,
        FailureKind::CapabilityDenied,
        "pollable.block",
    );
}

#[test]
fn calling_exit_is_named_as_such() {
    let message = assert_contained(
        testing::EXITS,
        Stage::Evaluate,
        FailureKind::Trap,
        "called exit(1)",
    );
    assert!(!message.contains("wasm backtrace"), "{message}");
}

#[test]
fn creating_host_handles_without_end_is_bounded() {
    assert_contained(
        testing::HANDLE_FLOOD,
        Stage::Evaluate,
        FailureKind::MemoryLimit,
        "host handles",
    );
}

#[test]
fn asking_for_a_gigabyte_of_random_bytes_is_refused() {
    assert_contained(
        testing::RANDOM_FLOOD,
        Stage::Evaluate,
        FailureKind::OutputLimit,
        "KiB of random bytes",
    );
}

#[test]
fn a_huge_error_text_is_cut_not_copied_into_the_report() {
    let message = assert_contained(
        testing::HUGE_ERROR,
        Stage::Evaluate,
        FailureKind::PackError,
        "cut by pillar",
    );
    assert!(message.len() < 2 << 10, "{} bytes", message.len());
    assert!(message.contains("HUGExxx"), "the start is kept: {message}");
}

#[test]
fn a_pack_under_every_call_deadline_is_stopped_by_its_scan_budget() {
    // 400 ms per batch, under the 500 ms deadline; one-resource batches
    // make two security-group batches, and the budget holds one and a half.
    let host = Host::new(
        Limits {
            call_timeout: Duration::from_millis(500),
            memory_bytes: 32 << 20,
            batch_size: 1,
            pack_time_base: Duration::from_millis(600),
            pack_time_per_resource: Duration::ZERO,
            ..Limits::default()
        },
        Some(cache()),
    )
    .expect("host");
    // One thread: calls running side by side each start within the budget,
    // so it can be overshot by one call per thread (docs/sandbox.md).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    pool.install(|| {
        assert_contained_by(
            &host,
            testing::SLOW_BATCHES,
            Stage::Evaluate,
            FailureKind::Timeout,
            "used up its time budget for the scan (0.6 s for the 2 resources it reads)",
        )
    });
}

#[test]
fn the_most_findings_every_call_allows_is_stopped_by_the_scan_budget() {
    let host = Host::new(
        Limits {
            call_timeout: Duration::from_millis(500),
            memory_bytes: 32 << 20,
            findings_per_resource: 4,
            ..Limits::default()
        },
        Some(cache()),
    )
    .expect("host");
    assert_contained_by(
        &host,
        testing::FINDINGS_FLOOD,
        Stage::Evaluate,
        FailureKind::OutputLimit,
        "more than 8 findings over the scan for the 2 resources it reads (limit: 4 per resource)",
    );
}

#[test]
fn what_a_pack_holds_is_summed_over_worker_threads() {
    // 24 MiB per instance is under the 32 MiB per memory; the pack may
    // hold 32 MiB in all, so a second instance on another thread fails.
    let host = Host::new(
        Limits {
            call_timeout: Duration::from_millis(2000),
            memory_bytes: 32 << 20,
            pack_memory_multiple: 1,
            batch_size: 1,
            ..Limits::default()
        },
        Some(cache()),
    )
    .expect("host");
    let (packs, failures) = host.load_all(&[hostile(testing::HOLDS_MEMORY)]);
    assert!(failures.is_empty(), "{failures:?}");
    let groups: Vec<_> = (0..200)
        .map(|i| {
            json!({"id": format!("sg-{i}"), "kind": "aws_security_group",
                   "attributes": {"name": format!("g{i}"), "ingress": []}})
        })
        .collect();
    let doc = json!({
        "format_version": 1,
        "source": {"kind": "fixture", "collected_at": "2026-11-01T00:00:00Z", "tool": "test"},
        "resources": groups,
    });
    let snap = pillar_snapshot::from_str(&doc.to_string(), Path::new("groups.json"))
        .expect("valid snapshot");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("pool");
    let eval = pool.install(|| host.evaluate(&packs, &snap, "{}"));
    let f = eval.failures.first().expect("the pack is stopped");
    assert_eq!(f.kind, FailureKind::MemoryLimit, "{f}");
    assert!(
        f.message
            .contains("memory limit of 32 MiB per pack (all its memories on every thread)"),
        "{f}"
    );
}

#[test]
fn rule_ids_that_read_as_built_in_ones_are_refused() {
    assert_contained(
        testing::LOOKALIKE_IDS,
        Stage::Metadata,
        FailureKind::BadMetadata,
        "rule id PILLAR-EC2-0O1 reads as a built-in rule id",
    );
}

/// Characters a terminal or a renderer would act on.
fn is_active(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn escape_sequences_and_bidi_overrides_are_shown_not_passed_on() {
    let host = host();
    let (packs, failures) = load_beside_builtins(&host, testing::CONTROL_CHARS);
    assert!(failures.is_empty(), "the pack runs: {failures:?}");
    let snap = snapshot();
    let eval = host.evaluate(&packs, &snap, "{}");
    assert!(eval.failures.is_empty(), "{:?}", eval.failures);
    assert_eq!(verdicts(&eval, &snap), expected_builtin_verdicts());

    let pack = packs
        .iter()
        .find(|p| p.info.name == "pillar-testing-control-chars")
        .expect("loaded");
    let title = &pack.info.rules[0].title;
    assert_eq!(title, "Title\\u{1b}]0;owned\\u{7} with an escape");
    let theirs: Vec<_> = eval
        .findings
        .iter()
        .filter(|f| f.pack == pack.info.name)
        .collect();
    assert_eq!(theirs.len(), 2, "one per security group");
    for f in theirs {
        assert!(!f.message.chars().any(is_active), "{:?}", f.message);
        assert!(!f.message.contains('\n'), "no forged second line");
        assert!(f.message.contains("\\u{1b}[2J") && f.message.contains("\\u{202e}"));
        let evidence = f.evidence.as_deref().unwrap_or_default();
        assert_eq!(evidence, "/name\\u{1b}[8m");
    }
    let logs: Vec<_> = eval
        .logs
        .iter()
        .filter(|l| l.pack == pack.info.name)
        .collect();
    assert!(!logs.is_empty());
    assert!(logs.iter().all(|l| !l.message.chars().any(is_active)));
}

#[test]
fn secrets_a_third_party_pack_copies_out_of_user_data_are_masked() {
    let doc = json!({
        "format_version": 1,
        "source": {"kind": "fixture", "collected_at": "2026-11-01T00:00:00Z", "tool": "test"},
        "resources": [
            {"id": "i-1", "kind": "aws_instance", "region": "eu-west-1",
             "attributes": {"user_data":
                "#!/bin/bash\nexport DB_PASSWORD='correct-horse-battery'\n\
                 AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\necho hello\n"}},
        ]
    });
    let snap = pillar_snapshot::from_str(&doc.to_string(), Path::new("secrets.json"))
        .expect("valid snapshot");
    let host = host();
    let (packs, failures) = load_beside_builtins(&host, testing::COPIES_SECRETS);
    assert!(failures.is_empty(), "{failures:?}");
    let eval = host.evaluate(&packs, &snap, "{}");
    assert!(eval.failures.is_empty(), "{:?}", eval.failures);
    let copied: Vec<&str> = eval
        .findings
        .iter()
        .filter(|f| f.rule_id == "TEST-SECRET-001")
        .map(|f| f.message.as_str())
        .chain(
            eval.logs
                .iter()
                .filter(|l| l.pack == "pillar-testing-copies-secrets")
                .map(|l| l.message.as_str()),
        )
        .collect();
    assert_eq!(copied.len(), 2, "a finding and a log line: {copied:?}");
    for text in copied {
        assert!(!text.contains("correct-horse-battery"), "{text}");
        assert!(!text.contains("IOSFODNN7EXAMPLE"), "{text}");
        assert!(text.contains("[masked by pillar"), "{text}");
        assert!(text.contains("echo hello"), "the rest is kept: {text}");
    }
    // The built-in secret rule still reports, masked as it always was.
    assert!(
        eval.findings
            .iter()
            .any(|f| f.rule_id == "PILLAR-EC2-007" && !f.message.contains("battery"))
    );
}

#[test]
fn deeply_nested_code_is_refused_before_it_is_compiled() {
    // 400 KB; compiling it would take gigabytes and most of a minute.
    let source = PackSource {
        origin: "nested.wasm".into(),
        bytes: testing::nested_component(200_000).into(),
    };
    let f = host().load(&source).err().expect("refused");
    assert_eq!(
        (f.stage, f.kind),
        (Stage::Load, FailureKind::CompileLimit),
        "{f}"
    );
    assert!(
        f.message.contains("nests blocks more than 1000 deep"),
        "{f}"
    );
    // A shallow one is compiled, and refused for what it is.
    let shallow = PackSource {
        origin: "shallow.wasm".into(),
        bytes: testing::nested_component(10).into(),
    };
    let f = host().load(&shallow).err().expect("not a rule pack");
    assert_eq!(f.kind, FailureKind::Invalid, "{f}");
}

#[test]
fn a_call_that_does_not_come_back_is_abandoned_by_the_watchdog() {
    // A call stuck where the epoch deadline cannot reach it is stood in for
    // by a deadline far away: the wall-clock watchdog gives up first.
    let host = Host::new(
        Limits {
            call_timeout: Duration::from_secs(30),
            call_watchdog: Duration::from_secs(1),
            memory_bytes: 32 << 20,
            ..Limits::default()
        },
        Some(cache()),
    )
    .expect("host");
    let message = assert_contained_by(
        &host,
        testing::INFINITE_LOOP,
        Stage::Evaluate,
        FailureKind::Timeout,
        "did not return within 1000 ms (its deadline is 30000 ms), so it was abandoned",
    );
    assert!(message.contains("evaluate(aws_security_group"), "{message}");
    assert_contained_by(
        &host,
        testing::METADATA_LOOP,
        Stage::Metadata,
        FailureKind::Timeout,
        "did not return within 1000 ms",
    );
}
