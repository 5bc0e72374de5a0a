//! 2+2W: two threads each store to both locations, in opposite orders;
//! afterwards, which stores won?
//!
//! ```text
//! P0: x = 1; y = 2        P1: y = 1; x = 2        then: x, y
//! ```
//!
//! Can each location end with the value of the *first* store to it
//! (`x=1, y=1`)? That needs each thread's second store to be overwritten by
//! the other's first: no interleaving does it. C11 allows it with `Relaxed`
//! and, famously, with release stores too (release/acquire has no total
//! order of stores: Lahav, Giannarakis, Vafeiadis, *Taming Release-Acquire
//! Consistency*, POPL 2016); `SeqCst` stores or `SeqCst` fences between the
//! two stores forbid it (Lahav et al. 2017). Hardware (x86, ARMv8) does not
//! show it.

use super::{Flavor, Litmus, Reads, Vars};

fn run(t: usize, v: &Vars, f: Flavor) -> Reads {
    let (first, second) = if t == 0 { (&v.x, &v.y) } else { (&v.y, &v.x) };
    first.store(1, f.store());
    f.between();
    second.store(2, f.store());
    Reads::none()
}

fn after(v: &Vars) -> Vec<usize> {
    // Read once both threads have been joined: the final values.
    vec![
        v.x.load(std::sync::atomic::Ordering::SeqCst),
        v.y.load(std::sync::atomic::Ordering::SeqCst),
    ]
}

fn notes(f: Flavor) -> Vec<&'static str> {
    match f {
        Flavor::Relaxed | Flavor::ReleaseAcquire => {
            vec!["the model allows x=1, y=1; loom and this machine's hardware need not show it"]
        }
        _ => vec![],
    }
}

/// 2+2W.
pub static TWO_PLUS_TWO_W: Litmus = Litmus {
    name: "2+2w",
    threads: 2,
    regs: &["x", "y"],
    run,
    domain: &[1, 2],
    after: Some(after),
    weak: &[1, 1],
    allows_weak: |f| matches!(f, Flavor::Relaxed | Flavor::ReleaseAcquire),
    notes,
};
