//! The wall-clock watchdog: every call into a pack runs on a thread of its
//! own, and the worker waits for it at most a fixed time.
//!
//! Epoch interruption stops guest code that runs too long, but only guest
//! code: a pack stuck inside a host call never gets back to where the
//! deadline fires. Every host call a pack can reach returns without waiting
//! today (the waits are refused, see `sandbox.rs`), so this is the second
//! line: if a call does not come back, the worker abandons it (its store
//! goes with it), names the pack, and the scan goes on. A thread per call
//! costs tens of microseconds; a call judges a batch of up to 256 resources.

use std::sync::mpsc;
use std::time::Duration;

/// Stack of a call thread: room for the wasm stack (512 KiB, see
/// `engine.rs`) and the host frames beneath it.
const CALL_STACK: usize = 4 << 20;

/// How a watched call ended.
pub(crate) enum Watched<T> {
    Returned(T),
    /// Still running at the limit: abandoned. Its thread ends on its own,
    /// if ever; what it holds is dropped then.
    Abandoned,
    /// No thread could be started, or the call panicked (a host bug).
    Lost(String),
}

/// Runs `call` on a new thread named `name`, waiting at most `limit`.
pub(crate) fn watched<T: Send + 'static>(
    name: &str,
    limit: Duration,
    call: impl FnOnce() -> T + Send + 'static,
) -> Watched<T> {
    let (done, wait) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(CALL_STACK)
        .spawn(move || {
            // The receiver is gone once the call was abandoned.
            let _ = done.send(call());
        });
    if let Err(e) = spawned {
        return Watched::Lost(format!("could not start a thread for the call: {e}"));
    }
    match wait.recv_timeout(limit) {
        Ok(value) => Watched::Returned(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Watched::Abandoned,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Watched::Lost("the call's thread ended without an answer".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_that_returns_is_answered() {
        assert!(matches!(
            watched("t", Duration::from_secs(5), || 7),
            Watched::Returned(7)
        ));
    }

    #[test]
    fn a_call_that_does_not_return_is_abandoned() {
        let stuck = watched("t", Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(2));
        });
        assert!(matches!(stuck, Watched::Abandoned));
    }
}
