//! Cost of a spin lock against two mutexes, and of a lock-free stack against a
//! locked one, under `T` threads.
//!
//! Two groups. In both, every variant makes `T` threads race from a
//! [`Barrier`]; the time runs from the barrier's release until the last thread
//! is done, and each run checks its result like a test (it panics, naming the
//! variant, if the lock or the stack lost something).
//!
//! - `locks`: a counter (`u64`) guarded by a lock, at 1, 2, 4 and 8 threads.
//!   The locks are [`SpinLock`], written here as in Mara Bos, *Rust Atomics and
//!   Locks* (O'Reilly, 2023), ch. 4 "Building Our Own Spin Lock", but
//!   test-and-test-and-set (a waiter spins on a plain load and only tries the
//!   compare-exchange once the lock looks free); `spin_yield`, the same lock
//!   whose waiter calls [`std::thread::yield_now`] after [`SPINS_BEFORE_YIELD`]
//!   spins; [`std::sync::Mutex`]; and [`parking_lot::Mutex`]. Two critical
//!   sections, identical for every lock: `short` increments the counter
//!   ([`SHORT_OPS`] per thread); `long` also runs a serial multiply-add chain
//!   over a local array, about 150 ns, inside the lock ([`LONG_OPS`] per
//!   thread). Afterwards the counter must equal `T * ops`.
//! - `stack`: a thread does [`STACK_OPS`] pairs of push then pop, at 1, 2 and
//!   4 threads, on a lock-free Treiber stack (R. K. Treiber, *Systems
//!   Programming: Coping with Parallelism*, IBM Research Report RJ 5118, 1986)
//!   or on a `Mutex<Vec<u64>>` (std and `parking_lot`). The Treiber stack,
//!   [`TaggedStack`], lives in a fixed arena of nodes addressed by index and
//!   never frees one, so it needs no memory reclamation and no `unsafe`; its
//!   head and its free list pack a tag next to the index, and every successful
//!   compare-exchange bumps the tag, so a stale head can never be mistaken for
//!   the current one (ABA would need 2^32 changes of one head between a
//!   thread's load and its compare-exchange). The arena holds exactly `T`
//!   nodes, so nodes come back into use as fast as they can. Afterwards the
//!   values popped must be the values pushed (count, sum and sum of squares),
//!   the stack must be empty and every node back on the free list. A
//!   throughput element is one push-pop pair; the `tagged` rows' `retries:`
//!   line says how many compare-exchanges failed and were retried (warm-up
//!   included). Lock-free is not the same as fast: every operation moves a
//!   head's cache line to its core, while a mutex that parks its waiters lets
//!   the holder run a batch of operations in its own cache. Compare `tagged`
//!   with the mutexes at 2 threads rather than expecting either outcome.
//!
//! This bench uses the real primitives (std, `parking_lot`, `crossbeam_utils`),
//! not the racelab facade: the facade is for model checking.
//!
//! The reference machine has 2 cores, so the 4- and 8-thread rows show
//! oversubscription, not more parallelism: when the scheduler preempts the
//! thread holding a spin lock, every waiter that runs next burns its whole
//! time slice spinning on a lock that cannot be released until the holder is
//! scheduled again. Those rows measure the scheduler as much as the lock; that
//! is what `spin_yield` (give the core back) and the mutexes (sleep in the
//! kernel, or park) are for. A run takes a few milliseconds, about one time
//! slice, so a preempted spin-lock holder costs a run at most a few slices:
//! the 8-thread `spin` rows stay within a small factor of the others instead
//! of running away, but they are the noisiest. Read the results as ratios
//! within one run (e.g. `spin` vs `mutex_std` at 2 threads, or `spin` vs
//! `spin_yield` at 8 threads), not as absolute numbers; the over-subscribed
//! rows can move a lot from one run to the next.

use std::cell::UnsafeCell;
use std::hint::{black_box, spin_loop};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{
    AtomicBool, AtomicU32, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use crossbeam_utils::CachePadded;

/// Lock-unlock rounds per thread with the `short` critical section.
const SHORT_OPS: u64 = 20_000;
/// Lock-unlock rounds per thread with the `long` critical section.
const LONG_OPS: u64 = 5_000;
const LOCK_THREADS: [usize; 4] = [1, 2, 4, 8];

/// Push-pop pairs per thread.
const STACK_OPS: u64 = 20_000;
const STACK_THREADS: [usize; 3] = [1, 2, 4];

/// How many times a `spin_yield` waiter spins before it yields the core.
const SPINS_BEFORE_YIELD: u32 = 64;

// ---------------------------------------------------------------- spin lock

/// A test-and-test-and-set spin lock (Bos, ch. 4).
struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only reached through a `SpinGuard`, and at most one
// guard exists at a time: a guard is only made by the thread whose
// compare-exchange turned `locked` from false to true, and `locked` only turns
// false again when that guard is dropped. The `Acquire` of that
// compare-exchange pairs with the `Release` store of the previous guard's drop,
// so every access one holder made to the value happens before every access the
// next holder makes. Sharing the lock therefore only ever moves the value
// between threads one holder at a time, which `T: Send` allows.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    const fn new(value: T) -> Self {
        Self {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Spins until the lock is free, however long that takes.
    fn lock(&self) -> SpinGuard<'_, T> {
        self.lock_yielding_after(u32::MAX)
    }

    /// Spins up to `spins` times while the lock is held, then calls
    /// [`std::thread::yield_now`] at every further check.
    #[inline]
    fn lock_yielding_after(&self, spins: u32) -> SpinGuard<'_, T> {
        let mut spun = 0u32;
        while self
            .locked
            .compare_exchange_weak(false, true, Acquire, Relaxed)
            .is_err()
        {
            // Wait on a plain load: it keeps the cache line shared instead of
            // bouncing it between waiters as a failing compare-exchange does.
            while self.locked.load(Relaxed) {
                if spun < spins {
                    spun += 1;
                    spin_loop();
                } else {
                    std::thread::yield_now();
                }
            }
        }
        SpinGuard { lock: self }
    }
}

/// Holds a [`SpinLock`]; dropping it releases the lock.
struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock, so nothing else touches the value
        // until it is dropped (see `Sync for SpinLock`).
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference
        // through this guard.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.locked.store(false, Release);
    }
}

// ------------------------------------------------------------ locks group

/// What a thread does inside the lock, and how many times.
trait Section {
    const NAME: &'static str;
    const OPS: u64;
    fn body(counter: &mut u64);
}

/// Increment the counter.
struct Short;

impl Section for Short {
    const NAME: &'static str = "short";
    const OPS: u64 = SHORT_OPS;

    #[inline]
    fn body(counter: &mut u64) {
        *counter += 1;
    }
}

/// Length of the array the `long` section works through.
const LONG_WORK: usize = 70;

/// Increment the counter, after a serial multiply-add chain over a local
/// array (about 150 ns on the reference machine). `black_box` keeps the array
/// opaque and every step of the chain in place.
struct Long;

impl Section for Long {
    const NAME: &'static str = "long";
    const OPS: u64 = LONG_OPS;

    #[inline]
    fn body(counter: &mut u64) {
        let data = black_box([0x9E37_79B9_7F4A_7C15u64; LONG_WORK]);
        let mut acc = *counter;
        for x in data {
            acc = black_box(acc.wrapping_mul(x).wrapping_add(x >> 7));
        }
        black_box(acc);
        *counter += 1;
    }
}

/// One counter per lock. Each variant touches only its own, so the total is
/// the sum of all of them.
struct Counters {
    spin: SpinLock<u64>,
    spin_yield: SpinLock<u64>,
    mutex_std: Mutex<u64>,
    mutex_parking_lot: parking_lot::Mutex<u64>,
}

impl Counters {
    fn new() -> Self {
        Self {
            spin: SpinLock::new(0),
            spin_yield: SpinLock::new(0),
            mutex_std: Mutex::new(0),
            mutex_parking_lot: parking_lot::Mutex::new(0),
        }
    }

    fn total(&self) -> u64 {
        *self.spin.lock() + *self.spin_yield.lock() + *self.mutex_std.lock().unwrap() + *self.mutex_parking_lot.lock()
    }
}

/// The work of one thread: `S::OPS` rounds of lock, `S::body`, unlock.
type LockWork = fn(&Counters);

fn spin<S: Section>(c: &Counters) {
    for _ in 0..S::OPS {
        S::body(&mut c.spin.lock());
    }
}

fn spin_yield<S: Section>(c: &Counters) {
    for _ in 0..S::OPS {
        S::body(&mut c.spin_yield.lock_yielding_after(SPINS_BEFORE_YIELD));
    }
}

fn mutex_std<S: Section>(c: &Counters) {
    for _ in 0..S::OPS {
        S::body(&mut c.mutex_std.lock().unwrap());
    }
}

fn mutex_parking_lot<S: Section>(c: &Counters) {
    for _ in 0..S::OPS {
        S::body(&mut c.mutex_parking_lot.lock());
    }
}

/// The locks, each with critical section `S`.
fn lock_variants<S: Section>() -> [(&'static str, LockWork); 4] {
    [
        ("spin", spin::<S>),
        ("spin_yield", spin_yield::<S>),
        ("mutex_std", mutex_std::<S>),
        ("mutex_parking_lot", mutex_parking_lot::<S>),
    ]
}

/// One `locks` run, checked: the counter must equal `threads * ops`.
fn run_lock(name: &str, section: &str, ops: u64, work: LockWork, threads: usize) -> Duration {
    let counters = Counters::new();
    let (time, _) = race(threads, |_| work(&counters));
    let (total, expected) = (counters.total(), threads as u64 * ops);
    assert_eq!(
        total, expected,
        "{name}/{section} with {threads} threads lost increments: {total} instead of {expected}"
    );
    time
}

// ----------------------------------------------------------- Treiber stack

/// Packs a tag and a node link (`index + 1`, 0 for none) into one word.
fn pack(tag: u32, link: u32) -> u64 {
    (u64::from(tag) << 32) | u64::from(link)
}

/// Splits a word made by [`pack`] into its tag and link.
fn unpack(word: u64) -> (u32, u32) {
    ((word >> 32) as u32, word as u32)
}

/// A node of the arena. It is on at most one list at a time (the stack or the
/// free list), and `next` is its link on that list. A thread may read `next`
/// or `value` of a node another thread has just taken; the value it reads is
/// then stale, but the head's tag has moved on, so its compare-exchange fails
/// and the stale value is never used.
struct Node {
    next: AtomicU32,
    value: AtomicU64,
}

/// A list head: a tagged link, the tag bumped by every successful
/// compare-exchange. `push` and `pop` add their failed compare-exchanges to
/// `retries`.
struct Head(CachePadded<AtomicU64>);

impl Head {
    fn new(link: u32) -> Self {
        Self(CachePadded::new(AtomicU64::new(pack(0, link))))
    }

    /// Links node `link` (`index + 1`) in at the head.
    fn push(&self, nodes: &[Node], link: u32, retries: &mut u64) {
        let node = &nodes[link as usize - 1];
        let mut head = self.0.load(Relaxed);
        loop {
            let (tag, first) = unpack(head);
            node.next.store(first, Relaxed);
            // Release: whoever takes the node later sees `next` and `value`.
            match self
                .0
                .compare_exchange_weak(head, pack(tag.wrapping_add(1), link), Release, Relaxed)
            {
                Ok(_) => return,
                Err(actual) => {
                    head = actual;
                    *retries += 1;
                }
            }
        }
    }

    /// Unlinks the node at the head; returns its link, or `None` if the list
    /// is empty.
    fn pop(&self, nodes: &[Node], retries: &mut u64) -> Option<u32> {
        let mut head = self.0.load(Acquire);
        loop {
            let (tag, first) = unpack(head);
            if first == 0 {
                return None;
            }
            // Possibly stale if another thread takes `first` meanwhile; then
            // the tag has changed and the compare-exchange below fails.
            let next = nodes[first as usize - 1].next.load(Relaxed);
            // Acquire (here and on the loads): see the `next` and `value` its
            // pusher wrote. Every change to a head is a read-modify-write, so
            // it continues the release sequence of every push before it.
            match self
                .0
                .compare_exchange_weak(head, pack(tag.wrapping_add(1), next), Acquire, Acquire)
            {
                Ok(_) => return Some(first),
                Err(actual) => {
                    head = actual;
                    *retries += 1;
                }
            }
        }
    }

    /// The length of the list; only meaningful while no thread changes it.
    fn len(&self, nodes: &[Node]) -> usize {
        let (mut len, mut link) = (0, unpack(self.0.load(Acquire)).1);
        while link != 0 {
            assert!(len < nodes.len(), "a list has a cycle");
            len += 1;
            link = nodes[link as usize - 1].next.load(Relaxed);
        }
        len
    }
}

/// A lock-free Treiber stack of `u64` on a fixed arena of nodes: a push takes
/// a node off the free list, a pop puts it back.
struct TaggedStack {
    nodes: Vec<Node>,
    head: Head,
    free: Head,
}

impl TaggedStack {
    fn with_capacity(capacity: usize) -> Self {
        let capacity = u32::try_from(capacity).expect("arena too large for a 32-bit link");
        let stack = Self {
            nodes: (0..capacity)
                .map(|_| Node {
                    next: AtomicU32::new(0),
                    value: AtomicU64::new(0),
                })
                .collect(),
            head: Head::new(0),
            free: Head::new(0),
        };
        for link in 1..=capacity {
            stack.free.push(&stack.nodes, link, &mut 0);
        }
        stack
    }

    /// Pushes `value`; returns false (and pushes nothing) if the arena is full.
    fn push(&self, value: u64, retries: &mut u64) -> bool {
        let Some(link) = self.free.pop(&self.nodes, retries) else {
            return false;
        };
        self.nodes[link as usize - 1].value.store(value, Relaxed);
        self.head.push(&self.nodes, link, retries);
        true
    }

    fn pop(&self, retries: &mut u64) -> Option<u64> {
        let link = self.head.pop(&self.nodes, retries)?;
        let value = self.nodes[link as usize - 1].value.load(Relaxed);
        self.free.push(&self.nodes, link, retries);
        Some(value)
    }

    /// Whether the stack is empty and every node back on the free list; only
    /// meaningful while no thread uses the stack.
    fn is_empty(&self) -> bool {
        self.head.len(&self.nodes) == 0 && self.free.len(&self.nodes) == self.nodes.len()
    }
}

// ------------------------------------------------------------ stack group

/// One stack per variant. Each variant touches only its own.
struct Stacks {
    tagged: TaggedStack,
    mutex_std: Mutex<Vec<u64>>,
    mutex_parking_lot: parking_lot::Mutex<Vec<u64>>,
}

impl Stacks {
    /// Room for `threads` values: a thread pops after each push, so no more
    /// than one value per thread is ever in a stack or on its way in or out.
    /// An arena of exactly that size makes nodes come back into use as soon as
    /// possible, which is when ABA would bite.
    fn new(threads: usize) -> Self {
        Self {
            tagged: TaggedStack::with_capacity(threads),
            mutex_std: Mutex::new(Vec::with_capacity(threads)),
            mutex_parking_lot: parking_lot::Mutex::new(Vec::with_capacity(threads)),
        }
    }

    fn is_empty(&self) -> bool {
        self.tagged.is_empty() && self.mutex_std.lock().unwrap().is_empty() && self.mutex_parking_lot.lock().is_empty()
    }
}

/// Count, sum and sum of squares (wrapping) of a multiset of values: equal for
/// the values pushed and popped unless one was lost or duplicated.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct Tally {
    count: u64,
    sum: u64,
    squares: u64,
}

impl Tally {
    fn add(&mut self, value: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(value);
        self.squares = self.squares.wrapping_add(value.wrapping_mul(value));
    }

    fn merge(self, other: Self) -> Self {
        Self {
            count: self.count + other.count,
            sum: self.sum.wrapping_add(other.sum),
            squares: self.squares.wrapping_add(other.squares),
        }
    }
}

/// What one thread of a `stack` run did: the values it pushed, those it
/// popped (which may have been pushed by another thread), and for the
/// lock-free stack how many compare-exchanges failed and had to be retried.
#[derive(Default)]
struct Done {
    pushed: Tally,
    popped: Tally,
    retries: Option<u64>,
}

impl Done {
    fn merge(self, other: Self) -> Self {
        Self {
            pushed: self.pushed.merge(other.pushed),
            popped: self.popped.merge(other.popped),
            retries: other.retries.map(|r| r + self.retries.unwrap_or(0)),
        }
    }
}

/// The work of one thread, given its index: `STACK_OPS` pairs of push then
/// pop. Panics if a push finds the stack full or a pop finds it empty: neither
/// can happen when every thread pops right after each push.
type StackWork = fn(&Stacks, usize) -> Done;

/// The value thread `t` pushes in its pair `i`: distinct across threads.
fn value(t: usize, i: u64) -> u64 {
    t as u64 * STACK_OPS + i + 1
}

fn tagged(s: &Stacks, t: usize) -> Done {
    let (mut done, mut retries) = (Done::default(), 0);
    for i in 0..STACK_OPS {
        let v = value(t, i);
        assert!(s.tagged.push(v, &mut retries), "tagged: the arena ran out of nodes");
        done.pushed.add(v);
        let got = s.tagged.pop(&mut retries);
        done.popped
            .add(got.expect("tagged: pop found the stack empty after a push"));
    }
    done.retries = Some(retries);
    done
}

fn stack_mutex_std(s: &Stacks, t: usize) -> Done {
    let mut done = Done::default();
    for i in 0..STACK_OPS {
        let v = value(t, i);
        s.mutex_std.lock().unwrap().push(v);
        done.pushed.add(v);
        let got = s.mutex_std.lock().unwrap().pop();
        done.popped
            .add(got.expect("mutex_std: pop found the stack empty after a push"));
    }
    done
}

fn stack_mutex_parking_lot(s: &Stacks, t: usize) -> Done {
    let mut done = Done::default();
    for i in 0..STACK_OPS {
        let v = value(t, i);
        s.mutex_parking_lot.lock().push(v);
        done.pushed.add(v);
        let got = s.mutex_parking_lot.lock().pop();
        done.popped
            .add(got.expect("mutex_parking_lot: pop found the stack empty after a push"));
    }
    done
}

const STACK_VARIANTS: [(&str, StackWork); 3] = [
    ("tagged", tagged),
    ("mutex_std", stack_mutex_std),
    ("mutex_parking_lot", stack_mutex_parking_lot),
];

/// One `stack` run, checked: the values popped must be the values pushed, and
/// the stack must end empty. Returns the time and the failed
/// compare-exchanges, if the stack counts them.
fn run_stack(name: &str, work: StackWork, threads: usize) -> (Duration, Option<u64>) {
    let stacks = Stacks::new(threads);
    let (time, done) = race(threads, |t| work(&stacks, t));
    let done = done.into_iter().fold(Done::default(), Done::merge);
    let what = format!("{name} with {threads} threads");
    assert_eq!(
        done.pushed.count,
        threads as u64 * STACK_OPS,
        "{what}: {} values pushed instead of {}",
        done.pushed.count,
        threads as u64 * STACK_OPS
    );
    assert_eq!(
        done.popped, done.pushed,
        "{what}: the values popped are not the values pushed (a value was lost or popped twice)"
    );
    assert!(stacks.is_empty(), "{what}: the stack is not empty at the end");
    (time, done.retries)
}

// ----------------------------------------------------------------- runner

/// `threads` threads run `work(index)`, released together by a barrier;
/// returns the time from its release (the first thread out) until the last
/// thread is done, and what each thread returned. Each thread stamps its own
/// start and end, so the time does not depend on when the spawning thread gets
/// scheduled again.
fn race<R: Send>(threads: usize, work: impl Fn(usize) -> R + Sync) -> (Duration, Vec<R>) {
    let barrier = Barrier::new(threads);
    let results: Vec<(Instant, Instant, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (work, barrier) = (&work, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let r = work(t);
                    (start, Instant::now(), r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let start = results.iter().map(|r| r.0).min().unwrap();
    let end = results.iter().map(|r| r.1).max().unwrap();
    (end - start, results.into_iter().map(|r| r.2).collect())
}

fn bench_locks_with<S: Section>(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    for (name, work) in lock_variants::<S>() {
        for threads in LOCK_THREADS {
            group.throughput(Throughput::Elements(threads as u64 * S::OPS));
            group.bench_function(BenchmarkId::new(format!("{name}/{}", S::NAME), threads), |b| {
                b.iter_custom(|iters| (0..iters).map(|_| run_lock(name, S::NAME, S::OPS, work, threads)).sum());
            });
        }
    }
}

fn bench_locks(c: &mut Criterion) {
    let mut group = c.benchmark_group("locks");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    bench_locks_with::<Short>(&mut group);
    bench_locks_with::<Long>(&mut group);
    group.finish();
}

fn bench_stack(c: &mut Criterion) {
    let mut group = c.benchmark_group("stack");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for (name, work) in STACK_VARIANTS {
        for threads in STACK_THREADS {
            let (mut runs, mut retries) = (0u64, None::<u64>);
            group.throughput(Throughput::Elements(threads as u64 * STACK_OPS));
            group.bench_function(BenchmarkId::new(name, threads), |b| {
                b.iter_custom(|iters| {
                    let mut time = Duration::ZERO;
                    for _ in 0..iters {
                        let (t, r) = run_stack(name, work, threads);
                        time += t;
                        runs += 1;
                        retries = r.map(|r| r + retries.unwrap_or(0));
                    }
                    time
                });
            });
            if let (Some(retries), 1..) = (retries, runs) {
                // Each push-pop pair makes four successful compare-exchanges.
                let cas = runs * threads as u64 * STACK_OPS * 4;
                let share = 100.0 * retries as f64 / cas as f64;
                println!("{:24}retries: {retries} in {cas} compare-exchanges ({share:.3}%)", "");
            }
        }
    }
    group.finish();
}

criterion_group!(benches, bench_locks, bench_stack);
criterion_main!(benches);
