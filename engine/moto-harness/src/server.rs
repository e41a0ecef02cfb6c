//! The moto_server process.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// The account moto reports (MOTO_ACCOUNT_ID), so ARNs are predictable.
pub const ACCOUNT: &str = "111122223333";

struct Process {
    endpoint: String,
    // Dropping (closing) this pipe makes the wrapper shell kill moto; it is
    // also closed by the OS when the test binary dies in any way.
    _lifeline: ChildStdin,
    _child: Child,
}

static SERVER: OnceLock<Result<Process, String>> = OnceLock::new();
static LOCK: Mutex<()> = Mutex::new(());

/// Exclusive use of the shared server, reset to empty.
pub struct Moto {
    pub endpoint: String,
    _guard: MutexGuard<'static, ()>,
}

/// Where moto_server is: `$PILLAR_MOTO_SERVER`, else `<repo>/.venv/bin/moto_server`.
fn server_path() -> PathBuf {
    if let Some(p) = std::env::var_os("PILLAR_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server")
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start_shared() -> Result<Process, String> {
    start(&[("MOTO_ACCOUNT_ID", ACCOUNT)])
}

fn start(env: &[(&str, &str)]) -> Result<Process, String> {
    let path = server_path();
    if !path.exists() {
        return Err(format!(
            "moto_server not found at {} (set PILLAR_MOTO_SERVER, or run `make setup` to \
             install moto[server]==5.1.22 into .venv)",
            path.display()
        ));
    }
    let port = free_port().map_err(|e| format!("no free port: {e}"))?;
    // The wrapper starts moto, then waits for its stdin to close (our
    // process ending, however it ends) and kills moto. `exec` is avoided so
    // the shell stays to do that.
    let script = r#"
        "$0" -H 127.0.0.1 -p "$1" >/dev/null 2>&1 &
        moto=$!
        trap 'kill $moto 2>/dev/null' EXIT
        cat >/dev/null
        kill $moto 2>/dev/null
        wait $moto 2>/dev/null
    "#;
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(script)
        .arg(&path)
        .arg(port.to_string())
        .env_remove("MOTO_ACCOUNT_ID")
        .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", path.display()))?;
    let lifeline = child.stdin.take().ok_or("no stdin pipe")?;
    let endpoint = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if request(&endpoint, "GET", "/moto-api/").is_ok_and(|s| s == 200) {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "moto_server at {endpoint} did not become ready in 60 s"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Process {
        endpoint,
        _lifeline: lifeline,
        _child: child,
    })
}

/// The shared server, reset; panics with a message naming `make setup`
/// when moto is not installed (a test must never pass without it).
pub fn moto() -> Moto {
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let endpoint = match SERVER.get_or_init(start_shared) {
        Ok(p) => p.endpoint.clone(),
        Err(e) => panic!("{e}"),
    };
    match request(&endpoint, "POST", "/moto-api/reset") {
        Ok(200) => {}
        other => panic!("cannot reset moto at {endpoint}: {other:?}"),
    }
    Moto {
        endpoint,
        _guard: guard,
    }
}

/// A server of its own, without a fixed account: calls made with an assumed
/// role's credentials act in that role's account, so one run can read
/// several accounts. Stopped when dropped (or when the test binary ends).
pub struct PrivateMoto {
    pub endpoint: String,
    _process: Process,
}

pub fn private_moto() -> PrivateMoto {
    match start(&[]) {
        Ok(process) => PrivateMoto {
            endpoint: process.endpoint.clone(),
            _process: process,
        },
        Err(e) => panic!("{e}"),
    }
}

/// A bare HTTP/1.1 request; returns the status code.
pub fn request(endpoint: &str, method: &str, path: &str) -> std::io::Result<u16> {
    let addr = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad response: {response:.80}")))
}
