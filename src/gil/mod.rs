//! A simulated global interpreter lock (lecture section *GIL*).
//!
//! "The GIL guarantees that only one thread runs at any moment; so threads
//! cannot use several processor cores." And: "the GIL is always released
//! during input/output." Here the GIL is one lock ([`Gil`]) that every
//! "bytecode" of a simulated interpreter runs under, released and retaken
//! between bytecodes so that another thread can get in (CPython's switch
//! interval), and released around blocking I/O.
//!
//! | file | shows | lecture claim |
//! |---|---|---|
//! | [`lock`] | the GIL: one lock, a switch point between bytecodes, released for I/O | "only one thread runs at any moment" |
//! | [`exclusive`] | model-checked: with the GIL at most one thread is ever inside a bytecode; without it, two | "only one thread runs" |
//! | [`speedup`] | measured: CPU-bound threads under the GIL get ≈ 1×, without it ≈ N×; I/O-bound threads overlap even under the GIL | "threads cannot use several cores"; "the GIL is released for I/O" |
//! | [`increment`] | model-checked: `x += 1` is three bytecodes, and the GIL can switch between them: updates are lost | "with the GIL there are never race conditions" — not so |
//!
//! What the GIL costs: every thread of a process takes turns on one lock,
//! so pure-Python CPU-bound work runs at one core's speed however many
//! threads it has (the cure is processes: see [`crate::integrate`]). What it
//! does not buy: atomicity of anything bigger than one bytecode, so Python
//! code still needs `threading.Lock` around a read-modify-write.

pub mod exclusive;
pub mod increment;
pub mod lock;
pub mod speedup;

pub use lock::{Gil, Held};
