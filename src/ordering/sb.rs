//! Store buffering (SB): each thread stores to its own location, then
//! loads the other's.
//!
//! ```text
//! P0: x = 1; r1 = y        P1: y = 1; r2 = x
//! ```
//!
//! Can both threads miss each other's store (`r1=0, r2=0`)? Under
//! sequential consistency no: one store comes first and the other thread's
//! load sees it. The C11 model allows it with `Relaxed` and with
//! release/acquire (acquire loads do not order an earlier store before
//! them), and forbids it with `SeqCst` accesses or `SeqCst` fences between
//! the store and the load (Batty et al. 2011 §2; Lahav et al. 2017, SB).
//! x86 shows it: each core keeps its store in a store buffer while its load
//! runs ahead. This is Dekker's mutual exclusion breaking.

use super::{Flavor, Litmus, Reads, Vars};

fn run(t: usize, v: &Vars, f: Flavor) -> Reads {
    let (mine, theirs) = if t == 0 { (&v.x, &v.y) } else { (&v.y, &v.x) };
    mine.store(1, f.store());
    f.between();
    Reads::one(theirs.load(f.load()))
}

fn notes(f: Flavor) -> Vec<&'static str> {
    match f {
        Flavor::Relaxed | Flavor::ReleaseAcquire => {
            vec!["x86 keeps each store in a store buffer while the load runs: this machine can show r1=0, r2=0"]
        }
        Flavor::SeqCst | Flavor::SeqCstFences => vec![],
    }
}

/// SB.
pub static SB: Litmus = Litmus {
    name: "sb",
    threads: 2,
    regs: &["r1", "r2"],
    run,
    domain: &[0, 1],
    after: None,
    weak: &[0, 0],
    allows_weak: |f| matches!(f, Flavor::Relaxed | Flavor::ReleaseAcquire),
    notes,
};
