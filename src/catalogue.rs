//! Every scenario racelab knows, by name (`topic::variant`): what the CLI
//! lists and explores, the tour walks, and the tests cover. Adding a variant
//! is one line here.

use thiserror::Error;

use crate::check_then_act::{lazy_init, withdraw};
use crate::counter::{self, Counter};
use crate::deadlock::{self, Bank};
use crate::document::{self, Store};
use crate::explore::{Explorable, FailureKind};
use crate::ordering::{self, Flavor, Litmus};
use crate::spinlock::SpinCounter;
use crate::stack;
use crate::sync::Backend;

/// What a variant is expected to do under the model backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Every execution is acceptable: a fix.
    Holds,
    /// Some execution fails this way: a racy baseline.
    Racy(FailureKind),
    /// Racy, but only loom can see it (a weak-memory bug or a data race):
    /// shuttle runs every atomic as `SeqCst` and does not check cells, so
    /// under shuttle it holds. The contrast is part of the lesson.
    LoomOnly(FailureKind),
}

impl Expect {
    /// The failure kind a model backend should find, if any.
    pub fn racy_under(self, backend: Backend) -> Option<FailureKind> {
        match (self, backend) {
            (Expect::Racy(kind), Backend::Shuttle | Backend::Loom) => Some(kind),
            (Expect::LoomOnly(kind), Backend::Loom) => Some(kind),
            _ => None,
        }
    }

    /// Whether this is a fix (holds everywhere).
    pub fn holds(self) -> bool {
        self == Expect::Holds
    }
}

/// How big a run is: how many threads, how many operations each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    pub threads: usize,
    pub ops: u64,
}

/// loom models at most 5 threads, the scenario's own among them.
pub const LOOM_MAX_SPAWNED: usize = 4;
/// More threads than this is a typo, not an experiment.
pub const MAX_THREADS: usize = 64;

/// Parameters a backend cannot run.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ParamError {
    #[error("--threads must be at least 1")]
    NoThreads,
    #[error("--ops must be at least 1")]
    NoOps,
    #[error("--threads {0} is more than {MAX_THREADS}")]
    TooManyThreads(usize),
    #[error("--threads {0} is too many for loom, which models at most {LOOM_MAX_SPAWNED} spawned threads")]
    TooManyForLoom(usize),
}

/// The sizes a scenario runs at unless told otherwise: small under the
/// models (enough for every interleaving that matters, and loom's cost grows
/// fast), large on hardware (enough for real threads to overlap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub model: Params,
    pub hardware: Params,
}

const fn sizes(model_ops: u64, hardware_ops: u64) -> Sizes {
    Sizes {
        model: Params {
            threads: 2,
            ops: model_ops,
        },
        hardware: Params {
            threads: 2,
            ops: hardware_ops,
        },
    }
}

/// Counters: two increments each under the models, ten thousand on hardware.
const COUNTER: Sizes = sizes(2, 10_000);
/// Documents: one edit each under the models; hardware edits copy a growing
/// text, so a few hundred.
const DOCUMENT: Sizes = sizes(1, 300);
/// One action per thread: the race needs no more.
const ONCE: Sizes = sizes(1, 1);
/// Transfers: one each under the models, a thousand on hardware.
const TRANSFER: Sizes = sizes(1, 1_000);
/// The GIL: one `x += 1` (one bytecode for gil::exclusive) per thread under the models, ten thousand on hardware.
const GIL: Sizes = sizes(1, 10_000);
/// Integration: eight steps per segment under the models, ten thousand per segment on hardware.
const INTEGRATE: Sizes = sizes(8, 10_000);
/// Async edits: one per task under the models, a thousand on hardware
/// (where each task is a thread).
const AWAITS: Sizes = sizes(1, 1_000);

/// A litmus test's fixed shape: `threads` threads, one pass each (hardware
/// runs pass a thousand instances per run).
const fn litmus(threads: usize) -> Sizes {
    Sizes {
        model: Params { threads, ops: 1 },
        hardware: Params { threads, ops: 1 },
    }
}

impl Params {
    /// Checks that `backend` can run these sizes.
    pub fn check(&self, backend: Backend) -> Result<(), ParamError> {
        match self.threads {
            0 => Err(ParamError::NoThreads),
            n if backend == Backend::Loom && n > LOOM_MAX_SPAWNED => Err(ParamError::TooManyForLoom(n)),
            n if n > MAX_THREADS => Err(ParamError::TooManyThreads(n)),
            _ if self.ops == 0 => Err(ParamError::NoOps),
            _ => Ok(()),
        }
    }
}

/// One variant of one topic.
#[derive(Clone, Copy)]
pub struct Entry {
    /// `topic::variant`.
    pub name: &'static str,
    /// One line: what it shows.
    pub summary: &'static str,
    pub expect: Expect,
    /// Default sizes.
    pub sizes: Sizes,
    /// The scenario has a fixed shape (a litmus test, a two-node stack):
    /// `--threads` and `--ops` do not apply.
    pub fixed: bool,
    build: fn(&'static str, Params) -> Box<dyn Explorable>,
}

impl Entry {
    /// The scenario at these sizes.
    pub fn scenario(&self, params: Params) -> Box<dyn Explorable> {
        (self.build)(self.name, params)
    }

    /// The sizes this entry runs at on `backend` unless told otherwise.
    pub fn params(&self, backend: Backend) -> Params {
        match backend {
            Backend::Hardware => self.sizes.hardware,
            Backend::Shuttle | Backend::Loom => self.sizes.model,
        }
    }

    /// The topic (`counter` of `counter::racy`).
    pub fn topic(&self) -> &'static str {
        self.name.split("::").next().unwrap_or(self.name)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("expect", &self.expect)
            .finish_non_exhaustive()
    }
}

fn counter_entry<C: Counter>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(counter::scenario::<C>(name, params.threads, params.ops))
}

fn document_entry<S: Store>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(document::scenario::<S>(name, params.threads, params.ops))
}

fn lazy_entry<L: lazy_init::Lazy>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(lazy_init::scenario::<L>(name, params.threads))
}

fn withdraw_entry<A: withdraw::Account>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(withdraw::scenario::<A>(name, params.threads))
}

/// The litmus tests, by index (for [`litmus_entry`]).
static LITMUS: [&Litmus; 5] = [
    &ordering::sb::SB,
    &ordering::mp::MP,
    &ordering::lb::LB,
    &ordering::iriw::IRIW,
    &ordering::two_plus_two_w::TWO_PLUS_TWO_W,
];

fn litmus_entry<const TEST: usize, const FLAVOR: usize>(name: &'static str, _: Params) -> Box<dyn Explorable> {
    Box::new(LITMUS[TEST].scenario(name, Flavor::ALL[FLAVOR]))
}

fn publish_entry<const RELEASE_ACQUIRE: bool>(name: &'static str, _: Params) -> Box<dyn Explorable> {
    use crate::sync::atomic::Ordering::{Acquire, Relaxed, Release};
    let (publish, observe) = if RELEASE_ACQUIRE {
        (Release, Acquire)
    } else {
        (Relaxed, Relaxed)
    };
    Box::new(ordering::publish::scenario(name, publish, observe))
}

/// One catalogue entry per flavour of a litmus test.
macro_rules! litmus_entries {
    ($test:literal, $threads:literal, $summary:literal, $relaxed:literal, $ra:literal, $sc:literal, $fences:literal) => {
        [
            Entry {
                name: concat!("ordering::", $relaxed),
                summary: concat!($summary, ", Relaxed"),
                expect: Expect::Holds,
                sizes: litmus($threads),
                fixed: true,
                build: litmus_entry::<$test, 0>,
            },
            Entry {
                name: concat!("ordering::", $ra),
                summary: concat!($summary, ", Release/Acquire"),
                expect: Expect::Holds,
                sizes: litmus($threads),
                fixed: true,
                build: litmus_entry::<$test, 1>,
            },
            Entry {
                name: concat!("ordering::", $sc),
                summary: concat!($summary, ", SeqCst"),
                expect: Expect::Holds,
                sizes: litmus($threads),
                fixed: true,
                build: litmus_entry::<$test, 2>,
            },
            Entry {
                name: concat!("ordering::", $fences),
                summary: concat!($summary, ", Relaxed with SeqCst fences"),
                expect: Expect::Holds,
                sizes: litmus($threads),
                fixed: true,
                build: litmus_entry::<$test, 3>,
            },
        ]
    };
}

const SB_ENTRIES: [Entry; 4] = litmus_entries!(
    0,
    2,
    "store buffering: can both loads miss both stores?",
    "sb_relaxed",
    "sb_release_acquire",
    "sb_seqcst",
    "sb_seqcst_fences"
);
const MP_ENTRIES: [Entry; 4] = litmus_entries!(
    1,
    2,
    "message passing: can the flag arrive before the data?",
    "mp_relaxed",
    "mp_release_acquire",
    "mp_seqcst",
    "mp_seqcst_fences"
);
const LB_ENTRIES: [Entry; 4] = litmus_entries!(
    2,
    2,
    "load buffering: can loads see later stores?",
    "lb_relaxed",
    "lb_release_acquire",
    "lb_seqcst",
    "lb_seqcst_fences"
);
const IRIW_ENTRIES: [Entry; 4] = litmus_entries!(
    3,
    4,
    "IRIW: can two readers disagree on the order of two writes?",
    "iriw_relaxed",
    "iriw_release_acquire",
    "iriw_seqcst",
    "iriw_seqcst_fences"
);
const TWO_PLUS_TWO_W_ENTRIES: [Entry; 4] = litmus_entries!(
    4,
    2,
    "2+2W: can each location keep its first store?",
    "2p2w_relaxed",
    "2p2w_release_acquire",
    "2p2w_seqcst",
    "2p2w_seqcst_fences"
);

fn stack_entry<S: stack::Stack>(name: &'static str, _: Params) -> Box<dyn Explorable> {
    Box::new(stack::scenario::<S>(name))
}

fn bank_entry<B: Bank>(name: &'static str, params: Params) -> Box<dyn Explorable> {
    Box::new(deadlock::scenario::<B>(name, params.threads, params.ops))
}

/// Every scenario, topic by topic, racy baseline first.
pub static ENTRIES: &[Entry] = &[
    Entry {
        name: "threads::join_in_loop",
        summary: "the lecture's run_threads: join inside the starting loop runs threads one by one; a rendezvous deadlocks",
        expect: Expect::Racy(FailureKind::Deadlock),
        sizes: ONCE,
        fixed: false,
        build: crate::threads::join_in_loop::build_join_in_loop,
    },
    Entry {
        name: "threads::spawn_then_join",
        summary: "start every thread, keep the handles, join them in a second loop",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: false,
        build: crate::threads::join_in_loop::build_spawn_then_join,
    },
    Entry {
        name: "gil::counter",
        summary: "x += 1 is three bytecodes (LOAD, ADD, STORE); the GIL can switch threads between them",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: GIL,
        fixed: false,
        build: crate::gil::increment::build_counter,
    },
    Entry {
        name: "gil::counter_locked",
        summary: "with lock: x += 1 (a user lock, waited for with the GIL released)",
        expect: Expect::Holds,
        sizes: GIL,
        fixed: false,
        build: crate::gil::increment::build_counter_locked,
    },
    Entry {
        name: "gil::counter_one_bytecode",
        summary: "the whole read-modify-write in one bytecode (an operation written in C)",
        expect: Expect::Holds,
        sizes: GIL,
        fixed: false,
        build: crate::gil::increment::build_counter_one_bytecode,
    },
    Entry {
        name: "gil::exclusive",
        summary: "every bytecode under the GIL: never two threads inside at once",
        expect: Expect::Holds,
        sizes: GIL,
        fixed: false,
        build: crate::gil::exclusive::build_exclusive,
    },
    Entry {
        name: "counter::racy",
        summary: "load, then store: two threads that both read 0 both write 1",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<counter::racy::Racy>,
    },
    Entry {
        name: "counter::mutex",
        summary: "a Mutex around the read-modify-write",
        expect: Expect::Holds,
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<counter::mutex::Locked>,
    },
    Entry {
        name: "counter::atomic",
        summary: "fetch_add: one indivisible read-modify-write",
        expect: Expect::Holds,
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<counter::atomic::FetchAdd>,
    },
    Entry {
        name: "counter::cas",
        summary: "a compare-exchange loop that retries when another thread got in first",
        expect: Expect::Holds,
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<counter::cas::CasLoop>,
    },
    Entry {
        name: "counter::sharded",
        summary: "one cache-padded slot per thread, summed on read",
        expect: Expect::Holds,
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<counter::sharded::Sharded>,
    },
    Entry {
        name: "counter::thread_local",
        summary: "thread-local counts merged once per thread when it finishes",
        expect: Expect::Holds,
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<counter::thread_local::ThreadLocal>,
    },
    Entry {
        name: "document::racy",
        summary: "open a copy, edit, save over whatever is there: the second save loses the first edit",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: DOCUMENT,
        fixed: false,
        build: document_entry::<document::racy::Racy>,
    },
    Entry {
        name: "document::locked",
        summary: "the whole open-edit-save under one lock",
        expect: Expect::Holds,
        sizes: DOCUMENT,
        fixed: false,
        build: document_entry::<document::locked::Locked>,
    },
    Entry {
        name: "document::versioned",
        summary: "save only if the version is unchanged, else re-open and redo (bounded retries)",
        expect: Expect::Holds,
        sizes: DOCUMENT,
        fixed: false,
        build: document_entry::<document::versioned::Versioned>,
    },
    Entry {
        name: "document::rwlock",
        summary: "readers share a read lock; an edit takes the write lock",
        expect: Expect::Holds,
        sizes: DOCUMENT,
        fixed: false,
        build: document_entry::<document::rwlock::ReadWrite>,
    },
    Entry {
        name: "check_then_act::init_racy",
        summary: "if not initialised, initialise: two threads both do it",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: ONCE,
        fixed: false,
        build: lazy_entry::<lazy_init::Racy>,
    },
    Entry {
        name: "check_then_act::init_locked",
        summary: "check and initialise under one lock",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: false,
        build: lazy_entry::<lazy_init::Locked>,
    },
    Entry {
        name: "check_then_act::init_once",
        summary: "a once-cell built on the facade: one initialiser, lock-free reads after",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: false,
        build: lazy_entry::<lazy_init::Once>,
    },
    Entry {
        name: "check_then_act::withdraw_racy",
        summary: "if the balance covers it, withdraw: two withdrawals overdraw",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: ONCE,
        fixed: false,
        build: withdraw_entry::<withdraw::Racy>,
    },
    Entry {
        name: "check_then_act::withdraw_locked",
        summary: "check the balance and withdraw under one lock",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: false,
        build: withdraw_entry::<withdraw::Locked>,
    },
    Entry {
        name: "check_then_act::withdraw_cas",
        summary: "withdraw by compare-exchange from the balance that was checked",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: false,
        build: withdraw_entry::<withdraw::Cas>,
    },
    Entry {
        name: "deadlock::naive",
        summary: "two transfers lock two accounts in opposite orders: a wait-for cycle",
        expect: Expect::Racy(FailureKind::Deadlock),
        sizes: TRANSFER,
        fixed: false,
        build: bank_entry::<deadlock::Naive>,
    },
    Entry {
        name: "deadlock::ordered",
        summary: "every transfer locks the lower account id first",
        expect: Expect::Holds,
        sizes: TRANSFER,
        fixed: false,
        build: bank_entry::<deadlock::Ordered>,
    },
    Entry {
        name: "deadlock::backoff",
        summary: "lock one, try the other, back off and retry on failure",
        expect: Expect::Holds,
        sizes: TRANSFER,
        fixed: false,
        build: bank_entry::<deadlock::Backoff>,
    },
    Entry {
        name: "integrate::shared_sum",
        summary: "segment threads add their parts into one total (read, add, write): a part is lost",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: INTEGRATE,
        fixed: false,
        build: crate::integrate::sum::build_shared_sum,
    },
    Entry {
        name: "integrate::partial_sums",
        summary: "each thread returns its part; the main thread adds them after join",
        expect: Expect::Holds,
        sizes: INTEGRATE,
        fixed: false,
        build: crate::integrate::sum::build_partial_sums,
    },
    Entry {
        name: "integrate::atomic_sum",
        summary: "the total's f64 bits in an AtomicU64, added by a compare-exchange loop",
        expect: Expect::Holds,
        sizes: INTEGRATE,
        fixed: false,
        build: crate::integrate::sum::build_atomic_sum,
    },
    Entry {
        name: "progress::cancel_flag",
        summary: "the UI sets the cancel flag and says \"cancelled\" at once; the worker, past its last look, publishes the file",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: ONCE,
        fixed: true,
        build: crate::progress::build_cancel_flag,
    },
    Entry {
        name: "progress::cancel_ack",
        summary: "the UI asks to cancel, waits for the worker's final answer and reports it",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: true,
        build: crate::progress::build_cancel_ack,
    },
    Entry {
        name: "asynchrony::await_race",
        summary: "read, .await a save, write back: two tasks on shuttle's async executor lose an edit",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: AWAITS,
        fixed: false,
        build: crate::asynchrony::build_await_race,
    },
    Entry {
        name: "asynchrony::async_mutex",
        summary: "an async mutex held across the .await: the whole edit is one critical section",
        expect: Expect::Holds,
        sizes: AWAITS,
        fixed: false,
        build: crate::asynchrony::build_async_mutex,
    },
    Entry {
        name: "asynchrony::atomic_update",
        summary: "await first, then one fetch_add: no .await inside the read-modify-write",
        expect: Expect::Holds,
        sizes: AWAITS,
        fixed: false,
        build: crate::asynchrony::build_atomic_update,
    },
    SB_ENTRIES[0],
    SB_ENTRIES[1],
    SB_ENTRIES[2],
    SB_ENTRIES[3],
    MP_ENTRIES[0],
    MP_ENTRIES[1],
    MP_ENTRIES[2],
    MP_ENTRIES[3],
    LB_ENTRIES[0],
    LB_ENTRIES[1],
    LB_ENTRIES[2],
    LB_ENTRIES[3],
    IRIW_ENTRIES[0],
    IRIW_ENTRIES[1],
    IRIW_ENTRIES[2],
    IRIW_ENTRIES[3],
    TWO_PLUS_TWO_W_ENTRIES[0],
    TWO_PLUS_TWO_W_ENTRIES[1],
    TWO_PLUS_TWO_W_ENTRIES[2],
    TWO_PLUS_TWO_W_ENTRIES[3],
    Entry {
        name: "ordering::publish_relaxed",
        summary: "data in a cell, then a Relaxed flag: loom reports the data race",
        expect: Expect::LoomOnly(FailureKind::DataRace),
        sizes: ONCE,
        fixed: true,
        build: publish_entry::<false>,
    },
    Entry {
        name: "ordering::publish_release_acquire",
        summary: "data in a cell, then a Release flag read with Acquire: no race",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: true,
        build: publish_entry::<true>,
    },
    Entry {
        name: "spinlock::relaxed_acquire",
        summary: "a spin lock taken with Relaxed: the next holder may not see the last one's writes",
        expect: Expect::LoomOnly(FailureKind::DataRace),
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<SpinCounter<0>>,
    },
    Entry {
        name: "spinlock::relaxed_release",
        summary: "a spin lock released with Relaxed: the same race from the other side",
        expect: Expect::LoomOnly(FailureKind::DataRace),
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<SpinCounter<1>>,
    },
    Entry {
        name: "spinlock::no_yield",
        summary: "a spin lock that never yields: the holder may never run again",
        expect: Expect::Racy(FailureKind::StepLimit),
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<SpinCounter<2>>,
    },
    Entry {
        name: "spinlock::correct",
        summary: "compare-exchange Acquire, store Release, a spin_loop hint while waiting",
        expect: Expect::Holds,
        sizes: COUNTER,
        fixed: false,
        build: counter_entry::<SpinCounter<3>>,
    },
    Entry {
        name: "stack::naive",
        summary: "a Treiber stack whose compare-exchange on the head index suffers ABA",
        expect: Expect::Racy(FailureKind::ForbiddenOutcome),
        sizes: ONCE,
        fixed: true,
        build: stack_entry::<stack::Naive>,
    },
    Entry {
        name: "stack::tagged",
        summary: "the head packs a version tag with the index: A-then-A is not A",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: true,
        build: stack_entry::<stack::Tagged>,
    },
    Entry {
        name: "stack::locked",
        summary: "a Mutex<Vec<_>>: the baseline",
        expect: Expect::Holds,
        sizes: ONCE,
        fixed: true,
        build: stack_entry::<stack::Locked>,
    },
];

/// The entry called `name`.
pub fn find(name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.name == name)
}

/// Entries named `name`, or whose topic is `name` (`counter` gives all
/// counter variants).
pub fn select(name: &str) -> Vec<&'static Entry> {
    match find(name) {
        Some(e) => vec![e],
        None => ENTRIES.iter().filter(|e| e.topic() == name).collect(),
    }
}

/// Known names closest to `name`, best first (for "did you mean").
pub fn closest(name: &str) -> Vec<&'static str> {
    nearest(
        name,
        ENTRIES.iter().map(|e| {
            let variant = e.name.rsplit("::").next().unwrap_or(e.name);
            (levenshtein(name, e.name).min(levenshtein(name, variant)), e.name)
        }),
    )
}

/// The three best of `scored` (distance, name) close enough to `name` to be a typo of it.
fn nearest(name: &str, scored: impl Iterator<Item = (usize, &'static str)>) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = scored
        .filter(|(d, _)| *d <= (name.chars().count() / 3).max(1))
        .collect();
    scored.sort();
    scored.dedup_by_key(|(_, n)| *n);
    scored.into_iter().map(|(_, n)| n).take(3).collect()
}

/// A demonstration on real threads or processes: measured or observed,
/// not model-checked (child processes, files and clocks are outside what
/// loom and shuttle model). `racelab tour TOPIC` runs a topic's demos.
#[derive(Clone, Copy, Debug)]
pub struct Demo {
    /// `topic::demo`.
    pub name: &'static str,
    /// One line: what it shows.
    pub summary: &'static str,
}

impl Demo {
    /// The topic (`process` of `process::pipe`).
    pub fn topic(&self) -> &'static str {
        self.name.split("::").next().unwrap_or(self.name)
    }
}

/// Every demo, topic by topic.
pub static DEMOS: &[Demo] = &[
    Demo {
        name: "threads::spawning",
        summary: "a closure, a function with arguments, a named Builder; results come back through join",
    },
    Demo {
        name: "threads::elapsed",
        summary: "join inside the spawning loop takes N x the work; spawn all, then join: 1 x",
    },
    Demo {
        name: "threads::detached",
        summary: "a thread nobody joins is stopped when main returns (seen from a child process)",
    },
    Demo {
        name: "gil::speedup",
        summary: "CPU-bound threads under one global lock: no speed-up; I/O-bound: still overlap",
    },
    Demo {
        name: "integrate::compare",
        summary: "the integral in K segments: sequential, scoped threads, child processes",
    },
    Demo {
        name: "progress::copy",
        summary: "a worker copies a file, the UI draws progress from a channel; cancel leaves no partial file",
    },
    Demo {
        name: "process::info",
        summary: "the lecture's info(): pid and parent pid of parent and child",
    },
    Demo {
        name: "process::isolation",
        summary: "a child increments its copy of a counter; the parent's stays the same",
    },
    Demo {
        name: "process::pipe",
        summary: "lines sent to a child through a pipe, answers read back",
    },
    Demo {
        name: "process::file_race",
        summary: "two processes read-modify-write a counter file: lost updates; a file lock fixes it",
    },
    Demo {
        name: "asynchrony::timer",
        summary: "fun1 then fun2 take 3 + 3 s; as two tasks, 3 s (scaled down to milliseconds)",
    },
    Demo {
        name: "asynchrony::connection",
        summary: "a connection as an async scope over loopback TCP: closed on success, error and panic",
    },
    Demo {
        name: "asynchrony::blocking",
        summary: "a blocking sleep inside a task stalls every task on a current-thread runtime",
    },
    Demo {
        name: "asynchrony::scale",
        summary: "10,000 tasks each sleeping 100 ms finish in about 100 ms, not 1,000 s",
    },
    Demo {
        name: "cost::counter",
        summary: "a quick run of the counter's cost ladder: ns per increment against the floor, 1 and 2 threads",
    },
];

/// Topic names: the catalogue's in order, then those with demos only.
pub fn topics() -> impl Iterator<Item = &'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    for topic in ENTRIES.iter().map(Entry::topic).chain(DEMOS.iter().map(Demo::topic)) {
        if !seen.contains(&topic) {
            seen.push(topic);
        }
    }
    seen.into_iter()
}

/// Known topics closest to `name`, best first (for "did you mean").
pub fn closest_topic(name: &str) -> Vec<&'static str> {
    nearest(name, topics().map(|t| (levenshtein(name, t), t)))
}

/// Edit distance, for suggestions.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_namespaced() {
        for (i, e) in ENTRIES.iter().enumerate() {
            assert!(e.name.contains("::"), "{}", e.name);
            assert!(ENTRIES[i + 1..].iter().all(|o| o.name != e.name), "{} twice", e.name);
        }
    }

    #[test]
    fn a_typo_suggests_the_intended_name() {
        assert_eq!(closest("counter::rasy").first(), Some(&"counter::racy"));
        assert_eq!(closest("mutx").first(), Some(&"counter::mutex"));
        assert!(closest("zzzzzzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn loom_refuses_more_than_four_spawned_threads() {
        let p = Params { threads: 5, ops: 1 };
        assert_eq!(p.check(Backend::Loom), Err(ParamError::TooManyForLoom(5)));
        assert_eq!(p.check(Backend::Shuttle), Ok(()));
        assert_eq!(
            Params { threads: 0, ops: 1 }.check(Backend::Hardware),
            Err(ParamError::NoThreads)
        );
    }

    #[test]
    fn a_topic_selects_all_its_variants() {
        assert_eq!(
            select("counter").len(),
            ENTRIES.iter().filter(|e| e.topic() == "counter").count()
        );
        assert_eq!(select("counter::racy").len(), 1);
    }
}
