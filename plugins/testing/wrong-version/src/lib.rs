//! Hostile test pack: exports `pillar:rules/rules@9.0.0`. Never ship this.

wit_bindgen::generate!({ world: "rule-pack", path: "wit" });

struct Pack;

impl exports::pillar::rules::rules::Guest for Pack {
    fn metadata() -> String {
        "from the future".into()
    }
    fn evaluate(_kind: String, _batch: String) -> String {
        "[]".into()
    }
}

export!(Pack);
