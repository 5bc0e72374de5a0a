//! Message passing (MP): one thread writes data then raises a flag; the
//! other reads the flag, then the data.
//!
//! ```text
//! P0: data = 1; flag = 1     P1: r1 = flag; r2 = data
//! ```
//!
//! Can the reader see the flag but not the data (`r1=1, r2=0`)? With
//! `Relaxed`, yes: nothing orders the two stores as seen from another
//! thread. A release store of the flag read by an acquire load forbids it
//! (everything before the release happens-before everything after the
//! acquire); so do `SeqCst`, and `SeqCst` fences (Batty et al. 2011 §2; Bos,
//! *Rust Atomics and Locks* ch. 3). x86 never reorders these (TSO), ARM and
//! POWER do. [`super::publish`] is this test with the data in an
//! `UnsafeCell`, where the weak outcome is a data race.

use super::{Flavor, Litmus, Reads, Vars};

fn run(t: usize, v: &Vars, f: Flavor) -> Reads {
    // x is the data, y the flag.
    if t == 0 {
        v.x.store(1, std::sync::atomic::Ordering::Relaxed);
        f.between();
        v.y.store(1, f.store());
        Reads::none()
    } else {
        let flag = v.y.load(f.load());
        f.between();
        Reads::two(flag, v.x.load(std::sync::atomic::Ordering::Relaxed))
    }
}

fn notes(f: Flavor) -> Vec<&'static str> {
    match f {
        Flavor::Relaxed => vec!["x86 (TSO) never reorders two stores or two loads: this machine will not show r1=1, r2=0; ARM and POWER can"],
        _ => vec![],
    }
}

/// MP (the data accesses are always `Relaxed`; the flavour orders the flag).
pub static MP: Litmus = Litmus {
    name: "mp",
    threads: 2,
    regs: &["r1", "r2"],
    run,
    domain: &[0, 1],
    after: None,
    weak: &[1, 0],
    allows_weak: |f| f == Flavor::Relaxed,
    notes,
};
