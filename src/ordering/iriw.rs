//! Independent reads of independent writes (IRIW): two writers, two
//! readers that read the two locations in opposite orders.
//!
//! ```text
//! P0: x = 1    P1: y = 1    P2: r1 = x; r2 = y    P3: r3 = y; r4 = x
//! ```
//!
//! Can the readers disagree on which write came first (`r1=1, r2=0, r3=1,
//! r4=0`)? C11 allows it with `Relaxed` and with release/acquire: there is no
//! single order of all stores that every thread agrees on unless the
//! accesses are `SeqCst` (or `SeqCst` fences sit between the reads), which
//! forbids it (Batty et al. 2011 §2; Lahav et al. 2017, IRIW). x86 is
//! multi-copy atomic and never shows it; POWER can. Four threads: loom's
//! limit, explored with its preemption bound.

use super::{Flavor, Litmus, Reads, Vars};

fn run(t: usize, v: &Vars, f: Flavor) -> Reads {
    match t {
        0 => {
            v.x.store(1, f.store());
            Reads::none()
        }
        1 => {
            v.y.store(1, f.store());
            Reads::none()
        }
        _ => {
            let (first, second) = if t == 2 { (&v.x, &v.y) } else { (&v.y, &v.x) };
            let a = first.load(f.load());
            f.between();
            Reads::two(a, second.load(f.load()))
        }
    }
}

fn notes(f: Flavor) -> Vec<&'static str> {
    match f {
        Flavor::Relaxed | Flavor::ReleaseAcquire => {
            vec!["x86 is multi-copy atomic: this machine will not show the readers disagreeing; POWER can"]
        }
        _ => vec![],
    }
}

/// IRIW.
pub static IRIW: Litmus = Litmus {
    name: "iriw",
    threads: 4,
    regs: &["r1", "r2", "r3", "r4"],
    run,
    domain: &[0, 1],
    after: None,
    weak: &[1, 0, 1, 0],
    allows_weak: |f| matches!(f, Flavor::Relaxed | Flavor::ReleaseAcquire),
    notes,
};
