//! Memory ordering: litmus tests, and publishing data through a flag.
//!
//! Lecture section *GIL* says the lock guarantees "there will never be race
//! conditions". Without a lock, what one thread sees of another's writes
//! depends on the orderings of the atomics involved, and on the machine. A
//! litmus test is the smallest program that tells orderings apart: a few
//! threads, one or two stores and loads each, and the question of which
//! final register values are possible. Each test here comes in four
//! flavours ([`Flavor`]): `Relaxed`; release stores with acquire loads;
//! `SeqCst`; and `Relaxed` accesses separated by `SeqCst` fences.
//!
//! Each report puts three verdicts side by side: what the C11 memory model
//! (which Rust uses) allows — a fixed table per test, with its sources in the
//! test's file — what loom reaches, and what this machine's hardware did
//! over many runs (shuttle's column is there too, and never shows a weak
//! outcome: it runs every atomic as `SeqCst`).
//!
//! Tests: [`sb`] store buffering, [`mp`] message passing, [`lb`] load
//! buffering, [`iriw`] independent reads of independent writes,
//! [`two_plus_two_w`] 2+2W; and [`publish`], message passing with data in
//! an `UnsafeCell`, where loom reports the data race.
//!
//! Sources: Batty, Owens, Sarkar, Sewell, Weber, *Mathematizing C++
//! Concurrency* (POPL 2011); Lahav, Vafeiadis, Kang, Hur, Dreyer, *Repairing
//! Sequential Consistency in C/C++11* (PLDI 2017), the model C++20 and Rust
//! follow; Lahav, Giannarakis, Vafeiadis, *Taming Release-Acquire
//! Consistency* (POPL 2016); Mara Bos, *Rust Atomics and Locks*, ch. 3.

pub mod iriw;
pub mod lb;
pub mod mp;
pub mod publish;
pub mod sb;
pub mod two_plus_two_w;

use std::fmt;

use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{fence, AtomicUsize, Ordering};
use crate::sync::{thread, Arc, Backend};

/// The orderings a litmus test runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// Every access `Relaxed`.
    Relaxed,
    /// Stores `Release`, loads `Acquire`.
    ReleaseAcquire,
    /// Every access `SeqCst`.
    SeqCst,
    /// Every access `Relaxed`, with `fence(SeqCst)` between a thread's two
    /// accesses.
    SeqCstFences,
}

impl Flavor {
    /// All flavours, weakest first.
    pub const ALL: [Flavor; 4] = [
        Flavor::Relaxed,
        Flavor::ReleaseAcquire,
        Flavor::SeqCst,
        Flavor::SeqCstFences,
    ];

    /// The name scenario names use.
    pub fn name(self) -> &'static str {
        match self {
            Flavor::Relaxed => "relaxed",
            Flavor::ReleaseAcquire => "release_acquire",
            Flavor::SeqCst => "seqcst",
            Flavor::SeqCstFences => "seqcst_fences",
        }
    }

    /// The ordering of a store.
    pub fn store(self) -> Ordering {
        match self {
            Flavor::Relaxed | Flavor::SeqCstFences => Ordering::Relaxed,
            Flavor::ReleaseAcquire => Ordering::Release,
            Flavor::SeqCst => Ordering::SeqCst,
        }
    }

    /// The ordering of a load.
    pub fn load(self) -> Ordering {
        match self {
            Flavor::Relaxed | Flavor::SeqCstFences => Ordering::Relaxed,
            Flavor::ReleaseAcquire => Ordering::Acquire,
            Flavor::SeqCst => Ordering::SeqCst,
        }
    }

    /// The fence between a thread's two accesses (only with `SeqCstFences`).
    pub fn between(self) {
        if self == Flavor::SeqCstFences {
            fence(Ordering::SeqCst);
        }
    }
}

/// The shared locations of a litmus test, both starting at 0.
#[derive(Debug)]
pub struct Vars {
    pub x: AtomicUsize,
    pub y: AtomicUsize,
}

impl Vars {
    /// Fresh `x` and `y` on the current backend.
    pub fn new() -> Self {
        Vars {
            x: AtomicUsize::new(0).named("x"),
            y: AtomicUsize::new(0).named("y"),
        }
    }
}

impl Default for Vars {
    fn default() -> Self {
        Self::new()
    }
}

/// The values one litmus thread read: at most two, kept inline, because a
/// heap allocation between a thread's accesses can act as a fence (the
/// allocator's atomic instructions) and hide the very reordering a test
/// looks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reads {
    values: [usize; 2],
    len: usize,
}

impl Reads {
    /// The thread read nothing.
    pub fn none() -> Self {
        Reads::default()
    }

    /// The thread read one value.
    pub fn one(a: usize) -> Self {
        Reads { values: [a, 0], len: 1 }
    }

    /// The thread read two values.
    pub fn two(a: usize, b: usize) -> Self {
        Reads { values: [a, b], len: 2 }
    }

    /// The values read, in order.
    pub fn as_slice(&self) -> &[usize] {
        &self.values[..self.len]
    }
}

/// The values a litmus test's registers ended with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Regs {
    pub names: &'static [&'static str],
    pub values: Vec<usize>,
}

impl fmt::Display for Regs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .names
            .iter()
            .zip(&self.values)
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// A litmus test: its threads, its registers and the memory model's table.
pub struct Litmus {
    /// Short name (`sb`).
    pub name: &'static str,
    /// How many threads it runs.
    pub threads: usize,
    /// Register names, in the order the threads (then [`Litmus::after`]) fill them.
    pub regs: &'static [&'static str],
    /// What thread `t` does; returns the values it read.
    pub run: fn(t: usize, v: &Vars, f: Flavor) -> Reads,
    /// Values read by the main thread once every thread is done.
    pub after: Option<fn(&Vars) -> Vec<usize>>,
    /// The values a register can hold; every combination but [`Litmus::weak`]
    /// is what some interleaving produces.
    pub domain: &'static [usize],
    /// The outcome the test is about (not sequentially consistent).
    pub weak: &'static [usize],
    /// Whether the C11 model allows the weak outcome under a flavour.
    pub allows_weak: fn(Flavor) -> bool,
    /// Remarks for reports of this test under a flavour.
    pub notes: fn(Flavor) -> Vec<&'static str>,
}

impl Litmus {
    /// Every register combination with its grade: the weak outcome first,
    /// interesting where the model allows it and forbidden where it does
    /// not; then every other combination, each produced by some
    /// interleaving, so acceptable.
    fn table(&self, flavor: Flavor) -> Vec<(Regs, Grade)> {
        let weak_grade = if (self.allows_weak)(flavor) {
            Grade::Interesting
        } else {
            Grade::Forbidden
        };
        let mut rows = vec![(self.regs(self.weak.to_vec()), weak_grade)];
        rows.extend(
            combinations(self.domain, self.regs.len())
                .into_iter()
                .filter(|v| v.as_slice() != self.weak)
                .map(|v| (self.regs(v), Grade::Acceptable)),
        );
        rows
    }

    fn regs(&self, values: Vec<usize>) -> Regs {
        Regs {
            names: self.regs,
            values,
        }
    }

    /// One run of the test on the current backend.
    fn once(&'static self, flavor: Flavor) -> Regs {
        let vars = Arc::new(Vars::new());
        let handles: Vec<_> = (0..self.threads)
            .map(|t| {
                let vars = Arc::clone(&vars);
                let run = self.run;
                thread::Builder::new()
                    .name(format!("P{t}"))
                    .spawn(move || run(t, &vars, flavor))
                    .expect("spawn a litmus thread")
            })
            .collect();
        let mut values: Vec<usize> = Vec::new();
        for h in handles {
            values.extend_from_slice(h.join().expect("a litmus thread panicked").as_slice());
        }
        if let Some(after) = self.after {
            values.extend(after(&vars));
        }
        self.regs(values)
    }

    /// `runs` × `iterations` instances on real threads that stay up and
    /// meet at a spinning barrier before every instance, so that their
    /// accesses overlap within nanoseconds, as in litmus7 and jcstress.
    fn on_hardware(&'static self, flavor: Flavor, instances: usize) -> Vec<Regs> {
        let barrier = std::sync::Arc::new(SpinBarrier::new(self.threads));
        let vars: std::sync::Arc<Vec<Vars>> = std::sync::Arc::new((0..instances).map(|_| Vars::new()).collect());
        let workers: Vec<_> = (0..self.threads)
            .map(|t| {
                let (barrier, vars, run) = (std::sync::Arc::clone(&barrier), std::sync::Arc::clone(&vars), self.run);
                std::thread::spawn(move || {
                    vars.iter()
                        .enumerate()
                        .map(|(i, v)| {
                            barrier.wait(i);
                            run(t, v, flavor)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let per_thread: Vec<Vec<Reads>> = workers
            .into_iter()
            .map(|w| w.join().expect("a litmus thread panicked"))
            .collect();
        (0..instances)
            .map(|i| {
                let mut values: Vec<usize> = per_thread.iter().flat_map(|t| t[i].as_slice().to_vec()).collect();
                if let Some(after) = self.after {
                    values.extend(after(&vars[i]));
                }
                self.regs(values)
            })
            .collect()
    }

    /// The test as a scenario under `flavor`.
    pub fn scenario(&'static self, name: &str, flavor: Flavor) -> Scenario<Regs> {
        let table = self.table(flavor);
        let forbidden: Vec<Regs> = table
            .iter()
            .filter(|(_, g)| *g == Grade::Forbidden)
            .map(|(r, _)| r.clone())
            .collect();
        let known: Vec<Regs> = table.iter().map(|(r, _)| r.clone()).collect();
        let weak = self.regs(self.weak.to_vec());
        let allowed_weak = (self.allows_weak)(flavor);
        let mut scenario = Scenario::new(name, move || self.once(flavor))
            .expect("what the C11 memory model allows", move |r: &Regs| {
                if forbidden.contains(r) || !known.contains(r) {
                    Grade::Forbidden
                } else if *r == weak {
                    Grade::Interesting
                } else {
                    Grade::Acceptable
                }
            })
            .known_outcomes(table)
            .hardware_batch(move |runs| self.on_hardware(flavor, runs * HARDWARE_INSTANCES_PER_RUN))
            .note("shuttle runs every atomic as SeqCst: a weak outcome never appears in its column");
        if !allowed_weak && matches!(flavor, Flavor::SeqCst) {
            // loom issue 180: SeqCst loads and stores are modelled as
            // acquire/release, so loom may reach what the model forbids.
            let weak = self.regs(self.weak.to_vec());
            scenario = scenario
                .regrade_on(Backend::Loom, move |r: &Regs| {
                    if *r == weak {
                        Grade::Interesting
                    } else {
                        Grade::Acceptable
                    }
                })
                .note(
                    "loom models SeqCst loads and stores as acquire/release (loom issue 180): if loom reaches the \
                     weak outcome here, that is loom over-approximating, and it is graded interesting under loom",
                );
        }
        for n in (self.notes)(flavor) {
            scenario = scenario.note(n);
        }
        scenario
    }
}

/// Instances per hardware "run": the explorer's run count times this many.
pub const HARDWARE_INSTANCES_PER_RUN: usize = 1_000;

/// A barrier that spins (then yields), for threads that meet once per
/// instance, millions of times: a sleeping barrier would wake them
/// microseconds apart, and weak outcomes need them nanoseconds apart. One
/// counter: before instance `i` every thread adds one and waits until all
/// `n` have (`n × (i + 1)`), so all of them see the last arrival at once.
struct SpinBarrier {
    n: usize,
    arrived: std::sync::atomic::AtomicUsize,
    /// Spins before yielding: many with a core per thread, few without
    /// (a waiting thread must then let the others run).
    patience: u32,
}

impl SpinBarrier {
    fn new(n: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        SpinBarrier {
            n,
            arrived: std::sync::atomic::AtomicUsize::new(0),
            patience: if n <= cores { 100_000 } else { 50 },
        }
    }

    /// Waits for every thread to reach instance `i`.
    fn wait(&self, i: usize) {
        use std::sync::atomic::Ordering::{AcqRel, Acquire};
        self.arrived.fetch_add(1, AcqRel);
        let target = self.n * (i + 1);
        let mut spins = 0u32;
        while self.arrived.load(Acquire) < target {
            spins += 1;
            if spins < self.patience {
                std::hint::spin_loop();
            } else {
                // More threads than cores: let the others run.
                std::thread::yield_now();
            }
        }
    }
}

/// Every combination of `n` registers, each holding a value of `domain`.
fn combinations(domain: &[usize], n: usize) -> Vec<Vec<usize>> {
    (0..n).fold(vec![Vec::new()], |acc, _| {
        acc.into_iter()
            .flat_map(|prefix| {
                domain.iter().map(move |d| {
                    let mut v = prefix.clone();
                    v.push(*d);
                    v
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_cover_every_register_value() {
        assert_eq!(
            combinations(&[0, 1], 2),
            [vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]]
        );
        assert_eq!(combinations(&[0, 1], 4).len(), 16);
    }

    #[test]
    fn the_weak_outcome_leads_each_table_with_the_models_grade() {
        let relaxed = sb::SB.table(Flavor::Relaxed);
        assert_eq!(relaxed[0].0.to_string(), "r1=0, r2=0");
        assert_eq!(relaxed[0].1, Grade::Interesting);
        assert_eq!(sb::SB.table(Flavor::SeqCstFences)[0].1, Grade::Forbidden);
        assert_eq!(relaxed.len(), 4);
    }
}
