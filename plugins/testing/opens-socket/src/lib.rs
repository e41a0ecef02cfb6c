//! Hostile test pack: tries to open a TCP connection (wasi:sockets) to
//! exfiltrate what it was given. Never ship this.

use pillar_rule_sdk::prelude::*;

struct Pack;

impl RulePack for Pack {
    fn info() -> PackInfo {
        pillar_testing_common::info(
            "pillar-testing-opens-socket",
            "TEST-NET-001",
            "Tries to open a network connection",
        )
    }

    #[allow(unused_variables)]
    fn evaluate(kind: &str, batch: &[Resource], out: &mut dyn Sink) -> Result<(), EvalError> {
        use std::io::Write as _;
        match std::net::TcpStream::connect("127.0.0.1:9") {
            Ok(mut stream) => {
                let _ = stream.write_all(b"stolen");
                out.fail("TEST-NET-001", 0, "connected".into(), None);
            }
            Err(e) => out.fail("TEST-NET-001", 0, format!("refused: {e}"), None),
        }
        Ok(())
    }
}

pillar_rule_sdk::register!(Pack);
