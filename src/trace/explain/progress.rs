//! Whether an execution cut short by the model's step limit was still
//! making progress: not every long execution is a livelock.
//!
//! loom stops an execution after a fixed number of scheduling decisions.
//! Spin loops use many (each turn yields), and under loom a spinning load
//! may go on reading an older value for a long time, so a correct program
//! can reach the limit and still be on its way out: the last step of a
//! thread still running is one it never took before (it left its loop, it
//! wrote something new). A livelock repeats itself: every running thread's
//! last step is one it already took, with the same values, or it was still
//! yielding in a loop when stopped (a `yield` line ends its column).

use crate::trace::{Event, Op};

/// If `trace` (cut short by a step limit) was still making progress, the
/// index of its last step, which the thread that took it had not taken
/// before. Not if any thread still running was spinning (yielding since its
/// last step: a `yield` line), nor if the last step repeats one its thread
/// already took (a spin that does not yield, a livelock's round).
pub fn still_progressing(trace: &[Event]) -> Option<usize> {
    let joined: Vec<&str> = trace
        .iter()
        .filter(|e| e.op == Op::Join)
        .filter_map(|e| e.value.as_deref())
        .collect();
    let spinning = trace
        .iter()
        .any(|e| e.op == Op::Yield && !joined.contains(&e.thread.as_str()));
    if spinning {
        return None;
    }
    let same = |a: &Event, b: &Event| {
        a.op == b.op && a.target == b.target && a.read == b.read && a.wrote == b.wrote && a.value == b.value
    };
    let last = trace.iter().rposition(|e| !matches!(e.op, Op::Blocked | Op::Yield))?;
    let t = &trace[last].thread;
    let new = !trace[..last].iter().any(|e| &e.thread == t && same(e, &trace[last]));
    new.then_some(last)
}
