//! Load buffering (LB): each thread loads the other's location, then
//! stores to its own.
//!
//! ```text
//! P0: r1 = x; y = 1        P1: r2 = y; x = 1
//! ```
//!
//! Can both loads see the other thread's *later* store (`r1=1, r2=1`)? The
//! C11 model allows it with `Relaxed` (nothing orders a load before a later
//! store to another location) and forbids it with release/acquire, `SeqCst`
//! or fences (Batty et al. 2011; Lahav et al. 2017, LB). Almost no machine
//! does it (some ARM cores in theory), and no tool that explores
//! interleavings can produce it: loom reads only from stores already made.
//! So the model's column and loom's disagree here, and the report says why.

use super::{Flavor, Litmus, Reads, Vars};

fn run(t: usize, v: &Vars, f: Flavor) -> Reads {
    let (theirs, mine) = if t == 0 { (&v.x, &v.y) } else { (&v.y, &v.x) };
    let r = theirs.load(f.load());
    f.between();
    mine.store(1, f.store());
    Reads::one(r)
}

fn notes(f: Flavor) -> Vec<&'static str> {
    match f {
        Flavor::Relaxed => vec![
            "loom never produces load buffering (a load reads only stores already made in its interleaving): \
             the model allows r1=1, r2=1, loom cannot show it, and x86 never does",
        ],
        _ => vec![],
    }
}

/// LB.
pub static LB: Litmus = Litmus {
    name: "lb",
    threads: 2,
    regs: &["r1", "r2"],
    run,
    domain: &[0, 1],
    after: None,
    weak: &[1, 1],
    allows_weak: |f| f == Flavor::Relaxed,
    notes,
};
