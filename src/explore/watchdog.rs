//! A model exploration that stops seeing steps.
//!
//! loom and shuttle run every model thread on the one OS thread that
//! explores, and switch threads only at an operation they see (a
//! `racelab::sync` call). A thread that loops on a `std` atomic, blocks in
//! a `std::sync::Mutex` or `parking_lot` lock another model thread holds,
//! or spins without any modelled operation never gives the scheduler a
//! chance: the exploration does not fail, it hangs, and says nothing.
//!
//! So a model exploration runs on a thread of its own, counting every
//! operation the model sees (the trace's heartbeat), and the caller
//! watches the count. When it stands still for the stall limit, the caller
//! reports a `time limit` failure that names the likely cause, instead of
//! waiting for ever. The stuck thread cannot be stopped from outside: it is
//! left running (a process exits around it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How long a model exploration may go without one operation the model
/// sees, unless the explorer says otherwise.
pub const DEFAULT_STALL_LIMIT: Duration = Duration::from_secs(20);

/// The exploration thread's stack: the models' own bookkeeping (loom's
/// search, shuttle's scheduler) runs on it.
const STACK: usize = 32 << 20;

/// What the model saw before it stopped seeing anything.
pub(super) struct Stalled {
    pub(super) operations: u64,
}

/// Runs `work` on a thread of its own, with a heartbeat; returns its
/// result, or [`Stalled`] if the heartbeat stood still for `limit`.
pub(super) fn watched<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stalled> {
    let beats = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel();
    let counted = Arc::clone(&beats);
    let handle = std::thread::Builder::new()
        .name("racelab-explore".into())
        .stack_size(STACK)
        .spawn(move || {
            crate::trace::set_heartbeat(Some(counted));
            let result = work();
            crate::trace::set_heartbeat(None);
            // The caller may have given up on us already.
            let _ = tx.send(result);
        })
        .expect("racelab could not start a thread to explore on");
    let tick = (limit / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let (mut seen, mut since) = (beats.load(Ordering::Relaxed), Instant::now());
    loop {
        match rx.recv_timeout(tick) {
            Ok(result) => {
                let _ = handle.join();
                return Ok(result);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The exploration thread panicked: pass its panic on.
                match handle.join() {
                    Err(payload) => std::panic::resume_unwind(payload),
                    Ok(()) => unreachable!("the exploration thread sends before it ends"),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = beats.load(Ordering::Relaxed);
                // An odd count: the explorer is busy explaining, not stuck.
                if now != seen || now & 1 == 1 {
                    (seen, since) = (now, Instant::now());
                } else if since.elapsed() >= limit {
                    return Err(Stalled { operations: now / 2 });
                }
            }
        }
    }
}

/// The failure message for an exploration that stood still for `limit`.
pub(super) fn stall_message(limit: Duration, stalled: &Stalled) -> String {
    format!(
        "the model saw no operation for {} s (after {} in all): a thread is running code the model cannot see, and \
         never gives the scheduler a turn. Likely: a loop over a std type (std::sync::atomic, std::sync::Mutex, \
         parking_lot), a blocking std call, or a spin loop with no racelab::sync operation in it. Use the \
         racelab::sync types, or call racelab::sync::thread::yield_now() inside the loop. (The stuck exploration \
         is left running until the process exits.)",
        limit.as_secs_f64(),
        stalled.operations
    )
}
