//! `x += 1` under the GIL: still a race.
//!
//! Lecture section *GIL*: "with such a lock Python can be sure there are
//! never race conditions." Not quite: the GIL makes each *bytecode* atomic,
//! and `x += 1` is several — `LOAD x`, `ADD 1`, `STORE x` — with a switch
//! point after each. Two threads that both `LOAD` 0 before either `STORE`s
//! both store 1: a lost update, as without the GIL, only rarer (the switch
//! must land in a three-bytecode window, not a two-instruction one).
//!
//! | variant | [`Statement`] | verdict |
//! |---|---|---|
//! | `gil::counter` | [`Statement::Bytecodes`]: three bytecodes, switch between | racy: an update is lost |
//! | `gil::counter_locked` | [`Statement::Locked`]: the three under a user lock (`with lock: x += 1`) | holds; costs a lock per statement, and a thread that waits for it releases the GIL while it waits |
//! | `gil::counter_one_bytecode` | [`Statement::OneBytecode`]: the whole read-modify-write in one bytecode (an operation written in C, such as `list.append` or `next(itertools.count())`) | holds; only works for what the interpreter does in one step |
//!
//! `x` is an atomic only so that the facade can record it; every access is
//! made under the GIL, which orders them (so `Relaxed` is enough).

use crate::counter::{thread_name, Count};
use crate::explore::Scenario;
use crate::sync::atomic::{AtomicU64, Ordering::Relaxed};
use crate::sync::{thread, Arc, Mutex, PoisonError, StartGate};

use super::Gil;

/// How `x += 1` is executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statement {
    /// `LOAD x`, `ADD 1`, `STORE x`: three bytecodes, a switch point after each.
    Bytecodes,
    /// The same three bytecodes inside `with lock:` (Python's `threading.Lock`).
    Locked,
    /// The whole statement as one bytecode.
    OneBytecode,
}

/// The interpreter's state: the GIL, one global variable and a user lock.
#[derive(Debug)]
struct Interpreter {
    gil: Gil,
    x: AtomicU64,
    lock: Mutex<()>,
}

impl Interpreter {
    fn new() -> Self {
        Interpreter {
            gil: Gil::new(),
            x: AtomicU64::new(0).named("x"),
            lock: Mutex::new(()).named("lock"),
        }
    }

    /// A thread that runs `x += 1` `ops` times.
    fn run(&self, how: Statement, ops: u64) {
        let mut py = self.gil.enter();
        for _ in 0..ops {
            match how {
                Statement::Bytecodes => {
                    let v = py.bytecode(|| self.x.load(Relaxed)); // LOAD x
                    let v = py.bytecode(|| v + 1); // ADD 1
                    py.bytecode(|| self.x.store(v, Relaxed)); // STORE x (maybe over another thread's)
                }
                Statement::Locked => {
                    // `lock.acquire()` blocks with the GIL released, as in CPython:
                    // waiting for the user lock while holding the GIL would deadlock.
                    let guard = py.release_while(|| self.lock.lock().unwrap_or_else(PoisonError::into_inner));
                    let v = py.bytecode(|| self.x.load(Relaxed));
                    let v = py.bytecode(|| v + 1);
                    py.bytecode(|| self.x.store(v, Relaxed));
                    drop(guard); // `lock.release()`
                }
                Statement::OneBytecode => py.bytecode(|| self.x.store(self.x.load(Relaxed) + 1, Relaxed)),
            }
        }
    }
}

/// `threads` threads each run `x += 1` `ops` times under one GIL; only
/// `x = threads × ops` is acceptable.
pub fn scenario(name: &str, how: Statement, threads: usize, ops: u64) -> Scenario<Count> {
    Scenario::new(name, move || {
        let py = Arc::new(Interpreter::new());
        let gate = Arc::new(StartGate::new(threads));
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let (py, gate) = (Arc::clone(&py), Arc::clone(&gate));
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        py.run(how, ops);
                    })
                    .expect("spawn a worker")
            })
            .collect();
        for w in workers {
            w.join().expect("a worker panicked");
        }
        Count(py.x.load(Relaxed))
    })
    .expect_only(Count(threads as u64 * ops))
}

type Built = Box<dyn crate::explore::Explorable>;

/// Catalogue entry `gil::counter`: three bytecodes, a switch between: racy.
pub(crate) fn build_counter(name: &'static str, params: crate::catalogue::Params) -> Built {
    Box::new(scenario(name, Statement::Bytecodes, params.threads, params.ops))
}

/// Catalogue entry `gil::counter_locked`: `with lock: x += 1`.
pub(crate) fn build_counter_locked(name: &'static str, params: crate::catalogue::Params) -> Built {
    Box::new(scenario(name, Statement::Locked, params.threads, params.ops))
}

/// Catalogue entry `gil::counter_one_bytecode`: the statement as one bytecode.
pub(crate) fn build_counter_one_bytecode(name: &'static str, params: crate::catalogue::Params) -> Built {
    Box::new(scenario(name, Statement::OneBytecode, params.threads, params.ops))
}
