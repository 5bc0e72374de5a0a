//! The cost ladder of a shared counter, on real primitives: every fix from
//! [`crate::counter`] (and a few more) against the hardware's floor. Used by
//! `benches/counter.rs` (criterion, at 1, 2, 4 and 8 threads) and, in a
//! quick low-precision form ([`quick`]), by the end of the tour.
//!
//! Every variant makes `T` threads each perform `ops` increments, released
//! together by a [`Barrier`]; each thread stamps its own start and end, and
//! the time runs from the first start to the last end. The total is checked
//! like a test. The bench's `ops` per variant ([`Variant::ops`]) is larger
//! for the cheap variants, so that every run lasts milliseconds and the
//! threads' start-up skew does not count.
//!
//! The variants, cheapest first in principle:
//! - `floor`: each thread increments a plain `u64` on its own stack (behind
//!   `black_box`, so every increment is a load and a store, as a counter in
//!   memory is, not a register add the compiler could fold) and hands its
//!   count back through `join`: no sharing at all, the hardware's best case;
//! - `thread_local`: each increment goes to a `thread_local!` `Cell`, merged
//!   into a shared atomic once per thread at the end (the lecture's
//!   thread-local storage; src/counter/thread_local.rs);
//! - `sharded_padded`: one `CachePadded` `AtomicU64` per thread
//!   (src/counter/sharded.rs);
//! - `sharded_unpadded`: the same slots packed side by side in one cache
//!   line: no data is shared, but the line is (false sharing);
//! - `fetch_add_relaxed`, `fetch_add_seqcst`: one shared atomic
//!   (src/counter/atomic.rs); on x86 both are one `lock xadd`;
//! - `cas_loop`: load, then compare-exchange until it sticks (src/counter/cas.rs);
//! - `spin_lock`: a test-and-test-and-set spin lock that yields after a few
//!   spins (src/spinlock.rs), guarding the count;
//! - `mutex_std`, `mutex_parking_lot`, `rwlock_std_write`: a lock per
//!   increment (src/counter/mutex.rs).
//!
//! Real primitives (std, `parking_lot`, `crossbeam_utils`), not the racelab
//! facade: this measures the fixes, not the tool (`benches/facade.rs` does
//! that). With more threads than cores the rows show oversubscription, not
//! parallelism; read them as ratios within one run.

use std::cell::Cell;
use std::hint::{black_box, spin_loop};
use std::sync::atomic::{
    AtomicBool, AtomicU64,
    Ordering::{Acquire, Relaxed, Release, SeqCst},
};
use std::sync::{Barrier, Mutex, RwLock};
use std::time::{Duration, Instant};

use crossbeam_utils::CachePadded;
use serde::Serialize;

/// The thread counts the bench runs each variant at.
pub const THREADS: [usize; 4] = [1, 2, 4, 8];
/// Spins before a waiting spin-lock thread gives its core back.
const SPINS_BEFORE_YIELD: u32 = 64;

/// State shared by the threads of one run. Each variant touches only its own
/// fields, and [`Shared::total`] adds them all up.
struct Shared {
    atomic: AtomicU64,
    padded: Vec<CachePadded<AtomicU64>>,
    unpadded: Vec<AtomicU64>,
    spin_held: AtomicBool,
    /// Guarded by `spin_held`: written only by the lock's holder, so
    /// `Relaxed` suffices (the lock's Acquire/Release order it).
    spin_count: AtomicU64,
    mutex_std: Mutex<u64>,
    mutex_parking_lot: parking_lot::Mutex<u64>,
    rwlock: RwLock<u64>,
}

impl Shared {
    fn new(threads: usize) -> Self {
        Shared {
            atomic: AtomicU64::new(0),
            padded: (0..threads).map(|_| CachePadded::new(AtomicU64::new(0))).collect(),
            unpadded: (0..threads).map(|_| AtomicU64::new(0)).collect(),
            spin_held: AtomicBool::new(false),
            spin_count: AtomicU64::new(0),
            mutex_std: Mutex::new(0),
            mutex_parking_lot: parking_lot::Mutex::new(0),
            rwlock: RwLock::new(0),
        }
    }

    fn total(&self) -> u64 {
        self.atomic.load(Relaxed)
            + self.padded.iter().map(|s| s.load(Relaxed)).sum::<u64>()
            + self.unpadded.iter().map(|s| s.load(Relaxed)).sum::<u64>()
            + self.spin_count.load(Relaxed)
            + *self.mutex_std.lock().unwrap()
            + *self.mutex_parking_lot.lock()
            + *self.rwlock.read().unwrap()
    }

    fn spin_lock(&self) {
        let mut spins = 0;
        loop {
            if self
                .spin_held
                .compare_exchange_weak(false, true, Acquire, Relaxed)
                .is_ok()
            {
                return;
            }
            while self.spin_held.load(Relaxed) {
                spins += 1;
                if spins % SPINS_BEFORE_YIELD == 0 {
                    std::thread::yield_now();
                } else {
                    spin_loop();
                }
            }
        }
    }
}

/// One thread's work: `ops` increments, given its index; returns what it
/// counted on its own (only `floor` keeps its count to itself).
type Work = fn(&Shared, usize, u64) -> u64;

std::thread_local! {
    static LOCAL: Cell<u64> = const { Cell::new(0) };
}

fn floor(_: &Shared, _: usize, ops: u64) -> u64 {
    let local = Cell::new(0u64);
    for _ in 0..ops {
        // A counter lives in memory: `black_box` hides where this one is,
        // so every increment loads and stores it (on the thread's own
        // stack) instead of running in a register.
        let c = black_box(&local);
        c.set(c.get() + 1);
    }
    local.get()
}

fn thread_local(s: &Shared, _: usize, ops: u64) -> u64 {
    LOCAL.with(|c| c.set(0));
    for _ in 0..ops {
        // As for `floor`: each increment reads and writes the thread's
        // own slot in memory.
        LOCAL.with(|c| {
            let c = black_box(c);
            c.set(c.get() + 1);
        });
    }
    s.atomic.fetch_add(LOCAL.with(Cell::get), Relaxed);
    0
}

fn sharded_padded(s: &Shared, i: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        s.padded[i].fetch_add(1, Relaxed);
    }
    0
}

fn sharded_unpadded(s: &Shared, i: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        s.unpadded[i].fetch_add(1, Relaxed);
    }
    0
}

fn fetch_add_relaxed(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        s.atomic.fetch_add(1, Relaxed);
    }
    0
}

fn fetch_add_seqcst(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        s.atomic.fetch_add(1, SeqCst);
    }
    0
}

fn cas_loop(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        let mut cur = s.atomic.load(Relaxed);
        while let Err(actual) = s.atomic.compare_exchange_weak(cur, cur + 1, Relaxed, Relaxed) {
            cur = actual;
        }
    }
    0
}

fn spin_lock(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        s.spin_lock();
        s.spin_count.store(s.spin_count.load(Relaxed) + 1, Relaxed);
        s.spin_held.store(false, Release);
    }
    0
}

fn mutex_std(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        *s.mutex_std.lock().unwrap() += 1;
    }
    0
}

fn mutex_parking_lot(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        *s.mutex_parking_lot.lock() += 1;
    }
    0
}

fn rwlock_std_write(s: &Shared, _: usize, ops: u64) -> u64 {
    for _ in 0..ops {
        *s.rwlock.write().unwrap() += 1;
    }
    0
}

/// A variant: its name, its work, and increments per thread per run.
#[derive(Clone, Copy)]
pub struct Variant {
    pub name: &'static str,
    work: Work,
    /// Increments per thread in one bench run.
    pub ops: u64,
}

impl std::fmt::Debug for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variant")
            .field("name", &self.name)
            .field("ops", &self.ops)
            .finish()
    }
}

/// Every variant, cheapest first in principle; `floor` is first.
pub const VARIANTS: [Variant; 11] = [
    Variant {
        name: "floor",
        work: floor,
        ops: 8_000_000,
    },
    Variant {
        name: "thread_local",
        work: thread_local,
        ops: 4_000_000,
    },
    Variant {
        name: "sharded_padded",
        work: sharded_padded,
        ops: 1_000_000,
    },
    Variant {
        name: "sharded_unpadded",
        work: sharded_unpadded,
        ops: 500_000,
    },
    Variant {
        name: "fetch_add_relaxed",
        work: fetch_add_relaxed,
        ops: 500_000,
    },
    Variant {
        name: "fetch_add_seqcst",
        work: fetch_add_seqcst,
        ops: 500_000,
    },
    Variant {
        name: "cas_loop",
        work: cas_loop,
        ops: 250_000,
    },
    Variant {
        name: "spin_lock",
        work: spin_lock,
        ops: 250_000,
    },
    Variant {
        name: "mutex_std",
        work: mutex_std,
        ops: 250_000,
    },
    Variant {
        name: "mutex_parking_lot",
        work: mutex_parking_lot,
        ops: 250_000,
    },
    Variant {
        name: "rwlock_std_write",
        work: rwlock_std_write,
        ops: 250_000,
    },
];

/// One run of `ops` increments per thread: `threads` threads race from a
/// barrier; returns the time from the first thread's start to the last
/// one's end. Panics, naming the variant, if the total is wrong (a bench
/// that lost increments must not report a time).
pub fn run(v: &Variant, threads: usize, ops: u64) -> Duration {
    let shared = Shared::new(threads);
    let barrier = Barrier::new(threads);
    let spans: Vec<(Instant, Instant, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let (shared, barrier) = (&shared, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let own = (v.work)(shared, i, ops);
                    (start, Instant::now(), own)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let start = spans.iter().map(|s| s.0).min().unwrap();
    let end = spans.iter().map(|s| s.1).max().unwrap();
    let total = shared.total() + spans.iter().map(|s| s.2).sum::<u64>();
    assert_eq!(
        total,
        threads as u64 * ops,
        "{} with {threads} threads lost increments",
        v.name
    );
    end - start
}

/// One row of the quick table.
#[derive(Clone, Debug, Serialize)]
pub struct QuickRow {
    pub variant: &'static str,
    pub threads: usize,
    /// Nanoseconds per increment (all threads' increments together).
    pub ns_per_op: f64,
    /// `ns_per_op` ÷ the floor's at the same thread count.
    pub vs_floor: f64,
}

/// A quick, low-precision cost ladder for the tour: each variant at each of
/// `threads`, `ops / divisor` increments per thread, the best of `runs`
/// runs. Takes about a second at `divisor` 20 and 3 runs on 2 cores.
pub fn quick(threads: &[usize], divisor: u64, runs: usize) -> Vec<QuickRow> {
    let mut rows = Vec::new();
    for &t in threads {
        let mut floor = f64::NAN;
        for v in &VARIANTS {
            let ops = (v.ops / divisor.max(1)).max(1);
            let best = (0..runs.max(1)).map(|_| run(v, t, ops)).min().unwrap_or_default();
            let ns = best.as_nanos() as f64 / (t as u64 * ops) as f64;
            if v.name == "floor" {
                floor = ns;
            }
            rows.push(QuickRow {
                variant: v.name,
                threads: t,
                ns_per_op: ns,
                vs_floor: ns / floor,
            });
        }
    }
    rows
}
