//! Standard output, and what happens when its reader goes away.
//!
//! `pillar rules list | head -1` closes the pipe while pillar still writes.
//! Rust ignores SIGPIPE, so the write fails with EPIPE, and `println!`
//! panics on it. Commands write through [`Stdout`] instead: once the reader
//! is gone, the rest of the output is dropped without a word and the command
//! ends with the exit code it would have had (see the exit codes in
//! `args.rs`), so `pillar scan | head` in a pipeline still fails on findings.

use std::io::{self, ErrorKind, Write};

/// The process's standard output, locked, that treats a closed pipe as a
/// reader that has read enough.
pub struct Stdout {
    inner: io::StdoutLock<'static>,
    closed: bool,
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Runs `write` on standard output and flushes it. Any failure but a closed
/// pipe is an error.
pub fn stdout(write: impl FnOnce(&mut Stdout) -> io::Result<()>) -> io::Result<()> {
    let mut out = Stdout {
        inner: io::stdout().lock(),
        closed: false,
    };
    write(&mut out)?;
    out.flush()
}
