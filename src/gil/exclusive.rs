//! One thread at a time: what the GIL guarantees, checked by the models.
//!
//! Lecture section *GIL*: "the GIL guarantees that only one thread runs at
//! any moment." Each of `threads` threads runs `ops` bytecodes; a bytecode
//! counts itself in (`inside += 1`), notes how many threads it saw inside,
//! and counts itself out. With the GIL ([`Mode::Gil`]) no execution ever
//! sees two; without it ([`Mode::NoGil`], the control that proves the check
//! can fail) the models find the schedule where both threads are inside at
//! once — which is exactly what lets threads use two cores, and what
//! CPython's unsynchronised memory management could not survive.
//!
//! Cost of the guarantee: see [`super::speedup`].

use std::fmt;

use super::Gil;
use crate::counter::thread_name;
use crate::explore::Scenario;
use crate::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::sync::{thread, Arc, StartGate};

/// Whether bytecodes run under the GIL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every bytecode under the one lock.
    Gil,
    /// No lock: bytecodes of different threads overlap.
    NoGil,
}

/// A scenario's outcome: the most threads ever inside a bytecode at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Inside(pub usize);

impl fmt::Display for Inside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at most {} inside at once", self.0)
    }
}

/// One bytecode: count in, see how many are in, count out.
fn bytecode(inside: &AtomicUsize) -> usize {
    let now = inside.fetch_add(1, SeqCst) + 1;
    inside.fetch_sub(1, SeqCst);
    now
}

/// `threads` threads run `ops` bytecodes each; acceptable only if no
/// bytecode ever saw another thread inside.
pub fn scenario(name: &str, mode: Mode, threads: usize, ops: u64) -> Scenario<Inside> {
    Scenario::new(name, move || {
        let gil = Arc::new(Gil::new());
        let inside = Arc::new(AtomicUsize::new(0).named("inside"));
        let gate = Arc::new(StartGate::new(threads));
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let (gil, inside, gate) = (Arc::clone(&gil), Arc::clone(&inside), Arc::clone(&gate));
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        let mut most = 0;
                        match mode {
                            Mode::Gil => {
                                let mut py = gil.enter();
                                for _ in 0..ops {
                                    most = most.max(py.bytecode(|| bytecode(&inside)));
                                }
                            }
                            Mode::NoGil => {
                                for _ in 0..ops {
                                    most = most.max(bytecode(&inside));
                                }
                            }
                        }
                        most
                    })
                    .expect("spawn a worker")
            })
            .collect();
        let most = workers
            .into_iter()
            .map(|w| w.join().expect("a worker panicked"))
            .max()
            .unwrap_or(0);
        Inside(most)
    })
    .expect_only(Inside(1))
}

/// Catalogue entry `gil::exclusive`: with the GIL, one thread inside at a time.
pub(crate) fn build_exclusive(
    name: &'static str,
    params: crate::catalogue::Params,
) -> Box<dyn crate::explore::Explorable> {
    Box::new(scenario(name, Mode::Gil, params.threads, params.ops))
}
