//! A bounded mutation run of the plan reader and the snapshot loader, so
//! what the cargo-fuzz targets in `engine/plan/fuzz` look for is also
//! checked on every `cargo test` (no nightly, no libFuzzer). Seeds are the
//! bundled fixtures and, when present, the shared corpus of real plans.
//! Mutations are both byte-level (flips, truncations) and structural
//! (a JSON node replaced by a value of another type), which reach past the
//! JSON parser into the reader. Deterministic: a fixed-seed xorshift.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seeds() -> Vec<Vec<u8>> {
    let mut files = vec![repo().join("fixtures/plans/webapp/plan.json")];
    let corpus = repo().join("../shared/corpus/terraform-plans");
    if let Ok(entries) = std::fs::read_dir(&corpus) {
        let mut more: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        more.sort();
        files.extend(more);
    } else {
        eprintln!(
            "smoke: {} absent; mutating the bundled fixture only",
            corpus.display()
        );
    }
    files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
}

/// Replaces one node of `v` (chosen by a walk) with an odd value.
fn mutate_tree(v: &mut Value, rng: &mut Rng, depth: usize) {
    let odd = |rng: &mut Rng| match rng.below(8) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!("module.x[\"y\"].aws_s3_bucket.z[0]"),
        4 => json!([]),
        5 => json!({}),
        6 => json!([true, {"a": true}]),
        _ => json!("\u{0}~/]["),
    };
    let stop = depth > 12 || rng.below(4) == 0;
    match v {
        Value::Object(map) if !map.is_empty() && !stop => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = &keys[rng.below(keys.len())];
            if let Some(child) = map.get_mut(k) {
                mutate_tree(child, rng, depth + 1);
            }
        }
        Value::Array(items) if !items.is_empty() && !stop => {
            let i = rng.below(items.len());
            mutate_tree(&mut items[i], rng, depth + 1);
        }
        _ => *v = odd(rng),
    }
}

fn mutate_bytes(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.below(3) {
        0 => out.truncate(rng.below(out.len() + 1)),
        1 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(out.len());
                if let Some(b) = out.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
        _ => {
            let i = rng.below(out.len());
            out.insert(i.min(out.len()), b"{}[]\",:"[rng.below(7)]);
        }
    }
    out
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let options = crate::Options {
        source_dir: Some(repo().join("fixtures/plans/webapp")),
        base_dir: Some(repo()),
        tool: "smoke".into(),
        display_path: None,
    };
    let mut runs = 0;
    for seed in seeds() {
        let Ok(doc) = serde_json::from_slice::<Value>(&seed) else {
            continue;
        };
        for _ in 0..60 {
            let mut tree = doc.clone();
            for _ in 0..=rng.below(4) {
                mutate_tree(&mut tree, &mut rng, 0);
            }
            let bytes = serde_json::to_vec(&tree).unwrap_or_default();
            let _ = crate::from_bytes(&bytes, Path::new("m.json"), &options);
            let _ = crate::from_bytes(
                &mutate_bytes(&seed, &mut rng),
                Path::new("b.json"),
                &options,
            );
            runs += 2;
        }
    }
    // The snapshot loader, on the demo snapshot.
    let demo = std::fs::read_to_string(repo().join("fixtures/demo/webshop.json")).expect("demo");
    let demo_doc: Value = serde_json::from_str(&demo).expect("demo JSON");
    for _ in 0..200 {
        let mut tree = demo_doc.clone();
        mutate_tree(&mut tree, &mut rng, 0);
        let text = serde_json::to_string(&tree).unwrap_or_default();
        let _ = pillar_snapshot::parse_located(&text, Path::new("s.json"));
        let bytes = mutate_bytes(demo.as_bytes(), &mut rng);
        let _ =
            pillar_snapshot::parse_located(&String::from_utf8_lossy(&bytes), Path::new("s.json"));
        runs += 2;
    }
    assert!(runs >= 400, "the smoke run ran {runs} inputs");
}
